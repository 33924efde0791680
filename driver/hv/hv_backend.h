/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall boundary: the one interface between mshv_root and "the
 * hypervisor".
 *
 * On a Hyper-V root partition or an L1VH VM the backend is the real one
 * (hv_backend_real.c): it issues hypercalls through the hypercall page and
 * touches the real synthetic MSRs.  Under test, mshv_hvsim.ko implements the
 * same calls in software and registers itself here.  Everything above this
 * line -- input-page marshalling, rep batching, deposit-and-retry, status to
 * errno, SynIC message parsing, the interrupt handler -- is shared, so the
 * tests exercise the code that runs on real hosts.
 *
 * Contract, identical for both backends:
 *  - hypercall(): a memory-based call.  @control is the TLFS control word
 *    (code, rep count, rep start index, variable header size; the fast bit
 *    clear).  @input and @output are page-aligned, page-sized buffers from
 *    the kernel direct map (or NULL); the caller has preemption disabled and
 *    owns them.  The return value is the TLFS result word: status in bits
 *    0-15, reps completed in bits 32-43.  U64_MAX means "no hypervisor".
 *  - hypercall_fast(): a register-based call with up to 16 input bytes and
 *    no output; @control has the fast bit set.
 *  - read_msr()/write_msr(): the synthetic MSRs (SynIC: SCONTROL, SIMP,
 *    SIEFP, SIRBP, EOM, SINTx) of the calling CPU.  The caller has
 *    preemption disabled.  A SIMP/SIEFP/SIRBP page address is a physical
 *    address that memremap(MEMREMAP_WB) can map.
 *  - cpuid(): the hypervisor CPUID leaves 0x40000000-0x400000FF as the
 *    calling partition sees them (vendor, privileges, features, hints).
 *  - SynIC interrupts arrive on the vector that mshv_root programs into
 *    SINTx, on the CPU whose SINT was programmed, in hard-IRQ context.
 */
#ifndef _MSHV_HV_BACKEND_H_
#define _MSHV_HV_BACKEND_H_

#include <linux/types.h>

struct module;

struct mshv_backend {
	const char *name;
	struct module *owner;
	u64 (*hypercall)(u64 control, void *input, void *output);
	u64 (*hypercall_fast)(u64 control, u64 input1, u64 input2);
	u64 (*read_msr)(u32 msr);
	void (*write_msr)(u32 msr, u64 value);
	void (*cpuid)(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);
};

/*
 * Make @backend the hypervisor mshv_root drives and create /dev/mshv.
 * Returns -EBUSY when a backend is already active: on a real MSHV host the
 * real backend registers at load, so a simulator is refused there.
 * The backend module cannot be unloaded while partitions exist.
 */
int mshv_backend_register(const struct mshv_backend *backend);

/* Remove /dev/mshv and forget @backend; no partition may exist. */
void mshv_backend_unregister(const struct mshv_backend *backend);

#endif /* _MSHV_HV_BACKEND_H_ */
