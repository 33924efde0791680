// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: segment descriptors, segment register loads, far
 * jumps/calls/returns and IRET.
 */
#include "x86_internal.h"

/* --- descriptors ------------------------------------------------------ */

struct descriptor {
	u64 low;
	u64 high;	/* upper 8 bytes of a 16-byte system descriptor */
};

static void descriptor_to_segment(const struct descriptor *desc, u16 selector,
				  struct hvx86_segment *seg)
{
	u64 d = desc->low;
	u32 limit = (u32)((d & 0xffff) | ((d >> 32) & 0xf0000));

	seg->selector = selector;
	seg->base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
	if (d & (1ULL << 55))
		limit = (limit << 12) | 0xfff;
	seg->limit = limit;
	seg->attributes = (u16)((d >> 40) & 0xf0ff);
}

static int read_descriptor(struct hvx86_vcpu *vcpu, u16 selector,
			   struct descriptor *desc, bool system16, u8 vector)
{
	const struct hvx86_regs *regs = &vcpu->regs;
	unsigned int index = selector & ~7u;
	u64 base, limit;
	u8 buf[16];
	unsigned int size = system16 ? 16 : 8;
	unsigned int i;

	if (selector & 4) {
		if (!(regs->ldtr.attributes & HVX86_SEG_P))
			return hvx86_raise(vcpu, vector, true, selector & ~3u);
		base = regs->ldtr.base;
		limit = regs->ldtr.limit;
	} else {
		base = regs->gdtr.base;
		limit = regs->gdtr.limit;
	}
	if (index + size - 1 > limit)
		return hvx86_raise(vcpu, vector, true, selector & ~3u);
	if (!(regs->efer & HVX86_EFER_LMA))
		base &= 0xffffffffULL;
	HVX86_TRY(hvx86_read_linear(vcpu, base + index, buf, size, HVX86_ACCESS_READ,
				    true));
	desc->low = 0;
	desc->high = 0;
	for (i = 0; i < 8; i++) {
		desc->low |= (u64)buf[i] << (8 * i);
		if (system16)
			desc->high |= (u64)buf[8 + i] << (8 * i);
	}
	return HVX86_OK;
}

/* Set the accessed (or TSS busy) bit of a descriptor in memory. */
static int set_descriptor_bit(struct hvx86_vcpu *vcpu, u16 selector,
			      struct descriptor *desc, u8 bit)
{
	const struct hvx86_regs *regs = &vcpu->regs;
	u64 base = (selector & 4) ? regs->ldtr.base : regs->gdtr.base;
	u8 access = (u8)(desc->low >> 40);

	if (access & bit)
		return HVX86_OK;
	access |= bit;
	desc->low |= (u64)bit << 40;
	if (!(regs->efer & HVX86_EFER_LMA))
		base &= 0xffffffffULL;
	return hvx86_write_linear(vcpu, base + (selector & ~7u) + 5, &access, 1,
				  true);
}

int hvx86_load_segment(struct hvx86_vcpu *vcpu, unsigned int seg, u16 selector)
{
	struct hvx86_segment *s = &vcpu->regs.seg[seg];
	unsigned int cpl = hvx86_cpl(vcpu), rpl = selector & 3, dpl, type;
	struct descriptor desc;
	struct hvx86_segment loaded;

	if (!hvx86_is_protected(vcpu)) {
		s->selector = selector;
		s->base = (u64)selector << 4;
		if (seg == HVX86_SEG_SS)
			vcpu->priv.interrupt_shadow = true;
		return HVX86_OK;
	}
	if (!(selector & ~3u)) {
		if (seg == HVX86_SEG_CS)
			return hvx86_raise_gp(vcpu, 0);
		if (seg == HVX86_SEG_SS &&
		    !(hvx86_is_long64(vcpu) && cpl != 3 && rpl == cpl))
			return hvx86_raise_gp(vcpu, 0);
		s->selector = selector;
		s->base = 0;
		s->limit = 0;
		/* unusable; SS keeps the DPL because it is the CPL */
		s->attributes = seg == HVX86_SEG_SS ?
				(u16)(cpl << HVX86_SEG_DPL_SHIFT) | HVX86_SEG_DB : 0;
		if (seg == HVX86_SEG_SS)
			vcpu->priv.interrupt_shadow = true;
		return HVX86_OK;
	}
	HVX86_TRY(read_descriptor(vcpu, selector, &desc, false, HVX86_VEC_GP));
	descriptor_to_segment(&desc, selector, &loaded);
	dpl = (loaded.attributes & HVX86_SEG_DPL_MASK) >> HVX86_SEG_DPL_SHIFT;
	type = loaded.attributes & HVX86_SEG_TYPE_MASK;
	if (!(loaded.attributes & HVX86_SEG_S))
		return hvx86_raise_gp(vcpu, selector & ~3u);
	if (seg == HVX86_SEG_SS) {
		if ((type & HVX86_SEG_TYPE_CODE) ||
		    !(type & HVX86_SEG_TYPE_WRITABLE) || rpl != cpl || dpl != cpl)
			return hvx86_raise_gp(vcpu, selector & ~3u);
		if (!(loaded.attributes & HVX86_SEG_P))
			return hvx86_raise(vcpu, HVX86_VEC_SS, true, selector & ~3u);
		vcpu->priv.interrupt_shadow = true;
	} else {
		bool code = type & HVX86_SEG_TYPE_CODE;

		if (code && !(type & HVX86_SEG_TYPE_WRITABLE))
			return hvx86_raise_gp(vcpu, selector & ~3u);
		if ((!code || !(type & HVX86_SEG_TYPE_EXPDOWN)) &&
		    (dpl < cpl || dpl < rpl))
			return hvx86_raise_gp(vcpu, selector & ~3u);
		if (!(loaded.attributes & HVX86_SEG_P))
			return hvx86_raise(vcpu, HVX86_VEC_NP, true, selector & ~3u);
	}
	HVX86_TRY(set_descriptor_bit(vcpu, selector, &desc, 1));
	loaded.attributes |= HVX86_SEG_TYPE_ACCESSED;
	*s = loaded;
	return HVX86_OK;
}

/* LLDT / LTR */
int hvx86_load_system_segment(struct hvx86_vcpu *vcpu, bool is_tr, u16 selector)
{
	struct hvx86_segment *s = is_tr ? &vcpu->regs.tr : &vcpu->regs.ldtr;
	bool lma = vcpu->regs.efer & HVX86_EFER_LMA;
	struct descriptor desc;
	struct hvx86_segment loaded;
	unsigned int type;

	if (!(selector & ~3u)) {
		if (is_tr)
			return hvx86_raise_gp(vcpu, 0);
		s->selector = selector;
		s->base = 0;
		s->limit = 0;
		s->attributes = 0;
		return HVX86_OK;
	}
	if (selector & 4)
		return hvx86_raise_gp(vcpu, selector & ~3u);
	HVX86_TRY(read_descriptor(vcpu, selector, &desc, lma, HVX86_VEC_GP));
	descriptor_to_segment(&desc, selector, &loaded);
	if (lma)
		loaded.base |= (desc.high & 0xffffffffULL) << 32;
	type = loaded.attributes & (HVX86_SEG_TYPE_MASK | HVX86_SEG_S);
	if (is_tr ? (type != 0x9 && !(type == 0x1 && !lma)) : type != 0x2)
		return hvx86_raise_gp(vcpu, selector & ~3u);
	if (!(loaded.attributes & HVX86_SEG_P))
		return hvx86_raise(vcpu, HVX86_VEC_NP, true, selector & ~3u);
	if (is_tr) {
		HVX86_TRY(set_descriptor_bit(vcpu, selector, &desc, 2));
		loaded.attributes |= 2;
	}
	*s = loaded;
	return HVX86_OK;
}

/* Read and check a code-segment descriptor for a far transfer to @cpl. */
int hvx86_load_code_descriptor(struct hvx86_vcpu *vcpu, u16 selector,
			       unsigned int new_cpl, enum hvx86_code_transfer kind,
			       struct hvx86_segment *out)
{
	unsigned int cpl = hvx86_cpl(vcpu), rpl = selector & 3, dpl, type;
	struct descriptor desc;

	if (!(selector & ~3u))
		return hvx86_raise_gp(vcpu, 0);
	HVX86_TRY(read_descriptor(vcpu, selector, &desc, false, HVX86_VEC_GP));
	descriptor_to_segment(&desc, selector, out);
	type = out->attributes & HVX86_SEG_TYPE_MASK;
	dpl = (out->attributes & HVX86_SEG_DPL_MASK) >> HVX86_SEG_DPL_SHIFT;
	if (!(out->attributes & HVX86_SEG_S) || !(type & HVX86_SEG_TYPE_CODE))
		return hvx86_raise_gp(vcpu, selector & ~3u); /* gates: unsupported */
	if (kind == TRANSFER_INTERRUPT) {
		if (dpl > cpl)
			return hvx86_raise_gp(vcpu, selector & ~3u);
	} else if (kind == TRANSFER_RETURN) {
		if (rpl < cpl || ((type & HVX86_SEG_TYPE_EXPDOWN) ? dpl > rpl :
				  dpl != rpl))
			return hvx86_raise_gp(vcpu, selector & ~3u);
	} else if (type & HVX86_SEG_TYPE_EXPDOWN) {
		if (dpl > cpl)
			return hvx86_raise_gp(vcpu, selector & ~3u);
	} else if (rpl > cpl || dpl != cpl) {
		return hvx86_raise_gp(vcpu, selector & ~3u);
	}
	if (!(out->attributes & HVX86_SEG_P))
		return hvx86_raise(vcpu, HVX86_VEC_NP, true, selector & ~3u);
	if ((vcpu->regs.efer & HVX86_EFER_LMA) &&
	    (out->attributes & HVX86_SEG_L) && (out->attributes & HVX86_SEG_DB))
		return hvx86_raise_gp(vcpu, selector & ~3u);
	HVX86_TRY(set_descriptor_bit(vcpu, selector, &desc, 1));
	out->attributes |= HVX86_SEG_TYPE_ACCESSED;
	out->selector = (selector & ~3u) | new_cpl;
	return HVX86_OK;
}

int hvx86_check_code_limit(struct hvx86_vcpu *vcpu,
			   const struct hvx86_segment *cs, u64 offset)
{
	if ((vcpu->regs.efer & HVX86_EFER_LMA) && (cs->attributes & HVX86_SEG_L)) {
		if ((u64)((s64)(offset << 16) >> 16) != offset)
			return hvx86_raise_gp(vcpu, 0);
		return HVX86_OK;
	}
	if (offset > cs->limit)
		return hvx86_raise_gp(vcpu, 0);
	return HVX86_OK;
}

/* jmp far / call far to selector:offset (direct or through memory). */
int hvx86_far_transfer(struct hvx86_vcpu *vcpu, u16 selector, u64 offset,
		       bool is_call, unsigned int op_size)
{
	struct hvx86_regs *regs = &vcpu->regs;
	struct hvx86_segment cs;

	if (!hvx86_is_protected(vcpu)) {
		if (is_call) {
			HVX86_TRY(hvx86_push(vcpu, regs->seg[HVX86_SEG_CS].selector,
					     op_size));
			HVX86_TRY(hvx86_push(vcpu, vcpu->priv.insn.next_rip,
					     op_size));
		}
		offset &= hvx86_size_mask(op_size);
		HVX86_TRY(hvx86_check_code_limit(vcpu, &regs->seg[HVX86_SEG_CS],
						 offset));
		regs->seg[HVX86_SEG_CS].selector = selector;
		regs->seg[HVX86_SEG_CS].base = (u64)selector << 4;
		regs->rip = offset;
		return HVX86_OK;
	}
	HVX86_TRY(hvx86_load_code_descriptor(vcpu, selector, hvx86_cpl(vcpu),
					     TRANSFER_JMP_CALL, &cs));
	if (op_size != 8)
		offset &= hvx86_size_mask(op_size);
	HVX86_TRY(hvx86_check_code_limit(vcpu, &cs, offset));
	if (is_call) {
		HVX86_TRY(hvx86_push(vcpu, regs->seg[HVX86_SEG_CS].selector,
				     op_size));
		HVX86_TRY(hvx86_push(vcpu, vcpu->priv.insn.next_rip, op_size));
	}
	regs->seg[HVX86_SEG_CS] = cs;
	regs->rip = offset;
	return HVX86_OK;
}

/* Return to an outer privilege level: pop SS:rSP as well. */
static int pop_outer_stack(struct hvx86_vcpu *vcpu, unsigned int op_size,
			   unsigned int new_cpl, u64 *rsp, u16 *ss)
{
	u64 value;

	HVX86_TRY(hvx86_pop(vcpu, rsp, op_size));
	HVX86_TRY(hvx86_pop(vcpu, &value, op_size));
	*ss = (u16)value;
	if ((*ss & 3) != new_cpl)
		return hvx86_raise_gp(vcpu, *ss & ~3u);
	return HVX86_OK;
}

static int switch_to_outer(struct hvx86_vcpu *vcpu, const struct hvx86_segment *cs,
			   unsigned int new_cpl, u64 rsp, u16 ss)
{
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int i;

	regs->seg[HVX86_SEG_CS] = *cs;
	/* CPL follows SS.DPL: set it before loading SS for the checks */
	regs->seg[HVX86_SEG_SS].attributes =
		(regs->seg[HVX86_SEG_SS].attributes & ~HVX86_SEG_DPL_MASK) |
		(new_cpl << HVX86_SEG_DPL_SHIFT);
	HVX86_TRY(hvx86_load_segment(vcpu, HVX86_SEG_SS, ss));
	regs->gpr[HVX86_RSP] = rsp;
	for (i = 0; i < HVX86_SEG_COUNT; i++) {
		struct hvx86_segment *s = &regs->seg[i];
		unsigned int dpl = (s->attributes & HVX86_SEG_DPL_MASK) >>
				   HVX86_SEG_DPL_SHIFT;
		bool conforming_code = (s->attributes & 0xc) == 0xc;

		if (i == HVX86_SEG_CS || i == HVX86_SEG_SS)
			continue;
		if (dpl < new_cpl && !conforming_code) {
			s->selector = 0;
			s->attributes = 0;
		}
	}
	return HVX86_OK;
}

int hvx86_far_return(struct hvx86_vcpu *vcpu, unsigned int op_size, u16 pop_extra)
{
	struct hvx86_regs *regs = &vcpu->regs;
	struct hvx86_segment cs;
	u64 rip, value, rsp;
	unsigned int new_cpl;
	u16 selector, ss;

	HVX86_TRY(hvx86_pop(vcpu, &rip, op_size));
	HVX86_TRY(hvx86_pop(vcpu, &value, op_size));
	selector = (u16)value;
	if (!hvx86_is_protected(vcpu)) {
		HVX86_TRY(hvx86_check_code_limit(vcpu, &regs->seg[HVX86_SEG_CS],
						 rip));
		regs->seg[HVX86_SEG_CS].selector = selector;
		regs->seg[HVX86_SEG_CS].base = (u64)selector << 4;
		regs->rip = rip;
		rsp = regs->gpr[HVX86_RSP] + pop_extra;
		regs->gpr[HVX86_RSP] = (regs->gpr[HVX86_RSP] & ~hvx86_stack_mask(vcpu)) |
				     (rsp & hvx86_stack_mask(vcpu));
		return HVX86_OK;
	}
	new_cpl = selector & 3;
	HVX86_TRY(hvx86_load_code_descriptor(vcpu, selector, new_cpl, TRANSFER_RETURN,
					     &cs));
	HVX86_TRY(hvx86_check_code_limit(vcpu, &cs, rip));
	rsp = regs->gpr[HVX86_RSP] + pop_extra;
	regs->gpr[HVX86_RSP] = (regs->gpr[HVX86_RSP] & ~hvx86_stack_mask(vcpu)) |
			     (rsp & hvx86_stack_mask(vcpu));
	if (new_cpl != hvx86_cpl(vcpu)) {
		HVX86_TRY(pop_outer_stack(vcpu, op_size, new_cpl, &rsp, &ss));
		HVX86_TRY(switch_to_outer(vcpu, &cs, new_cpl, rsp + pop_extra,
					  ss));
	} else {
		regs->seg[HVX86_SEG_CS] = cs;
	}
	regs->rip = rip;
	return HVX86_OK;
}

/* Load RFLAGS from a POPF/IRET image, honouring CPL and IOPL. */
static void write_popped_flags(struct hvx86_vcpu *vcpu, u64 value,
			       unsigned int op_size, unsigned int cpl)
{
	u64 writable = HVX86_FLAGS_ARITH | HVX86_FLAG_TF | HVX86_FLAG_DF |
		       HVX86_FLAG_OF | HVX86_FLAG_NT | HVX86_FLAG_AC | HVX86_FLAG_ID;
	u64 iopl = (vcpu->regs.rflags & HVX86_FLAG_IOPL) >> 12;

	if (cpl == 0)
		writable |= HVX86_FLAG_IOPL;
	if (cpl <= iopl)
		writable |= HVX86_FLAG_IF;
	if (op_size == 2)
		writable &= 0xffff;
	vcpu->regs.rflags = (vcpu->regs.rflags & ~writable) |
			    (value & writable) | HVX86_FLAG_FIXED;
}

int hvx86_iret(struct hvx86_vcpu *vcpu, unsigned int op_size)
{
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int cpl = hvx86_cpl(vcpu), new_cpl;
	struct hvx86_segment cs;
	u64 rip, value, flags, rsp;
	u16 selector, ss;

	HVX86_TRY(hvx86_pop(vcpu, &rip, op_size));
	HVX86_TRY(hvx86_pop(vcpu, &value, op_size));
	selector = (u16)value;
	HVX86_TRY(hvx86_pop(vcpu, &flags, op_size));
	if (!hvx86_is_protected(vcpu)) {
		HVX86_TRY(hvx86_check_code_limit(vcpu, &regs->seg[HVX86_SEG_CS],
						 rip));
		regs->seg[HVX86_SEG_CS].selector = selector;
		regs->seg[HVX86_SEG_CS].base = (u64)selector << 4;
		regs->rip = rip;
		write_popped_flags(vcpu, flags, op_size, 0);
		return HVX86_OK;
	}
	if ((regs->rflags & HVX86_FLAG_NT) && !(regs->efer & HVX86_EFER_LMA))
		return hvx86_unsupported(vcpu);	/* task return */
	if ((flags & HVX86_FLAG_VM) && cpl == 0 && op_size != 2 &&
	    !(regs->efer & HVX86_EFER_LMA))
		return hvx86_unsupported(vcpu);	/* return to v8086 */
	new_cpl = selector & 3;
	HVX86_TRY(hvx86_load_code_descriptor(vcpu, selector, new_cpl, TRANSFER_RETURN,
					     &cs));
	if (hvx86_is_long64(vcpu) || new_cpl != cpl) {
		HVX86_TRY(pop_outer_stack(vcpu, op_size, new_cpl, &rsp, &ss));
		if (new_cpl == cpl && !(ss & ~3u) && hvx86_is_long64(vcpu)) {
			regs->seg[HVX86_SEG_CS] = cs;
			regs->seg[HVX86_SEG_SS].selector = ss;
			regs->gpr[HVX86_RSP] = rsp;
		} else if (new_cpl == cpl) {
			regs->seg[HVX86_SEG_CS] = cs;
			HVX86_TRY(hvx86_load_segment(vcpu, HVX86_SEG_SS, ss));
			regs->gpr[HVX86_RSP] = rsp;
		} else {
			HVX86_TRY(switch_to_outer(vcpu, &cs, new_cpl, rsp, ss));
		}
	} else {
		regs->seg[HVX86_SEG_CS] = cs;
	}
	if (!(regs->efer & HVX86_EFER_LMA) || !(cs.attributes & HVX86_SEG_L))
		rip &= 0xffffffffULL;
	HVX86_TRY(hvx86_check_code_limit(vcpu, &cs, rip));
	regs->rip = rip;
	write_popped_flags(vcpu, flags, op_size, cpl);
	return HVX86_OK;
}
