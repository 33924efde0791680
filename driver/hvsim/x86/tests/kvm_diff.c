// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential tester: random instruction sequences run in the hvsim x86
 * interpreter and in a raw KVM vCPU (/dev/kvm), compared register by
 * register, flag by flag and byte by byte.
 *
 * A batch is one guest program: for each sequence it loads RFLAGS and the
 * GPRs from immediates, runs the random body, and stores all GPRs and
 * RFLAGS into the sequence's result slot; the batch ends with HLT.  The
 * body's memory operands address a private data window through a base
 * register the body never writes (BX in real mode, R15 in long mode).
 * The same memory image runs once in KVM (one KVM_RUN per batch) and once
 * in the interpreter; results and windows are then compared.
 *
 * Undefined flags: the generator tracks, per sequence, which arithmetic
 * flags the SDM leaves undefined (logic ops: AF; shifts: AF, OF unless
 * count 1, CF when count >= width; mul/imul: SF ZF AF PF; div/idiv: all six;
 * bt*: OF SF AF PF).  Before an instruction that reads an undefined flag it
 * emits "cmp eax, ecx" to define them again; flags still undefined at the
 * end are masked out of the comparison.
 *
 * A batch that KVM cannot finish (shutdown, emulation failure) is re-run
 * one sequence at a time to find the culprit; with -l, it is first stepped
 * in lockstep (KVM_GUESTDBG_SINGLESTEP against single interpreter steps)
 * to print the first instruction after which the two disagree.
 *
 * Known differences of KVM's instruction emulator (which runs real-mode and
 * ring-0 guest code on this PVM host) from hardware are not generated
 * unless -H is given (use -H where KVM runs the guest on hardware or on
 * QEMU TCG, e.g. nested kvm_amd in a TCG VM):
 *   - cmpxchg r32, r32 in 64-bit mode that fails: the emulator writes the
 *     destination back, zero-extending it; hardware leaves it unchanged.
 *
 * Usage: kvm_diff [-n COUNT] [-s SEED] [-m real|prot32|long|all] [-v] [-l] [-H]
 * Exit: 0 all agreed, 1 mismatches, 4 (KSFT_SKIP) if /dev/kvm is unusable.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "test_env.h"

#define KSFT_SKIP	4
#define ALL6		0x8d5u		/* CF PF AF ZF SF OF */
#define F_CF		0x001u
#define F_PF		0x004u
#define F_AF		0x010u
#define F_ZF		0x040u
#define F_SF		0x080u
#define F_OF		0x800u
#define F_DF		0x400u

#define WINDOW		256
#define MAX_SEQ_CODE	1024
#define MAX_BATCH	2048
#define MAX_INSNS	64

/* Guest layout per mode */
struct layout {
	const char *name;
	bool long_mode;
	bool prot32;		/* 32-bit protected mode, flat, no paging */
	u64 code;		/* linear address of the batch code */
	u64 code_end;
	u64 data;		/* windows, then result slots */
	u64 code_seg_base;	/* real mode: CS base */
	u64 data_seg_base;	/* real mode: DS base */
	unsigned int batch;	/* sequences per batch */
	unsigned int nregs;	/* GPRs stored per result */
	unsigned int reg_size;	/* bytes per stored GPR */
};

static const struct layout real_layout = {
	.name = "real", .long_mode = false, .code = 0x10000, .code_end = 0x1ff00,
	.data = 0x20000, .code_seg_base = 0x10000, .data_seg_base = 0x20000,
	.batch = 120, .nregs = 8, .reg_size = 4,
};

static const struct layout prot32_layout = {
	.name = "prot32", .prot32 = true, .code = 0x100000, .code_end = 0x1f0000,
	.data = 0x200000, .batch = 1024, .nregs = 8, .reg_size = 4,
};

static const struct layout long_layout = {
	.name = "long", .long_mode = true, .code = 0x100000, .code_end = 0x1f0000,
	.data = 0x200000, .batch = 1024, .nregs = 16, .reg_size = 8,
};

struct sequence {
	u64 regs[16];
	u64 flags;
	u32 undefined;		/* flags undefined at the end */
	u8 body[MAX_SEQ_CODE];
	unsigned int body_len;
	unsigned int insn_end[MAX_INSNS];	/* body offsets after each insn */
	u32 undefined_after[MAX_INSNS];		/* undefined flags after each */
	unsigned int insns;
};

struct gen {
	const struct layout *lay;
	u8 *out;
	unsigned int len;
	unsigned int cap;
	u32 undefined;
	u64 rng;
};

static struct sequence seqs[MAX_BATCH];
static unsigned int seq_start[MAX_BATCH];
static u64 kvm_rip;
static struct test_env env;
static u64 rng_state;
static bool verbose;
static bool fresh_vm = true;
static bool lockstep_on_failure;
static bool hardware_oracle;	/* -H: KVM runs on hardware or TCG, no emulator */

static u64 sign_extend(u64 value, unsigned int size)
{
	unsigned int shift = 64 - size * 8;

	return (u64)((s64)(value << shift) >> shift);
}

static u64 rnd(void)
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

static void byte(struct gen *g, u8 value)
{
	if (g->len < g->cap)
		g->out[g->len++] = value;
	else
		g->len = g->cap + 1;	/* overflow, checked by the caller */
}

static void imm(struct gen *g, u64 value, unsigned int size)
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

static void mov_imm(struct gen *g, unsigned int reg, unsigned int size,
		    u64 value)
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
static void gen_sequence(const struct layout *lay, struct sequence *seq)
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

/* --------------------------------------------------------- batch program */

static u64 result_addr(const struct layout *lay, unsigned int index)
{
	return lay->data + (u64)lay->batch * WINDOW +
	       (u64)index * (lay->nregs + 1) * 8;
}

static u64 window_addr(const struct layout *lay, unsigned int index)
{
	return lay->data + (u64)index * WINDOW;
}

/* Emit "load state; body (first @insns instructions); store state". */
static void emit_sequence(const struct layout *lay, struct gen *g,
			  const struct sequence *seq, unsigned int index,
			  unsigned int insns)
{
	bool lm = lay->long_mode, pm = lay->prot32;
	unsigned int i, body_len;
	u64 res = result_addr(lay, index);

	if (!insns)
		body_len = 0;
	else if (insns >= seq->insns)
		body_len = seq->body_len;
	else
		body_len = seq->insn_end[insns - 1];
	/* flags: push imm; popf */
	byte(g, 0x68);
	imm(g, seq->flags, lm || pm ? 4 : 2);
	byte(g, 0x9d);
	for (i = 0; i < lay->nregs; i++) {
		if (i == HVX86_RSP)
			continue;
		mov_imm(g, i, lm ? 8 : 4, seq->regs[i]);
	}
	/* window base: R15 / EBX / BX (DS-relative offset in real mode) */
	if (lm)
		mov_imm(g, 15, 8, window_addr(lay, index));
	else if (pm)
		mov_imm(g, 3, 4, window_addr(lay, index));
	else
		mov_imm(g, 3, 2, window_addr(lay, index) - lay->data_seg_base);
	memcpy(g->out + g->len, seq->body, body_len);
	g->len += body_len;
	for (i = 0; i < lay->nregs; i++) {
		u64 slot = res + i * 8;

		if (lm) {
			/* mov [disp32], reg */
			byte(g, 0x48 | ((i >> 1) & 4));
			byte(g, 0x89);
			byte(g, 0x04 | ((i & 7) << 3));
			byte(g, 0x25);
			imm(g, slot, 4);
		} else if (pm) {
			/* mov [disp32], reg32 */
			byte(g, 0x89);
			byte(g, 0x05 | ((i & 7) << 3));
			imm(g, slot, 4);
		} else {
			/* mov [disp16], reg32 */
			byte(g, 0x66);
			byte(g, 0x89);
			byte(g, 0x06 | ((i & 7) << 3));
			imm(g, slot - lay->data_seg_base, 2);
		}
	}
	/* pushf; pop [slot] */
	if (lm) {
		byte(g, 0x9c);
		byte(g, 0x8f);
		byte(g, 0x04);
		byte(g, 0x25);
		imm(g, res + lay->nregs * 8, 4);
	} else if (pm) {
		byte(g, 0x9c);
		byte(g, 0x8f);
		byte(g, 0x05);
		imm(g, res + lay->nregs * 8, 4);
	} else {
		byte(g, 0x66);
		byte(g, 0x9c);
		byte(g, 0x66);
		byte(g, 0x8f);
		byte(g, 0x06);
		imm(g, res + lay->nregs * 8 - lay->data_seg_base, 2);
	}
}

/* ------------------------------------------------------------------ KVM */

struct kvm {
	int sys, vm, vcpu;
	struct kvm_run *run;
	int run_size;
	u8 *mem;
};

static struct kvm kvm;

/* struct kvm_regs order (rax rbx rcx rdx rsi rdi rsp rbp r8..) by GPR number */
static const u8 kvm_gpr_index[16] = { 0, 2, 3, 1, 6, 7, 4, 5,
				      8, 9, 10, 11, 12, 13, 14, 15 };

/* struct kvm_regs keeps the GPRs as consecutive __u64s from rax on. */
static __u64 *kvm_gpr(struct kvm_regs *kregs, int hvx86_index)
{
	return &kregs->rax + kvm_gpr_index[hvx86_index];
}

static void kvm_close_vm(void)
{
	if (kvm.run && kvm.run != MAP_FAILED)
		munmap(kvm.run, kvm.run_size);
	if (kvm.mem && kvm.mem != MAP_FAILED)
		munmap(kvm.mem, TEST_MEM_SIZE);
	if (kvm.vcpu > 0)
		close(kvm.vcpu);
	if (kvm.vm > 0)
		close(kvm.vm);
	kvm.run = NULL;
	kvm.mem = NULL;
	kvm.vcpu = -1;
	kvm.vm = -1;
}

/*
 * A fresh VM for every batch (about a millisecond): batches stay
 * independent of each other, including the guest-debug state lockstep
 * mode sets and any shadow paging state keyed on the page tables that
 * each batch rewrites from the host side.
 */
static bool kvm_open_vm(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_cpuid2 *cpuid;
	int run_size;

	kvm_close_vm();
	kvm.vm = ioctl(kvm.sys, KVM_CREATE_VM, 0);
	if (kvm.vm < 0)
		return false;
	ioctl(kvm.vm, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	kvm.mem = mmap(NULL, TEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (kvm.mem == MAP_FAILED)
		return false;
	region.memory_size = TEST_MEM_SIZE;
	region.userspace_addr = (unsigned long)kvm.mem;
	if (ioctl(kvm.vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return false;
	kvm.vcpu = ioctl(kvm.vm, KVM_CREATE_VCPU, 0);
	if (kvm.vcpu < 0)
		return false;
	cpuid = calloc(1, sizeof(*cpuid) + 128 * sizeof(cpuid->entries[0]));
	cpuid->nent = 128;
	if (ioctl(kvm.sys, KVM_GET_SUPPORTED_CPUID, cpuid) == 0)
		ioctl(kvm.vcpu, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	run_size = ioctl(kvm.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0)
		return false;
	kvm.run_size = run_size;
	kvm.run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       kvm.vcpu, 0);
	return kvm.run != MAP_FAILED;
}

static bool kvm_open(void)
{
	kvm.sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm.sys < 0)
		return false;
	if (ioctl(kvm.sys, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return false;
	return kvm_open_vm();
}

static void to_kvm_segment(const struct hvx86_segment *s, struct kvm_segment *k)
{
	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->selector;
	k->type = s->attributes & 0xf;
	k->s = !!(s->attributes & HVX86_SEG_S);
	k->dpl = (s->attributes >> 5) & 3;
	k->present = !!(s->attributes & HVX86_SEG_P);
	k->avl = !!(s->attributes & HVX86_SEG_AVL);
	k->l = !!(s->attributes & HVX86_SEG_L);
	k->db = !!(s->attributes & HVX86_SEG_DB);
	k->g = !!(s->attributes & HVX86_SEG_G);
	k->unusable = !k->present;
}

/* Run the image in KVM from the interpreter's initial register state. */
static int kvm_run_batch(const struct hvx86_regs *regs, char *why, size_t n)
{
	struct kvm_sregs sregs;
	struct kvm_regs kregs;
	unsigned int i;

	if (ioctl(kvm.vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	to_kvm_segment(&regs->seg[HVX86_SEG_CS], &sregs.cs);
	to_kvm_segment(&regs->seg[HVX86_SEG_DS], &sregs.ds);
	to_kvm_segment(&regs->seg[HVX86_SEG_ES], &sregs.es);
	to_kvm_segment(&regs->seg[HVX86_SEG_FS], &sregs.fs);
	to_kvm_segment(&regs->seg[HVX86_SEG_GS], &sregs.gs);
	to_kvm_segment(&regs->seg[HVX86_SEG_SS], &sregs.ss);
	to_kvm_segment(&regs->tr, &sregs.tr);
	to_kvm_segment(&regs->ldtr, &sregs.ldt);
	sregs.tr.type = 11;
	sregs.tr.present = 1;
	sregs.tr.unusable = 0;
	sregs.ldt.type = 2;
	sregs.ldt.present = 1;
	sregs.ldt.unusable = 0;
	sregs.gdt.base = regs->gdtr.base;
	sregs.gdt.limit = regs->gdtr.limit;
	sregs.idt.base = regs->idtr.base;
	sregs.idt.limit = regs->idtr.limit;
	sregs.cr0 = regs->cr0;
	sregs.cr3 = regs->cr3;
	sregs.cr4 = regs->cr4;
	sregs.efer = regs->efer;
	if (ioctl(kvm.vcpu, KVM_SET_SREGS, &sregs) < 0) {
		snprintf(why, n, "KVM_SET_SREGS: %s", strerror(errno));
		return -1;
	}
	memset(&kregs, 0, sizeof(kregs));
	kregs.rip = regs->rip;
	kregs.rflags = regs->rflags;
	for (i = 0; i < 16; i++)
		*kvm_gpr(&kregs, i) = regs->gpr[i];
	if (ioctl(kvm.vcpu, KVM_SET_REGS, &kregs) < 0) {
		snprintf(why, n, "KVM_SET_REGS: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 4; i++) {
		if (ioctl(kvm.vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, n, "KVM_RUN: %s", strerror(errno));
			return -1;
		}
		if (kvm.run->exit_reason == KVM_EXIT_HLT)
			return 0;
		ioctl(kvm.vcpu, KVM_GET_REGS, &kregs);
		kvm_rip = kregs.rip;
		snprintf(why, n, "KVM exit %u at rip 0x%llx (suberror %u, mmio 0x%llx)",
			 kvm.run->exit_reason, (unsigned long long)kregs.rip,
			 kvm.run->exit_reason == KVM_EXIT_INTERNAL_ERROR ?
			 kvm.run->internal.suberror : 0,
			 kvm.run->exit_reason == KVM_EXIT_MMIO ?
			 (unsigned long long)kvm.run->mmio.phys_addr : 0ULL);
		return -1;
	}
	snprintf(why, n, "KVM did not halt");
	return -1;
}

static const char *const reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/*
 * Step KVM (KVM_GUESTDBG_SINGLESTEP) and the interpreter side by side from
 * @initial over the image in env.mem; report the first instruction after
 * which RIP or a GPR differs.
 */
static void compare_in_lockstep(const struct hvx86_regs *initial, unsigned long max_steps)
{
	struct kvm_guest_debug dbg = { 0 };
	struct kvm_regs kregs;
	unsigned long step;
	char why[160];
	u64 prev_rip = initial->rip;
	unsigned int r;

	if (!kvm_open_vm())
		return;
	memcpy(kvm.mem, env.mem, TEST_MEM_SIZE);
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (ioctl(kvm.vcpu, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		printf("# lockstep: KVM_SET_GUEST_DEBUG: %s\n", strerror(errno));
		return;
	}
	env.vcpu.regs = *initial;
	if (kvm_run_batch(initial, why, sizeof(why)) < 0 &&
	    kvm.run->exit_reason != KVM_EXIT_DEBUG) {
		printf("# lockstep: first step: %s\n", why);
		return;
	}
	for (step = 0; step < max_steps; step++) {
		bool differs = false;

		ioctl(kvm.vcpu, KVM_GET_REGS, &kregs);
		/*
		 * Catch the interpreter up.  A rep string instruction is one
		 * element per step here, several (or all) per KVM step.
		 */
		if (kregs.rip == prev_rip) {
			for (r = 0; r < 100000 && env.vcpu.regs.rip == prev_rip &&
			     kregs.rcx != env.vcpu.regs.gpr[HVX86_RCX]; r++)
				hvx86_run(&env.vcpu, 1);
		} else if (env.vcpu.regs.rip == prev_rip) {
			r = 0;
			do {
				hvx86_run(&env.vcpu, 1);
			} while (env.vcpu.regs.rip == prev_rip && ++r < 100000);
		}
		if (kregs.rip != env.vcpu.regs.rip && kregs.rip != prev_rip)
			differs = true;
		for (r = 0; r < 16; r++)
			if (*kvm_gpr(&kregs, r) != env.vcpu.regs.gpr[r])
				differs = true;
		if (differs) {
			u8 bytes[16];

			printf("# lockstep: divergence after step %lu, insn at 0x%llx:",
			       step, (unsigned long long)prev_rip);
			memcpy(bytes, env.mem + prev_rip, 16);
			for (r = 0; r < 12; r++)
				printf(" %02x", bytes[r]);
			printf("\n#   rip interpreter 0x%llx kvm 0x%llx\n",
			       (unsigned long long)env.vcpu.regs.rip,
			       (unsigned long long)kregs.rip);
			printf("#   rflags interpreter 0x%llx kvm 0x%llx\n",
			       (unsigned long long)env.vcpu.regs.rflags,
			       (unsigned long long)kregs.rflags);
			for (r = 0; r < 16; r++)
				if (*kvm_gpr(&kregs, r) != env.vcpu.regs.gpr[r])
					printf("#   %s interpreter 0x%llx kvm 0x%llx\n",
					       reg_names[r],
					       (unsigned long long)env.vcpu.regs.gpr[r],
					       (unsigned long long)*kvm_gpr(&kregs, r));
			return;
		}
		prev_rip = kregs.rip;
		if (env.vcpu.exit.reason == HVX86_EXIT_HLT) {
			printf("# lockstep: interpreter halted at step %lu\n", step);
			return;
		}
		if (ioctl(kvm.vcpu, KVM_RUN, 0) < 0)
			return;
		if (kvm.run->exit_reason == KVM_EXIT_HLT) {
			printf("# lockstep: both reached hlt after %lu steps\n", step);
			return;
		}
		if (kvm.run->exit_reason != KVM_EXIT_DEBUG) {
			ioctl(kvm.vcpu, KVM_GET_REGS, &kregs);
			printf("# lockstep: kvm exit %u at step %lu rip 0x%llx (prev 0x%llx):",
			       kvm.run->exit_reason, step,
			       (unsigned long long)kregs.rip,
			       (unsigned long long)prev_rip);
			for (r = 0; r < 12; r++)
				printf(" %02x", env.mem[prev_rip + r]);
			printf("\n");
			for (r = 0; r < 16; r++)
				printf("#   %s = 0x%llx\n", reg_names[r],
				       (unsigned long long)env.vcpu.regs.gpr[r]);
			return;
		}
	}
	printf("# lockstep: no divergence in %lu steps\n", max_steps);
}

/* ---------------------------------------------------------------- driver */

static void setup_env(const struct layout *lay)
{
	struct hvx86_regs *regs;

	if (lay->long_mode || lay->prot32) {
		if (lay->long_mode)
			env_long64(&env);
		else
			env_prot32(&env);
		regs = &env.vcpu.regs;
		regs->rip = lay->code;
		regs->gpr[HVX86_RSP] = 0x3ff000;
		return;
	}
	env_real(&env);
	regs = &env.vcpu.regs;
	regs->seg[HVX86_SEG_CS].selector = lay->code_seg_base >> 4;
	regs->seg[HVX86_SEG_CS].base = lay->code_seg_base;
	regs->seg[HVX86_SEG_DS].selector = lay->data_seg_base >> 4;
	regs->seg[HVX86_SEG_DS].base = lay->data_seg_base;
	regs->seg[HVX86_SEG_ES] = regs->seg[HVX86_SEG_DS];
	regs->seg[HVX86_SEG_SS].selector = 0x3000;
	regs->seg[HVX86_SEG_SS].base = 0x30000;
	regs->gpr[HVX86_RSP] = 0xfff0;
	regs->rip = 0;
}

/*
 * Build and run a batch of @count sequences (@insns[i]: how many body
 * instructions of sequence i to include).  Returns -1 if either side did
 * not finish, else the number of mismatching sequences; @bad lists them.
 */
static int run_batch(const struct layout *lay, unsigned int first,
		     unsigned int count, const unsigned int *insns,
		     bool *bad, char *why, size_t why_len)
{
	struct hvx86_regs initial;
	struct gen g;
	unsigned int i, r, mismatches = 0;
	enum hvx86_exit_reason reason;

	setup_env(lay);
	g.lay = lay;
	g.out = env.mem + lay->code;
	g.len = 0;
	g.cap = lay->code_end - lay->code - MAX_SEQ_CODE;
	for (i = 0; i < count; i++) {
		seq_start[i] = g.len;
		emit_sequence(lay, &g, &seqs[first + i], i,
			      insns ? insns[i] : MAX_INSNS);
		if (g.len > g.cap) {
			snprintf(why, why_len, "batch code too large");
			return -1;
		}
	}
	g.out[g.len++] = 0xf4;
	for (i = 0; i < count; i++) {
		u8 *w = env.mem + window_addr(lay, i);

		for (r = 0; r < WINDOW; r += 8) {
			u64 v = rnd();

			memcpy(w + r, &v, 8);
		}
	}
	initial = env.vcpu.regs;
	if (fresh_vm && !kvm_open_vm()) {
		snprintf(why, why_len, "cannot create a VM: %s", strerror(errno));
		return -1;
	}
	memcpy(kvm.mem, env.mem, TEST_MEM_SIZE);
	if (kvm_run_batch(&initial, why, why_len) < 0) {
		u64 off = kvm_rip - initial.rip;

		for (i = 0; i + 1 < count && seq_start[i + 1] <= off; i++)
			;
		if (lockstep_on_failure)
			compare_in_lockstep(&initial, 10000000);
		if (off < g.len)
			snprintf(why + strlen(why), why_len - strlen(why),
				 " (sequence %u, offset %llu)", first + i,
				 (unsigned long long)(off - seq_start[i]));
		return -1;
	}
	reason = hvx86_run(&env.vcpu, 50000000);
	if (reason != HVX86_EXIT_HLT) {
		snprintf(why, why_len, "interpreter exit %d at rip 0x%llx",
			 reason, (unsigned long long)env.vcpu.regs.rip);
		if (reason == HVX86_EXIT_EXCEPTION)
			snprintf(why, why_len,
				 "interpreter exception %u at rip 0x%llx",
				 env.vcpu.exit.exception.vector,
				 (unsigned long long)env.vcpu.regs.rip);
		return -1;
	}
	for (i = 0; i < count; i++) {
		const struct sequence *seq = &seqs[first + i];
		u64 res = result_addr(lay, i);
		unsigned int n = insns ? insns[i] : MAX_INSNS;
		u32 undefined = !n ? 0 : n >= seq->insns ? seq->undefined :
				seq->undefined_after[n - 1];
		u64 flag_mask = (ALL6 | F_DF) & ~undefined;
		bool differs;

		if (verbose && i == 0)
			printf("# sequence 0: rax 0x%llx/0x%llx rflags 0x%llx/0x%llx\n",
			       (unsigned long long)get64(&env, res),
			       (unsigned long long)*(u64 *)(kvm.mem + res),
			       (unsigned long long)get64(&env, res + lay->nregs * 8),
			       (unsigned long long)*(u64 *)(kvm.mem + res +
							    lay->nregs * 8));
		differs = memcmp(env.mem + window_addr(lay, i),
				 kvm.mem + window_addr(lay, i), WINDOW) != 0;
		for (r = 0; r < lay->nregs; r++) {
			u64 a = 0, b = 0;

			memcpy(&a, env.mem + res + r * 8, lay->reg_size);
			memcpy(&b, kvm.mem + res + r * 8, lay->reg_size);
			if (a != b)
				differs = true;
		}
		if ((get64(&env, res + lay->nregs * 8) ^
		     *(u64 *)(kvm.mem + res + lay->nregs * 8)) & flag_mask)
			differs = true;
		/* every sequence must have stored its state, with a balanced stack */
		if ((get64(&env, res + HVX86_RSP * 8) &
		     (lay->reg_size == 8 ? ~0ULL : 0xffffffffULL)) !=
		    (lay->long_mode || lay->prot32 ? 0x3ff000 : 0xfff0)) {
			printf("# sequence %u did not store its state\n", i);
			differs = true;
		}
		bad[i] = differs;
		if (differs)
			mismatches++;
	}
	return (int)mismatches;
}

static void print_bytes(const char *label, const u8 *bytes, unsigned int len)
{
	unsigned int i;

	printf("#   %s:", label);
	for (i = 0; i < len; i++)
		printf(" %02x", bytes[i]);
	printf("\n");
}

/* Shrink a mismatching sequence to its first diverging instruction. */
static void report(const struct layout *lay, unsigned int index)
{
	struct sequence *seq = &seqs[index];
	unsigned int n, r, start;
	bool bad[1];
	char why[160];
	u64 res = result_addr(lay, 0);

	for (n = 1; n <= seq->insns; n++) {
		int status = run_batch(lay, index, 1, &n, bad, why, sizeof(why));

		if (status != 0)
			break;
	}
	if (n > seq->insns)
		n = seq->insns;
	printf("# MISMATCH (%s mode) sequence %u, first diverging instruction %u of %u\n",
	       lay->name, index, n, seq->insns);
	printf("#   initial rflags 0x%llx, undefined-at-end mask 0x%x\n",
	       (unsigned long long)seq->flags, seq->undefined);
	for (r = 0; r < lay->nregs; r++)
		printf("#   %s = 0x%llx\n", reg_names[r],
		       (unsigned long long)seq->regs[r]);
	start = n > 1 ? seq->insn_end[n - 2] : 0;
	print_bytes("body up to it", seq->body, seq->insn_end[n - 1]);
	print_bytes("diverging insn", seq->body + start,
		    seq->insn_end[n - 1] - start);
	if (run_batch(lay, index, 1, &n, bad, why, sizeof(why)) < 0) {
		printf("#   run failed: %s\n", why);
		return;
	}
	for (r = 0; r <= lay->nregs; r++) {
		u64 a = 0, b = 0;

		memcpy(&a, env.mem + res + r * 8,
		       r == lay->nregs ? 8 : lay->reg_size);
		memcpy(&b, kvm.mem + res + r * 8,
		       r == lay->nregs ? 8 : lay->reg_size);
		if (a != b)
			printf("#   %-6s interpreter 0x%llx kvm 0x%llx\n",
			       r == lay->nregs ? "rflags" : reg_names[r],
			       (unsigned long long)a, (unsigned long long)b);
	}
	for (r = 0; r < WINDOW; r++) {
		u64 w = window_addr(lay, 0) + r;

		if (env.mem[w] != kvm.mem[w])
			printf("#   window[%u] interpreter 0x%02x kvm 0x%02x\n",
			       r, env.mem[w], kvm.mem[w]);
	}
}

static int run_mode(const struct layout *lay, unsigned long total,
		    unsigned long *agreed, unsigned long *disagreed)
{
	static bool bad[MAX_BATCH];
	unsigned long done = 0;
	unsigned int reported = 0;
	char why[160];

	while (done < total) {
		unsigned int count = lay->batch, i;
		int status;

		if (total - done < count)
			count = total - done;
		for (i = 0; i < count; i++)
			gen_sequence(lay, &seqs[i]);
		status = run_batch(lay, 0, count, NULL, bad, why, sizeof(why));
		if (status < 0) {
			/* find the sequence that broke the batch */
			printf("# batch failed: %s; isolating\n", why);
			for (i = 0; i < count; i++) {
				unsigned int all = MAX_INSNS;

				if (run_batch(lay, i, 1, &all, bad, why,
					      sizeof(why)) < 0) {
					printf("# sequence %u: %s\n", i, why);
					print_bytes("body", seqs[i].body,
						    seqs[i].body_len);
					(*disagreed)++;
				} else if (bad[0]) {
					(*disagreed)++;
					if (reported++ < 20)
						report(lay, i);
				} else {
					(*agreed)++;
				}
			}
			done += count;
			continue;
		}
		*agreed += count - status;
		*disagreed += status;
		if (status) {
			static bool flagged[MAX_BATCH];

			memcpy(flagged, bad, count);
			for (i = 0; i < count; i++) {
				if (!flagged[i] || reported >= 20)
					continue;
				report(lay, i);
				reported++;
			}
		}
		done += count;
		if (verbose)
			printf("# %s: %lu/%lu\n", lay->name,
			       done, total);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 100000, agreed = 0, disagreed = 0;
	static const struct layout *const layouts[3] = {
		&real_layout, &prot32_layout, &long_layout,
	};
	unsigned int i, selected = 0, test_number = 0;
	unsigned long long seed = 1;
	const char *mode = "all";
	struct timespec t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:m:vlH")) != -1) {
		switch (opt) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			mode = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'l':
			lockstep_on_failure = true;
			break;
		case 'H':
			hardware_oracle = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n count] [-s seed] [-m real|prot32|long|all]"
				" [-v] [-l] [-H]\n", argv[0]);
			return 2;
		}
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	printf("TAP version 13\n");
	if (!kvm_open()) {
		printf("1..0 # SKIP /dev/kvm unusable: %s\n", strerror(errno));
		return KSFT_SKIP;
	}
	for (i = 0; i < 3; i++)
		if (!strcmp(mode, "all") || !strcmp(mode, layouts[i]->name))
			selected++;
	if (!selected) {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	printf("1..%u\n", selected);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 3; i++) {
		unsigned long n, ok = 0, bad = 0;

		if (strcmp(mode, "all") && strcmp(mode, layouts[i]->name))
			continue;
		n = count / selected + (test_number == 0 ? count % selected : 0);
		run_mode(layouts[i], n, &ok, &bad);
		printf("%sok %u - %s mode: %lu sequences agreed, %lu disagreed\n",
		       bad ? "not " : "", ++test_number, layouts[i]->name, ok,
		       bad);
		agreed += ok;
		disagreed += bad;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# total: %lu sequences agreed, %lu disagreed, %.1f s\n",
	       agreed, disagreed,
	       (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return disagreed ? 1 : 0;
}
