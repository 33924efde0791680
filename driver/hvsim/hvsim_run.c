// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running VPs: the x86 core under an instruction budget, intercepts written
 * as TLFS messages into the VP's intercept message page, and both scheduler
 * models.
 *
 * Root scheduler (SCHEDULER_TYPE ROOT): HvDispatchVp runs the VP on the
 * calling CPU for one slice and returns
 *   READY/INTERCEPT  an intercept is in the message page (VP intercept-suspended),
 *   READY/INVALID    the slice ended without an event (the caller loops),
 *   BLOCKED/SUSPEND  the VP is explicitly/dispatch/intercept suspended,
 *   BLOCKED/INVALID  the VP halted with interrupts enabled.
 * A blocked VP becomes runnable again by clearing EXPLICIT_SUSPEND or by an
 * interrupt; hvsim then sends HVMSG_SCHEDULER_VP_SIGNAL_PAIR to SINT0 and
 * counts it in VP_ROOT_SIGNAL_COUNT, which is what wakes mshv_root's loop.
 *
 * Hypervisor scheduler (LP / LP_SMT / CORE_SMT): once every suspend
 * register is clear the VP runs in a work item on hvsim's unbound
 * workqueue, slice after slice; an intercept suspends it and posts
 * HVMSG_OPAQUE_INTERCEPT (payload: vp_index, sender: partition id) to
 * SINT0 of the CPU that last resumed it.
 *
 * Exits the hypervisor handles itself (no message): CPUID without an
 * installed intercept, known MSRs, VMCALL without a hypercall intercept
 * (RAX = INVALID_HYPERCALL_CODE, as for an unknown call), HLT with RFLAGS.IF
 * set in a LAPIC partition (the VP blocks until an interrupt).  HLT with IF
 * clear or without a LAPIC is an X64_HALT intercept.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "hvsim.h"

enum hvsim_run_result {
	HVSIM_RUN_CONTINUE,
	HVSIM_RUN_INTERCEPT,
	HVSIM_RUN_BLOCKED,
	HVSIM_RUN_SUSPENDED,
	HVSIM_RUN_DEAD,
};

/* Exits handled without leaving the hypervisor, per slice at most. */
#define HVSIM_INTERNAL_EXITS_PER_SLICE	64
/* Slices a work item runs before it requeues itself. */
#define HVSIM_SLICES_PER_WORK		8

/* HV_CACHE_TYPE_X64_WB */
#define HVSIM_CACHE_TYPE_WB		6

static struct workqueue_struct *hvsim_wq;
static bool hvsim_stopping;

/* ------------------------------------------------------------------ */
/* register page                                                       */
/* ------------------------------------------------------------------ */

void hvsim_vp_sync_from_reg_page(struct hvsim_vp *vp)
{
	struct hv_vp_register_page *rp = vp->reg_page;
	struct hvx86_regs *r = &vp->cpu.regs;
	u32 dirty, i;

	if (!rp)
		return;
	dirty = READ_ONCE(rp->dirty);
	if (!dirty)
		return;
	if (dirty & BIT(HV_X64_REGISTER_CLASS_GENERAL))
		for (i = 0; i < HVX86_GPR_COUNT; i++)
			r->gpr[i] = rp->gp_registers[i];
	if (dirty & BIT(HV_X64_REGISTER_CLASS_IP))
		r->rip = rp->rip;
	if (dirty & BIT(HV_X64_REGISTER_CLASS_FLAGS))
		r->rflags = rp->rflags | HVX86_FLAG_FIXED;
	if (dirty & BIT(HV_X64_REGISTER_CLASS_SEGMENT)) {
		for (i = 0; i < HVX86_SEG_COUNT; i++) {
			const struct hv_x64_segment_register *s = &rp->segment_registers[i];

			r->seg[i].base = s->base;
			r->seg[i].limit = s->limit;
			r->seg[i].selector = s->selector;
			r->seg[i].attributes = s->attributes;
		}
	}
	/* XMM registers are not modelled by the core */
	WRITE_ONCE(rp->dirty, 0);
}

void hvsim_vp_sync_to_reg_page(struct hvsim_vp *vp)
{
	struct hv_vp_register_page *rp = vp->reg_page;
	struct hvx86_regs *r = &vp->cpu.regs;
	union hv_register_value v;
	u32 i;

	if (!rp)
		return;
	for (i = 0; i < HVX86_GPR_COUNT; i++)
		rp->gp_registers[i] = r->gpr[i];
	rp->rip = r->rip;
	rp->rflags = r->rflags;
	for (i = 0; i < HVX86_SEG_COUNT; i++) {
		struct hv_x64_segment_register *s = &rp->segment_registers[i];

		s->base = r->seg[i].base;
		s->limit = r->seg[i].limit;
		s->selector = r->seg[i].selector;
		s->attributes = r->seg[i].attributes;
	}
	rp->cr0 = r->cr0;
	rp->cr3 = r->cr3;
	rp->cr4 = r->cr4;
	rp->cr8 = r->cr8;
	rp->efer = r->efer;
	hvsim_reg_get(vp, HV_X64_REGISTER_DR7, &v);
	rp->dr7 = v.reg64;
	hvsim_reg_get(vp, HV_X64_REGISTER_XFEM, &v);
	rp->xfem = v.reg64;
	rp->pending_interruption = 0;
	rp->interrupt_state = vp->cpu.priv.interrupt_shadow ?
			      HV_X64_INTERRUPT_STATE_INTERRUPT_SHADOW : 0;
	rp->instruction_emulation_hints = vp->emulation_hints;
	rp->dirty = 0;
	rp->version = HV_VP_REGISTER_PAGE_VERSION_1;
	rp->isvalid = 1;
}

/* ------------------------------------------------------------------ */
/* intercept messages                                                  */
/* ------------------------------------------------------------------ */

static u16 hvsim_exec_state(struct hvsim_vp *vp)
{
	const struct hvx86_regs *r = &vp->cpu.regs;
	u16 st = 0;

	if (r->cr0 & HVX86_CR0_PE)
		st |= HV_X64_VP_EXECUTION_STATE_CR0_PE |
		      FIELD_PREP(HV_X64_VP_EXECUTION_STATE_CPL,
				 (r->seg[HVX86_SEG_SS].attributes & HVX86_SEG_DPL_MASK) >>
				 HVX86_SEG_DPL_SHIFT);
	if (r->cr0 & HVX86_CR0_AM)
		st |= HV_X64_VP_EXECUTION_STATE_CR0_AM;
	if (r->efer & HVX86_EFER_LMA)
		st |= HV_X64_VP_EXECUTION_STATE_EFER_LMA;
	if (vp->cpu.priv.interrupt_shadow)
		st |= HV_X64_VP_EXECUTION_STATE_INTERRUPT_SHADOW;
	if (hvx86_interrupt_pending(&vp->cpu))
		st |= HV_X64_VP_EXECUTION_STATE_INTERRUPTION_PENDING;
	return st;
}

static void hvsim_fill_header(struct hvsim_vp *vp, struct hv_x64_intercept_message_header *h,
			      u8 access)
{
	const struct hvx86_regs *r = &vp->cpu.regs;
	const struct hvx86_exit *e = &vp->cpu.exit;
	const struct hvx86_segment *cs = &r->seg[HVX86_SEG_CS];

	h->vp_index = vp->index;
	h->instr_len_cr8 = FIELD_PREP(HV_X64_INTERCEPT_INSTRUCTION_LENGTH, e->insn_len) |
			   FIELD_PREP(HV_X64_INTERCEPT_CR8, r->cr8 & 0xf);
	h->intercept_access_type = access;
	h->execution_state = hvsim_exec_state(vp);
	h->cs_segment.base = cs->base;
	h->cs_segment.limit = cs->limit;
	h->cs_segment.selector = cs->selector;
	h->cs_segment.attributes = cs->attributes;
	h->rip = e->rip;
	h->rflags = r->rflags;
}

static void hvsim_fill_seg(struct hv_x64_segment_register *h, const struct hvx86_segment *s)
{
	h->base = s->base;
	h->limit = s->limit;
	h->selector = s->selector;
	h->attributes = s->attributes;
}

/* Start a message of @type in the intercept page; NULL if the VP is gone. */
static void *hvsim_msg_begin(struct hvsim_vp *vp, u32 type, u8 size)
{
	struct hv_message *m = vp->msg_page;

	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->header.message_type = type;
	m->header.payload_size = size;
	m->header.sender = vp->pt->id;
	return m->u.payload;
}

static enum hvsim_run_result hvsim_intercept_done(struct hvsim_vp *vp)
{
	vp->intercept_suspend = HV_SUSPEND_REGISTER_SUSPENDED;
	hvsim_vp_sync_to_reg_page(vp);
	hvsim_count(HVSIM_CNT_INTERCEPTS, 1);
	return HVSIM_RUN_INTERCEPT;
}

static enum hvsim_run_result hvsim_header_only(struct hvsim_vp *vp, u32 type)
{
	struct hv_x64_halt_message *p;

	p = hvsim_msg_begin(vp, type, sizeof(*p));
	if (p)
		hvsim_fill_header(vp, &p->header, HV_INTERCEPT_ACCESS_EXECUTE);
	return hvsim_intercept_done(vp);
}

static enum hvsim_run_result hvsim_io_intercept(struct hvsim_vp *vp)
{
	const struct hvx86_exit *e = &vp->cpu.exit;
	const struct hvx86_regs *r = &vp->cpu.regs;
	struct hv_x64_io_port_intercept_message *p;

	p = hvsim_msg_begin(vp, HVMSG_X64_IO_PORT_INTERCEPT, sizeof(*p));
	if (!p)
		return HVSIM_RUN_DEAD;
	hvsim_fill_header(vp, &p->header, e->io.is_in ? HV_INTERCEPT_ACCESS_READ :
			  HV_INTERCEPT_ACCESS_WRITE);
	p->port_number = e->io.port;
	p->access_info = FIELD_PREP(HV_X64_IO_PORT_ACCESS_SIZE, e->io.size) |
			 (e->io.is_string ? HV_X64_IO_PORT_ACCESS_STRING_OP : 0) |
			 (e->io.rep ? HV_X64_IO_PORT_ACCESS_REP_PREFIX : 0);
	p->instruction_byte_count = e->insn_len;
	p->rax = r->gpr[HVX86_RAX];
	memcpy(p->instruction_bytes, e->insn_bytes, sizeof(p->instruction_bytes));
	hvsim_fill_seg(&p->ds_segment, &r->seg[HVX86_SEG_DS]);
	hvsim_fill_seg(&p->es_segment, &r->seg[HVX86_SEG_ES]);
	p->rcx = r->gpr[HVX86_RCX];
	p->rsi = r->gpr[HVX86_RSI];
	p->rdi = r->gpr[HVX86_RDI];
	return hvsim_intercept_done(vp);
}

static enum hvsim_run_result hvsim_memory_intercept(struct hvsim_vp *vp)
{
	const struct hvx86_exit_memory *m = &vp->cpu.exit.memory;
	const struct hvx86_exit *e = &vp->cpu.exit;
	struct hv_x64_memory_intercept_message *p;
	u32 type = m->status == HVX86_MEM_DENIED ? HVMSG_GPA_INTERCEPT : HVMSG_UNMAPPED_GPA;

	p = hvsim_msg_begin(vp, type, sizeof(*p));
	if (!p)
		return HVSIM_RUN_DEAD;
	hvsim_fill_header(vp, &p->header, m->access);
	p->cache_type = HVSIM_CACHE_TYPE_WB;
	p->instruction_byte_count = e->insn_len;
	if (m->gva_valid)
		p->memory_access_info = HV_X64_MEMORY_ACCESS_GVA_VALID |
					(m->page_walk ? 0 : HV_X64_MEMORY_ACCESS_GVA_GPA_VALID);
	p->guest_virtual_address = m->gva_valid ? m->gva : 0;
	p->guest_physical_address = m->gpa;
	memcpy(p->instruction_bytes, e->insn_bytes, sizeof(p->instruction_bytes));
	if (type == HVMSG_GPA_INTERCEPT)
		hvsim_count(HVSIM_CNT_GPA_INTERCEPTS, 1);
	return hvsim_intercept_done(vp);
}

static enum hvsim_run_result hvsim_exception_intercept(struct hvsim_vp *vp)
{
	const struct hvx86_exit_exception *x = &vp->cpu.exit.exception;
	const struct hvx86_exit *e = &vp->cpu.exit;
	const struct hvx86_regs *r = &vp->cpu.regs;
	struct hv_x64_exception_intercept_message *p;

	p = hvsim_msg_begin(vp, HVMSG_X64_EXCEPTION_INTERCEPT, sizeof(*p));
	if (!p)
		return HVSIM_RUN_DEAD;
	hvsim_fill_header(vp, &p->header, HV_INTERCEPT_ACCESS_EXECUTE);
	p->exception_vector = x->vector;
	p->exception_info = (x->has_error_code ? HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID : 0) |
			    (x->software ? HV_X64_EXCEPTION_INFO_SOFTWARE_EXCEPTION : 0);
	p->instruction_byte_count = e->insn_len;
	p->error_code = x->error_code;
	p->exception_parameter = x->vector == HVX86_VEC_PF ? x->cr2 : 0;
	memcpy(p->instruction_bytes, e->insn_bytes, sizeof(p->instruction_bytes));
	hvsim_fill_seg(&p->ds_segment, &r->seg[HVX86_SEG_DS]);
	hvsim_fill_seg(&p->ss_segment, &r->seg[HVX86_SEG_SS]);
	p->rax = r->gpr[HVX86_RAX];
	p->rcx = r->gpr[HVX86_RCX];
	p->rdx = r->gpr[HVX86_RDX];
	p->rbx = r->gpr[HVX86_RBX];
	p->rsp = r->gpr[HVX86_RSP];
	p->rbp = r->gpr[HVX86_RBP];
	p->rsi = r->gpr[HVX86_RSI];
	p->rdi = r->gpr[HVX86_RDI];
	p->r8 = r->gpr[HVX86_R8];
	p->r9 = r->gpr[HVX86_R9];
	p->r10 = r->gpr[HVX86_R10];
	p->r11 = r->gpr[HVX86_R11];
	p->r12 = r->gpr[HVX86_R12];
	p->r13 = r->gpr[HVX86_R13];
	p->r14 = r->gpr[HVX86_R14];
	p->r15 = r->gpr[HVX86_R15];
	return hvsim_intercept_done(vp);
}

/*
 * A #GP the hypervisor raises for an MSR access: delivered to the guest,
 * or, when the VMM intercepts #GP, reported as an exception intercept at
 * the faulting instruction (error code 0) like a hardware #GP.
 */
static enum hvsim_run_result hvsim_msr_gp(struct hvsim_vp *vp)
{
	struct hvx86_exit_exception *x = &vp->cpu.exit.exception;

	if (!(vp->pt->exception_bitmap & BIT(HVX86_VEC_GP))) {
		hvx86_inject_exception(&vp->cpu, HVX86_VEC_GP, true, 0);
		return HVSIM_RUN_CONTINUE;
	}
	memset(x, 0, sizeof(*x));
	x->vector = HVX86_VEC_GP;
	x->has_error_code = true;
	return hvsim_exception_intercept(vp);
}

static bool hvsim_cpuid_intercepted(struct hvsim_partition *pt, u32 leaf)
{
	u32 i;

	if (pt->global_cpuid_intercept)
		return true;
	for (i = 0; i < pt->nr_cpuid_intercepts; i++)
		if (pt->cpuid_intercepts[i] == leaf)
			return true;
	return false;
}

static enum hvsim_run_result hvsim_cpuid_exit(struct hvsim_vp *vp)
{
	const struct hvx86_regs *r = &vp->cpu.regs;
	u32 leaf = r->gpr[HVX86_RAX], subleaf = r->gpr[HVX86_RCX], res[4];
	struct hv_x64_cpuid_intercept_message *p;

	hvsim_guest_cpuid(vp, leaf, subleaf, res, true);
	if (!hvsim_cpuid_intercepted(vp->pt, leaf)) {
		hvx86_complete_cpuid(&vp->cpu, res[0], res[1], res[2], res[3]);
		return HVSIM_RUN_CONTINUE;
	}
	p = hvsim_msg_begin(vp, HVMSG_X64_CPUID_INTERCEPT, sizeof(*p));
	if (!p)
		return HVSIM_RUN_DEAD;
	hvsim_fill_header(vp, &p->header, HV_INTERCEPT_ACCESS_EXECUTE);
	p->rax = r->gpr[HVX86_RAX];
	p->rcx = r->gpr[HVX86_RCX];
	p->rdx = r->gpr[HVX86_RDX];
	p->rbx = r->gpr[HVX86_RBX];
	p->default_result_rax = res[0];
	p->default_result_rcx = res[2];
	p->default_result_rdx = res[3];
	p->default_result_rbx = res[1];
	return hvsim_intercept_done(vp);
}

/* MSR index -> register name for the MSRs a VMM reads/writes by name. */
static u32 hvsim_msr_to_reg(u32 msr)
{
	switch (msr) {
	case 0x1b:		return HV_X64_REGISTER_APIC_BASE;
	case 0x3b:		return HV_X64_REGISTER_TSC_ADJUST;
	case 0x48:		return HV_X64_REGISTER_SPEC_CTRL;
	case 0x49:		return HV_X64_REGISTER_PRED_CMD;
	case 0xfe:		return HV_X64_REGISTER_MSR_MTRR_CAP;
	case 0x174:		return HV_X64_REGISTER_SYSENTER_CS;
	case 0x175:		return HV_X64_REGISTER_SYSENTER_ESP;
	case 0x176:		return HV_X64_REGISTER_SYSENTER_EIP;
	case 0x1d9:		return HV_X64_REGISTER_DEBUG_CTL;
	case 0x250:		return HV_X64_REGISTER_MSR_MTRR_FIX64K00000;
	case 0x258:		return HV_X64_REGISTER_MSR_MTRR_FIX16K80000;
	case 0x259:		return HV_X64_REGISTER_MSR_MTRR_FIX16KA0000;
	case 0x277:		return HV_X64_REGISTER_PAT;
	case 0x2ff:		return HV_X64_REGISTER_MSR_MTRR_DEF_TYPE;
	case 0xc0000081:	return HV_X64_REGISTER_STAR;
	case 0xc0000082:	return HV_X64_REGISTER_LSTAR;
	case 0xc0000083:	return HV_X64_REGISTER_CSTAR;
	case 0xc0000084:	return HV_X64_REGISTER_SFMASK;
	case 0xc0000103:	return HV_X64_REGISTER_TSC_AUX;
	case HV_X64_MSR_GUEST_OS_ID:	return HV_REGISTER_GUEST_OS_ID;
	case HV_X64_MSR_HYPERCALL:	return HV_X64_REGISTER_HYPERCALL;
	case HV_X64_MSR_VP_INDEX:	return HV_REGISTER_VP_INDEX;
	case HV_X64_MSR_VP_ASSIST_PAGE:	return HV_REGISTER_VP_ASSIST_PAGE;
	case HV_X64_MSR_REFERENCE_TSC:	return HV_REGISTER_REFERENCE_TSC;
	case HV_X64_MSR_SCONTROL:	return HV_REGISTER_SCONTROL;
	case HV_X64_MSR_SVERSION:	return HV_REGISTER_SVERSION;
	case HV_X64_MSR_SIEFP:		return HV_REGISTER_SIEFP;
	case HV_X64_MSR_SIMP:		return HV_REGISTER_SIMP;
	case HV_X64_MSR_EOM:		return HV_REGISTER_EOM;
	case HV_X64_MSR_SIRBP:		return HV_REGISTER_SIRBP;
	default:
		break;
	}
	if (msr >= 0x200 && msr < 0x220)
		return (msr & 1 ? HV_X64_REGISTER_MSR_MTRR_PHYS_MASK0 :
			HV_X64_REGISTER_MSR_MTRR_PHYS_BASE0) + ((msr - 0x200) >> 1);
	if (msr >= 0x268 && msr <= 0x26f)
		return HV_X64_REGISTER_MSR_MTRR_FIX4KC0000 + (msr - 0x268);
	if (msr >= HV_X64_MSR_SINT0 && msr <= HV_X64_MSR_SINT15)
		return HV_REGISTER_SINT0 + (msr - HV_X64_MSR_SINT0);
	if (msr >= HV_X64_MSR_STIMER0_CONFIG && msr < HV_X64_MSR_STIMER0_CONFIG + 8)
		return HV_REGISTER_STIMER0_CONFIG + (msr - HV_X64_MSR_STIMER0_CONFIG);
	return 0;
}

static bool hvsim_msr_intercepted(struct hvsim_partition *pt, u32 msr, bool known)
{
	u32 i;

	for (i = 0; i < pt->nr_msr_intercepts; i++)
		if (pt->msr_intercepts[i] == msr)
			return true;
	/* HV_INTERCEPT_TYPE_X64_MSR: accesses the hypervisor does not implement */
	return pt->msr_intercept && !known;
}

/* What an unimplemented MSR does: a registered result, else the property. */
static u32 hvsim_msr_action(const struct hvsim_partition *pt, u32 msr, bool write)
{
	u32 access = write ? HV_INTERCEPT_ACCESS_MASK_WRITE : HV_INTERCEPT_ACCESS_MASK_READ;
	u32 i;

	for (i = 0; i < pt->nr_msr_results; i++)
		if (pt->msr_results[i].msr == msr && (pt->msr_results[i].access & access))
			return pt->msr_results[i].action;
	return pt->unimplemented_msr_action;
}

static enum hvsim_run_result hvsim_msr_exit(struct hvsim_vp *vp, bool write)
{
	const struct hvx86_exit_msr *m = &vp->cpu.exit.msr;
	const struct hvx86_regs *r = &vp->cpu.regs;
	struct hv_x64_msr_intercept_message *p;
	union hv_register_value v = {};
	u32 name = hvsim_msr_to_reg(m->index);
	bool resume = false;
	u64 val = m->value;

	if (hvsim_lapic_msr(vp, m->index, &val, write)) {
		if (write)
			hvx86_complete_wrmsr(&vp->cpu);
		else
			hvx86_complete_rdmsr(&vp->cpu, val);
		return HVSIM_RUN_CONTINUE;
	}
	if (m->index == HV_X64_MSR_TIME_REF_COUNT && !write &&
	    !hvsim_msr_intercepted(vp->pt, m->index, true)) {
		hvx86_complete_rdmsr(&vp->cpu, div_u64(ktime_get_ns(), 100));
		return HVSIM_RUN_CONTINUE;
	}
	if (hvsim_msr_intercepted(vp->pt, m->index, name)) {
		p = hvsim_msg_begin(vp, HVMSG_X64_MSR_INTERCEPT, sizeof(*p));
		if (!p)
			return HVSIM_RUN_DEAD;
		hvsim_fill_header(vp, &p->header, write ? HV_INTERCEPT_ACCESS_WRITE :
				  HV_INTERCEPT_ACCESS_READ);
		p->msr_number = m->index;
		p->rdx = r->gpr[HVX86_RDX];
		p->rax = r->gpr[HVX86_RAX];
		return hvsim_intercept_done(vp);
	}
	if (name) {
		if (write) {
			v.reg64 = m->value;
			if (hvsim_reg_set(vp, name, &v, &resume))
				return hvsim_msr_gp(vp);
			hvx86_complete_wrmsr(&vp->cpu);
		} else {
			hvsim_reg_get(vp, name, &v);
			hvx86_complete_rdmsr(&vp->cpu, v.reg64);
		}
		return HVSIM_RUN_CONTINUE;
	}
	if (hvsim_msr_action(vp->pt, m->index, write) == HV_UNIMPLEMENTED_MSR_ACTION_FAULT)
		return hvsim_msr_gp(vp);
	if (write)
		hvx86_complete_wrmsr(&vp->cpu);
	else
		hvx86_complete_rdmsr(&vp->cpu, 0);
	return HVSIM_RUN_CONTINUE;
}

static enum hvsim_run_result hvsim_vmcall_exit(struct hvsim_vp *vp)
{
	const struct hvx86_regs *r = &vp->cpu.regs;
	struct hv_x64_hypercall_intercept_message *p;

	if (!vp->pt->hypercall_intercept) {
		hvx86_complete_vmcall(&vp->cpu, HV_STATUS_INVALID_HYPERCALL_CODE);
		return HVSIM_RUN_CONTINUE;
	}
	p = hvsim_msg_begin(vp, HVMSG_HYPERCALL_INTERCEPT, sizeof(*p));
	if (!p)
		return HVSIM_RUN_DEAD;
	hvsim_fill_header(vp, &p->header, HV_INTERCEPT_ACCESS_EXECUTE);
	p->rax = r->gpr[HVX86_RAX];
	p->rbx = r->gpr[HVX86_RBX];
	p->rcx = r->gpr[HVX86_RCX];
	p->rdx = r->gpr[HVX86_RDX];
	p->r8 = r->gpr[HVX86_R8];
	p->rsi = r->gpr[HVX86_RSI];
	p->rdi = r->gpr[HVX86_RDI];
	return hvsim_intercept_done(vp);
}

static enum hvsim_run_result hvsim_hlt_exit(struct hvsim_vp *vp)
{
	bool lapic = vp->pt->creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED;

	if (lapic && (vp->cpu.regs.rflags & HVX86_FLAG_IF)) {
		/* an interrupt that became deliverable at the HLT wakes it at once */
		hvsim_lapic_inject(vp);
		if (hvx86_interrupt_pending(&vp->cpu))
			return HVSIM_RUN_CONTINUE;
		vp->halted = true;
		return HVSIM_RUN_BLOCKED;
	}
	/*
	 * The VMM owns this halt.  The intercept reports RIP at the HLT
	 * (instruction length 1); when the VP is resumed it executes from
	 * whatever RIP the VMM left, so the core's halt state is dropped.
	 */
	hvx86_wake(&vp->cpu);
	return hvsim_header_only(vp, HVMSG_X64_HALT);
}

static bool hvsim_vp_suspended(const struct hvsim_vp *vp)
{
	return vp->explicit_suspend || vp->intercept_suspend || vp->dispatch_suspend;
}

/* One slice of guest execution; vp->run_lock held. */
static enum hvsim_run_result hvsim_run_slice(struct hvsim_vp *vp)
{
	enum hvsim_run_result res = HVSIM_RUN_CONTINUE;
	unsigned int n;

	if (vp->dead)
		return HVSIM_RUN_DEAD;
	if (hvsim_vp_suspended(vp))
		return HVSIM_RUN_SUSPENDED;
	hvsim_vp_sync_from_reg_page(vp);
	hvsim_lapic_inject(vp);
	if (vp->halted) {
		if (!hvx86_interrupt_pending(&vp->cpu))
			return HVSIM_RUN_BLOCKED;
		vp->halted = false;
	}
	hvsim_count(HVSIM_CNT_SLICES, 1);

	for (n = 0; n < HVSIM_INTERNAL_EXITS_PER_SLICE; n++) {
		switch (hvx86_run(&vp->cpu, hvsim_slice_insns)) {
		case HVX86_EXIT_NONE:
		case HVX86_EXIT_INTERRUPT_WINDOW:
			continue;
		case HVX86_EXIT_BUDGET:
			hvsim_count(HVSIM_CNT_INSNS_BUDGET, 1);
			res = HVSIM_RUN_CONTINUE;
			break;
		case HVX86_EXIT_HLT:
			res = hvsim_hlt_exit(vp);
			if (res == HVSIM_RUN_CONTINUE)
				continue;
			break;
		case HVX86_EXIT_IO:
			res = hvsim_io_intercept(vp);
			break;
		case HVX86_EXIT_MEMORY:
			res = hvsim_memory_intercept(vp);
			break;
		case HVX86_EXIT_CPUID:
			res = hvsim_cpuid_exit(vp);
			if (res == HVSIM_RUN_CONTINUE)
				continue;
			break;
		case HVX86_EXIT_RDMSR:
		case HVX86_EXIT_WRMSR:
			res = hvsim_msr_exit(vp, vp->cpu.exit.reason == HVX86_EXIT_WRMSR);
			if (res == HVSIM_RUN_CONTINUE)
				continue;
			break;
		case HVX86_EXIT_VMCALL:
			res = hvsim_vmcall_exit(vp);
			if (res == HVSIM_RUN_CONTINUE)
				continue;
			break;
		case HVX86_EXIT_EXCEPTION:
			res = hvsim_exception_intercept(vp);
			break;
		case HVX86_EXIT_TRIPLE_FAULT:
		case HVX86_EXIT_UNSUPPORTED:
		case HVX86_EXIT_UNRECOVERABLE:
		default:
			res = hvsim_header_only(vp, HVMSG_UNRECOVERABLE_EXCEPTION);
			break;
		}
		break;
	}
	if (res != HVSIM_RUN_INTERCEPT)
		hvsim_vp_sync_to_reg_page(vp);
	return res;
}

/* ------------------------------------------------------------------ */
/* root scheduler                                                      */
/* ------------------------------------------------------------------ */

static void hvsim_signal_pair(struct hvsim_vp *vp, struct hv_message *msg)
{
	struct hv_vp_signal_pair_scheduler_message *p = (void *)msg->u.payload;

	msg->header.message_type = HVMSG_SCHEDULER_VP_SIGNAL_PAIR;
	msg->header.payload_size = sizeof(*p);
	p->vp_count = 1;
	p->partition_ids[0] = vp->pt->id;
	p->vp_indexes[0] = vp->index;
}

static void hvsim_signal_bitset(struct hvsim_vp *vp, struct hv_message *msg)
{
	struct hv_vp_signal_bitset_scheduler_message *p = (void *)msg->u.payload;

	msg->header.message_type = HVMSG_SCHEDULER_VP_SIGNAL_BITSET;
	msg->header.payload_size = sizeof(*p);
	p->partition_id = vp->pt->id;
	p->vp_count = 1;
	p->vp_bitset.bitset.format = HV_GENERIC_SET_SPARSE_4K;
	p->vp_bitset.bitset.valid_bank_mask = BIT_ULL(vp->index / HV_VCPUS_PER_SPARSE_BANK);
	/* one valid bank: its contents are the first (and only) entry */
	p->vp_bitset.bitset.bank_contents[0] = BIT_ULL(vp->index % HV_VCPUS_PER_SPARSE_BANK);
}

/*
 * Tell the root scheduler that @vp can run again.  Both message formats
 * the driver must understand are used: module parameter sched_signal
 * picks pair, bitset, or (default) alternating between the two.
 */
void hvsim_signal_vp(struct hvsim_vp *vp)
{
	static atomic_t nr_signals = ATOMIC_INIT(0);
	struct hv_message msg = {};
	bool bitset;

	if (hvsim_sched_signal == HVSIM_SIGNAL_ALTERNATE)
		bitset = atomic_inc_return(&nr_signals) & 1;
	else
		bitset = hvsim_sched_signal == HVSIM_SIGNAL_BITSET;
	if (bitset)
		hvsim_signal_bitset(vp, &msg);
	else
		hvsim_signal_pair(vp, &msg);
	if (hvsim_post_message(hvsim_pick_cpu(vp->notify_cpu),
			       HV_SYNIC_INTERCEPTION_SINT_INDEX, &msg))
		vp->root_signal_count++;
}

u64 hvsim_call_dispatch_vp(struct hvsim_call *c)
{
	const struct hv_input_dispatch_vp *in = c->in;
	struct hv_output_dispatch_vp *out = c->out;
	u32 known = HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND |
		    HV_DISPATCH_VP_FLAG_ENABLE_CALLER_INTERRUPTS |
		    HV_DISPATCH_VP_FLAG_SET_CALLER_SPEC_CTRL |
		    HV_DISPATCH_VP_FLAG_SKIP_VP_SPEC_FLUSH |
		    HV_DISPATCH_VP_FLAG_SKIP_CALLER_SPEC_FLUSH |
		    HV_DISPATCH_VP_FLAG_SKIP_CALLER_USER_SPEC_FLUSH |
		    HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION;
	struct hvsim_partition *pt;
	enum hvsim_run_result res;
	struct hvsim_vp *vp = NULL;
	unsigned long flags;
	u16 st = 0;

	if (in->flags & ~known)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	spin_lock_irqsave(&hvsim_lock, flags);
	pt = hvsim_partition_find(in->partition_id);
	if (!hvsim_root_scheduler)
		st = HV_STATUS_ACCESS_DENIED;
	else if (!pt)
		st = HV_STATUS_INVALID_PARTITION_ID;
	else if (pt == hvsim_root)
		st = HV_STATUS_ACCESS_DENIED;
	else if (pt->state != HVSIM_PT_INITIALIZED)
		st = HV_STATUS_INVALID_PARTITION_STATE;
	else
		vp = hvsim_vp_lookup(pt, in->vp_index);
	if (!st && !vp)
		st = HV_STATUS_INVALID_VP_INDEX;
	if (!st)
		kref_get(&vp->ref);
	spin_unlock_irqrestore(&hvsim_lock, flags);
	if (st)
		return hvsim_result(st, 0);

	hvsim_count(HVSIM_CNT_DISPATCHES, 1);
	spin_lock_irqsave(&vp->run_lock, flags);
	vp->notify_cpu = smp_processor_id();
	if (in->flags & HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND)
		vp->intercept_suspend = 0;
	if ((in->flags & HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION) && vp->reg_page) {
		union hv_vp_register_page_interrupt_vectors iv;
		u32 i;

		iv.as_uint64 = xchg(&vp->reg_page->interrupt_vectors.as_uint64, 0);
		for (i = 0; i < iv.vector_count && i < HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT; i++)
			set_bit(iv.vector[i], vp->irr);
	}
	res = hvsim_run_slice(vp);
	spin_unlock_irqrestore(&vp->run_lock, flags);
	hvsim_lapic_flush_ipis(vp);

	switch (res) {
	case HVSIM_RUN_INTERCEPT:
		out->dispatch_state = HV_VP_DISPATCH_STATE_READY;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_INTERCEPT;
		break;
	case HVSIM_RUN_CONTINUE:
		out->dispatch_state = HV_VP_DISPATCH_STATE_READY;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_INVALID;
		break;
	case HVSIM_RUN_SUSPENDED:
		out->dispatch_state = HV_VP_DISPATCH_STATE_BLOCKED;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_SUSPEND;
		break;
	case HVSIM_RUN_BLOCKED:
		out->dispatch_state = HV_VP_DISPATCH_STATE_BLOCKED;
		out->dispatch_event = HV_VP_DISPATCH_EVENT_INVALID;
		break;
	default:
		st = HV_STATUS_INVALID_VP_STATE;
		break;
	}
	hvsim_vp_put(vp);
	return hvsim_result(st, 0);
}

/* ------------------------------------------------------------------ */
/* hypervisor scheduler                                                */
/* ------------------------------------------------------------------ */

static void hvsim_post_opaque(struct hvsim_vp *vp)
{
	struct hv_opaque_intercept_message *p;
	struct hv_message msg = {};

	msg.header.message_type = HVMSG_OPAQUE_INTERCEPT;
	msg.header.payload_size = sizeof(*p);
	msg.header.sender = vp->pt->id;
	p = (void *)msg.u.payload;
	p->vp_index = vp->index;
	hvsim_post_message(hvsim_pick_cpu(vp->notify_cpu),
			   HV_SYNIC_INTERCEPTION_SINT_INDEX, &msg);
}

static void hvsim_vp_queue(struct hvsim_vp *vp)
{
	if (READ_ONCE(hvsim_stopping))
		return;
	kref_get(&vp->ref);
	if (!queue_work(hvsim_wq, &vp->run_work))
		hvsim_vp_put(vp);	/* already queued; the caller still holds one */
}

static void hvsim_run_work(struct work_struct *work)
{
	struct hvsim_vp *vp = container_of(work, struct hvsim_vp, run_work);
	enum hvsim_run_result res = HVSIM_RUN_CONTINUE;
	unsigned long flags;
	unsigned int n;

	for (n = 0; n < HVSIM_SLICES_PER_WORK; n++) {
		spin_lock_irqsave(&vp->run_lock, flags);
		res = hvsim_run_slice(vp);
		spin_unlock_irqrestore(&vp->run_lock, flags);
		hvsim_lapic_flush_ipis(vp);
		if (res != HVSIM_RUN_CONTINUE)
			break;
		cond_resched();
	}
	if (res == HVSIM_RUN_INTERCEPT)
		hvsim_post_opaque(vp);
	else if (res == HVSIM_RUN_CONTINUE)
		hvsim_vp_queue(vp);
	hvsim_vp_put(vp);
}

void hvsim_run_vp_init(struct hvsim_vp *vp)
{
	INIT_WORK(&vp->run_work, hvsim_run_work);
}

/* A suspend register was cleared (hvsim_lock held). */
void hvsim_vp_resume_check(struct hvsim_vp *vp)
{
	unsigned long flags;
	bool runnable;

	spin_lock_irqsave(&vp->run_lock, flags);
	runnable = !vp->dead && !hvsim_vp_suspended(vp);
	if (runnable && !hvsim_root_scheduler)
		vp->notify_cpu = smp_processor_id();
	spin_unlock_irqrestore(&vp->run_lock, flags);
	if (!runnable)
		return;
	if (hvsim_root_scheduler)
		hvsim_signal_vp(vp);
	else
		hvsim_vp_queue(vp);
}

/* An interrupt was asserted for @vp (hvsim_lock held). */
void hvsim_vp_wake(struct hvsim_vp *vp)
{
	unsigned long flags;
	bool blocked;

	spin_lock_irqsave(&vp->run_lock, flags);
	blocked = !vp->dead && vp->halted && !hvsim_vp_suspended(vp);
	spin_unlock_irqrestore(&vp->run_lock, flags);
	if (!blocked)
		return;
	if (hvsim_root_scheduler)
		hvsim_signal_vp(vp);
	else
		hvsim_vp_queue(vp);
}

int hvsim_run_init(void)
{
	hvsim_wq = alloc_workqueue("hvsim_vp", WQ_UNBOUND, 0);
	return hvsim_wq ? 0 : -ENOMEM;
}

void hvsim_run_exit(void)
{
	WRITE_ONCE(hvsim_stopping, true);
	destroy_workqueue(hvsim_wq);
}
