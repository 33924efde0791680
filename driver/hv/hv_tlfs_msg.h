/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SynIC: register formats, SINT assignments, the message / event-flags /
 * event-ring pages, message types and message payloads (intercepts,
 * scheduler signals, async completions).  x86-64 only.
 * Include hv_tlfs.h, not this file.
 */
#ifndef _MSHV_HV_TLFS_MSG_H_
#define _MSHV_HV_TLFS_MSG_H_

#ifndef _MSHV_HV_TLFS_H_
#error "include hv_tlfs.h instead of hv_tlfs_msg.h"
#endif

/* ---------------------------------------------------------------------- */
/* SynIC registers and SINTs                                              */
/* ---------------------------------------------------------------------- */

#define HV_SYNIC_SINT_COUNT		16
#define HV_SYNIC_STIMER_COUNT		4
#define HV_SYNIC_VERSION_1		0x1
#define HV_SYNIC_FIRST_VALID_VECTOR	16

/* SCONTROL */
#define HV_SYNIC_CONTROL_ENABLE		BIT_ULL(0)

/* SIMP, SIEFP, SIRBP: enable bit and the GPA of the page (bits 12-63). */
#define HV_SYNIC_SIMP_ENABLE		BIT_ULL(0)
#define HV_SYNIC_SIEFP_ENABLE		BIT_ULL(0)
#define HV_SYNIC_SIRBP_ENABLE		BIT_ULL(0)
#define HV_SYNIC_PAGE_GPA_MASK		GENMASK_ULL(63, 12)
#define HV_SYNIC_PAGE_PFN_SHIFT		12

/* SINTx */
#define HV_SYNIC_SINT_VECTOR_MASK	GENMASK_ULL(7, 0)
#define HV_SYNIC_SINT_MASKED		BIT_ULL(16)
#define HV_SYNIC_SINT_AUTO_EOI		BIT_ULL(17)
#define HV_SYNIC_SINT_POLLING		BIT_ULL(18)
#define HV_SYNIC_SINT_AS_INTERCEPT	BIT_ULL(19)
#define HV_SYNIC_SINT_PROXY		BIT_ULL(20)

/* Synthetic timer CONFIG */
#define HV_STIMER_CONFIG_ENABLE		BIT_ULL(0)
#define HV_STIMER_CONFIG_PERIODIC	BIT_ULL(1)
#define HV_STIMER_CONFIG_LAZY		BIT_ULL(2)
#define HV_STIMER_CONFIG_AUTO_ENABLE	BIT_ULL(3)
#define HV_STIMER_CONFIG_APIC_VECTOR	GENMASK_ULL(11, 4)
#define HV_STIMER_CONFIG_DIRECT_MODE	BIT_ULL(12)
#define HV_STIMER_CONFIG_SINTX		GENMASK_ULL(19, 16)

/* Statically assigned SINTs. */
#define HV_SYNIC_INTERCEPTION_SINT_INDEX	0x00000000
#define HV_SYNIC_IOMMU_FAULT_SINT_INDEX		0x00000001
#define HV_SYNIC_VMBUS_SINT_INDEX		0x00000002
#define HV_SYNIC_FIRST_UNUSED_SINT_INDEX	0x00000005
/* mshv programs its doorbell SINT with AS_INTERCEPT set. */
#define HV_SYNIC_DOORBELL_SINT_INDEX		HV_SYNIC_FIRST_UNUSED_SINT_INDEX

/* Address of the page a SIMP/SIEFP/SIRBP value points at. */
static inline u64 hv_synic_page_gpa(u64 msr)
{
	return msr & HV_SYNIC_PAGE_GPA_MASK;
}

/* ---------------------------------------------------------------------- */
/* Ports and connections (ids are 24 bits)                                */
/* ---------------------------------------------------------------------- */

#define HV_PORT_ID_MASK			GENMASK(23, 0)
#define HV_CONNECTION_ID_MASK		GENMASK(23, 0)

enum hv_port_type {
	HV_PORT_TYPE_MESSAGE	= 1,
	HV_PORT_TYPE_EVENT	= 2,
	HV_PORT_TYPE_MONITOR	= 3,
	HV_PORT_TYPE_DOORBELL	= 4,	/* root partition only */
};

/* hv_connection_info.doorbell_connection_info.flags */
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK	0x00000007
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY	0x00000000
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE	0x00000001
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD	0x00000002
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD	0x00000003
#define HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD	0x00000004
#define HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE	0x80000000

/* ---------------------------------------------------------------------- */
/* Message types                                                          */
/* ---------------------------------------------------------------------- */

enum hv_message_type {
	HVMSG_NONE				= 0x00000000,

	/* Memory access */
	HVMSG_UNMAPPED_GPA			= 0x80000000,
	HVMSG_GPA_INTERCEPT			= 0x80000001,
	HVMSG_UNACCEPTED_GPA			= 0x80000003,
	HVMSG_GPA_ATTRIBUTE_INTERCEPT		= 0x80000004,

	/* Timer notification */
	HVMSG_TIMER_EXPIRED			= 0x80000010,

	/* Errors */
	HVMSG_INVALID_VP_REGISTER_VALUE		= 0x80000020,
	HVMSG_UNRECOVERABLE_EXCEPTION		= 0x80000021,
	HVMSG_UNSUPPORTED_FEATURE		= 0x80000022,

	/* The real message is in the VP's intercept message page. */
	HVMSG_OPAQUE_INTERCEPT			= 0x8000003F,

	/* Trace buffer complete */
	HVMSG_EVENTLOG_BUFFERCOMPLETE		= 0x80000040,

	/* Hypercall intercept */
	HVMSG_HYPERCALL_INTERCEPT		= 0x80000050,

	/* SynIC intercepts (doorbells arrive as SYNIC_SINT_INTERCEPT) */
	HVMSG_SYNIC_EVENT_INTERCEPT		= 0x80000060,
	HVMSG_SYNIC_SINT_INTERCEPT		= 0x80000061,
	HVMSG_SYNIC_SINT_DELIVERABLE		= 0x80000062,

	/* Async hypercall completion */
	HVMSG_ASYNC_CALL_COMPLETION		= 0x80000070,

	/* Root scheduler */
	HVMSG_SCHEDULER_VP_SIGNAL_BITSET	= 0x80000100,
	HVMSG_SCHEDULER_VP_SIGNAL_PAIR		= 0x80000101,

	/* x64 processor intercepts */
	HVMSG_X64_IO_PORT_INTERCEPT		= 0x80010000,
	HVMSG_X64_MSR_INTERCEPT			= 0x80010001,
	HVMSG_X64_CPUID_INTERCEPT		= 0x80010002,
	HVMSG_X64_EXCEPTION_INTERCEPT		= 0x80010003,
	HVMSG_X64_APIC_EOI			= 0x80010004,
	HVMSG_X64_LEGACY_FP_ERROR		= 0x80010005,
	HVMSG_X64_IOMMU_PRQ			= 0x80010006,
	HVMSG_X64_HALT				= 0x80010007,
	HVMSG_X64_INTERRUPTION_DELIVERABLE	= 0x80010008,
	HVMSG_X64_SIPI_INTERCEPT		= 0x80010009,
	HVMSG_ARM64_RESET_INTERCEPT		= 0x8001000C,
	HVMSG_X64_SEV_VMGEXIT_INTERCEPT		= 0x80010013,
};

/* ---------------------------------------------------------------------- */
/* Messages and SynIC pages                                               */
/* ---------------------------------------------------------------------- */

#define HV_MESSAGE_SIZE			256
#define HV_MESSAGE_PAYLOAD_BYTE_COUNT	240
#define HV_MESSAGE_PAYLOAD_QWORD_COUNT	30

/* hv_message_header.message_flags */
#define HV_MESSAGE_FLAG_MSG_PENDING	BIT(0)

struct hv_message_header {
	u32 message_type;		/* enum hv_message_type */
	u8 payload_size;
	u8 message_flags;		/* HV_MESSAGE_FLAG_* */
	u8 reserved[2];
	union {
		u64 sender;		/* partition id, for intercepts */
		u32 port_id;		/* HV_PORT_ID_MASK */
	};
} __packed;

struct hv_message {
	struct hv_message_header header;
	union {
		u64 payload[HV_MESSAGE_PAYLOAD_QWORD_COUNT];
	} u;
} __packed;

/* SIMP page: one message slot per SINT. */
struct hv_message_page {
	struct hv_message sint_message[HV_SYNIC_SINT_COUNT];
} __packed;

/* SIEFP page: 2048 event flags per SINT. */
#define HV_EVENT_FLAGS_COUNT		(256 * 8)
#define HV_EVENT_FLAGS_BYTE_COUNT	256
#define HV_EVENT_FLAGS32_COUNT		(256 / sizeof(u32))
#define HV_EVENT_FLAGS_UL_COUNT		(256 / sizeof(unsigned long))

union hv_synic_event_flags {
	u8 flags8[HV_EVENT_FLAGS_BYTE_COUNT];
	u32 flags32[HV_EVENT_FLAGS32_COUNT];
	unsigned long flags[HV_EVENT_FLAGS_UL_COUNT];	/* for Linux bitops */
};

struct hv_synic_event_flags_page {
	union hv_synic_event_flags event_flags[HV_SYNIC_SINT_COUNT];
};

/*
 * SIRBP page: one ring of 32-bit port ids per SINT, filled by the
 * hypervisor, drained by the root with a consumer index it keeps itself.
 */
#define HV_SYNIC_EVENT_RING_MESSAGE_COUNT	63

struct hv_synic_event_ring {
	u8 signal_masked;
	u8 ring_full;
	u16 reserved_z;
	u32 data[HV_SYNIC_EVENT_RING_MESSAGE_COUNT];
} __packed;

struct hv_synic_event_ring_page {
	struct hv_synic_event_ring sint_event_ring[HV_SYNIC_SINT_COUNT];
} __packed;

/* ---------------------------------------------------------------------- */
/* Non-intercept payloads                                                 */
/* ---------------------------------------------------------------------- */

/* HVMSG_SYNIC_SINT_INTERCEPT: a SINT with AS_INTERCEPT was signalled. */
struct hv_notification_message_payload {
	u32 sint_index;
} __packed;

/* HVMSG_TIMER_EXPIRED */
struct hv_timer_message_payload {
	u32 timer_index;
	u32 reserved;
	u64 expiration_time;		/* when the timer expired */
	u64 delivery_time;		/* when the message was delivered */
} __packed;

/* HVMSG_ASYNC_CALL_COMPLETION */
struct hv_async_completion_message_payload {
	u64 partition_id;
	u32 status;
	u32 completion_count;
	u64 sub_status;
} __packed;

/* HVMSG_OPAQUE_INTERCEPT: look in this VP's intercept message page. */
struct hv_opaque_intercept_message {
	u32 vp_index;
} __packed;

/* Sparse VP set (HV_GENERIC_SET). */
#define HV_GENERIC_SET_SHIFT		6
#define HV_GENERIC_SET_MASK		63

enum hv_generic_set_format {
	HV_GENERIC_SET_SPARSE_4K	= 0,
	HV_GENERIC_SET_ALL		= 1,
};

#define HV_MAX_SPARSE_VCPU_BANKS	64
#define HV_VCPUS_PER_SPARSE_BANK	64

struct hv_vpset {
	u64 format;			/* enum hv_generic_set_format */
	u64 valid_bank_mask;
	u64 bank_contents[];
} __packed;

/* qwords needed for a sparse set of up to max VPs: 2 header + 1 per bank */
#define HV_GENERIC_SET_QWORD_COUNT(max)	(((((max) - 1) >> 6) + 1) + 2)
#define HV_ROOT_SCHEDULER_MAX_VPS_PER_CHILD_PARTITION	1024
#define HV_SCHEDULER_BITSET_QWORD_COUNT	\
	HV_GENERIC_SET_QWORD_COUNT(HV_ROOT_SCHEDULER_MAX_VPS_PER_CHILD_PARTITION)

/* HVMSG_SCHEDULER_VP_SIGNAL_BITSET: VPs of one partition to kick. */
struct hv_vp_signal_bitset_scheduler_message {
	u64 partition_id;
	u32 overflow_count;
	u16 vp_count;
	u16 reserved;
	union {
		struct {
			u64 format;	/* must be HV_GENERIC_SET_SPARSE_4K */
			u64 valid_bank_mask;
			u64 bank_contents[HV_SCHEDULER_BITSET_QWORD_COUNT - 2];
		} __packed bitset;
		u64 bitset_buffer[HV_SCHEDULER_BITSET_QWORD_COUNT];
	} vp_bitset;
} __packed;

/* HVMSG_SCHEDULER_VP_SIGNAL_PAIR: (partition, vp) pairs to kick. */
#define HV_MESSAGE_MAX_PARTITION_VP_PAIR_COUNT	\
	(HV_MESSAGE_PAYLOAD_BYTE_COUNT / (sizeof(u64) + sizeof(u32)) - 1)

struct hv_vp_signal_pair_scheduler_message {
	u32 overflow_count;
	u8 vp_count;
	u8 reserved1[3];
	u64 partition_ids[HV_MESSAGE_MAX_PARTITION_VP_PAIR_COUNT];
	u32 vp_indexes[HV_MESSAGE_MAX_PARTITION_VP_PAIR_COUNT];
	u8 reserved2[4];
} __packed;

/* ---------------------------------------------------------------------- */
/* x64 intercept messages (payloads, offsets relative to the payload)     */
/* ---------------------------------------------------------------------- */

/* hv_x64_intercept_message_header.intercept_access_type */
#define HV_INTERCEPT_ACCESS_READ		0
#define HV_INTERCEPT_ACCESS_WRITE		1
#define HV_INTERCEPT_ACCESS_EXECUTE		2

/* hv_x64_intercept_message_header.instr_len_cr8 */
#define HV_X64_INTERCEPT_INSTRUCTION_LENGTH	GENMASK(3, 0)
#define HV_X64_INTERCEPT_CR8			GENMASK(7, 4)	/* exo partitions */

/* hv_x64_intercept_message_header.execution_state */
#define HV_X64_VP_EXECUTION_STATE_CPL		GENMASK(1, 0)
#define HV_X64_VP_EXECUTION_STATE_CR0_PE	BIT(2)
#define HV_X64_VP_EXECUTION_STATE_CR0_AM	BIT(3)
#define HV_X64_VP_EXECUTION_STATE_EFER_LMA	BIT(4)
#define HV_X64_VP_EXECUTION_STATE_DEBUG_ACTIVE	BIT(5)
#define HV_X64_VP_EXECUTION_STATE_INTERRUPTION_PENDING	BIT(6)
#define HV_X64_VP_EXECUTION_STATE_VTL		GENMASK(10, 7)
#define HV_X64_VP_EXECUTION_STATE_ENCLAVE_MODE	BIT(11)
#define HV_X64_VP_EXECUTION_STATE_INTERRUPT_SHADOW	BIT(12)
#define HV_X64_VP_EXECUTION_STATE_VIRTUALIZATION_FAULT_ACTIVE	BIT(13)

/* Common header of processor intercepts (40 bytes). */
struct hv_x64_intercept_message_header {
	u32 vp_index;
	u8 instr_len_cr8;		/* HV_X64_INTERCEPT_{INSTRUCTION_LENGTH,CR8} */
	u8 intercept_access_type;	/* HV_INTERCEPT_ACCESS_* */
	u16 execution_state;		/* HV_X64_VP_EXECUTION_STATE_* */
	struct hv_x64_segment_register cs_segment;
	u64 rip;
	u64 rflags;
} __packed;

/* HVMSG_X64_IO_PORT_INTERCEPT */
#define HV_X64_IO_PORT_ACCESS_SIZE		GENMASK(2, 0)
#define HV_X64_IO_PORT_ACCESS_STRING_OP		BIT(3)
#define HV_X64_IO_PORT_ACCESS_REP_PREFIX	BIT(4)

struct hv_x64_io_port_intercept_message {
	struct hv_x64_intercept_message_header header;
	u16 port_number;
	u8 access_info;			/* HV_X64_IO_PORT_ACCESS_* */
	u8 instruction_byte_count;
	u32 reserved;
	u64 rax;
	u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register es_segment;
	u64 rcx;
	u64 rsi;
	u64 rdi;
} __packed;

/* HVMSG_UNMAPPED_GPA, HVMSG_GPA_INTERCEPT, HVMSG_UNACCEPTED_GPA */
#define HV_X64_MEMORY_ACCESS_GVA_VALID		BIT(0)
#define HV_X64_MEMORY_ACCESS_GVA_GPA_VALID	BIT(1)
#define HV_X64_MEMORY_ACCESS_HYPERCALL_OUTPUT_PENDING	BIT(2)
#define HV_X64_MEMORY_ACCESS_TLB_LOCKED_NO_OVERLAY	BIT(3)

struct hv_x64_memory_intercept_message {
	struct hv_x64_intercept_message_header header;
	u32 cache_type;
	u8 instruction_byte_count;
	u8 memory_access_info;		/* HV_X64_MEMORY_ACCESS_* */
	u8 tpr_priority;
	u8 reserved1;
	u64 guest_virtual_address;
	u64 guest_physical_address;
	u8 instruction_bytes[16];
} __packed;

/* HVMSG_X64_CPUID_INTERCEPT */
struct hv_x64_cpuid_intercept_message {
	struct hv_x64_intercept_message_header header;
	u64 rax;
	u64 rcx;
	u64 rdx;
	u64 rbx;
	u64 default_result_rax;
	u64 default_result_rcx;
	u64 default_result_rdx;
	u64 default_result_rbx;
} __packed;

/* HVMSG_X64_MSR_INTERCEPT */
struct hv_x64_msr_intercept_message {
	struct hv_x64_intercept_message_header header;
	u32 msr_number;
	u32 reserved;
	u64 rdx;
	u64 rax;
} __packed;

/* HVMSG_X64_EXCEPTION_INTERCEPT */
#define HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID		BIT(0)
#define HV_X64_EXCEPTION_INFO_SOFTWARE_EXCEPTION	BIT(1)

struct hv_x64_exception_intercept_message {
	struct hv_x64_intercept_message_header header;
	u16 exception_vector;
	u8 exception_info;		/* HV_X64_EXCEPTION_INFO_* */
	u8 instruction_byte_count;
	u32 error_code;
	u64 exception_parameter;
	u64 reserved;
	u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register ss_segment;
	u64 rax;
	u64 rcx;
	u64 rdx;
	u64 rbx;
	u64 rsp;
	u64 rbp;
	u64 rsi;
	u64 rdi;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
} __packed;

/* HVMSG_HYPERCALL_INTERCEPT */
#define HV_HYPERCALL_INTERCEPT_MAX_XMM_REGISTERS	6
#define HV_HYPERCALL_INTERCEPT_ISOLATED			BIT(0)

struct hv_x64_hypercall_intercept_message {
	struct hv_x64_intercept_message_header header;
	u64 rax;
	u64 rbx;
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 rsi;
	u64 rdi;
	struct hv_u128 xmmregisters[HV_HYPERCALL_INTERCEPT_MAX_XMM_REGISTERS];
	u32 flags;			/* HV_HYPERCALL_INTERCEPT_ISOLATED */
} __packed;

/* HVMSG_X64_HALT */
struct hv_x64_halt_message {
	struct hv_x64_intercept_message_header header;
} __packed;

/* HVMSG_UNRECOVERABLE_EXCEPTION */
struct hv_x64_unrecoverable_exception_message {
	struct hv_x64_intercept_message_header header;
} __packed;

/* HVMSG_X64_INTERRUPTION_DELIVERABLE; type is HV_X64_PENDING_{INTERRUPT,NMI,EXCEPTION} */
struct hv_x64_interruption_deliverable_message {
	struct hv_x64_intercept_message_header header;
	u32 deliverable_type;
	u32 rsvd;
} __packed;

/* HVMSG_SYNIC_SINT_DELIVERABLE */
struct hv_x64_sint_deliverable_message {
	struct hv_x64_intercept_message_header header;
	u16 deliverable_sints;		/* bit per SINT */
	u16 rsvd1;
	u32 rsvd2;
} __packed;

/* HVMSG_X64_SIPI_INTERCEPT */
struct hv_x64_sipi_intercept_message {
	struct hv_x64_intercept_message_header header;
	u32 target_vp_index;
	u32 interrupt_vector;
} __packed;

/* HVMSG_X64_APIC_EOI (no common header) */
struct hv_x64_apic_eoi_message {
	u32 vp_index;
	u32 interrupt_vector;
} __packed;

/* HVMSG_INVALID_VP_REGISTER_VALUE (no common header) */
struct hv_x64_invalid_vp_register_message {
	u32 vp_index;
	u32 reserved;
} __packed;

/* HVMSG_UNSUPPORTED_FEATURE (no common header) */
#define HV_UNSUPPORTED_FEATURE_INTERCEPT	1
#define HV_UNSUPPORTED_FEATURE_TASK_SWITCH_TSS	2

struct hv_x64_unsupported_feature_message {
	u32 vp_index;
	u32 feature_code;		/* HV_UNSUPPORTED_FEATURE_* */
	u64 feature_parameter;
} __packed;

/* Register intercept (Microsoft's header; no HVMSG type in upstream). */
#define HV_X64_REGISTER_INTERCEPT_IS_MEMORY_OP	BIT(0)

union hv_x64_register_access_info {
	union hv_register_value source_value;
	u32 destination_register;	/* enum hv_register_name */
	u64 source_address;
	u64 destination_address;
} __packed;

struct hv_x64_register_intercept_message {
	struct hv_x64_intercept_message_header header;
	u8 flags;			/* HV_X64_REGISTER_INTERCEPT_IS_MEMORY_OP */
	u8 reserved8;
	u16 reserved16;
	u32 register_name;		/* enum hv_register_name */
	union hv_x64_register_access_info access_info;
} __packed;

/* HVMSG_GPA_ATTRIBUTE_INTERCEPT (no common header) */
#define HV_GPA_ATTRIBUTE_INTERCEPT_MAX_RANGES	29
#define HV_GPA_ATTRIBUTE_RANGE_COUNT		GENMASK(4, 0)
#define HV_GPA_ATTRIBUTE_ADJUST			BIT(5)
#define HV_GPA_ATTRIBUTE_HOST_VISIBILITY	GENMASK(7, 6)
#define HV_GPA_ATTRIBUTE_MEMORY_TYPE		GENMASK(13, 8)

struct hv_x64_gpa_attribute_intercept_message {
	u32 vp_index;
	u32 flags;			/* HV_GPA_ATTRIBUTE_* */
	u64 ranges[HV_GPA_ATTRIBUTE_INTERCEPT_MAX_RANGES];	/* HV_GPA_PAGE_RANGE */
} __packed;

/* HVMSG_X64_SEV_VMGEXIT_INTERCEPT */
#define HV_X64_VMGEXIT_GHCB_PAGE_VALID		BIT_ULL(0)

struct hv_x64_vmgexit_intercept_message {
	struct hv_x64_intercept_message_header header;
	u64 ghcb_msr;
	u64 flags;			/* HV_X64_VMGEXIT_GHCB_PAGE_VALID */
	u32 ghcb_usage;
	u32 reserved_ghcb_page;
	u16 ghcb_protocol_version;
	u16 reserved_st[3];
	u64 sw_exit_code;
	u64 sw_exit_info1;
	u64 sw_exit_info2;
	u64 sw_scratch;
} __packed;

#endif /* _MSHV_HV_TLFS_MSG_H_ */
