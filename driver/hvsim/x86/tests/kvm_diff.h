/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the parts of kvm_diff, the x86 interpreter's differential
 * tester against KVM: the guest layout per mode, a generated sequence and
 * the code emitter's state, and what the random sequence generator
 * (kvm_diff_gen.c), the raw KVM runner (kvm_diff_kvm.c) and the batch
 * driver (kvm_diff.c) use of each other.
 */
#ifndef HVX86_KVM_DIFF_H
#define HVX86_KVM_DIFF_H

#include "test_env.h"

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

struct kvm_run;

/* The VM, its vCPU and its memory that a batch runs in */
struct kvm {
	int sys, vm, vcpu;
	struct kvm_run *run;
	int run_size;
	u8 *mem;
};

/* kvm_diff.c */
extern struct test_env env;

/* kvm_diff_gen.c */
extern u64 rng_state;
extern bool hardware_oracle;	/* -H: KVM runs on hardware or TCG, no emulator */

u64 rnd(void);
void byte(struct gen *g, u8 value);
void imm(struct gen *g, u64 value, unsigned int size);
void mov_imm(struct gen *g, unsigned int reg, unsigned int size, u64 value);
void gen_sequence(const struct layout *lay, struct sequence *seq);

/* kvm_diff_kvm.c */
extern struct kvm kvm;
extern u64 kvm_rip;
extern const char *const reg_names[16];

bool kvm_open_vm(void);
bool kvm_open(void);
int kvm_run_batch(const struct hvx86_regs *regs, char *why, size_t n);
void compare_in_lockstep(const struct hvx86_regs *initial,
			 unsigned long max_steps);

#endif /* HVX86_KVM_DIFF_H */
