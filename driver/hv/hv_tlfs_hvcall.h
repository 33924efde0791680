/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall input and output structures of the parent-partition interface,
 * their flag values, and the per-call batch limits that follow from a
 * one-page input/output buffer.  Include hv_tlfs.h, not this file.
 */
#ifndef _MSHV_HV_TLFS_HVCALL_H_
#define _MSHV_HV_TLFS_HVCALL_H_

#ifndef _MSHV_HV_TLFS_H_
#error "include hv_tlfs.h instead of hv_tlfs_hvcall.h"
#endif

/* NUMA placement hint; all zero means "no preference". */
#define HV_PROXIMITY_DOMAIN_PREFERRED	BIT(0)
#define HV_PROXIMITY_DOMAIN_INFO_VALID	BIT(31)

struct hv_proximity_domain_info {
	u32 domain_id;
	u32 flags;		/* HV_PROXIMITY_DOMAIN_* */
} __packed;

/* ---------------------------------------------------------------------- */
/* Partition lifecycle                                                    */
/* ---------------------------------------------------------------------- */

/* HVCALL_CREATE_PARTITION */
struct hv_input_create_partition {
	u64 flags;				/* HV_PARTITION_CREATION_FLAG_* */
	struct hv_proximity_domain_info proximity_domain_info;
	u32 compatibility_version;		/* HV_COMPATIBILITY_21_H2 */
	u32 padding;
	u64 disabled_processor_features[HV_PARTITION_PROCESSOR_FEATURES_BANKS];
	u64 disabled_processor_xsave_features;
	u64 isolation_properties;		/* HV_PARTITION_ISOLATION_* */
} __packed;

struct hv_output_create_partition {
	u64 partition_id;
} __packed;

/* HVCALL_INITIALIZE/FINALIZE/DELETE_PARTITION: fast, RDX = partition id. */
struct hv_input_initialize_partition {
	u64 partition_id;
} __packed;

struct hv_input_finalize_partition {
	u64 partition_id;
} __packed;

struct hv_input_delete_partition {
	u64 partition_id;
} __packed;

/* HVCALL_GET_PARTITION_ID (no input) */
struct hv_output_get_partition_id {
	u64 partition_id;
} __packed;

/* HVCALL_GET_PARTITION_PROPERTY / HVCALL_SET_PARTITION_PROPERTY */
struct hv_input_get_partition_property {
	u64 partition_id;
	u32 property_code;		/* enum hv_partition_property_code */
	u32 padding;
} __packed;

struct hv_output_get_partition_property {
	u64 property_value;
} __packed;

struct hv_input_set_partition_property {
	u64 partition_id;
	u32 property_code;		/* enum hv_partition_property_code */
	u32 padding;
	u64 property_value;
} __packed;

/* HVCALL_GET_PARTITION_PROPERTY_EX */
union hv_partition_property_arg {
	u64 as_uint64;
	struct {
		union {
			u32 arg;
			u32 vp_index;
		};
		u16 reserved0;
		u8 reserved1;
		u8 object_type;
	} __packed;
} __packed;

struct hv_input_get_partition_property_ex {
	u64 partition_id;
	u32 property_code;		/* enum hv_partition_property_code */
	u32 padding;
	union {
		union hv_partition_property_arg arg_data;
		u64 arg;
	};
} __packed;

#define HV_PARTITION_PROPERTY_EX_MAX_VAR_SIZE \
	(HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_partition_property_ex))

union hv_partition_property_ex {
	u8 buffer[HV_PARTITION_PROPERTY_EX_MAX_VAR_SIZE];
	struct hv_partition_property_vmm_capabilities vmm_capabilities;
} __packed;

struct hv_output_get_partition_property_ex {
	union hv_partition_property_ex property_value;
} __packed;

/* ---------------------------------------------------------------------- */
/* Memory: deposit/withdraw, GPA mappings, access tracking, SPA access    */
/* ---------------------------------------------------------------------- */

/* HVCALL_DEPOSIT_MEMORY (rep: one PFN per rep) */
struct hv_deposit_memory {
	u64 partition_id;
	u64 gpa_page_list[];
} __packed;

/* HVCALL_WITHDRAW_MEMORY (rep: one PFN per rep returned) */
struct hv_input_withdraw_memory {
	u64 partition_id;
	struct hv_proximity_domain_info proximity_domain_info;
} __packed;

struct hv_output_withdraw_memory {
	u64 gpa_page_list[HV_HYP_PAGE_SIZE / sizeof(u64)];
} __packed;

/* Map flags (hv_input_map_gpa_pages.map_flags) */
#define HV_MAP_GPA_PERMISSIONS_NONE	0x0
#define HV_MAP_GPA_READABLE		0x1
#define HV_MAP_GPA_WRITABLE		0x2
#define HV_MAP_GPA_KERNEL_EXECUTABLE	0x4
#define HV_MAP_GPA_USER_EXECUTABLE	0x8
#define HV_MAP_GPA_EXECUTABLE		0xC
#define HV_MAP_GPA_PERMISSIONS_MASK	0xF
#define HV_MAP_GPA_ADJUSTABLE		0x8000
#define HV_MAP_GPA_NO_ACCESS		0x10000
#define HV_MAP_GPA_NOT_CACHED		0x200000
#define HV_MAP_GPA_LARGE_PAGE		0x80000000

/*
 * HVCALL_MAP_GPA_PAGES (rep).  target_gpa_base is a 4 KiB GFN; with
 * LARGE_PAGE the reps and the PFN list count 2 MiB pages.
 */
struct hv_input_map_gpa_pages {
	u64 target_partition_id;
	u64 target_gpa_base;
	u32 map_flags;			/* HV_MAP_GPA_* */
	u32 padding;
	u64 source_gpa_page_list[];
} __packed;

/* HVCALL_UNMAP_GPA_PAGES (rep, no per-rep input) */
#define HV_UNMAP_GPA_LARGE_PAGE		0x2

struct hv_input_unmap_gpa_pages {
	u64 target_partition_id;
	u64 target_gpa_base;
	u32 unmap_flags;		/* HV_UNMAP_GPA_* */
	u32 padding;
} __packed;

/* HVCALL_GET_GPA_PAGES_ACCESS_STATES (rep: one state byte out per page) */
#define HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_ACCESSED	BIT_ULL(0)
#define HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_ACCESSED	BIT_ULL(1)
#define HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_DIRTY	BIT_ULL(2)
#define HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_DIRTY		BIT_ULL(3)

struct hv_input_get_gpa_pages_access_state {
	u64 partition_id;
	u64 flags;			/* HV_GPA_PAGE_ACCESS_STATE_FLAG_* */
	u64 hv_gpa_page_number;		/* first GFN */
} __packed;

/* Output element: one byte per page. */
#define HV_GPA_PAGE_ACCESS_STATE_ACCESSED	BIT(0)
#define HV_GPA_PAGE_ACCESS_STATE_DIRTY		BIT(1)

/* HVCALL_ACQUIRE/RELEASE_SPARSE_SPA_PAGE_HOST_ACCESS (rep: SPA PFNs) */
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_MASK		GENMASK(1, 0)
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_READ		0x1
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_WRITE		0x2
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_MAKE_EXCLUSIVE	0x1
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_MAKE_SHARED	0x2
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_LARGE_PAGE	0x4
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_HUGE_PAGE	0x8

struct hv_input_modify_sparse_spa_page_host_access {
	u32 host_access;		/* HV_MODIFY_SPA_PAGE_HOST_ACCESS_MASK */
	u32 flags;			/* MAKE_EXCLUSIVE, MAKE_SHARED, ... */
	u64 partition_id;		/* only with MAKE_EXCLUSIVE */
	u64 spa_page_list[];
} __packed;

/* ---------------------------------------------------------------------- */
/* Virtual processors                                                     */
/* ---------------------------------------------------------------------- */

/* hv_create_vp.subnode_type */
enum {
	HV_SUBNODE_ANY		= 0,
	HV_SUBNODE_SOCKET	= 1,
	HV_SUBNODE_CLUSTER	= 2,
	HV_SUBNODE_L3		= 3,
	HV_SUBNODE_COUNT,
	HV_SUBNODE_INVALID	= -1,
};

/* HVCALL_CREATE_VP */
struct hv_create_vp {
	u64 partition_id;
	u32 vp_index;
	u8 padding[3];
	u8 subnode_type;
	u64 subnode_id;
	struct hv_proximity_domain_info proximity_domain_info;
	u64 flags;
} __packed;

/* HVCALL_DELETE_VP: fast, two input words. */
union hv_input_delete_vp {
	u64 as_uint64[2];
	struct {
		u64 partition_id;
		u32 vp_index;
		u8 reserved[4];
	} __packed;
} __packed;

/* HVCALL_GET_VP_REGISTERS (rep: u32 name in, hv_register_value out) */
struct hv_input_get_vp_registers {
	u64 partition_id;
	u32 vp_index;
	u8 input_vtl;			/* HV_INPUT_VTL_* */
	u8 rsvd_z8;
	u16 rsvd_z16;
	u32 names[];			/* enum hv_register_name */
} __packed;

/* HVCALL_SET_VP_REGISTERS (rep: hv_register_assoc in) */
struct hv_input_set_vp_registers {
	u64 partition_id;
	u32 vp_index;
	u8 input_vtl;			/* HV_INPUT_VTL_* */
	u8 rsvd_z8;
	u16 rsvd_z16;
	struct hv_register_assoc elements[];
} __packed;

/* HVCALL_TRANSLATE_VIRTUAL_ADDRESS */
#define HV_TRANSLATE_GVA_VALIDATE_READ		0x0001
#define HV_TRANSLATE_GVA_VALIDATE_WRITE		0x0002
#define HV_TRANSLATE_GVA_VALIDATE_EXECUTE	0x0004
#define HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT	0x0008
#define HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS	0x0010
#define HV_TRANSLATE_GVA_TLB_FLUSH_INHIBIT	0x0020
#define HV_TRANSLATE_GVA_SUPERVISOR_ACCESS	0x0040
#define HV_TRANSLATE_GVA_USER_ACCESS		0x0080
#define HV_TRANSLATE_GVA_ENFORCE_SMAP		0x0100
#define HV_TRANSLATE_GVA_OVERRIDE_SMAP		0x0200
#define HV_TRANSLATE_GVA_SHADOW_STACK		0x0400
#define HV_TRANSLATE_GVA_INPUT_VTL_MASK		GENMASK_ULL(63, 56)

struct hv_input_translate_virtual_address {
	u64 partition_id;
	u32 vp_index;
	u32 padding;
	u64 control_flags;		/* HV_TRANSLATE_GVA_* */
	u64 gva_page;
} __packed;

enum hv_translate_gva_result_code {
	HV_TRANSLATE_GVA_SUCCESS			= 0,
	HV_TRANSLATE_GVA_PAGE_NOT_PRESENT		= 1,
	HV_TRANSLATE_GVA_PRIVILEGE_VIOLATION		= 2,
	HV_TRANSLATE_GVA_INVALID_PAGE_TABLE_FLAGS	= 3,
	HV_TRANSLATE_GVA_GPA_UNMAPPED			= 4,
	HV_TRANSLATE_GVA_GPA_NO_READ_ACCESS		= 5,
	HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS		= 6,
	HV_TRANSLATE_GVA_GPA_ILLEGAL_OVERLAY_ACCESS	= 7,
	HV_TRANSLATE_GVA_INTERCEPT			= 8,
	HV_TRANSLATE_GVA_GPA_UNACCEPTED			= 9,
};

/* hv_output_translate_virtual_address.translation_result */
#define HV_TRANSLATE_GVA_RESULT_CODE		GENMASK_ULL(31, 0)
#define HV_TRANSLATE_GVA_RESULT_CACHE_TYPE	GENMASK_ULL(39, 32)
#define HV_TRANSLATE_GVA_RESULT_OVERLAY_PAGE	BIT_ULL(40)

struct hv_output_translate_virtual_address {
	u64 translation_result;		/* HV_TRANSLATE_GVA_RESULT_* */
	u64 gpa_page;
} __packed;

/* HVCALL_GET_VP_CPUID_VALUES (rep: leaf in, four registers out) */
#define HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS		BIT(0)
#define HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES	BIT(1)

struct hv_cpuid_leaf_info {
	u32 eax;
	u32 ecx;
	u64 xfem;
	u64 xss;
} __packed;

struct hv_input_get_vp_cpuid_values {
	u64 partition_id;
	u32 vp_index;
	u32 flags;			/* HV_GET_VP_CPUID_VALUES_* */
	u32 reserved;
	u32 padding;
	struct hv_cpuid_leaf_info cpuid_leaf_info[];
} __packed;

union hv_output_get_vp_cpuid_values {
	u32 as_uint32[4];
	struct {
		u32 eax;
		u32 ebx;
		u32 ecx;
		u32 edx;
	} __packed;
} __packed;

/* ---------------------------------------------------------------------- */
/* Intercepts                                                             */
/* ---------------------------------------------------------------------- */

enum hv_intercept_type {
	HV_INTERCEPT_TYPE_X64_IO_PORT			= 0x00000000,
	HV_INTERCEPT_TYPE_X64_MSR			= 0x00000001,
	HV_INTERCEPT_TYPE_X64_CPUID			= 0x00000002,
	HV_INTERCEPT_TYPE_EXCEPTION			= 0x00000003,
	HV_INTERCEPT_TYPE_RESERVED0			= 0x00000004,
	HV_INTERCEPT_TYPE_MMIO				= 0x00000005,
	HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID		= 0x00000006,
	HV_INTERCEPT_TYPE_X64_APIC_SMI			= 0x00000007,
	HV_INTERCEPT_TYPE_HYPERCALL			= 0x00000008,
	HV_INTERCEPT_TYPE_X64_APIC_INIT_SIPI		= 0x00000009,
	HV_INTERCEPT_MC_UPDATE_PATCH_LEVEL_MSR_READ	= 0x0000000A,
	HV_INTERCEPT_TYPE_X64_APIC_WRITE		= 0x0000000B,
	HV_INTERCEPT_TYPE_X64_MSR_INDEX			= 0x0000000C,
	HV_INTERCEPT_TYPE_MAX,
	HV_INTERCEPT_TYPE_INVALID			= 0xFFFFFFFF,
};

/* hv_input_install_intercept.access_type */
#define HV_INTERCEPT_ACCESS_MASK_NONE		0x00
#define HV_INTERCEPT_ACCESS_MASK_READ		0x01
#define HV_INTERCEPT_ACCESS_MASK_WRITE		0x02
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE	0x04

union hv_intercept_parameters {
	u64 as_uint64;
	u16 io_port;			/* X64_IO_PORT */
	u32 cpuid_index;		/* X64_CPUID */
	u32 apic_write_mask;		/* X64_APIC_WRITE */
	u16 exception_vector;		/* EXCEPTION */
	u32 msr_index;			/* X64_MSR_INDEX */
} __packed;

/* HVCALL_INSTALL_INTERCEPT */
struct hv_input_install_intercept {
	u64 partition_id;
	u32 access_type;		/* HV_INTERCEPT_ACCESS_MASK_* */
	u32 intercept_type;		/* enum hv_intercept_type */
	union hv_intercept_parameters intercept_parameter;
} __packed;

/* HVCALL_REGISTER_INTERCEPT_RESULT */
struct hv_register_x64_cpuid_result_parameters {
	struct {
		u32 eax;
		u32 ecx;
		u8 subleaf_specific;
		u8 always_override;
		u16 padding;
	} __packed input;
	struct {
		u32 eax;
		u32 eax_mask;
		u32 ebx;
		u32 ebx_mask;
		u32 ecx;
		u32 ecx_mask;
		u32 edx;
		u32 edx_mask;
	} __packed result;
} __packed;

struct hv_register_x64_msr_result_parameters {
	u32 msr_index;
	u32 access_type;
	u32 action;			/* enum hv_unimplemented_msr_action */
} __packed;

union hv_register_intercept_result_parameters {
	struct hv_register_x64_cpuid_result_parameters cpuid;
	struct hv_register_x64_msr_result_parameters msr;
} __packed;

struct hv_input_register_intercept_result {
	u64 partition_id;
	u32 vp_index;
	u32 intercept_type;		/* enum hv_intercept_type */
	union hv_register_intercept_result_parameters parameters;
} __packed;

/* ---------------------------------------------------------------------- */
/* Interrupts, events and messages into a partition                       */
/* ---------------------------------------------------------------------- */

enum hv_interrupt_type {
	HV_X64_INTERRUPT_TYPE_FIXED		= 0x0000,
	HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY	= 0x0001,
	HV_X64_INTERRUPT_TYPE_SMI		= 0x0002,
	HV_X64_INTERRUPT_TYPE_REMOTEREAD	= 0x0003,
	HV_X64_INTERRUPT_TYPE_NMI		= 0x0004,
	HV_X64_INTERRUPT_TYPE_INIT		= 0x0005,
	HV_X64_INTERRUPT_TYPE_SIPI		= 0x0006,
	HV_X64_INTERRUPT_TYPE_EXTINT		= 0x0007,
	HV_X64_INTERRUPT_TYPE_LOCALINT0		= 0x0008,
	HV_X64_INTERRUPT_TYPE_LOCALINT1		= 0x0009,
	HV_X64_INTERRUPT_TYPE_MAXIMUM		= 0x000A,
};

/* hv_input_assert_virtual_interrupt.control */
#define HV_INTERRUPT_CONTROL_TYPE		GENMASK_ULL(31, 0)	/* enum hv_interrupt_type */
#define HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED	BIT_ULL(32)		/* x86 */
#define HV_INTERRUPT_CONTROL_LOGICAL_DEST_MODE	BIT_ULL(33)		/* x86 */
#define HV_INTERRUPT_CONTROL_ARM64_ASSERTED	BIT_ULL(34)		/* arm64 */

/* HVCALL_ASSERT_VIRTUAL_INTERRUPT */
struct hv_input_assert_virtual_interrupt {
	u64 partition_id;
	u64 control;			/* HV_INTERRUPT_CONTROL_* */
	u64 dest_addr;			/* x86: APIC id */
	u32 vector;
	u8 target_vtl;
	u8 rsvd_z0;
	u16 rsvd_z1;
} __packed;

/* HVCALL_CLEAR_VIRTUAL_INTERRUPT: fast, RDX = partition id. */

/* HVCALL_SIGNAL_EVENT_DIRECT */
struct hv_input_signal_event_direct {
	u64 target_partition;
	u32 target_vp;
	u8 target_vtl;
	u8 target_sint;
	u16 flag_number;
} __packed;

struct hv_output_signal_event_direct {
	u8 newly_signaled;
	u8 reserved[7];
} __packed;

/* HVCALL_POST_MESSAGE_DIRECT: message is a whole struct hv_message. */
struct hv_input_post_message_direct {
	u64 partition_id;
	u32 vp_index;
	u8 vtl;
	u8 padding[3];
	u32 sint_index;
	u8 message[HV_MESSAGE_SIZE];
	u32 padding2;
} __packed;

/* ---------------------------------------------------------------------- */
/* Ports (doorbells for ioeventfd)                                        */
/* ---------------------------------------------------------------------- */

struct hv_port_info {
	u32 port_type;			/* enum hv_port_type */
	u32 padding;
	union {
		struct {
			u32 target_sint;
			u32 target_vp;
			u64 rsvdz;
		} __packed message_port_info;
		struct {
			u32 target_sint;
			u32 target_vp;
			u16 base_flag_number;
			u16 flag_count;
			u32 rsvdz;
		} __packed event_port_info;
		struct {
			u64 monitor_address;
			u64 rsvdz;
		} __packed monitor_port_info;
		struct {
			u32 target_sint;
			u32 target_vp;
			u64 rsvdz;
		} __packed doorbell_port_info;
	};
} __packed;

struct hv_connection_info {
	u32 port_type;			/* enum hv_port_type */
	u32 padding;
	union {
		struct {
			u64 rsvdz;
		} __packed message_connection_info;
		struct {
			u64 rsvdz;
		} __packed event_connection_info;
		struct {
			u64 monitor_address;
		} __packed monitor_connection_info;
		struct {
			u64 gpa;
			u64 trigger_value;
			u64 flags;	/* HV_DOORBELL_FLAG_* */
		} __packed doorbell_connection_info;
	};
} __packed;

/* HVCALL_CREATE_PORT */
struct hv_input_create_port {
	u64 port_partition_id;
	u32 port_id;			/* HV_PORT_ID_MASK */
	u8 port_vtl;
	u8 min_connection_vtl;
	u16 padding;
	u64 connection_partition_id;
	struct hv_port_info port_info;
	struct hv_proximity_domain_info proximity_domain_info;
} __packed;

/* HVCALL_CONNECT_PORT */
struct hv_input_connect_port {
	u64 connection_partition_id;
	u32 connection_id;		/* HV_CONNECTION_ID_MASK */
	u8 connection_vtl;
	u8 rsvdz0;
	u16 rsvdz1;
	u64 port_partition_id;
	u32 port_id;			/* HV_PORT_ID_MASK */
	u32 reserved2;
	struct hv_connection_info connection_info;
	struct hv_proximity_domain_info proximity_domain_info;
} __packed;

/* HVCALL_DELETE_PORT: fast, two input words. */
union hv_input_delete_port {
	u64 as_uint64[2];
	struct {
		u64 port_partition_id;
		u32 port_id;
		u32 reserved;
	} __packed;
} __packed;

/* HVCALL_DISCONNECT_PORT: fast, two input words. */
#define HV_DISCONNECT_PORT_IS_DOORBELL	BIT(0)

union hv_input_disconnect_port {
	u64 as_uint64[2];
	struct {
		u64 connection_partition_id;
		u32 connection_id;
		u32 flags;		/* HV_DISCONNECT_PORT_IS_DOORBELL */
	} __packed;
} __packed;

/* HVCALL_NOTIFY_PORT_RING_EMPTY: fast, one input word. */
union hv_input_notify_port_ring_empty {
	u64 as_uint64;
	struct {
		u32 sint_index;
		u32 reserved;
	} __packed;
} __packed;

/* ---------------------------------------------------------------------- */
/* Statistics pages                                                       */
/* ---------------------------------------------------------------------- */

/* Which object's counters; the area type is always the last byte. */
union hv_stats_object_identity {
	struct {
		u8 reserved[15];
		u8 stats_area_type;	/* enum hv_stats_area_type */
	} __packed hv;
	struct {
		u32 lp_index;
		u8 reserved[11];
		u8 stats_area_type;
	} __packed lp;
	struct {
		u64 partition_id;
		u8 reserved[7];
		u8 stats_area_type;
	} __packed partition;
	struct {
		u64 partition_id;
		u32 vp_index;
		u16 flags;
		u8 reserved;
		u8 stats_area_type;
	} __packed vp;
} __packed;

/* HVCALL_MAP_STATS_PAGE */
struct hv_input_map_stats_page {
	u32 type;			/* enum hv_stats_object_type */
	u32 padding;
	union hv_stats_object_identity identity;
} __packed;

/* HVCALL_MAP_STATS_PAGE2: the caller supplies the page (L1VH overlay). */
struct hv_input_map_stats_page2 {
	u32 type;			/* enum hv_stats_object_type */
	u32 padding;
	union hv_stats_object_identity identity;
	u64 map_location;		/* PFN */
} __packed;

struct hv_output_map_stats_page {
	u64 map_location;		/* PFN */
} __packed;

/* HVCALL_UNMAP_STATS_PAGE */
struct hv_input_unmap_stats_page {
	u32 type;			/* enum hv_stats_object_type */
	u32 padding;
	union hv_stats_object_identity identity;
} __packed;

/* ---------------------------------------------------------------------- */
/* System properties and sleep state                                      */
/* ---------------------------------------------------------------------- */

/* HVCALL_GET_SYSTEM_PROPERTY */
struct hv_input_get_system_property {
	u32 property_id;		/* enum hv_system_property */
	u32 reserved;
	union {
		u64 as_uint64;
		u32 hv_processor_feature;	/* enum hv_dynamic_processor_feature_property */
	};
} __packed;

struct hv_output_get_system_property {
	union {
		u32 scheduler_type;		/* enum hv_scheduler_type */
		u64 hv_processor_feature_value;
		u64 hv_cda_info;		/* HV_PFN_RANGE_* */
		u64 hv_tramp_pa;
	};
} __packed;

struct hv_sleep_state_info {
	u32 sleep_state;		/* enum hv_sleep_state */
	u8 pm1a_slp_typ;
	u8 pm1b_slp_typ;
} __packed;

/* HVCALL_SET_SYSTEM_PROPERTY */
struct hv_input_set_system_property {
	u32 property_id;		/* enum hv_system_property */
	u32 reserved;
	union {
		struct hv_sleep_state_info set_sleep_state_info;
		u64 reserved0[8];
	};
} __packed;

/* HVCALL_ENTER_SLEEP_STATE */
struct hv_input_enter_sleep_state {
	u32 sleep_state;		/* enum hv_sleep_state */
} __packed;

/* ---------------------------------------------------------------------- */
/* Root scheduler: HVCALL_DISPATCH_VP                                     */
/* ---------------------------------------------------------------------- */

#define HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND	0x1
#define HV_DISPATCH_VP_FLAG_ENABLE_CALLER_INTERRUPTS	0x2
#define HV_DISPATCH_VP_FLAG_SET_CALLER_SPEC_CTRL	0x4
#define HV_DISPATCH_VP_FLAG_SKIP_VP_SPEC_FLUSH		0x8
#define HV_DISPATCH_VP_FLAG_SKIP_CALLER_SPEC_FLUSH	0x10
#define HV_DISPATCH_VP_FLAG_SKIP_CALLER_USER_SPEC_FLUSH	0x20
#define HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION	0x40

struct hv_input_dispatch_vp {
	u64 partition_id;
	u32 vp_index;
	u32 flags;			/* HV_DISPATCH_VP_FLAG_* */
	u64 time_slice;			/* 100 ns units; 0 = until an event */
	u64 spec_ctrl;
} __packed;

enum hv_vp_dispatch_state {
	HV_VP_DISPATCH_STATE_INVALID	= 0,
	HV_VP_DISPATCH_STATE_BLOCKED	= 1,
	HV_VP_DISPATCH_STATE_READY	= 2,
};

enum hv_vp_dispatch_event {
	HV_VP_DISPATCH_EVENT_INVALID	= 0x00000000,
	HV_VP_DISPATCH_EVENT_SUSPEND	= 0x00000001,
	HV_VP_DISPATCH_EVENT_INTERCEPT	= 0x00000002,
};

struct hv_output_dispatch_vp {
	u32 dispatch_state;		/* enum hv_vp_dispatch_state */
	u32 dispatch_event;		/* enum hv_vp_dispatch_event */
} __packed;

/* ---------------------------------------------------------------------- */
/* VP state pages: HVCALL_MAP/UNMAP_VP_STATE_PAGE                         */
/* ---------------------------------------------------------------------- */

enum hv_vp_state_page_type {
	HV_VP_STATE_PAGE_REGISTERS		= 0,
	HV_VP_STATE_PAGE_INTERCEPT_MESSAGE	= 1,
	HV_VP_STATE_PAGE_GHCB			= 2,
	HV_VP_STATE_PAGE_COUNT
};

/* hv_input_map_vp_state_page.flags */
#define HV_MAP_VP_STATE_PAGE_MAP_LOCATION_PROVIDED	BIT(0)

struct hv_input_map_vp_state_page {
	u64 partition_id;
	u32 vp_index;
	u16 type;			/* enum hv_vp_state_page_type */
	u8 input_vtl;			/* HV_INPUT_VTL_* */
	u8 flags;			/* HV_MAP_VP_STATE_PAGE_* */
	u64 requested_map_location;	/* PFN, with MAP_LOCATION_PROVIDED */
} __packed;

struct hv_output_map_vp_state_page {
	u64 map_location;		/* PFN */
} __packed;

struct hv_input_unmap_vp_state_page {
	u64 partition_id;
	u32 vp_index;
	u16 type;			/* enum hv_vp_state_page_type */
	u8 input_vtl;			/* HV_INPUT_VTL_* */
	u8 reserved0;
} __packed;

/* ---------------------------------------------------------------------- */
/* VP state: HVCALL_GET_VP_STATE / HVCALL_SET_VP_STATE                    */
/*                                                                        */
/* Types with HV_GET_SET_VP_STATE_TYPE_PFN move their data through a list */
/* of page frames after the header (varhead = number of PFNs); the others */
/* travel inline (set: varhead = ceil(bytes / 8); get: in the output).    */
/* ---------------------------------------------------------------------- */

#define HV_GET_SET_VP_STATE_TYPE_PFN	BIT(31)

enum hv_get_set_vp_state_type {
	HV_GET_SET_VP_STATE_LAPIC_STATE		= 0 | HV_GET_SET_VP_STATE_TYPE_PFN,
	HV_GET_SET_VP_STATE_XSAVE		= 1 | HV_GET_SET_VP_STATE_TYPE_PFN,
	HV_GET_SET_VP_STATE_SIM_PAGE		= 2 | HV_GET_SET_VP_STATE_TYPE_PFN,
	HV_GET_SET_VP_STATE_SIEF_PAGE		= 3 | HV_GET_SET_VP_STATE_TYPE_PFN,
	HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS	= 4,
};

struct hv_vp_state_data_xsave {
	u64 flags;
	u64 states;			/* XFEM mask, HV_X64_XFEM_* */
} __packed;

struct hv_vp_state_data {
	u32 type;			/* enum hv_get_set_vp_state_type */
	u32 rsvd;
	struct hv_vp_state_data_xsave xsave;
} __packed;

struct hv_input_get_vp_state {
	u64 partition_id;
	u32 vp_index;
	u8 input_vtl;			/* HV_INPUT_VTL_* */
	u8 rsvd0;
	u16 rsvd1;
	struct hv_vp_state_data state_data;
	u64 output_data_pfns[];
} __packed;

union hv_input_set_vp_state_data {
	u64 pfns;
	u8 bytes;
} __packed;

struct hv_input_set_vp_state {
	u64 partition_id;
	u32 vp_index;
	u8 input_vtl;			/* HV_INPUT_VTL_* */
	u8 rsvd0;
	u16 rsvd1;
	struct hv_vp_state_data state_data;
	union hv_input_set_vp_state_data data[];
} __packed;

/* HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS data */
#define HV_STIMER_STATE_UNDELIVERED_MSG_PENDING	BIT(0)

struct hv_stimer_state {
	u32 flags;			/* HV_STIMER_STATE_* */
	u32 resvd;
	u64 config;			/* HV_STIMER_CONFIG_* */
	u64 count;
	u64 adjustment;
	u64 undelivered_exp_time;
} __packed;

struct hv_synthetic_timers_state {
	struct hv_stimer_state timers[HV_SYNIC_STIMER_COUNT];
	u64 reserved[5];
} __packed;

union hv_output_get_vp_state {
	struct hv_synthetic_timers_state synthetic_timers_state;
} __packed;

/* HV_GET_SET_VP_STATE_LAPIC_STATE data (x86; Microsoft's header) */
struct hv_local_interrupt_controller_state {
	u32 apic_id;
	u32 apic_version;
	u32 apic_ldr;
	u32 apic_dfr;
	u32 apic_spurious;
	u32 apic_isr[8];
	u32 apic_tmr[8];
	u32 apic_irr[8];
	u32 apic_esr;
	u32 apic_icr_high;
	u32 apic_icr_low;
	u32 apic_lvt_timer;
	u32 apic_lvt_thermal;
	u32 apic_lvt_perfmon;
	u32 apic_lvt_lint0;
	u32 apic_lvt_lint1;
	u32 apic_lvt_error;
	u32 apic_lvt_cmci;
	u32 apic_error_status;
	u32 apic_initial_count;
	u32 apic_counter_value;
	u32 apic_divide_configuration;
	u32 apic_remote_read;
} __packed;

/* ---------------------------------------------------------------------- */
/* Batch limits: elements that fit one call with one-page input/output    */
/* ---------------------------------------------------------------------- */

/* Deposit: PFNs after the partition id. */
#define HV_DEPOSIT_MEMORY_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_deposit_memory)) / sizeof(u64))

/* Withdraw: PFNs in the output page. */
#define HV_WITHDRAW_BATCH_SIZE \
	(sizeof(struct hv_output_withdraw_memory) / sizeof(u64))

/* Map GPA pages: source PFNs after the header. */
#define HV_MAP_GPA_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_map_gpa_pages)) / sizeof(u64))

/* Unmap GPA pages: no per-rep data; upstream keeps the same page-sized batch. */
#define HV_UNMAP_GPA_BATCH_SIZE		(HV_HYP_PAGE_SIZE / sizeof(u64))

/*
 * Get/set VP registers: get is bounded by the values in the output page
 * (the names in the input page would allow more), set by the associations.
 */
#define HV_GET_VP_REGISTERS_BATCH_SIZE \
	(HV_HYP_PAGE_SIZE / sizeof(union hv_register_value))
#define HV_SET_VP_REGISTERS_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_set_vp_registers)) / \
	 sizeof(struct hv_register_assoc))

/* Get/set VP state: PFNs after the header. */
#define HV_GET_SET_VP_STATE_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_vp_state)) / sizeof(u64))

/*
 * GPA access states: one byte out per page; the 12-bit rep count is the
 * bound (a full output page would be one more).
 */
#define HV_GET_GPA_ACCESS_STATES_BATCH_SIZE	HV_HYPERCALL_REP_MAX

/* Acquire/release SPA host access: PFNs after the header. */
#define HV_MODIFY_SPA_PAGE_HOST_ACCESS_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_modify_sparse_spa_page_host_access)) / \
	 sizeof(u64))

/* CPUID values: bounded by the leaf descriptors in the input page. */
#define HV_GET_VP_CPUID_VALUES_BATCH_SIZE \
	((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_vp_cpuid_values)) / \
	 sizeof(struct hv_cpuid_leaf_info))

#endif /* _MSHV_HV_TLFS_HVCALL_H_ */
