// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercall entry: control-word validation and dispatch by call code.
 *
 * Validation follows the TLFS "Hypercall Interface" rules in this order:
 * unknown code -> INVALID_HYPERCALL_CODE; reserved control bits, a fast
 * call to a code that has no fast form (or the reverse), a rep count on a
 * simple call or none on a rep call, rep start beyond the rep count, a
 * variable header on a call that takes none, or input/output that does not
 * fit one page -> INVALID_HYPERCALL_INPUT.  Only then does the handler look
 * at the input.  Rep calls may stop early with SUCCESS and "reps completed"
 * short of the rep count (the caller re-issues with rep start advanced);
 * debugfs inject/max_reps forces that.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/spinlock.h>

#include "hvsim.h"

DEFINE_SPINLOCK(hvsim_lock);

#define HVC_REP		BIT(0)	/* rep call */
#define HVC_VARHEAD	BIT(1)	/* takes a variable header */
#define HVC_FAST	BIT(2)	/* may be issued as a fast call */
#define HVC_SLOW	BIT(3)	/* may be issued memory-based */
#define HVC_UNLOCKED	BIT(4)	/* handler takes hvsim_lock itself */

struct hvsim_hvcall_desc {
	u16 code;
	u8 flags;
	u16 in_size;		/* fixed input header */
	u16 in_rep;		/* input bytes per rep */
	u16 out_size;		/* fixed output */
	u16 out_rep;		/* output bytes per rep */
	u64 (*handler)(struct hvsim_call *c);
};

static u64 hvsim_call_success(struct hvsim_call *c)
{
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

/*
 * Calls from a child's VMM that target the child's own SynIC (post message
 * / signal event into the guest).  hvsim models no guest SynIC, so the
 * target SINT is never enabled: INVALID_VP_STATE, as Hyper-V answers for a
 * SynIC that is not set up.
 */
static u64 hvsim_call_no_guest_synic(struct hvsim_call *c)
{
	return hvsim_result(HV_STATUS_INVALID_VP_STATE, 0);
}

#define S(code, in, out, fn) \
	{ code, HVC_SLOW, in, 0, out, 0, fn }
#define F(code, in, fn) \
	{ code, HVC_FAST | HVC_SLOW, in, 0, 0, 0, fn }
#define R(code, in, inrep, out, outrep, fn) \
	{ code, HVC_SLOW | HVC_REP, in, inrep, out, outrep, fn }

static const struct hvsim_hvcall_desc hvsim_hvcalls[] = {
	S(HVCALL_CREATE_PARTITION, sizeof(struct hv_input_create_partition),
	  sizeof(struct hv_output_create_partition), hvsim_call_create_partition),
	F(HVCALL_INITIALIZE_PARTITION, sizeof(u64), hvsim_call_initialize_partition),
	F(HVCALL_FINALIZE_PARTITION, sizeof(u64), hvsim_call_finalize_partition),
	F(HVCALL_DELETE_PARTITION, sizeof(u64), hvsim_call_delete_partition),
	S(HVCALL_GET_PARTITION_PROPERTY, sizeof(struct hv_input_get_partition_property),
	  sizeof(struct hv_output_get_partition_property),
	  hvsim_call_get_partition_property),
	S(HVCALL_SET_PARTITION_PROPERTY, sizeof(struct hv_input_set_partition_property),
	  0, hvsim_call_set_partition_property),
	S(HVCALL_GET_PARTITION_ID, 0, sizeof(struct hv_output_get_partition_id),
	  hvsim_call_get_partition_id),
	R(HVCALL_DEPOSIT_MEMORY, sizeof(struct hv_deposit_memory), sizeof(u64), 0, 0,
	  hvsim_call_deposit_memory),
	R(HVCALL_WITHDRAW_MEMORY, sizeof(struct hv_input_withdraw_memory), 0, 0,
	  sizeof(u64), hvsim_call_withdraw_memory),
	R(HVCALL_MAP_GPA_PAGES, sizeof(struct hv_input_map_gpa_pages), sizeof(u64), 0, 0,
	  hvsim_call_map_gpa_pages),
	R(HVCALL_UNMAP_GPA_PAGES, sizeof(struct hv_input_unmap_gpa_pages), 0, 0, 0,
	  hvsim_call_unmap_gpa_pages),
	S(HVCALL_INSTALL_INTERCEPT, sizeof(struct hv_input_install_intercept), 0,
	  hvsim_call_install_intercept),
	S(HVCALL_CREATE_VP, sizeof(struct hv_create_vp), 0, hvsim_call_create_vp),
	F(HVCALL_DELETE_VP, sizeof(union hv_input_delete_vp), hvsim_call_delete_vp),
	R(HVCALL_GET_VP_REGISTERS, sizeof(struct hv_input_get_vp_registers), sizeof(u32),
	  0, sizeof(union hv_register_value), hvsim_call_get_vp_registers),
	R(HVCALL_SET_VP_REGISTERS, sizeof(struct hv_input_set_vp_registers),
	  sizeof(struct hv_register_assoc), 0, 0, hvsim_call_set_vp_registers),
	S(HVCALL_TRANSLATE_VIRTUAL_ADDRESS, sizeof(struct hv_input_translate_virtual_address),
	  sizeof(struct hv_output_translate_virtual_address),
	  hvsim_call_translate_virtual_address),
	F(HVCALL_CLEAR_VIRTUAL_INTERRUPT, sizeof(u64), hvsim_call_success),
	F(HVCALL_DELETE_PORT, sizeof(union hv_input_delete_port), hvsim_call_delete_port),
	F(HVCALL_DISCONNECT_PORT, sizeof(union hv_input_disconnect_port),
	  hvsim_call_disconnect_port),
	S(HVCALL_MAP_STATS_PAGE, sizeof(struct hv_input_map_stats_page),
	  sizeof(struct hv_output_map_stats_page), hvsim_call_map_stats_page),
	S(HVCALL_UNMAP_STATS_PAGE, sizeof(struct hv_input_unmap_stats_page), 0,
	  hvsim_call_unmap_stats_page),
	S(HVCALL_MAP_STATS_PAGE2, sizeof(struct hv_input_map_stats_page2), 0,
	  hvsim_call_map_stats_page2),
	S(HVCALL_SET_SYSTEM_PROPERTY, sizeof(struct hv_input_set_system_property), 0,
	  hvsim_call_success),
	S(HVCALL_GET_SYSTEM_PROPERTY, sizeof(struct hv_input_get_system_property),
	  sizeof(struct hv_output_get_system_property), hvsim_call_get_system_property),
	S(HVCALL_ENTER_SLEEP_STATE, sizeof(struct hv_input_enter_sleep_state), 0,
	  hvsim_call_success),
	F(HVCALL_NOTIFY_PORT_RING_EMPTY, sizeof(union hv_input_notify_port_ring_empty),
	  hvsim_call_notify_port_ring_empty),
	S(HVCALL_REGISTER_INTERCEPT_RESULT, sizeof(struct hv_input_register_intercept_result),
	  0, hvsim_call_register_intercept_result),
	S(HVCALL_ASSERT_VIRTUAL_INTERRUPT, sizeof(struct hv_input_assert_virtual_interrupt),
	  0, hvsim_call_assert_virtual_interrupt),
	S(HVCALL_CREATE_PORT, sizeof(struct hv_input_create_port), 0, hvsim_call_create_port),
	S(HVCALL_CONNECT_PORT, sizeof(struct hv_input_connect_port), 0,
	  hvsim_call_connect_port),
	S(HVCALL_SIGNAL_EVENT_DIRECT, sizeof(struct hv_input_signal_event_direct),
	  sizeof(struct hv_output_signal_event_direct), hvsim_call_no_guest_synic),
	S(HVCALL_POST_MESSAGE_DIRECT, sizeof(struct hv_input_post_message_direct), 0,
	  hvsim_call_no_guest_synic),
	{ HVCALL_DISPATCH_VP, HVC_SLOW | HVC_UNLOCKED, sizeof(struct hv_input_dispatch_vp),
	  0, sizeof(struct hv_output_dispatch_vp), 0, hvsim_call_dispatch_vp },
	R(HVCALL_GET_GPA_PAGES_ACCESS_STATES, sizeof(struct hv_input_get_gpa_pages_access_state),
	  0, 0, sizeof(u8), hvsim_call_get_gpa_pages_access_states),
	S(HVCALL_MAP_VP_STATE_PAGE, sizeof(struct hv_input_map_vp_state_page),
	  sizeof(struct hv_output_map_vp_state_page), hvsim_call_map_vp_state_page),
	S(HVCALL_UNMAP_VP_STATE_PAGE, sizeof(struct hv_input_unmap_vp_state_page), 0,
	  hvsim_call_unmap_vp_state_page),
	{ HVCALL_GET_VP_STATE, HVC_SLOW | HVC_VARHEAD, sizeof(struct hv_input_get_vp_state),
	  0, 0, 0, hvsim_call_get_vp_state },
	{ HVCALL_SET_VP_STATE, HVC_SLOW | HVC_VARHEAD, sizeof(struct hv_input_set_vp_state),
	  0, 0, 0, hvsim_call_set_vp_state },
	R(HVCALL_GET_VP_CPUID_VALUES, sizeof(struct hv_input_get_vp_cpuid_values),
	  sizeof(struct hv_cpuid_leaf_info), 0, sizeof(union hv_output_get_vp_cpuid_values),
	  hvsim_call_get_vp_cpuid_values),
	S(HVCALL_GET_PARTITION_PROPERTY_EX, sizeof(struct hv_input_get_partition_property_ex),
	  sizeof(struct hv_partition_property_vmm_capabilities),
	  hvsim_call_get_partition_property_ex),
};

#undef S
#undef F
#undef R

static const struct hvsim_hvcall_desc *hvsim_find_call(u16 code)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hvsim_hvcalls); i++)
		if (hvsim_hvcalls[i].code == code)
			return &hvsim_hvcalls[i];
	return NULL;
}

static u64 hvsim_do_call(u64 control, const void *input, void *output, bool fast)
{
	const struct hvsim_hvcall_desc *d;
	struct hvsim_call c = {};
	unsigned long flags;
	u32 in_bytes, out_bytes;
	u16 status;
	u64 ret;

	c.code = hv_hypercall_code(control);
	c.rep_count = hv_hypercall_rep_count(control);
	c.rep_start = hv_hypercall_rep_start(control);
	c.varhead = hv_hypercall_varhead(control);
	c.fast = fast;
	c.in = input;
	c.out = output;

	if (c.code < ARRAY_SIZE(hvsim_call_counts))
		atomic64_inc(&hvsim_call_counts[c.code]);

	d = hvsim_find_call(c.code);
	if (!d)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_CODE, 0);

	if (control & HV_HYPERCALL_RSVDZ_MASK)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (fast ? !(d->flags & HVC_FAST) : !(d->flags & HVC_SLOW))
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (d->flags & HVC_REP) {
		if (!c.rep_count || c.rep_start >= c.rep_count)
			return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	} else if (c.rep_count || c.rep_start) {
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	}
	if (c.varhead && !(d->flags & HVC_VARHEAD))
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);

	in_bytes = d->in_size + c.varhead * 8 + (u32)c.rep_count * d->in_rep;
	out_bytes = d->out_size + (u32)c.rep_count * d->out_rep;
	if (in_bytes > HV_HYP_PAGE_SIZE || out_bytes > HV_HYP_PAGE_SIZE)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if ((in_bytes && !input) || (out_bytes && !output)) {
		/* a real GPA 0 would be legal but is never what the caller meant */
		pr_warn_once("hypercall 0x%x without its input/output page\n", c.code);
		return hvsim_result(HV_STATUS_INVALID_ALIGNMENT, 0);
	}

	if (hvsim_inject_fault(c.code, &status)) {
		/* Async HvSetPartitionProperty reports it in its completion. */
		if (c.code != HVCALL_SET_PARTITION_PROPERTY || !READ_ONCE(hvsim_async_set_property))
			return hvsim_result(status, c.rep_start);
		c.injected = status;
	}

	c.rep_limit = c.rep_count;
	if ((d->flags & HVC_REP) && hvsim_max_reps &&
	    c.rep_count - c.rep_start > hvsim_max_reps)
		c.rep_limit = c.rep_start + hvsim_max_reps;

	if (d->flags & HVC_UNLOCKED)
		return d->handler(&c);

	spin_lock_irqsave(&hvsim_lock, flags);
	ret = d->handler(&c);
	spin_unlock_irqrestore(&hvsim_lock, flags);
	return ret;
}

u64 hvsim_hypercall(u64 control, void *input, void *output)
{
	if (control & HV_HYPERCALL_FAST_BIT)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	return hvsim_do_call(control, input, output, false);
}

u64 hvsim_hypercall_fast(u64 control, u64 input1, u64 input2)
{
	u64 in[2] = { input1, input2 };

	if (!(control & HV_HYPERCALL_FAST_BIT))
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	return hvsim_do_call(control, in, NULL, true);
}
