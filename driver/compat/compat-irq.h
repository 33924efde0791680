/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One IRQ of a hierarchical irq domain, bound to one CPU (mshv_vector.c).
 * Included by that file only.
 *
 * The way to get it depends on what the kernel exports, which Kbuild
 * probes in the target's Module.symvers (MSHV_COMPAT_HAVE_*), not on a
 * version number:
 *
 *  - __irq_domain_alloc_irqs() exported (Debian's 6.1 and later): a
 *    *managed* IRQ whose affinity is the CPU.  The irq core keeps it on
 *    that CPU: shut down when the CPU goes offline, restarted there when
 *    it comes back.
 *
 *  - not exported (Debian's 5.10): irq_create_fwspec_mapping() with the
 *    domain's fwnode and param[0] = CPU.  That IRQ is not managed: it can
 *    only be pinned with irq_set_affinity(), and offlining the CPU moves
 *    it to another one, where it stays.  mshv_irq_pin_to_cpu() moves it
 *    back; it must run before the vector is read for a CPU that came
 *    online.  IRQ_MOVE_PCNTXT makes that move immediate (from process
 *    context) rather than deferred to the next interrupt on the old CPU.
 *
 * Either way the domain's .alloc receives @fwspec as its argument, and
 * irq_dispose_mapping() frees the IRQ.  Both return a virq or -errno.
 */
#ifndef _MSHV_COMPAT_IRQ_H_
#define _MSHV_COMPAT_IRQ_H_

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/topology.h>

#ifdef MSHV_COMPAT_HAVE_IRQ_DOMAIN_ALLOC_IRQS

static inline int mshv_irq_create_on_cpu(struct irq_domain *domain,
					 struct irq_fwspec *fwspec,
					 unsigned int cpu)
{
	struct irq_affinity_desc affinity = { .is_managed = 1 };
	int virq;

	cpumask_copy(&affinity.mask, cpumask_of(cpu));
	/* One IRQ per call: irq_domain_free_irqs() is not exported. */
	virq = __irq_domain_alloc_irqs(domain, -1, 1, cpu_to_node(cpu), fwspec,
				       false, &affinity);
	return virq ? virq : -ENOSPC;
}

/* A managed IRQ follows its CPU by itself. */
static inline int mshv_irq_pin_to_cpu(unsigned int virq, unsigned int cpu)
{
	return 0;
}

#else /* !MSHV_COMPAT_HAVE_IRQ_DOMAIN_ALLOC_IRQS */

static inline int mshv_irq_create_on_cpu(struct irq_domain *domain,
					 struct irq_fwspec *fwspec,
					 unsigned int cpu)
{
	unsigned int virq;

	virq = irq_create_fwspec_mapping(fwspec);
	if (!virq)
		return -ENOSPC;
	irq_modify_status(virq, 0, IRQ_MOVE_PCNTXT);
	/* Not yet activated: this only records the affinity. */
	if (irq_set_affinity(virq, cpumask_of(cpu))) {
		irq_dispose_mapping(virq);
		return -EINVAL;
	}
	return virq;
}

static inline int mshv_irq_pin_to_cpu(unsigned int virq, unsigned int cpu)
{
	/* Already on @cpu: the vector code keeps the vector it has. */
	return irq_set_affinity(virq, cpumask_of(cpu));
}

#endif /* MSHV_COMPAT_HAVE_IRQ_DOMAIN_ALLOC_IRQS */

#endif /* _MSHV_COMPAT_IRQ_H_ */
