// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID: what the CPUID instruction returns inside a partition and
 * what HvGetVpCpuidValues reports.
 *
 * The processor-feature banks of HvCreatePartition disable features; the
 * ones with a CPUID bit are cleared from the host's values here, so a
 * VMM that disables, say, AVX2 gets a guest that does not see it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "hvsim.h"

enum { EAX, EBX, ECX, EDX };

/* feature bank bit -> CPUID leaf.subleaf register bit */
struct hvsim_feature_bit {
	u8 bank;		/* 0, 1: processor features; 2: xsave features */
	u64 feature;
	u32 leaf;
	u8 subleaf;
	u8 reg;
	u8 bit;
};

static const struct hvsim_feature_bit hvsim_feature_bits[] = {
	{ 0, HV_X64_PF0_SSE3,		1, 0, ECX, 0 },
	{ 0, HV_X64_PF0_PCLMULQDQ,	1, 0, ECX, 1 },
	{ 0, HV_X64_PF0_SSSE3,		1, 0, ECX, 9 },
	{ 0, HV_X64_PF0_CMPXCHG16B,	1, 0, ECX, 13 },
	{ 0, HV_X64_PF0_PCID,		1, 0, ECX, 17 },
	{ 0, HV_X64_PF0_SSE4_1,		1, 0, ECX, 19 },
	{ 0, HV_X64_PF0_SSE4_2,		1, 0, ECX, 20 },
	{ 0, HV_X64_PF0_MOVBE,		1, 0, ECX, 22 },
	{ 0, HV_X64_PF0_POPCNT,		1, 0, ECX, 23 },
	{ 0, HV_X64_PF0_AES,		1, 0, ECX, 25 },
	{ 0, HV_X64_PF0_F16C,		1, 0, ECX, 29 },
	{ 0, HV_X64_PF0_RDRAND,		1, 0, ECX, 30 },
	{ 0, HV_X64_PF0_RDWR_FSGS,	7, 0, EBX, 0 },
	{ 0, HV_X64_PF0_BMI1,		7, 0, EBX, 3 },
	{ 0, HV_X64_PF0_HLE,		7, 0, EBX, 4 },
	{ 0, HV_X64_PF0_SMEP,		7, 0, EBX, 7 },
	{ 0, HV_X64_PF0_BMI2,		7, 0, EBX, 8 },
	{ 0, HV_X64_PF0_ENHANCED_FAST_STRING, 7, 0, EBX, 9 },
	{ 0, HV_X64_PF0_INVPCID,	7, 0, EBX, 10 },
	{ 0, HV_X64_PF0_RTM,		7, 0, EBX, 11 },
	{ 0, HV_X64_PF0_RDSEED,		7, 0, EBX, 18 },
	{ 0, HV_X64_PF0_ADX,		7, 0, EBX, 19 },
	{ 0, HV_X64_PF0_SMAP,		7, 0, EBX, 20 },
	{ 0, HV_X64_PF0_CLFLUSHOPT,	7, 0, EBX, 23 },
	{ 0, HV_X64_PF0_CLWB,		7, 0, EBX, 24 },
	{ 0, HV_X64_PF0_SHA,		7, 0, EBX, 29 },
	{ 0, HV_X64_PF0_UMIP,		7, 0, ECX, 2 },
	{ 0, HV_X64_PF0_RDPID,		7, 0, ECX, 22 },
	{ 0, HV_X64_PF0_LAHF_SAHF,	0x80000001, 0, ECX, 0 },
	{ 0, HV_X64_PF0_LZCNT,		0x80000001, 0, ECX, 5 },
	{ 0, HV_X64_PF0_SSE4A,		0x80000001, 0, ECX, 6 },
	{ 0, HV_X64_PF0_MISALIGN_SSE,	0x80000001, 0, ECX, 7 },
	{ 0, HV_X64_PF0_XOP,		0x80000001, 0, ECX, 11 },
	{ 0, HV_X64_PF0_FMA4,		0x80000001, 0, ECX, 16 },
	{ 0, HV_X64_PF0_PAGE_1GB,	0x80000001, 0, EDX, 26 },
	{ 0, HV_X64_PF0_RDTSCP,		0x80000001, 0, EDX, 27 },
	{ 1, HV_X64_PF1_LA57,		7, 0, ECX, 16 },
	{ 1, HV_X64_PF1_TSC_ADJUST,	7, 0, EBX, 1 },
	{ 1, HV_X64_PF1_TSC_DEADLINE_TMR, 1, 0, ECX, 24 },
	{ 1, HV_X64_PF1_MOVDIRI,	7, 0, ECX, 27 },
	{ 1, HV_X64_PF1_MOVDIR64B,	7, 0, ECX, 28 },
	{ 1, HV_X64_PF1_SERIALIZE,	7, 0, EDX, 14 },
	{ 2, HV_X64_XSAVE_PF_XSAVE,	1, 0, ECX, 26 },
	{ 2, HV_X64_XSAVE_PF_AVX,	1, 0, ECX, 28 },
	{ 2, HV_X64_XSAVE_PF_FMA,	1, 0, ECX, 12 },
	{ 2, HV_X64_XSAVE_PF_AVX2,	7, 0, EBX, 5 },
	{ 2, HV_X64_XSAVE_PF_AVX512,	7, 0, EBX, 16 },
	{ 2, HV_X64_XSAVE_PF_GFNI,	7, 0, ECX, 8 },
	{ 2, HV_X64_XSAVE_PF_VAES,	7, 0, ECX, 9 },
	{ 2, HV_X64_XSAVE_PF_VPCLMULQDQ, 7, 0, ECX, 10 },
};

static void hvsim_cpuid_mask_features(const struct hvsim_partition *pt, u32 leaf,
				      u32 subleaf, u32 out[4])
{
	const u64 banks[3] = { pt->features[0], pt->features[1], pt->xsave_features };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvsim_feature_bits); i++) {
		const struct hvsim_feature_bit *f = &hvsim_feature_bits[i];

		/* only leaf 7 has subleaves among these */
		if (f->leaf != leaf || (leaf == 7 && f->subleaf != subleaf))
			continue;
		if (!(banks[f->bank] & f->feature))
			out[f->reg] &= ~BIT(f->bit);
	}
}

/*
 * CPUID as the guest sees it: the host's leaves with the hypervisor bit,
 * the VP's APIC id and the partition's disabled features cleared, the
 * Hyper-V guest leaves, then registered results.
 */
void hvsim_guest_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf, u32 out[4],
		       bool apply_registered)
{
	struct hvsim_partition *pt = vp->pt;
	u32 i, r;

	memset(out, 0, 4 * sizeof(u32));
	if (leaf >= HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS && leaf <= 0x400000ff) {
		if (leaf == HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS) {
			out[0] = HYPERV_CPUID_IMPLEMENT_LIMITS;
			out[1] = HYPERV_CPUID_SIGNATURE_EBX;
			out[2] = HYPERV_CPUID_SIGNATURE_ECX;
			out[3] = HYPERV_CPUID_SIGNATURE_EDX;
		} else if (leaf == HYPERV_CPUID_INTERFACE) {
			out[0] = HYPERV_CPUID_INTERFACE_HV1;
		} else if (leaf == HYPERV_CPUID_VERSION) {
			out[0] = hvsim_build_number;
			out[1] = (HVSIM_HV_MAJOR << 16) | HVSIM_HV_MINOR;
		} else if (leaf == HYPERV_CPUID_FEATURES) {
			out[0] = lower_32_bits(pt->synthetic_features);
			out[1] = upper_32_bits(pt->synthetic_features);
		}
	} else {
		hvsim_host_cpuid(leaf, subleaf, &out[0], &out[1], &out[2], &out[3]);
		if (leaf == 1) {
			out[1] = (out[1] & 0x00ffffff) | (vp->index << 24);
			out[2] |= HYPERV_HYPERVISOR_PRESENT_BIT;
			out[2] &= ~BIT(5);	/* no VMX for the guest */
		}
		hvsim_cpuid_mask_features(pt, leaf, subleaf, out);
	}
	if (!apply_registered)
		return;
	for (i = 0; i < pt->nr_cpuid_results; i++) {
		const struct hvsim_cpuid_result *res = &pt->cpuid_results[i];

		if (res->eax_in != leaf || (res->subleaf_specific && res->ecx_in != subleaf))
			continue;
		for (r = 0; r < 4; r++)
			out[r] = (out[r] & ~res->mask[r]) | (res->val[r] & res->mask[r]);
	}
}

