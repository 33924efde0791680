// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual processors: create/delete, the register file, VP state pages,
 * VP state (LAPIC, XSAVE, timers), GVA translation, virtual interrupts and
 * CPUID values.
 *
 * A VP's architectural state is the x86 core's struct hvx86_vcpu.  Registers
 * the core does not model (MSRs other than EFER/KERNEL_GS_BASE, debug and
 * FP registers, the guest's synthetic registers) are kept by name in a
 * small table, so whatever a VMM sets it reads back.  Every access to a VP
 * holds vp->run_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <asm/msr.h>

#include "hvsim.h"

static u64 hvsim_read_tsc(void *opaque)
{
	struct hvsim_vp *vp = opaque;

	return rdtsc() + vp->tsc_offset;
}

static enum hvx86_mem_result hvsim_x86_read(void *opaque, u64 gpa, void *buf,
					    u32 len, enum hvx86_access access)
{
	struct hvsim_vp *vp = opaque;

	if (hvsim_lapic_mmio(vp, gpa, buf, len, false))
		return HVX86_MEM_OK;
	return hvsim_gpa_access(vp->pt, gpa, buf, len, access, false);
}

static enum hvx86_mem_result hvsim_x86_write(void *opaque, u64 gpa,
					     const void *buf, u32 len)
{
	struct hvsim_vp *vp = opaque;

	if (hvsim_lapic_mmio(vp, gpa, (void *)buf, len, true))
		return HVX86_MEM_OK;
	if (hvsim_doorbell_write(vp->pt, gpa, buf, len))
		return HVX86_MEM_OK;
	return hvsim_gpa_access(vp->pt, gpa, (void *)buf, len,
				HVX86_ACCESS_WRITE, true);
}

const struct hvx86_callbacks hvsim_x86_callbacks = {
	.read_gpa = hvsim_x86_read,
	.write_gpa = hvsim_x86_write,
	.read_tsc = hvsim_read_tsc,
};

struct hvsim_vp *hvsim_vp_lookup(struct hvsim_partition *pt, u32 index)
{
	if (index >= HVSIM_MAX_VPS)
		return NULL;
	return pt->vps[index];
}

/* Look up partition and VP for a hypercall (hvsim_lock held). */
static u16 hvsim_find_vp(u64 pt_id, u32 index, struct hvsim_vp **vpp)
{
	struct hvsim_partition *pt = hvsim_partition_find(pt_id);

	if (!pt)
		return HV_STATUS_INVALID_PARTITION_ID;
	if (pt == hvsim_root)
		return HV_STATUS_ACCESS_DENIED;
	*vpp = hvsim_vp_lookup(pt, index);
	return *vpp ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_VP_INDEX;
}

static void hvsim_vp_release(struct kref *ref)
{
	struct hvsim_vp *vp = container_of(ref, struct hvsim_vp, ref);

	hvsim_partition_put(vp->pt);
	kfree(vp);
}

void hvsim_vp_put(struct hvsim_vp *vp)
{
	kref_put(&vp->ref, hvsim_vp_release);
}

static struct hv_u128 *hvsim_extra(struct hvsim_vp *vp, u32 name, bool create)
{
	u32 i;

	for (i = 0; i < vp->nr_extra; i++)
		if (vp->extra[i].name == name)
			return &vp->extra[i].value;
	if (!create || vp->nr_extra >= HVSIM_MAX_EXTRA_REGS)
		return NULL;
	vp->extra[vp->nr_extra].name = name;
	memset(&vp->extra[vp->nr_extra].value, 0, sizeof(struct hv_u128));
	return &vp->extra[vp->nr_extra++].value;
}

u64 hvsim_vp_msr_default(struct hvsim_vp *vp, u32 name)
{
	switch (name) {
	case HV_X64_REGISTER_APIC_BASE:
		/* xAPIC enabled at the architectural base; VP 0 is the BSP */
		return 0xfee00000ULL | BIT_ULL(11) | (vp->index ? 0 : BIT_ULL(8));
	case HV_X64_REGISTER_PAT:
		return 0x0007040600070406ULL;
	case HV_X64_REGISTER_XFEM:
		return HV_X64_XFEM_LEGACY_X87 | HV_X64_XFEM_LEGACY_SSE;
	case HV_X64_REGISTER_DR6:
		return 0xffff0ff0ULL;
	case HV_X64_REGISTER_DR7:
		return 0x400;
	case HV_X64_REGISTER_MSR_MTRR_CAP:
		return 0x508;		/* 8 variable ranges, fixed ranges, WC */
	default:
		return 0;
	}
}

/* Named registers hvsim stores without modelling them. */
static bool hvsim_reg_storable(u32 name)
{
	switch (name >> 16) {
	case 0x0: case 0x1: case 0x3: case 0x4: case 0x5: case 0x8:
	case 0x9: case 0xa: case 0xb: case 0xd:
		return true;
	default:
		return false;
	}
}

static void hvsim_seg_to_hv(const struct hvx86_segment *s,
			    struct hv_x64_segment_register *h)
{
	h->base = s->base;
	h->limit = s->limit;
	h->selector = s->selector;
	h->attributes = s->attributes;
}

static void hvsim_seg_from_hv(struct hvx86_segment *s,
			      const struct hv_x64_segment_register *h)
{
	s->base = h->base;
	s->limit = h->limit;
	s->selector = h->selector;
	s->attributes = h->attributes;
}

/*
 * Where a plain register lives: one u64, read and written as-is; NULL for
 * any other name.  Registers with checks or side effects on write (RFLAGS,
 * CR8, TSC, the suspend registers, ...) are in the switches of
 * hvsim_reg_get() and hvsim_reg_set() instead.
 */
static u64 *hvsim_plain_reg(struct hvsim_vp *vp, u32 name)
{
	struct hvx86_regs *r = &vp->cpu.regs;

	switch (name) {
	case HV_X64_REGISTER_RAX ... HV_X64_REGISTER_R15:
		return &r->gpr[name - HV_X64_REGISTER_RAX];
	case HV_X64_REGISTER_RIP:
		return &r->rip;
	case HV_X64_REGISTER_CR0:
		return &r->cr0;
	case HV_X64_REGISTER_CR2:
		return &r->cr2;
	case HV_X64_REGISTER_CR3:
		return &r->cr3;
	case HV_X64_REGISTER_CR4:
		return &r->cr4;
	case HV_X64_REGISTER_EFER:
		return &r->efer;
	case HV_X64_REGISTER_KERNEL_GS_BASE:
		return &r->kernel_gs_base;
	case HV_X64_REGISTER_APIC_BASE:
		return &vp->apic_base;
	case HV_REGISTER_INSTRUCTION_EMULATION_HINTS:
		return &vp->emulation_hints;
	case HV_REGISTER_INTERNAL_ACTIVITY_STATE:
		return &vp->internal_activity;
	default:
		return NULL;
	}
}

/* Read one register; vp->run_lock held. */
u16 hvsim_reg_get(struct hvsim_vp *vp, u32 name, union hv_register_value *v)
{
	struct hvx86_regs *r = &vp->cpu.regs;
	struct hv_u128 *x;
	u64 *plain;

	memset(v, 0, sizeof(*v));
	plain = hvsim_plain_reg(vp, name);
	if (plain) {
		v->reg64 = *plain;
		return 0;
	}
	switch (name) {
	case HV_REGISTER_EXPLICIT_SUSPEND:
		v->reg64 = vp->explicit_suspend;
		return 0;
	case HV_REGISTER_INTERCEPT_SUSPEND:
		v->reg64 = vp->intercept_suspend;
		return 0;
	case HV_REGISTER_DISPATCH_SUSPEND:
		v->reg64 = vp->dispatch_suspend;
		return 0;
	case HV_REGISTER_INTERRUPT_STATE:
		v->reg64 = vp->cpu.priv.interrupt_shadow ?
			   HV_X64_INTERRUPT_STATE_INTERRUPT_SHADOW : 0;
		return 0;
	case HV_REGISTER_PENDING_INTERRUPTION:
		return 0;
	case HV_X64_REGISTER_RFLAGS:
		v->reg64 = r->rflags;
		return 0;
	case HV_X64_REGISTER_CR8:
		v->reg64 = r->cr8;
		return 0;
	case HV_X64_REGISTER_ES ... HV_X64_REGISTER_GS:
		hvsim_seg_to_hv(&r->seg[name - HV_X64_REGISTER_ES], &v->segment);
		return 0;
	case HV_X64_REGISTER_LDTR:
		hvsim_seg_to_hv(&r->ldtr, &v->segment);
		return 0;
	case HV_X64_REGISTER_TR:
		hvsim_seg_to_hv(&r->tr, &v->segment);
		return 0;
	case HV_X64_REGISTER_IDTR:
		v->table.base = r->idtr.base;
		v->table.limit = r->idtr.limit;
		return 0;
	case HV_X64_REGISTER_GDTR:
		v->table.base = r->gdtr.base;
		v->table.limit = r->gdtr.limit;
		return 0;
	case HV_X64_REGISTER_TSC:
		v->reg64 = rdtsc() + vp->tsc_offset;
		return 0;
	case HV_REGISTER_VP_INDEX:
		v->reg64 = vp->index;
		return 0;
	case HV_REGISTER_VP_ROOT_SIGNAL_COUNT:
		v->reg64 = vp->root_signal_count;
		return 0;
	default:
		break;
	}
	if (!hvsim_reg_storable(name))
		return HV_STATUS_INVALID_PARAMETER;
	x = hvsim_extra(vp, name, false);
	if (x)
		v->reg128 = *x;
	else
		v->reg64 = hvsim_vp_msr_default(vp, name);
	return 0;
}

/* Write one register; vp->run_lock held.  *resume: a suspend bit cleared. */
u16 hvsim_reg_set(struct hvsim_vp *vp, u32 name,
		  const union hv_register_value *v, bool *resume)
{
	struct hvx86_regs *r = &vp->cpu.regs;
	struct hv_u128 *x;
	u64 val = v->reg64;
	u64 *plain;

	plain = hvsim_plain_reg(vp, name);
	if (plain) {
		*plain = val;
		return 0;
	}
	switch (name) {
	case HV_REGISTER_EXPLICIT_SUSPEND:
	case HV_REGISTER_INTERCEPT_SUSPEND:
	case HV_REGISTER_DISPATCH_SUSPEND:
		if (val & ~HV_SUSPEND_REGISTER_SUSPENDED)
			return HV_STATUS_INVALID_PARAMETER;
		if (name == HV_REGISTER_EXPLICIT_SUSPEND) {
			*resume |= vp->explicit_suspend && !val;
			vp->explicit_suspend = val;
		} else if (name == HV_REGISTER_INTERCEPT_SUSPEND) {
			*resume |= vp->intercept_suspend && !val;
			vp->intercept_suspend = val;
		} else {
			*resume |= vp->dispatch_suspend && !val;
			vp->dispatch_suspend = val;
		}
		return 0;
	case HV_REGISTER_PENDING_INTERRUPTION:
		if (!(val & HV_X64_PENDING_INTERRUPTION_PENDING))
			return 0;
		if (FIELD_GET(HV_X64_PENDING_INTERRUPTION_TYPE, val) == HV_X64_PENDING_EXCEPTION)
			hvx86_inject_exception(&vp->cpu,
					       FIELD_GET(HV_X64_PENDING_INTERRUPTION_VECTOR, val),
					       val & HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE,
					       FIELD_GET(HV_X64_PENDING_INTERRUPTION_ERROR_CODE,
							 val));
		else
			hvsim_lapic_accept(vp, FIELD_GET(HV_X64_PENDING_INTERRUPTION_VECTOR, val) &
					   0xff, false);
		return 0;
	case HV_REGISTER_INTERRUPT_STATE:
		/* the core keeps its own shadow; accept and ignore */
		return 0;
	case HV_X64_REGISTER_RFLAGS:
		r->rflags = val | HVX86_FLAG_FIXED;
		return 0;
	case HV_X64_REGISTER_CR8:
		if (val > 0xf)
			return HV_STATUS_INVALID_PARAMETER;
		r->cr8 = val;
		return 0;
	case HV_X64_REGISTER_ES ... HV_X64_REGISTER_GS:
		hvsim_seg_from_hv(&r->seg[name - HV_X64_REGISTER_ES], &v->segment);
		return 0;
	case HV_X64_REGISTER_LDTR:
		hvsim_seg_from_hv(&r->ldtr, &v->segment);
		return 0;
	case HV_X64_REGISTER_TR:
		hvsim_seg_from_hv(&r->tr, &v->segment);
		return 0;
	case HV_X64_REGISTER_IDTR:
		r->idtr.base = v->table.base;
		r->idtr.limit = v->table.limit;
		return 0;
	case HV_X64_REGISTER_GDTR:
		r->gdtr.base = v->table.base;
		r->gdtr.limit = v->table.limit;
		return 0;
	case HV_X64_REGISTER_TSC:
		vp->tsc_offset = val - rdtsc();
		return 0;
	case HV_REGISTER_VP_INDEX:
	case HV_REGISTER_VP_ROOT_SIGNAL_COUNT:
		return HV_STATUS_ACCESS_DENIED;	/* read-only */
	default:
		break;
	}
	if (!hvsim_reg_storable(name))
		return HV_STATUS_INVALID_PARAMETER;
	x = hvsim_extra(vp, name, true);
	if (!x)
		return HV_STATUS_INSUFFICIENT_BUFFERS;
	*x = v->reg128;
	return 0;
}

static u16 hvsim_vp_regs_header(u64 pt_id, u32 index, u8 vtl, u8 rsvd8, u16 rsvd16,
				struct hvsim_vp **vpp)
{
	if (rsvd8 || rsvd16)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	/* VTL 0 is the only one a child has */
	if ((vtl & HV_INPUT_VTL_USE_TARGET_VTL) && (vtl & HV_INPUT_VTL_TARGET_VTL))
		return HV_STATUS_INVALID_PARAMETER;
	if (vtl & ~(HV_INPUT_VTL_USE_TARGET_VTL | HV_INPUT_VTL_TARGET_VTL))
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	return hvsim_find_vp(pt_id, index, vpp);
}

u64 hvsim_call_get_vp_registers(struct hvsim_call *c)
{
	const struct hv_input_get_vp_registers *in = c->in;
	union hv_register_value *out = c->out;
	struct hvsim_vp *vp;
	unsigned long flags;
	u16 i, st;

	st = hvsim_vp_regs_header(in->partition_id, in->vp_index, in->input_vtl,
				  in->rsvd_z8, in->rsvd_z16, &vp);
	if (st)
		return hvsim_result(st, c->rep_start);
	spin_lock_irqsave(&vp->run_lock, flags);
	hvsim_vp_sync_from_reg_page(vp);
	for (i = c->rep_start; i < c->rep_limit; i++) {
		st = hvsim_reg_get(vp, in->names[i], &out[i]);
		if (st)
			break;
	}
	spin_unlock_irqrestore(&vp->run_lock, flags);
	return hvsim_result(st, i);
}

u64 hvsim_call_set_vp_registers(struct hvsim_call *c)
{
	const struct hv_input_set_vp_registers *in = c->in;
	struct hvsim_vp *vp;
	unsigned long flags;
	bool resume = false;
	u16 i, st;

	st = hvsim_vp_regs_header(in->partition_id, in->vp_index, in->input_vtl,
				  in->rsvd_z8, in->rsvd_z16, &vp);
	if (st)
		return hvsim_result(st, c->rep_start);
	spin_lock_irqsave(&vp->run_lock, flags);
	hvsim_vp_sync_from_reg_page(vp);
	for (i = c->rep_start; i < c->rep_limit; i++) {
		const struct hv_register_assoc *a = &in->elements[i];

		if (a->reserved1 || a->reserved2) {
			st = HV_STATUS_INVALID_HYPERCALL_INPUT;
			break;
		}
		st = hvsim_reg_set(vp, a->name, &a->value, &resume);
		if (st)
			break;
	}
	hvsim_vp_sync_to_reg_page(vp);
	spin_unlock_irqrestore(&vp->run_lock, flags);
	if (resume)
		hvsim_vp_resume_check(vp);
	return hvsim_result(st, i);
}

static void hvsim_vp_default_state(struct hvsim_vp *vp)
{
	struct hv_local_interrupt_controller_state *lapic = vp->lapic_state;
	u8 *xsave = vp->xsave_state;

	lapic->apic_id = vp->index << 24;
	lapic->apic_version = HVSIM_LAPIC_VERSION;
	lapic->apic_dfr = HVSIM_LAPIC_DFR_FLAT;
	lapic->apic_spurious = HVSIM_LAPIC_SPURIOUS_RESET;
	lapic->apic_lvt_timer = HVSIM_LAPIC_LVT_MASKED;
	lapic->apic_lvt_thermal = HVSIM_LAPIC_LVT_MASKED;
	lapic->apic_lvt_perfmon = HVSIM_LAPIC_LVT_MASKED;
	lapic->apic_lvt_lint0 = HVSIM_LAPIC_LVT_MASKED;
	lapic->apic_lvt_lint1 = HVSIM_LAPIC_LVT_MASKED;
	lapic->apic_lvt_error = HVSIM_LAPIC_LVT_MASKED;
	lapic->apic_lvt_cmci = HVSIM_LAPIC_LVT_MASKED;

	*(u16 *)(xsave + HVSIM_FXSAVE_FCW) = HVSIM_FCW_RESET;
	*(u32 *)(xsave + HVSIM_FXSAVE_MXCSR) = HVSIM_MXCSR_RESET;

	vp->reg_page->version = HV_VP_REGISTER_PAGE_VERSION_1;
}

u64 hvsim_call_create_vp(struct hvsim_call *c)
{
	const struct hv_create_vp *in = c->in;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);
	struct hvsim_vp *vp;
	u32 i;

	if (!pt)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, 0);
	if (pt == hvsim_root)
		return hvsim_result(HV_STATUS_ACCESS_DENIED, 0);
	if (in->padding[0] || in->padding[1] || in->padding[2])
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (in->subnode_type >= HV_SUBNODE_COUNT)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	if (pt->state != HVSIM_PT_INITIALIZED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, 0);
	/* an index out of range or already in use */
	if (in->vp_index >= HVSIM_MAX_VPS || pt->vps[in->vp_index])
		return hvsim_result(HV_STATUS_INVALID_VP_INDEX, 0);
	if (hvsim_charge_fails() || pt->pool.free_count < hvsim_vp_pages)
		return hvsim_result(hvsim_nomem_status(), 0);

	vp = kzalloc(sizeof(*vp), GFP_ATOMIC);
	if (!vp)
		return hvsim_result(HV_STATUS_INSUFFICIENT_MEMORY, 0);
	for (i = 0; i < hvsim_vp_pages; i++) {
		hvsim_pool_take(pt, &vp->pages[i]);
		memset(page_address(pfn_to_page(vp->pages[i])), 0, PAGE_SIZE);
	}
	vp->nr_pages = hvsim_vp_pages;
	vp->msg_pfn = vp->pages[0];
	vp->reg_pfn = vp->pages[1];
	vp->msg_page = page_address(pfn_to_page(vp->pages[0]));
	vp->reg_page = page_address(pfn_to_page(vp->pages[1]));
	vp->lapic_state = page_address(pfn_to_page(vp->pages[2]));
	vp->xsave_state = page_address(pfn_to_page(vp->pages[3]));

	kref_init(&vp->ref);
	kref_get(&pt->ref);
	vp->pt = pt;
	vp->index = in->vp_index;
	vp->notify_cpu = -1;
	spin_lock_init(&vp->run_lock);
	hvsim_run_vp_init(vp);
	hvx86_init(&vp->cpu, &hvsim_x86_callbacks, vp);
	vp->cpu.config.exception_bitmap = pt->exception_bitmap;
	vp->cpu.config.hlt_rip_at_instruction = true;
	vp->cpu.config.exit_on_unsupported = hvsim_unsupported_unrecoverable;
	vp->cpu.config.max_phys_addr_bits = boot_cpu_data.x86_phys_bits;
	/* a new VP is explicitly suspended until its VMM resumes it */
	vp->explicit_suspend = HV_SUSPEND_REGISTER_SUSPENDED;
	vp->apic_base = hvsim_vp_msr_default(vp, HV_X64_REGISTER_APIC_BASE);
	hvsim_vp_default_state(vp);

	pt->vps[vp->index] = vp;
	pt->nr_vps++;
	hvsim_count(HVSIM_CNT_VPS, 1);
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

/* Take @vp out of its partition and give its pages back (hvsim_lock held). */
static void hvsim_vp_destroy(struct hvsim_vp *vp)
{
	struct hvsim_partition *pt = vp->pt;
	unsigned long flags;
	u32 i;

	spin_lock_irqsave(&vp->run_lock, flags);
	vp->dead = true;
	vp->msg_page = NULL;
	vp->reg_page = NULL;
	vp->lapic_state = NULL;
	vp->xsave_state = NULL;
	spin_unlock_irqrestore(&vp->run_lock, flags);

	for (i = 0; i < vp->nr_pages; i++)
		hvsim_pool_give(pt, vp->pages[i]);
	vp->nr_pages = 0;
	pt->vps[vp->index] = NULL;
	pt->nr_vps--;
	hvsim_count(HVSIM_CNT_VPS, -1);
	hvsim_vp_put(vp);
}

void hvsim_vp_destroy_all(struct hvsim_partition *pt)
{
	u32 i;

	for (i = 0; i < HVSIM_MAX_VPS; i++)
		if (pt->vps[i])
			hvsim_vp_destroy(pt->vps[i]);
}

u64 hvsim_call_delete_vp(struct hvsim_call *c)
{
	const union hv_input_delete_vp *in = c->in;
	struct hvsim_vp *vp;
	u16 st = hvsim_find_vp(in->partition_id, in->vp_index, &vp);

	if (st)
		return hvsim_result(st, 0);
	hvsim_vp_destroy(vp);
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

u64 hvsim_call_map_vp_state_page(struct hvsim_call *c)
{
	const struct hv_input_map_vp_state_page *in = c->in;
	struct hv_output_map_vp_state_page *out = c->out;
	unsigned long flags;
	struct hvsim_vp *vp;
	u16 st = hvsim_find_vp(in->partition_id, in->vp_index, &vp);
	void **slot;
	u64 *pfn;
	bool *mapped;

	if (st)
		return hvsim_result(st, 0);
	if (in->flags & ~HV_MAP_VP_STATE_PAGE_MAP_LOCATION_PROVIDED)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	switch (in->type) {
	case HV_VP_STATE_PAGE_REGISTERS:
		slot = (void **)&vp->reg_page;
		pfn = &vp->reg_pfn;
		mapped = &vp->reg_mapped;
		break;
	case HV_VP_STATE_PAGE_INTERCEPT_MESSAGE:
		slot = (void **)&vp->msg_page;
		pfn = &vp->msg_pfn;
		mapped = &vp->msg_mapped;
		break;
	default:
		/* GHCB: only for SNP partitions, which hvsim cannot create */
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	}

	if (in->flags & HV_MAP_VP_STATE_PAGE_MAP_LOCATION_PROVIDED) {
		u64 req = in->requested_map_location;

		if (!pfn_valid(req))
			return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
		/* overlay: the caller's page becomes the VP's page */
		spin_lock_irqsave(&vp->run_lock, flags);
		memcpy(page_address(pfn_to_page(req)), *slot, PAGE_SIZE);
		*slot = page_address(pfn_to_page(req));
		*pfn = req;
		spin_unlock_irqrestore(&vp->run_lock, flags);
	}
	*mapped = true;
	out->map_location = *pfn;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

u64 hvsim_call_unmap_vp_state_page(struct hvsim_call *c)
{
	const struct hv_input_unmap_vp_state_page *in = c->in;
	unsigned long flags;
	struct hvsim_vp *vp;
	u16 st = hvsim_find_vp(in->partition_id, in->vp_index, &vp);
	u32 own;

	if (st)
		return hvsim_result(st, 0);
	if (in->reserved0)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	spin_lock_irqsave(&vp->run_lock, flags);
	if (in->type == HV_VP_STATE_PAGE_REGISTERS && vp->reg_mapped) {
		own = 1;
		vp->reg_mapped = false;
		if (vp->reg_pfn != vp->pages[own]) {
			memcpy(page_address(pfn_to_page(vp->pages[own])), vp->reg_page, PAGE_SIZE);
			vp->reg_page = page_address(pfn_to_page(vp->pages[own]));
			vp->reg_pfn = vp->pages[own];
		}
	} else if (in->type == HV_VP_STATE_PAGE_INTERCEPT_MESSAGE && vp->msg_mapped) {
		own = 0;
		vp->msg_mapped = false;
		if (vp->msg_pfn != vp->pages[own]) {
			memcpy(page_address(pfn_to_page(vp->pages[own])), vp->msg_page, PAGE_SIZE);
			vp->msg_page = page_address(pfn_to_page(vp->pages[own]));
			vp->msg_pfn = vp->pages[own];
		}
	} else {
		st = HV_STATUS_INVALID_PARAMETER;
	}
	spin_unlock_irqrestore(&vp->run_lock, flags);
	return hvsim_result(st, 0);
}

/* Copy @len bytes between a VP buffer and a list of caller pages. */
static u16 hvsim_pfn_copy(const u64 *pfns, u16 npfns, void *buf, u32 len, bool to_pfns)
{
	u32 done = 0, n;
	u16 i;

	if ((u32)npfns * PAGE_SIZE < len)
		return HV_STATUS_INVALID_PARAMETER;
	for (i = 0; done < len; i++) {
		if (!pfn_valid(pfns[i]))
			return HV_STATUS_INVALID_PARAMETER;
		n = min_t(u32, len - done, PAGE_SIZE);
		if (to_pfns)
			memcpy(page_address(pfn_to_page(pfns[i])), buf + done, n);
		else
			memcpy(buf + done, page_address(pfn_to_page(pfns[i])), n);
		done += n;
	}
	return 0;
}

static u16 hvsim_vp_state_common(const struct hvsim_call *c, u64 pt_id, u32 index,
				 u8 vtl, u8 rsvd0, u16 rsvd1,
				 const struct hv_vp_state_data *sd, struct hvsim_vp **vpp)
{
	if (rsvd0 || rsvd1 || sd->rsvd)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (vtl & HV_INPUT_VTL_TARGET_VTL)
		return HV_STATUS_INVALID_PARAMETER;
	return hvsim_find_vp(pt_id, index, vpp);
}

u64 hvsim_call_get_vp_state(struct hvsim_call *c)
{
	const struct hv_input_get_vp_state *in = c->in;
	const struct hv_vp_state_data *sd = &in->state_data;
	unsigned long flags;
	struct hvsim_vp *vp;
	u16 st;

	st = hvsim_vp_state_common(c, in->partition_id, in->vp_index, in->input_vtl,
				   in->rsvd0, in->rsvd1, sd, &vp);
	if (st)
		return hvsim_result(st, 0);

	spin_lock_irqsave(&vp->run_lock, flags);
	switch (sd->type) {
	case HV_GET_SET_VP_STATE_LAPIC_STATE:
		hvsim_lapic_save_irr(vp);
		st = hvsim_pfn_copy(in->output_data_pfns, c->varhead, vp->lapic_state,
				    PAGE_SIZE, true);
		break;
	case HV_GET_SET_VP_STATE_XSAVE:
		st = hvsim_pfn_copy(in->output_data_pfns, c->varhead, vp->xsave_state,
				    HVSIM_XSAVE_SIZE, true);
		break;
	case HV_GET_SET_VP_STATE_SIM_PAGE:
	case HV_GET_SET_VP_STATE_SIEF_PAGE:
		/* the guest SynIC is not modelled: its pages read as zero */
		if (!c->varhead || !pfn_valid(in->output_data_pfns[0]))
			st = HV_STATUS_INVALID_PARAMETER;
		else
			memset(page_address(pfn_to_page(in->output_data_pfns[0])), 0,
			       PAGE_SIZE);
		break;
	case HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS:
		if (!c->out)
			st = HV_STATUS_INVALID_ALIGNMENT;
		else
			memcpy(c->out, vp->timers, sizeof(vp->timers));
		break;
	default:
		st = HV_STATUS_INVALID_PARAMETER;
	}
	spin_unlock_irqrestore(&vp->run_lock, flags);
	return hvsim_result(st, 0);
}

u64 hvsim_call_set_vp_state(struct hvsim_call *c)
{
	const struct hv_input_set_vp_state *in = c->in;
	const struct hv_vp_state_data *sd = &in->state_data;
	const u64 *pfns = (const u64 *)in->data;
	unsigned long flags;
	struct hvsim_vp *vp;
	u16 st;

	st = hvsim_vp_state_common(c, in->partition_id, in->vp_index, in->input_vtl,
				   in->rsvd0, in->rsvd1, sd, &vp);
	if (st)
		return hvsim_result(st, 0);

	spin_lock_irqsave(&vp->run_lock, flags);
	switch (sd->type) {
	case HV_GET_SET_VP_STATE_LAPIC_STATE:
		st = hvsim_pfn_copy(pfns, c->varhead, vp->lapic_state, PAGE_SIZE, false);
		if (!st)
			hvsim_lapic_load_irr(vp);
		break;
	case HV_GET_SET_VP_STATE_XSAVE:
		st = hvsim_pfn_copy(pfns, c->varhead, vp->xsave_state, HVSIM_XSAVE_SIZE, false);
		break;
	case HV_GET_SET_VP_STATE_SIM_PAGE:
	case HV_GET_SET_VP_STATE_SIEF_PAGE:
		break;
	case HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS:
		if (c->varhead * 8 < sizeof(vp->timers))
			st = HV_STATUS_INVALID_PARAMETER;
		else
			memcpy(vp->timers, in->data, sizeof(vp->timers));
		break;
	default:
		st = HV_STATUS_INVALID_PARAMETER;
	}
	spin_unlock_irqrestore(&vp->run_lock, flags);
	return hvsim_result(st, 0);
}

u64 hvsim_call_translate_virtual_address(struct hvsim_call *c)
{
	const struct hv_input_translate_virtual_address *in = c->in;
	struct hv_output_translate_virtual_address *out = c->out;
	bool readable, writable;
	unsigned long flags;
	struct hvsim_vp *vp;
	enum hvx86_translate_result xlat;
	u64 gpa = 0, code;
	u16 st = hvsim_find_vp(in->partition_id, in->vp_index, &vp);

	if (st)
		return hvsim_result(st, 0);
	if (in->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);

	spin_lock_irqsave(&vp->run_lock, flags);
	xlat = hvx86_translate(&vp->cpu, in->gva_page << HV_HYP_PAGE_SHIFT, &gpa);
	spin_unlock_irqrestore(&vp->run_lock, flags);

	/*
	 * Page-table permission checks (privilege, SMAP) are not modelled:
	 * a present translation succeeds; the GPA checks follow.  A page
	 * table the walk cannot read (unmapped, or NO_ACCESS like movable
	 * memory the guest has not touched yet) is reported as an unmapped
	 * GPA: a modelling choice, the TLFS does not say.
	 */
	if (xlat == HVX86_TRANSLATE_TABLE_GPA)
		code = HV_TRANSLATE_GVA_GPA_UNMAPPED;
	else if (xlat != HVX86_TRANSLATE_OK)
		code = HV_TRANSLATE_GVA_PAGE_NOT_PRESENT;
	else if (hvsim_gpa_lookup(vp->pt, gpa, &readable, &writable))
		code = HV_TRANSLATE_GVA_GPA_UNMAPPED;
	else if ((in->control_flags & HV_TRANSLATE_GVA_VALIDATE_WRITE) && !writable)
		code = HV_TRANSLATE_GVA_GPA_NO_WRITE_ACCESS;
	else if ((in->control_flags & HV_TRANSLATE_GVA_VALIDATE_READ) && !readable)
		code = HV_TRANSLATE_GVA_GPA_NO_READ_ACCESS;
	else
		code = HV_TRANSLATE_GVA_SUCCESS;
	out->translation_result = code;
	out->gpa_page = xlat == HVX86_TRANSLATE_OK ? gpa >> HV_HYP_PAGE_SHIFT : 0;
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

/* Deliver one interrupt of @type/@vector to @vp (hvsim_lock held). */
static void hvsim_vp_interrupt(struct hvsim_vp *vp, u32 type, u32 vector, bool level)
{
	unsigned long flags;

	switch (type) {
	case HV_X64_INTERRUPT_TYPE_NMI:
		spin_lock_irqsave(&vp->run_lock, flags);
		hvx86_inject_exception(&vp->cpu, HVX86_VEC_NMI, false, 0);
		spin_unlock_irqrestore(&vp->run_lock, flags);
		break;
	case HV_X64_INTERRUPT_TYPE_INIT:
		spin_lock_irqsave(&vp->run_lock, flags);
		hvx86_reset(&vp->cpu);
		vp->halted = false;
		spin_unlock_irqrestore(&vp->run_lock, flags);
		return;
	case HV_X64_INTERRUPT_TYPE_SIPI:
		spin_lock_irqsave(&vp->run_lock, flags);
		vp->cpu.regs.seg[HVX86_SEG_CS].selector = (vector & 0xff) << 8;
		vp->cpu.regs.seg[HVX86_SEG_CS].base = (u64)(vector & 0xff) << 12;
		vp->cpu.regs.rip = 0;
		vp->halted = false;
		spin_unlock_irqrestore(&vp->run_lock, flags);
		break;
	case HV_X64_INTERRUPT_TYPE_FIXED:
	case HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY:
	case HV_X64_INTERRUPT_TYPE_EXTINT:
		spin_lock_irqsave(&vp->run_lock, flags);
		hvsim_lapic_accept(vp, vector & 0xff, level);
		spin_unlock_irqrestore(&vp->run_lock, flags);
		break;
	default:
		/* SMI, remote read, LINT: no source in the model */
		return;
	}
	hvsim_vp_wake(vp);
}

u64 hvsim_call_assert_virtual_interrupt(struct hvsim_call *c)
{
	const struct hv_input_assert_virtual_interrupt *in = c->in;
	u32 type = FIELD_GET(HV_INTERRUPT_CONTROL_TYPE, in->control);
	bool logical = in->control & HV_INTERRUPT_CONTROL_LOGICAL_DEST_MODE;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);

	if (!pt)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, 0);
	if (pt == hvsim_root)
		return hvsim_result(HV_STATUS_ACCESS_DENIED, 0);
	if (in->rsvd_z0 || in->rsvd_z1 ||
	    (in->control & ~(HV_INTERRUPT_CONTROL_TYPE | HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED |
			     HV_INTERRUPT_CONTROL_LOGICAL_DEST_MODE)))
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (type >= HV_X64_INTERRUPT_TYPE_MAXIMUM || in->target_vtl ||
	    in->vector > 0xff ||
	    ((type == HV_X64_INTERRUPT_TYPE_FIXED ||
	      type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY) && in->vector < 16))
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	if (pt->state != HVSIM_PT_INITIALIZED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, 0);

	hvsim_deliver(pt, NULL, type, in->vector, in->dest_addr, logical,
		      in->control & HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED, 0);
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

/*
 * Deliver an interrupt in @pt the way the APIC bus would (hvsim_lock held).
 * APIC id == VP index; flat logical mode: bit n = VP n; 0xff (xAPIC) or
 * 0xffffffff (x2APIC) broadcasts.  @shorthand is the ICR field (0 none,
 * 1 self, 2 all, 3 all but @self).
 */
void hvsim_deliver(struct hvsim_partition *pt, struct hvsim_vp *self, u32 type,
		   u32 vector, u64 dest, bool logical, bool level, u32 shorthand)
{
	u32 i;

	for (i = 0; i < HVSIM_MAX_VPS; i++) {
		struct hvsim_vp *vp = pt->vps[i];
		bool match;

		if (!vp)
			continue;
		if (shorthand == 1)
			match = vp == self;
		else if (shorthand == 2)
			match = true;
		else if (shorthand == 3)
			match = vp != self;
		else if (logical)
			match = i < 8 && (dest & BIT(i));
		else
			match = dest == 0xff || dest == 0xffffffff || dest == i;
		if (!match)
			continue;
		hvsim_vp_interrupt(vp, type, vector, level);
		if (type == HV_X64_INTERRUPT_TYPE_LOWESTPRIORITY)
			break;
	}
}

u64 hvsim_call_get_vp_cpuid_values(struct hvsim_call *c)
{
	const struct hv_input_get_vp_cpuid_values *in = c->in;
	union hv_output_get_vp_cpuid_values *out = c->out;
	bool apply = in->flags & HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES;
	u32 known = HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS |
		    HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES;
	struct hvsim_vp *vp;
	u16 i, st = hvsim_find_vp(in->partition_id, in->vp_index, &vp);

	if (st)
		return hvsim_result(st, c->rep_start);
	if (in->reserved || in->padding || (in->flags & ~known))
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, c->rep_start);
	for (i = c->rep_start; i < c->rep_limit; i++)
		hvsim_guest_cpuid(vp, in->cpuid_leaf_info[i].eax, in->cpuid_leaf_info[i].ecx,
				  out[i].as_uint32, apply);
	return hvsim_result(HV_STATUS_SUCCESS, i);
}
