/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The part of the Hyper-V TLFS that a /dev/mshv client needs and that the
 * uapi header does not carry: the 256-byte hv_message returned by
 * MSHV_RUN_VP and the x86 intercept payloads inside it, register names,
 * hypercall codes and inputs for MSHV_ROOT_HVCALL, hypervisor status codes.
 *
 * Values and layouts follow the hypervisor's ABI (upstream-abi.md sections
 * 2.4, 2.5, 3.2, 3.3, 4.3-4.5).  All structures are packed little-endian.
 */
#ifndef MSHV_USER_HVDEF_H
#define MSHV_USER_HVDEF_H

#include <linux/types.h>

/* Hypervisor structures are packed (no padding, byte alignment). */
#pragma pack(push, 1)

#define HV_PAGE_SIZE			4096
#define HV_PARTITION_ID_SELF		((__u64)-1)

/* ---- hypervisor status (low 16 bits of a hypercall result) ---- */
#define HV_STATUS_SUCCESS			0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE	0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT	0x0003
#define HV_STATUS_INVALID_ALIGNMENT		0x0004
#define HV_STATUS_INVALID_PARAMETER		0x0005
#define HV_STATUS_ACCESS_DENIED			0x0006
#define HV_STATUS_INVALID_PARTITION_STATE	0x0007
#define HV_STATUS_OPERATION_DENIED		0x0008
#define HV_STATUS_UNKNOWN_PROPERTY		0x0009
#define HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE	0x000A
#define HV_STATUS_INSUFFICIENT_MEMORY		0x000B
#define HV_STATUS_INVALID_PARTITION_ID		0x000D
#define HV_STATUS_INVALID_VP_INDEX		0x000E
#define HV_STATUS_NOT_FOUND			0x0010
#define HV_STATUS_INVALID_VP_STATE		0x0015
#define HV_STATUS_INVALID_REGISTER_VALUE	0x0050

/* ---- hypercall codes ---- */
#define HVCALL_GET_PARTITION_PROPERTY		0x0044
#define HVCALL_SET_PARTITION_PROPERTY		0x0045
#define HVCALL_INSTALL_INTERCEPT		0x004D
#define HVCALL_GET_VP_REGISTERS			0x0050
#define HVCALL_SET_VP_REGISTERS			0x0051
#define HVCALL_TRANSLATE_VIRTUAL_ADDRESS	0x0052
#define HVCALL_CLEAR_VIRTUAL_INTERRUPT		0x0056
#define HVCALL_REGISTER_INTERCEPT_RESULT	0x0091
#define HVCALL_ASSERT_VIRTUAL_INTERRUPT		0x0094
#define HVCALL_SIGNAL_EVENT_DIRECT		0x00C0
#define HVCALL_POST_MESSAGE_DIRECT		0x00C1
#define HVCALL_GET_GPA_PAGES_ACCESS_STATES	0x00C9
#define HVCALL_GET_VP_CPUID_VALUES		0x00F4
#define HVCALL_GET_PARTITION_PROPERTY_EX	0x0101

/* ---- partition properties ---- */
#define HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS		0x00010000
#define HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES	0x00010001
#define HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION	0x00050017
#define HV_PARTITION_PROPERTY_PROCESSOR_VENDOR		0x00060000
#define HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0	0x0006000A
#define HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1	0x0006000B

/* ---- HvInstallIntercept ---- */
#define HV_INTERCEPT_ACCESS_MASK_READ		0x1
#define HV_INTERCEPT_ACCESS_MASK_WRITE		0x2
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE	0x4

#define HV_INTERCEPT_TYPE_X64_IO_PORT		0
#define HV_INTERCEPT_TYPE_X64_MSR		1
#define HV_INTERCEPT_TYPE_X64_CPUID		2
#define HV_INTERCEPT_TYPE_EXCEPTION		3
#define HV_INTERCEPT_TYPE_MMIO			5
#define HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID	6
#define HV_INTERCEPT_TYPE_HYPERCALL		8
#define HV_INTERCEPT_TYPE_X64_MSR_INDEX		0xC

struct hv_input_install_intercept {
	__u64 partition_id;
	__u32 access_type;
	__u32 intercept_type;
	__u64 parameter;
};

/* ---- HvGet/SetPartitionProperty ---- */
struct hv_input_get_partition_property {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
};

struct hv_input_set_partition_property {
	__u64 partition_id;
	__u32 property_code;
	__u32 padding;
	__u64 property_value;
};

/* ---- registers ---- */
struct hv_x64_segment_register {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u16 attributes;	/* 0-3 type, 4 S, 5-6 DPL, 7 P, 12 AVL, 13 L, 14 D/B, 15 G */
};

struct hv_x64_table_register {
	__u16 pad[3];
	__u16 limit;
	__u64 base;
};

union hv_register_value {
	__u64 reg64;
	__u32 reg32;
	__u16 reg16;
	__u8 reg8;
	__u64 reg128[2];
	struct hv_x64_segment_register segment;
	struct hv_x64_table_register table;
};

struct hv_input_get_vp_registers {
	__u64 partition_id;
	__u32 vp_index;
	__u8 input_vtl;
	__u8 rsvd8;
	__u16 rsvd16;
	__u32 names[];
};

struct hv_register_assoc {
	__u32 name;
	__u32 reserved1;
	__u64 reserved2;
	union hv_register_value value;
};

struct hv_input_set_vp_registers {
	__u64 partition_id;
	__u32 vp_index;
	__u8 input_vtl;
	__u8 rsvd8;
	__u16 rsvd16;
	struct hv_register_assoc elements[];
};

#define HV_REGISTER_EXPLICIT_SUSPEND	0x00000000
#define HV_REGISTER_INTERCEPT_SUSPEND	0x00000001
#define HV_REGISTER_DISPATCH_SUSPEND	0x00000003
#define HV_REGISTER_PENDING_INTERRUPTION 0x00010002
#define HV_REGISTER_INTERRUPT_STATE	0x00010003

#define HV_X64_REGISTER_RAX		0x00020000
#define HV_X64_REGISTER_RCX		0x00020001
#define HV_X64_REGISTER_RDX		0x00020002
#define HV_X64_REGISTER_RBX		0x00020003
#define HV_X64_REGISTER_RSP		0x00020004
#define HV_X64_REGISTER_RBP		0x00020005
#define HV_X64_REGISTER_RSI		0x00020006
#define HV_X64_REGISTER_RDI		0x00020007
#define HV_X64_REGISTER_R8		0x00020008
#define HV_X64_REGISTER_R9		0x00020009
#define HV_X64_REGISTER_R10		0x0002000A
#define HV_X64_REGISTER_R11		0x0002000B
#define HV_X64_REGISTER_R12		0x0002000C
#define HV_X64_REGISTER_R13		0x0002000D
#define HV_X64_REGISTER_R14		0x0002000E
#define HV_X64_REGISTER_R15		0x0002000F
#define HV_X64_REGISTER_RIP		0x00020010
#define HV_X64_REGISTER_RFLAGS		0x00020011

#define HV_X64_REGISTER_CR0		0x00040000
#define HV_X64_REGISTER_CR2		0x00040001
#define HV_X64_REGISTER_CR3		0x00040002
#define HV_X64_REGISTER_CR4		0x00040003
#define HV_X64_REGISTER_CR8		0x00040004
#define HV_X64_REGISTER_XFEM		0x00040005

#define HV_X64_REGISTER_DR7		0x00050005

#define HV_X64_REGISTER_ES		0x00060000
#define HV_X64_REGISTER_CS		0x00060001
#define HV_X64_REGISTER_SS		0x00060002
#define HV_X64_REGISTER_DS		0x00060003
#define HV_X64_REGISTER_FS		0x00060004
#define HV_X64_REGISTER_GS		0x00060005
#define HV_X64_REGISTER_LDTR		0x00060006
#define HV_X64_REGISTER_TR		0x00060007
#define HV_X64_REGISTER_IDTR		0x00070000
#define HV_X64_REGISTER_GDTR		0x00070001

#define HV_X64_REGISTER_TSC		0x00080000
#define HV_X64_REGISTER_EFER		0x00080001
#define HV_X64_REGISTER_KERNEL_GS_BASE	0x00080002
#define HV_X64_REGISTER_APIC_BASE	0x00080003
#define HV_X64_REGISTER_PAT		0x00080004

#define HV_REGISTER_VP_INDEX		0x00090003

/* ---- VP register page (mmap offset MSHV_VP_MMAP_OFFSET_REGISTERS) ---- */
#define HV_VP_REGISTER_PAGE_VERSION_1	1
#define HV_X64_REGISTER_CLASS_GENERAL	0
#define HV_X64_REGISTER_CLASS_IP	1
#define HV_X64_REGISTER_CLASS_XMM	2
#define HV_X64_REGISTER_CLASS_SEGMENT	3
#define HV_X64_REGISTER_CLASS_FLAGS	4

struct hv_vp_register_page {
	__u16 version;
	__u8 isvalid;
	__u8 rsvdz;
	__u32 dirty;
	__u64 gp_registers[16];		/* rax rcx rdx rbx rsp rbp rsi rdi r8-r15 */
	__u64 rip;
	__u64 rflags;
	__u64 reserved[1];
	__u64 xmm[6][2];
	struct hv_x64_segment_register segment[6];	/* es cs ss ds fs gs */
	__u64 cr0;
	__u64 cr3;
	__u64 cr4;
	__u64 cr8;
	__u64 efer;
	__u64 dr7;
	__u64 pending_interruption;
	__u64 interrupt_state;
	__u64 instruction_emulation_hints;
	__u64 xfem;
	__u8 reserved2[256];
	__u64 interrupt_vectors;
};

/* ---- messages ---- */
#define HVMSG_NONE				0x00000000
#define HVMSG_UNMAPPED_GPA			0x80000000
#define HVMSG_GPA_INTERCEPT			0x80000001
#define HVMSG_UNACCEPTED_GPA			0x80000003
#define HVMSG_TIMER_EXPIRED			0x80000010
#define HVMSG_INVALID_VP_REGISTER_VALUE		0x80000020
#define HVMSG_UNRECOVERABLE_EXCEPTION		0x80000021
#define HVMSG_UNSUPPORTED_FEATURE		0x80000022
#define HVMSG_OPAQUE_INTERCEPT			0x8000003F
#define HVMSG_HYPERCALL_INTERCEPT		0x80000050
#define HVMSG_X64_IO_PORT_INTERCEPT		0x80010000
#define HVMSG_X64_MSR_INTERCEPT			0x80010001
#define HVMSG_X64_CPUID_INTERCEPT		0x80010002
#define HVMSG_X64_EXCEPTION_INTERCEPT		0x80010003
#define HVMSG_X64_APIC_EOI			0x80010004
#define HVMSG_X64_LEGACY_FP_ERROR		0x80010005
#define HVMSG_X64_HALT				0x80010007
#define HVMSG_X64_INTERRUPTION_DELIVERABLE	0x80010008
#define HVMSG_X64_SIPI_INTERCEPT		0x80010009

#define HV_MESSAGE_PAYLOAD_BYTES	240

struct hv_message_header {
	__u32 message_type;
	__u8 payload_size;
	__u8 message_flags;		/* bit 0: msg_pending */
	__u8 reserved[2];
	__u64 sender;
};

struct hv_message {
	struct hv_message_header header;
	union {
		__u64 payload[HV_MESSAGE_PAYLOAD_BYTES / 8];
		__u8 bytes[HV_MESSAGE_PAYLOAD_BYTES];
	};
};

#define HV_INTERCEPT_ACCESS_READ	0
#define HV_INTERCEPT_ACCESS_WRITE	1
#define HV_INTERCEPT_ACCESS_EXECUTE	2

struct hv_x64_intercept_message_header {
	__u32 vp_index;
	__u8 insn_len_cr8;		/* bits 0-3 instruction length, 4-7 cr8 */
	__u8 intercept_access_type;
	__u16 execution_state;
	struct hv_x64_segment_register cs_segment;
	__u64 rip;
	__u64 rflags;
};

/* execution_state bits */
#define HV_X64_EXEC_STATE_CPL_MASK	0x0003
#define HV_X64_EXEC_STATE_CR0_PE	0x0004
#define HV_X64_EXEC_STATE_CR0_AM	0x0008
#define HV_X64_EXEC_STATE_EFER_LMA	0x0010

/* io access_info bits */
#define HV_X64_IO_ACCESS_SIZE_MASK	0x07
#define HV_X64_IO_STRING_OP		0x08
#define HV_X64_IO_REP_PREFIX		0x10

struct hv_x64_io_port_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u16 port_number;
	__u8 access_info;
	__u8 instruction_byte_count;
	__u32 reserved;
	__u64 rax;
	__u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register es_segment;
	__u64 rcx;
	__u64 rsi;
	__u64 rdi;
};

/* memory_access_info bits */
#define HV_X64_MEM_GVA_VALID		0x01
#define HV_X64_MEM_GVA_GPA_VALID	0x02

struct hv_x64_memory_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u32 cache_type;
	__u8 instruction_byte_count;
	__u8 memory_access_info;
	__u8 tpr_priority;
	__u8 reserved1;
	__u64 guest_virtual_address;
	__u64 guest_physical_address;
	__u8 instruction_bytes[16];
};

struct hv_x64_cpuid_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u64 rax;
	__u64 rcx;
	__u64 rdx;
	__u64 rbx;
	__u64 default_result_rax;
	__u64 default_result_rcx;
	__u64 default_result_rdx;
	__u64 default_result_rbx;
};

struct hv_x64_msr_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u32 msr_number;
	__u32 reserved;
	__u64 rdx;
	__u64 rax;
};

/* exception_info bits */
#define HV_X64_EXC_ERROR_CODE_VALID	0x01
#define HV_X64_EXC_SOFTWARE		0x02

struct hv_x64_exception_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u16 exception_vector;
	__u8 exception_info;
	__u8 instruction_byte_count;
	__u32 error_code;
	__u64 exception_parameter;
	__u64 reserved;
	__u8 instruction_bytes[16];
	struct hv_x64_segment_register ds_segment;
	struct hv_x64_segment_register ss_segment;
	__u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

struct hv_x64_hypercall_intercept_message {
	struct hv_x64_intercept_message_header header;
	__u64 rax, rbx, rcx, rdx, r8, rsi, rdi;
	__u64 xmmregisters[6][2];
	__u32 flags;			/* bit 0: isolated */
};

#pragma pack(pop)

#endif /* MSHV_USER_HVDEF_H */
