// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: run loop, exits and their completion, interrupt
 * and exception delivery.
 */
#include "x86_internal.h"

int hvx86_raise(struct hvx86_vcpu *vcpu, u8 vector, bool has_error, u32 error)
{
	struct hvx86_private *priv = &vcpu->priv;

	priv->exc_pending = true;
	priv->exc_vector = vector;
	priv->exc_has_error = has_error;
	priv->exc_error = error;
	priv->exc_software = false;
	return HVX86_EXC;
}

int hvx86_raise_gp(struct hvx86_vcpu *vcpu, u32 error)
{
	return hvx86_raise(vcpu, HVX86_VEC_GP, true, error);
}

int hvx86_raise_ud(struct hvx86_vcpu *vcpu)
{
	return hvx86_raise(vcpu, HVX86_VEC_UD, false, 0);
}

/* An instruction outside the subset. */
int hvx86_unsupported(struct hvx86_vcpu *vcpu)
{
	if (vcpu->config.exit_on_unsupported)
		return hvx86_stop(vcpu, HVX86_EXIT_UNSUPPORTED);
	return hvx86_raise_ud(vcpu);
}

int hvx86_stop(struct hvx86_vcpu *vcpu, enum hvx86_exit_reason reason)
{
	const struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_exit *exit = &vcpu->exit;

	exit->reason = reason;
	exit->insn_len = insn->len;
	memcpy(exit->insn_bytes, insn->bytes, sizeof(exit->insn_bytes));
	if (reason == HVX86_EXIT_MEMORY &&
	    exit->memory.access == HVX86_ACCESS_EXECUTE)
		exit->insn_len = 0;
	return HVX86_STOP;
}

void hvx86_init(struct hvx86_vcpu *vcpu, const struct hvx86_callbacks *cb,
		void *opaque)
{
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->cb = cb;
	vcpu->opaque = opaque;
	hvx86_reset(vcpu);
}

void hvx86_reset(struct hvx86_vcpu *vcpu)
{
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int i;

	memset(regs, 0, sizeof(*regs));
	memset(&vcpu->priv, 0, sizeof(vcpu->priv));
	memset(&vcpu->exit, 0, sizeof(vcpu->exit));
	for (i = 0; i < HVX86_SEG_COUNT; i++) {
		regs->seg[i].limit = 0xffff;
		regs->seg[i].attributes = HVX86_SEG_P | HVX86_SEG_S |
					  HVX86_SEG_TYPE_WRITABLE |
					  HVX86_SEG_TYPE_ACCESSED;
	}
	regs->seg[HVX86_SEG_CS].selector = 0xf000;
	regs->seg[HVX86_SEG_CS].base = 0xffff0000ULL;
	regs->seg[HVX86_SEG_CS].attributes |= HVX86_SEG_TYPE_CODE;
	regs->ldtr.limit = 0xffff;
	regs->ldtr.attributes = HVX86_SEG_P | 0x2;
	regs->tr.limit = 0xffff;
	regs->tr.attributes = HVX86_SEG_P | 0xb;
	regs->gdtr.limit = 0xffff;
	regs->idtr.limit = 0xffff;
	regs->rip = 0xfff0;
	regs->rflags = HVX86_FLAG_FIXED;
	regs->cr0 = HVX86_CR0_CD | HVX86_CR0_NW | HVX86_CR0_ET;
	regs->gpr[HVX86_RDX] = 0x00000600;
}

enum hvx86_mode hvx86_get_mode(const struct hvx86_vcpu *vcpu)
{
	bool db = vcpu->regs.seg[HVX86_SEG_CS].attributes & HVX86_SEG_DB;

	if (!hvx86_is_protected(vcpu))
		return HVX86_MODE_REAL;
	if (hvx86_is_long64(vcpu))
		return HVX86_MODE_LONG64;
	if (vcpu->regs.efer & HVX86_EFER_LMA)
		return db ? HVX86_MODE_COMPAT32 : HVX86_MODE_COMPAT16;
	return db ? HVX86_MODE_PROT32 : HVX86_MODE_PROT16;
}

void hvx86_update_efer_lma(struct hvx86_vcpu *vcpu)
{
	struct hvx86_regs *regs = &vcpu->regs;

	if ((regs->cr0 & HVX86_CR0_PG) && (regs->efer & HVX86_EFER_LME))
		regs->efer |= HVX86_EFER_LMA;
	else
		regs->efer &= ~HVX86_EFER_LMA;
}

/*
 * Branch to @target with operand size @op_size: truncate it, and check it
 * against the CS limit (or for canonical form in 64-bit mode) before RIP is
 * changed, so that a bad target faults on the branch itself.
 */
int hvx86_jump(struct hvx86_vcpu *vcpu, u64 target, unsigned int op_size)
{
	if (!hvx86_is_long64(vcpu))
		target &= hvx86_size_mask(op_size == 8 ? 4 : op_size);
	HVX86_TRY(hvx86_check_code_limit(vcpu, &vcpu->regs.seg[HVX86_SEG_CS],
					 target));
	vcpu->regs.rip = target;
	return HVX86_OK;
}

/* Set RIP for a branch whose operand size is @op_size. */
void hvx86_set_rip(struct hvx86_vcpu *vcpu, u64 rip, unsigned int op_size)
{
	if (hvx86_is_long64(vcpu))
		vcpu->regs.rip = rip;
	else
		vcpu->regs.rip = rip & hvx86_size_mask(op_size == 8 ? 4 : op_size);
}

/* --- event delivery ------------------------------------------------- */

static int deliver_real(struct hvx86_vcpu *vcpu, u8 vector, u64 return_rip)
{
	struct hvx86_regs *regs = &vcpu->regs;
	u8 buf[4];
	u16 selector;

	if ((u32)vector * 4 + 3 > regs->idtr.limit)
		return hvx86_raise_gp(vcpu, vector * 8 + 2);
	HVX86_TRY(hvx86_read_linear(vcpu, (regs->idtr.base + vector * 4) &
				    0xffffffffULL, buf, 4, HVX86_ACCESS_READ, true));
	HVX86_TRY(hvx86_push(vcpu, regs->rflags, 2));
	HVX86_TRY(hvx86_push(vcpu, regs->seg[HVX86_SEG_CS].selector, 2));
	HVX86_TRY(hvx86_push(vcpu, return_rip, 2));
	selector = buf[2] | (buf[3] << 8);
	regs->seg[HVX86_SEG_CS].selector = selector;
	regs->seg[HVX86_SEG_CS].base = (u64)selector << 4;
	regs->rip = buf[0] | (buf[1] << 8);
	regs->rflags &= ~(HVX86_FLAG_IF | HVX86_FLAG_TF | HVX86_FLAG_AC | HVX86_FLAG_RF);
	return HVX86_OK;
}

static int read_tss_stack(struct hvx86_vcpu *vcpu, unsigned int offset,
			  unsigned int size, u64 *value)
{
	const struct hvx86_segment *tr = &vcpu->regs.tr;
	u8 buf[8];
	unsigned int i;

	if (offset + size - 1 > tr->limit)
		return hvx86_raise(vcpu, HVX86_VEC_TS, true, tr->selector & ~3u);
	HVX86_TRY(hvx86_read_linear(vcpu, tr->base + offset, buf, size,
				    HVX86_ACCESS_READ, true));
	*value = 0;
	for (i = 0; i < size; i++)
		*value |= (u64)buf[i] << (8 * i);
	return HVX86_OK;
}

/*
 * Protected/long-mode delivery through the IDT.  @error < 0: no error code.
 * @software: INT n/INT3/INTO (gate DPL is checked against CPL).
 */
static int deliver_protected(struct hvx86_vcpu *vcpu, u8 vector, bool software,
			     bool has_error, u32 error, u64 return_rip)
{
	struct hvx86_regs *regs = &vcpu->regs;
	bool lma = regs->efer & HVX86_EFER_LMA;
	unsigned int gate_size = lma ? 16 : 8, cpl = hvx86_cpl(vcpu);
	u32 idt_error = vector * 8 + 2 + (software ? 0 : 1);
	u64 old_rsp = regs->gpr[HVX86_RSP], old_flags = regs->rflags;
	u16 old_ss = regs->seg[HVX86_SEG_SS].selector;
	u16 old_cs = regs->seg[HVX86_SEG_CS].selector;
	unsigned int type, gate_dpl, new_cpl, push_size, ist;
	struct hvx86_segment cs;
	u64 low, high = 0, offset, new_rsp;
	u8 buf[16];
	unsigned int i;
	u16 selector;

	if ((u32)vector * gate_size + gate_size - 1 > regs->idtr.limit)
		return hvx86_raise_gp(vcpu, idt_error);
	HVX86_TRY(hvx86_read_linear(vcpu, regs->idtr.base + vector * gate_size,
				    buf, gate_size, HVX86_ACCESS_READ, true));
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
		return hvx86_raise_gp(vcpu, idt_error);
	if (software && gate_dpl < cpl)
		return hvx86_raise_gp(vcpu, idt_error);
	if (!(low & (1ULL << 47)))
		return hvx86_raise(vcpu, HVX86_VEC_NP, true, idt_error);
	selector = (u16)(low >> 16);
	offset = (low & 0xffff) | ((low >> 32) & 0xffff0000ULL);
	if (lma)
		offset |= (high & 0xffffffffULL) << 32;
	if (type < 8)
		offset &= 0xffff;

	HVX86_TRY(hvx86_load_code_descriptor(vcpu, selector, 0, TRANSFER_INTERRUPT,
					     &cs));
	new_cpl = (cs.attributes & HVX86_SEG_TYPE_EXPDOWN) ? cpl :
		  (unsigned int)((cs.attributes & HVX86_SEG_DPL_MASK) >>
				 HVX86_SEG_DPL_SHIFT);
	if (new_cpl > cpl)
		return hvx86_raise_gp(vcpu, selector & ~3u);
	cs.selector = (selector & ~3u) | new_cpl;
	if (lma && (!(cs.attributes & HVX86_SEG_L) ||
		    (cs.attributes & HVX86_SEG_DB)))
		return hvx86_raise_gp(vcpu, selector & ~3u);
	HVX86_TRY(hvx86_check_code_limit(vcpu, &cs, offset));

	if (lma) {
		ist = (low >> 32) & 7;
		new_rsp = old_rsp;
		if (ist)
			HVX86_TRY(read_tss_stack(vcpu, 0x24 + (ist - 1) * 8, 8,
						 &new_rsp));
		else if (new_cpl != cpl)
			HVX86_TRY(read_tss_stack(vcpu, 4 + new_cpl * 8, 8,
						 &new_rsp));
		regs->seg[HVX86_SEG_CS] = cs;
		if (new_cpl != cpl) {
			regs->seg[HVX86_SEG_SS].selector = new_cpl;
			regs->seg[HVX86_SEG_SS].base = 0;
			regs->seg[HVX86_SEG_SS].limit = 0;
			regs->seg[HVX86_SEG_SS].attributes =
				(u16)(new_cpl << HVX86_SEG_DPL_SHIFT) | HVX86_SEG_DB;
		}
		regs->gpr[HVX86_RSP] = new_rsp & ~0xfULL;
		HVX86_TRY(hvx86_push(vcpu, old_ss, 8));
		HVX86_TRY(hvx86_push(vcpu, old_rsp, 8));
		HVX86_TRY(hvx86_push(vcpu, old_flags, 8));
		HVX86_TRY(hvx86_push(vcpu, old_cs, 8));
		HVX86_TRY(hvx86_push(vcpu, return_rip, 8));
		if (has_error)
			HVX86_TRY(hvx86_push(vcpu, error, 8));
	} else {
		push_size = type >= 8 ? 4 : 2;
		if (new_cpl != cpl) {
			bool tss32 = (regs->tr.attributes & 0xf) != 0x1 &&
				     (regs->tr.attributes & 0xf) != 0x3;
			u64 ss_value;

			if (tss32) {
				HVX86_TRY(read_tss_stack(vcpu, 4 + new_cpl * 8, 4,
							 &new_rsp));
				HVX86_TRY(read_tss_stack(vcpu, 8 + new_cpl * 8, 2,
							 &ss_value));
			} else {
				HVX86_TRY(read_tss_stack(vcpu, 2 + new_cpl * 4, 2,
							 &new_rsp));
				HVX86_TRY(read_tss_stack(vcpu, 4 + new_cpl * 4, 2,
							 &ss_value));
			}
			regs->seg[HVX86_SEG_SS].attributes =
				(regs->seg[HVX86_SEG_SS].attributes &
				 ~HVX86_SEG_DPL_MASK) |
				(new_cpl << HVX86_SEG_DPL_SHIFT);
			HVX86_TRY(hvx86_load_segment(vcpu, HVX86_SEG_SS,
						     (u16)ss_value));
			regs->gpr[HVX86_RSP] = new_rsp;
			HVX86_TRY(hvx86_push(vcpu, old_ss, push_size));
			HVX86_TRY(hvx86_push(vcpu, old_rsp, push_size));
		}
		HVX86_TRY(hvx86_push(vcpu, old_flags, push_size));
		HVX86_TRY(hvx86_push(vcpu, old_cs, push_size));
		HVX86_TRY(hvx86_push(vcpu, return_rip, push_size));
		if (has_error)
			HVX86_TRY(hvx86_push(vcpu, error, push_size));
		regs->seg[HVX86_SEG_CS] = cs;
	}
	regs->rip = offset;
	regs->rflags &= ~(HVX86_FLAG_TF | HVX86_FLAG_NT | HVX86_FLAG_RF | HVX86_FLAG_VM);
	if (!(type & 1))
		regs->rflags &= ~HVX86_FLAG_IF;
	return HVX86_OK;
}

static int deliver_event(struct hvx86_vcpu *vcpu, u8 vector, bool software,
			 bool has_error, u32 error, u64 return_rip)
{
	vcpu->priv.exc_pending = false;
	if (!hvx86_is_protected(vcpu))
		return deliver_real(vcpu, vector, return_rip);
	return deliver_protected(vcpu, vector, software, has_error, error,
				 return_rip);
}

/* INT n / INT3 / INTO, executed by the instruction at regs.rip. */
int hvx86_software_interrupt(struct hvx86_vcpu *vcpu, u8 vector)
{
	struct hvx86_private *priv = &vcpu->priv;
	u8 opcode = priv->insn.opcode;

	if (opcode != 0xcd &&
	    (vcpu->config.exception_bitmap & (1u << vector))) {
		struct hvx86_exit_exception *exc = &vcpu->exit.exception;

		memset(exc, 0, sizeof(*exc));
		exc->vector = vector;
		exc->software = true;
		return hvx86_stop(vcpu, HVX86_EXIT_EXCEPTION);
	}
	return deliver_event(vcpu, vector, true, false, 0, priv->insn.next_rip);
}

static bool is_contributory(u8 vector)
{
	return vector == HVX86_VEC_DE || vector == HVX86_VEC_TS ||
	       vector == HVX86_VEC_NP || vector == HVX86_VEC_SS ||
	       vector == HVX86_VEC_GP;
}

static int exception_exit(struct hvx86_vcpu *vcpu)
{
	struct hvx86_private *priv = &vcpu->priv;
	struct hvx86_exit_exception *exc = &vcpu->exit.exception;

	memset(exc, 0, sizeof(*exc));
	exc->vector = priv->exc_vector;
	exc->has_error_code = priv->exc_has_error;
	exc->error_code = priv->exc_error;
	if (priv->exc_vector == HVX86_VEC_PF)
		exc->cr2 = priv->exc_cr2;
	priv->exc_pending = false;
	hvx86_stop(vcpu, HVX86_EXIT_EXCEPTION);
	vcpu->exit.rip = vcpu->regs.rip;
	return HVX86_STOP;
}

static int shutdown(struct hvx86_vcpu *vcpu)
{
	vcpu->priv.shutdown = true;
	vcpu->priv.exc_pending = false;
	vcpu->exit.reason = HVX86_EXIT_TRIPLE_FAULT;
	vcpu->exit.rip = vcpu->regs.rip;
	return HVX86_STOP;
}

/*
 * Deliver the pending exception (a fault: return RIP = regs.rip), or an
 * external interrupt when @external.  Faults during delivery escalate to
 * #DF and then to a triple fault.  @injected: skip the intercept bitmap.
 */
static int deliver_pending(struct hvx86_vcpu *vcpu, bool injected, bool external,
			   u8 irq_vector)
{
	struct hvx86_private *priv = &vcpu->priv;
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
			if (vector == HVX86_VEC_PF)
				vcpu->regs.cr2 = priv->exc_cr2;
			status = deliver_event(vcpu, vector, false,
					       priv->exc_has_error,
					       priv->exc_error, vcpu->regs.rip);
		} else {
			status = deliver_event(vcpu, vector, false, false, 0,
					       vcpu->regs.rip);
		}
		if (status != HVX86_EXC) {
			if (status == HVX86_STOP) {
				vcpu->regs = priv->saved;
				vcpu->exit.rip = vcpu->regs.rip;
			}
			return status;
		}
		vcpu->regs = priv->saved;
		if (!external && vector == HVX86_VEC_DF)
			return shutdown(vcpu);
		if (!external &&
		    ((is_contributory(vector) &&
		      is_contributory(priv->exc_vector)) ||
		     (vector == HVX86_VEC_PF &&
		      (is_contributory(priv->exc_vector) ||
		       priv->exc_vector == HVX86_VEC_PF)))) {
			priv->exc_vector = HVX86_VEC_DF;
			priv->exc_has_error = true;
			priv->exc_error = 0;
		}
		external = false;
	}
	return shutdown(vcpu);
}

/* --- the run loop ---------------------------------------------------- */

static void clear_replay(struct hvx86_private *priv)
{
	priv->replay_count = 0;
	priv->replay_used = 0;
}

static int step(struct hvx86_vcpu *vcpu)
{
	struct hvx86_private *priv = &vcpu->priv;
	bool shadow = priv->interrupt_shadow;
	int status;

	priv->saved = vcpu->regs;
	priv->interrupt_shadow = false;
	priv->replay_used = 0;
	memset(&priv->insn, 0, sizeof(priv->insn));
	status = hvx86_decode(vcpu);
	if (status == HVX86_OK)
		status = hvx86_exec(vcpu);
	if (status == HVX86_OK) {
		clear_replay(priv);
		priv->tsc++;
		return HVX86_OK;
	}
	vcpu->regs = priv->saved;
	priv->interrupt_shadow = shadow;
	if (status == HVX86_STOP) {
		vcpu->exit.rip = vcpu->regs.rip;
		return HVX86_STOP;
	}
	clear_replay(priv);
	return deliver_pending(vcpu, false, false, 0);
}

/* Register combinations no CPU can be in (the embedder set them). */
static bool state_is_consistent(const struct hvx86_regs *regs)
{
	u16 cs = regs->seg[HVX86_SEG_CS].attributes;

	if ((regs->cr0 & HVX86_CR0_PG) && !(regs->cr0 & HVX86_CR0_PE))
		return false;
	if (regs->efer & HVX86_EFER_LMA) {
		if (!(regs->cr0 & HVX86_CR0_PG) || !(regs->cr4 & HVX86_CR4_PAE) ||
		    !(regs->efer & HVX86_EFER_LME))
			return false;
		if ((cs & HVX86_SEG_L) && (cs & HVX86_SEG_DB))
			return false;
	} else if ((regs->cr0 & HVX86_CR0_PG) &&
		   (regs->efer & HVX86_EFER_LME)) {
		return false;
	}
	if ((regs->cr0 & HVX86_CR0_PE) && !(cs & HVX86_SEG_P))
		return false;
	if (regs->rflags & HVX86_FLAG_VM)
		return false;	/* virtual-8086 mode is not modelled */
	return true;
}

enum hvx86_exit_reason hvx86_run(struct hvx86_vcpu *vcpu, u64 budget)
{
	struct hvx86_private *priv = &vcpu->priv;
	struct hvx86_regs *regs = &vcpu->regs;

	vcpu->exit.reason = HVX86_EXIT_NONE;
	if (!state_is_consistent(regs)) {
		memset(&vcpu->exit, 0, sizeof(vcpu->exit));
		vcpu->exit.reason = HVX86_EXIT_UNRECOVERABLE;
		vcpu->exit.rip = regs->rip;
		return HVX86_EXIT_UNRECOVERABLE;
	}
	if (priv->shutdown) {
		vcpu->exit.reason = HVX86_EXIT_TRIPLE_FAULT;
		return HVX86_EXIT_TRIPLE_FAULT;
	}
	if (priv->exc_pending) {
		/* injected by the embedder */
		clear_replay(priv);
		memset(&priv->insn, 0, sizeof(priv->insn));
		if (deliver_pending(vcpu, true, false, 0) == HVX86_STOP)
			return vcpu->exit.reason;
	}
	for (;;) {
		bool can_interrupt = (regs->rflags & HVX86_FLAG_IF) &&
				     !priv->interrupt_shadow &&
				     !priv->replay_count;

		if (priv->irq_pending && can_interrupt) {
			if (priv->halted && vcpu->config.hlt_rip_at_instruction)
				hvx86_set_rip(vcpu, regs->rip + 1, 4);
			priv->halted = false;
			priv->irq_pending = false;
			memset(&priv->insn, 0, sizeof(priv->insn));
			if (deliver_pending(vcpu, false, true,
					    priv->irq_vector) == HVX86_STOP) {
				if (vcpu->exit.reason == HVX86_EXIT_MEMORY)
					priv->irq_pending = true;
				return vcpu->exit.reason;
			}
			continue;
		}
		if (priv->irq_window_requested && can_interrupt) {
			priv->irq_window_requested = false;
			memset(&vcpu->exit, 0, sizeof(vcpu->exit));
			vcpu->exit.reason = HVX86_EXIT_INTERRUPT_WINDOW;
			vcpu->exit.rip = regs->rip;
			return HVX86_EXIT_INTERRUPT_WINDOW;
		}
		if (priv->halted) {
			vcpu->exit.reason = HVX86_EXIT_HLT;
			vcpu->exit.rip = regs->rip;
			return HVX86_EXIT_HLT;
		}
		if (!budget && !priv->replay_count) {
			vcpu->exit.reason = HVX86_EXIT_BUDGET;
			vcpu->exit.rip = regs->rip;
			vcpu->exit.insn_len = 0;
			return HVX86_EXIT_BUDGET;
		}
		if (budget)
			budget--;
		if (step(vcpu) == HVX86_STOP)
			return vcpu->exit.reason;
		if (priv->halted) {
			memset(&vcpu->exit, 0, sizeof(vcpu->exit));
			vcpu->exit.reason = HVX86_EXIT_HLT;
			vcpu->exit.rip = regs->rip;
			vcpu->exit.insn_len = 1;
			vcpu->exit.insn_bytes[0] = 0xf4;
			return HVX86_EXIT_HLT;
		}
	}
}

/* --- completion API -------------------------------------------------- */

static void add_replay(struct hvx86_vcpu *vcpu, unsigned int kind, u64 address,
		       unsigned int size, u64 value)
{
	struct hvx86_private *priv = &vcpu->priv;
	struct hvx86_replay *entry;

	if (priv->replay_count >= HVX86_MAX_REPLAY)
		return;
	entry = &priv->replay[priv->replay_count++];
	entry->kind = kind;
	entry->address = address;
	entry->size = size;
	entry->value = value;
}

void hvx86_complete_io(struct hvx86_vcpu *vcpu, u32 value)
{
	const struct hvx86_exit_io *io = &vcpu->exit.io;

	if (vcpu->exit.reason != HVX86_EXIT_IO)
		return;
	add_replay(vcpu, io->is_in ? HVX86_REPLAY_IO_IN : HVX86_REPLAY_IO_OUT,
		   io->port, io->size, value);
	vcpu->exit.reason = HVX86_EXIT_NONE;
}

void hvx86_complete_memory(struct hvx86_vcpu *vcpu, u64 value)
{
	const struct hvx86_exit_memory *mem = &vcpu->exit.memory;

	if (vcpu->exit.reason != HVX86_EXIT_MEMORY ||
	    mem->access == HVX86_ACCESS_EXECUTE)
		return;
	add_replay(vcpu, mem->access == HVX86_ACCESS_WRITE ?
		   HVX86_REPLAY_MEM_WRITE : HVX86_REPLAY_MEM_READ,
		   mem->gpa, mem->size, value);
	vcpu->exit.reason = HVX86_EXIT_NONE;
}

void hvx86_skip_instruction(struct hvx86_vcpu *vcpu)
{
	clear_replay(&vcpu->priv);
	vcpu->priv.interrupt_shadow = false;
	hvx86_set_rip(vcpu, vcpu->regs.rip + vcpu->exit.insn_len, 4);
	vcpu->exit.reason = HVX86_EXIT_NONE;
}

void hvx86_complete_cpuid(struct hvx86_vcpu *vcpu, u32 eax, u32 ebx, u32 ecx,
			  u32 edx)
{
	vcpu->regs.gpr[HVX86_RAX] = eax;
	vcpu->regs.gpr[HVX86_RBX] = ebx;
	vcpu->regs.gpr[HVX86_RCX] = ecx;
	vcpu->regs.gpr[HVX86_RDX] = edx;
	hvx86_skip_instruction(vcpu);
}

void hvx86_complete_rdmsr(struct hvx86_vcpu *vcpu, u64 value)
{
	vcpu->regs.gpr[HVX86_RAX] = value & 0xffffffffULL;
	vcpu->regs.gpr[HVX86_RDX] = value >> 32;
	hvx86_skip_instruction(vcpu);
}

void hvx86_complete_wrmsr(struct hvx86_vcpu *vcpu)
{
	hvx86_skip_instruction(vcpu);
}

void hvx86_complete_vmcall(struct hvx86_vcpu *vcpu, u64 rax)
{
	vcpu->regs.gpr[HVX86_RAX] = rax;
	hvx86_skip_instruction(vcpu);
}

void hvx86_inject_exception(struct hvx86_vcpu *vcpu, u8 vector, bool has_error,
			    u32 error_code)
{
	clear_replay(&vcpu->priv);
	hvx86_raise(vcpu, vector, has_error, error_code);
	vcpu->priv.halted = false;	/* an event ends the halt state */
	vcpu->exit.reason = HVX86_EXIT_NONE;
}

bool hvx86_inject_interrupt(struct hvx86_vcpu *vcpu, u8 vector)
{
	if (vcpu->priv.irq_pending)
		return false;
	vcpu->priv.irq_pending = true;
	vcpu->priv.irq_vector = vector;
	return true;
}

bool hvx86_interrupt_pending(const struct hvx86_vcpu *vcpu)
{
	return vcpu->priv.irq_pending;
}

void hvx86_wake(struct hvx86_vcpu *vcpu)
{
	vcpu->priv.halted = false;
}

void hvx86_request_interrupt_window(struct hvx86_vcpu *vcpu, bool enable)
{
	vcpu->priv.irq_window_requested = enable;
}
