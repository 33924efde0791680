/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Microsoft Hypervisor interface definitions (TLFS and the parent-partition
 * interface used by /dev/mshv), shared by mshv_root and mshv_hvsim.
 *
 * Names and numbers follow upstream Linux 7.2 (include/hyperv/hv*.h) and,
 * for what upstream does not carry, Microsoft's headers as published by
 * rust-vmm/mshv.  The layout is x86-64 and little-endian.  Every structure
 * is __packed; sub-byte fields are described by GENMASK()/BIT() masks on
 * whole integers (use FIELD_GET()/FIELD_PREP()), never by C bitfields.
 * hv_layout_check.c pins every size and every documented offset.
 *
 * This file is the only one to include; it pulls in the topic headers:
 *   hv_tlfs_partition.h  partition flags, features, properties, system
 *   hv_tlfs_regs.h       register names and register value formats
 *   hv_tlfs_msg.h        SynIC registers/pages, messages, intercepts
 *   hv_tlfs_hvcall.h     hypercall input/output structures, batch limits
 */
#ifndef _MSHV_HV_TLFS_H_
#define _MSHV_HV_TLFS_H_

/*
 * Kernels before 7.2 define many of the same names (with other layouts) in
 * their own Hyper-V headers; the two sets must never meet in one file.
 * Worst case: up to 6.13, x86's HV_REGISTER_SINT0/SIMP/VP_INDEX/... are the
 * MSR numbers (0x400000xx), here they are hypercall register names.
 */
#if defined(_ASM_X86_HYPERV_TLFS_H) || defined(_ASM_GENERIC_HYPERV_TLFS_H) || \
	defined(_ASM_X86_MSHYPER_H) || defined(_ASM_GENERIC_MSHYPERV_H) || \
	defined(_HYPERV_H) || defined(_HV_HVGDK_MINI_H) || defined(_HV_HVGDK_H) || \
	defined(_HV_HVHDK_MINI_H) || defined(_HV_HVHDK_H)
#error "hv_tlfs.h clashes with the kernel's Hyper-V headers; do not include both in one file"
#endif

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/compiler.h>

/* ---------------------------------------------------------------------- */
/* Basic types, page sizes, well-known identifiers                        */
/* ---------------------------------------------------------------------- */

/* 128-bit value as the hypervisor stores it: low quadword first. */
struct hv_u128 {
	u64 low_part;
	u64 high_part;
} __packed;

/* The hypervisor's page size; independent of the kernel's PAGE_SIZE. */
#define HV_HYP_PAGE_SHIFT		12
#define HV_HYP_PAGE_SIZE		BIT(HV_HYP_PAGE_SHIFT)
#define HV_HYP_PAGE_MASK		(~((u64)HV_HYP_PAGE_SIZE - 1))
#define HV_HYP_LARGE_PAGE_SHIFT		21
#define HV_HYP_LARGE_PAGE_SIZE		BIT(HV_HYP_LARGE_PAGE_SHIFT)
/* Number of 4 KiB pages in one 2 MiB "large page". */
#define HV_HYP_PAGES_PER_LARGE_PAGE	(HV_HYP_LARGE_PAGE_SIZE / HV_HYP_PAGE_SIZE)

/* The reference counter and reference TSC tick every 100 ns. */
#define HV_CLOCK_HZ			10000000ULL

#define HV_PARTITION_ID_INVALID		((u64)0)
#define HV_PARTITION_ID_SELF		((u64)-1)

#define HV_MAXIMUM_PROCESSORS		2048
#define HV_MAX_VP_INDEX			(HV_MAXIMUM_PROCESSORS - 1)
#define HV_VP_INDEX_SELF		((u32)-2)
#define HV_ANY_VP			((u32)-1)

/* Virtual trust levels; input_vtl bytes use the HV_INPUT_VTL_* masks. */
#define HV_NORMAL_VTL			0
#define HV_INPUT_VTL_TARGET_VTL		GENMASK(3, 0)
#define HV_INPUT_VTL_USE_TARGET_VTL	BIT(4)

/* Largest block the hypervisor asks for after INSUFFICIENT_CONTIGUOUS_*. */
#define HV_MAX_CONTIGUOUS_ALLOCATION_PAGES	8

/* ---------------------------------------------------------------------- */
/* Hypercall codes (HV_CALL_CODE)                                         */
/* ---------------------------------------------------------------------- */

/* Guest enlightenments (listed so names and numbers are reserved). */
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE		0x0002
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST		0x0003
#define HVCALL_NOTIFY_LONG_SPIN_WAIT			0x0008
#define HVCALL_SEND_IPI					0x000b
#define HVCALL_ENABLE_VP_VTL				0x000f
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_SPACE_EX		0x0013
#define HVCALL_FLUSH_VIRTUAL_ADDRESS_LIST_EX		0x0014
#define HVCALL_SEND_IPI_EX				0x0015

/* Partition management. */
#define HVCALL_CREATE_PARTITION				0x0040
#define HVCALL_INITIALIZE_PARTITION			0x0041
#define HVCALL_FINALIZE_PARTITION			0x0042
#define HVCALL_DELETE_PARTITION				0x0043
#define HVCALL_GET_PARTITION_PROPERTY			0x0044
#define HVCALL_SET_PARTITION_PROPERTY			0x0045
#define HVCALL_GET_PARTITION_ID				0x0046
#define HVCALL_DEPOSIT_MEMORY				0x0048
#define HVCALL_WITHDRAW_MEMORY				0x0049
#define HVCALL_MAP_GPA_PAGES				0x004b
#define HVCALL_UNMAP_GPA_PAGES				0x004c
#define HVCALL_INSTALL_INTERCEPT			0x004d
#define HVCALL_CREATE_VP				0x004e
#define HVCALL_DELETE_VP				0x004f
#define HVCALL_GET_VP_REGISTERS				0x0050
#define HVCALL_SET_VP_REGISTERS				0x0051
#define HVCALL_TRANSLATE_VIRTUAL_ADDRESS		0x0052
#define HVCALL_READ_GPA					0x0053
#define HVCALL_WRITE_GPA				0x0054
#define HVCALL_CLEAR_VIRTUAL_INTERRUPT			0x0056
#define HVCALL_DELETE_PORT				0x0058
#define HVCALL_DISCONNECT_PORT				0x005b
#define HVCALL_POST_MESSAGE				0x005c
#define HVCALL_SIGNAL_EVENT				0x005d
#define HVCALL_POST_DEBUG_DATA				0x0069
#define HVCALL_RETRIEVE_DEBUG_DATA			0x006a
#define HVCALL_RESET_DEBUG_SESSION			0x006b
#define HVCALL_MAP_STATS_PAGE				0x006c
#define HVCALL_UNMAP_STATS_PAGE				0x006d
#define HVCALL_SET_SYSTEM_PROPERTY			0x006f
#define HVCALL_ADD_LOGICAL_PROCESSOR			0x0076
#define HVCALL_GET_SYSTEM_PROPERTY			0x007b
#define HVCALL_MAP_DEVICE_INTERRUPT			0x007c
#define HVCALL_UNMAP_DEVICE_INTERRUPT			0x007d
#define HVCALL_RETARGET_INTERRUPT			0x007e
#define HVCALL_ENTER_SLEEP_STATE			0x0084
#define HVCALL_NOTIFY_PARTITION_EVENT			0x0087
#define HVCALL_NOTIFY_PORT_RING_EMPTY			0x008b
#define HVCALL_SCRUB_PARTITION				0x008d
#define HVCALL_REGISTER_INTERCEPT_RESULT		0x0091
#define HVCALL_ASSERT_VIRTUAL_INTERRUPT			0x0094
#define HVCALL_CREATE_PORT				0x0095
#define HVCALL_CONNECT_PORT				0x0096
#define HVCALL_START_VP					0x0099
#define HVCALL_GET_VP_INDEX_FROM_APIC_ID		0x009a
#define HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_SPACE	0x00af
#define HVCALL_FLUSH_GUEST_PHYSICAL_ADDRESS_LIST	0x00b0
#define HVCALL_SIGNAL_EVENT_DIRECT			0x00c0
#define HVCALL_POST_MESSAGE_DIRECT			0x00c1
#define HVCALL_DISPATCH_VP				0x00c2
#define HVCALL_GET_GPA_PAGES_ACCESS_STATES		0x00c9
#define HVCALL_ACQUIRE_SPARSE_SPA_PAGE_HOST_ACCESS	0x00d7
#define HVCALL_RELEASE_SPARSE_SPA_PAGE_HOST_ACCESS	0x00d8
#define HVCALL_MODIFY_SPARSE_GPA_PAGE_HOST_VISIBILITY	0x00db
#define HVCALL_MAP_VP_STATE_PAGE			0x00e1
#define HVCALL_UNMAP_VP_STATE_PAGE			0x00e2
#define HVCALL_GET_VP_STATE				0x00e3
#define HVCALL_SET_VP_STATE				0x00e4
#define HVCALL_IMPORT_ISOLATED_PAGES			0x00ef
#define HVCALL_COMPLETE_ISOLATED_IMPORT			0x00f1
#define HVCALL_ISSUE_SNP_PSP_GUEST_REQUEST		0x00f2
#define HVCALL_GET_VP_CPUID_VALUES			0x00f4
#define HVCALL_GET_PARTITION_PROPERTY_EX		0x0101
#define HVCALL_MMIO_READ				0x0106
#define HVCALL_MMIO_WRITE				0x0107
#define HVCALL_MAP_STATS_PAGE2				0x0131

/* ---------------------------------------------------------------------- */
/* Hypercall status codes (HV_STATUS); errno and names in hv_status.c     */
/* ---------------------------------------------------------------------- */

#define HV_STATUS_SUCCESS				0x0
#define HV_STATUS_INVALID_HYPERCALL_CODE		0x2
#define HV_STATUS_INVALID_HYPERCALL_INPUT		0x3
#define HV_STATUS_INVALID_ALIGNMENT			0x4
#define HV_STATUS_INVALID_PARAMETER			0x5
#define HV_STATUS_ACCESS_DENIED				0x6
#define HV_STATUS_INVALID_PARTITION_STATE		0x7
#define HV_STATUS_OPERATION_DENIED			0x8
#define HV_STATUS_UNKNOWN_PROPERTY			0x9
#define HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE		0xA
#define HV_STATUS_INSUFFICIENT_MEMORY			0xB
#define HV_STATUS_INVALID_PARTITION_ID			0xD
#define HV_STATUS_INVALID_VP_INDEX			0xE
#define HV_STATUS_NOT_FOUND				0x10
#define HV_STATUS_INVALID_PORT_ID			0x11
#define HV_STATUS_INVALID_CONNECTION_ID			0x12
#define HV_STATUS_INSUFFICIENT_BUFFERS			0x13
#define HV_STATUS_NOT_ACKNOWLEDGED			0x14
#define HV_STATUS_INVALID_VP_STATE			0x15
#define HV_STATUS_NO_RESOURCES				0x1D
#define HV_STATUS_PROCESSOR_FEATURE_NOT_SUPPORTED	0x20
#define HV_STATUS_INVALID_LP_INDEX			0x41
#define HV_STATUS_INVALID_REGISTER_VALUE		0x50
#define HV_STATUS_OPERATION_FAILED			0x71
#define HV_STATUS_INSUFFICIENT_ROOT_MEMORY		0x73
#define HV_STATUS_INSUFFICIENT_CONTIGUOUS_MEMORY	0x75
#define HV_STATUS_TIME_OUT				0x78
#define HV_STATUS_CALL_PENDING				0x79
#define HV_STATUS_INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY	0x83
#define HV_STATUS_VTL_ALREADY_ENABLED			0x86

/* ---------------------------------------------------------------------- */
/* Hypercall control word (RCX) and result word (RAX)                     */
/* ---------------------------------------------------------------------- */

#define HV_HYPERCALL_CODE_MASK		GENMASK_ULL(15, 0)
#define HV_HYPERCALL_FAST_BIT		BIT_ULL(16)
#define HV_HYPERCALL_VARHEAD_OFFSET	17
#define HV_HYPERCALL_VARHEAD_MASK	GENMASK_ULL(26, 17)
#define HV_HYPERCALL_RSVD0_MASK		GENMASK_ULL(31, 27)
#define HV_HYPERCALL_NESTED		BIT_ULL(31)
#define HV_HYPERCALL_REP_COMP_OFFSET	32
#define HV_HYPERCALL_REP_COMP_1		BIT_ULL(32)
#define HV_HYPERCALL_REP_COMP_MASK	GENMASK_ULL(43, 32)
#define HV_HYPERCALL_RSVD1_MASK		GENMASK_ULL(47, 44)
#define HV_HYPERCALL_REP_START_OFFSET	48
#define HV_HYPERCALL_REP_START_MASK	GENMASK_ULL(59, 48)
#define HV_HYPERCALL_RSVD2_MASK		GENMASK_ULL(63, 60)
#define HV_HYPERCALL_RSVD_MASK		(HV_HYPERCALL_RSVD0_MASK | \
					 HV_HYPERCALL_RSVD1_MASK | \
					 HV_HYPERCALL_RSVD2_MASK)
/*
 * Upstream's RSVD0 (and so RSVD_MASK) still covers bit 31, which has been
 * the nested bit since nested hypercalls; what a caller must leave zero:
 */
#define HV_HYPERCALL_RSVDZ_MASK		(HV_HYPERCALL_RSVD_MASK & ~HV_HYPERCALL_NESTED)

/* In the result word the status is bits 0-15, reps completed bits 32-43. */
#define HV_HYPERCALL_RESULT_MASK	GENMASK_ULL(15, 0)

/* Largest rep count / rep start / variable header (8-byte units). */
#define HV_HYPERCALL_REP_MAX		0xfff
#define HV_HYPERCALL_VARHEAD_MAX	0x3ff

/*
 * Build a control word.  reps == 0 means "not a rep call"; varhead is the
 * size of the variable header in 8-byte units.  Out-of-range values are
 * truncated to their field, as the hardware would see them.
 */
static inline u64 hv_hypercall_control(u16 code, u16 reps, u16 rep_start,
				       u16 varhead, bool fast)
{
	u64 ctl = code;

	if (fast)
		ctl |= HV_HYPERCALL_FAST_BIT;
	ctl |= ((u64)varhead << HV_HYPERCALL_VARHEAD_OFFSET) & HV_HYPERCALL_VARHEAD_MASK;
	ctl |= ((u64)reps << HV_HYPERCALL_REP_COMP_OFFSET) & HV_HYPERCALL_REP_COMP_MASK;
	ctl |= ((u64)rep_start << HV_HYPERCALL_REP_START_OFFSET) & HV_HYPERCALL_REP_START_MASK;
	return ctl;
}

/* Decoders for a control word, for the simulator's dispatcher. */
static inline u16 hv_hypercall_code(u64 control)
{
	return control & HV_HYPERCALL_CODE_MASK;
}

static inline bool hv_hypercall_is_fast(u64 control)
{
	return control & HV_HYPERCALL_FAST_BIT;
}

static inline bool hv_hypercall_is_nested(u64 control)
{
	return control & HV_HYPERCALL_NESTED;
}

static inline u16 hv_hypercall_varhead(u64 control)
{
	return (control & HV_HYPERCALL_VARHEAD_MASK) >> HV_HYPERCALL_VARHEAD_OFFSET;
}

static inline u16 hv_hypercall_rep_count(u64 control)
{
	return (control & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_OFFSET;
}

static inline u16 hv_hypercall_rep_start(u64 control)
{
	return (control & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_OFFSET;
}

/* Status (low 16 bits) of a hypercall result. */
static inline u16 hv_result_status(u64 result)
{
	return result & HV_HYPERCALL_RESULT_MASK;
}

/* Reps completed, valid for rep calls on success and on failure. */
static inline u16 hv_result_reps(u64 result)
{
	return (result & HV_HYPERCALL_REP_COMP_MASK) >> HV_HYPERCALL_REP_COMP_OFFSET;
}

/* Compose a result word (what the simulator returns in RAX). */
static inline u64 hv_make_result(u16 status, u16 reps)
{
	return status | (((u64)reps << HV_HYPERCALL_REP_COMP_OFFSET) &
			 HV_HYPERCALL_REP_COMP_MASK);
}

/* Upstream-style spellings of the same helpers. */
static inline u64 hv_result(u64 result)
{
	return result & HV_HYPERCALL_RESULT_MASK;
}

static inline bool hv_result_success(u64 result)
{
	return hv_result(result) == HV_STATUS_SUCCESS;
}

static inline u64 hv_repcomp(u64 result)
{
	return hv_result_reps(result);
}

/* ---------------------------------------------------------------------- */
/* CPUID leaves 0x40000000-0x4000000C                                     */
/* ---------------------------------------------------------------------- */

#define HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS	0x40000000
#define HYPERV_CPUID_INTERFACE			0x40000001
#define HYPERV_CPUID_VERSION			0x40000002
#define HYPERV_CPUID_FEATURES			0x40000003
#define HYPERV_CPUID_ENLIGHTMENT_INFO		0x40000004
#define HYPERV_CPUID_IMPLEMENT_LIMITS		0x40000005
#define HYPERV_CPUID_HARDWARE_FEATURES		0x40000006
#define HYPERV_CPUID_CPU_MANAGEMENT_FEATURES	0x40000007
#define HYPERV_CPUID_NESTED_FEATURES		0x4000000A
#define HYPERV_CPUID_ISOLATION_CONFIG		0x4000000C

#define HYPERV_CPUID_MIN			0x40000005
#define HYPERV_CPUID_MAX			0x4000ffff
#define HYPERV_HYPERVISOR_PRESENT_BIT		0x80000000	/* CPUID 1, ECX bit 31 */

/* 0x40000000 EBX:ECX:EDX spell "Microsoft Hv". */
#define HYPERV_CPUID_SIGNATURE_EBX		0x7263694d
#define HYPERV_CPUID_SIGNATURE_ECX		0x666f736f
#define HYPERV_CPUID_SIGNATURE_EDX		0x76482074
/* 0x40000001 EAX: "Hv#1". */
#define HYPERV_CPUID_INTERFACE_HV1		0x31237648

/*
 * 0x40000003 EAX and EBX: the partition privilege mask (also the value of
 * HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS: EAX is bits 0-31, EBX bits 32-63).
 */
/* EAX */
#define HV_MSR_VP_RUNTIME_AVAILABLE		BIT(0)
#define HV_MSR_TIME_REF_COUNT_AVAILABLE		BIT(1)
#define HV_MSR_SYNIC_AVAILABLE			BIT(2)
#define HV_MSR_SYNTIMER_AVAILABLE		BIT(3)
#define HV_MSR_APIC_ACCESS_AVAILABLE		BIT(4)
#define HV_MSR_HYPERCALL_AVAILABLE		BIT(5)
#define HV_MSR_VP_INDEX_AVAILABLE		BIT(6)
#define HV_MSR_RESET_AVAILABLE			BIT(7)
#define HV_MSR_STAT_PAGES_AVAILABLE		BIT(8)
#define HV_MSR_REFERENCE_TSC_AVAILABLE		BIT(9)
#define HV_MSR_GUEST_IDLE_AVAILABLE		BIT(10)
#define HV_ACCESS_FREQUENCY_MSRS		BIT(11)
#define HV_ACCESS_REENLIGHTENMENT		BIT(13)
#define HV_ACCESS_TSC_INVARIANT			BIT(15)
/* EBX */
#define HV_CREATE_PARTITIONS			BIT(0)
#define HV_ACCESS_PARTITION_ID			BIT(1)
#define HV_ACCESS_MEMORY_POOL			BIT(2)
#define HV_ADJUST_MESSAGE_BUFFERS		BIT(3)
#define HV_POST_MESSAGES			BIT(4)
#define HV_SIGNAL_EVENTS			BIT(5)
#define HV_CREATE_PORT				BIT(6)
#define HV_CONNECT_PORT				BIT(7)
#define HV_ACCESS_STATS				BIT(8)
#define HV_DEBUGGING				BIT(11)
#define HV_CPU_MANAGEMENT			BIT(12)
#define HV_ENABLE_EXTENDED_HYPERCALLS		BIT(20)
#define HV_ISOLATION				BIT(22)
/* ECX (upstream: ms_hyperv.ext_features) */
#define HV_VP_DISPATCH_INTERRUPT_INJECTION_AVAILABLE	BIT(9)
#define HV_VP_GHCB_ROOT_MAPPING_AVAILABLE		BIT(10)
/* EDX */
#define HV_X64_MWAIT_AVAILABLE			BIT(0)
#define HV_X64_GUEST_DEBUGGING_AVAILABLE	BIT(1)
#define HV_X64_PERF_MONITOR_AVAILABLE		BIT(2)
#define HV_X64_CPU_DYNAMIC_PARTITIONING_AVAILABLE	BIT(3)
#define HV_X64_HYPERCALL_XMM_INPUT_AVAILABLE	BIT(4)
#define HV_X64_GUEST_IDLE_STATE_AVAILABLE	BIT(5)
#define HV_FEATURE_FREQUENCY_MSRS_AVAILABLE	BIT(8)
#define HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE	BIT(10)
#define HV_FEATURE_DEBUG_MSRS_AVAILABLE		BIT(11)
#define HV_FEATURE_EXT_GVA_RANGES_FLUSH		BIT(14)
#define HV_X64_HYPERCALL_XMM_OUTPUT_AVAILABLE	BIT(15)
#define HV_STIMER_DIRECT_MODE_AVAILABLE		BIT(19)

/* 0x40000004 EAX: implementation recommendations. */
#define HV_X64_AS_SWITCH_RECOMMENDED		BIT(0)
#define HV_X64_LOCAL_TLB_FLUSH_RECOMMENDED	BIT(1)
#define HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED	BIT(2)
#define HV_X64_APIC_ACCESS_RECOMMENDED		BIT(3)
#define HV_X64_SYSTEM_RESET_RECOMMENDED		BIT(4)
#define HV_X64_RELAXED_TIMING_RECOMMENDED	BIT(5)
#define HV_DEPRECATING_AEOI_RECOMMENDED		BIT(9)
#define HV_X64_CLUSTER_IPI_RECOMMENDED		BIT(10)
#define HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED	BIT(11)
#define HV_X64_HYPERV_NESTED			BIT(12)
#define HV_X64_ENLIGHTENED_VMCS_RECOMMENDED	BIT(14)
#define HV_X64_USE_MMIO_HYPERCALLS		BIT(21)

/* 0x40000007 EAX: CPU management features. */
#define HV_X64_START_LOGICAL_PROCESSOR		BIT(0)
#define HV_X64_CREATE_ROOT_VIRTUAL_PROCESSOR	BIT(1)
#define HV_X64_PERFORMANCE_COUNTER_SYNC		BIT(2)
#define HV_X64_RESERVED_IDENTITY_BIT		BIT(31)

/* 0x4000000C: isolation configuration. */
#define HV_PARAVISOR_PRESENT			BIT(0)		/* EAX */
#define HV_ISOLATION_TYPE			GENMASK(3, 0)	/* EBX */
#define HV_SHARED_GPA_BOUNDARY_ACTIVE		BIT(5)		/* EBX */
#define HV_SHARED_GPA_BOUNDARY_BITS		GENMASK(11, 6)	/* EBX */

/* 0x40000002 EAX: hypervisor build number; EBX major (31:16) / minor (15:0). */
#define HV_VERSION_MAJOR			GENMASK(31, 16)
#define HV_VERSION_MINOR			GENMASK(15, 0)

/* ---------------------------------------------------------------------- */
/* Synthetic MSRs (x86)                                                   */
/* ---------------------------------------------------------------------- */

#define HV_X64_MSR_GUEST_OS_ID			0x40000000
#define HV_X64_MSR_HYPERCALL			0x40000001
#define HV_X64_MSR_VP_INDEX			0x40000002
#define HV_X64_MSR_RESET			0x40000003
#define HV_X64_MSR_VP_RUNTIME			0x40000010
#define HV_X64_MSR_TIME_REF_COUNT		0x40000020
#define HV_X64_MSR_REFERENCE_TSC		0x40000021
#define HV_X64_MSR_TSC_FREQUENCY		0x40000022
#define HV_X64_MSR_APIC_FREQUENCY		0x40000023
#define HV_X64_MSR_EOI				0x40000070
#define HV_X64_MSR_ICR				0x40000071
#define HV_X64_MSR_TPR				0x40000072
#define HV_X64_MSR_VP_ASSIST_PAGE		0x40000073

/* SynIC MSRs; formats in hv_tlfs_msg.h. */
#define HV_X64_MSR_SCONTROL			0x40000080
#define HV_X64_MSR_SVERSION			0x40000081
#define HV_X64_MSR_SIEFP			0x40000082
#define HV_X64_MSR_SIMP				0x40000083
#define HV_X64_MSR_EOM				0x40000084
#define HV_X64_MSR_SIRBP			0x40000085
#define HV_X64_MSR_SINT0			0x40000090
#define HV_X64_MSR_SINT15			0x4000009F
#define HV_X64_MSR_SINT(n)			(HV_X64_MSR_SINT0 + (n))

/* Same registers as seen by an L1 hypervisor running nested. */
#define HV_X64_MSR_NESTED_SCONTROL		0x40001080
#define HV_X64_MSR_NESTED_SVERSION		0x40001081
#define HV_X64_MSR_NESTED_SIEFP			0x40001082
#define HV_X64_MSR_NESTED_SIMP			0x40001083
#define HV_X64_MSR_NESTED_EOM			0x40001084
#define HV_X64_MSR_NESTED_SINT0			0x40001090

/* Synthetic timers: four per VP, CONFIG and COUNT interleaved. */
#define HV_X64_MSR_STIMER0_CONFIG		0x400000B0
#define HV_X64_MSR_STIMER0_COUNT		0x400000B1
#define HV_X64_MSR_STIMER_CONFIG(n)		(HV_X64_MSR_STIMER0_CONFIG + 2 * (n))
#define HV_X64_MSR_STIMER_COUNT(n)		(HV_X64_MSR_STIMER0_COUNT + 2 * (n))

#define HV_X64_MSR_GUEST_IDLE			0x400000F0
#define HV_X64_MSR_CRASH_P0			0x40000100
#define HV_X64_MSR_CRASH_P4			0x40000104
#define HV_X64_MSR_CRASH_CTL			0x40000105
#define HV_X64_MSR_REENLIGHTENMENT_CONTROL	0x40000106
#define HV_X64_MSR_TSC_EMULATION_CONTROL	0x40000107
#define HV_X64_MSR_TSC_EMULATION_STATUS		0x40000108
#define HV_X64_MSR_TSC_INVARIANT_CONTROL	0x40000118

/* HV_X64_MSR_HYPERCALL, HV_X64_MSR_VP_ASSIST_PAGE, HV_X64_MSR_REFERENCE_TSC */
#define HV_X64_MSR_HYPERCALL_ENABLE		BIT_ULL(0)
#define HV_X64_MSR_VP_ASSIST_PAGE_ENABLE	BIT_ULL(0)
#define HV_X64_MSR_TSC_REFERENCE_ENABLE		BIT_ULL(0)
#define HV_X64_MSR_PAGE_ADDRESS_SHIFT		12
#define HV_X64_MSR_PAGE_ADDRESS_MASK		GENMASK_ULL(63, 12)

/* HV_X64_MSR_CRASH_CTL */
#define HV_CRASH_CTL_CRASH_NOTIFY_MSG		BIT_ULL(62)
#define HV_CRASH_CTL_CRASH_NOTIFY		BIT_ULL(63)

/* ---------------------------------------------------------------------- */

#include "hv_tlfs_partition.h"
#include "hv_tlfs_regs.h"
#include "hv_tlfs_msg.h"
#include "hv_tlfs_hvcall.h"

/*
 * Compile-time layout checks (hv_layout_check.c).  Call once from module
 * init; the body is empty at run time.
 */
void hv_tlfs_check_layout(void);

#endif /* _MSHV_HV_TLFS_H_ */
