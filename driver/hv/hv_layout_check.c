// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compile-time checks that hv_tlfs*.h match the hypervisor ABI.
 *
 * Every number below is a literal taken from the reference (upstream 7.2
 * headers and Microsoft's headers compiled for x86-64), never computed from
 * our own definitions, so a wrong field type or a missing pad fails the
 * build.  Sizes of structures the reference lists only by field are marked
 * "derived": they are the sum of the documented fields (cross-checked with
 * rust-vmm's generated bindings where those carry the struct).
 */
#include <linux/build_bug.h>
#include <linux/stddef.h>

#include "hv_tlfs.h"

#define SZ(type, size)		BUILD_BUG_ON(sizeof(type) != (size))
#define OFF(type, field, off)	BUILD_BUG_ON(offsetof(type, field) != (off))
#define VAL(expr, val)		BUILD_BUG_ON((expr) != (val))

static __always_inline void hv_check_core(void)
{
	SZ(struct hv_u128, 16);
	VAL(HV_HYP_PAGE_SIZE, 4096);
	VAL(HV_PARTITION_ID_SELF, 0xFFFFFFFFFFFFFFFFULL);
	VAL(HV_ANY_VP, 0xFFFFFFFFU);
	VAL(HV_VP_INDEX_SELF, 0xFFFFFFFEU);

	/* Control word: code 0-15, fast 16, varhead 17-26, nested 31,
	 * rep count 32-43, rep start 48-59.
	 */
	VAL(HV_HYPERCALL_FAST_BIT, 0x10000ULL);
	VAL(HV_HYPERCALL_VARHEAD_MASK, 0x7FE0000ULL);
	VAL(HV_HYPERCALL_NESTED, 0x80000000ULL);
	VAL(HV_HYPERCALL_REP_COMP_MASK, 0xFFF00000000ULL);
	VAL(HV_HYPERCALL_REP_START_MASK, 0xFFF000000000000ULL);
	VAL(HV_HYPERCALL_RSVD_MASK, 0xF000F000F8000000ULL);	/* with NESTED */
	VAL(HV_HYPERCALL_RSVDZ_MASK, 0xF000F00078000000ULL);
}

static __always_inline void hv_check_partition(void)
{
	VAL(HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST, 1ULL << 0);
	VAL(HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE, 1ULL << 1);
	VAL(HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED, 1ULL << 4);
	VAL(HV_PARTITION_CREATION_FLAG_EXO_PARTITION, 1ULL << 8);
	VAL(HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED, 1ULL << 13);
	VAL(HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED, 1ULL << 19);
	VAL(HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE, 1ULL << 22);
	VAL(HV_COMPATIBILITY_21_H2, 0x0609);

	SZ(struct hv_partition_property_vmm_capabilities, 16);
	OFF(struct hv_partition_property_vmm_capabilities, bank_count, 0);
	OFF(struct hv_partition_property_vmm_capabilities, reserved, 2);
	OFF(struct hv_partition_property_vmm_capabilities, bank0, 8);

	SZ(struct hv_stats_page, 4096);
	VAL(HV_VP_COUNTER_ROOT_DISPATCH_THREAD_BLOCKED, 202);
}

static __always_inline void hv_check_regs(void)
{
	VAL(HV_X64_REGISTER_RAX, 0x00020000);
	VAL(HV_X64_REGISTER_RFLAGS, 0x00020011);
	VAL(HV_X64_REGISTER_XMM_CONTROL_STATUS, 0x00030019);
	VAL(HV_X64_REGISTER_TR, 0x00060007);
	VAL(HV_X64_REGISTER_GDTR, 0x00070001);
	VAL(HV_X64_REGISTER_TSC_ADJUST, 0x00080096);
	VAL(HV_REGISTER_VP_ROOT_SIGNAL_COUNT, 0x00090014);
	VAL(HV_REGISTER_SIRBP, 0x000A0015);
	VAL(HV_REGISTER_STIMER3_COUNT, 0x000B0007);

	/* Segment register (16) and table register (16). */
	SZ(struct hv_x64_segment_register, 16);
	OFF(struct hv_x64_segment_register, base, 0);
	OFF(struct hv_x64_segment_register, limit, 8);
	OFF(struct hv_x64_segment_register, selector, 12);
	OFF(struct hv_x64_segment_register, attributes, 14);
	SZ(struct hv_x64_table_register, 16);
	OFF(struct hv_x64_table_register, pad, 0);
	OFF(struct hv_x64_table_register, limit, 6);
	OFF(struct hv_x64_table_register, base, 8);
	SZ(struct hv_x64_fp_register, 16);
	SZ(struct hv_x64_fp_control_status_register, 16);
	SZ(struct hv_x64_xmm_control_status_register, 16);

	/* Register value (16) and association (32). */
	SZ(union hv_register_value, 16);
	SZ(struct hv_register_assoc, 32);
	OFF(struct hv_register_assoc, name, 0);
	OFF(struct hv_register_assoc, reserved1, 4);
	OFF(struct hv_register_assoc, reserved2, 8);
	OFF(struct hv_register_assoc, value, 16);

	/* VP register page: 696 bytes used. */
	SZ(union hv_vp_register_page_interrupt_vectors, 8);
	SZ(struct hv_vp_register_page, 696);
	OFF(struct hv_vp_register_page, version, 0);
	OFF(struct hv_vp_register_page, isvalid, 2);
	OFF(struct hv_vp_register_page, rsvdz, 3);
	OFF(struct hv_vp_register_page, dirty, 4);
	OFF(struct hv_vp_register_page, rax, 8);
	OFF(struct hv_vp_register_page, rcx, 16);
	OFF(struct hv_vp_register_page, rdx, 24);
	OFF(struct hv_vp_register_page, rbx, 32);
	OFF(struct hv_vp_register_page, rsp, 40);
	OFF(struct hv_vp_register_page, rbp, 48);
	OFF(struct hv_vp_register_page, rsi, 56);
	OFF(struct hv_vp_register_page, rdi, 64);
	OFF(struct hv_vp_register_page, r8, 72);
	OFF(struct hv_vp_register_page, r15, 128);
	OFF(struct hv_vp_register_page, rip, 136);
	OFF(struct hv_vp_register_page, rflags, 144);
	OFF(struct hv_vp_register_page, reserved, 152);
	OFF(struct hv_vp_register_page, xmm0, 160);
	OFF(struct hv_vp_register_page, xmm5, 240);
	OFF(struct hv_vp_register_page, es, 256);
	OFF(struct hv_vp_register_page, cs, 272);
	OFF(struct hv_vp_register_page, ss, 288);
	OFF(struct hv_vp_register_page, ds, 304);
	OFF(struct hv_vp_register_page, fs, 320);
	OFF(struct hv_vp_register_page, gs, 336);
	OFF(struct hv_vp_register_page, cr0, 352);
	OFF(struct hv_vp_register_page, cr3, 360);
	OFF(struct hv_vp_register_page, cr4, 368);
	OFF(struct hv_vp_register_page, cr8, 376);
	OFF(struct hv_vp_register_page, efer, 384);
	OFF(struct hv_vp_register_page, dr7, 392);
	OFF(struct hv_vp_register_page, pending_interruption, 400);
	OFF(struct hv_vp_register_page, interrupt_state, 408);
	OFF(struct hv_vp_register_page, instruction_emulation_hints, 416);
	OFF(struct hv_vp_register_page, xfem, 424);
	OFF(struct hv_vp_register_page, reserved1, 432);
	OFF(struct hv_vp_register_page, interrupt_vectors, 688);

	/* Bit layouts of register values (reference §4.3-4.4). */
	VAL(HV_X64_SEGMENT_ATTR_PRESENT, 0x80);
	VAL(HV_X64_SEGMENT_ATTR_LONG, 0x2000);
	VAL(HV_X64_SEGMENT_ATTR_GRANULARITY, 0x8000);
	VAL(HV_X64_PENDING_INTERRUPTION_VECTOR, 0xFFFF0000ULL);
	VAL(HV_X64_PENDING_INTERRUPTION_INSTRUCTION_LENGTH, 0x1E0ULL);
}

static __always_inline void hv_check_synic(void)
{
	VAL(HV_X64_MSR_SCONTROL, 0x40000080);
	VAL(HV_X64_MSR_SIRBP, 0x40000085);
	VAL(HV_X64_MSR_SINT(15), 0x4000009F);
	VAL(HV_SYNIC_SINT_MASKED, 1ULL << 16);
	VAL(HV_SYNIC_SINT_AUTO_EOI, 1ULL << 17);
	VAL(HV_SYNIC_SINT_POLLING, 1ULL << 18);
	VAL(HV_SYNIC_SINT_AS_INTERCEPT, 1ULL << 19);
	VAL(HV_SYNIC_SINT_PROXY, 1ULL << 20);
	VAL(HV_SYNIC_DOORBELL_SINT_INDEX, 5);

	SZ(struct hv_message_header, 16);
	OFF(struct hv_message_header, message_type, 0);
	OFF(struct hv_message_header, payload_size, 4);
	OFF(struct hv_message_header, message_flags, 5);
	OFF(struct hv_message_header, reserved, 6);
	OFF(struct hv_message_header, sender, 8);
	OFF(struct hv_message_header, port_id, 8);
	SZ(struct hv_message, 256);
	OFF(struct hv_message, u.payload, 16);
	SZ(struct hv_message_page, 4096);
	SZ(union hv_synic_event_flags, 256);
	SZ(struct hv_synic_event_flags_page, 4096);
	SZ(struct hv_synic_event_ring, 256);
	OFF(struct hv_synic_event_ring, signal_masked, 0);
	OFF(struct hv_synic_event_ring, ring_full, 1);
	OFF(struct hv_synic_event_ring, reserved_z, 2);
	OFF(struct hv_synic_event_ring, data, 4);
	SZ(struct hv_synic_event_ring_page, 4096);
}

static __always_inline void hv_check_messages(void)
{
	SZ(struct hv_notification_message_payload, 4);		/* derived */
	SZ(struct hv_timer_message_payload, 24);		/* derived */
	SZ(struct hv_opaque_intercept_message, 4);

	SZ(struct hv_async_completion_message_payload, 24);
	OFF(struct hv_async_completion_message_payload, partition_id, 0);
	OFF(struct hv_async_completion_message_payload, status, 8);
	OFF(struct hv_async_completion_message_payload, completion_count, 12);
	OFF(struct hv_async_completion_message_payload, sub_status, 16);

	SZ(struct hv_vpset, 16);				/* derived */
	SZ(struct hv_vp_signal_bitset_scheduler_message, 160);
	OFF(struct hv_vp_signal_bitset_scheduler_message, partition_id, 0);
	OFF(struct hv_vp_signal_bitset_scheduler_message, overflow_count, 8);
	OFF(struct hv_vp_signal_bitset_scheduler_message, vp_count, 12);
	OFF(struct hv_vp_signal_bitset_scheduler_message, reserved, 14);
	OFF(struct hv_vp_signal_bitset_scheduler_message, vp_bitset, 16);
	OFF(struct hv_vp_signal_bitset_scheduler_message, vp_bitset.bitset.format, 16);
	OFF(struct hv_vp_signal_bitset_scheduler_message, vp_bitset.bitset.valid_bank_mask, 24);
	OFF(struct hv_vp_signal_bitset_scheduler_message, vp_bitset.bitset.bank_contents, 32);
	SZ(struct hv_vp_signal_pair_scheduler_message, 240);
	OFF(struct hv_vp_signal_pair_scheduler_message, overflow_count, 0);
	OFF(struct hv_vp_signal_pair_scheduler_message, vp_count, 4);
	OFF(struct hv_vp_signal_pair_scheduler_message, reserved1, 5);
	OFF(struct hv_vp_signal_pair_scheduler_message, partition_ids, 8);
	OFF(struct hv_vp_signal_pair_scheduler_message, vp_indexes, 160);
	OFF(struct hv_vp_signal_pair_scheduler_message, reserved2, 236);
	VAL(HV_MESSAGE_MAX_PARTITION_VP_PAIR_COUNT, 19);

	SZ(struct hv_x64_intercept_message_header, 40);
	OFF(struct hv_x64_intercept_message_header, vp_index, 0);
	OFF(struct hv_x64_intercept_message_header, instr_len_cr8, 4);
	OFF(struct hv_x64_intercept_message_header, intercept_access_type, 5);
	OFF(struct hv_x64_intercept_message_header, execution_state, 6);
	OFF(struct hv_x64_intercept_message_header, cs_segment, 8);
	OFF(struct hv_x64_intercept_message_header, rip, 24);
	OFF(struct hv_x64_intercept_message_header, rflags, 32);
	VAL(HV_X64_VP_EXECUTION_STATE_VTL, 0x780);
	VAL(HV_X64_VP_EXECUTION_STATE_VIRTUALIZATION_FAULT_ACTIVE, 0x2000);

	SZ(struct hv_x64_io_port_intercept_message, 128);
	OFF(struct hv_x64_io_port_intercept_message, port_number, 40);
	OFF(struct hv_x64_io_port_intercept_message, access_info, 42);
	OFF(struct hv_x64_io_port_intercept_message, instruction_byte_count, 43);
	OFF(struct hv_x64_io_port_intercept_message, reserved, 44);
	OFF(struct hv_x64_io_port_intercept_message, rax, 48);
	OFF(struct hv_x64_io_port_intercept_message, instruction_bytes, 56);
	OFF(struct hv_x64_io_port_intercept_message, ds_segment, 72);
	OFF(struct hv_x64_io_port_intercept_message, es_segment, 88);
	OFF(struct hv_x64_io_port_intercept_message, rcx, 104);
	OFF(struct hv_x64_io_port_intercept_message, rsi, 112);
	OFF(struct hv_x64_io_port_intercept_message, rdi, 120);

	SZ(struct hv_x64_memory_intercept_message, 80);
	OFF(struct hv_x64_memory_intercept_message, cache_type, 40);
	OFF(struct hv_x64_memory_intercept_message, instruction_byte_count, 44);
	OFF(struct hv_x64_memory_intercept_message, memory_access_info, 45);
	OFF(struct hv_x64_memory_intercept_message, tpr_priority, 46);
	OFF(struct hv_x64_memory_intercept_message, reserved1, 47);
	OFF(struct hv_x64_memory_intercept_message, guest_virtual_address, 48);
	OFF(struct hv_x64_memory_intercept_message, guest_physical_address, 56);
	OFF(struct hv_x64_memory_intercept_message, instruction_bytes, 64);

	SZ(struct hv_x64_cpuid_intercept_message, 104);
	OFF(struct hv_x64_cpuid_intercept_message, rax, 40);
	OFF(struct hv_x64_cpuid_intercept_message, rcx, 48);
	OFF(struct hv_x64_cpuid_intercept_message, rdx, 56);
	OFF(struct hv_x64_cpuid_intercept_message, rbx, 64);
	OFF(struct hv_x64_cpuid_intercept_message, default_result_rax, 72);
	OFF(struct hv_x64_cpuid_intercept_message, default_result_rcx, 80);
	OFF(struct hv_x64_cpuid_intercept_message, default_result_rdx, 88);
	OFF(struct hv_x64_cpuid_intercept_message, default_result_rbx, 96);

	SZ(struct hv_x64_msr_intercept_message, 64);
	OFF(struct hv_x64_msr_intercept_message, msr_number, 40);
	OFF(struct hv_x64_msr_intercept_message, reserved, 44);
	OFF(struct hv_x64_msr_intercept_message, rdx, 48);
	OFF(struct hv_x64_msr_intercept_message, rax, 56);

	SZ(struct hv_x64_exception_intercept_message, 240);
	OFF(struct hv_x64_exception_intercept_message, exception_vector, 40);
	OFF(struct hv_x64_exception_intercept_message, exception_info, 42);
	OFF(struct hv_x64_exception_intercept_message, instruction_byte_count, 43);
	OFF(struct hv_x64_exception_intercept_message, error_code, 44);
	OFF(struct hv_x64_exception_intercept_message, exception_parameter, 48);
	OFF(struct hv_x64_exception_intercept_message, reserved, 56);
	OFF(struct hv_x64_exception_intercept_message, instruction_bytes, 64);
	OFF(struct hv_x64_exception_intercept_message, ds_segment, 80);
	OFF(struct hv_x64_exception_intercept_message, ss_segment, 96);
	OFF(struct hv_x64_exception_intercept_message, rax, 112);
	OFF(struct hv_x64_exception_intercept_message, rcx, 120);
	OFF(struct hv_x64_exception_intercept_message, rdx, 128);
	OFF(struct hv_x64_exception_intercept_message, rbx, 136);
	OFF(struct hv_x64_exception_intercept_message, rsp, 144);
	OFF(struct hv_x64_exception_intercept_message, rbp, 152);
	OFF(struct hv_x64_exception_intercept_message, rsi, 160);
	OFF(struct hv_x64_exception_intercept_message, rdi, 168);
	OFF(struct hv_x64_exception_intercept_message, r8, 176);
	OFF(struct hv_x64_exception_intercept_message, r15, 232);

	SZ(struct hv_x64_hypercall_intercept_message, 196);
	OFF(struct hv_x64_hypercall_intercept_message, rax, 40);
	OFF(struct hv_x64_hypercall_intercept_message, rbx, 48);
	OFF(struct hv_x64_hypercall_intercept_message, rcx, 56);
	OFF(struct hv_x64_hypercall_intercept_message, rdx, 64);
	OFF(struct hv_x64_hypercall_intercept_message, r8, 72);
	OFF(struct hv_x64_hypercall_intercept_message, rsi, 80);
	OFF(struct hv_x64_hypercall_intercept_message, rdi, 88);
	OFF(struct hv_x64_hypercall_intercept_message, xmmregisters, 96);
	OFF(struct hv_x64_hypercall_intercept_message, flags, 192);

	SZ(struct hv_x64_halt_message, 40);
	SZ(struct hv_x64_unrecoverable_exception_message, 40);

	SZ(struct hv_x64_interruption_deliverable_message, 48);
	OFF(struct hv_x64_interruption_deliverable_message, deliverable_type, 40);
	OFF(struct hv_x64_interruption_deliverable_message, rsvd, 44);

	SZ(struct hv_x64_sint_deliverable_message, 48);
	OFF(struct hv_x64_sint_deliverable_message, deliverable_sints, 40);
	OFF(struct hv_x64_sint_deliverable_message, rsvd1, 42);
	OFF(struct hv_x64_sint_deliverable_message, rsvd2, 44);

	SZ(struct hv_x64_sipi_intercept_message, 48);
	OFF(struct hv_x64_sipi_intercept_message, target_vp_index, 40);
	OFF(struct hv_x64_sipi_intercept_message, interrupt_vector, 44);

	SZ(struct hv_x64_apic_eoi_message, 8);
	OFF(struct hv_x64_apic_eoi_message, vp_index, 0);
	OFF(struct hv_x64_apic_eoi_message, interrupt_vector, 4);

	SZ(struct hv_x64_invalid_vp_register_message, 8);
	OFF(struct hv_x64_invalid_vp_register_message, reserved, 4);

	SZ(struct hv_x64_unsupported_feature_message, 16);
	OFF(struct hv_x64_unsupported_feature_message, feature_code, 4);
	OFF(struct hv_x64_unsupported_feature_message, feature_parameter, 8);

	SZ(union hv_x64_register_access_info, 16);
	SZ(struct hv_x64_register_intercept_message, 64);
	OFF(struct hv_x64_register_intercept_message, flags, 40);
	OFF(struct hv_x64_register_intercept_message, reserved8, 41);
	OFF(struct hv_x64_register_intercept_message, reserved16, 42);
	OFF(struct hv_x64_register_intercept_message, register_name, 44);
	OFF(struct hv_x64_register_intercept_message, access_info, 48);

	SZ(struct hv_x64_gpa_attribute_intercept_message, 240);
	OFF(struct hv_x64_gpa_attribute_intercept_message, flags, 4);
	OFF(struct hv_x64_gpa_attribute_intercept_message, ranges, 8);

	SZ(struct hv_x64_vmgexit_intercept_message, 104);
	OFF(struct hv_x64_vmgexit_intercept_message, ghcb_msr, 40);
	OFF(struct hv_x64_vmgexit_intercept_message, flags, 48);
	OFF(struct hv_x64_vmgexit_intercept_message, ghcb_usage, 56);
	OFF(struct hv_x64_vmgexit_intercept_message, reserved_ghcb_page, 60);
	OFF(struct hv_x64_vmgexit_intercept_message, ghcb_protocol_version, 64);
	OFF(struct hv_x64_vmgexit_intercept_message, sw_exit_code, 72);
	OFF(struct hv_x64_vmgexit_intercept_message, sw_exit_info1, 80);
	OFF(struct hv_x64_vmgexit_intercept_message, sw_exit_info2, 88);
	OFF(struct hv_x64_vmgexit_intercept_message, sw_scratch, 96);

	/* Every payload fits the 240-byte message payload. */
	BUILD_BUG_ON(sizeof(struct hv_x64_exception_intercept_message) >
		     HV_MESSAGE_PAYLOAD_BYTE_COUNT);
	BUILD_BUG_ON(sizeof(struct hv_x64_gpa_attribute_intercept_message) >
		     HV_MESSAGE_PAYLOAD_BYTE_COUNT);
}

static __always_inline void hv_check_hvcall_partition(void)
{
	SZ(struct hv_proximity_domain_info, 8);
	OFF(struct hv_proximity_domain_info, domain_id, 0);
	OFF(struct hv_proximity_domain_info, flags, 4);
	VAL(HV_PROXIMITY_DOMAIN_INFO_VALID, 0x80000000U);

	SZ(struct hv_input_create_partition, 56);
	OFF(struct hv_input_create_partition, flags, 0);
	OFF(struct hv_input_create_partition, proximity_domain_info, 8);
	OFF(struct hv_input_create_partition, compatibility_version, 16);
	OFF(struct hv_input_create_partition, padding, 20);
	OFF(struct hv_input_create_partition, disabled_processor_features, 24);
	OFF(struct hv_input_create_partition, disabled_processor_xsave_features, 40);
	OFF(struct hv_input_create_partition, isolation_properties, 48);
	SZ(struct hv_output_create_partition, 8);
	SZ(struct hv_input_initialize_partition, 8);
	SZ(struct hv_input_finalize_partition, 8);
	SZ(struct hv_input_delete_partition, 8);
	SZ(struct hv_output_get_partition_id, 8);

	SZ(struct hv_input_get_partition_property, 16);
	OFF(struct hv_input_get_partition_property, partition_id, 0);
	OFF(struct hv_input_get_partition_property, property_code, 8);
	OFF(struct hv_input_get_partition_property, padding, 12);
	SZ(struct hv_output_get_partition_property, 8);
	SZ(struct hv_input_set_partition_property, 24);
	OFF(struct hv_input_set_partition_property, property_value, 16);

	SZ(union hv_partition_property_arg, 8);
	SZ(struct hv_input_get_partition_property_ex, 24);
	OFF(struct hv_input_get_partition_property_ex, property_code, 8);
	OFF(struct hv_input_get_partition_property_ex, padding, 12);
	OFF(struct hv_input_get_partition_property_ex, arg, 16);
	OFF(struct hv_input_get_partition_property_ex, arg_data.vp_index, 16);
	OFF(struct hv_input_get_partition_property_ex, arg_data.reserved0, 20);
	OFF(struct hv_input_get_partition_property_ex, arg_data.reserved1, 22);
	OFF(struct hv_input_get_partition_property_ex, arg_data.object_type, 23);
	SZ(union hv_partition_property_ex, 4072);
	SZ(struct hv_output_get_partition_property_ex, 4072);
	VAL(HV_PARTITION_PROPERTY_EX_MAX_VAR_SIZE, 4072);
}

static __always_inline void hv_check_hvcall_memory(void)
{
	SZ(struct hv_deposit_memory, 8);
	OFF(struct hv_deposit_memory, gpa_page_list, 8);
	SZ(struct hv_input_withdraw_memory, 16);
	OFF(struct hv_input_withdraw_memory, proximity_domain_info, 8);
	SZ(struct hv_output_withdraw_memory, 4096);

	VAL(HV_MAP_GPA_EXECUTABLE, 0xC);
	VAL(HV_MAP_GPA_ADJUSTABLE, 0x8000);
	VAL(HV_MAP_GPA_NO_ACCESS, 0x10000);
	VAL(HV_MAP_GPA_NOT_CACHED, 0x200000);
	VAL(HV_MAP_GPA_LARGE_PAGE, 0x80000000U);
	SZ(struct hv_input_map_gpa_pages, 24);
	OFF(struct hv_input_map_gpa_pages, target_partition_id, 0);
	OFF(struct hv_input_map_gpa_pages, target_gpa_base, 8);
	OFF(struct hv_input_map_gpa_pages, map_flags, 16);
	OFF(struct hv_input_map_gpa_pages, padding, 20);
	OFF(struct hv_input_map_gpa_pages, source_gpa_page_list, 24);
	SZ(struct hv_input_unmap_gpa_pages, 24);
	OFF(struct hv_input_unmap_gpa_pages, target_gpa_base, 8);
	OFF(struct hv_input_unmap_gpa_pages, unmap_flags, 16);
	OFF(struct hv_input_unmap_gpa_pages, padding, 20);

	SZ(struct hv_input_get_gpa_pages_access_state, 24);
	OFF(struct hv_input_get_gpa_pages_access_state, partition_id, 0);
	OFF(struct hv_input_get_gpa_pages_access_state, flags, 8);
	OFF(struct hv_input_get_gpa_pages_access_state, hv_gpa_page_number, 16);

	SZ(struct hv_input_modify_sparse_spa_page_host_access, 16);
	OFF(struct hv_input_modify_sparse_spa_page_host_access, host_access, 0);
	OFF(struct hv_input_modify_sparse_spa_page_host_access, flags, 4);
	OFF(struct hv_input_modify_sparse_spa_page_host_access, partition_id, 8);
	OFF(struct hv_input_modify_sparse_spa_page_host_access, spa_page_list, 16);
}

static __always_inline void hv_check_hvcall_vp(void)
{
	SZ(struct hv_create_vp, 40);
	OFF(struct hv_create_vp, partition_id, 0);
	OFF(struct hv_create_vp, vp_index, 8);
	OFF(struct hv_create_vp, padding, 12);
	OFF(struct hv_create_vp, subnode_type, 15);
	OFF(struct hv_create_vp, subnode_id, 16);
	OFF(struct hv_create_vp, proximity_domain_info, 24);
	OFF(struct hv_create_vp, flags, 32);
	SZ(union hv_input_delete_vp, 16);
	OFF(union hv_input_delete_vp, vp_index, 8);

	SZ(struct hv_input_get_vp_registers, 16);
	OFF(struct hv_input_get_vp_registers, vp_index, 8);
	OFF(struct hv_input_get_vp_registers, input_vtl, 12);
	OFF(struct hv_input_get_vp_registers, rsvd_z8, 13);
	OFF(struct hv_input_get_vp_registers, rsvd_z16, 14);
	OFF(struct hv_input_get_vp_registers, names, 16);
	SZ(struct hv_input_set_vp_registers, 16);
	OFF(struct hv_input_set_vp_registers, input_vtl, 12);
	OFF(struct hv_input_set_vp_registers, elements, 16);

	SZ(struct hv_input_translate_virtual_address, 32);
	OFF(struct hv_input_translate_virtual_address, vp_index, 8);
	OFF(struct hv_input_translate_virtual_address, padding, 12);
	OFF(struct hv_input_translate_virtual_address, control_flags, 16);
	OFF(struct hv_input_translate_virtual_address, gva_page, 24);
	SZ(struct hv_output_translate_virtual_address, 16);
	OFF(struct hv_output_translate_virtual_address, translation_result, 0);
	OFF(struct hv_output_translate_virtual_address, gpa_page, 8);

	SZ(struct hv_cpuid_leaf_info, 24);
	OFF(struct hv_cpuid_leaf_info, eax, 0);
	OFF(struct hv_cpuid_leaf_info, ecx, 4);
	OFF(struct hv_cpuid_leaf_info, xfem, 8);
	OFF(struct hv_cpuid_leaf_info, xss, 16);
	SZ(struct hv_input_get_vp_cpuid_values, 24);
	OFF(struct hv_input_get_vp_cpuid_values, vp_index, 8);
	OFF(struct hv_input_get_vp_cpuid_values, flags, 12);
	OFF(struct hv_input_get_vp_cpuid_values, reserved, 16);
	OFF(struct hv_input_get_vp_cpuid_values, padding, 20);
	OFF(struct hv_input_get_vp_cpuid_values, cpuid_leaf_info, 24);
	SZ(union hv_output_get_vp_cpuid_values, 16);
	OFF(union hv_output_get_vp_cpuid_values, eax, 0);
	OFF(union hv_output_get_vp_cpuid_values, ebx, 4);
	OFF(union hv_output_get_vp_cpuid_values, ecx, 8);
	OFF(union hv_output_get_vp_cpuid_values, edx, 12);

	SZ(union hv_intercept_parameters, 8);
	SZ(struct hv_input_install_intercept, 24);
	OFF(struct hv_input_install_intercept, access_type, 8);
	OFF(struct hv_input_install_intercept, intercept_type, 12);
	OFF(struct hv_input_install_intercept, intercept_parameter, 16);

	SZ(struct hv_register_x64_cpuid_result_parameters, 44);
	OFF(struct hv_register_x64_cpuid_result_parameters, input.subleaf_specific, 8);
	OFF(struct hv_register_x64_cpuid_result_parameters, input.always_override, 9);
	OFF(struct hv_register_x64_cpuid_result_parameters, result, 12);
	SZ(struct hv_register_x64_msr_result_parameters, 12);
	SZ(union hv_register_intercept_result_parameters, 44);
	SZ(struct hv_input_register_intercept_result, 60);
	OFF(struct hv_input_register_intercept_result, vp_index, 8);
	OFF(struct hv_input_register_intercept_result, intercept_type, 12);
	OFF(struct hv_input_register_intercept_result, parameters, 16);
}

static __always_inline void hv_check_hvcall_interrupts(void)
{
	VAL(HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED, 1ULL << 32);
	VAL(HV_INTERRUPT_CONTROL_LOGICAL_DEST_MODE, 1ULL << 33);
	SZ(struct hv_input_assert_virtual_interrupt, 32);
	OFF(struct hv_input_assert_virtual_interrupt, control, 8);
	OFF(struct hv_input_assert_virtual_interrupt, dest_addr, 16);
	OFF(struct hv_input_assert_virtual_interrupt, vector, 24);
	OFF(struct hv_input_assert_virtual_interrupt, target_vtl, 28);
	OFF(struct hv_input_assert_virtual_interrupt, rsvd_z0, 29);
	OFF(struct hv_input_assert_virtual_interrupt, rsvd_z1, 30);

	SZ(struct hv_input_signal_event_direct, 16);
	OFF(struct hv_input_signal_event_direct, target_vp, 8);
	OFF(struct hv_input_signal_event_direct, target_vtl, 12);
	OFF(struct hv_input_signal_event_direct, target_sint, 13);
	OFF(struct hv_input_signal_event_direct, flag_number, 14);
	SZ(struct hv_output_signal_event_direct, 8);
	OFF(struct hv_output_signal_event_direct, newly_signaled, 0);

	SZ(struct hv_input_post_message_direct, 280);
	OFF(struct hv_input_post_message_direct, vp_index, 8);
	OFF(struct hv_input_post_message_direct, vtl, 12);
	OFF(struct hv_input_post_message_direct, padding, 13);
	OFF(struct hv_input_post_message_direct, sint_index, 16);
	OFF(struct hv_input_post_message_direct, message, 20);
	OFF(struct hv_input_post_message_direct, padding2, 276);
}

static __always_inline void hv_check_hvcall_ports(void)
{
	SZ(struct hv_port_info, 24);
	OFF(struct hv_port_info, port_type, 0);
	OFF(struct hv_port_info, padding, 4);
	OFF(struct hv_port_info, doorbell_port_info.target_sint, 8);
	OFF(struct hv_port_info, doorbell_port_info.target_vp, 12);
	OFF(struct hv_port_info, doorbell_port_info.rsvdz, 16);
	OFF(struct hv_port_info, event_port_info.base_flag_number, 16);
	OFF(struct hv_port_info, event_port_info.flag_count, 18);
	OFF(struct hv_port_info, event_port_info.rsvdz, 20);
	OFF(struct hv_port_info, monitor_port_info.monitor_address, 8);
	OFF(struct hv_port_info, monitor_port_info.rsvdz, 16);

	SZ(struct hv_connection_info, 32);
	OFF(struct hv_connection_info, port_type, 0);
	OFF(struct hv_connection_info, padding, 4);
	OFF(struct hv_connection_info, doorbell_connection_info.gpa, 8);
	OFF(struct hv_connection_info, doorbell_connection_info.trigger_value, 16);
	OFF(struct hv_connection_info, doorbell_connection_info.flags, 24);
	OFF(struct hv_connection_info, monitor_connection_info.monitor_address, 8);

	SZ(struct hv_input_create_port, 56);
	OFF(struct hv_input_create_port, port_id, 8);
	OFF(struct hv_input_create_port, port_vtl, 12);
	OFF(struct hv_input_create_port, min_connection_vtl, 13);
	OFF(struct hv_input_create_port, padding, 14);
	OFF(struct hv_input_create_port, connection_partition_id, 16);
	OFF(struct hv_input_create_port, port_info, 24);
	OFF(struct hv_input_create_port, proximity_domain_info, 48);

	SZ(struct hv_input_connect_port, 72);
	OFF(struct hv_input_connect_port, connection_id, 8);
	OFF(struct hv_input_connect_port, connection_vtl, 12);
	OFF(struct hv_input_connect_port, rsvdz0, 13);
	OFF(struct hv_input_connect_port, rsvdz1, 14);
	OFF(struct hv_input_connect_port, port_partition_id, 16);
	OFF(struct hv_input_connect_port, port_id, 24);
	OFF(struct hv_input_connect_port, reserved2, 28);
	OFF(struct hv_input_connect_port, connection_info, 32);
	OFF(struct hv_input_connect_port, proximity_domain_info, 64);

	SZ(union hv_input_delete_port, 16);
	OFF(union hv_input_delete_port, port_id, 8);
	SZ(union hv_input_disconnect_port, 16);
	OFF(union hv_input_disconnect_port, connection_id, 8);
	OFF(union hv_input_disconnect_port, flags, 12);
	SZ(union hv_input_notify_port_ring_empty, 8);
	OFF(union hv_input_notify_port_ring_empty, sint_index, 0);
}

static __always_inline void hv_check_hvcall_stats_system(void)
{
	SZ(union hv_stats_object_identity, 16);
	OFF(union hv_stats_object_identity, vp.partition_id, 0);
	OFF(union hv_stats_object_identity, vp.vp_index, 8);
	OFF(union hv_stats_object_identity, vp.flags, 12);
	OFF(union hv_stats_object_identity, vp.reserved, 14);
	OFF(union hv_stats_object_identity, vp.stats_area_type, 15);
	OFF(union hv_stats_object_identity, hv.stats_area_type, 15);
	OFF(union hv_stats_object_identity, lp.stats_area_type, 15);
	OFF(union hv_stats_object_identity, partition.stats_area_type, 15);

	SZ(struct hv_input_map_stats_page, 24);
	OFF(struct hv_input_map_stats_page, type, 0);
	OFF(struct hv_input_map_stats_page, padding, 4);
	OFF(struct hv_input_map_stats_page, identity, 8);
	SZ(struct hv_input_map_stats_page2, 32);
	OFF(struct hv_input_map_stats_page2, map_location, 24);
	SZ(struct hv_output_map_stats_page, 8);
	SZ(struct hv_input_unmap_stats_page, 24);

	SZ(struct hv_input_get_system_property, 16);
	OFF(struct hv_input_get_system_property, property_id, 0);
	OFF(struct hv_input_get_system_property, reserved, 4);
	OFF(struct hv_input_get_system_property, as_uint64, 8);
	SZ(struct hv_output_get_system_property, 8);
	OFF(struct hv_output_get_system_property, scheduler_type, 0);
	SZ(struct hv_sleep_state_info, 6);			/* derived */
	SZ(struct hv_input_set_system_property, 72);
	OFF(struct hv_input_set_system_property, property_id, 0);
	OFF(struct hv_input_set_system_property, reserved, 4);
	OFF(struct hv_input_set_system_property, set_sleep_state_info, 8);
	SZ(struct hv_input_enter_sleep_state, 4);
}

static __always_inline void hv_check_hvcall_dispatch_state(void)
{
	SZ(struct hv_input_dispatch_vp, 32);
	OFF(struct hv_input_dispatch_vp, vp_index, 8);
	OFF(struct hv_input_dispatch_vp, flags, 12);
	OFF(struct hv_input_dispatch_vp, time_slice, 16);
	OFF(struct hv_input_dispatch_vp, spec_ctrl, 24);
	SZ(struct hv_output_dispatch_vp, 8);
	OFF(struct hv_output_dispatch_vp, dispatch_state, 0);
	OFF(struct hv_output_dispatch_vp, dispatch_event, 4);
	VAL(HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION, 0x40);

	SZ(struct hv_input_map_vp_state_page, 24);
	OFF(struct hv_input_map_vp_state_page, vp_index, 8);
	OFF(struct hv_input_map_vp_state_page, type, 12);
	OFF(struct hv_input_map_vp_state_page, input_vtl, 14);
	OFF(struct hv_input_map_vp_state_page, flags, 15);
	OFF(struct hv_input_map_vp_state_page, requested_map_location, 16);
	SZ(struct hv_output_map_vp_state_page, 8);
	SZ(struct hv_input_unmap_vp_state_page, 16);
	OFF(struct hv_input_unmap_vp_state_page, vp_index, 8);
	OFF(struct hv_input_unmap_vp_state_page, type, 12);
	OFF(struct hv_input_unmap_vp_state_page, input_vtl, 14);
	OFF(struct hv_input_unmap_vp_state_page, reserved0, 15);

	VAL(HV_GET_SET_VP_STATE_LAPIC_STATE, 0x80000000U);
	VAL(HV_GET_SET_VP_STATE_SIEF_PAGE, 0x80000003U);
	SZ(struct hv_vp_state_data_xsave, 16);
	SZ(struct hv_vp_state_data, 24);
	SZ(struct hv_input_get_vp_state, 40);
	OFF(struct hv_input_get_vp_state, vp_index, 8);
	OFF(struct hv_input_get_vp_state, input_vtl, 12);
	OFF(struct hv_input_get_vp_state, rsvd0, 13);
	OFF(struct hv_input_get_vp_state, rsvd1, 14);
	OFF(struct hv_input_get_vp_state, state_data.type, 16);
	OFF(struct hv_input_get_vp_state, state_data.rsvd, 20);
	OFF(struct hv_input_get_vp_state, state_data.xsave.flags, 24);
	OFF(struct hv_input_get_vp_state, state_data.xsave.states, 32);
	OFF(struct hv_input_get_vp_state, output_data_pfns, 40);
	SZ(union hv_input_set_vp_state_data, 8);
	SZ(struct hv_input_set_vp_state, 40);
	OFF(struct hv_input_set_vp_state, state_data, 16);
	OFF(struct hv_input_set_vp_state, data, 40);

	SZ(struct hv_stimer_state, 40);
	OFF(struct hv_stimer_state, flags, 0);
	OFF(struct hv_stimer_state, resvd, 4);
	OFF(struct hv_stimer_state, config, 8);
	OFF(struct hv_stimer_state, count, 16);
	OFF(struct hv_stimer_state, adjustment, 24);
	OFF(struct hv_stimer_state, undelivered_exp_time, 32);
	SZ(struct hv_synthetic_timers_state, 200);
	OFF(struct hv_synthetic_timers_state, reserved, 160);
	SZ(union hv_output_get_vp_state, 200);
	SZ(struct hv_local_interrupt_controller_state, 176);	/* rust-vmm bindings */
}

/* Batch limits (reference §2.4, "Batch limits used"). */
static __always_inline void hv_check_batch_limits(void)
{
	VAL(HV_MAP_GPA_BATCH_SIZE, 509);
	VAL(HV_UNMAP_GPA_BATCH_SIZE, 512);
	VAL(HV_GET_SET_VP_STATE_BATCH_SIZE, 507);
	VAL(HV_GET_GPA_ACCESS_STATES_BATCH_SIZE, 4095);
	VAL(HV_MODIFY_SPA_PAGE_HOST_ACCESS_BATCH_SIZE, 510);
	VAL(HV_SET_VP_REGISTERS_BATCH_SIZE, 127);
	VAL(HV_GET_VP_REGISTERS_BATCH_SIZE, 256);
	VAL(HV_DEPOSIT_MEMORY_BATCH_SIZE, 511);
	VAL(HV_WITHDRAW_BATCH_SIZE, 512);
	VAL(HV_GET_VP_CPUID_VALUES_BATCH_SIZE, 169);		/* derived */

	/* The other side of each call must hold a full batch too. */
	BUILD_BUG_ON((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_get_vp_registers)) / sizeof(u32) <
		     HV_GET_VP_REGISTERS_BATCH_SIZE);
	BUILD_BUG_ON(HV_HYP_PAGE_SIZE / sizeof(u8) < HV_GET_GPA_ACCESS_STATES_BATCH_SIZE);
	BUILD_BUG_ON(HV_HYP_PAGE_SIZE / sizeof(union hv_output_get_vp_cpuid_values) <
		     HV_GET_VP_CPUID_VALUES_BATCH_SIZE);
	BUILD_BUG_ON((HV_HYP_PAGE_SIZE - sizeof(struct hv_input_set_vp_state)) / sizeof(u64) <
		     HV_GET_SET_VP_STATE_BATCH_SIZE);
}

void hv_tlfs_check_layout(void)
{
	hv_check_core();
	hv_check_partition();
	hv_check_regs();
	hv_check_synic();
	hv_check_messages();
	hv_check_hvcall_partition();
	hv_check_hvcall_memory();
	hv_check_hvcall_vp();
	hv_check_hvcall_interrupts();
	hv_check_hvcall_ports();
	hv_check_hvcall_stats_system();
	hv_check_hvcall_dispatch_state();
	hv_check_batch_limits();
}
