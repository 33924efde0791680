// SPDX-License-Identifier: GPL-2.0-only
/*
 * Partitions: create / initialize / finalize / delete, properties,
 * intercept installation, system properties and statistics pages.
 *
 * Life cycle (TLFS "Partition Management"):
 *   CreatePartition  -> CREATED      (properties may be set, incl. early ones)
 *   InitializePartition -> INITIALIZED (VPs and GPA mappings may be created)
 *   FinalizePartition -> FINALIZED   (VPs and mappings are gone)
 *   DeletePartition  (from CREATED or FINALIZED)
 * Anything out of order is INVALID_PARTITION_STATE.  The root partition
 * (HVSIM_ROOT_PARTITION_ID, also reached as HV_PARTITION_ID_SELF) always
 * exists; it owns the pool child partitions are charged against.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/list.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "hvsim.h"

static DEFINE_XARRAY_ALLOC(hvsim_partitions);
struct hvsim_partition *hvsim_root;
static unsigned int hvsim_nr_children;

/* Features hvsim offers before a partition's disabled banks are applied. */
#define HVSIM_FEATURES0_SUPPORTED	GENMASK_ULL(62, 0)
#define HVSIM_FEATURES1_SUPPORTED	(GENMASK_ULL(60, 0) | BIT_ULL(63))
#define HVSIM_XSAVE_FEATURES_SUPPORTED	GENMASK_ULL(39, 0)
#define HVSIM_XSAVE_STATES		(HV_X64_XFEM_LEGACY_X87 | HV_X64_XFEM_LEGACY_SSE)

#define HVSIM_KNOWN_CREATION_FLAGS \
	(HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST | \
	 HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE | \
	 HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED | \
	 HV_PARTITION_CREATION_FLAG_EXO_PARTITION | \
	 HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED | \
	 HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED | \
	 HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE)

struct hvsim_stats_page {
	struct list_head node;
	u32 type;
	union hv_stats_object_identity identity;
	struct page *page;	/* NULL: caller-provided (MapStatsPage2) */
	u64 pfn;
};

static LIST_HEAD(hvsim_stats_pages);

unsigned int hvsim_partition_count(void)
{
	return hvsim_nr_children;
}

struct hvsim_partition *hvsim_partition_find(u64 id)
{
	lockdep_assert_held(&hvsim_lock);
	if (id == HV_PARTITION_ID_SELF)
		return hvsim_root;
	if (id > U32_MAX)
		return NULL;
	return xa_load(&hvsim_partitions, id);
}

static void hvsim_partition_release(struct kref *ref)
{
	struct hvsim_partition *pt = container_of(ref, struct hvsim_partition, ref);

	xa_destroy(&pt->gpa);
	xa_destroy(&pt->slat);
	kfree(pt);
}

void hvsim_partition_put(struct hvsim_partition *pt)
{
	kref_put(&pt->ref, hvsim_partition_release);
}

static struct hvsim_partition *hvsim_partition_alloc(void)
{
	struct hvsim_partition *pt;

	pt = kzalloc(sizeof(*pt), GFP_ATOMIC);
	if (!pt)
		return NULL;
	kref_init(&pt->ref);
	xa_init(&pt->gpa);
	xa_init(&pt->slat);
	return pt;
}

u64 hvsim_call_create_partition(struct hvsim_call *c)
{
	const struct hv_input_create_partition *in = c->in;
	struct hv_output_create_partition *out = c->out;
	struct hvsim_partition *pt;
	u32 id;
	u64 iso = in->isolation_properties;

	if (in->padding || (iso & HV_PARTITION_ISOLATION_RSVDZ_MASK) ||
	    (in->flags & ~HVSIM_KNOWN_CREATION_FLAGS))
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	/* only non-isolated partitions: no SNP/TDX hardware underneath */
	if (FIELD_GET(HV_PARTITION_ISOLATION_TYPE_MASK, iso) != HV_PARTITION_ISOLATION_TYPE_NONE ||
	    FIELD_GET(HV_PARTITION_ISOLATION_HOST_TYPE_MASK, iso))
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	if (!in->compatibility_version)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);

	if (hvsim_pool_charge(hvsim_root, hvsim_create_pages))
		return hvsim_result(hvsim_nomem_status(), 0);

	pt = hvsim_partition_alloc();
	if (!pt)
		goto err_uncharge;
	if (xa_alloc(&hvsim_partitions, &id, pt,
		     XA_LIMIT(HVSIM_FIRST_CHILD_ID, U32_MAX), GFP_ATOMIC))
		goto err_free;

	pt->id = id;
	pt->state = HVSIM_PT_CREATED;
	pt->creation_flags = in->flags;
	pt->isolation = iso;
	pt->disabled_features[0] = in->disabled_processor_features[0];
	pt->disabled_features[1] = in->disabled_processor_features[1];
	pt->disabled_xsave = in->disabled_processor_xsave_features;
	pt->features[0] = HVSIM_FEATURES0_SUPPORTED & ~pt->disabled_features[0];
	pt->features[1] = HVSIM_FEATURES1_SUPPORTED & ~pt->disabled_features[1];
	pt->xsave_features = HVSIM_XSAVE_FEATURES_SUPPORTED & ~pt->disabled_xsave;
	pt->object_pages = hvsim_create_pages;
	hvsim_nr_children++;
	hvsim_count(HVSIM_CNT_PARTITIONS, 1);
	out->partition_id = id;
	return hvsim_result(HV_STATUS_SUCCESS, 0);

err_free:
	hvsim_partition_put(pt);
err_uncharge:
	hvsim_pool_uncharge(hvsim_root, hvsim_create_pages);
	/* the hypervisor's own heap is short: the parent must deposit */
	return hvsim_result(HV_STATUS_INSUFFICIENT_MEMORY, 0);
}

/* Look up a child partition; the root is not a valid target here. */
static u16 hvsim_child(u64 id, struct hvsim_partition **ptp)
{
	struct hvsim_partition *pt = hvsim_partition_find(id);

	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (pt == hvsim_root)
		return HV_STATUS_ACCESS_DENIED;
	*ptp = pt;
	return HV_STATUS_SUCCESS;
}

u64 hvsim_call_initialize_partition(struct hvsim_call *c)
{
	const u64 *in = c->in;
	struct hvsim_partition *pt;
	u16 st = hvsim_child(in[0], &pt);

	if (st)
		return hvsim_result(st, 0);
	if (pt->state != HVSIM_PT_CREATED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, 0);
	if (hvsim_pool_charge(pt, hvsim_init_pages))
		return hvsim_result(hvsim_nomem_status(), 0);
	pt->init_charge = hvsim_init_pages;
	pt->state = HVSIM_PT_INITIALIZED;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

u64 hvsim_call_finalize_partition(struct hvsim_call *c)
{
	const u64 *in = c->in;
	struct hvsim_partition *pt;
	u16 st = hvsim_child(in[0], &pt);

	if (st)
		return hvsim_result(st, 0);
	if (pt->state != HVSIM_PT_INITIALIZED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, 0);

	/* "deallocates and unmaps everything": VPs, GPA mappings, page tables */
	hvsim_vp_destroy_all(pt);
	hvsim_gpa_clear(pt);
	hvsim_pool_uncharge(pt, pt->init_charge);
	pt->init_charge = 0;
	pt->state = HVSIM_PT_FINALIZED;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

static void hvsim_partition_destroy(struct hvsim_partition *pt)
{
	xa_erase(&hvsim_partitions, pt->id);
	pt->state = HVSIM_PT_DELETED;
	/* pages the parent never withdrew: the simulator gives them back */
	hvsim_pool_release_all(pt);
	hvsim_pool_uncharge(hvsim_root, pt->object_pages);
	hvsim_nr_children--;
	hvsim_count(HVSIM_CNT_PARTITIONS, -1);
	hvsim_partition_put(pt);
}

u64 hvsim_call_delete_partition(struct hvsim_call *c)
{
	const u64 *in = c->in;
	struct hvsim_partition *pt;
	u16 st = hvsim_child(in[0], &pt);

	if (st)
		return hvsim_result(st, 0);
	if (pt->state == HVSIM_PT_INITIALIZED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, 0);
	hvsim_partition_destroy(pt);
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

u64 hvsim_call_get_partition_id(struct hvsim_call *c)
{
	struct hv_output_get_partition_id *out = c->out;

	out->partition_id = HVSIM_ROOT_PARTITION_ID;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

static u64 hvsim_privilege_mask(void)
{
	u32 eax, ebx, ecx, edx;

	hvsim_cpuid(HYPERV_CPUID_FEATURES, &eax, &ebx, &ecx, &edx);
	return ((u64)ebx << 32) | eax;
}

static u16 hvsim_get_property(struct hvsim_partition *pt, u32 code, u64 *val)
{
	switch (code) {
	case HV_PARTITION_PROPERTY_PRIVILEGE_FLAGS:
		*val = pt == hvsim_root ? hvsim_privilege_mask() : 0;
		break;
	case HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES:
		*val = pt->synthetic_features;
		break;
	case HV_PARTITION_PROPERTY_SUSPEND ... HV_PARTITION_PROPERTY_CPU_GROUP_ID:
		*val = pt->sched_props[code - HV_PARTITION_PROPERTY_SUSPEND];
		break;
	case HV_PARTITION_PROPERTY_INTEGRATED_SCHEDULER_ENABLED:
		*val = hvsim_l1vh && hvsim_root_scheduler;
		break;
	case HV_PARTITION_PROPERTY_TIME_FREEZE:
		*val = pt->time_freeze;
		break;
	case HV_PARTITION_PROPERTY_REFERENCE_TIME:
		*val = div_u64(ktime_get_ns(), 100);
		break;
	case HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING:
		*val = pt->gpa_access_tracking;
		break;
	case HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION:
		*val = pt->unimplemented_msr_action;
		break;
	case HV_PARTITION_PROPERTY_ISOLATION_STATE:
	case HV_PARTITION_PROPERTY_ISOLATION_CONTROL:
	case HV_PARTITION_PROPERTY_ISOLATION_POLICY:
		*val = 0;
		break;
	case HV_PARTITION_PROPERTY_PROCESSOR_VENDOR:
		/* HV_PROCESSOR_VENDOR_AMD = 0, INTEL = 1, HYGON = 2 */
		*val = boot_cpu_data.x86_vendor == X86_VENDOR_INTEL ? 1 :
		       boot_cpu_data.x86_vendor == X86_VENDOR_HYGON ? 2 : 0;
		break;
	case HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES:
		*val = pt->xsave_features;
		break;
	case HV_PARTITION_PROPERTY_COMPATIBILITY_VERSION:
		*val = HV_COMPATIBILITY_21_H2;
		break;
	case HV_PARTITION_PROPERTY_PHYSICAL_ADDRESS_WIDTH:
	case HV_PARTITION_PROPERTY_IMPLEMENTED_PHYSICAL_ADDRESS_BITS:
		*val = boot_cpu_data.x86_phys_bits;
		break;
	case HV_PARTITION_PROPERTY_XSAVE_STATES:
		*val = HVSIM_XSAVE_STATES;
		break;
	case HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE:
		*val = HVSIM_XSAVE_SIZE;
		break;
	case HV_PARTITION_PROPERTY_PROCESSOR_CLOCK_FREQUENCY:
		*val = (u64)tsc_khz * 1000;
		break;
	case HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0:
		*val = pt->features[0];
		break;
	case HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1:
		*val = pt->features[1];
		break;
	case HV_PARTITION_PROPERTY_GUEST_OS_ID:
		*val = pt->guest_os_id;
		break;
	default:
		return HV_STATUS_UNKNOWN_PROPERTY;
	}
	return HV_STATUS_SUCCESS;
}

u64 hvsim_call_get_partition_property(struct hvsim_call *c)
{
	const struct hv_input_get_partition_property *in = c->in;
	struct hv_output_get_partition_property *out = c->out;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);
	u64 val = 0;
	u16 st;

	if (!pt)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, 0);
	if (in->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	st = hvsim_get_property(pt, in->property_code, &val);
	if (!st)
		out->property_value = val;
	return hvsim_result(st, 0);
}

u64 hvsim_call_get_partition_property_ex(struct hvsim_call *c)
{
	const struct hv_input_get_partition_property_ex *in = c->in;
	struct hv_output_get_partition_property_ex *out = c->out;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);
	struct hv_partition_property_vmm_capabilities *caps;
	u64 val = 0;
	u16 st;

	if (!pt)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, 0);
	if (in->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);

	if (in->property_code == HV_PARTITION_PROPERTY_VMM_CAPABILITIES) {
		caps = &out->property_value.vmm_capabilities;
		memset(caps, 0, sizeof(*caps));
		caps->bank_count = HV_PARTITION_VMM_CAPABILITIES_BANK_COUNT;
		/* hvsim returns its own VP state pages: no overlay GPFN */
		if (hvsim_l1vh && hvsim_root_scheduler)
			caps->bank0 |= HV_VMM_CAP_VMM_ENABLE_INTEGRATED_SCHEDULER;
		return hvsim_result(HV_STATUS_SUCCESS, 0);
	}
	st = hvsim_get_property(pt, in->property_code, &val);
	if (!st)
		memcpy(out->property_value.buffer, &val, sizeof(val));
	return hvsim_result(st, 0);
}

static u16 hvsim_bool_prop(u64 *field, u64 val)
{
	if (val > 1)
		return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;
	*field = val;
	return HV_STATUS_SUCCESS;
}

/*
 * HvSetPartitionProperty may complete asynchronously: CALL_PENDING now,
 * the real status later in HVMSG_ASYNC_CALL_COMPLETION on SINT0.  With
 * inject/async_set_property every call takes that path.
 */
static u16 hvsim_complete_async(struct hvsim_partition *pt, u16 status)
{
	struct hv_async_completion_message_payload *p;
	struct hv_message msg = {};

	msg.header.message_type = HVMSG_ASYNC_CALL_COMPLETION;
	msg.header.payload_size = sizeof(*p);
	msg.header.sender = HVSIM_ROOT_PARTITION_ID;
	p = (void *)msg.u.payload;
	p->partition_id = pt->id;
	p->status = status;
	p->completion_count = 1;
	if (!hvsim_post_message(hvsim_pick_cpu(smp_processor_id()),
				HV_SYNIC_INTERCEPTION_SINT_INDEX, &msg))
		return status;
	return HV_STATUS_CALL_PENDING;
}

u64 hvsim_call_set_partition_property(struct hvsim_call *c)
{
	const struct hv_input_set_partition_property *in = c->in;
	struct hvsim_partition *pt;
	u64 val = in->property_value;
	u16 st = hvsim_child(in->partition_id, &pt);

	if (st)
		return hvsim_result(st, 0);
	if (in->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (c->injected)
		return hvsim_result(hvsim_complete_async(pt, c->injected), 0);

	switch (in->property_code) {
	case HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES:
		/* an "early" property: only before InitializePartition */
		if (pt->state != HVSIM_PT_CREATED)
			st = HV_STATUS_INVALID_PARTITION_STATE;
		else
			pt->synthetic_features = val;
		break;
	case HV_PARTITION_PROPERTY_SUSPEND ... HV_PARTITION_PROPERTY_CPU_GROUP_ID:
		pt->sched_props[in->property_code - HV_PARTITION_PROPERTY_SUSPEND] = val;
		break;
	case HV_PARTITION_PROPERTY_TIME_FREEZE:
		st = hvsim_bool_prop(&pt->time_freeze, val);
		break;
	case HV_PARTITION_PROPERTY_GPA_PAGE_ACCESS_TRACKING:
		st = hvsim_bool_prop(&pt->gpa_access_tracking, val);
		break;
	case HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION:
		if (val >= HV_UNIMPLEMENTED_MSR_ACTION_COUNT)
			st = HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;
		else
			pt->unimplemented_msr_action = val;
		break;
	case HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0:
	case HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1:
	case HV_PARTITION_PROPERTY_PROCESSOR_XSAVE_FEATURES:
		/* fixed at creation (disabled banks of HvCreatePartition) */
		if (pt->state != HVSIM_PT_CREATED) {
			st = HV_STATUS_INVALID_PARTITION_STATE;
			break;
		}
		if (in->property_code == HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0)
			pt->features[0] = val & HVSIM_FEATURES0_SUPPORTED;
		else if (in->property_code == HV_PARTITION_PROPERTY_PROCESSOR_FEATURES1)
			pt->features[1] = val & HVSIM_FEATURES1_SUPPORTED;
		else
			pt->xsave_features = val & HVSIM_XSAVE_FEATURES_SUPPORTED;
		break;
	case HV_PARTITION_PROPERTY_GUEST_OS_ID:
		pt->guest_os_id = val;
		break;
	case HV_PARTITION_PROPERTY_REFERENCE_TIME:
		/* accepted; the reference clock is the host's */
		break;
	default:
		/* known but read-only, or unknown */
		st = hvsim_get_property(pt, in->property_code, &val) ?
		     HV_STATUS_UNKNOWN_PROPERTY : HV_STATUS_ACCESS_DENIED;
		break;
	}
	if (READ_ONCE(hvsim_async_set_property))
		return hvsim_result(hvsim_complete_async(pt, st), 0);
	return hvsim_result(st, 0);
}

u64 hvsim_call_get_system_property(struct hvsim_call *c)
{
	const struct hv_input_get_system_property *in = c->in;
	struct hv_output_get_system_property *out = c->out;

	if (in->reserved)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	switch (in->property_id) {
	case HV_SYSTEM_PROPERTY_SCHEDULER_TYPE:
		out->hv_processor_feature_value = 0;
		out->scheduler_type = hvsim_get_scheduler_type();
		return hvsim_result(HV_STATUS_SUCCESS, 0);
	case HV_DYNAMIC_PROCESSOR_FEATURE_PROPERTY:
		/* no SNP: every dynamic feature reads zero */
		out->hv_processor_feature_value = 0;
		return hvsim_result(HV_STATUS_SUCCESS, 0);
	default:
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	}
}

static void hvsim_update_exception_bitmaps(struct hvsim_partition *pt)
{
	unsigned long flags;
	u32 i;

	for (i = 0; i < HVSIM_MAX_VPS; i++) {
		struct hvsim_vp *vp = pt->vps[i];

		if (!vp)
			continue;
		spin_lock_irqsave(&vp->run_lock, flags);
		vp->cpu.config.exception_bitmap = pt->exception_bitmap;
		spin_unlock_irqrestore(&vp->run_lock, flags);
	}
}

u64 hvsim_call_install_intercept(struct hvsim_call *c)
{
	const struct hv_input_install_intercept *in = c->in;
	u32 mask = HV_INTERCEPT_ACCESS_MASK_READ | HV_INTERCEPT_ACCESS_MASK_WRITE |
		   HV_INTERCEPT_ACCESS_MASK_EXECUTE;
	u64 param = in->intercept_parameter.as_uint64;
	struct hvsim_partition *pt;
	u16 st = hvsim_child(in->partition_id, &pt);

	if (st)
		return hvsim_result(st, 0);
	if (!in->access_type || (in->access_type & ~mask))
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	if (pt->state == HVSIM_PT_FINALIZED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, 0);

	switch (in->intercept_type) {
	case HV_INTERCEPT_TYPE_X64_IO_PORT:
		/* every port access already goes to the parent */
		break;
	case HV_INTERCEPT_TYPE_X64_MSR:
		pt->msr_intercept = true;
		break;
	case HV_INTERCEPT_TYPE_X64_CPUID:
		if (pt->nr_cpuid_intercepts >= HVSIM_MAX_CPUID_INTERCEPTS)
			return hvsim_result(HV_STATUS_INSUFFICIENT_BUFFERS, 0);
		pt->cpuid_intercepts[pt->nr_cpuid_intercepts++] = (u32)param;
		break;
	case HV_INTERCEPT_TYPE_X64_GLOBAL_CPUID:
		pt->global_cpuid_intercept = true;
		break;
	case HV_INTERCEPT_TYPE_EXCEPTION:
		if ((u16)param >= 32)
			return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
		pt->exception_bitmap |= BIT((u16)param);
		hvsim_update_exception_bitmaps(pt);
		break;
	case HV_INTERCEPT_TYPE_HYPERCALL:
		pt->hypercall_intercept = true;
		break;
	case HV_INTERCEPT_TYPE_X64_MSR_INDEX:
		if (pt->nr_msr_intercepts >= HVSIM_MAX_MSR_INTERCEPTS)
			return hvsim_result(HV_STATUS_INSUFFICIENT_BUFFERS, 0);
		pt->msr_intercepts[pt->nr_msr_intercepts++] = (u32)param;
		break;
	case HV_INTERCEPT_TYPE_MMIO:
	case HV_INTERCEPT_TYPE_X64_APIC_SMI:
	case HV_INTERCEPT_TYPE_X64_APIC_INIT_SIPI:
	case HV_INTERCEPT_MC_UPDATE_PATCH_LEVEL_MSR_READ:
	case HV_INTERCEPT_TYPE_X64_APIC_WRITE:
		/* accepted; hvsim has no APIC/MMIO source that could trigger them */
		break;
	default:
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	}
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

static u64 hvsim_register_msr_result(struct hvsim_partition *pt,
				     const struct hv_register_x64_msr_result_parameters *p)
{
	u32 mask = HV_INTERCEPT_ACCESS_MASK_READ | HV_INTERCEPT_ACCESS_MASK_WRITE;
	u32 i;

	if (!p->access_type || (p->access_type & ~mask) ||
	    p->action >= HV_UNIMPLEMENTED_MSR_ACTION_COUNT)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	for (i = 0; i < pt->nr_msr_results; i++)
		if (pt->msr_results[i].msr == p->msr_index)
			break;
	if (i == pt->nr_msr_results) {
		if (i >= HVSIM_MAX_MSR_INTERCEPTS)
			return hvsim_result(HV_STATUS_INSUFFICIENT_BUFFERS, 0);
		pt->nr_msr_results++;
	}
	pt->msr_results[i].msr = p->msr_index;
	pt->msr_results[i].access = p->access_type;
	pt->msr_results[i].action = p->action;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

u64 hvsim_call_register_intercept_result(struct hvsim_call *c)
{
	const struct hv_input_register_intercept_result *in = c->in;
	const struct hv_register_x64_cpuid_result_parameters *p = &in->parameters.cpuid;
	struct hvsim_cpuid_result *r;
	struct hvsim_partition *pt;
	u16 st = hvsim_child(in->partition_id, &pt);
	u32 i;

	if (st)
		return hvsim_result(st, 0);
	if (in->intercept_type == HV_INTERCEPT_TYPE_X64_MSR)
		return hvsim_register_msr_result(pt, &in->parameters.msr);
	if (in->intercept_type != HV_INTERCEPT_TYPE_X64_CPUID)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	if (p->input.padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);

	for (i = 0; i < pt->nr_cpuid_results; i++) {
		r = &pt->cpuid_results[i];
		if (r->eax_in == p->input.eax && r->ecx_in == p->input.ecx &&
		    r->subleaf_specific == !!p->input.subleaf_specific)
			goto fill;
	}
	if (pt->nr_cpuid_results >= HVSIM_MAX_CPUID_RESULTS)
		return hvsim_result(HV_STATUS_INSUFFICIENT_BUFFERS, 0);
	r = &pt->cpuid_results[pt->nr_cpuid_results++];
fill:
	r->eax_in = p->input.eax;
	r->ecx_in = p->input.ecx;
	r->subleaf_specific = p->input.subleaf_specific;
	r->always_override = p->input.always_override;
	r->val[0] = p->result.eax;
	r->mask[0] = p->result.eax_mask;
	r->val[1] = p->result.ebx;
	r->mask[1] = p->result.ebx_mask;
	r->val[2] = p->result.ecx;
	r->mask[2] = p->result.ecx_mask;
	r->val[3] = p->result.edx;
	r->mask[3] = p->result.edx_mask;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

/* Statistics pages: zero-filled counters owned by the simulator. */
static u16 hvsim_stats_check(u32 type, const union hv_stats_object_identity *id)
{
	struct hvsim_partition *pt;

	switch (type) {
	case HV_STATS_OBJECT_HYPERVISOR:
	case HV_STATS_OBJECT_LOGICAL_PROCESSOR:
		return HV_STATUS_SUCCESS;
	case HV_STATS_OBJECT_PARTITION:
		pt = hvsim_partition_find(id->partition.partition_id);
		return pt ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARTITION_ID;
	case HV_STATS_OBJECT_VP:
		pt = hvsim_partition_find(id->vp.partition_id);
		if (!pt)
			return HV_STATUS_INVALID_PARTITION_ID;
		if (pt != hvsim_root && !hvsim_vp_lookup(pt, id->vp.vp_index))
			return HV_STATUS_INVALID_VP_INDEX;
		if (id->vp.stats_area_type >= HV_STATS_AREA_COUNT)
			return HV_STATUS_INVALID_PARAMETER;
		return HV_STATUS_SUCCESS;
	default:
		return HV_STATUS_INVALID_PARAMETER;
	}
}

static u16 hvsim_stats_add(u32 type, const union hv_stats_object_identity *id,
			   struct page *page, u64 pfn)
{
	struct hvsim_stats_page *sp;

	sp = kzalloc(sizeof(*sp), GFP_ATOMIC);
	if (!sp)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	sp->type = type;
	sp->identity = *id;
	sp->page = page;
	sp->pfn = pfn;
	list_add(&sp->node, &hvsim_stats_pages);
	return HV_STATUS_SUCCESS;
}

u64 hvsim_call_map_stats_page(struct hvsim_call *c)
{
	const struct hv_input_map_stats_page *in = c->in;
	struct hv_output_map_stats_page *out = c->out;
	struct page *page;
	u16 st = hvsim_stats_check(in->type, &in->identity);

	if (st)
		return hvsim_result(st, 0);
	page = alloc_page(GFP_ATOMIC | __GFP_ZERO);
	if (!page)
		return hvsim_result(HV_STATUS_INSUFFICIENT_MEMORY, 0);
	st = hvsim_stats_add(in->type, &in->identity, page, page_to_pfn(page));
	if (st) {
		__free_page(page);
		return hvsim_result(st, 0);
	}
	out->map_location = page_to_pfn(page);
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

u64 hvsim_call_map_stats_page2(struct hvsim_call *c)
{
	const struct hv_input_map_stats_page2 *in = c->in;
	u16 st = hvsim_stats_check(in->type, &in->identity);

	if (st)
		return hvsim_result(st, 0);
	if (!pfn_valid(in->map_location))
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	memset(page_address(pfn_to_page(in->map_location)), 0, PAGE_SIZE);
	return hvsim_result(hvsim_stats_add(in->type, &in->identity, NULL,
					    in->map_location), 0);
}

u64 hvsim_call_unmap_stats_page(struct hvsim_call *c)
{
	const struct hv_input_unmap_stats_page *in = c->in;
	struct hvsim_stats_page *sp;

	list_for_each_entry(sp, &hvsim_stats_pages, node) {
		if (sp->type != in->type ||
		    memcmp(&sp->identity, &in->identity, sizeof(sp->identity)))
			continue;
		list_del(&sp->node);
		if (sp->page)
			__free_page(sp->page);
		kfree(sp);
		return hvsim_result(HV_STATUS_SUCCESS, 0);
	}
	return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
}

int hvsim_partitions_init(void)
{
	hvsim_root = hvsim_partition_alloc();
	if (!hvsim_root)
		return -ENOMEM;
	hvsim_root->id = HVSIM_ROOT_PARTITION_ID;
	hvsim_root->state = HVSIM_PT_INITIALIZED;
	return xa_insert(&hvsim_partitions, HVSIM_ROOT_PARTITION_ID, hvsim_root,
			 GFP_KERNEL);
}

/*
 * Module exit.  mshv_root holds a module reference per partition, so
 * normally only the root is left; anything else is torn down and logged.
 */
void hvsim_partitions_exit(void)
{
	struct hvsim_stats_page *sp, *tmp;
	struct hvsim_partition *pt;
	unsigned long flags, id;

	spin_lock_irqsave(&hvsim_lock, flags);
	xa_for_each(&hvsim_partitions, id, pt) {
		if (pt == hvsim_root)
			continue;
		pr_warn("partition %llu still exists at unload\n", pt->id);
		if (pt->state == HVSIM_PT_INITIALIZED) {
			hvsim_vp_destroy_all(pt);
			hvsim_gpa_clear(pt);
			hvsim_pool_uncharge(pt, pt->init_charge);
		}
		hvsim_partition_destroy(pt);
	}
	list_for_each_entry_safe(sp, tmp, &hvsim_stats_pages, node) {
		list_del(&sp->node);
		if (sp->page)
			__free_page(sp->page);
		kfree(sp);
	}
	if (hvsim_root) {
		xa_erase(&hvsim_partitions, HVSIM_ROOT_PARTITION_ID);
		/* the parent never withdraws its own deposits: free them now */
		hvsim_pool_release_all(hvsim_root);
		hvsim_partition_put(hvsim_root);
		hvsim_root = NULL;
	}
	spin_unlock_irqrestore(&hvsim_lock, flags);
	xa_destroy(&hvsim_partitions);
}

static const char * const hvsim_state_names[] = {
	[HVSIM_PT_CREATED] = "created",
	[HVSIM_PT_INITIALIZED] = "initialized",
	[HVSIM_PT_FINALIZED] = "finalized",
	[HVSIM_PT_DELETED] = "deleted",
};

/* Pages in the parent's own pool (deposited for CreatePartition). */
u64 hvsim_root_pool_pages(void)
{
	unsigned long flags;
	u64 n;

	spin_lock_irqsave(&hvsim_lock, flags);
	n = hvsim_root ? hvsim_root->pool.free_count + hvsim_root->pool.used_count : 0;
	spin_unlock_irqrestore(&hvsim_lock, flags);
	return n;
}

/* debugfs "partitions": id state pool_free pool_used vps gpa_4k gpa_2m */
void hvsim_partitions_show(struct seq_file *m)
{
	struct hvsim_partition *pt;
	unsigned long flags, id;

	seq_puts(m, "id state pool_free pool_used vps gpa_4k gpa_2m\n");
	spin_lock_irqsave(&hvsim_lock, flags);
	xa_for_each(&hvsim_partitions, id, pt)
		seq_printf(m, "%llu %s %llu %llu %u %llu %llu\n", pt->id,
			   hvsim_state_names[pt->state], pt->pool.free_count,
			   pt->pool.used_count, pt->nr_vps, pt->gpa_4k, pt->gpa_2m);
	spin_unlock_irqrestore(&hvsim_lock, flags);
}
