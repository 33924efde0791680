// SPDX-License-Identifier: GPL-2.0-only
/*
 * The real Microsoft Hypervisor as an mshv_backend.
 *
 * This is the only file of mshv_root that includes the kernel's Hyper-V
 * headers (<asm/mshyperv.h> and what it pulls in).  Those define many
 * hypervisor names with layouts of their own, so nothing of hv_tlfs.h may
 * be visible here: the file speaks only in the backend contract's terms
 * (control word, result word, page-sized buffers, MSR numbers).
 *
 * Hypercalls go through the kernel's hypercall page (hv_hypercall_pg,
 * exported since 4.x).  SynIC registers are reached with plain
 * RDMSR/WRMSR: mshv_root refuses isolated partitions, and in the root or
 * an L1VH partition the non-nested synthetic MSRs are the ones of the
 * hypervisor that runs our children.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "hv_backend_real.h"

#if IS_ENABLED(CONFIG_HYPERV)
#include <asm/mshyperv.h>

/* Bit 16 of the control word: register-based ("fast") calling convention. */
#define MSHV_REAL_CONTROL_FAST		BIT_ULL(16)
#define MSHV_REAL_CONTROL_CODE		GENMASK_ULL(15, 0)

static u64 mshv_real_hypercall(u64 control, void *input, void *output)
{
	/* hv_do_hypercall() passes the control word through untouched. */
	return hv_do_hypercall(control, input, output);
}

static u64 mshv_real_hypercall_fast(u64 control, u64 input1, u64 input2)
{
	/*
	 * The kernel's fast-call helper builds the control word from the
	 * code alone; none of our fast calls uses rep or varhead fields.
	 */
	if (WARN_ON_ONCE(control & ~(MSHV_REAL_CONTROL_CODE | MSHV_REAL_CONTROL_FAST)))
		return U64_MAX;
	return hv_do_fast_hypercall16(control & MSHV_REAL_CONTROL_CODE, input1, input2);
}

static u64 mshv_real_read_msr(u32 msr)
{
	u64 value;

	rdmsrl(msr, value);
	return value;
}

static void mshv_real_write_msr(u32 msr, u64 value)
{
	wrmsrl(msr, value);
}

static void mshv_real_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	cpuid(leaf, eax, ebx, ecx, edx);
}

static const struct mshv_backend mshv_backend_real = {
	.name = "hyperv",
	.owner = THIS_MODULE,
	.hypercall = mshv_real_hypercall,
	.hypercall_fast = mshv_real_hypercall_fast,
	.read_msr = mshv_real_read_msr,
	.write_msr = mshv_real_write_msr,
	.cpuid = mshv_real_cpuid,
};

const struct mshv_backend *mshv_backend_real_get(void)
{
	/* Set by hyperv_init() only when running on Hyper-V. */
	if (!hv_hypercall_pg)
		return NULL;
	return &mshv_backend_real;
}

#else /* !CONFIG_HYPERV */

const struct mshv_backend *mshv_backend_real_get(void)
{
	return NULL;
}

#endif /* CONFIG_HYPERV */
