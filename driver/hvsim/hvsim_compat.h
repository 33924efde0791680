/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel interfaces hvsim uses whose shape changes between the
 * supported kernels.  Written against 6.1; see the notes for newer ones.
 */
#ifndef _HVSIM_COMPAT_H_
#define _HVSIM_COMPAT_H_

#include <linux/smp.h>
#include <asm/apic.h>

/*
 * Raise @vector on @cpu as a fixed IPI: the "SynIC interrupt".
 * 6.1: struct apic's send_IPI / send_IPI_self through the exported
 * 'apic' pointer.  From 6.6 the same calls are also reachable as the
 * static-call wrappers __apic_send_IPI() / __apic_send_IPI_self(); if a
 * later kernel stops exporting 'apic', this is the one place to change
 * (driver/compat/ would then carry a probe).
 */
static inline void hvsim_send_ipi(int cpu, u8 vector)
{
	if (cpu == raw_smp_processor_id())
		apic->send_IPI_self(vector);
	else
		apic->send_IPI(cpu, vector);
}

#endif /* _HVSIM_COMPAT_H_ */
