// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: execution of one-byte opcodes.
 */
#include "x86_internal.h"

int hvx86_rm_read(struct hvx86_vcpu *vcpu, unsigned int size, u64 *value)
{
	const struct hvx86_insn *insn = &vcpu->priv.insn;

	if (!insn->mem) {
		*value = hvx86_reg_read(vcpu, insn->rm, size, insn->rex);
		return HVX86_OK;
	}
	return hvx86_read_mem(vcpu, insn->ea_seg, insn->ea, size, value);
}

int hvx86_rm_write(struct hvx86_vcpu *vcpu, unsigned int size, u64 value)
{
	const struct hvx86_insn *insn = &vcpu->priv.insn;

	if (!insn->mem) {
		hvx86_reg_write(vcpu, insn->rm, size, insn->rex, value);
		return HVX86_OK;
	}
	return hvx86_write_mem(vcpu, insn->ea_seg, insn->ea, size, value);
}

/* LOCK is accepted only on read-modify-write forms with a memory operand. */
static bool lock_allowed(const struct hvx86_insn *insn)
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
static unsigned int stack_op_size(const struct hvx86_vcpu *vcpu)
{
	const struct hvx86_insn *insn = &vcpu->priv.insn;

	if (hvx86_is_long64(vcpu))
		return insn->opsize_prefix ? 2 : 8;
	return insn->op_size;
}

static unsigned int branch_size(const struct hvx86_vcpu *vcpu)
{
	return hvx86_is_long64(vcpu) ? 8 : vcpu->priv.insn.op_size;
}

static int alu_forms(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int op = insn->opcode >> 3, form = insn->opcode & 7;
	unsigned int size = (form & 1) ? insn->op_size : 1;
	u64 dest, src, result;

	switch (form) {
	case 0: case 1:
		HVX86_TRY(hvx86_rm_read(vcpu, size, &dest));
		src = hvx86_reg_read(vcpu, insn->reg, size, insn->rex);
		result = hvx86_alu(vcpu, op, dest, src, size);
		if (op != HVX86_ALU_CMP)
			HVX86_TRY(hvx86_rm_write(vcpu, size, result));
		break;
	case 2: case 3:
		HVX86_TRY(hvx86_rm_read(vcpu, size, &src));
		dest = hvx86_reg_read(vcpu, insn->reg, size, insn->rex);
		result = hvx86_alu(vcpu, op, dest, src, size);
		if (op != HVX86_ALU_CMP)
			hvx86_reg_write(vcpu, insn->reg, size, insn->rex, result);
		break;
	default:
		dest = hvx86_reg_read(vcpu, HVX86_RAX, size, false);
		result = hvx86_alu(vcpu, op, dest, insn->imm, size);
		if (op != HVX86_ALU_CMP)
			hvx86_reg_write(vcpu, HVX86_RAX, size, false, result);
		break;
	}
	return HVX86_OK;
}

static int group1(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int op = insn->reg & 7;
	unsigned int size = insn->opcode == 0x81 || insn->opcode == 0x83 ?
			    insn->op_size : 1;
	u64 dest, src = insn->imm, result;

	if (insn->opcode == 0x83)
		src = (u64)(s64)(s8)src;
	HVX86_TRY(hvx86_rm_read(vcpu, size, &dest));
	result = hvx86_alu(vcpu, op, dest, src, size);
	if (op != HVX86_ALU_CMP)
		HVX86_TRY(hvx86_rm_write(vcpu, size, result));
	return HVX86_OK;
}

static int shift_group(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	unsigned int count;
	u64 value;

	if (insn->opcode <= 0xc1)
		count = (u8)insn->imm;
	else if (insn->opcode <= 0xd1)
		count = 1;
	else
		count = (u8)vcpu->regs.gpr[HVX86_RCX];
	HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
	value = hvx86_shift(vcpu, insn->reg & 7, value, count, size);
	return hvx86_rm_write(vcpu, size, value);
}

static int group3(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	unsigned int op = insn->reg & 7;
	u64 value;

	HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
	switch (op) {
	case 0: case 1:
		hvx86_alu(vcpu, HVX86_ALU_AND, value, insn->imm, size);
		return HVX86_OK;
	case 2:
		return hvx86_rm_write(vcpu, size, ~value);
	case 3:
		value = hvx86_alu(vcpu, HVX86_ALU_SUB, 0, value, size);
		return hvx86_rm_write(vcpu, size, value);
	default:
		return hvx86_mul_div(vcpu, op, value, size);
	}
}

static int near_call(struct hvx86_vcpu *vcpu, u64 target)
{
	unsigned int size = branch_size(vcpu);

	HVX86_TRY(hvx86_push(vcpu, vcpu->priv.insn.next_rip, size));
	return hvx86_jump(vcpu, target, size);
}

static int far_indirect(struct hvx86_vcpu *vcpu, bool is_call)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = insn->op_size;
	u64 offset, selector;

	if (!insn->mem)
		return hvx86_raise_ud(vcpu);
	HVX86_TRY(hvx86_read_mem(vcpu, insn->ea_seg, insn->ea, size, &offset));
	HVX86_TRY(hvx86_read_mem(vcpu, insn->ea_seg,
				 (insn->ea + size) & hvx86_size_mask(insn->addr_size),
				 2, &selector));
	return hvx86_far_transfer(vcpu, (u16)selector, offset, is_call, size);
}

static int group5(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = insn->opcode == 0xfe ? 1 : insn->op_size;
	unsigned int op = insn->reg & 7;
	u64 value;

	if (insn->opcode == 0xfe && op > 1)
		return hvx86_raise_ud(vcpu);
	switch (op) {
	case 0: case 1:
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		value = hvx86_inc_dec(vcpu, value, op == 1, size);
		HVX86_TRY(hvx86_rm_write(vcpu, size, value));
		break;
	case 2: case 4:
		size = branch_size(vcpu);
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		if (op == 2)
			return near_call(vcpu, value);
		return hvx86_jump(vcpu, value, size);
	case 3: case 5:
		return far_indirect(vcpu, op == 3);
	case 6:
		size = stack_op_size(vcpu);
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		HVX86_TRY(hvx86_push(vcpu, value, size));
		break;
	default:
		return hvx86_raise_ud(vcpu);
	}
	vcpu->regs.rip = insn->next_rip;
	return HVX86_OK;
}

static int enter(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int size = stack_op_size(vcpu);
	unsigned int level = insn->imm2 & 31, i;
	u64 mask = hvx86_stack_mask(vcpu);
	u64 frame, rbp = regs->gpr[HVX86_RBP], value;

	HVX86_TRY(hvx86_push(vcpu, rbp, size));
	frame = regs->gpr[HVX86_RSP] & mask;
	for (i = 1; i < level; i++) {
		rbp = (rbp - size) & mask;
		HVX86_TRY(hvx86_read_mem(vcpu, HVX86_SEG_SS, rbp, size, &value));
		HVX86_TRY(hvx86_push(vcpu, value, size));
	}
	if (level)
		HVX86_TRY(hvx86_push(vcpu, frame, size));
	hvx86_reg_write(vcpu, HVX86_RBP, size, true, frame);
	value = (regs->gpr[HVX86_RSP] - insn->imm) & mask;
	/* the new stack top must be writable */
	HVX86_TRY(hvx86_linear(vcpu, HVX86_SEG_SS, value, 1, HVX86_ACCESS_WRITE,
			       &frame));
	regs->gpr[HVX86_RSP] = (regs->gpr[HVX86_RSP] & ~mask) | value;
	return HVX86_OK;
}

static int mov_sreg(struct hvx86_vcpu *vcpu, bool to_sreg)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int sreg = insn->reg & 7;
	u64 value;

	if (sreg >= HVX86_SEG_COUNT || (to_sreg && sreg == HVX86_SEG_CS))
		return hvx86_raise_ud(vcpu);
	if (to_sreg) {
		HVX86_TRY(hvx86_rm_read(vcpu, 2, &value));
		return hvx86_load_segment(vcpu, sreg, (u16)value);
	}
	value = vcpu->regs.seg[sreg].selector;
	return hvx86_rm_write(vcpu, insn->mem ? 2 : insn->op_size, value);
}

static int sreg_push_pop(struct hvx86_vcpu *vcpu, unsigned int sreg, bool push)
{
	unsigned int size = stack_op_size(vcpu);
	u64 value;

	if (push)
		return hvx86_push(vcpu, vcpu->regs.seg[sreg].selector, size);
	HVX86_TRY(hvx86_pop(vcpu, &value, size));
	return hvx86_load_segment(vcpu, sreg, (u16)value);
}

static int loop_jcxz(struct hvx86_vcpu *vcpu, u64 *next)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int asize = insn->addr_size;
	u64 count = hvx86_reg_read(vcpu, HVX86_RCX, asize, true);
	bool zf = vcpu->regs.rflags & HVX86_FLAG_ZF;
	bool taken;

	if (insn->opcode == 0xe3) {
		taken = count == 0;
	} else {
		count = (count - 1) & hvx86_size_mask(asize);
		hvx86_reg_write(vcpu, HVX86_RCX, asize, true, count);
		taken = count != 0;
		if (insn->opcode == 0xe0)
			taken = taken && !zf;
		else if (insn->opcode == 0xe1)
			taken = taken && zf;
	}
	if (taken)
		*next = insn->next_rip + (u64)(s64)(s8)insn->imm;
	return HVX86_OK;
}

static int flag_ops(struct hvx86_vcpu *vcpu)
{
	struct hvx86_regs *regs = &vcpu->regs;
	u8 opcode = vcpu->priv.insn.opcode;
	unsigned int iopl = (regs->rflags & HVX86_FLAG_IOPL) >> 12;

	switch (opcode) {
	case 0xf5:
		regs->rflags ^= HVX86_FLAG_CF;
		break;
	case 0xf8:
		regs->rflags &= ~HVX86_FLAG_CF;
		break;
	case 0xf9:
		regs->rflags |= HVX86_FLAG_CF;
		break;
	case 0xfa: case 0xfb:
		if (hvx86_is_protected(vcpu) && hvx86_cpl(vcpu) > iopl)
			return hvx86_raise_gp(vcpu, 0);
		if (opcode == 0xfa) {
			regs->rflags &= ~HVX86_FLAG_IF;
		} else {
			if (!(regs->rflags & HVX86_FLAG_IF))
				vcpu->priv.interrupt_shadow = true;
			regs->rflags |= HVX86_FLAG_IF;
		}
		break;
	case 0xfc:
		regs->rflags &= ~HVX86_FLAG_DF;
		break;
	default:
		regs->rflags |= HVX86_FLAG_DF;
		break;
	}
	return HVX86_OK;
}

static int pushf_popf(struct hvx86_vcpu *vcpu, bool push)
{
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int size = stack_op_size(vcpu);
	unsigned int cpl = hvx86_cpl(vcpu);
	unsigned int iopl = (regs->rflags & HVX86_FLAG_IOPL) >> 12;
	u64 value, writable;

	if (push)
		return hvx86_push(vcpu, regs->rflags & ~(HVX86_FLAG_RF | HVX86_FLAG_VM),
				  size);
	HVX86_TRY(hvx86_pop(vcpu, &value, size));
	writable = HVX86_FLAGS_ARITH | HVX86_FLAG_TF | HVX86_FLAG_DF | HVX86_FLAG_NT |
		   HVX86_FLAG_AC | HVX86_FLAG_ID;
	if (cpl == 0)
		writable |= HVX86_FLAG_IOPL;
	if (cpl <= iopl)
		writable |= HVX86_FLAG_IF;
	if (size == 2)
		writable &= 0xffff;
	regs->rflags = (regs->rflags & ~writable) | (value & writable) |
		       HVX86_FLAG_FIXED;
	regs->rflags &= ~HVX86_FLAG_RF;
	return HVX86_OK;
}

static int moffs(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	unsigned int seg = insn->seg_override >= 0 ? insn->seg_override :
						     HVX86_SEG_DS;
	u64 value;

	if (insn->opcode < 0xa2) {
		HVX86_TRY(hvx86_read_mem(vcpu, seg, insn->imm, size, &value));
		hvx86_reg_write(vcpu, HVX86_RAX, size, false, value);
		return HVX86_OK;
	}
	value = hvx86_reg_read(vcpu, HVX86_RAX, size, false);
	return hvx86_write_mem(vcpu, seg, insn->imm, size, value);
}

static void sign_extend_acc(struct hvx86_vcpu *vcpu, bool to_rdx)
{
	unsigned int size = vcpu->priv.insn.op_size;
	u64 value;

	if (!to_rdx) {
		value = hvx86_reg_read(vcpu, HVX86_RAX, size / 2, false);
		hvx86_reg_write(vcpu, HVX86_RAX, size, false,
				hvx86_sign_extend(value, size / 2));
		return;
	}
	value = hvx86_reg_read(vcpu, HVX86_RAX, size, false);
	value = (value & hvx86_sign_bit(size)) ? ~0ULL : 0;
	hvx86_reg_write(vcpu, HVX86_RDX, size, false, value);
}

static int hlt(struct hvx86_vcpu *vcpu)
{
	if (hvx86_cpl(vcpu))
		return hvx86_raise_gp(vcpu, 0);
	vcpu->priv.halted = true;
	if (!vcpu->config.hlt_rip_at_instruction)
		vcpu->regs.rip = vcpu->priv.insn.next_rip;
	return HVX86_OK;
}

/* Instructions whose only effect is on registers/memory, ending at next_rip */
static int exec_simple(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
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
		value = hvx86_reg_read(vcpu, reg, size, false);
		value = hvx86_inc_dec(vcpu, value, op >= 0x48, size);
		hvx86_reg_write(vcpu, reg, size, false, value);
		return HVX86_OK;
	case 0x50 ... 0x57:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		size = stack_op_size(vcpu);
		return hvx86_push(vcpu, hvx86_reg_read(vcpu, reg, size, true), size);
	case 0x58 ... 0x5f:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		size = stack_op_size(vcpu);
		HVX86_TRY(hvx86_pop(vcpu, &value, size));
		hvx86_reg_write(vcpu, reg, size, true, value);
		return HVX86_OK;
	case 0x63:
		if (!hvx86_is_long64(vcpu))
			return hvx86_unsupported(vcpu);	/* ARPL */
		HVX86_TRY(hvx86_rm_read(vcpu, size == 2 ? 2 : 4, &value));
		hvx86_reg_write(vcpu, insn->reg, size, true,
				hvx86_sign_extend(value, 4));
		return HVX86_OK;
	case 0x68: case 0x6a:
		size = stack_op_size(vcpu);
		value = op == 0x6a ? (u64)(s64)(s8)insn->imm : insn->imm;
		return hvx86_push(vcpu, value, size);
	case 0x69: case 0x6b:
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		other = op == 0x6b ? (u64)(s64)(s8)insn->imm : insn->imm;
		hvx86_reg_write(vcpu, insn->reg, size, true,
				hvx86_imul(vcpu, value, other, size));
		return HVX86_OK;
	case 0x80 ... 0x83:
		return group1(vcpu);
	case 0x84: case 0x85:
		size = (op & 1) ? size : 1;
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		other = hvx86_reg_read(vcpu, insn->reg, size, insn->rex);
		hvx86_alu(vcpu, HVX86_ALU_AND, value, other, size);
		return HVX86_OK;
	case 0x86: case 0x87:
		size = (op & 1) ? size : 1;
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		other = hvx86_reg_read(vcpu, insn->reg, size, insn->rex);
		HVX86_TRY(hvx86_rm_write(vcpu, size, other));
		hvx86_reg_write(vcpu, insn->reg, size, insn->rex, value);
		return HVX86_OK;
	case 0x88: case 0x89:
		size = (op & 1) ? size : 1;
		return hvx86_rm_write(vcpu, size,
				      hvx86_reg_read(vcpu, insn->reg, size,
						     insn->rex));
	case 0x8a: case 0x8b:
		size = (op & 1) ? size : 1;
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		hvx86_reg_write(vcpu, insn->reg, size, insn->rex, value);
		return HVX86_OK;
	case 0x8c: case 0x8e:
		return mov_sreg(vcpu, op == 0x8e);
	case 0x8d:
		if (!insn->mem)
			return hvx86_raise_ud(vcpu);
		hvx86_reg_write(vcpu, insn->reg, size, true, insn->ea);
		return HVX86_OK;
	case 0x8f:
		if (insn->reg & 7)
			return hvx86_raise_ud(vcpu);
		size = stack_op_size(vcpu);
		HVX86_TRY(hvx86_pop(vcpu, &value, size));
		return hvx86_rm_write(vcpu, size, value);
	case 0x90 ... 0x97:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		if (reg == HVX86_RAX)
			return HVX86_OK;	/* nop, pause */
		value = hvx86_reg_read(vcpu, reg, size, true);
		other = hvx86_reg_read(vcpu, HVX86_RAX, size, true);
		hvx86_reg_write(vcpu, reg, size, true, other);
		hvx86_reg_write(vcpu, HVX86_RAX, size, true, value);
		return HVX86_OK;
	case 0x98: case 0x99:
		sign_extend_acc(vcpu, op == 0x99);
		return HVX86_OK;
	case 0x9c: case 0x9d:
		return pushf_popf(vcpu, op == 0x9c);
	case 0x9e:
		value = (regs->gpr[HVX86_RAX] >> 8) &
			(HVX86_FLAG_SF | HVX86_FLAG_ZF | HVX86_FLAG_AF | HVX86_FLAG_PF |
			 HVX86_FLAG_CF);
		regs->rflags = (regs->rflags & ~0xffULL) | value | HVX86_FLAG_FIXED;
		return HVX86_OK;
	case 0x9f:
		hvx86_reg_write(vcpu, 4, 1, false, regs->rflags & 0xff);
		return HVX86_OK;
	case 0xa0 ... 0xa3:
		return moffs(vcpu);
	case 0xa8: case 0xa9:
		size = (op & 1) ? size : 1;
		hvx86_alu(vcpu, HVX86_ALU_AND, hvx86_reg_read(vcpu, HVX86_RAX, size,
							      false), insn->imm, size);
		return HVX86_OK;
	case 0xb0 ... 0xb7:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		hvx86_reg_write(vcpu, reg, 1, insn->rex, insn->imm);
		return HVX86_OK;
	case 0xb8 ... 0xbf:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		hvx86_reg_write(vcpu, reg, size, true, insn->imm);
		return HVX86_OK;
	case 0xc0: case 0xc1: case 0xd0 ... 0xd3:
		return shift_group(vcpu);
	case 0xc6: case 0xc7:
		if (insn->reg & 7)
			return hvx86_raise_ud(vcpu);
		return hvx86_rm_write(vcpu, (op & 1) ? size : 1, insn->imm);
	case 0xc8:
		return enter(vcpu);
	case 0xc9:
		value = regs->gpr[HVX86_RBP] & hvx86_stack_mask(vcpu);
		regs->gpr[HVX86_RSP] = (regs->gpr[HVX86_RSP] & ~hvx86_stack_mask(vcpu)) |
				     value;
		size = stack_op_size(vcpu);
		HVX86_TRY(hvx86_pop(vcpu, &value, size));
		hvx86_reg_write(vcpu, HVX86_RBP, size, true, value);
		return HVX86_OK;
	case 0xd7: {
		unsigned int seg = insn->seg_override >= 0 ?
				   insn->seg_override : HVX86_SEG_DS;

		value = (regs->gpr[HVX86_RBX] + (regs->gpr[HVX86_RAX] & 0xff)) &
			hvx86_size_mask(insn->addr_size);
		HVX86_TRY(hvx86_read_mem(vcpu, seg, value, 1, &value));
		hvx86_reg_write(vcpu, HVX86_RAX, 1, false, value);
		return HVX86_OK;
	}
	case 0xf5: case 0xf8 ... 0xfd:
		return flag_ops(vcpu);
	case 0xf6: case 0xf7:
		return group3(vcpu);
	default:
		return hvx86_unsupported(vcpu);
	}
}

int hvx86_exec(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	u8 op = insn->opcode;
	u64 next = insn->next_rip, value;
	unsigned int size;

	if (insn->lock && !lock_allowed(insn))
		return hvx86_raise_ud(vcpu);
	if (insn->map == 1)
		return hvx86_exec_0f(vcpu);

	switch (op) {
	case 0x6c ... 0x6f:
	case 0xa4 ... 0xa7:
	case 0xaa ... 0xaf:
		return hvx86_exec_string(vcpu);
	case 0xe4 ... 0xe7:
	case 0xec ... 0xef:
		return hvx86_exec_port(vcpu);
	case 0x70 ... 0x7f:
		if (hvx86_condition(vcpu, op & 15))
			next += (u64)(s64)(s8)insn->imm;
		break;
	case 0x9a:
		return hvx86_far_transfer(vcpu, (u16)insn->imm2, insn->imm, true,
					  insn->op_size);
	case 0xea:
		return hvx86_far_transfer(vcpu, (u16)insn->imm2, insn->imm, false,
					  insn->op_size);
	case 0xc2: case 0xc3:
		size = branch_size(vcpu);
		HVX86_TRY(hvx86_pop(vcpu, &value, size));
		if (op == 0xc2) {
			u64 mask = hvx86_stack_mask(vcpu);
			u64 rsp = regs->gpr[HVX86_RSP];

			regs->gpr[HVX86_RSP] = (rsp & ~mask) |
					     ((rsp + insn->imm) & mask);
		}
		return hvx86_jump(vcpu, value, size);
	case 0xca: case 0xcb:
		return hvx86_far_return(vcpu, insn->op_size,
					op == 0xca ? (u16)insn->imm : 0);
	case 0xcc:
		return hvx86_software_interrupt(vcpu, HVX86_VEC_BP);
	case 0xcd:
		return hvx86_software_interrupt(vcpu, (u8)insn->imm);
	case 0xce:
		if (regs->rflags & HVX86_FLAG_OF)
			return hvx86_software_interrupt(vcpu, HVX86_VEC_OF);
		break;
	case 0xcf:
		return hvx86_iret(vcpu, insn->op_size);
	case 0xe0 ... 0xe3:
		HVX86_TRY(loop_jcxz(vcpu, &next));
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
		HVX86_TRY(exec_simple(vcpu));
		regs->rip = insn->next_rip;
		return HVX86_OK;
	}
	if (next == insn->next_rip) {
		regs->rip = next;	/* not taken */
		return HVX86_OK;
	}
	return hvx86_jump(vcpu, next, branch_size(vcpu));
}
