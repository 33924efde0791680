// SPDX-License-Identifier: GPL-2.0-only
/*
 * One wrapper per hypercall mshv_root issues.  Each fills the input page,
 * issues through the generic path (hv/hv_call.c), deposits memory and
 * retries where the hypervisor asks for it, and returns -errno.
 *
 * Every structure sent is checked against the TLFS layout here, next to
 * its use (hv_layout_check.c checks the full set once more).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/build_bug.h>

#include "mshv_root.h"
#include "hv/hv_status.h"

/*
 * One line per failed hypercall, so that an errno seen in userspace can be
 * traced to the hypervisor's answer.  Rate-limited: fault-injection tests
 * fail thousands of calls on purpose.
 */
static int hv_status_err(const char *what, u64 status)
{
	pr_warn_ratelimited("%s failed: %s (%#x)\n", what,
			    hv_status_name(hv_result_status(status)), hv_result_status(status));
	return hv_result_to_errno(status);
}

/*
 * The end of one attempt of a call that may ask for memory.  Returns 0
 * when @status is success; 1 after depositing what @status asks for into
 * @deposit_id (hv_deposit_memory()), so the caller issues the call again;
 * else -errno, a failed call logged as @what.
 */
static int hv_deposit_if_needed(u64 status, u64 deposit_id, const char *what)
{
	int ret;

	if (hv_result_success(status))
		return 0;
	if (!hv_result_needs_memory(status))
		return hv_status_err(what, status);
	ret = hv_deposit_memory(deposit_id, status);
	return ret ? ret : 1;
}

int hv_call_get_partition_id(u64 *partition_id)
{
	struct hv_output_get_partition_id *output;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*output) != 8);
	hv_call_get_pages((void **)&output, &flags);
	status = hv_call_issue(hv_hypercall_control(HVCALL_GET_PARTITION_ID, 0, 0, 0, false),
			       NULL, output);
	*partition_id = output->partition_id;
	hv_call_put_pages(flags);
	if (!hv_result_success(status))
		return hv_status_err("get partition id", status);
	return 0;
}

int hv_call_create_partition(u64 creation_flags, const u64 *disabled_features,
			     u64 disabled_xsave, u64 isolation_properties,
			     u64 *partition_id)
{
	struct hv_input_create_partition *input;
	struct hv_output_create_partition *output;
	unsigned long flags;
	u64 status;
	int ret;

	BUILD_BUG_ON(sizeof(*input) != 56);
	BUILD_BUG_ON(offsetof(struct hv_input_create_partition, compatibility_version) != 16);
	BUILD_BUG_ON(offsetof(struct hv_input_create_partition, disabled_processor_features) != 24);
	BUILD_BUG_ON(offsetof(struct hv_input_create_partition,
			      disabled_processor_xsave_features) != 40);
	BUILD_BUG_ON(offsetof(struct hv_input_create_partition, isolation_properties) != 48);
	BUILD_BUG_ON(sizeof(*output) != 8);

	do {
		input = hv_call_get_pages((void **)&output, &flags);
		input->flags = creation_flags;
		input->compatibility_version = HV_COMPATIBILITY_21_H2;
		memcpy(input->disabled_processor_features, disabled_features,
		       sizeof(input->disabled_processor_features));
		input->disabled_processor_xsave_features = disabled_xsave;
		input->isolation_properties = isolation_properties;
		status = hv_call_issue(hv_hypercall_control(HVCALL_CREATE_PARTITION,
							    0, 0, 0, false),
				       input, output);
		if (hv_result_success(status))
			*partition_id = output->partition_id;
		hv_call_put_pages(flags);
		/* The new partition is built from the parent's own pool. */
		ret = hv_deposit_if_needed(status, mshv_self_partition_id, "create partition");
	} while (ret > 0);
	return ret;
}

/* A fast call on one partition that may ask for memory before succeeding. */
static int hv_call_partition_fast(u16 code, u64 partition_id, const char *what)
{
	u64 status;
	int ret;

	/* The partition id is the whole input, passed in RDX. */
	BUILD_BUG_ON(sizeof(struct hv_input_initialize_partition) != sizeof(u64));
	BUILD_BUG_ON(sizeof(struct hv_input_finalize_partition) != sizeof(u64));
	BUILD_BUG_ON(sizeof(struct hv_input_delete_partition) != sizeof(u64));

	do {
		status = hv_call_issue_fast(code, partition_id, 0);
		ret = hv_deposit_if_needed(status, partition_id, what);
	} while (ret > 0);
	return ret;
}

int hv_call_initialize_partition(u64 partition_id)
{
	int ret;

	ret = hv_call_deposit_pages(NUMA_NO_NODE, partition_id,
				    MSHV_INIT_PARTITION_DEPOSIT_PAGES);
	if (ret)
		return ret;
	return hv_call_partition_fast(HVCALL_INITIALIZE_PARTITION, partition_id,
				      "initialize partition");
}

int hv_call_finalize_partition(u64 partition_id)
{
	u64 status = hv_call_issue_fast(HVCALL_FINALIZE_PARTITION, partition_id, 0);

	return hv_result_success(status) ? 0 : hv_status_err("finalize partition", status);
}

int hv_call_delete_partition(u64 partition_id)
{
	u64 status = hv_call_issue_fast(HVCALL_DELETE_PARTITION, partition_id, 0);

	return hv_result_success(status) ? 0 : hv_status_err("delete partition", status);
}

/*
 * Map @page_count 4 KiB guest frames from @gfn onto @pages.  With
 * HV_MAP_GPA_LARGE_PAGE in @map_flags the range consists of 2 MiB pages
 * (@page_count and @gfn 512-aligned, every 512th entry of @pages is the
 * head) and the hypercall counts in 2 MiB units.  Without @pages the
 * frames are @mmio_pfn onwards (MMIO).  On failure after partial success
 * the part already mapped is unmapped again.
 */
int hv_call_map_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 map_flags,
			  struct page **pages, u64 mmio_pfn)
{
	struct hv_input_map_gpa_pages *input;
	u64 stride = 1, nr_units, done = 0, status;
	unsigned long flags;
	u16 batch, i, reps;
	int ret = 0;

	BUILD_BUG_ON(sizeof(*input) != 24);
	BUILD_BUG_ON(HV_MAP_GPA_BATCH_SIZE != 509);

	if (map_flags & HV_MAP_GPA_LARGE_PAGE) {
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
		if (WARN_ON_ONCE(page_count % stride || gfn % stride))
			return -EINVAL;
	}
	nr_units = page_count / stride;

	while (done < nr_units) {
		batch = min_t(u64, nr_units - done, HV_MAP_GPA_BATCH_SIZE);

		input = hv_call_get_pages(NULL, &flags);
		input->target_partition_id = partition_id;
		input->target_gpa_base = gfn + done * stride;
		input->map_flags = map_flags;
		for (i = 0; i < batch; i++)
			input->source_gpa_page_list[i] = pages ?
				page_to_pfn(pages[(done + i) * stride]) : mmio_pfn + done + i;
		status = hv_call_issue_rep(HVCALL_MAP_GPA_PAGES, batch, 0, 0, input, NULL);
		hv_call_put_pages(flags);

		reps = min(hv_result_reps(status), batch);
		done += reps;
		if (hv_result_success(status)) {
			if (reps)
				continue;
			ret = -EIO;	/* success without progress */
			break;
		}
		if (!hv_result_needs_memory(status)) {
			ret = hv_status_err("map gpa pages", status);
			break;
		}
		ret = hv_call_deposit_pages(NUMA_NO_NODE, partition_id,
					    MSHV_MAP_GPA_DEPOSIT_PAGES);
		if (ret)
			break;
	}

	if (ret && done)
		hv_call_unmap_gpa_pages(partition_id, gfn, done * stride,
					map_flags & HV_MAP_GPA_LARGE_PAGE ?
					HV_UNMAP_GPA_LARGE_PAGE : 0);
	return ret;
}

int hv_call_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 unmap_flags)
{
	struct hv_input_unmap_gpa_pages *input;
	u64 stride = 1, nr_units, done = 0, status;
	unsigned long flags;
	u16 batch, reps;
	int ret = 0;

	BUILD_BUG_ON(sizeof(*input) != 24);

	if (unmap_flags & HV_UNMAP_GPA_LARGE_PAGE)
		stride = HV_HYP_PAGES_PER_LARGE_PAGE;
	nr_units = page_count / stride;

	while (done < nr_units) {
		batch = min_t(u64, nr_units - done, HV_UNMAP_GPA_BATCH_SIZE);

		input = hv_call_get_pages(NULL, &flags);
		input->target_partition_id = partition_id;
		input->target_gpa_base = gfn + done * stride;
		input->unmap_flags = unmap_flags;
		status = hv_call_issue_rep(HVCALL_UNMAP_GPA_PAGES, batch, 0, 0, input, NULL);
		hv_call_put_pages(flags);

		reps = hv_result_reps(status);
		if (!hv_result_success(status)) {
			/* Keep going: every frame must be gone before unpinning. */
			ret = hv_status_err("unmap gpa pages", status);
			reps = batch;
		}
		done += reps ? reps : batch;
		cond_resched();
	}
	return ret;
}

int hv_call_create_vp(int node, u64 partition_id, u32 vp_index, u32 vp_flags)
{
	struct hv_create_vp *input;
	unsigned long flags;
	u64 status;
	int ret;

	BUILD_BUG_ON(sizeof(*input) != 40);
	BUILD_BUG_ON(offsetof(struct hv_create_vp, subnode_type) != 15);
	BUILD_BUG_ON(offsetof(struct hv_create_vp, flags) != 32);

	ret = hv_call_deposit_pages(node, partition_id, MSHV_CREATE_VP_DEPOSIT_PAGES);
	if (ret)
		return ret;

	do {
		input = hv_call_get_pages(NULL, &flags);
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->subnode_type = HV_SUBNODE_ANY;
		input->flags = vp_flags;
		status = hv_call_issue(hv_hypercall_control(HVCALL_CREATE_VP, 0, 0, 0, false),
				       input, NULL);
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, partition_id, "create vp");
	} while (ret > 0);
	return ret;
}

int hv_call_delete_vp(u64 partition_id, u32 vp_index)
{
	union hv_input_delete_vp input = {};
	u64 status;

	BUILD_BUG_ON(sizeof(input) != 16);
	input.partition_id = partition_id;
	input.vp_index = vp_index;
	status = hv_call_issue_fast(HVCALL_DELETE_VP, input.as_uint64[0],
				    input.as_uint64[1]);
	return hv_result_success(status) ? 0 : hv_status_err("delete vp", status);
}

int hv_call_get_vp_registers(u32 vp_index, u64 partition_id, u16 count,
			     u8 input_vtl, struct hv_register_assoc *regs)
{
	struct hv_input_get_vp_registers *input;
	union hv_register_value *output;
	u16 done = 0, batch, i;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 16);
	BUILD_BUG_ON(sizeof(*output) != 16);

	while (done < count) {
		batch = min_t(u16, count - done, HV_GET_VP_REGISTERS_BATCH_SIZE);

		input = hv_call_get_pages((void **)&output, &flags);
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->input_vtl = input_vtl;
		for (i = 0; i < batch; i++)
			input->names[i] = regs[done + i].name;
		status = hv_call_issue_rep(HVCALL_GET_VP_REGISTERS, batch, 0, 0,
					   input, output);
		if (hv_result_success(status))
			for (i = 0; i < batch; i++)
				regs[done + i].value = output[i];
		hv_call_put_pages(flags);

		if (!hv_result_success(status))
			return hv_status_err("get vp registers", status);
		done += batch;
	}
	return 0;
}

int hv_call_set_vp_registers(u32 vp_index, u64 partition_id, u16 count,
			     u8 input_vtl, struct hv_register_assoc *regs)
{
	struct hv_input_set_vp_registers *input;
	u16 done = 0, batch;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 16);
	BUILD_BUG_ON(sizeof(struct hv_register_assoc) != 32);

	while (done < count) {
		batch = min_t(u16, count - done, HV_SET_VP_REGISTERS_BATCH_SIZE);

		input = hv_call_get_pages(NULL, &flags);
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->input_vtl = input_vtl;
		memcpy(input->elements, &regs[done], batch * sizeof(*regs));
		status = hv_call_issue_rep(HVCALL_SET_VP_REGISTERS, batch, 0, 0,
					   input, NULL);
		hv_call_put_pages(flags);

		if (!hv_result_success(status))
			return hv_status_err("set vp registers", status);
		done += batch;
	}
	return 0;
}

/*
 * Map one of the VP's state pages.  With @overlay (L1VH whose hypervisor
 * lets the VMM choose the location) the page is ours and the hypervisor
 * overlays it; otherwise the hypervisor returns its own frame.
 */
int hv_call_map_vp_state_page(u64 partition_id, u32 vp_index, u16 type,
			      u8 input_vtl, struct page *overlay,
			      struct page **state_page)
{
	struct hv_input_map_vp_state_page *input;
	struct hv_output_map_vp_state_page *output;
	unsigned long flags;
	u64 status, pfn = 0;
	int ret;

	BUILD_BUG_ON(sizeof(*input) != 24);
	BUILD_BUG_ON(offsetof(struct hv_input_map_vp_state_page, requested_map_location) != 16);
	BUILD_BUG_ON(sizeof(*output) != 8);

	do {
		input = hv_call_get_pages((void **)&output, &flags);
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->type = type;
		input->input_vtl = input_vtl;
		if (overlay) {
			input->flags = HV_MAP_VP_STATE_PAGE_MAP_LOCATION_PROVIDED;
			input->requested_map_location = page_to_pfn(overlay);
		}
		status = hv_call_issue(hv_hypercall_control(HVCALL_MAP_VP_STATE_PAGE,
							    0, 0, 0, false),
				       input, output);
		if (hv_result_success(status))
			pfn = output->map_location;
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, partition_id, "map vp state page");
	} while (ret > 0);
	if (ret)
		return ret;

	if (overlay) {
		*state_page = overlay;
		return 0;
	}
	if (!pfn_valid(pfn)) {
		pr_err("vp state page %u at invalid pfn %#llx\n", type, pfn);
		hv_call_unmap_vp_state_page(partition_id, vp_index, type, input_vtl);
		return -EIO;
	}
	*state_page = pfn_to_page(pfn);
	return 0;
}

int hv_call_unmap_vp_state_page(u64 partition_id, u32 vp_index, u16 type, u8 input_vtl)
{
	struct hv_input_unmap_vp_state_page *input;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 16);

	input = hv_call_get_pages(NULL, &flags);
	input->partition_id = partition_id;
	input->vp_index = vp_index;
	input->type = type;
	input->input_vtl = input_vtl;
	status = hv_call_issue(hv_hypercall_control(HVCALL_UNMAP_VP_STATE_PAGE, 0, 0, 0, false),
			       input, NULL);
	hv_call_put_pages(flags);
	return hv_result_success(status) ? 0 : hv_status_err("unmap vp state page", status);
}

/*
 * HvGetVpState.  PFN types move the data through @pages (@page_count
 * entries); the synthetic timers come back inline in @out.
 */
int hv_call_get_vp_state(u32 vp_index, u64 partition_id,
			 const struct hv_vp_state_data *state_data,
			 u64 page_count, struct page **pages,
			 union hv_output_get_vp_state *out)
{
	struct hv_input_get_vp_state *input;
	union hv_output_get_vp_state *output;
	unsigned long flags;
	u64 status, i;
	int ret;

	BUILD_BUG_ON(sizeof(*input) != 40);
	BUILD_BUG_ON(sizeof(struct hv_synthetic_timers_state) != 200);

	if (page_count > HV_GET_SET_VP_STATE_BATCH_SIZE)
		return -EINVAL;

	do {
		input = hv_call_get_pages((void **)&output, &flags);
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->state_data = *state_data;
		for (i = 0; i < page_count; i++)
			input->output_data_pfns[i] = page_to_pfn(pages[i]);
		status = hv_call_issue(hv_hypercall_control(HVCALL_GET_VP_STATE, 0, 0,
							    page_count, false),
				       input, output);
		if (hv_result_success(status) && out)
			memcpy(out, output, sizeof(*out));
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, partition_id, "get vp state");
	} while (ret > 0);
	return ret;
}

/* HvSetVpState: from @pages for PFN types, else from @bytes inline. */
int hv_call_set_vp_state(u32 vp_index, u64 partition_id,
			 const struct hv_vp_state_data *state_data,
			 u64 page_count, struct page **pages,
			 u32 num_bytes, const void *bytes)
{
	struct hv_input_set_vp_state *input;
	unsigned long flags;
	u64 status, i, varhead;
	int ret;

	BUILD_BUG_ON(sizeof(*input) != 40);

	if (page_count > HV_GET_SET_VP_STATE_BATCH_SIZE ||
	    num_bytes > HV_HYP_PAGE_SIZE - sizeof(*input))
		return -EINVAL;
	varhead = page_count ? page_count : DIV_ROUND_UP(num_bytes, sizeof(u64));

	do {
		input = hv_call_get_pages(NULL, &flags);
		input->partition_id = partition_id;
		input->vp_index = vp_index;
		input->state_data = *state_data;
		if (page_count) {
			for (i = 0; i < page_count; i++)
				input->data[i].pfns = page_to_pfn(pages[i]);
		} else {
			memcpy(input->data, bytes, num_bytes);
		}
		status = hv_call_issue(hv_hypercall_control(HVCALL_SET_VP_STATE, 0, 0,
							    varhead, false),
				       input, NULL);
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, partition_id, "set vp state");
	} while (ret > 0);
	return ret;
}

int hv_call_get_partition_property(u64 partition_id, u32 property_code, u64 *value)
{
	struct hv_input_get_partition_property *input;
	struct hv_output_get_partition_property *output;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 16);
	BUILD_BUG_ON(sizeof(*output) != 8);

	input = hv_call_get_pages((void **)&output, &flags);
	input->partition_id = partition_id;
	input->property_code = property_code;
	status = hv_call_issue(hv_hypercall_control(HVCALL_GET_PARTITION_PROPERTY,
						    0, 0, 0, false),
			       input, output);
	if (hv_result_success(status))
		*value = output->property_value;
	hv_call_put_pages(flags);
	return hv_result_success(status) ? 0 : hv_status_err("get partition property", status);
}

int hv_call_get_partition_property_ex(u64 partition_id, u32 property_code, u64 arg,
				      void *value, size_t size)
{
	struct hv_input_get_partition_property_ex *input;
	struct hv_output_get_partition_property_ex *output;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 24);
	if (size > sizeof(*output))
		return -EINVAL;

	input = hv_call_get_pages((void **)&output, &flags);
	input->partition_id = partition_id;
	input->property_code = property_code;
	input->arg = arg;
	status = hv_call_issue(hv_hypercall_control(HVCALL_GET_PARTITION_PROPERTY_EX,
						    0, 0, 0, false),
			       input, output);
	if (hv_result_success(status))
		memcpy(value, output, size);
	hv_call_put_pages(flags);
	return hv_result_success(status) ? 0 :
	       hv_status_err("get partition property ex", status);
}

int hv_call_get_scheduler_type(u32 *type)
{
	struct hv_input_get_system_property *input;
	struct hv_output_get_system_property *output;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 16);
	BUILD_BUG_ON(sizeof(*output) != 8);

	input = hv_call_get_pages((void **)&output, &flags);
	input->property_id = HV_SYSTEM_PROPERTY_SCHEDULER_TYPE;
	status = hv_call_issue(hv_hypercall_control(HVCALL_GET_SYSTEM_PROPERTY,
						    0, 0, 0, false),
			       input, output);
	if (hv_result_success(status))
		*type = output->scheduler_type;
	hv_call_put_pages(flags);
	return hv_result_success(status) ? 0 : hv_status_err("get scheduler type", status);
}

/*
 * HvDispatchVp on this CPU's dispatch pages.  Interrupts are disabled
 * around the call with ENABLE_CALLER_INTERRUPTS set, so the hypervisor
 * enables them while the VP runs; they are restored here in any case.
 */
int hv_call_dispatch_vp(u64 partition_id, u32 vp_index, u32 dispatch_flags,
			struct hv_output_dispatch_vp *res)
{
	struct hv_input_dispatch_vp *input;
	struct hv_output_dispatch_vp *output;
	unsigned long irqflags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 32);
	BUILD_BUG_ON(sizeof(*output) != 8);

	input = hv_call_get_dispatch_pages((void **)&output);
	input->partition_id = partition_id;
	input->vp_index = vp_index;
	input->time_slice = 0;	/* run until an event */
	local_irq_save(irqflags);
	if (!irqs_disabled_flags(irqflags))
		dispatch_flags |= HV_DISPATCH_VP_FLAG_ENABLE_CALLER_INTERRUPTS;
	input->flags = dispatch_flags;
	status = hv_call_issue(hv_hypercall_control(HVCALL_DISPATCH_VP, 0, 0, 0, false),
			       input, output);
	local_irq_restore(irqflags);
	*res = *output;
	hv_call_put_dispatch_pages();
	return hv_result_success(status) ? 0 : hv_status_err("dispatch vp", status);
}

/*
 * MSHV_ROOT_HVCALL: issue @code for @partition_id with the caller's input
 * (its first u64 replaced by the partition id), depositing memory and
 * resuming rep calls at the rep completed so far until done (7.2).
 * Returns the final hypercall result word; @out receives @out_sz bytes of
 * the output page of the last attempt.
 */
u64 hv_call_passthru(u64 partition_id, u16 code, u16 reps, const void *in,
		     u16 in_sz, void *out, u16 out_sz, int *deposit_err)
{
	unsigned long flags;
	void *input, *output;
	u16 done = 0;
	u64 status;

	*deposit_err = 0;
	for (;;) {
		input = hv_call_get_pages(&output, &flags);
		memcpy(input, in, in_sz);
		*(u64 *)input = partition_id;
		if (reps)
			status = hv_call_issue_rep(code, reps, done, 0, input, output);
		else
			status = hv_call_issue(hv_hypercall_control(code, 0, 0, 0, false),
					       input, output);
		if (out)
			memcpy(out, output, out_sz);
		hv_call_put_pages(flags);

		if (reps)
			done = hv_result_reps(status);
		if (hv_result_success(status) || !hv_result_needs_memory(status))
			return status;
		*deposit_err = hv_deposit_memory(partition_id, status);
		if (*deposit_err)
			return status;
	}
}

int hv_call_notify_port_ring_empty(u32 sint_index)
{
	union hv_input_notify_port_ring_empty input = { .sint_index = sint_index };
	u64 status;

	BUILD_BUG_ON(sizeof(input) != 8);
	status = hv_call_issue_fast(HVCALL_NOTIFY_PORT_RING_EMPTY, input.as_uint64, 0);
	return hv_result_success(status) ? 0 : hv_result_to_errno(status);
}

/*
 * Map the stats page of a VP's @area (SELF or PARENT).  With @overlay
 * (L1VH with the overlay capability, 6.19+) the page is ours and goes in
 * with HvMapStatsPage2; otherwise the hypervisor returns its own frame.
 * Memory for the mapping comes from the parent's own pool.
 */
int hv_call_map_vp_stats_page(u64 partition_id, u32 vp_index, u8 area,
			      struct page *overlay, struct page **stats_page)
{
	struct hv_input_map_stats_page2 *input;
	struct hv_output_map_stats_page *output;
	unsigned long flags;
	u64 status, pfn = 0;
	u16 code = overlay ? HVCALL_MAP_STATS_PAGE2 : HVCALL_MAP_STATS_PAGE;
	int ret;

	BUILD_BUG_ON(sizeof(struct hv_input_map_stats_page) != 24);
	BUILD_BUG_ON(sizeof(*input) != 32);
	BUILD_BUG_ON(sizeof(union hv_stats_object_identity) != 16);
	BUILD_BUG_ON(offsetof(union hv_stats_object_identity, vp.stats_area_type) != 15);
	BUILD_BUG_ON(sizeof(*output) != 8);

	do {
		input = hv_call_get_pages((void **)&output, &flags);
		input->type = HV_STATS_OBJECT_VP;
		input->identity.vp.partition_id = partition_id;
		input->identity.vp.vp_index = vp_index;
		input->identity.vp.stats_area_type = area;
		if (overlay)
			input->map_location = page_to_pfn(overlay);
		status = hv_call_issue(hv_hypercall_control(code, 0, 0, 0, false),
				       input, overlay ? NULL : output);
		if (hv_result_success(status) && !overlay)
			pfn = output->map_location;
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, mshv_self_partition_id, "map stats page");
	} while (ret > 0);
	if (ret)
		return ret;

	if (overlay) {
		*stats_page = overlay;
		return 0;
	}
	if (!pfn_valid(pfn)) {
		hv_call_unmap_vp_stats_page(partition_id, vp_index, area);
		return -EIO;
	}
	*stats_page = pfn_to_page(pfn);
	return 0;
}

int hv_call_unmap_vp_stats_page(u64 partition_id, u32 vp_index, u8 area)
{
	struct hv_input_unmap_stats_page *input;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 24);

	input = hv_call_get_pages(NULL, &flags);
	input->type = HV_STATS_OBJECT_VP;
	input->identity.vp.partition_id = partition_id;
	input->identity.vp.vp_index = vp_index;
	input->identity.vp.stats_area_type = area;
	status = hv_call_issue(hv_hypercall_control(HVCALL_UNMAP_STATS_PAGE, 0, 0, 0, false),
			       input, NULL);
	hv_call_put_pages(flags);
	return hv_result_success(status) ? 0 : hv_status_err("unmap stats page", status);
}

/*
 * irqfd injection and resample (mshv_eventfd.c).  Both may be called with
 * interrupts off (eventfd wait-queue callback, SynIC ISR) and do not log.
 */
int hv_call_assert_virtual_interrupt(u64 partition_id, u32 vector, u64 dest_addr,
				     u64 control)
{
	struct hv_input_assert_virtual_interrupt *input;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 32);
	input = hv_call_get_pages(NULL, &flags);
	memset(input, 0, sizeof(*input));
	input->partition_id = partition_id;
	input->control = control;
	input->dest_addr = dest_addr;
	input->vector = vector;
	status = hv_call_issue(hv_hypercall_control(HVCALL_ASSERT_VIRTUAL_INTERRUPT,
						    0, 0, 0, false), input, NULL);
	hv_call_put_pages(flags);
	return hv_result_success(status) ? 0 : hv_result_to_errno(status);
}

int hv_call_clear_virtual_interrupt(u64 partition_id)
{
	u64 status = hv_call_issue_fast(HVCALL_CLEAR_VIRTUAL_INTERRUPT, partition_id, 0);

	return hv_result_success(status) ? 0 : hv_result_to_errno(status);
}

/* Doorbell ports for ioeventfd (mshv_eventfd.c), upstream-abi.md 3.5. */
int hv_call_create_doorbell_port(u64 port_partition_id, u32 port_id,
				 u64 connection_partition_id)
{
	struct hv_input_create_port *input;
	unsigned long flags;
	u64 status;
	int ret;

	do {
		input = hv_call_get_pages(NULL, &flags);
		memset(input, 0, sizeof(*input));
		input->port_partition_id = port_partition_id;
		input->port_id = port_id;
		input->connection_partition_id = connection_partition_id;
		input->port_info.port_type = HV_PORT_TYPE_DOORBELL;
		input->port_info.doorbell_port_info.target_sint = HV_SYNIC_DOORBELL_SINT_INDEX;
		input->port_info.doorbell_port_info.target_vp = HV_ANY_VP;
		status = hv_call_issue(hv_hypercall_control(HVCALL_CREATE_PORT, 0, 0, 0, false),
				       input, NULL);
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, port_partition_id, "create port");
	} while (ret > 0);
	return ret;
}

int hv_call_connect_doorbell_port(u64 port_partition_id, u32 port_id,
				  u64 connection_partition_id, u32 connection_id,
				  u64 gpa, u64 trigger_value, u64 doorbell_flags)
{
	struct hv_input_connect_port *input;
	unsigned long flags;
	u64 status;
	int ret;

	do {
		input = hv_call_get_pages(NULL, &flags);
		memset(input, 0, sizeof(*input));
		input->connection_partition_id = connection_partition_id;
		input->connection_id = connection_id;
		input->port_partition_id = port_partition_id;
		input->port_id = port_id;
		input->connection_info.port_type = HV_PORT_TYPE_DOORBELL;
		input->connection_info.doorbell_connection_info.gpa = gpa;
		input->connection_info.doorbell_connection_info.trigger_value = trigger_value;
		input->connection_info.doorbell_connection_info.flags = doorbell_flags;
		status = hv_call_issue(hv_hypercall_control(HVCALL_CONNECT_PORT, 0, 0, 0, false),
				       input, NULL);
		hv_call_put_pages(flags);
		ret = hv_deposit_if_needed(status, connection_partition_id, "connect port");
	} while (ret > 0);
	return ret;
}

int hv_call_disconnect_doorbell_port(u64 connection_partition_id, u32 connection_id)
{
	union hv_input_disconnect_port input = {};
	u64 status;

	input.connection_partition_id = connection_partition_id;
	input.connection_id = connection_id;
	input.flags = HV_DISCONNECT_PORT_IS_DOORBELL;
	status = hv_call_issue_fast(HVCALL_DISCONNECT_PORT, input.as_uint64[0],
				    input.as_uint64[1]);
	return hv_result_success(status) ? 0 : hv_status_err("disconnect port", status);
}

int hv_call_delete_port(u64 port_partition_id, u32 port_id)
{
	union hv_input_delete_port input = {};
	u64 status;

	input.port_partition_id = port_partition_id;
	input.port_id = port_id;
	status = hv_call_issue_fast(HVCALL_DELETE_PORT, input.as_uint64[0], input.as_uint64[1]);
	return hv_result_success(status) ? 0 : hv_status_err("delete port", status);
}

/*
 * Accessed/dirty states of @count pages from @gfn, one byte each into
 * @states (the state before @flags is applied).
 */
int hv_call_get_gpa_access_states(u64 partition_id, u64 gfn, u32 count, u64 flags,
				  u8 *states)
{
	struct hv_input_get_gpa_pages_access_state *input;
	unsigned long irqflags;
	u32 done = 0, batch;
	u8 *output;
	u64 status;

	BUILD_BUG_ON(sizeof(*input) != 24);
	while (done < count) {
		batch = min_t(u32, count - done, HV_GET_GPA_ACCESS_STATES_BATCH_SIZE);
		input = hv_call_get_pages((void **)&output, &irqflags);
		input->partition_id = partition_id;
		input->flags = flags;
		input->hv_gpa_page_number = gfn + done;
		status = hv_call_issue_rep(HVCALL_GET_GPA_PAGES_ACCESS_STATES, batch, 0, 0,
					   input, output);
		if (hv_result_success(status))
			memcpy(states + done, output, batch);
		hv_call_put_pages(irqflags);

		if (!hv_result_success(status))
			return hv_status_err("get gpa access states", status);
		done += batch;
	}
	return 0;
}
