// SPDX-License-Identifier: GPL-2.0-only
/*
 * An interrupt vector of mshv's own for the SynIC SINTs it programs.
 *
 * Upstream (6.15+) shares HYPERVISOR_CALLBACK_VECTOR with VMBus through the
 * mshv_handler hook of sysvec_hyperv_callback.  Kernels before 6.15 have no
 * such hook and the callback vector belongs to VMBus, so mshv_root takes a
 * vector of its own instead, using documented irq-domain APIs only:
 *
 *  - a small hierarchical irq domain whose parent is the exported
 *    x86_vector_domain (the way Hyper-V's PCI and IOMMU code build theirs);
 *  - one IRQ per possible CPU (hwirq = CPU number) whose affinity is that
 *    CPU alone, so the vector matrix gives it a vector on that CPU: a
 *    *managed* IRQ where the kernel exports the allocator for one, else a
 *    pinned one (compat/compat-irq.h);
 *  - the vector is read back with irqd_cfg() and programmed into SINT0 and
 *    SINT5 of that CPU only (mshv_synic.c, on every CPU online);
 *  - irq_dispose_mapping() frees each IRQ, then the domain goes.
 *
 * The hypervisor (or hvsim) raises the vector as a fixed interrupt on the
 * CPU whose SINT carries it; the irq core runs the flow handler
 * (handle_edge_irq), which acks through the parent chip, i.e. an APIC EOI.
 * Therefore the SINTs are programmed *without* auto-EOI: the EOI is the
 * irq core's.
 *
 * Failure modes:
 *  - the vector space of a CPU is exhausted: allocation fails and the
 *    module refuses the backend (no /dev/mshv), with a log line;
 *  - CPU offline: the managed IRQ is shut down with the CPU and restarted
 *    by the kernel on online, possibly on another vector; a pinned IRQ is
 *    moved to another CPU and mshv_vector_of_cpu() moves it back.  SINTs
 *    of an offline CPU are masked first (cpuhp teardown), and the online
 *    callback re-reads the vector before unmasking them;
 *  - a message arriving while the IRQ is shut down cannot happen: the SINTs
 *    are masked for the whole time the CPU is down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>

#include "mshv_root.h"
#include "compat/compat-irq.h"

static struct irq_domain *mshv_vector_domain;
static struct fwnode_handle *mshv_vector_fwnode;
static DEFINE_PER_CPU(unsigned int, mshv_vector_virq);
static DEFINE_PER_CPU(bool, mshv_vector_requested);

/* The parent (APIC) chip has no mask callbacks; the core needs some. */
static void mshv_vector_noop(struct irq_data *data)
{
}

static struct irq_chip mshv_vector_chip = {
	.name			= "mshv-sint",
	.irq_ack		= irq_chip_ack_parent,
	.irq_mask		= mshv_vector_noop,
	.irq_unmask		= mshv_vector_noop,
	.irq_set_affinity	= irq_chip_set_affinity_parent,
	.irq_retrigger		= irq_chip_retrigger_hierarchy,
	.flags			= IRQCHIP_SKIP_SET_WAKE,
};

/* @arg is the irq_fwspec of mshv_vector_alloc_cpu(): param[0] is the CPU. */
static int mshv_vector_domain_alloc(struct irq_domain *domain, unsigned int virq,
				    unsigned int nr_irqs, void *arg)
{
	struct irq_fwspec *fwspec = arg;
	struct irq_alloc_info info;	/* the vector domain reads its flags */
	unsigned int cpu;
	int ret;

	if (nr_irqs != 1 || fwspec->param_count != 1 || fwspec->param[0] >= nr_cpu_ids)
		return -EINVAL;
	cpu = fwspec->param[0];

	/* The mask places an unmanaged IRQ; a managed one has its affinity. */
	memset(&info, 0, sizeof(info));
	info.mask = cpumask_of(cpu);
	ret = irq_domain_alloc_irqs_parent(domain, virq, 1, &info);
	if (ret)
		return ret;

	irq_domain_set_info(domain, virq, cpu, &mshv_vector_chip, NULL,
			    handle_edge_irq, NULL, "edge");
	return 0;
}

static const struct irq_domain_ops mshv_vector_domain_ops = {
	.translate	= irq_domain_translate_onecell,	/* hwirq = param[0] */
	.alloc		= mshv_vector_domain_alloc,
	.free		= irq_domain_free_irqs_common,
};

unsigned int mshv_vector_of_cpu(unsigned int cpu)
{
	unsigned int virq = per_cpu(mshv_vector_virq, cpu);
	struct irq_data *data;

	if (!virq)
		return 0;
	/* Called on @cpu coming online: bring a pinned IRQ back first. */
	if (mshv_irq_pin_to_cpu(virq, cpu)) {
		pr_err("cannot move the SynIC interrupt back to CPU %u\n", cpu);
		return 0;
	}
	data = irq_get_irq_data(virq);
	return data ? irqd_cfg(data)->vector : 0;
}

static int mshv_vector_alloc_cpu(unsigned int cpu, irq_handler_t handler)
{
	struct irq_fwspec fwspec = {
		.fwnode		= mshv_vector_fwnode,
		.param_count	= 1,
		.param		= { cpu },
	};
	int virq, ret;

	virq = mshv_irq_create_on_cpu(mshv_vector_domain, &fwspec, cpu);
	if (virq < 0)
		return virq;
	per_cpu(mshv_vector_virq, cpu) = virq;

	ret = request_irq(virq, handler, IRQF_NO_THREAD | IRQF_NOBALANCING,
			  "mshv_sint", NULL);
	if (ret)
		return ret;
	per_cpu(mshv_vector_requested, cpu) = true;
	return 0;
}

void mshv_vector_exit(void)
{
	unsigned int cpu, virq;

	for_each_possible_cpu(cpu) {
		virq = per_cpu(mshv_vector_virq, cpu);
		if (per_cpu(mshv_vector_requested, cpu))
			free_irq(virq, NULL);
		if (virq)
			irq_dispose_mapping(virq);
		per_cpu(mshv_vector_requested, cpu) = false;
		per_cpu(mshv_vector_virq, cpu) = 0;
	}
	if (mshv_vector_domain)
		irq_domain_remove(mshv_vector_domain);
	if (mshv_vector_fwnode)
		irq_domain_free_fwnode(mshv_vector_fwnode);
	mshv_vector_domain = NULL;
	mshv_vector_fwnode = NULL;
}

int mshv_vector_init(irq_handler_t handler)
{
	unsigned int cpu;
	int ret;

	mshv_vector_fwnode = irq_domain_alloc_named_fwnode("mshv-sint");
	if (!mshv_vector_fwnode)
		return -ENOMEM;

	mshv_vector_domain = irq_domain_create_hierarchy(x86_vector_domain, 0, 0,
							 mshv_vector_fwnode,
							 &mshv_vector_domain_ops,
							 NULL);
	if (!mshv_vector_domain) {
		ret = -ENOMEM;
		goto undo;
	}

	for_each_possible_cpu(cpu) {
		ret = mshv_vector_alloc_cpu(cpu, handler);
		if (ret) {
			pr_err("no interrupt vector for the SynIC of CPU %u: %d\n",
			       cpu, ret);
			goto undo;
		}
	}
	return 0;

undo:
	mshv_vector_exit();
	return ret;
}
