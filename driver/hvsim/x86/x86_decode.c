// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: instruction decoder.
 *
 * Reads prefixes, opcode, ModRM/SIB, displacement and immediates through
 * hvx86_fetch(), and computes the effective address of a memory operand.
 */
#include "x86_internal.h"

/* Operand-encoding attributes of an opcode */
#define OP_MODRM	0x01	/* has a ModRM byte */
#define OP_IMM8		0x02	/* imm8 */
#define OP_IMMZ		0x04	/* imm16 or imm32 (by operand size) */
#define OP_IMM16	0x08	/* imm16 */
#define OP_MOFFS	0x10	/* offset of address size */
#define OP_IMMV		0x20	/* imm16/32/64 (B8-BF) */
#define OP_FAR		0x40	/* ptr16:16 or ptr16:32 */
#define OP_BAD		0x80	/* not in the subset, or invalid: #UD */

static const u8 one_byte_attrs[256] = {
	[0x00 ... 0x03] = OP_MODRM, [0x04] = OP_IMM8, [0x05] = OP_IMMZ,
	[0x08 ... 0x0b] = OP_MODRM, [0x0c] = OP_IMM8, [0x0d] = OP_IMMZ,
	[0x10 ... 0x13] = OP_MODRM, [0x14] = OP_IMM8, [0x15] = OP_IMMZ,
	[0x18 ... 0x1b] = OP_MODRM, [0x1c] = OP_IMM8, [0x1d] = OP_IMMZ,
	[0x20 ... 0x23] = OP_MODRM, [0x24] = OP_IMM8, [0x25] = OP_IMMZ,
	[0x28 ... 0x2b] = OP_MODRM, [0x2c] = OP_IMM8, [0x2d] = OP_IMMZ,
	[0x30 ... 0x33] = OP_MODRM, [0x34] = OP_IMM8, [0x35] = OP_IMMZ,
	[0x38 ... 0x3b] = OP_MODRM, [0x3c] = OP_IMM8, [0x3d] = OP_IMMZ,
	[0x27] = OP_BAD, [0x2f] = OP_BAD, [0x37] = OP_BAD, [0x3f] = OP_BAD,
	[0x60 ... 0x62] = OP_BAD, [0x63] = OP_MODRM,
	[0x68] = OP_IMMZ, [0x69] = OP_MODRM | OP_IMMZ,
	[0x6a] = OP_IMM8, [0x6b] = OP_MODRM | OP_IMM8,
	[0x70 ... 0x7f] = OP_IMM8,
	[0x80] = OP_MODRM | OP_IMM8, [0x81] = OP_MODRM | OP_IMMZ,
	[0x82] = OP_MODRM | OP_IMM8, [0x83] = OP_MODRM | OP_IMM8,
	[0x84 ... 0x8f] = OP_MODRM,
	[0x9a] = OP_FAR, [0x9b] = OP_BAD,
	[0xa0 ... 0xa3] = OP_MOFFS,
	[0xa8] = OP_IMM8, [0xa9] = OP_IMMZ,
	[0xb0 ... 0xb7] = OP_IMM8, [0xb8 ... 0xbf] = OP_IMMV,
	[0xc0 ... 0xc1] = OP_MODRM | OP_IMM8,
	[0xc2] = OP_IMM16, [0xc4 ... 0xc5] = OP_BAD,
	[0xc6] = OP_MODRM | OP_IMM8, [0xc7] = OP_MODRM | OP_IMMZ,
	[0xc8] = OP_IMM16 | OP_IMM8, [0xca] = OP_IMM16, [0xcd] = OP_IMM8,
	[0xd0 ... 0xd3] = OP_MODRM, [0xd4 ... 0xd6] = OP_BAD,
	[0xd8 ... 0xdf] = OP_BAD,
	[0xe0 ... 0xe7] = OP_IMM8, [0xe8 ... 0xe9] = OP_IMMZ,
	[0xea] = OP_FAR, [0xeb] = OP_IMM8, [0xf1] = OP_BAD,
	[0xf6 ... 0xf7] = OP_MODRM, [0xfe ... 0xff] = OP_MODRM,
};

/* In this table OP_BAD is inverted: listed opcodes carry OP_VALID */
#define OP_VALID	OP_BAD
static const u8 two_byte_attrs[256] = {
	[0x00 ... 0x01] = OP_VALID | OP_MODRM,
	[0x0b] = OP_VALID,
	[0x18 ... 0x1f] = OP_VALID | OP_MODRM,
	[0x20] = OP_VALID | OP_MODRM, [0x22] = OP_VALID | OP_MODRM,
	[0x30 ... 0x32] = OP_VALID,
	[0x40 ... 0x4f] = OP_VALID | OP_MODRM,
	[0x80 ... 0x8f] = OP_VALID | OP_IMMZ,
	[0x90 ... 0x9f] = OP_VALID | OP_MODRM,
	[0xa0 ... 0xa2] = OP_VALID, [0xa3] = OP_VALID | OP_MODRM,
	[0xa8 ... 0xa9] = OP_VALID, [0xab] = OP_VALID | OP_MODRM,
	[0xaf] = OP_VALID | OP_MODRM,
	[0xb0 ... 0xb1] = OP_VALID | OP_MODRM, [0xb3] = OP_VALID | OP_MODRM,
	[0xb6 ... 0xb7] = OP_VALID | OP_MODRM,
	[0xba] = OP_VALID | OP_MODRM | OP_IMM8,
	[0xbb ... 0xbf] = OP_VALID | OP_MODRM,
	[0xc0 ... 0xc1] = OP_VALID | OP_MODRM,
	[0xc8 ... 0xcf] = OP_VALID,
};

/* One-byte opcodes that are invalid in 64-bit mode */
static bool invalid_in_long64(u8 opcode)
{
	switch (opcode) {
	case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17:
	case 0x1e: case 0x1f: case 0x82: case 0x9a: case 0xce: case 0xea:
		return true;
	default:
		return false;
	}
}

static int fetch_imm(struct hvx86_vcpu *vcpu, unsigned int size, u64 *value)
{
	u64 result = 0;
	unsigned int i;
	u8 byte;

	for (i = 0; i < size; i++) {
		HVX86_TRY(hvx86_fetch(vcpu, &byte));
		result |= (u64)byte << (8 * i);
	}
	*value = result;
	return HVX86_OK;
}

/* Decode ModRM/SIB/displacement; returns the displacement-only part. */
static int decode_modrm(struct hvx86_vcpu *vcpu, u64 *base_value, s64 *disp,
			bool *rip_relative)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	const u64 *gpr = vcpu->regs.gpr;
	unsigned int rm_field, mod;
	u64 value = 0, raw;
	u8 sib;

	*rip_relative = false;
	HVX86_TRY(hvx86_fetch(vcpu, &insn->modrm));
	mod = insn->modrm >> 6;
	insn->mod = mod;
	insn->reg = ((insn->modrm >> 3) & 7) | ((insn->rex & 4) << 1);
	rm_field = insn->modrm & 7;
	if (mod == 3) {
		insn->rm = rm_field | ((insn->rex & 1) << 3);
		insn->mem = false;
		return HVX86_OK;
	}
	insn->mem = true;
	insn->ea_seg = HVX86_SEG_DS;

	if (insn->addr_size == 2) {
		static const u8 base16[8] = { HVX86_RBX, HVX86_RBX, HVX86_RBP, HVX86_RBP,
					      HVX86_RSI, HVX86_RDI, HVX86_RBP, HVX86_RBX };
		static const u8 index16[8] = { HVX86_RSI, HVX86_RDI, HVX86_RSI, HVX86_RDI,
					       0xff, 0xff, 0xff, 0xff };

		if (mod == 0 && rm_field == 6) {
			HVX86_TRY(fetch_imm(vcpu, 2, &raw));
			*disp = (s16)raw;
		} else {
			value = gpr[base16[rm_field]] & 0xffff;
			if (index16[rm_field] != 0xff)
				value += gpr[index16[rm_field]] & 0xffff;
			if (rm_field == 2 || rm_field == 3 || rm_field == 6)
				insn->ea_seg = HVX86_SEG_SS;
			if (mod == 1) {
				HVX86_TRY(fetch_imm(vcpu, 1, &raw));
				*disp = (s8)raw;
			} else if (mod == 2) {
				HVX86_TRY(fetch_imm(vcpu, 2, &raw));
				*disp = (s16)raw;
			}
		}
		*base_value = value;
		return HVX86_OK;
	}

	if (rm_field == 4) {
		unsigned int index, base, scale;

		HVX86_TRY(hvx86_fetch(vcpu, &sib));
		scale = sib >> 6;
		index = ((sib >> 3) & 7) | ((insn->rex & 2) << 2);
		base = (sib & 7) | ((insn->rex & 1) << 3);
		if (index != 4)
			value = gpr[index] << scale;
		if ((sib & 7) == 5 && mod == 0) {
			HVX86_TRY(fetch_imm(vcpu, 4, &raw));
			*disp = (s32)raw;
		} else {
			value += gpr[base];
			if (base == HVX86_RSP || base == HVX86_RBP)
				insn->ea_seg = HVX86_SEG_SS;
		}
	} else if (rm_field == 5 && mod == 0) {
		HVX86_TRY(fetch_imm(vcpu, 4, &raw));
		*disp = (s32)raw;
		*rip_relative = hvx86_is_long64(vcpu);
	} else {
		unsigned int base = rm_field | ((insn->rex & 1) << 3);

		value = gpr[base];
		if (base == HVX86_RSP || base == HVX86_RBP)
			insn->ea_seg = HVX86_SEG_SS;
	}
	if (mod == 1) {
		HVX86_TRY(fetch_imm(vcpu, 1, &raw));
		*disp = (s8)raw;
	} else if (mod == 2) {
		HVX86_TRY(fetch_imm(vcpu, 4, &raw));
		*disp = (s32)raw;
	}
	*base_value = value;
	return HVX86_OK;
}

static int decode_prefixes(struct hvx86_vcpu *vcpu, u8 *opcode)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	bool long64 = hvx86_is_long64(vcpu);
	u8 byte;

	for (;;) {
		HVX86_TRY(hvx86_fetch(vcpu, &byte));
		if (long64 && (byte & 0xf0) == 0x40) {
			insn->rex = byte;
			continue;
		}
		switch (byte) {
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			insn->seg_override = (byte >> 3) & 3;
			break;
		case 0x64: case 0x65:
			insn->seg_override = byte - 0x64 + HVX86_SEG_FS;
			break;
		case 0x66:
			insn->opsize_prefix = true;
			break;
		case 0x67:
			insn->addr_size = long64 ? 4 :
					  (insn->addr_size == 2 ? 4 : 2);
			break;
		case 0xf0:
			insn->lock = true;
			break;
		case 0xf2: case 0xf3:
			insn->rep = byte;
			break;
		default:
			*opcode = byte;
			return HVX86_OK;
		}
		/* REX counts only right before the opcode */
		insn->rex = 0;
	}
}

int hvx86_decode(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	bool long64 = hvx86_is_long64(vcpu);
	bool rip_relative = false;
	u64 base_value = 0;
	s64 disp = 0;
	unsigned int default32;
	u8 opcode, attrs;

	insn->seg_override = -1;
	/* in real mode the CS cache decides too (as on hardware) */
	default32 = long64 ||
		    (vcpu->regs.seg[HVX86_SEG_CS].attributes & HVX86_SEG_DB);
	insn->addr_size = long64 ? 8 : (default32 ? 4 : 2);

	HVX86_TRY(decode_prefixes(vcpu, &opcode));
	if (long64 && (insn->rex & 8))
		insn->op_size = 8;
	else if (default32)
		insn->op_size = insn->opsize_prefix ? 2 : 4;
	else
		insn->op_size = insn->opsize_prefix ? 4 : 2;

	if (opcode == 0x0f) {
		insn->map = 1;
		HVX86_TRY(hvx86_fetch(vcpu, &opcode));
		attrs = two_byte_attrs[opcode] ^ OP_VALID;
	} else {
		attrs = one_byte_attrs[opcode];
		if (long64 && invalid_in_long64(opcode))
			attrs = OP_BAD;
	}
	insn->opcode = opcode;
	if (attrs & OP_BAD)
		return hvx86_unsupported(vcpu);

	if (attrs & OP_MODRM) {
		insn->has_modrm = true;
		HVX86_TRY(decode_modrm(vcpu, &base_value, &disp, &rip_relative));
	}

	if (attrs & OP_IMM16)
		HVX86_TRY(fetch_imm(vcpu, 2, &insn->imm));
	if (attrs & OP_IMM8) {
		if (attrs & OP_IMM16)
			HVX86_TRY(fetch_imm(vcpu, 1, &insn->imm2));
		else
			HVX86_TRY(fetch_imm(vcpu, 1, &insn->imm));
	}
	if (attrs & OP_IMMZ) {
		HVX86_TRY(fetch_imm(vcpu, insn->op_size == 2 ? 2 : 4, &insn->imm));
		if (insn->op_size != 2)
			insn->imm = (u64)(s64)(s32)insn->imm;
	}
	if (attrs & OP_IMMV)
		HVX86_TRY(fetch_imm(vcpu, insn->op_size, &insn->imm));
	if (attrs & OP_MOFFS)
		HVX86_TRY(fetch_imm(vcpu, insn->addr_size, &insn->imm));
	if (attrs & OP_FAR) {
		HVX86_TRY(fetch_imm(vcpu, insn->op_size == 2 ? 2 : 4, &insn->imm));
		HVX86_TRY(fetch_imm(vcpu, 2, &insn->imm2));
	}
	/* group 3 TEST carries an immediate that depends on ModRM.reg */
	if (insn->map == 0 && (opcode == 0xf6 || opcode == 0xf7) &&
	    (insn->reg & 7) < 2) {
		if (opcode == 0xf6) {
			HVX86_TRY(fetch_imm(vcpu, 1, &insn->imm));
		} else {
			HVX86_TRY(fetch_imm(vcpu, insn->op_size == 2 ? 2 : 4,
					    &insn->imm));
			if (insn->op_size != 2)
				insn->imm = (u64)(s64)(s32)insn->imm;
		}
	}

	insn->next_rip = vcpu->regs.rip + insn->len;
	if (!long64)
		insn->next_rip &= 0xffffffffULL;
	if (insn->mem) {
		u64 ea = base_value + (u64)disp;

		if (rip_relative)
			ea = insn->next_rip + (u64)disp;
		insn->ea = ea & hvx86_size_mask(insn->addr_size);
		if (insn->seg_override >= 0)
			insn->ea_seg = insn->seg_override;
	}
	return HVX86_OK;
}
