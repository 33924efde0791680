// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: two-byte (0F xx) opcodes and system instructions.
 */
#include "x86_internal.h"

#define CR0_RESERVED	0xffffffff1ffaffc0ULL
#define CR4_SUPPORTED	0x00000000003f07ffULL
#define EFER_WRITABLE	(HVX86_EFER_SCE | HVX86_EFER_LME | HVX86_EFER_NXE)

static u64 read_tsc(struct hvx86_vcpu *vcpu)
{
	if (vcpu->cb->read_tsc)
		return vcpu->cb->read_tsc(vcpu->opaque);
	return vcpu->priv.tsc;
}

static int require_cpl0(struct hvx86_vcpu *vcpu)
{
	if (hvx86_cpl(vcpu))
		return hvx86_raise_gp(vcpu, 0);
	return HVX86_OK;
}

static int write_cr(struct hvx86_vcpu *vcpu, unsigned int cr, u64 value)
{
	struct hvx86_regs *regs = &vcpu->regs;
	bool lma = regs->efer & HVX86_EFER_LMA;

	switch (cr) {
	case 0:
		if (!lma)
			value &= 0xffffffffULL;
		if (value & CR0_RESERVED)
			return hvx86_raise_gp(vcpu, 0);
		if ((value & HVX86_CR0_PG) && !(value & HVX86_CR0_PE))
			return hvx86_raise_gp(vcpu, 0);
		if ((value & HVX86_CR0_NW) && !(value & HVX86_CR0_CD))
			return hvx86_raise_gp(vcpu, 0);
		if ((value & HVX86_CR0_PG) && !(regs->cr0 & HVX86_CR0_PG) &&
		    (regs->efer & HVX86_EFER_LME) && !(regs->cr4 & HVX86_CR4_PAE))
			return hvx86_raise_gp(vcpu, 0);
		if (!(value & HVX86_CR0_PG) && hvx86_is_long64(vcpu))
			return hvx86_raise_gp(vcpu, 0);
		regs->cr0 = value | HVX86_CR0_ET;
		hvx86_update_efer_lma(vcpu);
		return HVX86_OK;
	case 2:
		regs->cr2 = value;
		return HVX86_OK;
	case 3:
		if (lma && (value >> 52))
			return hvx86_raise_gp(vcpu, 0);
		regs->cr3 = lma ? value : value & 0xffffffffULL;
		return HVX86_OK;
	case 4:
		if (value & ~CR4_SUPPORTED)
			return hvx86_raise_gp(vcpu, 0);
		if (lma && !(value & HVX86_CR4_PAE))
			return hvx86_raise_gp(vcpu, 0);
		regs->cr4 = value;
		return HVX86_OK;
	case 8:
		if (value >> 4)
			return hvx86_raise_gp(vcpu, 0);
		regs->cr8 = value;
		return HVX86_OK;
	default:
		return hvx86_raise_ud(vcpu);
	}
}

static int mov_cr(struct hvx86_vcpu *vcpu, bool to_cr)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int size = hvx86_is_long64(vcpu) ? 8 : 4;
	unsigned int cr = insn->reg, reg = (insn->modrm & 7) |
					   ((insn->rex & 1) << 3);
	u64 value;

	HVX86_TRY(require_cpl0(vcpu));
	if (to_cr)
		return write_cr(vcpu, cr, hvx86_reg_read(vcpu, reg, size, true));
	switch (cr) {
	case 0:
		value = regs->cr0;
		break;
	case 2:
		value = regs->cr2;
		break;
	case 3:
		value = regs->cr3;
		break;
	case 4:
		value = regs->cr4;
		break;
	case 8:
		value = regs->cr8;
		break;
	default:
		return hvx86_raise_ud(vcpu);
	}
	hvx86_reg_write(vcpu, reg, size, true, value);
	return HVX86_OK;
}

static int msr_access(struct hvx86_vcpu *vcpu, bool write)
{
	struct hvx86_regs *regs = &vcpu->regs;
	u32 index = (u32)regs->gpr[HVX86_RCX];
	u64 value = (regs->gpr[HVX86_RAX] & 0xffffffffULL) |
		    (regs->gpr[HVX86_RDX] << 32);

	HVX86_TRY(require_cpl0(vcpu));
	if (!write) {
		switch (index) {
		case HVX86_MSR_EFER:
			value = regs->efer;
			break;
		case HVX86_MSR_FS_BASE:
			value = regs->seg[HVX86_SEG_FS].base;
			break;
		case HVX86_MSR_GS_BASE:
			value = regs->seg[HVX86_SEG_GS].base;
			break;
		case HVX86_MSR_KERNEL_GS_BASE:
			value = regs->kernel_gs_base;
			break;
		case HVX86_MSR_TSC:
			value = read_tsc(vcpu);
			break;
		default:
			vcpu->exit.msr.index = index;
			vcpu->exit.msr.value = 0;
			return hvx86_stop(vcpu, HVX86_EXIT_RDMSR);
		}
		hvx86_reg_write(vcpu, HVX86_RAX, 4, true, value);
		hvx86_reg_write(vcpu, HVX86_RDX, 4, true, value >> 32);
		return HVX86_OK;
	}
	switch (index) {
	case HVX86_MSR_EFER:
		if (value & ~(EFER_WRITABLE | HVX86_EFER_LMA))
			return hvx86_raise_gp(vcpu, 0);
		if ((regs->cr0 & HVX86_CR0_PG) &&
		    ((value ^ regs->efer) & HVX86_EFER_LME))
			return hvx86_raise_gp(vcpu, 0);
		regs->efer = (regs->efer & HVX86_EFER_LMA) |
			     (value & EFER_WRITABLE);
		return HVX86_OK;
	case HVX86_MSR_FS_BASE:
	case HVX86_MSR_GS_BASE:
	case HVX86_MSR_KERNEL_GS_BASE:
		if ((u64)((s64)(value << 16) >> 16) != value)
			return hvx86_raise_gp(vcpu, 0);
		if (index == HVX86_MSR_FS_BASE)
			regs->seg[HVX86_SEG_FS].base = value;
		else if (index == HVX86_MSR_GS_BASE)
			regs->seg[HVX86_SEG_GS].base = value;
		else
			regs->kernel_gs_base = value;
		return HVX86_OK;
	default:
		vcpu->exit.msr.index = index;
		vcpu->exit.msr.value = value;
		return hvx86_stop(vcpu, HVX86_EXIT_WRMSR);
	}
}

static int descriptor_table(struct hvx86_vcpu *vcpu, unsigned int op)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	struct hvx86_table_register *table = (op & 1) ? &regs->idtr : &regs->gdtr;
	unsigned int base_size = hvx86_is_long64(vcpu) ? 8 : 4;
	u64 address = (insn->ea + 2) & hvx86_size_mask(insn->addr_size);
	u64 limit, base;

	if (!insn->mem)
		return hvx86_raise_ud(vcpu);
	if (op <= 1) {
		/* sgdt / sidt */
		HVX86_TRY(hvx86_write_mem(vcpu, insn->ea_seg, insn->ea, 2,
					  table->limit));
		return hvx86_write_mem(vcpu, insn->ea_seg, address, base_size,
				       table->base);
	}
	HVX86_TRY(require_cpl0(vcpu));
	HVX86_TRY(hvx86_read_mem(vcpu, insn->ea_seg, insn->ea, 2, &limit));
	HVX86_TRY(hvx86_read_mem(vcpu, insn->ea_seg, address, base_size, &base));
	if (base_size == 4 && insn->op_size == 2)
		base &= 0xffffff;
	table->limit = (u16)limit;
	table->base = base;
	return HVX86_OK;
}

int hvx86_exec_group7(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int op = insn->reg & 7;
	u64 value;

	if (insn->mod == 3) {
		switch (insn->modrm) {
		case 0xc1: case 0xd9:
			/* vmcall / vmmcall: hypercall intercept */
			return hvx86_stop(vcpu, HVX86_EXIT_VMCALL);
		case 0xf8:
			if (!hvx86_is_long64(vcpu))
				return hvx86_raise_ud(vcpu);
			HVX86_TRY(require_cpl0(vcpu));
			value = regs->seg[HVX86_SEG_GS].base;
			regs->seg[HVX86_SEG_GS].base = regs->kernel_gs_base;
			regs->kernel_gs_base = value;
			return HVX86_OK;
		}
		if (op != 4 && op != 6)
			return hvx86_unsupported(vcpu);
	}
	switch (op) {
	case 0: case 1: case 2: case 3:
		return descriptor_table(vcpu, op);
	case 4:
		return hvx86_rm_write(vcpu, insn->mem ? 2 : insn->op_size,
				      regs->cr0);
	case 6:
		HVX86_TRY(require_cpl0(vcpu));
		HVX86_TRY(hvx86_rm_read(vcpu, 2, &value));
		/* LMSW cannot clear PE */
		value = (regs->cr0 & ~0xeULL) | (value & 0xf) |
			(regs->cr0 & HVX86_CR0_PE);
		return write_cr(vcpu, 0, value);
	case 7:
		return require_cpl0(vcpu);	/* invlpg: no TLB */
	default:
		return hvx86_unsupported(vcpu);
	}
}

static int group6(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int op = insn->reg & 7;
	u64 value;

	if (!hvx86_is_protected(vcpu))
		return hvx86_raise_ud(vcpu);
	switch (op) {
	case 0: case 1:
		value = op ? regs->tr.selector : regs->ldtr.selector;
		return hvx86_rm_write(vcpu, insn->mem ? 2 : insn->op_size, value);
	case 2: case 3:
		HVX86_TRY(require_cpl0(vcpu));
		HVX86_TRY(hvx86_rm_read(vcpu, 2, &value));
		return hvx86_load_system_segment(vcpu, op == 3, (u16)value);
	default:
		return hvx86_unsupported(vcpu);
	}
}

/* bt/bts/btr/btc; @imm: group 8 form with an immediate bit number */
static int bit_test(struct hvx86_vcpu *vcpu, unsigned int op, bool imm)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = insn->op_size, bits = size * 8;
	u64 offset, value, mask;
	s64 signed_offset;

	if (imm) {
		offset = insn->imm & (bits - 1);
	} else {
		offset = hvx86_reg_read(vcpu, insn->reg, size, true);
		if (insn->mem) {
			signed_offset = (s64)hvx86_sign_extend(offset, size);
			/* arithmetic shift: the byte offset may be negative */
			insn->ea = (insn->ea + (u64)((signed_offset >> 3) &
						     ~(s64)(size - 1))) &
				   hvx86_size_mask(insn->addr_size);
		}
		offset &= bits - 1;
	}
	HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
	mask = 1ULL << offset;
	vcpu->regs.rflags = (vcpu->regs.rflags & ~HVX86_FLAG_CF) |
			    ((value & mask) ? HVX86_FLAG_CF : 0);
	switch (op) {
	case 4:
		return HVX86_OK;
	case 5:
		value |= mask;
		break;
	case 6:
		value &= ~mask;
		break;
	default:
		value ^= mask;
		break;
	}
	return hvx86_rm_write(vcpu, size, value);
}

/* bsf/bsr: ZF=1 and destination unchanged for a zero source. */
static int bit_scan(struct hvx86_vcpu *vcpu, bool reverse)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = insn->op_size, index;
	u64 value;

	HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
	if (!value) {
		vcpu->regs.rflags |= HVX86_FLAG_ZF;
		return HVX86_OK;
	}
	if (reverse) {
		for (index = size * 8 - 1; !(value >> index); index--)
			;
	} else {
		for (index = 0; !((value >> index) & 1); index++)
			;
	}
	vcpu->regs.rflags &= ~HVX86_FLAG_ZF;
	hvx86_reg_write(vcpu, insn->reg, size, true, index);
	return HVX86_OK;
}

static int cmpxchg(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	u64 dest, acc = hvx86_reg_read(vcpu, HVX86_RAX, size, false);

	HVX86_TRY(hvx86_rm_read(vcpu, size, &dest));
	hvx86_alu(vcpu, HVX86_ALU_CMP, acc, dest, size);
	if ((acc & hvx86_size_mask(size)) == dest)
		return hvx86_rm_write(vcpu, size,
				      hvx86_reg_read(vcpu, insn->reg, size,
						     insn->rex));
	/*
	 * On failure a memory destination is written back (the locked cycle
	 * always writes); a register destination is left alone, so its upper
	 * half survives a 32-bit operand size, as on hardware (QEMU TCG agrees;
	 * KVM's instruction emulator zero-extends it instead).
	 */
	if (insn->mem)
		HVX86_TRY(hvx86_rm_write(vcpu, size, dest));
	hvx86_reg_write(vcpu, HVX86_RAX, size, false, dest);
	return HVX86_OK;
}

static int xadd(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	unsigned int size = (insn->opcode & 1) ? insn->op_size : 1;
	u64 dest, src = hvx86_reg_read(vcpu, insn->reg, size, insn->rex), sum;

	HVX86_TRY(hvx86_rm_read(vcpu, size, &dest));
	sum = hvx86_alu(vcpu, HVX86_ALU_ADD, dest, src, size);
	if (insn->mem)
		HVX86_TRY(hvx86_rm_write(vcpu, size, sum));
	hvx86_reg_write(vcpu, insn->reg, size, insn->rex, dest);
	if (!insn->mem)
		hvx86_reg_write(vcpu, insn->rm, size, insn->rex, sum);
	return HVX86_OK;
}

static int exec_0f_simple(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int size = insn->op_size, reg;
	u8 op = insn->opcode;
	u64 value, tsc;

	switch (op) {
	case 0x00:
		return group6(vcpu);
	case 0x01:
		return hvx86_exec_group7(vcpu);
	case 0x0b:
		return hvx86_raise_ud(vcpu);
	case 0x18 ... 0x1f:
		return HVX86_OK;	/* hint nops */
	case 0x20: case 0x22:
		return mov_cr(vcpu, op == 0x22);
	case 0x30: case 0x32:
		return msr_access(vcpu, op == 0x30);
	case 0x31:
		tsc = read_tsc(vcpu);
		hvx86_reg_write(vcpu, HVX86_RAX, 4, true, tsc);
		hvx86_reg_write(vcpu, HVX86_RDX, 4, true, tsc >> 32);
		return HVX86_OK;
	case 0x40 ... 0x4f:
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		if (hvx86_condition(vcpu, op & 15))
			hvx86_reg_write(vcpu, insn->reg, size, true, value);
		else if (size == 4)
			hvx86_reg_write(vcpu, insn->reg, 4, true,
					regs->gpr[insn->reg]);
		return HVX86_OK;
	case 0x90 ... 0x9f:
		return hvx86_rm_write(vcpu, 1, hvx86_condition(vcpu, op & 15));
	case 0xa0: case 0xa8:
		return hvx86_push(vcpu, regs->seg[op == 0xa0 ? HVX86_SEG_FS :
				  HVX86_SEG_GS].selector,
				  hvx86_is_long64(vcpu) ?
				  (insn->opsize_prefix ? 2 : 8) : size);
	case 0xa1: case 0xa9:
		HVX86_TRY(hvx86_pop(vcpu, &value, hvx86_is_long64(vcpu) ?
				    (insn->opsize_prefix ? 2 : 8) : size));
		return hvx86_load_segment(vcpu, op == 0xa1 ? HVX86_SEG_FS :
					  HVX86_SEG_GS, (u16)value);
	case 0xa2:
		return hvx86_stop(vcpu, HVX86_EXIT_CPUID);
	case 0xa3:
		return bit_test(vcpu, 4, false);
	case 0xab:
		return bit_test(vcpu, 5, false);
	case 0xb3:
		return bit_test(vcpu, 6, false);
	case 0xbb:
		return bit_test(vcpu, 7, false);
	case 0xba:
		if ((insn->reg & 7) < 4)
			return hvx86_raise_ud(vcpu);
		return bit_test(vcpu, insn->reg & 7, true);
	case 0xaf:
		HVX86_TRY(hvx86_rm_read(vcpu, size, &value));
		value = hvx86_imul(vcpu, hvx86_reg_read(vcpu, insn->reg, size, true),
				   value, size);
		hvx86_reg_write(vcpu, insn->reg, size, true, value);
		return HVX86_OK;
	case 0xb0: case 0xb1:
		return cmpxchg(vcpu);
	case 0xb6: case 0xb7: case 0xbe: case 0xbf:
		HVX86_TRY(hvx86_rm_read(vcpu, (op & 1) ? 2 : 1, &value));
		if (op >= 0xbe)
			value = hvx86_sign_extend(value, (op & 1) ? 2 : 1);
		hvx86_reg_write(vcpu, insn->reg, size, true, value);
		return HVX86_OK;
	case 0xbc: case 0xbd:
		return bit_scan(vcpu, op == 0xbd);
	case 0xc0: case 0xc1:
		return xadd(vcpu);
	case 0xc8 ... 0xcf:
		reg = (op & 7) | ((insn->rex & 1) << 3);
		value = hvx86_reg_read(vcpu, reg, size, true);
		if (size == 2) {
			value = 0;	/* undefined; what hardware produces */
		} else if (size == 4) {
			value = ((value & 0xff) << 24) | ((value & 0xff00) << 8) |
				((value >> 8) & 0xff00) | ((value >> 24) & 0xff);
		} else {
			u64 swapped = 0;
			unsigned int i;

			for (i = 0; i < 8; i++)
				swapped |= ((value >> (8 * i)) & 0xff) <<
					   (8 * (7 - i));
			value = swapped;
		}
		hvx86_reg_write(vcpu, reg, size, true, value);
		return HVX86_OK;
	default:
		return hvx86_unsupported(vcpu);
	}
}

int hvx86_exec_0f(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	u8 op = insn->opcode;
	u64 next = insn->next_rip;

	if (op >= 0x80 && op <= 0x8f) {
		if (!hvx86_condition(vcpu, op & 15)) {
			vcpu->regs.rip = next;
			return HVX86_OK;
		}
		return hvx86_jump(vcpu, next + insn->imm,
				  hvx86_is_long64(vcpu) ? 8 : insn->op_size);
	}
	HVX86_TRY(exec_0f_simple(vcpu));
	vcpu->regs.rip = insn->next_rip;
	return HVX86_OK;
}
