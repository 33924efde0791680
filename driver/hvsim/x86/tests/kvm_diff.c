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
 * This file builds and runs the batches and compares their results; the
 * random sequences come from kvm_diff_gen.c, the raw KVM vCPU from
 * kvm_diff_kvm.c (shared declarations: kvm_diff.h).
 *
 * Usage: kvm_diff [-n COUNT] [-s SEED] [-m real|prot32|long|all] [-v] [-l] [-H]
 * Exit: 0 all agreed, 1 mismatches, 4 (KSFT_SKIP) if /dev/kvm is unusable.
 */
#include <errno.h>
#include <getopt.h>
#include <time.h>
#include "kvm_diff.h"

#define KSFT_SKIP	4

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

static struct sequence seqs[MAX_BATCH];
static unsigned int seq_start[MAX_BATCH];
struct test_env env;
static bool verbose;
static bool fresh_vm = true;
static bool lockstep_on_failure;

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
