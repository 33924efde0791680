// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_diff's random case generator: the pseudo-random numbers, a small x86
 * encoder, and the generator of random instruction sequences that tracks
 * which arithmetic flags each leaves undefined (see kvm_diff.c).
 */
#include "kvm_diff.h"

u64 rng_state;
bool hardware_oracle;	/* -H: KVM runs on hardware or TCG, no emulator */

static u64 sign_extend(u64 value, unsigned int size)
{
	unsigned int shift = 64 - size * 8;

	return (u64)((s64)(value << shift) >> shift);
}

u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static u64 rnd_value(void)
{
	static const u64 special[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffULL,
		0x8000000000000000ULL, ~0ULL, 0x100, 0x10000, 0x100000000ULL,
	};

	switch (rnd_below(4)) {
	case 0:
		return special[rnd_below(ARRAY_SIZE(special))];
	case 1:
		return rnd() & 0xff;
	default:
		return rnd();
	}
}

/* ------------------------------------------------------------ encoding */

/* 32-bit default operand and address size (protected or long mode) */
/* An operand of 4 bytes, as opposed to the 16-bit default of real mode. */
static bool size_is_32(unsigned int size)
{
	return size == 4;
}

static bool d32(const struct gen *g)
{
	return g->lay->long_mode || g->lay->prot32;
}

void byte(struct gen *g, u8 value)
{
	if (g->len < g->cap)
		g->out[g->len++] = value;
	else
		g->len = g->cap + 1;	/* overflow, checked by the caller */
}

void imm(struct gen *g, u64 value, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		byte(g, (u8)(value >> (8 * i)));
}

/* register or memory ([base + disp8]) operand */
struct rm {
	bool mem;
	unsigned int reg;
	u8 disp;
};

/*
 * Emit prefixes/REX, @opcode (1 or 2 bytes), ModRM with @reg in the reg
 * field and @rm.  @size is the operand size (1 for byte forms).
 */
static void insn(struct gen *g, unsigned int size, unsigned int opcode,
		 unsigned int reg, struct rm rm, bool byte_rex)
{
	bool lm = g->lay->long_mode;
	u8 rex = 0;

	if (d32(g) && size == 2)
		byte(g, 0x66);
	if (!d32(g) && size == 4)
		byte(g, 0x66);
	if (lm) {
		if (size == 8)
			rex |= 8;
		if (reg & 8)
			rex |= 4;
		if (rm.mem || (rm.reg & 8))
			rex |= 1;
		if (rex || byte_rex)
			byte(g, 0x40 | rex);
	}
	if (opcode > 0xff)
		byte(g, opcode >> 8);
	byte(g, opcode & 0xff);
	if (rm.mem) {
		/* [bx + d8], [ebx + d8] or [r15 + d8] */
		byte(g, 0x40 | ((reg & 7) << 3) | (g->lay->prot32 ? 3 : 7));
		byte(g, rm.disp);
	} else {
		byte(g, 0xc0 | ((reg & 7) << 3) | (rm.reg & 7));
	}
}

/* GPRs the body may write: not rSP, not the window base (BX / R15) */
static unsigned int pick_reg(struct gen *g, unsigned int size, bool byte_rex)
{
	static const u8 long_regs[] = { 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11,
					12, 13, 14 };
	static const u8 long_byte_legacy[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const u8 real_regs[] = { 0, 1, 2, 5, 6, 7 };
	static const u8 real_byte[] = { 0, 1, 2, 4, 5, 6 };

	if (g->lay->long_mode) {
		if (size == 1 && !byte_rex)
			return long_byte_legacy[rnd_below(8)];
		return long_regs[rnd_below(sizeof(long_regs))];
	}
	if (size == 1)
		return real_byte[rnd_below(sizeof(real_byte))];
	return real_regs[rnd_below(sizeof(real_regs))];
}

static unsigned int pick_size(struct gen *g, bool allow_byte)
{
	unsigned int r = rnd_below(allow_byte ? 4 : 3);

	if (g->lay->long_mode)
		return r == 3 ? 1 : (2u << r);		/* 2, 4, 8, 1 */
	return r == 3 ? 1 : (r == 2 ? 2 : 2u << r);	/* 2, 4, 2, 1 */
}

static struct rm pick_rm(struct gen *g, unsigned int size, bool byte_rex,
			 bool allow_mem)
{
	struct rm rm = { 0 };

	if (allow_mem && rnd_below(3) == 0) {
		rm.mem = true;
		rm.disp = (u8)rnd_below(WINDOW / 2 - 8);
	} else {
		rm.reg = pick_reg(g, size, byte_rex);
	}
	return rm;
}

void mov_imm(struct gen *g, unsigned int reg, unsigned int size, u64 value)
{
	bool lm = g->lay->long_mode;

	if (size == 8 && lm) {
		byte(g, 0x48 | ((reg >> 3) & 1));
		byte(g, 0xb8 | (reg & 7));
		imm(g, value, 8);
		return;
	}
	if ((d32(g) && size == 2) || (!d32(g) && size == 4))
		byte(g, 0x66);
	if (lm && (reg & 8))
		byte(g, 0x41);
	if (size == 1) {
		byte(g, 0xb0 | (reg & 7));
		imm(g, value, 1);
		return;
	}
	byte(g, 0xb8 | (reg & 7));
	imm(g, value, size);
}

static u32 cc_flags(unsigned int cc)
{
	static const u32 reads[8] = { F_OF, F_CF, F_ZF, F_CF | F_ZF, F_SF,
				      F_PF, F_SF | F_OF, F_ZF | F_SF | F_OF };

	return reads[(cc >> 1) & 7];
}

/* --------------------------------------------------------- the generator */

struct effect {
	u32 reads;
	u32 writes;
	u32 undefines;
};

static void shift_effect(unsigned int op, unsigned int count, unsigned int size,
			 struct effect *e)
{
	unsigned int masked = count & (size == 8 ? 63 : 31);

	if (!masked)
		return;
	if (op <= 3) {
		e->reads = op >= 2 ? F_CF : 0;
		e->writes = F_CF | (masked == 1 ? F_OF : 0);
		e->undefines = masked == 1 ? 0 : F_OF;
		return;
	}
	e->writes = F_CF | F_SF | F_ZF | F_PF | (masked == 1 ? F_OF : 0);
	e->undefines = F_AF | (masked == 1 ? 0 : F_OF) |
		       (masked >= size * 8 ? F_CF : 0);
}

static void gen_div(struct gen *g, struct effect *e)
{
	unsigned int size = pick_size(g, true), div_reg;
	bool is_signed = rnd_below(2);
	u64 mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
	u64 divisor, high, low;

	do {
		div_reg = pick_reg(g, size, false);
	} while (div_reg == 0 || div_reg == 2 || div_reg == 4);
	divisor = rnd_value() & mask;
	if (is_signed) {
		s64 sd = (s64)sign_extend(divisor, size);

		if (sd >= -1 && sd <= 1)
			divisor = 3;
		low = rnd_value() & mask;
		high = (sign_extend(low, size) >> 63) ? mask : 0;
	} else {
		if (divisor == 0)
			divisor = 7;
		low = rnd_value() & mask;
		high = (rnd_value() & mask) % divisor;
	}
	if (size == 1) {
		if (is_signed)
			low = sign_extend(low, 1) & 0xffff;
		else
			low = (high << 8) | low;
		mov_imm(g, 0, 2, low);
	} else {
		mov_imm(g, 0, size == 8 ? 8 : size, low);
		mov_imm(g, 2, size == 8 ? 8 : size, high);
	}
	mov_imm(g, div_reg, size, divisor);
	insn(g, size, size == 1 ? 0xf6 : 0xf7, is_signed ? 7 : 6,
	     (struct rm){ .reg = div_reg }, false);
	e->undefines = ALL6;
}

static void gen_string(struct gen *g, struct effect *e)
{
	static const u8 ops[] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
	unsigned int size = pick_size(g, true), count = rnd_below(8);
	u8 op = ops[rnd_below(sizeof(ops))] | (size != 1);
	unsigned int rep = rnd_below(3);
	bool lm = g->lay->long_mode;

	/* lea rsi/rdi, [base + 64..127] */
	if (lm)
		byte(g, 0x49);
	byte(g, 0x8d);
	byte(g, g->lay->prot32 ? 0x73 : 0x77);
	byte(g, 64 + rnd_below(64));
	if (lm)
		byte(g, 0x49);
	byte(g, 0x8d);
	byte(g, g->lay->prot32 ? 0x7b : 0x7f);
	byte(g, 64 + rnd_below(64));
	mov_imm(g, 1, d32(g) ? 4 : 2, count);
	byte(g, rnd_below(2) ? 0xfc : 0xfd);
	if (rep)
		byte(g, rep == 1 ? 0xf3 : 0xf2);
	if (size == 2 && d32(g))
		byte(g, 0x66);
	if (size == 4 && !d32(g))
		byte(g, 0x66);
	if (size == 8)
		byte(g, 0x48);
	byte(g, op);
	if ((op & 0xfe) == 0xa6 || (op & 0xfe) == 0xae) {
		if (!rep || count)
			e->writes = ALL6;
	}
}

static void gen_insn(struct gen *g, struct effect *e, bool allow_branch);

static void gen_branch(struct gen *g, struct effect *e)
{
	struct effect inner = { 0 };
	u8 *saved_out = g->out;
	unsigned int saved_len = g->len, cc = rnd_below(16), inner_len;
	u8 buf[MAX_SEQ_CODE];
	bool jcxz = rnd_below(6) == 0;

	/* generate the skipped instruction into a scratch buffer */
	g->out = buf;
	g->len = 0;
	gen_insn(g, &inner, false);
	inner_len = g->len;
	g->out = saved_out;
	g->len = saved_len;
	if (jcxz) {
		byte(g, 0xe3);
	} else {
		byte(g, 0x70 | cc);
		e->reads = cc_flags(cc);
	}
	byte(g, (u8)inner_len);
	memcpy(g->out + g->len, buf, inner_len);
	g->len += inner_len;
	e->reads |= inner.reads;
	e->undefines = inner.undefines;
	/* the inner writes may or may not have happened: not "defined" */
}

/* Emit one instruction (or a short self-contained group) and its effect. */
static void gen_insn(struct gen *g, struct effect *e, bool allow_branch)
{
	bool lm = g->lay->long_mode, byte_rex = lm && rnd_below(2);
	unsigned int kind = rnd_below(allow_branch ? 22 : 21);
	unsigned int size = pick_size(g, true), op, reg, cc;
	struct rm rm;

	if (!allow_branch && kind >= 20)
		kind = rnd_below(20);
	memset(e, 0, sizeof(*e));
	rm = pick_rm(g, size, byte_rex, true);
	if (lm && size == 1 && rm.mem)
		byte_rex = true;	/* REX.B is needed: no AH..BH */
	reg = pick_reg(g, size, byte_rex);
	switch (kind) {
	case 0: case 1: case 2:		/* ALU r/m,r and r,r/m */
		op = rnd_below(8);
		insn(g, size, op * 8 + (size != 1) + (rnd_below(2) ? 2 : 0),
		     reg, rm, byte_rex);
		goto alu_effect;
	case 3:				/* ALU r/m,imm */
		op = rnd_below(8);
		if (size == 1) {
			insn(g, 1, 0x80, op, rm, byte_rex);
			imm(g, rnd_value(), 1);
		} else if (rnd_below(2)) {
			insn(g, size, 0x83, op, rm, byte_rex);
			imm(g, rnd_value(), 1);
		} else {
			insn(g, size, 0x81, op, rm, byte_rex);
			imm(g, rnd_value(), size == 2 ? 2 : 4);
		}
alu_effect:
		e->reads = (op == 2 || op == 3) ? F_CF : 0;
		e->undefines = (op == 1 || op == 4 || op == 6) ? F_AF : 0;
		e->writes = ALL6 & ~e->undefines;
		break;
	case 4:				/* test, inc/dec, neg/not */
		switch (rnd_below(4)) {
		case 0:
			insn(g, size, size == 1 ? 0x84 : 0x85, reg, rm, byte_rex);
			e->writes = ALL6 & ~F_AF;
			e->undefines = F_AF;
			break;
		case 1:
			insn(g, size, size == 1 ? 0xfe : 0xff, rnd_below(2), rm,
			     byte_rex);
			e->writes = ALL6 & ~F_CF;
			break;
		default:
			op = 2 + rnd_below(2);
			insn(g, size, size == 1 ? 0xf6 : 0xf7, op, rm, byte_rex);
			e->writes = op == 3 ? ALL6 : 0;
			break;
		}
		break;
	case 5: case 6: {		/* shifts and rotates */
		unsigned int count, form = rnd_below(3);

		op = rnd_below(8);
		count = rnd_below(4) ? rnd_below(size * 8 + 2) : rnd_below(256);
		if (form == 0) {
			insn(g, size, size == 1 ? 0xc0 : 0xc1, op, rm, byte_rex);
			imm(g, count, 1);
		} else if (form == 1) {
			count = 1;
			insn(g, size, size == 1 ? 0xd0 : 0xd1, op, rm, byte_rex);
		} else {
			if (!rm.mem && (rm.reg & 7) == 1)
				rm.reg = 0;
			if (!rm.mem && size == 1 && !byte_rex && rm.reg == 5)
				rm.reg = 0;	/* CH */
			mov_imm(g, 1, 1, count);
			insn(g, size, size == 1 ? 0xd2 : 0xd3, op, rm, byte_rex);
		}
		shift_effect(op, count, size, e);
		break;
	}
	case 7:				/* mul / imul (one operand) */
		insn(g, size, size == 1 ? 0xf6 : 0xf7, 4 + rnd_below(2), rm,
		     byte_rex);
		e->writes = F_CF | F_OF;
		e->undefines = F_SF | F_ZF | F_AF | F_PF;
		break;
	case 8:
		gen_div(g, e);
		break;
	case 9:				/* imul two and three operands */
		if (size == 1)
			size = 4;
		reg = pick_reg(g, size, false);
		rm = pick_rm(g, size, false, true);
		switch (rnd_below(3)) {
		case 0:
			insn(g, size, 0x0faf, reg, rm, false);
			break;
		case 1:
			insn(g, size, 0x6b, reg, rm, false);
			imm(g, rnd_value(), 1);
			break;
		default:
			insn(g, size, 0x69, reg, rm, false);
			imm(g, rnd_value(), size == 2 ? 2 : 4);
			break;
		}
		e->writes = F_CF | F_OF;
		e->undefines = F_SF | F_ZF | F_AF | F_PF;
		break;
	case 10: {			/* lea with random addressing */
		u8 modrm, sib, mod = rnd_below(3);

		if (size == 1)
			size = lm ? 8 : 2;
		reg = pick_reg(g, size, false);
		if (!lm && rnd_below(2)) {
			/* 16-bit addressing forms */
			unsigned int rm16 = rnd_below(8);

			if (g->lay->prot32)
				byte(g, 0x67);
			if (d32(g) != size_is_32(size))
				byte(g, 0x66);
			byte(g, 0x8d);
			byte(g, (mod << 6) | ((reg & 7) << 3) | rm16);
			if (mod == 1)
				imm(g, rnd(), 1);
			else if (mod == 2 || rm16 == 6)
				imm(g, rnd(), 2);
			break;
		}
		if (!d32(g))
			byte(g, 0x67);
		else if (lm && rnd_below(4) == 0)
			byte(g, 0x67);
		if (size == 2 && d32(g))
			byte(g, 0x66);
		if (size == 4 && !d32(g))
			byte(g, 0x66);
		if (lm)
			byte(g, 0x40 | (size == 8 ? 8 : 0) | ((reg >> 1) & 4) |
			     (u8)rnd_below(4));
		byte(g, 0x8d);
		modrm = (mod << 6) | ((reg & 7) << 3) | rnd_below(8);
		byte(g, modrm);
		sib = (u8)rnd();
		if ((modrm & 7) == 4)
			byte(g, sib);
		if (mod == 1)
			imm(g, rnd(), 1);
		else if (mod == 2 || (modrm & 7) == 5 ||
			 ((modrm & 7) == 4 && (sib & 7) == 5))
			imm(g, rnd(), 4);
		break;
	}
	case 11:			/* mov forms */
		switch (rnd_below(5)) {
		case 0:
			mov_imm(g, reg, size, rnd_value());
			break;
		case 1:
			insn(g, size, (size == 1 ? 0x88 : 0x89) |
			     (rnd_below(2) ? 2 : 0), reg, rm, byte_rex);
			break;
		case 2:
			insn(g, size, size == 1 ? 0xc6 : 0xc7, 0, rm, byte_rex);
			imm(g, rnd_value(), size == 8 ? 4 : size);
			break;
		case 3:
			if (size == 1)
				size = 4;
			reg = pick_reg(g, size, false);
			op = 0x0fb6 | (rnd_below(2) ? 8 : 0) | rnd_below(2);
			rm = pick_rm(g, op & 1 ? 2 : 1, byte_rex, true);
			if (size == 2)
				op &= ~1u;
			if (!(op & 1) && !byte_rex && !rm.mem)
				rm.reg &= 7;
			insn(g, size, op, reg, rm, byte_rex && !(op & 1));
			break;
		default:
			if (!lm)
				break;
			reg = pick_reg(g, 8, false);
			rm = pick_rm(g, 4, false, true);
			insn(g, 8, 0x63, reg, rm, false);
			break;
		}
		break;
	case 12: {			/* bt, bts, btr, btc */
		if (size == 1)
			size = 4;
		reg = pick_reg(g, size, false);
		rm = pick_rm(g, size, false, true);
		op = rnd_below(4);
		if (rnd_below(2)) {
			insn(g, size, 0x0fba, 4 + op, rm, false);
			imm(g, rnd(), 1);
		} else {
			if (rm.mem) {
				mov_imm(g, reg, size, rnd_below(8 * 64));
				rm.disp = rnd_below(32);
			}
			insn(g, size, 0x0fa3 + op * 8, reg, rm, false);
		}
		e->writes = F_CF;
		e->undefines = F_OF | F_SF | F_AF | F_PF;
		break;
	}
	case 13:			/* setcc, cmovcc */
		cc = rnd_below(16);
		e->reads = cc_flags(cc);
		if (rnd_below(2)) {
			rm = pick_rm(g, 1, byte_rex, true);
			insn(g, 1, 0x0f90 | cc, 0, rm, byte_rex);
		} else {
			if (size == 1)
				size = 4;
			reg = pick_reg(g, size, false);
			rm = pick_rm(g, size, false, true);
			insn(g, size, 0x0f40 | cc, reg, rm, false);
		}
		break;
	case 14:			/* xchg, xadd, cmpxchg */
		switch (rnd_below(3)) {
		case 0:
			insn(g, size, size == 1 ? 0x86 : 0x87, reg, rm, byte_rex);
			break;
		case 1:
			insn(g, size, size == 1 ? 0x0fc0 : 0x0fc1, reg, rm,
			     byte_rex);
			e->writes = ALL6;
			break;
		default:
			/*
			 * KVM's instruction emulator writes a failed 32-bit
			 * cmpxchg's register destination back (zero-extending
			 * it); hardware and QEMU TCG leave it alone.
			 */
			if (lm && size == 4 && !rm.mem && !hardware_oracle)
				size = 8;
			insn(g, size, size == 1 ? 0x0fb0 : 0x0fb1, reg, rm,
			     byte_rex);
			e->writes = ALL6;
			break;
		}
		break;
	case 15: {			/* push / pop pairs, flags through the stack */
		unsigned int ssize = lm ? 8 : (d32(g) ? 4 : 2);

		switch (rnd_below(4)) {
		case 0:
			if (lm && (reg & 8))
				byte(g, 0x41);
			if (!lm && (size == 2 || size == 4) && size != ssize) {
				byte(g, 0x66);	/* the other operand size */
				ssize = size;
			}
			byte(g, 0x50 | (reg & 7));
			reg = pick_reg(g, ssize, false);
			if (lm && (reg & 8))
				byte(g, 0x41);
			if (!lm && d32(g) != size_is_32(ssize))
				byte(g, 0x66);
			byte(g, 0x58 | (reg & 7));
			break;
		case 1:
			byte(g, 0x68);
			imm(g, rnd_value(), d32(g) ? 4 : 2);
			rm = pick_rm(g, ssize, false, true);
			insn(g, d32(g) ? 4 : 2, 0x8f, 0, rm, false);
			break;
		case 2:
			/* push imm; popf: defines all flags (no TF/IF) */
			byte(g, 0x68);
			imm(g, (rnd() & (ALL6 | F_DF)) | 2, d32(g) ? 4 : 2);
			byte(g, 0x9d);
			e->writes = ALL6;
			break;
		default:
			byte(g, 0x9c);
			reg = pick_reg(g, ssize, false);
			if (lm && (reg & 8))
				byte(g, 0x41);
			byte(g, 0x58 | (reg & 7));
			e->reads = ALL6;
			break;
		}
		break;
	}
	case 16:
		gen_string(g, e);
		break;
	case 17:			/* cbw/cwd family, bswap, lahf/sahf, flags */
		switch (rnd_below(5)) {
		case 0:
			if (size == 1)
				size = 2;
			if ((d32(g) && size == 2) || (!d32(g) && size == 4))
				byte(g, 0x66);
			if (size == 8)
				byte(g, 0x48);
			byte(g, 0x98 | rnd_below(2));
			break;
		case 1:
			if (size < 4)
				size = 4;
			reg = pick_reg(g, size, false);
			if (!d32(g))
				byte(g, 0x66);
			if (lm && (size == 8 || (reg & 8)))
				byte(g, 0x40 | (size == 8 ? 8 : 0) | (reg >> 3));
			byte(g, 0x0f);
			byte(g, 0xc8 | (reg & 7));
			break;
		case 2:
			byte(g, 0x9f);
			e->reads = F_SF | F_ZF | F_AF | F_PF | F_CF;
			break;
		case 3:
			byte(g, 0x9e);
			e->writes = F_SF | F_ZF | F_AF | F_PF | F_CF;
			break;
		default:
			op = rnd_below(3);
			byte(g, op == 0 ? 0xf5 : 0xf7 + op);	/* cmc clc stc */
			e->reads = op == 0 ? F_CF : 0;
			e->writes = F_CF;
			break;
		}
		break;
	case 18: {			/* loop over one ALU op */
		unsigned int start, count = 1 + rnd_below(4);

		mov_imm(g, 1, d32(g) ? 4 : 2, count);
		start = g->len;
		if (lm)
			byte(g, 0x48);
		else if (rnd_below(2))
			byte(g, 0x66);
		op = rnd_below(8);
		byte(g, op * 8 + 1);
		do {
			reg = pick_reg(g, 4, false);
		} while (reg == 1 || reg > 7);
		byte(g, 0xc0 | (reg << 3) | (u8)(reg == 0 ? 2 : 0));
		byte(g, 0xe0 + rnd_below(3));	/* loopne, loope, loop */
		byte(g, (u8)(start - (g->len + 1)));
		/* the op may read CF, set by the previous iteration */
		e->reads = ALL6;
		e->undefines = (op == 1 || op == 4 || op == 6) ? F_AF : 0;
		e->writes = ALL6 & ~e->undefines;
		break;
	}
	case 19:			/* enter / leave, xlat, bsf / bsr */
		switch (rnd_below(3)) {
		case 0:
			byte(g, 0xc8);
			imm(g, rnd_below(64), 2);
			byte(g, 0);
			byte(g, 0xc9);
			break;
		case 1:
			if (lm) {
				/* lea rbx, [r15 + d8]: xlat reads [rbx + al] */
				byte(g, 0x49);
				byte(g, 0x8d);
				byte(g, 0x5f);
				byte(g, (u8)rnd_below(64));
			}
			byte(g, 0xd7);
			break;
		default: {
			unsigned int src;

			if (size == 1)
				size = 4;
			reg = pick_reg(g, size, false);
			src = pick_reg(g, size, false);
			/* a zero source leaves the destination undefined */
			mov_imm(g, src, size, rnd_value() | (1ULL << rnd_below(size * 8)));
			insn(g, size, 0x0fbc + rnd_below(2), reg,
			     (struct rm){ .reg = src }, false);
			e->writes = F_ZF;
			e->undefines = F_CF | F_OF | F_SF | F_AF | F_PF;
			break;
		}
		}
		break;
	default:
		gen_branch(g, e);
		break;
	}
}

/* Build one sequence's body, tracking undefined flags. */
void gen_sequence(const struct layout *lay, struct sequence *seq)
{
	struct gen g = { .lay = lay, .out = seq->body, .cap = MAX_SEQ_CODE };
	unsigned int i, n = 4 + rnd_below(16);
	struct effect e;
	u8 scratch[MAX_SEQ_CODE];

	for (i = 0; i < 16; i++)
		seq->regs[i] = rnd_value();
	seq->flags = (rnd() & (ALL6 | F_DF)) | 2;
	seq->insns = 0;
	for (i = 0; i < n && g.len < MAX_SEQ_CODE - 64; i++) {
		unsigned int start = g.len, len;

		gen_insn(&g, &e, true);
		if (e.reads & g.undefined) {
			/* redefine the flags first: cmp eax, ecx */
			len = g.len - start;
			memcpy(scratch, g.out + start, len);
			g.out[start] = 0x39;
			g.out[start + 1] = 0xc8;
			memcpy(g.out + start + 2, scratch, len);
			g.len += 2;
			g.undefined = 0;
		}
		g.undefined = (g.undefined & ~e.writes) | e.undefines;
		seq->undefined_after[seq->insns] = g.undefined;
		seq->insn_end[seq->insns++] = g.len;
	}
	seq->body_len = g.len;
	seq->undefined = g.undefined;
}
