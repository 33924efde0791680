/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvsim x86 interpreter: declarations shared by the core's source files.
 */
#ifndef _HVSIM_X86_INTERNAL_H_
#define _HVSIM_X86_INTERNAL_H_

#include "x86_core.h"

/*
 * Every step that can fail returns one of these.  X86_EXC means an
 * exception is pending in vcpu->priv (exc_*); X86_STOP means vcpu->exit has
 * been filled and x86_run() must return to the embedder.
 */
enum x86_status {
	X86_OK = 0,
	X86_EXC = 1,
	X86_STOP = 2,
};

#define X86_TRY(expr)				\
	do {					\
		int __status = (expr);		\
		if (__status)			\
			return __status;	\
	} while (0)

enum x86_replay_kind {
	X86_REPLAY_MEM_READ = 1,
	X86_REPLAY_MEM_WRITE,
	X86_REPLAY_IO_IN,
	X86_REPLAY_IO_OUT,
};

/* ALU operation numbers, in opcode order (00-3F, 80-83 /reg) */
enum x86_alu_op {
	X86_ALU_ADD, X86_ALU_OR, X86_ALU_ADC, X86_ALU_SBB,
	X86_ALU_AND, X86_ALU_SUB, X86_ALU_XOR, X86_ALU_CMP,
};

/* Shift operation numbers (C0/C1/D0-D3 /reg) */
enum x86_shift_op {
	X86_SHIFT_ROL, X86_SHIFT_ROR, X86_SHIFT_RCL, X86_SHIFT_RCR,
	X86_SHIFT_SHL, X86_SHIFT_SHR, X86_SHIFT_SAL, X86_SHIFT_SAR,
};

static inline u64 x86_size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static inline u64 x86_sign_bit(unsigned int size)
{
	return 1ULL << (size * 8 - 1);
}

static inline u64 x86_sign_extend(u64 value, unsigned int size)
{
	u64 mask = x86_size_mask(size);

	value &= mask;
	if (size < 8 && (value & x86_sign_bit(size)))
		value |= ~mask;
	return value;
}

static inline bool x86_is_long64(const struct x86_vcpu *vcpu)
{
	return (vcpu->regs.efer & X86_EFER_LMA) &&
	       (vcpu->regs.seg[X86_SEG_CS].attributes & X86_SEG_L);
}

static inline bool x86_is_protected(const struct x86_vcpu *vcpu)
{
	return vcpu->regs.cr0 & X86_CR0_PE;
}

static inline unsigned int x86_cpl(const struct x86_vcpu *vcpu)
{
	if (!x86_is_protected(vcpu))
		return 0;
	return (vcpu->regs.seg[X86_SEG_SS].attributes & X86_SEG_DPL_MASK) >>
	       X86_SEG_DPL_SHIFT;
}

/* Read GPR @reg with @size bytes; byte registers 4-7 are AH..BH w/o REX. */
static inline u64 x86_reg_read(const struct x86_vcpu *vcpu, unsigned int reg,
			       unsigned int size, bool rex)
{
	if (size == 1 && !rex && reg >= 4 && reg < 8)
		return (vcpu->regs.gpr[reg - 4] >> 8) & 0xff;
	return vcpu->regs.gpr[reg] & x86_size_mask(size);
}

/* Write GPR @reg; 32-bit writes zero-extend, 8/16-bit writes merge. */
static inline void x86_reg_write(struct x86_vcpu *vcpu, unsigned int reg,
				 unsigned int size, bool rex, u64 value)
{
	u64 *slot;

	if (size == 1 && !rex && reg >= 4 && reg < 8) {
		slot = &vcpu->regs.gpr[reg - 4];
		*slot = (*slot & ~0xff00ULL) | ((value & 0xff) << 8);
		return;
	}
	slot = &vcpu->regs.gpr[reg];
	if (size == 4)
		*slot = value & 0xffffffffULL;
	else if (size == 8)
		*slot = value;
	else
		*slot = (*slot & ~x86_size_mask(size)) |
			(value & x86_size_mask(size));
}

/* x86_core.c */
int x86_raise(struct x86_vcpu *vcpu, u8 vector, bool has_error, u32 error);
int x86_raise_gp(struct x86_vcpu *vcpu, u32 error);
int x86_raise_ud(struct x86_vcpu *vcpu);
int x86_unsupported(struct x86_vcpu *vcpu);
int x86_stop(struct x86_vcpu *vcpu, enum x86_exit_reason reason);
int x86_load_segment(struct x86_vcpu *vcpu, unsigned int seg, u16 selector);
int x86_far_transfer(struct x86_vcpu *vcpu, u16 selector, u64 offset,
		     bool is_call, unsigned int op_size);
int x86_far_return(struct x86_vcpu *vcpu, unsigned int op_size, u16 pop_extra);
int x86_iret(struct x86_vcpu *vcpu, unsigned int op_size);
int x86_software_interrupt(struct x86_vcpu *vcpu, u8 vector);
int x86_load_system_segment(struct x86_vcpu *vcpu, bool is_tr, u16 selector);
void x86_update_efer_lma(struct x86_vcpu *vcpu);
void x86_set_rip(struct x86_vcpu *vcpu, u64 rip, unsigned int op_size);

/* x86_mem.c */
int x86_linear(struct x86_vcpu *vcpu, unsigned int seg, u64 offset,
	       unsigned int size, enum x86_access access, u64 *linear);
int x86_read_linear(struct x86_vcpu *vcpu, u64 linear, void *buf,
		    unsigned int size, enum x86_access access, bool system);
int x86_write_linear(struct x86_vcpu *vcpu, u64 linear, const void *buf,
		     unsigned int size, bool system);
int x86_read_mem(struct x86_vcpu *vcpu, unsigned int seg, u64 offset,
		 unsigned int size, u64 *value);
int x86_write_mem(struct x86_vcpu *vcpu, unsigned int seg, u64 offset,
		  unsigned int size, u64 value);
int x86_push(struct x86_vcpu *vcpu, u64 value, unsigned int size);
int x86_pop(struct x86_vcpu *vcpu, u64 *value, unsigned int size);
u64 x86_stack_mask(const struct x86_vcpu *vcpu);
int x86_fetch(struct x86_vcpu *vcpu, u8 *byte);
int x86_port_io(struct x86_vcpu *vcpu, u16 port, unsigned int size,
		bool is_in, u64 *data);
int x86_walk(struct x86_vcpu *vcpu, u64 linear, enum x86_access access,
	     bool user, bool commit, u64 *gpa);

/* x86_alu.c */
u64 x86_alu(struct x86_vcpu *vcpu, unsigned int op, u64 a, u64 b,
	    unsigned int size);
u64 x86_inc_dec(struct x86_vcpu *vcpu, u64 a, bool dec, unsigned int size);
u64 x86_shift(struct x86_vcpu *vcpu, unsigned int op, u64 a,
	      unsigned int count, unsigned int size);
void x86_set_szp(struct x86_vcpu *vcpu, u64 result, unsigned int size);
bool x86_condition(const struct x86_vcpu *vcpu, unsigned int cc);
int x86_mul_div(struct x86_vcpu *vcpu, unsigned int op, u64 src,
		unsigned int size);
u64 x86_imul(struct x86_vcpu *vcpu, u64 a, u64 b, unsigned int size);

/* x86_decode.c */
int x86_decode(struct x86_vcpu *vcpu);
bool x86_modrm_has_reg_operand_only(const struct x86_insn *insn);

/* x86_exec.c */
int x86_exec(struct x86_vcpu *vcpu);
int x86_rm_read(struct x86_vcpu *vcpu, unsigned int size, u64 *value);
int x86_rm_write(struct x86_vcpu *vcpu, unsigned int size, u64 value);

/* x86_exec_0f.c */
int x86_exec_0f(struct x86_vcpu *vcpu);
int x86_exec_group7(struct x86_vcpu *vcpu);

/* x86_string.c */
int x86_exec_string(struct x86_vcpu *vcpu);
int x86_exec_port(struct x86_vcpu *vcpu);

#endif /* _HVSIM_X86_INTERNAL_H_ */
