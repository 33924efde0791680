// SPDX-License-Identifier: GPL-2.0-only
/*
 * mshv_root: /dev/mshv, the Microsoft Hypervisor partition interface, for
 * kernels that predate the in-tree driver.
 *
 * Module entry.  On load we find out what kind of partition we run in.  A
 * root partition or an L1VH VM ("direct virtualization" on Azure) may create
 * child partitions; anything else has no hypervisor to drive, and /dev/mshv
 * stays absent until a simulator backend registers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <asm/processor.h>
#include <asm/cpufeature.h>

/* CPUID leaves published by the Microsoft Hypervisor (TLFS "Feature Discovery"). */
#define MSHV_CPUID_VENDOR_AND_MAX	0x40000000
#define MSHV_CPUID_FEATURES		0x40000003
/* "Microsoft Hv" in EBX, ECX, EDX of the vendor leaf. */
#define MSHV_CPUID_SIGNATURE_EBX	0x7263694d
#define MSHV_CPUID_SIGNATURE_ECX	0x666f736f
#define MSHV_CPUID_SIGNATURE_EDX	0x76482074
/* Privilege bits in EBX of the features leaf (bits 32.. of the privilege mask). */
#define MSHV_PRIV_CREATE_PARTITIONS	BIT(0)
#define MSHV_PRIV_CPU_MANAGEMENT	BIT(12)
#define MSHV_PRIV_ISOLATION		BIT(22)

enum mshv_partition_kind {
	MSHV_KIND_NONE,		/* no Microsoft Hypervisor underneath */
	MSHV_KIND_GUEST,	/* a hypervisor, but no right to create partitions */
	MSHV_KIND_ROOT,		/* root partition: creates partitions, manages CPUs */
	MSHV_KIND_L1VH,		/* Azure nested: creates partitions, no CPU management */
};

static const char * const mshv_kind_names[] = {
	[MSHV_KIND_NONE] = "no Microsoft Hypervisor",
	[MSHV_KIND_GUEST] = "guest without partition-creation privilege",
	[MSHV_KIND_ROOT] = "root partition",
	[MSHV_KIND_L1VH] = "L1VH partition",
};

static enum mshv_partition_kind mshv_identify_partition(void)
{
	u32 eax, ebx, ecx, edx;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return MSHV_KIND_NONE;

	cpuid(MSHV_CPUID_VENDOR_AND_MAX, &eax, &ebx, &ecx, &edx);
	if (ebx != MSHV_CPUID_SIGNATURE_EBX || ecx != MSHV_CPUID_SIGNATURE_ECX ||
	    edx != MSHV_CPUID_SIGNATURE_EDX || eax < MSHV_CPUID_FEATURES)
		return MSHV_KIND_NONE;

	ebx = cpuid_ebx(MSHV_CPUID_FEATURES);
	if (!(ebx & MSHV_PRIV_CREATE_PARTITIONS) || (ebx & MSHV_PRIV_ISOLATION))
		return MSHV_KIND_GUEST;

	return (ebx & MSHV_PRIV_CPU_MANAGEMENT) ? MSHV_KIND_ROOT : MSHV_KIND_L1VH;
}

static int __init mshv_root_init(void)
{
	enum mshv_partition_kind kind = mshv_identify_partition();

	/*
	 * The real-hypervisor backend and /dev/mshv arrive with the driver
	 * core; until then the module only reports what it found.
	 */
	pr_info("mshv-dkms %s: %s; /dev/mshv not created (no backend yet)\n",
		MSHV_DKMS_VERSION, mshv_kind_names[kind]);
	return 0;
}

static void __exit mshv_root_exit(void)
{
}

module_init(mshv_root_init);
module_exit(mshv_root_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mshv-dkms developers");
MODULE_DESCRIPTION("Microsoft Hypervisor root partition interface (/dev/mshv), DKMS backport");
MODULE_VERSION(MSHV_DKMS_VERSION);
