// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: execution of one-byte opcodes.
 */
#include "x86_internal.h"

int x86_rm_read(struct x86_vcpu *vcpu, unsigned int size, u64 *value)
{
	const struct x86_insn *insn = &vcpu->priv.insn;

	if (!insn->mem) {
		*value = x86_reg_read(vcpu, insn->rm, size, insn->rex);
		return X86_OK;
	}
	return x86_read_mem(vcpu, insn->ea_seg, insn->ea, size, value);
}

int x86_rm_write(struct x86_vcpu *vcpu, unsigned int size, u64 value)
{
	const struct x86_insn *insn = &vcpu->priv.insn;

	if (!insn->mem) {
		x86_reg_write(vcpu, insn->rm, size, insn->rex, value);
		return X86_OK;
	}
	return x86_write_mem(vcpu, insn->ea_seg, insn->ea, size, value);
}

/* LOCK is accepted only on read-modify-write forms with a memory operand. */
static bool lock_allowed(const struct x86_insn *insn)
{
	unsigned int group = insn->reg & 7;

	if (!insn->mem)
		return false;
	if (insn->map == 1) {
		switch (insn->opcode) {
		case 0xab: case 0xb3: case 0xbb: case 0xb0: case 0xb1:
		case 0xc0: case 0xc1:
			return true;
		case 0xba:
			return group >= 5;
		default:
			return false;
		}
	}
	switch (insn->opcode) {
	case 0x00: case 0x01: case 0x08: case 0x09: case 0x10: case 0x11:
	case 0x18: case 0x19: case 0x20: case 0x21: case 0x28: case 0x29:
	case 0x30: case 0x31: case 0x86: case 0x87:
		return true;
	case 0x80: case 0x81: case 0x82: case 0x83:
		return group != 7;
	case 0xf6: case 0xf7:
		return group == 2 || group == 3;
	case 0xfe: case 0xff:
		return group < 2;
	default:
		return false;
	}
}

/* Operand size of stack pushes/pops and of near branches. */
static unsigned int stack_op_size(const struct x86_vcpu *vcpu)
{
	const struct x86_insn *insn = &vcpu->priv.insn;

	if (x86_is_long64(vcpu))
		return insn->opsize_prefix ? 2 : 8;
	return insn->op_size;
}

static unsigned int branch_size(const struct x86_vcpu *vcpu)
{
	return x86_is_long64(vcpu) ? 8 : vcpu->priv.insn.op_size;
}

static int alu_forms(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int op = insn->opcode >> 3, form = insn->opcode & 7;
	unsigned int size = (form & 1) ? insn->op_size : 1;
	u64 dest, src, result;

	switch (form) {
	case 0: case 1:
		X86_TRY(x86_rm_read(vcpu, size, &dest));
		src = x86_reg_read(vcpu, insn->reg, size, insn->rex);
		result = x86_alu(vcpu, op, dest, src, size);
		if (op != X86_ALU_CMP)
			X86_TRY(x86_rm_write(vcpu, size, result));
		break;
	case 2: case 3:
		X86_TRY(x86_rm_read(vcpu, size, &src));
		dest = x86_reg_read(vcpu, insn->reg, size, insn->rex);
		result = x86_alu(vcpu, op, dest, src, size);
		if (op != X86_ALU_CMP)
			x86_reg_write(vcpu, insn->reg, size, insn->rex, result);
		break;
	default:
		dest = x86_reg_read(vcpu, X86_RAX, size, false);
		result = x86_alu(vcpu, op, dest, insn->imm, size);
		if (op != X86_ALU_CMP)
			x86_reg_write(vcpu, X86_RAX, size, false, result);
		break;
	}
	return X86_OK;
}

static int group1(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int op = insn->reg & 7;
	unsigned int size = insn->opcode == 0x81 || insn->opcode == 0x83 ?
			    insn->op_size : 1;
	u64 dest, src = insn->imm, result;

	if (insn->opcode == 0x83)
		src = (u64)(s64)(s8)src;
	X86_TRY(x86_rm_read(vcpu, size, &dest));
	result = x86_alu(vcpu, op, dest, src, size);
	if (op != X86_ALU_CMP)
		X86_TRY(x86_rm_write(vcpu, size, result));
	return X86_OK;
}

static int shift_group(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	unsigned int count;
	u64 value;

	if (insn->opcode <= 0xc1)
		count = (u8)insn->imm;
	else if (insn->opcode <= 0xd1)
		count = 1;
	else
		count = (u8)vcpu->regs.gpr[X86_RCX];
	X86_TRY(x86_rm_read(vcpu, size, &value));
	value = x86_shift(vcpu, insn->reg & 7, value, count, size);
	return x86_rm_write(vcpu, size, value);
}

static int group3(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	unsigned int op = insn->reg & 7;
	u64 value;

	X86_TRY(x86_rm_read(vcpu, size, &value));
	switch (op) {
	case 0: case 1:
		x86_alu(vcpu, X86_ALU_AND, value, insn->imm, size);
		return X86_OK;
	case 2:
		return x86_rm_write(vcpu, size, ~value);
	case 3:
		value = x86_alu(vcpu, X86_ALU_SUB, 0, value, size);
		return x86_rm_write(vcpu, size, value);
	default:
		return x86_mul_div(vcpu, op, value, size);
	}
}

static int near_call(struct x86_vcpu *vcpu, u64 target)
{
	unsigned int size = branch_size(vcpu);

	X86_TRY(x86_push(vcpu, vcpu->priv.insn.next_rip, size));
	x86_set_rip(vcpu, target, size);
	return X86_OK;
}

static int far_indirect(struct x86_vcpu *vcpu, bool is_call)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int size = insn->op_size;
	u64 offset, selector;

	if (!insn->mem)
		return x86_raise_ud(vcpu);
	X86_TRY(x86_read_mem(vcpu, insn->ea_seg, insn->ea, size, &offset));
	X86_TRY(x86_read_mem(vcpu, insn->ea_seg,
			     (insn->ea + size) & x86_size_mask(insn->addr_size),
			     2, &selector));
	return x86_far_transfer(vcpu, (u16)selector, offset, is_call, size);
}

static int group5(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int size = insn->opcode == 0xfe ? 1 : insn->op_size;
	unsigned int op = insn->reg & 7;
	u64 value;

	if (insn->opcode == 0xfe && op > 1)
		return x86_raise_ud(vcpu);
	switch (op) {
	case 0: case 1:
		X86_TRY(x86_rm_read(vcpu, size, &value));
		value = x86_inc_dec(vcpu, value, op == 1, size);
		X86_TRY(x86_rm_write(vcpu, size, value));
		break;
	case 2: case 4:
		size = branch_size(vcpu);
		X86_TRY(x86_rm_read(vcpu, size, &value));
		if (op == 2)
			return near_call(vcpu, value);
		x86_set_rip(vcpu, value, size);
		return X86_OK;
	case 3: case 5:
		return far_indirect(vcpu, op == 3);
	case 6:
		size = stack_op_size(vcpu);
		X86_TRY(x86_rm_read(vcpu, size, &value));
		X86_TRY(x86_push(vcpu, value, size));
		break;
	default:
		return x86_raise_ud(vcpu);
	}
	vcpu->regs.rip = insn->next_rip;
	return X86_OK;
}

static int enter(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	struct x86_regs *regs = &vcpu->regs;
	unsigned int size = stack_op_size(vcpu);
	unsigned int level = insn->imm2 & 31, i;
	u64 mask = x86_stack_mask(vcpu);
	u64 frame, rbp = regs->gpr[X86_RBP], value;

	X86_TRY(x86_push(vcpu, rbp, size));
	frame = regs->gpr[X86_RSP] & mask;
	for (i = 1; i < level; i++) {
		rbp = (rbp - size) & mask;
		X86_TRY(x86_read_mem(vcpu, X86_SEG_SS, rbp, size, &value));
		X86_TRY(x86_push(vcpu, value, size));
	}
	if (level)
		X86_TRY(x86_push(vcpu, frame, size));
	x86_reg_write(vcpu, X86_RBP, size, true, frame);
	value = (regs->gpr[X86_RSP] - insn->imm) & mask;
	/* the new stack top must be writable */
	X86_TRY(x86_linear(vcpu, X86_SEG_SS, value, 1, X86_ACCESS_WRITE,
			   &frame));
	regs->gpr[X86_RSP] = (regs->gpr[X86_RSP] & ~mask) | value;
	return X86_OK;
}

static int mov_sreg(struct x86_vcpu *vcpu, bool to_sreg)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int sreg = insn->reg & 7;
	u64 value;

	if (sreg >= X86_SEG_COUNT || (to_sreg && sreg == X86_SEG_CS))
		return x86_raise_ud(vcpu);
	if (to_sreg) {
		X86_TRY(x86_rm_read(vcpu, 2, &value));
		return x86_load_segment(vcpu, sreg, (u16)value);
	}
	value = vcpu->regs.seg[sreg].selector;
	return x86_rm_write(vcpu, insn->mem ? 2 : insn->op_size, value);
}

static int sreg_push_pop(struct x86_vcpu *vcpu, unsigned int sreg, bool push)
{
	unsigned int size = stack_op_size(vcpu);
	u64 value;

	if (push)
		return x86_push(vcpu, vcpu->regs.seg[sreg].selector, size);
	X86_TRY(x86_pop(vcpu, &value, size));
	return x86_load_segment(vcpu, sreg, (u16)value);
}

static int loop_jcxz(struct x86_vcpu *vcpu, u64 *next)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int asize = insn->addr_size;
	u64 count = x86_reg_read(vcpu, X86_RCX, asize, true);
	bool zf = vcpu->regs.rflags & X86_FLAG_ZF;
	bool taken;

	if (insn->opcode == 0xe3) {
		taken = count == 0;
	} else {
		count = (count - 1) & x86_size_mask(asize);
		x86_reg_write(vcpu, X86_RCX, asize, true, count);
		taken = count != 0;
		if (insn->opcode == 0xe0)
			taken = taken && !zf;
		else if (insn->opcode == 0xe1)
			taken = taken && zf;
	}
	if (taken)
		*next = insn->next_rip + (u64)(s64)(s8)insn->imm;
	return X86_OK;
}

static int flag_ops(struct x86_vcpu *vcpu)
{
	struct x86_regs *regs = &vcpu->regs;
	u8 opcode = vcpu->priv.insn.opcode;
	unsigned int iopl = (regs->rflags & X86_FLAG_IOPL) >> 12;

	switch (opcode) {
	case 0xf5:
		regs->rflags ^= X86_FLAG_CF;
		break;
	case 0xf8:
		regs->rflags &= ~X86_FLAG_CF;
		break;
	case 0xf9:
		regs->rflags |= X86_FLAG_CF;
		break;
	case 0xfa: case 0xfb:
		if (x86_is_protected(vcpu) && x86_cpl(vcpu) > iopl)
			return x86_raise_gp(vcpu, 0);
		if (opcode == 0xfa) {
			regs->rflags &= ~X86_FLAG_IF;
		} else {
			if (!(regs->rflags & X86_FLAG_IF))
				vcpu->priv.interrupt_shadow = true;
			regs->rflags |= X86_FLAG_IF;
		}
		break;
	case 0xfc:
		regs->rflags &= ~X86_FLAG_DF;
		break;
	default:
		regs->rflags |= X86_FLAG_DF;
		break;
	}
	return X86_OK;
}

static int pushf_popf(struct x86_vcpu *vcpu, bool push)
{
	struct x86_regs *regs = &vcpu->regs;
	unsigned int size = stack_op_size(vcpu);
	unsigned int cpl = x86_cpl(vcpu);
	unsigned int iopl = (regs->rflags & X86_FLAG_IOPL) >> 12;
	u64 value, writable;

	if (push)
		return x86_push(vcpu, regs->rflags & ~(X86_FLAG_RF | X86_FLAG_VM),
				size);
	X86_TRY(x86_pop(vcpu, &value, size));
	writable = X86_FLAGS_ARITH | X86_FLAG_TF | X86_FLAG_DF | X86_FLAG_NT |
		   X86_FLAG_AC | X86_FLAG_ID;
	if (cpl == 0)
		writable |= X86_FLAG_IOPL;
	if (cpl <= iopl)
		writable |= X86_FLAG_IF;
	if (size == 2)
		writable &= 0xffff;
	regs->rflags = (regs->rflags & ~writable) | (value & writable) |
		       X86_FLAG_FIXED;
	regs->rflags &= ~X86_FLAG_RF;
	return X86_OK;
}

static int moffs(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	unsigned int seg = insn->seg_override >= 0 ? insn->seg_override :
						     X86_SEG_DS;
	u64 value;

	if (insn->opcode < 0xa2) {
		X86_TRY(x86_read_mem(vcpu, seg, insn->imm, size, &value));
		x86_reg_write(vcpu, X86_RAX, size, false, value);
		return X86_OK;
	}
	value = x86_reg_read(vcpu, X86_RAX, size, false);
	return x86_write_mem(vcpu, seg, insn->imm, size, value);
}

static void sign_extend_acc(struct x86_vcpu *vcpu, bool to_rdx)
{
	unsigned int size = vcpu->priv.insn.op_size;
	u64 value;

	if (!to_rdx) {
		value = x86_reg_read(vcpu, X86_RAX, size / 2, false);
		x86_reg_write(vcpu, X86_RAX, size, false,
			      x86_sign_extend(value, size / 2));
		return;
	}
	value = x86_reg_read(vcpu, X86_RAX, size, false);
	value = (value & x86_sign_bit(size)) ? ~0ULL : 0;
	x86_reg_write(vcpu, X86_RDX, size, false, value);
}

static int hlt(struct x86_vcpu *vcpu)
{
	if (x86_cpl(vcpu))
		return x86_raise_gp(vcpu, 0);
	vcpu->priv.halted = true;
	if (!vcpu->config.hlt_rip_at_instruction)
		vcpu->regs.rip = vcpu->priv.insn.next_rip;
	return X86_OK;
}

/* Instructions whose only effect is on registers/memory, ending at next_rip */
static int exec_simple(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	struct x86_regs *regs = &vcpu->regs;
	u8 op = insn->opcode;
	unsigned int size = insn->op_size, reg;
	u64 value, other;

	switch (op) {
	case 0x00 ... 0x3f:
		switch (op) {
		case 0x06: case 0x0e: case 0x16: case 0x1e:
			return sreg_push_pop(vcpu, op >> 3, true);
		case 0x07: case 0x17: case 0x1f:
			return sreg_push_pop(vcpu, op >> 3, false);
		}
		return alu_forms(vcpu);
	case 0x40 ... 0x4f:
		reg = op & 7;
		value = x86_reg_read(vcpu, reg, size, false);
		value = x86_inc_dec(vcpu, value, op >= 0x48, size);
		x86_reg_write(vcpu, reg, size, false, value);
		return X86_OK;
	case 0x50 ... 0x57:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		size = stack_op_size(vcpu);
		return x86_push(vcpu, x86_reg_read(vcpu, reg, size, true), size);
	case 0x58 ... 0x5f:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		size = stack_op_size(vcpu);
		X86_TRY(x86_pop(vcpu, &value, size));
		x86_reg_write(vcpu, reg, size, true, value);
		return X86_OK;
	case 0x63:
		if (!x86_is_long64(vcpu))
			return x86_unsupported(vcpu);	/* ARPL */
		X86_TRY(x86_rm_read(vcpu, size == 2 ? 2 : 4, &value));
		x86_reg_write(vcpu, insn->reg, size, true,
			      x86_sign_extend(value, 4));
		return X86_OK;
	case 0x68: case 0x6a:
		size = stack_op_size(vcpu);
		value = op == 0x6a ? (u64)(s64)(s8)insn->imm : insn->imm;
		return x86_push(vcpu, value, size);
	case 0x69: case 0x6b:
		X86_TRY(x86_rm_read(vcpu, size, &value));
		other = op == 0x6b ? (u64)(s64)(s8)insn->imm : insn->imm;
		x86_reg_write(vcpu, insn->reg, size, true,
			      x86_imul(vcpu, value, other, size));
		return X86_OK;
	case 0x80 ... 0x83:
		return group1(vcpu);
	case 0x84: case 0x85:
		size = (op & 1) ? size : 1;
		X86_TRY(x86_rm_read(vcpu, size, &value));
		other = x86_reg_read(vcpu, insn->reg, size, insn->rex);
		x86_alu(vcpu, X86_ALU_AND, value, other, size);
		return X86_OK;
	case 0x86: case 0x87:
		size = (op & 1) ? size : 1;
		X86_TRY(x86_rm_read(vcpu, size, &value));
		other = x86_reg_read(vcpu, insn->reg, size, insn->rex);
		X86_TRY(x86_rm_write(vcpu, size, other));
		x86_reg_write(vcpu, insn->reg, size, insn->rex, value);
		return X86_OK;
	case 0x88: case 0x89:
		size = (op & 1) ? size : 1;
		return x86_rm_write(vcpu, size,
				    x86_reg_read(vcpu, insn->reg, size,
						 insn->rex));
	case 0x8a: case 0x8b:
		size = (op & 1) ? size : 1;
		X86_TRY(x86_rm_read(vcpu, size, &value));
		x86_reg_write(vcpu, insn->reg, size, insn->rex, value);
		return X86_OK;
	case 0x8c: case 0x8e:
		return mov_sreg(vcpu, op == 0x8e);
	case 0x8d:
		if (!insn->mem)
			return x86_raise_ud(vcpu);
		x86_reg_write(vcpu, insn->reg, size, true, insn->ea);
		return X86_OK;
	case 0x8f:
		if (insn->reg & 7)
			return x86_raise_ud(vcpu);
		size = stack_op_size(vcpu);
		X86_TRY(x86_pop(vcpu, &value, size));
		return x86_rm_write(vcpu, size, value);
	case 0x90 ... 0x97:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		if (reg == X86_RAX)
			return X86_OK;	/* nop, pause */
		value = x86_reg_read(vcpu, reg, size, true);
		other = x86_reg_read(vcpu, X86_RAX, size, true);
		x86_reg_write(vcpu, reg, size, true, other);
		x86_reg_write(vcpu, X86_RAX, size, true, value);
		return X86_OK;
	case 0x98: case 0x99:
		sign_extend_acc(vcpu, op == 0x99);
		return X86_OK;
	case 0x9c: case 0x9d:
		return pushf_popf(vcpu, op == 0x9c);
	case 0x9e:
		value = (regs->gpr[X86_RAX] >> 8) &
			(X86_FLAG_SF | X86_FLAG_ZF | X86_FLAG_AF | X86_FLAG_PF |
			 X86_FLAG_CF);
		regs->rflags = (regs->rflags & ~0xffULL) | value | X86_FLAG_FIXED;
		return X86_OK;
	case 0x9f:
		x86_reg_write(vcpu, 4, 1, false, regs->rflags & 0xff);
		return X86_OK;
	case 0xa0 ... 0xa3:
		return moffs(vcpu);
	case 0xa8: case 0xa9:
		size = (op & 1) ? size : 1;
		x86_alu(vcpu, X86_ALU_AND, x86_reg_read(vcpu, X86_RAX, size,
							false), insn->imm, size);
		return X86_OK;
	case 0xb0 ... 0xb7:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		x86_reg_write(vcpu, reg, 1, insn->rex, insn->imm);
		return X86_OK;
	case 0xb8 ... 0xbf:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		x86_reg_write(vcpu, reg, size, true, insn->imm);
		return X86_OK;
	case 0xc0: case 0xc1: case 0xd0 ... 0xd3:
		return shift_group(vcpu);
	case 0xc6: case 0xc7:
		if (insn->reg & 7)
			return x86_raise_ud(vcpu);
		return x86_rm_write(vcpu, (op & 1) ? size : 1, insn->imm);
	case 0xc8:
		return enter(vcpu);
	case 0xc9:
		value = regs->gpr[X86_RBP] & x86_stack_mask(vcpu);
		regs->gpr[X86_RSP] = (regs->gpr[X86_RSP] & ~x86_stack_mask(vcpu)) |
				     value;
		size = stack_op_size(vcpu);
		X86_TRY(x86_pop(vcpu, &value, size));
		x86_reg_write(vcpu, X86_RBP, size, true, value);
		return X86_OK;
	case 0xd7: {
		unsigned int seg = insn->seg_override >= 0 ?
				   insn->seg_override : X86_SEG_DS;

		value = (regs->gpr[X86_RBX] + (regs->gpr[X86_RAX] & 0xff)) &
			x86_size_mask(insn->addr_size);
		X86_TRY(x86_read_mem(vcpu, seg, value, 1, &value));
		x86_reg_write(vcpu, X86_RAX, 1, false, value);
		return X86_OK;
	}
	case 0xf5: case 0xf8 ... 0xfd:
		return flag_ops(vcpu);
	case 0xf6: case 0xf7:
		return group3(vcpu);
	default:
		return x86_unsupported(vcpu);
	}
}

int x86_exec(struct x86_vcpu *vcpu)
{
	struct x86_insn *insn = &vcpu->priv.insn;
	struct x86_regs *regs = &vcpu->regs;
	u8 op = insn->opcode;
	u64 next = insn->next_rip, value;
	unsigned int size;

	if (insn->lock && !lock_allowed(insn))
		return x86_raise_ud(vcpu);
	if (insn->map == 1)
		return x86_exec_0f(vcpu);

	switch (op) {
	case 0x6c ... 0x6f:
	case 0xa4 ... 0xa7:
	case 0xaa ... 0xaf:
		return x86_exec_string(vcpu);
	case 0xe4 ... 0xe7:
	case 0xec ... 0xef:
		return x86_exec_port(vcpu);
	case 0x70 ... 0x7f:
		if (x86_condition(vcpu, op & 15))
			next += (u64)(s64)(s8)insn->imm;
		break;
	case 0x9a:
		return x86_far_transfer(vcpu, (u16)insn->imm2, insn->imm, true,
					insn->op_size);
	case 0xea:
		return x86_far_transfer(vcpu, (u16)insn->imm2, insn->imm, false,
					insn->op_size);
	case 0xc2: case 0xc3:
		size = branch_size(vcpu);
		X86_TRY(x86_pop(vcpu, &value, size));
		if (op == 0xc2) {
			u64 mask = x86_stack_mask(vcpu);
			u64 rsp = regs->gpr[X86_RSP];

			regs->gpr[X86_RSP] = (rsp & ~mask) |
					     ((rsp + insn->imm) & mask);
		}
		x86_set_rip(vcpu, value, size);
		return X86_OK;
	case 0xca: case 0xcb:
		return x86_far_return(vcpu, insn->op_size,
				      op == 0xca ? (u16)insn->imm : 0);
	case 0xcc:
		return x86_software_interrupt(vcpu, X86_VEC_BP);
	case 0xcd:
		return x86_software_interrupt(vcpu, (u8)insn->imm);
	case 0xce:
		if (regs->rflags & X86_FLAG_OF)
			return x86_software_interrupt(vcpu, X86_VEC_OF);
		break;
	case 0xcf:
		return x86_iret(vcpu, insn->op_size);
	case 0xe0 ... 0xe3:
		X86_TRY(loop_jcxz(vcpu, &next));
		break;
	case 0xe8:
		return near_call(vcpu, next + insn->imm);
	case 0xe9: case 0xeb:
		if (op == 0xeb)
			next += (u64)(s64)(s8)insn->imm;
		else
			next += insn->imm;
		break;
	case 0xf4:
		return hlt(vcpu);
	case 0xfe: case 0xff:
		return group5(vcpu);
	default:
		X86_TRY(exec_simple(vcpu));
		regs->rip = insn->next_rip;
		return X86_OK;
	}
	x86_set_rip(vcpu, next, branch_size(vcpu));
	return X86_OK;
}
