// SPDX-License-Identifier: GPL-2.0-only
/*
 * mshv_hvsim: module entry, parameters, registration with mshv_root and the
 * hypervisor CPUID leaves.
 *
 * hvsim plays the Microsoft Hypervisor underneath an unchanged mshv_root
 * so that /dev/mshv can be tested in any Linux VM.  It registers itself
 * as mshv_root's backend; on a real MSHV host the real backend is already
 * active and the registration is refused (-EBUSY).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/processor.h>

#include "hv/hv_backend.h"
#include "hvsim.h"

static char *privilege = "root";
module_param(privilege, charp, 0444);
MODULE_PARM_DESC(privilege,
		 "partition privileges presented to mshv_root: root (CPU management) or l1vh");

static char *scheduler = "root";
module_param(scheduler, charp, 0444);
MODULE_PARM_DESC(scheduler,
		 "scheduler type reported by HvGetSystemProperty: root, core, lp or lp_smt");

unsigned int hvsim_create_pages = 1;
module_param_named(create_pages, hvsim_create_pages, uint, 0444);
MODULE_PARM_DESC(create_pages,
		 "pages of the parent's pool each child partition consumes (default 1)");

unsigned int hvsim_init_pages = 16;
module_param_named(init_pages, hvsim_init_pages, uint, 0444);
MODULE_PARM_DESC(init_pages, "pages HvInitializePartition consumes (default 16)");

unsigned int hvsim_vp_pages = 6;
module_param_named(vp_pages, hvsim_vp_pages, uint, 0444);
MODULE_PARM_DESC(vp_pages, "pages HvCreateVp consumes, 4..16 (default 6)");

unsigned int hvsim_slice_insns = 20000;
module_param_named(slice_insns, hvsim_slice_insns, uint, 0444);
MODULE_PARM_DESC(slice_insns,
		 "guest instructions per run slice / per HvDispatchVp (default 20000)");

unsigned int hvsim_build_number = HVSIM_HV_BUILD_NUMBER;
module_param_named(build_number, hvsim_build_number, uint, 0444);
MODULE_PARM_DESC(build_number, "hypervisor build number reported by CPUID (default 27751)");

bool hvsim_unsupported_unrecoverable = true;
module_param_named(unsupported_unrecoverable, hvsim_unsupported_unrecoverable, bool, 0444);
MODULE_PARM_DESC(unsupported_unrecoverable,
		 "an instruction outside the x86 core's subset ends the VP with UNRECOVERABLE_EXCEPTION instead of #UD (default Y)");

static char *sched_signal = "alternate";
module_param(sched_signal, charp, 0444);
MODULE_PARM_DESC(sched_signal,
		 "root-scheduler wake-up message: pair, bitset or alternate (default)");

enum hvsim_sched_signal hvsim_sched_signal;
bool hvsim_root_scheduler;
bool hvsim_l1vh;
static u32 hvsim_scheduler_type;

/* The scheduler type HvGetSystemProperty(SCHEDULER_TYPE) reports. */
u32 hvsim_get_scheduler_type(void)
{
	return hvsim_scheduler_type;
}

void hvsim_host_cpuid(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx, u32 *ecx,
		      u32 *edx)
{
	*eax = leaf;
	*ecx = subleaf;
	__cpuid(eax, ebx, ecx, edx);
}

/*
 * The hypervisor leaves as the root (or L1VH) partition sees them.  The
 * values are those a Hyper-V root reports for the features hvsim models;
 * the privilege mask is what mshv_root checks to decide root vs. L1VH.
 */
void hvsim_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	*eax = 0;
	*ebx = 0;
	*ecx = 0;
	*edx = 0;

	switch (leaf) {
	case HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS:
		*eax = HYPERV_CPUID_NESTED_FEATURES;
		*ebx = HYPERV_CPUID_SIGNATURE_EBX;
		*ecx = HYPERV_CPUID_SIGNATURE_ECX;
		*edx = HYPERV_CPUID_SIGNATURE_EDX;
		break;
	case HYPERV_CPUID_INTERFACE:
		*eax = HYPERV_CPUID_INTERFACE_HV1;
		break;
	case HYPERV_CPUID_VERSION:
		*eax = hvsim_build_number;
		*ebx = (HVSIM_HV_MAJOR << 16) | HVSIM_HV_MINOR;
		break;
	case HYPERV_CPUID_FEATURES:
		*eax = HV_MSR_VP_RUNTIME_AVAILABLE | HV_MSR_TIME_REF_COUNT_AVAILABLE |
		       HV_MSR_SYNIC_AVAILABLE | HV_MSR_SYNTIMER_AVAILABLE |
		       HV_MSR_APIC_ACCESS_AVAILABLE | HV_MSR_HYPERCALL_AVAILABLE |
		       HV_MSR_VP_INDEX_AVAILABLE | HV_MSR_STAT_PAGES_AVAILABLE;
		*ebx = HV_CREATE_PARTITIONS | HV_ACCESS_PARTITION_ID |
		       HV_ACCESS_MEMORY_POOL | HV_POST_MESSAGES | HV_SIGNAL_EVENTS |
		       HV_CREATE_PORT | HV_CONNECT_PORT | HV_ACCESS_STATS;
		if (!hvsim_l1vh) {
			*ebx |= HV_CPU_MANAGEMENT;
			/* the register-page injection fast path is modelled */
			*ecx |= HV_VP_DISPATCH_INTERRUPT_INJECTION_AVAILABLE;
		}
		break;
	case HYPERV_CPUID_ENLIGHTMENT_INFO:
		/*
		 * The SINT interrupt is a plain fixed IPI that the receiver
		 * acknowledges at the local APIC: no auto-EOI.
		 */
		*eax = HV_DEPRECATING_AEOI_RECOMMENDED;
		*ebx = 0xffffffff;	/* never notify long spin waits */
		break;
	case HYPERV_CPUID_IMPLEMENT_LIMITS:
		*eax = HVSIM_MAX_VIRTUAL_PROCESSORS;
		*ebx = HVSIM_MAX_LOGICAL_PROCESSORS;
		break;
	default:
		break;
	}
}

static const struct mshv_backend hvsim_backend = {
	.name = "hvsim",
	.owner = THIS_MODULE,
	.hypercall = hvsim_hypercall,
	.hypercall_fast = hvsim_hypercall_fast,
	.read_msr = hvsim_read_msr,
	.write_msr = hvsim_write_msr,
	.cpuid = hvsim_cpuid,
};

static int hvsim_parse_params(void)
{
	if (!strcmp(privilege, "root"))
		hvsim_l1vh = false;
	else if (!strcmp(privilege, "l1vh"))
		hvsim_l1vh = true;
	else
		return -EINVAL;

	if (!strcmp(scheduler, "root"))
		hvsim_scheduler_type = HV_SCHEDULER_TYPE_ROOT;
	else if (!strcmp(scheduler, "core"))
		hvsim_scheduler_type = HV_SCHEDULER_TYPE_CORE_SMT;
	else if (!strcmp(scheduler, "lp"))
		hvsim_scheduler_type = HV_SCHEDULER_TYPE_LP;
	else if (!strcmp(scheduler, "lp_smt"))
		hvsim_scheduler_type = HV_SCHEDULER_TYPE_LP_SMT;
	else
		return -EINVAL;
	hvsim_root_scheduler = hvsim_scheduler_type == HV_SCHEDULER_TYPE_ROOT;

	if (!strcmp(sched_signal, "alternate"))
		hvsim_sched_signal = HVSIM_SIGNAL_ALTERNATE;
	else if (!strcmp(sched_signal, "pair"))
		hvsim_sched_signal = HVSIM_SIGNAL_PAIR;
	else if (!strcmp(sched_signal, "bitset"))
		hvsim_sched_signal = HVSIM_SIGNAL_BITSET;
	else
		return -EINVAL;

	if (hvsim_vp_pages < 4 || hvsim_vp_pages > 16 || !hvsim_slice_insns)
		return -EINVAL;
	return 0;
}

static int __init hvsim_init(void)
{
	int ret;

	ret = hvsim_parse_params();
	if (ret) {
		pr_err("invalid module parameters\n");
		return ret;
	}

	ret = hvsim_partitions_init();
	if (ret)
		return ret;
	ret = hvsim_synic_init();
	if (ret)
		goto err_partitions;
	ret = hvsim_run_init();
	if (ret)
		goto err_synic;
	hvsim_debugfs_init();

	ret = mshv_backend_register(&hvsim_backend);
	if (ret) {
		pr_err("mshv_root refused the simulator backend (%d)\n", ret);
		goto err_debugfs;
	}
	pr_info("simulated Microsoft Hypervisor: %s privileges, scheduler type %u\n",
		hvsim_l1vh ? "L1VH" : "root", hvsim_scheduler_type);
	return 0;

err_debugfs:
	hvsim_debugfs_exit();
	hvsim_run_exit();
err_synic:
	hvsim_synic_exit();
err_partitions:
	hvsim_partitions_exit();
	return ret;
}

static void __exit hvsim_exit(void)
{
	mshv_backend_unregister(&hvsim_backend);
	hvsim_debugfs_exit();
	hvsim_run_exit();
	hvsim_partitions_exit();
	hvsim_synic_exit();
	pr_info("unloaded\n");
}

module_init(hvsim_init);
module_exit(hvsim_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mshv-dkms developers");
MODULE_DESCRIPTION("Software model of the Microsoft Hypervisor partition interface (test backend for mshv_root)");
