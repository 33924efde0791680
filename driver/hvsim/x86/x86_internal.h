/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hvsim x86 interpreter: declarations shared by the core's source files.
 */
#ifndef _HVSIM_X86_INTERNAL_H_
#define _HVSIM_X86_INTERNAL_H_

#include "x86_core.h"

/*
 * Every step that can fail returns one of these.  HVX86_EXC means an
 * exception is pending in vcpu->priv (exc_*); HVX86_STOP means vcpu->exit has
 * been filled and hvx86_run() must return to the embedder.
 */
enum hvx86_status {
	HVX86_OK = 0,
	HVX86_EXC = 1,
	HVX86_STOP = 2,
};

#define HVX86_TRY(expr)				\
	do {					\
		int __status = (expr);		\
		if (__status)			\
			return __status;	\
	} while (0)

enum hvx86_replay_kind {
	HVX86_REPLAY_MEM_READ = 1,
	HVX86_REPLAY_MEM_WRITE,
	HVX86_REPLAY_IO_IN,
	HVX86_REPLAY_IO_OUT,
};

/* ALU operation numbers, in opcode order (00-3F, 80-83 /reg) */
enum hvx86_alu_op {
	HVX86_ALU_ADD, HVX86_ALU_OR, HVX86_ALU_ADC, HVX86_ALU_SBB,
	HVX86_ALU_AND, HVX86_ALU_SUB, HVX86_ALU_XOR, HVX86_ALU_CMP,
};

/* Shift operation numbers (C0/C1/D0-D3 /reg) */
enum hvx86_shift_op {
	HVX86_SHIFT_ROL, HVX86_SHIFT_ROR, HVX86_SHIFT_RCL, HVX86_SHIFT_RCR,
	HVX86_SHIFT_SHL, HVX86_SHIFT_SHR, HVX86_SHIFT_SAL, HVX86_SHIFT_SAR,
};

static inline u64 hvx86_size_mask(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static inline u64 hvx86_sign_bit(unsigned int size)
{
	return 1ULL << (size * 8 - 1);
}

static inline u64 hvx86_sign_extend(u64 value, unsigned int size)
{
	u64 mask = hvx86_size_mask(size);

	value &= mask;
	if (size < 8 && (value & hvx86_sign_bit(size)))
		value |= ~mask;
	return value;
}

static inline bool hvx86_is_long64(const struct hvx86_vcpu *vcpu)
{
	return (vcpu->regs.efer & HVX86_EFER_LMA) &&
	       (vcpu->regs.seg[HVX86_SEG_CS].attributes & HVX86_SEG_L);
}

static inline bool hvx86_is_protected(const struct hvx86_vcpu *vcpu)
{
	return vcpu->regs.cr0 & HVX86_CR0_PE;
}

static inline unsigned int hvx86_cpl(const struct hvx86_vcpu *vcpu)
{
	if (!hvx86_is_protected(vcpu))
		return 0;
	return (vcpu->regs.seg[HVX86_SEG_SS].attributes & HVX86_SEG_DPL_MASK) >>
	       HVX86_SEG_DPL_SHIFT;
}

/* Read GPR @reg with @size bytes; byte registers 4-7 are AH..BH w/o REX. */
static inline u64 hvx86_reg_read(const struct hvx86_vcpu *vcpu, unsigned int reg,
				 unsigned int size, bool rex)
{
	if (size == 1 && !rex && reg >= 4 && reg < 8)
		return (vcpu->regs.gpr[reg - 4] >> 8) & 0xff;
	return vcpu->regs.gpr[reg] & hvx86_size_mask(size);
}

/* Write GPR @reg; 32-bit writes zero-extend, 8/16-bit writes merge. */
static inline void hvx86_reg_write(struct hvx86_vcpu *vcpu, unsigned int reg,
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
		*slot = (*slot & ~hvx86_size_mask(size)) |
			(value & hvx86_size_mask(size));
}

/* x86_core.c */
int hvx86_raise(struct hvx86_vcpu *vcpu, u8 vector, bool has_error, u32 error);
int hvx86_raise_gp(struct hvx86_vcpu *vcpu, u32 error);
int hvx86_raise_ud(struct hvx86_vcpu *vcpu);
int hvx86_unsupported(struct hvx86_vcpu *vcpu);
int hvx86_stop(struct hvx86_vcpu *vcpu, enum hvx86_exit_reason reason);
int hvx86_software_interrupt(struct hvx86_vcpu *vcpu, u8 vector);
void hvx86_update_efer_lma(struct hvx86_vcpu *vcpu);
void hvx86_set_rip(struct hvx86_vcpu *vcpu, u64 rip, unsigned int op_size);
int hvx86_jump(struct hvx86_vcpu *vcpu, u64 target, unsigned int op_size);

/* x86_segment.c */
enum hvx86_code_transfer {
	TRANSFER_JMP_CALL,
	TRANSFER_RETURN,
	TRANSFER_INTERRUPT,
};

int hvx86_load_segment(struct hvx86_vcpu *vcpu, unsigned int seg,
		       u16 selector);
int hvx86_load_system_segment(struct hvx86_vcpu *vcpu, bool is_tr,
			      u16 selector);
int hvx86_load_code_descriptor(struct hvx86_vcpu *vcpu, u16 selector,
			       unsigned int new_cpl,
			       enum hvx86_code_transfer kind,
			       struct hvx86_segment *out);
int hvx86_check_code_limit(struct hvx86_vcpu *vcpu,
			   const struct hvx86_segment *cs, u64 offset);
int hvx86_far_transfer(struct hvx86_vcpu *vcpu, u16 selector, u64 offset,
		       bool is_call, unsigned int op_size);
int hvx86_far_return(struct hvx86_vcpu *vcpu, unsigned int op_size,
		     u16 pop_extra);
int hvx86_iret(struct hvx86_vcpu *vcpu, unsigned int op_size);

/* x86_mem.c */
int hvx86_linear(struct hvx86_vcpu *vcpu, unsigned int seg, u64 offset,
		 unsigned int size, enum hvx86_access access, u64 *linear);
int hvx86_read_linear(struct hvx86_vcpu *vcpu, u64 linear, void *buf,
		      unsigned int size, enum hvx86_access access, bool system);
int hvx86_write_linear(struct hvx86_vcpu *vcpu, u64 linear, const void *buf,
		       unsigned int size, bool system);
int hvx86_read_mem(struct hvx86_vcpu *vcpu, unsigned int seg, u64 offset,
		   unsigned int size, u64 *value);
int hvx86_write_mem(struct hvx86_vcpu *vcpu, unsigned int seg, u64 offset,
		    unsigned int size, u64 value);
int hvx86_push(struct hvx86_vcpu *vcpu, u64 value, unsigned int size);
int hvx86_pop(struct hvx86_vcpu *vcpu, u64 *value, unsigned int size);
u64 hvx86_stack_mask(const struct hvx86_vcpu *vcpu);
int hvx86_fetch(struct hvx86_vcpu *vcpu, u8 *byte);
int hvx86_port_io(struct hvx86_vcpu *vcpu, u16 port, unsigned int size,
		  bool is_in, u64 *data);
int hvx86_walk(struct hvx86_vcpu *vcpu, u64 linear, enum hvx86_access access,
	       bool user, bool commit, u64 *gpa);

/* x86_alu.c */
u64 hvx86_alu(struct hvx86_vcpu *vcpu, unsigned int op, u64 a, u64 b,
	      unsigned int size);
u64 hvx86_inc_dec(struct hvx86_vcpu *vcpu, u64 a, bool dec, unsigned int size);
u64 hvx86_shift(struct hvx86_vcpu *vcpu, unsigned int op, u64 a,
		unsigned int count, unsigned int size);
void hvx86_set_szp(struct hvx86_vcpu *vcpu, u64 result, unsigned int size);
bool hvx86_condition(const struct hvx86_vcpu *vcpu, unsigned int cc);
int hvx86_mul_div(struct hvx86_vcpu *vcpu, unsigned int op, u64 src,
		  unsigned int size);
u64 hvx86_imul(struct hvx86_vcpu *vcpu, u64 a, u64 b, unsigned int size);

/* x86_decode.c */
int hvx86_decode(struct hvx86_vcpu *vcpu);
bool hvx86_modrm_has_reg_operand_only(const struct hvx86_insn *insn);

/* x86_exec.c */
int hvx86_exec(struct hvx86_vcpu *vcpu);
int hvx86_rm_read(struct hvx86_vcpu *vcpu, unsigned int size, u64 *value);
int hvx86_rm_write(struct hvx86_vcpu *vcpu, unsigned int size, u64 value);

/* x86_exec_0f.c */
int hvx86_exec_0f(struct hvx86_vcpu *vcpu);
int hvx86_exec_group7(struct hvx86_vcpu *vcpu);

/* x86_string.c */
int hvx86_exec_string(struct hvx86_vcpu *vcpu);
int hvx86_exec_port(struct hvx86_vcpu *vcpu);

#endif /* _HVSIM_X86_INTERNAL_H_ */
