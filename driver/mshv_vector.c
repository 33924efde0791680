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
 *  - one IRQ per possible CPU, allocated as a *managed* IRQ whose affinity
 *    is that CPU alone, so the vector matrix gives it a vector on that CPU;
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
 *    by the kernel on online, possibly on another vector.  SINTs of an
 *    offline CPU are masked first (cpuhp teardown), and the online callback
 *    re-reads the vector before unmasking them;
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

static int mshv_vector_domain_alloc(struct irq_domain *domain, unsigned int virq,
				    unsigned int nr_irqs, void *arg)
{
	unsigned int i;
	int ret;

	ret = irq_domain_alloc_irqs_parent(domain, virq, nr_irqs, arg);
	if (ret)
		return ret;

	for (i = 0; i < nr_irqs; i++)
		irq_domain_set_info(domain, virq + i, virq + i, &mshv_vector_chip,
				    NULL, handle_edge_irq, NULL, "edge");
	return 0;
}

static const struct irq_domain_ops mshv_vector_domain_ops = {
	.alloc	= mshv_vector_domain_alloc,
	.free	= irq_domain_free_irqs_common,
};

unsigned int mshv_vector_of_cpu(unsigned int cpu)
{
	unsigned int virq = per_cpu(mshv_vector_virq, cpu);
	struct irq_data *data;

	if (!virq)
		return 0;
	data = irq_get_irq_data(virq);
	return data ? irqd_cfg(data)->vector : 0;
}

static int mshv_vector_alloc_cpu(unsigned int cpu, irq_handler_t handler)
{
	struct irq_affinity_desc affinity = { .is_managed = 1 };
	struct irq_alloc_info info;	/* the vector domain reads its flags */
	int virq, ret;

	memset(&info, 0, sizeof(info));
	cpumask_copy(&affinity.mask, cpumask_of(cpu));

	/* One IRQ per call: irq_domain_free_irqs() is not exported on 6.1. */
	virq = __irq_domain_alloc_irqs(mshv_vector_domain, -1, 1, cpu_to_node(cpu),
				       &info, false, &affinity);
	if (virq <= 0)
		return virq ? virq : -ENOSPC;
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
