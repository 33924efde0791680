// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: run loop, exits and their completion, interrupt
 * and exception delivery.
 */
#include "x86_internal.h"

int x86_raise(struct x86_vcpu *vcpu, u8 vector, bool has_error, u32 error)
{
	struct x86_private *priv = &vcpu->priv;

	priv->exc_pending = true;
	priv->exc_vector = vector;
	priv->exc_has_error = has_error;
	priv->exc_error = error;
	priv->exc_software = false;
	return X86_EXC;
}

int x86_raise_gp(struct x86_vcpu *vcpu, u32 error)
{
	return x86_raise(vcpu, X86_VEC_GP, true, error);
}

int x86_raise_ud(struct x86_vcpu *vcpu)
{
	return x86_raise(vcpu, X86_VEC_UD, false, 0);
}

/* An instruction outside the subset. */
int x86_unsupported(struct x86_vcpu *vcpu)
{
	if (vcpu->config.exit_on_unsupported)
		return x86_stop(vcpu, X86_EXIT_UNSUPPORTED);
	return x86_raise_ud(vcpu);
}

int x86_stop(struct x86_vcpu *vcpu, enum x86_exit_reason reason)
{
	const struct x86_insn *insn = &vcpu->priv.insn;
	struct x86_exit *exit = &vcpu->exit;

	exit->reason = reason;
	exit->insn_len = insn->len;
	memcpy(exit->insn_bytes, insn->bytes, sizeof(exit->insn_bytes));
	if (reason == X86_EXIT_MEMORY &&
	    exit->memory.access == X86_ACCESS_EXECUTE)
		exit->insn_len = 0;
	return X86_STOP;
}

void x86_init(struct x86_vcpu *vcpu, const struct x86_callbacks *cb,
	      void *opaque)
{
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->cb = cb;
	vcpu->opaque = opaque;
	x86_reset(vcpu);
}

void x86_reset(struct x86_vcpu *vcpu)
{
	struct x86_regs *regs = &vcpu->regs;
	unsigned int i;

	memset(regs, 0, sizeof(*regs));
	memset(&vcpu->priv, 0, sizeof(vcpu->priv));
	memset(&vcpu->exit, 0, sizeof(vcpu->exit));
	for (i = 0; i < X86_SEG_COUNT; i++) {
		regs->seg[i].limit = 0xffff;
		regs->seg[i].attributes = X86_SEG_P | X86_SEG_S |
					  X86_SEG_TYPE_WRITABLE |
					  X86_SEG_TYPE_ACCESSED;
	}
	regs->seg[X86_SEG_CS].selector = 0xf000;
	regs->seg[X86_SEG_CS].base = 0xffff0000ULL;
	regs->seg[X86_SEG_CS].attributes |= X86_SEG_TYPE_CODE;
	regs->ldtr.limit = 0xffff;
	regs->ldtr.attributes = X86_SEG_P | 0x2;
	regs->tr.limit = 0xffff;
	regs->tr.attributes = X86_SEG_P | 0xb;
	regs->gdtr.limit = 0xffff;
	regs->idtr.limit = 0xffff;
	regs->rip = 0xfff0;
	regs->rflags = X86_FLAG_FIXED;
	regs->cr0 = X86_CR0_CD | X86_CR0_NW | X86_CR0_ET;
	regs->gpr[X86_RDX] = 0x00000600;
}

enum x86_mode x86_get_mode(const struct x86_vcpu *vcpu)
{
	bool db = vcpu->regs.seg[X86_SEG_CS].attributes & X86_SEG_DB;

	if (!x86_is_protected(vcpu))
		return X86_MODE_REAL;
	if (x86_is_long64(vcpu))
		return X86_MODE_LONG64;
	if (vcpu->regs.efer & X86_EFER_LMA)
		return db ? X86_MODE_COMPAT32 : X86_MODE_COMPAT16;
	return db ? X86_MODE_PROT32 : X86_MODE_PROT16;
}

void x86_update_efer_lma(struct x86_vcpu *vcpu)
{
	struct x86_regs *regs = &vcpu->regs;

	if ((regs->cr0 & X86_CR0_PG) && (regs->efer & X86_EFER_LME))
		regs->efer |= X86_EFER_LMA;
	else
		regs->efer &= ~X86_EFER_LMA;
}

/* Set RIP for a branch whose operand size is @op_size. */
void x86_set_rip(struct x86_vcpu *vcpu, u64 rip, unsigned int op_size)
{
	if (x86_is_long64(vcpu))
		vcpu->regs.rip = rip;
	else
		vcpu->regs.rip = rip & x86_size_mask(op_size == 8 ? 4 : op_size);
}

/* --- descriptors ------------------------------------------------------ */

struct descriptor {
	u64 low;
	u64 high;	/* upper 8 bytes of a 16-byte system descriptor */
};

static void descriptor_to_segment(const struct descriptor *desc, u16 selector,
				  struct x86_segment *seg)
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

static int read_descriptor(struct x86_vcpu *vcpu, u16 selector,
			   struct descriptor *desc, bool system16, u8 vector)
{
	const struct x86_regs *regs = &vcpu->regs;
	unsigned int index = selector & ~7u;
	u64 base, limit;
	u8 buf[16];
	unsigned int size = system16 ? 16 : 8;
	unsigned int i;

	if (selector & 4) {
		if (!(regs->ldtr.attributes & X86_SEG_P))
			return x86_raise(vcpu, vector, true, selector & ~3u);
		base = regs->ldtr.base;
		limit = regs->ldtr.limit;
	} else {
		base = regs->gdtr.base;
		limit = regs->gdtr.limit;
	}
	if (index + size - 1 > limit)
		return x86_raise(vcpu, vector, true, selector & ~3u);
	if (!(regs->efer & X86_EFER_LMA))
		base &= 0xffffffffULL;
	X86_TRY(x86_read_linear(vcpu, base + index, buf, size, X86_ACCESS_READ,
				true));
	desc->low = 0;
	desc->high = 0;
	for (i = 0; i < 8; i++) {
		desc->low |= (u64)buf[i] << (8 * i);
		if (system16)
			desc->high |= (u64)buf[8 + i] << (8 * i);
	}
	return X86_OK;
}

/* Set the accessed (or TSS busy) bit of a descriptor in memory. */
static int set_descriptor_bit(struct x86_vcpu *vcpu, u16 selector,
			      struct descriptor *desc, u8 bit)
{
	const struct x86_regs *regs = &vcpu->regs;
	u64 base = (selector & 4) ? regs->ldtr.base : regs->gdtr.base;
	u8 access = (u8)(desc->low >> 40);

	if (access & bit)
		return X86_OK;
	access |= bit;
	desc->low |= (u64)bit << 40;
	if (!(regs->efer & X86_EFER_LMA))
		base &= 0xffffffffULL;
	return x86_write_linear(vcpu, base + (selector & ~7u) + 5, &access, 1,
				true);
}

int x86_load_segment(struct x86_vcpu *vcpu, unsigned int seg, u16 selector)
{
	struct x86_segment *s = &vcpu->regs.seg[seg];
	unsigned int cpl = x86_cpl(vcpu), rpl = selector & 3, dpl, type;
	struct descriptor desc;
	struct x86_segment loaded;

	if (!x86_is_protected(vcpu)) {
		s->selector = selector;
		s->base = (u64)selector << 4;
		if (seg == X86_SEG_SS)
			vcpu->priv.interrupt_shadow = true;
		return X86_OK;
	}
	if (!(selector & ~3u)) {
		if (seg == X86_SEG_CS)
			return x86_raise_gp(vcpu, 0);
		if (seg == X86_SEG_SS &&
		    !(x86_is_long64(vcpu) && cpl != 3 && rpl == cpl))
			return x86_raise_gp(vcpu, 0);
		s->selector = selector;
		s->base = 0;
		s->limit = 0;
		/* unusable; SS keeps the DPL because it is the CPL */
		s->attributes = seg == X86_SEG_SS ?
				(u16)(cpl << X86_SEG_DPL_SHIFT) | X86_SEG_DB : 0;
		if (seg == X86_SEG_SS)
			vcpu->priv.interrupt_shadow = true;
		return X86_OK;
	}
	X86_TRY(read_descriptor(vcpu, selector, &desc, false, X86_VEC_GP));
	descriptor_to_segment(&desc, selector, &loaded);
	dpl = (loaded.attributes & X86_SEG_DPL_MASK) >> X86_SEG_DPL_SHIFT;
	type = loaded.attributes & X86_SEG_TYPE_MASK;
	if (!(loaded.attributes & X86_SEG_S))
		return x86_raise_gp(vcpu, selector & ~3u);
	if (seg == X86_SEG_SS) {
		if ((type & X86_SEG_TYPE_CODE) ||
		    !(type & X86_SEG_TYPE_WRITABLE) || rpl != cpl || dpl != cpl)
			return x86_raise_gp(vcpu, selector & ~3u);
		if (!(loaded.attributes & X86_SEG_P))
			return x86_raise(vcpu, X86_VEC_SS, true, selector & ~3u);
		vcpu->priv.interrupt_shadow = true;
	} else {
		bool code = type & X86_SEG_TYPE_CODE;

		if (code && !(type & X86_SEG_TYPE_WRITABLE))
			return x86_raise_gp(vcpu, selector & ~3u);
		if ((!code || !(type & X86_SEG_TYPE_EXPDOWN)) &&
		    (dpl < cpl || dpl < rpl))
			return x86_raise_gp(vcpu, selector & ~3u);
		if (!(loaded.attributes & X86_SEG_P))
			return x86_raise(vcpu, X86_VEC_NP, true, selector & ~3u);
	}
	X86_TRY(set_descriptor_bit(vcpu, selector, &desc, 1));
	loaded.attributes |= X86_SEG_TYPE_ACCESSED;
	*s = loaded;
	return X86_OK;
}

/* LLDT / LTR */
int x86_load_system_segment(struct x86_vcpu *vcpu, bool is_tr, u16 selector)
{
	struct x86_segment *s = is_tr ? &vcpu->regs.tr : &vcpu->regs.ldtr;
	bool lma = vcpu->regs.efer & X86_EFER_LMA;
	struct descriptor desc;
	struct x86_segment loaded;
	unsigned int type;

	if (!(selector & ~3u)) {
		if (is_tr)
			return x86_raise_gp(vcpu, 0);
		s->selector = selector;
		s->base = 0;
		s->limit = 0;
		s->attributes = 0;
		return X86_OK;
	}
	if (selector & 4)
		return x86_raise_gp(vcpu, selector & ~3u);
	X86_TRY(read_descriptor(vcpu, selector, &desc, lma, X86_VEC_GP));
	descriptor_to_segment(&desc, selector, &loaded);
	if (lma)
		loaded.base |= (desc.high & 0xffffffffULL) << 32;
	type = loaded.attributes & (X86_SEG_TYPE_MASK | X86_SEG_S);
	if (is_tr ? (type != 0x9 && !(type == 0x1 && !lma)) : type != 0x2)
		return x86_raise_gp(vcpu, selector & ~3u);
	if (!(loaded.attributes & X86_SEG_P))
		return x86_raise(vcpu, X86_VEC_NP, true, selector & ~3u);
	if (is_tr) {
		X86_TRY(set_descriptor_bit(vcpu, selector, &desc, 2));
		loaded.attributes |= 2;
	}
	*s = loaded;
	return X86_OK;
}

enum code_transfer {
	TRANSFER_JMP_CALL,
	TRANSFER_RETURN,
	TRANSFER_INTERRUPT,
};

/* Read and check a code-segment descriptor for a far transfer to @cpl. */
static int load_code_descriptor(struct x86_vcpu *vcpu, u16 selector,
				unsigned int new_cpl, enum code_transfer kind,
				struct x86_segment *out)
{
	unsigned int cpl = x86_cpl(vcpu), rpl = selector & 3, dpl, type;
	struct descriptor desc;

	if (!(selector & ~3u))
		return x86_raise_gp(vcpu, 0);
	X86_TRY(read_descriptor(vcpu, selector, &desc, false, X86_VEC_GP));
	descriptor_to_segment(&desc, selector, out);
	type = out->attributes & X86_SEG_TYPE_MASK;
	dpl = (out->attributes & X86_SEG_DPL_MASK) >> X86_SEG_DPL_SHIFT;
	if (!(out->attributes & X86_SEG_S) || !(type & X86_SEG_TYPE_CODE))
		return x86_raise_gp(vcpu, selector & ~3u); /* gates: unsupported */
	if (kind == TRANSFER_INTERRUPT) {
		if (dpl > cpl)
			return x86_raise_gp(vcpu, selector & ~3u);
	} else if (kind == TRANSFER_RETURN) {
		if (rpl < cpl || ((type & X86_SEG_TYPE_EXPDOWN) ? dpl > rpl :
								  dpl != rpl))
			return x86_raise_gp(vcpu, selector & ~3u);
	} else if (type & X86_SEG_TYPE_EXPDOWN) {
		if (dpl > cpl)
			return x86_raise_gp(vcpu, selector & ~3u);
	} else if (rpl > cpl || dpl != cpl) {
		return x86_raise_gp(vcpu, selector & ~3u);
	}
	if (!(out->attributes & X86_SEG_P))
		return x86_raise(vcpu, X86_VEC_NP, true, selector & ~3u);
	if ((vcpu->regs.efer & X86_EFER_LMA) &&
	    (out->attributes & X86_SEG_L) && (out->attributes & X86_SEG_DB))
		return x86_raise_gp(vcpu, selector & ~3u);
	X86_TRY(set_descriptor_bit(vcpu, selector, &desc, 1));
	out->attributes |= X86_SEG_TYPE_ACCESSED;
	out->selector = (selector & ~3u) | new_cpl;
	return X86_OK;
}

static int check_code_limit(struct x86_vcpu *vcpu,
			    const struct x86_segment *cs, u64 offset)
{
	if ((vcpu->regs.efer & X86_EFER_LMA) && (cs->attributes & X86_SEG_L))
		return X86_OK;
	if (offset > cs->limit)
		return x86_raise_gp(vcpu, 0);
	return X86_OK;
}

/* jmp far / call far to selector:offset (direct or through memory). */
int x86_far_transfer(struct x86_vcpu *vcpu, u16 selector, u64 offset,
		     bool is_call, unsigned int op_size)
{
	struct x86_regs *regs = &vcpu->regs;
	struct x86_segment cs;

	if (!x86_is_protected(vcpu)) {
		if (is_call) {
			X86_TRY(x86_push(vcpu, regs->seg[X86_SEG_CS].selector,
					 op_size));
			X86_TRY(x86_push(vcpu, vcpu->priv.insn.next_rip,
					 op_size));
		}
		regs->seg[X86_SEG_CS].selector = selector;
		regs->seg[X86_SEG_CS].base = (u64)selector << 4;
		regs->rip = offset & x86_size_mask(op_size);
		return X86_OK;
	}
	X86_TRY(load_code_descriptor(vcpu, selector, x86_cpl(vcpu),
				     TRANSFER_JMP_CALL, &cs));
	if (op_size != 8)
		offset &= x86_size_mask(op_size);
	X86_TRY(check_code_limit(vcpu, &cs, offset));
	if (is_call) {
		X86_TRY(x86_push(vcpu, regs->seg[X86_SEG_CS].selector,
				 op_size));
		X86_TRY(x86_push(vcpu, vcpu->priv.insn.next_rip, op_size));
	}
	regs->seg[X86_SEG_CS] = cs;
	regs->rip = offset;
	return X86_OK;
}

/* Return to an outer privilege level: pop SS:rSP as well. */
static int pop_outer_stack(struct x86_vcpu *vcpu, unsigned int op_size,
			   unsigned int new_cpl, u64 *rsp, u16 *ss)
{
	u64 value;

	X86_TRY(x86_pop(vcpu, rsp, op_size));
	X86_TRY(x86_pop(vcpu, &value, op_size));
	*ss = (u16)value;
	if ((*ss & 3) != new_cpl)
		return x86_raise_gp(vcpu, *ss & ~3u);
	return X86_OK;
}

static int switch_to_outer(struct x86_vcpu *vcpu, const struct x86_segment *cs,
			   unsigned int new_cpl, u64 rsp, u16 ss)
{
	struct x86_regs *regs = &vcpu->regs;
	unsigned int i;

	regs->seg[X86_SEG_CS] = *cs;
	/* CPL follows SS.DPL: set it before loading SS for the checks */
	regs->seg[X86_SEG_SS].attributes =
		(regs->seg[X86_SEG_SS].attributes & ~X86_SEG_DPL_MASK) |
		(new_cpl << X86_SEG_DPL_SHIFT);
	X86_TRY(x86_load_segment(vcpu, X86_SEG_SS, ss));
	regs->gpr[X86_RSP] = rsp;
	for (i = 0; i < X86_SEG_COUNT; i++) {
		struct x86_segment *s = &regs->seg[i];
		unsigned int dpl = (s->attributes & X86_SEG_DPL_MASK) >>
				   X86_SEG_DPL_SHIFT;
		bool conforming_code = (s->attributes & 0xc) == 0xc;

		if (i == X86_SEG_CS || i == X86_SEG_SS)
			continue;
		if (dpl < new_cpl && !conforming_code) {
			s->selector = 0;
			s->attributes = 0;
		}
	}
	return X86_OK;
}

int x86_far_return(struct x86_vcpu *vcpu, unsigned int op_size, u16 pop_extra)
{
	struct x86_regs *regs = &vcpu->regs;
	struct x86_segment cs;
	u64 rip, value, rsp;
	unsigned int new_cpl;
	u16 selector, ss;

	X86_TRY(x86_pop(vcpu, &rip, op_size));
	X86_TRY(x86_pop(vcpu, &value, op_size));
	selector = (u16)value;
	if (!x86_is_protected(vcpu)) {
		regs->seg[X86_SEG_CS].selector = selector;
		regs->seg[X86_SEG_CS].base = (u64)selector << 4;
		regs->rip = rip;
		rsp = regs->gpr[X86_RSP] + pop_extra;
		regs->gpr[X86_RSP] = (regs->gpr[X86_RSP] & ~x86_stack_mask(vcpu)) |
				     (rsp & x86_stack_mask(vcpu));
		return X86_OK;
	}
	new_cpl = selector & 3;
	X86_TRY(load_code_descriptor(vcpu, selector, new_cpl, TRANSFER_RETURN,
				     &cs));
	X86_TRY(check_code_limit(vcpu, &cs, rip));
	rsp = regs->gpr[X86_RSP] + pop_extra;
	regs->gpr[X86_RSP] = (regs->gpr[X86_RSP] & ~x86_stack_mask(vcpu)) |
			     (rsp & x86_stack_mask(vcpu));
	if (new_cpl != x86_cpl(vcpu)) {
		X86_TRY(pop_outer_stack(vcpu, op_size, new_cpl, &rsp, &ss));
		X86_TRY(switch_to_outer(vcpu, &cs, new_cpl, rsp + pop_extra,
					ss));
	} else {
		regs->seg[X86_SEG_CS] = cs;
	}
	regs->rip = rip;
	return X86_OK;
}

/* Load RFLAGS from a POPF/IRET image, honouring CPL and IOPL. */
static void write_popped_flags(struct x86_vcpu *vcpu, u64 value,
			       unsigned int op_size, unsigned int cpl)
{
	u64 writable = X86_FLAGS_ARITH | X86_FLAG_TF | X86_FLAG_DF |
		       X86_FLAG_OF | X86_FLAG_NT | X86_FLAG_AC | X86_FLAG_ID;
	u64 iopl = (vcpu->regs.rflags & X86_FLAG_IOPL) >> 12;

	if (cpl == 0)
		writable |= X86_FLAG_IOPL;
	if (cpl <= iopl)
		writable |= X86_FLAG_IF;
	if (op_size == 2)
		writable &= 0xffff;
	vcpu->regs.rflags = (vcpu->regs.rflags & ~writable) |
			    (value & writable) | X86_FLAG_FIXED;
}

int x86_iret(struct x86_vcpu *vcpu, unsigned int op_size)
{
	struct x86_regs *regs = &vcpu->regs;
	unsigned int cpl = x86_cpl(vcpu), new_cpl;
	struct x86_segment cs;
	u64 rip, value, flags, rsp;
	u16 selector, ss;

	X86_TRY(x86_pop(vcpu, &rip, op_size));
	X86_TRY(x86_pop(vcpu, &value, op_size));
	selector = (u16)value;
	X86_TRY(x86_pop(vcpu, &flags, op_size));
	if (!x86_is_protected(vcpu)) {
		regs->seg[X86_SEG_CS].selector = selector;
		regs->seg[X86_SEG_CS].base = (u64)selector << 4;
		regs->rip = rip;
		write_popped_flags(vcpu, flags, op_size, 0);
		return X86_OK;
	}
	if ((regs->rflags & X86_FLAG_NT) && !(regs->efer & X86_EFER_LMA))
		return x86_unsupported(vcpu);	/* task return */
	if ((flags & X86_FLAG_VM) && cpl == 0 && op_size != 2 &&
	    !(regs->efer & X86_EFER_LMA))
		return x86_unsupported(vcpu);	/* return to v8086 */
	new_cpl = selector & 3;
	X86_TRY(load_code_descriptor(vcpu, selector, new_cpl, TRANSFER_RETURN,
				     &cs));
	if (x86_is_long64(vcpu) || new_cpl != cpl) {
		X86_TRY(pop_outer_stack(vcpu, op_size, new_cpl, &rsp, &ss));
		if (new_cpl == cpl && !(ss & ~3u) && x86_is_long64(vcpu)) {
			regs->seg[X86_SEG_CS] = cs;
			regs->seg[X86_SEG_SS].selector = ss;
			regs->gpr[X86_RSP] = rsp;
		} else if (new_cpl == cpl) {
			regs->seg[X86_SEG_CS] = cs;
			X86_TRY(x86_load_segment(vcpu, X86_SEG_SS, ss));
			regs->gpr[X86_RSP] = rsp;
		} else {
			X86_TRY(switch_to_outer(vcpu, &cs, new_cpl, rsp, ss));
		}
	} else {
		regs->seg[X86_SEG_CS] = cs;
	}
	if (!(regs->efer & X86_EFER_LMA) || !(cs.attributes & X86_SEG_L))
		rip &= 0xffffffffULL;
	X86_TRY(check_code_limit(vcpu, &cs, rip));
	regs->rip = rip;
	write_popped_flags(vcpu, flags, op_size, cpl);
	return X86_OK;
}

/* --- event delivery ------------------------------------------------- */

static int deliver_real(struct x86_vcpu *vcpu, u8 vector, u64 return_rip)
{
	struct x86_regs *regs = &vcpu->regs;
	u8 buf[4];
	u16 selector;

	if ((u32)vector * 4 + 3 > regs->idtr.limit)
		return x86_raise_gp(vcpu, vector * 8 + 2);
	X86_TRY(x86_read_linear(vcpu, (regs->idtr.base + vector * 4) &
				0xffffffffULL, buf, 4, X86_ACCESS_READ, true));
	X86_TRY(x86_push(vcpu, regs->rflags, 2));
	X86_TRY(x86_push(vcpu, regs->seg[X86_SEG_CS].selector, 2));
	X86_TRY(x86_push(vcpu, return_rip, 2));
	selector = buf[2] | (buf[3] << 8);
	regs->seg[X86_SEG_CS].selector = selector;
	regs->seg[X86_SEG_CS].base = (u64)selector << 4;
	regs->rip = buf[0] | (buf[1] << 8);
	regs->rflags &= ~(X86_FLAG_IF | X86_FLAG_TF | X86_FLAG_AC | X86_FLAG_RF);
	return X86_OK;
}

static int read_tss_stack(struct x86_vcpu *vcpu, unsigned int offset,
			  unsigned int size, u64 *value)
{
	const struct x86_segment *tr = &vcpu->regs.tr;
	u8 buf[8];
	unsigned int i;

	if (offset + size - 1 > tr->limit)
		return x86_raise(vcpu, X86_VEC_TS, true, tr->selector & ~3u);
	X86_TRY(x86_read_linear(vcpu, tr->base + offset, buf, size,
				X86_ACCESS_READ, true));
	*value = 0;
	for (i = 0; i < size; i++)
		*value |= (u64)buf[i] << (8 * i);
	return X86_OK;
}

/*
 * Protected/long-mode delivery through the IDT.  @error < 0: no error code.
 * @software: INT n/INT3/INTO (gate DPL is checked against CPL).
 */
static int deliver_protected(struct x86_vcpu *vcpu, u8 vector, bool software,
			     bool has_error, u32 error, u64 return_rip)
{
	struct x86_regs *regs = &vcpu->regs;
	bool lma = regs->efer & X86_EFER_LMA;
	unsigned int gate_size = lma ? 16 : 8, cpl = x86_cpl(vcpu);
	u32 idt_error = vector * 8 + 2 + (software ? 0 : 1);
	u64 old_rsp = regs->gpr[X86_RSP], old_flags = regs->rflags;
	u16 old_ss = regs->seg[X86_SEG_SS].selector;
	u16 old_cs = regs->seg[X86_SEG_CS].selector;
	unsigned int type, gate_dpl, new_cpl, push_size, ist;
	struct x86_segment cs;
	u64 low, high = 0, offset, new_rsp;
	u8 buf[16];
	unsigned int i;
	u16 selector;

	if ((u32)vector * gate_size + gate_size - 1 > regs->idtr.limit)
		return x86_raise_gp(vcpu, idt_error);
	X86_TRY(x86_read_linear(vcpu, regs->idtr.base + vector * gate_size,
				buf, gate_size, X86_ACCESS_READ, true));
	low = 0;
	for (i = 0; i < 8; i++) {
		low |= (u64)buf[i] << (8 * i);
		if (lma)
			high |= (u64)buf[8 + i] << (8 * i);
	}
	type = (low >> 40) & 0x1f;
	gate_dpl = (low >> 45) & 3;
	if (lma ? (type != 0xe && type != 0xf) :
		  (type != 0xe && type != 0xf && type != 0x6 && type != 0x7))
		return x86_raise_gp(vcpu, idt_error);
	if (software && gate_dpl < cpl)
		return x86_raise_gp(vcpu, idt_error);
	if (!(low & (1ULL << 47)))
		return x86_raise(vcpu, X86_VEC_NP, true, idt_error);
	selector = (u16)(low >> 16);
	offset = (low & 0xffff) | ((low >> 32) & 0xffff0000ULL);
	if (lma)
		offset |= (high & 0xffffffffULL) << 32;
	if (type < 8)
		offset &= 0xffff;

	X86_TRY(load_code_descriptor(vcpu, selector, 0, TRANSFER_INTERRUPT,
				     &cs));
	new_cpl = (cs.attributes & X86_SEG_TYPE_EXPDOWN) ? cpl :
		  (unsigned int)((cs.attributes & X86_SEG_DPL_MASK) >>
				 X86_SEG_DPL_SHIFT);
	if (new_cpl > cpl)
		return x86_raise_gp(vcpu, selector & ~3u);
	cs.selector = (selector & ~3u) | new_cpl;
	if (lma && (!(cs.attributes & X86_SEG_L) ||
		    (cs.attributes & X86_SEG_DB)))
		return x86_raise_gp(vcpu, selector & ~3u);
	X86_TRY(check_code_limit(vcpu, &cs, offset));

	if (lma) {
		ist = (low >> 32) & 7;
		new_rsp = old_rsp;
		if (ist)
			X86_TRY(read_tss_stack(vcpu, 0x24 + (ist - 1) * 8, 8,
					       &new_rsp));
		else if (new_cpl != cpl)
			X86_TRY(read_tss_stack(vcpu, 4 + new_cpl * 8, 8,
					       &new_rsp));
		regs->seg[X86_SEG_CS] = cs;
		if (new_cpl != cpl) {
			regs->seg[X86_SEG_SS].selector = new_cpl;
			regs->seg[X86_SEG_SS].base = 0;
			regs->seg[X86_SEG_SS].limit = 0;
			regs->seg[X86_SEG_SS].attributes =
				(u16)(new_cpl << X86_SEG_DPL_SHIFT) | X86_SEG_DB;
		}
		regs->gpr[X86_RSP] = new_rsp & ~0xfULL;
		X86_TRY(x86_push(vcpu, old_ss, 8));
		X86_TRY(x86_push(vcpu, old_rsp, 8));
		X86_TRY(x86_push(vcpu, old_flags, 8));
		X86_TRY(x86_push(vcpu, old_cs, 8));
		X86_TRY(x86_push(vcpu, return_rip, 8));
		if (has_error)
			X86_TRY(x86_push(vcpu, error, 8));
	} else {
		push_size = type >= 8 ? 4 : 2;
		if (new_cpl != cpl) {
			bool tss32 = (regs->tr.attributes & 0xf) != 0x1 &&
				     (regs->tr.attributes & 0xf) != 0x3;
			u64 ss_value;

			if (tss32) {
				X86_TRY(read_tss_stack(vcpu, 4 + new_cpl * 8, 4,
						       &new_rsp));
				X86_TRY(read_tss_stack(vcpu, 8 + new_cpl * 8, 2,
						       &ss_value));
			} else {
				X86_TRY(read_tss_stack(vcpu, 2 + new_cpl * 4, 2,
						       &new_rsp));
				X86_TRY(read_tss_stack(vcpu, 4 + new_cpl * 4, 2,
						       &ss_value));
			}
			regs->seg[X86_SEG_SS].attributes =
				(regs->seg[X86_SEG_SS].attributes &
				 ~X86_SEG_DPL_MASK) |
				(new_cpl << X86_SEG_DPL_SHIFT);
			X86_TRY(x86_load_segment(vcpu, X86_SEG_SS,
						 (u16)ss_value));
			regs->gpr[X86_RSP] = new_rsp;
			X86_TRY(x86_push(vcpu, old_ss, push_size));
			X86_TRY(x86_push(vcpu, old_rsp, push_size));
		}
		X86_TRY(x86_push(vcpu, old_flags, push_size));
		X86_TRY(x86_push(vcpu, old_cs, push_size));
		X86_TRY(x86_push(vcpu, return_rip, push_size));
		if (has_error)
			X86_TRY(x86_push(vcpu, error, push_size));
		regs->seg[X86_SEG_CS] = cs;
	}
	regs->rip = offset;
	regs->rflags &= ~(X86_FLAG_TF | X86_FLAG_NT | X86_FLAG_RF | X86_FLAG_VM);
	if (!(type & 1))
		regs->rflags &= ~X86_FLAG_IF;
	return X86_OK;
}

static int deliver_event(struct x86_vcpu *vcpu, u8 vector, bool software,
			 bool has_error, u32 error, u64 return_rip)
{
	vcpu->priv.exc_pending = false;
	if (!x86_is_protected(vcpu))
		return deliver_real(vcpu, vector, return_rip);
	return deliver_protected(vcpu, vector, software, has_error, error,
				 return_rip);
}

/* INT n / INT3 / INTO, executed by the instruction at regs.rip. */
int x86_software_interrupt(struct x86_vcpu *vcpu, u8 vector)
{
	struct x86_private *priv = &vcpu->priv;
	u8 opcode = priv->insn.opcode;

	if (opcode != 0xcd &&
	    (vcpu->config.exception_bitmap & (1u << vector))) {
		struct x86_exit_exception *exc = &vcpu->exit.exception;

		memset(exc, 0, sizeof(*exc));
		exc->vector = vector;
		exc->software = true;
		return x86_stop(vcpu, X86_EXIT_EXCEPTION);
	}
	return deliver_event(vcpu, vector, true, false, 0, priv->insn.next_rip);
}

static bool is_contributory(u8 vector)
{
	return vector == X86_VEC_DE || vector == X86_VEC_TS ||
	       vector == X86_VEC_NP || vector == X86_VEC_SS ||
	       vector == X86_VEC_GP;
}

static int exception_exit(struct x86_vcpu *vcpu)
{
	struct x86_private *priv = &vcpu->priv;
	struct x86_exit_exception *exc = &vcpu->exit.exception;

	memset(exc, 0, sizeof(*exc));
	exc->vector = priv->exc_vector;
	exc->has_error_code = priv->exc_has_error;
	exc->error_code = priv->exc_error;
	if (priv->exc_vector == X86_VEC_PF)
		exc->cr2 = priv->exc_cr2;
	priv->exc_pending = false;
	x86_stop(vcpu, X86_EXIT_EXCEPTION);
	vcpu->exit.rip = vcpu->regs.rip;
	return X86_STOP;
}

static int shutdown(struct x86_vcpu *vcpu)
{
	vcpu->priv.shutdown = true;
	vcpu->priv.exc_pending = false;
	vcpu->exit.reason = X86_EXIT_TRIPLE_FAULT;
	vcpu->exit.rip = vcpu->regs.rip;
	return X86_STOP;
}

/*
 * Deliver the pending exception (a fault: return RIP = regs.rip), or an
 * external interrupt when @external.  Faults during delivery escalate to
 * #DF and then to a triple fault.  @injected: skip the intercept bitmap.
 */
static int deliver_pending(struct x86_vcpu *vcpu, bool injected, bool external,
			   u8 irq_vector)
{
	struct x86_private *priv = &vcpu->priv;
	u8 vector = external ? irq_vector : priv->exc_vector;
	bool first = true;
	int depth, status;

	for (depth = 0; depth < 4; depth++) {
		if (priv->exc_pending && !(injected && first) &&
		    (vcpu->config.exception_bitmap & (1u << priv->exc_vector)))
			return exception_exit(vcpu);
		first = false;
		priv->saved = vcpu->regs;
		if (priv->exc_pending) {
			vector = priv->exc_vector;
			if (vector == X86_VEC_PF)
				vcpu->regs.cr2 = priv->exc_cr2;
			status = deliver_event(vcpu, vector, false,
					       priv->exc_has_error,
					       priv->exc_error, vcpu->regs.rip);
		} else {
			status = deliver_event(vcpu, vector, false, false, 0,
					       vcpu->regs.rip);
		}
		if (status != X86_EXC) {
			if (status == X86_STOP) {
				vcpu->regs = priv->saved;
				vcpu->exit.rip = vcpu->regs.rip;
			}
			return status;
		}
		vcpu->regs = priv->saved;
		if (!external && vector == X86_VEC_DF)
			return shutdown(vcpu);
		if (!external &&
		    ((is_contributory(vector) &&
		      is_contributory(priv->exc_vector)) ||
		     (vector == X86_VEC_PF &&
		      (is_contributory(priv->exc_vector) ||
		       priv->exc_vector == X86_VEC_PF)))) {
			priv->exc_vector = X86_VEC_DF;
			priv->exc_has_error = true;
			priv->exc_error = 0;
		}
		external = false;
	}
	return shutdown(vcpu);
}

/* --- the run loop ---------------------------------------------------- */

static void clear_replay(struct x86_private *priv)
{
	priv->replay_count = 0;
	priv->replay_used = 0;
}

static int step(struct x86_vcpu *vcpu)
{
	struct x86_private *priv = &vcpu->priv;
	bool shadow = priv->interrupt_shadow;
	int status;

	priv->saved = vcpu->regs;
	priv->interrupt_shadow = false;
	priv->replay_used = 0;
	memset(&priv->insn, 0, sizeof(priv->insn));
	status = x86_decode(vcpu);
	if (status == X86_OK)
		status = x86_exec(vcpu);
	if (status == X86_OK) {
		clear_replay(priv);
		priv->tsc++;
		return X86_OK;
	}
	vcpu->regs = priv->saved;
	priv->interrupt_shadow = shadow;
	if (status == X86_STOP) {
		vcpu->exit.rip = vcpu->regs.rip;
		return X86_STOP;
	}
	clear_replay(priv);
	return deliver_pending(vcpu, false, false, 0);
}

enum x86_exit_reason x86_run(struct x86_vcpu *vcpu, u64 budget)
{
	struct x86_private *priv = &vcpu->priv;
	struct x86_regs *regs = &vcpu->regs;

	vcpu->exit.reason = X86_EXIT_NONE;
	if (priv->shutdown) {
		vcpu->exit.reason = X86_EXIT_TRIPLE_FAULT;
		return X86_EXIT_TRIPLE_FAULT;
	}
	if (priv->exc_pending) {
		/* injected by the embedder */
		clear_replay(priv);
		memset(&priv->insn, 0, sizeof(priv->insn));
		if (deliver_pending(vcpu, true, false, 0) == X86_STOP)
			return vcpu->exit.reason;
	}
	for (;;) {
		bool can_interrupt = (regs->rflags & X86_FLAG_IF) &&
				     !priv->interrupt_shadow &&
				     !priv->replay_count;

		if (priv->irq_pending && can_interrupt) {
			if (priv->halted && vcpu->config.hlt_rip_at_instruction)
				x86_set_rip(vcpu, regs->rip + 1, 4);
			priv->halted = false;
			priv->irq_pending = false;
			memset(&priv->insn, 0, sizeof(priv->insn));
			if (deliver_pending(vcpu, false, true,
					    priv->irq_vector) == X86_STOP) {
				if (vcpu->exit.reason == X86_EXIT_MEMORY)
					priv->irq_pending = true;
				return vcpu->exit.reason;
			}
			continue;
		}
		if (priv->irq_window_requested && can_interrupt) {
			priv->irq_window_requested = false;
			memset(&vcpu->exit, 0, sizeof(vcpu->exit));
			vcpu->exit.reason = X86_EXIT_INTERRUPT_WINDOW;
			vcpu->exit.rip = regs->rip;
			return X86_EXIT_INTERRUPT_WINDOW;
		}
		if (priv->halted) {
			vcpu->exit.reason = X86_EXIT_HLT;
			vcpu->exit.rip = regs->rip;
			return X86_EXIT_HLT;
		}
		if (!budget && !priv->replay_count) {
			vcpu->exit.reason = X86_EXIT_BUDGET;
			vcpu->exit.rip = regs->rip;
			vcpu->exit.insn_len = 0;
			return X86_EXIT_BUDGET;
		}
		if (budget)
			budget--;
		if (step(vcpu) == X86_STOP)
			return vcpu->exit.reason;
		if (priv->halted) {
			memset(&vcpu->exit, 0, sizeof(vcpu->exit));
			vcpu->exit.reason = X86_EXIT_HLT;
			vcpu->exit.rip = regs->rip;
			vcpu->exit.insn_len = 1;
			vcpu->exit.insn_bytes[0] = 0xf4;
			return X86_EXIT_HLT;
		}
	}
}

/* --- completion API -------------------------------------------------- */

static void add_replay(struct x86_vcpu *vcpu, unsigned int kind, u64 address,
		       unsigned int size, u64 value)
{
	struct x86_private *priv = &vcpu->priv;
	struct x86_replay *entry;

	if (priv->replay_count >= X86_MAX_REPLAY)
		return;
	entry = &priv->replay[priv->replay_count++];
	entry->kind = kind;
	entry->address = address;
	entry->size = size;
	entry->value = value;
}

void x86_complete_io(struct x86_vcpu *vcpu, u32 value)
{
	const struct x86_exit_io *io = &vcpu->exit.io;

	if (vcpu->exit.reason != X86_EXIT_IO)
		return;
	add_replay(vcpu, io->is_in ? X86_REPLAY_IO_IN : X86_REPLAY_IO_OUT,
		   io->port, io->size, value);
	vcpu->exit.reason = X86_EXIT_NONE;
}

void x86_complete_memory(struct x86_vcpu *vcpu, u64 value)
{
	const struct x86_exit_memory *mem = &vcpu->exit.memory;

	if (vcpu->exit.reason != X86_EXIT_MEMORY ||
	    mem->access == X86_ACCESS_EXECUTE)
		return;
	add_replay(vcpu, mem->access == X86_ACCESS_WRITE ?
		   X86_REPLAY_MEM_WRITE : X86_REPLAY_MEM_READ,
		   mem->gpa, mem->size, value);
	vcpu->exit.reason = X86_EXIT_NONE;
}

void x86_skip_instruction(struct x86_vcpu *vcpu)
{
	clear_replay(&vcpu->priv);
	vcpu->priv.interrupt_shadow = false;
	x86_set_rip(vcpu, vcpu->regs.rip + vcpu->exit.insn_len, 4);
	vcpu->exit.reason = X86_EXIT_NONE;
}

void x86_complete_cpuid(struct x86_vcpu *vcpu, u32 eax, u32 ebx, u32 ecx,
			u32 edx)
{
	vcpu->regs.gpr[X86_RAX] = eax;
	vcpu->regs.gpr[X86_RBX] = ebx;
	vcpu->regs.gpr[X86_RCX] = ecx;
	vcpu->regs.gpr[X86_RDX] = edx;
	x86_skip_instruction(vcpu);
}

void x86_complete_rdmsr(struct x86_vcpu *vcpu, u64 value)
{
	vcpu->regs.gpr[X86_RAX] = value & 0xffffffffULL;
	vcpu->regs.gpr[X86_RDX] = value >> 32;
	x86_skip_instruction(vcpu);
}

void x86_complete_wrmsr(struct x86_vcpu *vcpu)
{
	x86_skip_instruction(vcpu);
}

void x86_complete_vmcall(struct x86_vcpu *vcpu, u64 rax)
{
	vcpu->regs.gpr[X86_RAX] = rax;
	x86_skip_instruction(vcpu);
}

void x86_inject_exception(struct x86_vcpu *vcpu, u8 vector, bool has_error,
			  u32 error_code)
{
	clear_replay(&vcpu->priv);
	x86_raise(vcpu, vector, has_error, error_code);
	vcpu->exit.reason = X86_EXIT_NONE;
}

bool x86_inject_interrupt(struct x86_vcpu *vcpu, u8 vector)
{
	if (vcpu->priv.irq_pending)
		return false;
	vcpu->priv.irq_pending = true;
	vcpu->priv.irq_vector = vector;
	return true;
}

bool x86_interrupt_pending(const struct x86_vcpu *vcpu)
{
	return vcpu->priv.irq_pending;
}

void x86_wake(struct x86_vcpu *vcpu)
{
	vcpu->priv.halted = false;
}

void x86_request_interrupt_window(struct x86_vcpu *vcpu, bool enable)
{
	vcpu->priv.irq_window_requested = enable;
}
