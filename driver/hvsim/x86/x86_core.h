/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvsim x86 interpreter: public interface.
 *
 * A small, allocation-free x86-64 interpreter used by the hypervisor model
 * (mshv_hvsim.ko) to run guest code.  Every identifier carries the
 * hvx86_/HVX86_ prefix so it cannot clash with the kernel's own x86_ and
 * X86_ names (x86_init, X86_CR0_PE, X86_PF_WRITE, ...).
 *
 * All state lives in struct hvx86_vcpu;
 * guest-physical memory is reached only through the embedder's callbacks;
 * everything else that leaves the CPU (port I/O, CPUID, unknown MSRs,
 * VMCALL, intercepted exceptions, halt) is reported as an *exit* from
 * hvx86_run().
 *
 * Intercept model (as Hyper-V reports intercepts): when hvx86_run() returns an
 * instruction exit (IO, MEMORY, CPUID, RDMSR, WRMSR, VMCALL, EXCEPTION,
 * UNSUPPORTED) the guest state is that *before* the instruction: RIP points
 * at it, and exit.insn_len / exit.insn_bytes describe it.  The embedder then
 * either
 *   - completes it through the core: hvx86_complete_io(), hvx86_complete_memory(),
 *     hvx86_complete_cpuid(), hvx86_complete_rdmsr(), hvx86_complete_wrmsr(),
 *     hvx86_complete_vmcall().  IO and MEMORY completions are *replayed*: the
 *     next hvx86_run() re-executes the instruction and the access that exited
 *     consumes the supplied value instead of exiting again (up to
 *     HVX86_MAX_REPLAY accesses per instruction, e.g. an MMIO read-modify-write);
 *   - or emulates it itself (change registers, e.g. RAX for IN) and calls
 *     hvx86_skip_instruction(), which does RIP += insn_len;
 *   - or injects an exception with hvx86_inject_exception().
 *
 * HLT: by default the exit reports RIP *after* the HLT (the architectural
 * halt state: the instruction has retired and the CPU waits).  Set
 * config.hlt_rip_at_instruction to report RIP at the HLT instead; the core
 * then steps over it itself when an interrupt wakes the vCPU.
 *
 * Supported instruction subset (anything else raises #UD in the guest, or
 * exits with HVX86_EXIT_UNSUPPORTED when config.exit_on_unsupported is set):
 *
 *   class          instructions
 *   -------------  ---------------------------------------------------------
 *   data move      mov r/m,r; mov r,r/m; mov r/m,imm; mov r,imm (B0-BF, incl.
 *                  64-bit imm); mov moffs (A0-A3); mov sreg (8C, 8E);
 *                  mov CRn (0F 20/22: CR0 CR2 CR3 CR4 CR8); movzx/movsx
 *                  (0F B6/B7/BE/BF); movsxd (63); lea; xchg (86/87, 90+r);
 *                  bswap; cbw/cwde/cdqe; cwd/cdq/cqo; cmovcc; setcc; xlat
 *   arithmetic     add or adc sbb and sub xor cmp (00-3D, 80-83); test (84,
 *                  85, A8, A9, F6/F7 /0); inc/dec (FE/FF /0 /1, 40-4F in
 *                  16/32-bit); neg not mul imul (1, 2 and 3 operands) div
 *                  idiv (#DE on zero divisor or quotient overflow); xadd;
 *                  cmpxchg
 *   shift/rotate   rol ror rcl rcr shl shr sal sar by 1 / CL / imm8 (C0 C1
 *                  D0-D3)
 *   bit            bt bts btr btc (0F A3/AB/B3/BB, 0F BA /4-/7), register
 *                  and memory forms (memory form with bit-string offset);
 *                  bsf bsr (zero source: ZF=1, destination unchanged)
 *   stack          push/pop reg, imm, sreg, r/m; pushf/popf; enter (any
 *                  nesting level) / leave
 *   control        jmp short/near/far (EA, FF /5) /indirect; call near/far
 *                  (9A, FF /2, FF /3); ret/retf (with imm16); jcc (short and
 *                  near); loop loope loopne jcxz/jecxz/jrcxz; int n, int3,
 *                  into; iret/iretd/iretq
 *   string         movs stos lods cmps scas ins outs, all sizes, rep/repe/
 *                  repne; one element per step so rep loops are
 *                  interruptible and budgeted
 *   port I/O       in/out imm8 and DX, sizes 1/2/4 (exit)
 *   flags          cli sti cld std clc stc cmc, sahf lahf
 *   system         hlt, nop (90, 0F 1F /0), cpuid (exit), rdmsr/wrmsr
 *                  (EFER, FS/GS/KERNEL_GS base and TSC handled internally;
 *                  others exit), rdtsc, lgdt lidt sgdt sidt, lldt ltr sldt
 *                  str, smsw lmsw, invlpg (no-op: no TLB), swapgs, vmcall
 *                  (0F 01 C1) and vmmcall (0F 01 D9) (exit), ud2, hint nops
 *                  (0F 18-1F)
 *   prefixes       66 67, segment overrides, REX (W R X B, SIB, RIP-relative),
 *                  F3/F2 (rep), F0 lock (accepted on the lockable
 *                  read-modify-write forms, #UD elsewhere)
 *
 * Modes: real mode (linear = selector * 16 + offset; cached limits are kept,
 * so "unreal" mode works), 16/32-bit protected mode with GDT/LDT descriptor
 * loads and limit/type checks, long mode (64-bit and compatibility).  Paging:
 * 32-bit (with CR4.PSE 4 MiB pages), PAE and 4-level, with P/RW/US/NX checks,
 * CR0.WP, reserved-bit checks, #PF error codes, CR2, and accessed/dirty bit
 * updates written through the write callback.  There is no TLB: every access
 * walks the tables.
 *
 * Faults: the registers of a faulting instruction are rolled back to their
 * values before it.  A store is translated completely (both pages of a
 * page-crossing store) before any byte is written, but memory written by an
 * earlier step of the same instruction (the first push of a far call) stays
 * written, as on hardware.  Branch targets are checked
 * (canonical form / CS limit) before RIP changes.  Nested faults during
 * delivery escalate to #DF and then to a triple fault (benign/contributory/
 * page-fault classes as in the SDM).
 *
 * Not modelled (documented gaps): v8086 mode, task switches and call/task
 * gates, SMEP/SMAP/PKE, CR4.LA57, single-step (#DB on TF), debug registers,
 * segment-limit checks on the IDT/GDT beyond the table limit, x87/SSE/AVX,
 * MONITOR/MWAIT, SYSCALL/SYSENTER, I/O permission bitmap (IOPL is not
 * checked: all port I/O exits), APIC (interrupts come from
 * hvx86_inject_interrupt()).
 */
#ifndef _HVSIM_X86_CORE_H_
#define _HVSIM_X86_CORE_H_

#include "x86_types.h"

enum hvx86_gpr {
	HVX86_RAX, HVX86_RCX, HVX86_RDX, HVX86_RBX, HVX86_RSP, HVX86_RBP, HVX86_RSI, HVX86_RDI,
	HVX86_R8, HVX86_R9, HVX86_R10, HVX86_R11, HVX86_R12, HVX86_R13, HVX86_R14, HVX86_R15,
	HVX86_GPR_COUNT
};

enum hvx86_seg_reg {
	HVX86_SEG_ES, HVX86_SEG_CS, HVX86_SEG_SS, HVX86_SEG_DS, HVX86_SEG_FS, HVX86_SEG_GS,
	HVX86_SEG_COUNT
};

/* RFLAGS bits */
#define HVX86_FLAG_CF	0x00000001ULL
#define HVX86_FLAG_FIXED	0x00000002ULL	/* reserved, always 1 */
#define HVX86_FLAG_PF	0x00000004ULL
#define HVX86_FLAG_AF	0x00000010ULL
#define HVX86_FLAG_ZF	0x00000040ULL
#define HVX86_FLAG_SF	0x00000080ULL
#define HVX86_FLAG_TF	0x00000100ULL
#define HVX86_FLAG_IF	0x00000200ULL
#define HVX86_FLAG_DF	0x00000400ULL
#define HVX86_FLAG_OF	0x00000800ULL
#define HVX86_FLAG_IOPL	0x00003000ULL
#define HVX86_FLAG_NT	0x00004000ULL
#define HVX86_FLAG_RF	0x00010000ULL
#define HVX86_FLAG_VM	0x00020000ULL
#define HVX86_FLAG_AC	0x00040000ULL
#define HVX86_FLAG_ID	0x00200000ULL
#define HVX86_FLAGS_ARITH	(HVX86_FLAG_CF | HVX86_FLAG_PF | HVX86_FLAG_AF | \
				 HVX86_FLAG_ZF | HVX86_FLAG_SF | HVX86_FLAG_OF)

/* Control register and EFER bits used by the core */
#define HVX86_CR0_PE	0x00000001ULL
#define HVX86_CR0_MP	0x00000002ULL
#define HVX86_CR0_EM	0x00000004ULL
#define HVX86_CR0_TS	0x00000008ULL
#define HVX86_CR0_ET	0x00000010ULL
#define HVX86_CR0_NE	0x00000020ULL
#define HVX86_CR0_WP	0x00010000ULL
#define HVX86_CR0_AM	0x00040000ULL
#define HVX86_CR0_NW	0x20000000ULL
#define HVX86_CR0_CD	0x40000000ULL
#define HVX86_CR0_PG	0x80000000ULL
#define HVX86_CR4_PSE	0x00000010ULL
#define HVX86_CR4_PAE	0x00000020ULL
#define HVX86_CR4_PGE	0x00000080ULL
#define HVX86_EFER_SCE	0x00000001ULL
#define HVX86_EFER_LME	0x00000100ULL
#define HVX86_EFER_LMA	0x00000400ULL
#define HVX86_EFER_NXE	0x00000800ULL

/* MSRs the core handles itself */
#define HVX86_MSR_TSC		0x00000010
#define HVX86_MSR_EFER		0xc0000080
#define HVX86_MSR_FS_BASE		0xc0000100
#define HVX86_MSR_GS_BASE		0xc0000101
#define HVX86_MSR_KERNEL_GS_BASE	0xc0000102

/* Exception vectors */
enum hvx86_vector {
	HVX86_VEC_DE = 0, HVX86_VEC_DB = 1, HVX86_VEC_NMI = 2, HVX86_VEC_BP = 3,
	HVX86_VEC_OF = 4, HVX86_VEC_BR = 5, HVX86_VEC_UD = 6, HVX86_VEC_NM = 7,
	HVX86_VEC_DF = 8, HVX86_VEC_TS = 10, HVX86_VEC_NP = 11, HVX86_VEC_SS = 12,
	HVX86_VEC_GP = 13, HVX86_VEC_PF = 14, HVX86_VEC_MF = 16, HVX86_VEC_AC = 17,
};

/* #PF error code bits */
#define HVX86_PF_PRESENT	0x01
#define HVX86_PF_WRITE	0x02
#define HVX86_PF_USER	0x04
#define HVX86_PF_RSVD	0x08
#define HVX86_PF_FETCH	0x10

/*
 * Segment attributes use the Hyper-V register layout (HV_X64_SEGMENT_REGISTER):
 * bits 3:0 type, 4 S, 6:5 DPL, 7 P, 12 AVL, 13 L, 14 D/B, 15 G.  The cached
 * limit is always byte granular (G already applied).  In protected mode a
 * segment with P=0 is unusable (a null selector was loaded).
 */
#define HVX86_SEG_TYPE_MASK	0x000f
#define HVX86_SEG_TYPE_ACCESSED	0x0001
#define HVX86_SEG_TYPE_WRITABLE	0x0002	/* data: writable; code: readable */
#define HVX86_SEG_TYPE_EXPDOWN	0x0004	/* data: expand-down; code: conforming */
#define HVX86_SEG_TYPE_CODE	0x0008
#define HVX86_SEG_S		0x0010
#define HVX86_SEG_DPL_SHIFT	5
#define HVX86_SEG_DPL_MASK	0x0060
#define HVX86_SEG_P		0x0080
#define HVX86_SEG_AVL		0x1000
#define HVX86_SEG_L		0x2000
#define HVX86_SEG_DB		0x4000
#define HVX86_SEG_G		0x8000

struct hvx86_segment {
	u64 base;
	u32 limit;
	u16 selector;
	u16 attributes;
};

struct hvx86_table_register {
	u64 base;
	u16 limit;
};

/* The architectural register state; the embedder may read and write it
 * freely between calls to hvx86_run().
 */
struct hvx86_regs {
	u64 gpr[HVX86_GPR_COUNT];
	u64 rip;
	u64 rflags;
	struct hvx86_segment seg[HVX86_SEG_COUNT];
	struct hvx86_segment ldtr;
	struct hvx86_segment tr;
	struct hvx86_table_register gdtr;
	struct hvx86_table_register idtr;
	u64 cr0;
	u64 cr2;
	u64 cr3;
	u64 cr4;
	u64 cr8;
	u64 efer;
	u64 kernel_gs_base;
};

/* Kind of guest-physical access passed to the memory callbacks. */
enum hvx86_access {
	HVX86_ACCESS_READ = 0,
	HVX86_ACCESS_WRITE = 1,
	HVX86_ACCESS_EXECUTE = 2,
};

/* Result of a guest-physical access callback. */
enum hvx86_mem_result {
	HVX86_MEM_OK = 0,
	HVX86_MEM_UNMAPPED,	/* no memory at this GPA: MMIO / unmapped-GPA exit */
	HVX86_MEM_DENIED,		/* mapped, but not with this access: GPA intercept */
};

/*
 * Embedder callbacks.  An access never crosses a 4 KiB guest-physical page
 * and is at most 16 bytes long.  Paging-structure reads and accessed/dirty
 * updates go through the same callbacks (read with HVX86_ACCESS_READ, write),
 * so every guest-physical write is visible to the embedder (for dirty-page
 * bitmaps).
 */
struct hvx86_callbacks {
	enum hvx86_mem_result (*read_gpa)(void *opaque, u64 gpa, void *buf,
					  u32 len, enum hvx86_access access);
	enum hvx86_mem_result (*write_gpa)(void *opaque, u64 gpa,
					   const void *buf, u32 len);
	/* optional: value returned by RDTSC and RDMSR(TSC) */
	u64 (*read_tsc)(void *opaque);
};

enum hvx86_exit_reason {
	HVX86_EXIT_NONE = 0,
	HVX86_EXIT_BUDGET,		/* budget used up; RIP at the next instruction */
	HVX86_EXIT_HLT,			/* halted, waiting for hvx86_inject_interrupt() */
	HVX86_EXIT_IO,			/* in/out/ins/outs: exit.io */
	HVX86_EXIT_MEMORY,		/* unmapped or denied GPA: exit.memory */
	HVX86_EXIT_CPUID,			/* leaf in EAX, subleaf in ECX */
	HVX86_EXIT_RDMSR,			/* exit.msr.index (= ECX) */
	HVX86_EXIT_WRMSR,			/* exit.msr.index and exit.msr.value */
	HVX86_EXIT_VMCALL,		/* hypercall: VMCALL or VMMCALL */
	HVX86_EXIT_EXCEPTION,		/* intercepted exception: exit.exception */
	HVX86_EXIT_INTERRUPT_WINDOW,	/* requested window is open (IF=1, no shadow) */
	HVX86_EXIT_TRIPLE_FAULT,		/* shutdown; the vCPU stays dead until reset */
	HVX86_EXIT_UNSUPPORTED,		/* outside the subset, exit_on_unsupported set */
	HVX86_EXIT_UNRECOVERABLE,		/* impossible register state (PG w/o PE,
						 * LMA w/o PAE, VM=1): nothing ran
						 */
};

struct hvx86_exit_io {
	u16 port;
	u8 size;		/* 1, 2 or 4 */
	bool is_in;
	bool is_string;		/* ins/outs */
	bool rep;		/* F3 prefix on a string instruction */
	u8 addr_size;		/* 2, 4 or 8: for string: width of rSI/rDI/rCX */
	u8 segment;		/* outs source segment (enum hvx86_seg_reg); ins uses ES */
	u64 count;		/* rep: rCX (elements left, this one included), else 1 */
	u64 gva;		/* string: linear address of the element */
	u64 data;		/* out: value being written */
};

struct hvx86_exit_memory {
	u64 gpa;
	u64 gva;		/* linear address, valid if gva_valid */
	bool gva_valid;
	bool page_walk;		/* access to a paging structure */
	u8 access;		/* enum hvx86_access */
	u8 status;		/* enum hvx86_mem_result: UNMAPPED or DENIED */
	u8 size;		/* bytes in this access (never crosses a page) */
	u64 data;		/* write: value being written (little endian) */
};

struct hvx86_exit_msr {
	u32 index;
	u64 value;		/* WRMSR: EDX:EAX */
};

struct hvx86_exit_exception {
	u8 vector;
	bool has_error_code;
	bool software;		/* raised by int3/into/int n */
	u32 error_code;
	u64 cr2;		/* #PF: faulting linear address (CR2 not written) */
};

struct hvx86_exit {
	enum hvx86_exit_reason reason;
	u64 rip;		/* RIP of the instruction (intercept style) */
	u8 insn_len;		/* 0 if the instruction could not be fetched */
	u8 insn_bytes[16];
	union {
		struct hvx86_exit_io io;
		struct hvx86_exit_memory memory;
		struct hvx86_exit_msr msr;
		struct hvx86_exit_exception exception;
	};
};

struct hvx86_config {
	u32 exception_bitmap;		/* bit n set: exception n exits */
	bool hlt_rip_at_instruction;	/* see header comment */
	bool exit_on_unsupported;	/* exit instead of raising #UD */
	u8 max_phys_addr_bits;		/* MAXPHYADDR for reserved-bit checks, 0=48 */
};

#define HVX86_MAX_REPLAY 4

/* One access whose result the embedder supplied, replayed on re-execution. */
struct hvx86_replay {
	u64 address;		/* GPA, or port */
	u64 value;
	u8 size;
	u8 kind;		/* internal */
};

#define HVX86_INSN_MAX 15

/* Decoded instruction; internal to the core. */
struct hvx86_insn {
	u8 bytes[16];
	u8 fetched;
	u8 len;
	u8 map;			/* 0: one-byte opcode, 1: 0F xx */
	u8 opcode;
	u8 modrm;
	u8 mod;
	u8 reg;			/* with REX.R */
	u8 rm;			/* with REX.B (register form) */
	u8 rex;
	u8 rep;			/* 0, 0xf2 or 0xf3 */
	bool lock;
	bool opsize_prefix;
	bool has_modrm;
	bool mem;		/* modrm refers to memory */
	s8 seg_override;
	u8 op_size;		/* 2, 4 or 8 (byte ops use 1 at execution) */
	u8 addr_size;		/* 2, 4 or 8 */
	u8 ea_seg;
	u64 ea;			/* effective address (offset, truncated) */
	u64 imm;
	u64 imm2;
	u64 next_rip;
};

/* Internal state of the core; the embedder should not touch it. */
struct hvx86_private {
	struct hvx86_regs saved;		/* rollback copy, taken at each instruction */
	struct hvx86_insn insn;
	struct hvx86_replay replay[HVX86_MAX_REPLAY];
	u8 replay_count;
	u8 replay_used;
	bool halted;
	bool shutdown;
	bool interrupt_shadow;
	bool irq_pending;
	u8 irq_vector;
	bool irq_window_requested;
	bool exc_pending;
	bool exc_has_error;
	bool exc_software;
	u8 exc_vector;
	u32 exc_error;
	u64 exc_cr2;
	u8 delivering;			/* nesting depth of exception delivery */
	u64 tsc;			/* instruction count, used without read_tsc */
};

struct hvx86_vcpu {
	struct hvx86_regs regs;
	struct hvx86_config config;
	const struct hvx86_callbacks *cb;
	void *opaque;
	struct hvx86_exit exit;
	struct hvx86_private priv;
};

/* Zero the vCPU, attach the callbacks and put it in the reset state. */
void hvx86_init(struct hvx86_vcpu *vcpu, const struct hvx86_callbacks *cb,
		void *opaque);

/*
 * Architectural RESET/INIT state (as Hyper-V presents a fresh VP): real
 * mode, CS selector 0xf000 base 0xffff0000 limit 0xffff, RIP 0xfff0, RFLAGS
 * 0x2, CR0 0x60000010, EDX = processor signature 0x00000600 (family 6),
 * other GPRs 0, data segments base 0 limit 0xffff, GDTR/IDTR limit 0xffff.
 * Pending events are dropped; the configuration is kept.
 */
void hvx86_reset(struct hvx86_vcpu *vcpu);

/*
 * Run up to @budget instructions (each rep-string element counts as one).
 * Returns the exit reason, also stored in vcpu->exit.reason.
 */
enum hvx86_exit_reason hvx86_run(struct hvx86_vcpu *vcpu, u64 budget);

/* Completion of an IO exit: @value is the data read for IN/INS (ignored
 * for OUT/OUTS).  The instruction is finished by the next hvx86_run().
 */
void hvx86_complete_io(struct hvx86_vcpu *vcpu, u32 value);

/* Completion of a MEMORY exit: @value is the data read (ignored for writes,
 * which are taken as done).  The instruction is finished by the next
 * hvx86_run().
 */
void hvx86_complete_memory(struct hvx86_vcpu *vcpu, u64 value);

/* CPUID/RDMSR/WRMSR/VMCALL completions: set the result registers and step
 * over the instruction at once.
 */
void hvx86_complete_cpuid(struct hvx86_vcpu *vcpu, u32 eax, u32 ebx, u32 ecx,
			  u32 edx);
void hvx86_complete_rdmsr(struct hvx86_vcpu *vcpu, u64 value);
void hvx86_complete_wrmsr(struct hvx86_vcpu *vcpu);
void hvx86_complete_vmcall(struct hvx86_vcpu *vcpu, u64 rax);

/* Intercept-style completion: the embedder emulated the exited instruction
 * itself; RIP += exit.insn_len (wrapped to the code size).
 */
void hvx86_skip_instruction(struct hvx86_vcpu *vcpu);

/* Make the next hvx86_run() start by delivering exception @vector (e.g. #GP
 * for an MSR the embedder does not know).  The exception bitmap is not
 * consulted for it.
 */
void hvx86_inject_exception(struct hvx86_vcpu *vcpu, u8 vector, bool has_error,
			    u32 error_code);

/*
 * Queue external interrupt @vector.  It is delivered through the IVT/IDT at
 * the next instruction boundary with RFLAGS.IF=1 and no STI/MOV SS shadow,
 * and wakes a halted vCPU.  Returns false if one is already pending.
 */
bool hvx86_inject_interrupt(struct hvx86_vcpu *vcpu, u8 vector);
bool hvx86_interrupt_pending(const struct hvx86_vcpu *vcpu);

/* Ask for HVX86_EXIT_INTERRUPT_WINDOW as soon as an interrupt could be taken. */
void hvx86_request_interrupt_window(struct hvx86_vcpu *vcpu, bool enable);

/* Leave the halt state without an interrupt (e.g. INIT, or a VMM that
 * rewrote RIP).
 */
void hvx86_wake(struct hvx86_vcpu *vcpu);

/* Current execution mode, derived from CR0/EFER/CS. */
enum hvx86_mode {
	HVX86_MODE_REAL,
	HVX86_MODE_PROT16,
	HVX86_MODE_PROT32,
	HVX86_MODE_COMPAT16,
	HVX86_MODE_COMPAT32,
	HVX86_MODE_LONG64,
};

enum hvx86_mode hvx86_get_mode(const struct hvx86_vcpu *vcpu);

enum hvx86_translate_result {
	HVX86_TRANSLATE_OK,
	HVX86_TRANSLATE_FAULT,		/* the guest would take a #PF */
	HVX86_TRANSLATE_TABLE_GPA,	/* a page-table GPA could not be read */
};

/*
 * Translate a linear address as the guest would read it (no A/D updates,
 * supervisor access); *gpa is set on HVX86_TRANSLATE_OK.
 */
enum hvx86_translate_result hvx86_translate(struct hvx86_vcpu *vcpu, u64 linear, u64 *gpa);

#endif /* _HVSIM_X86_CORE_H_ */
