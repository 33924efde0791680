// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the hvsim x86 interpreter.
 *
 * Input layout: byte 0 selects the mode (real, 32-bit protected, 64-bit
 * long) and a few options, bytes 1..136 seed the GPRs and RFLAGS, byte 137
 * the exception bitmap; the rest is guest code loaded at TEST_CODE (and
 * repeated into the data area).  Every exit is completed with values derived
 * from the input, for up to 32 exits, with a budget per run so loops end.
 */
#define TEST_MEM_SIZE	(1u << 20)
#include "test_env.h"

#define STATE_BYTES	138

static struct test_env env;

static u64 take(const u8 *data, size_t size, size_t *pos, unsigned int n)
{
	u64 value = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (*pos < size)
			value |= (u64)data[*pos] << (8 * i);
		(*pos)++;
	}
	return value;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* Properties every exit must have; a violation aborts the fuzzer. */
static void check_invariants(const struct hvx86_vcpu *vcpu)
{
	const struct hvx86_regs *regs = &vcpu->regs;
	enum hvx86_mode mode = hvx86_get_mode(vcpu);

	if (vcpu->exit.insn_len > 15)
		__builtin_trap();
	if (!(regs->rflags & HVX86_FLAG_FIXED) ||
	    (regs->rflags & (HVX86_FLAG_VM | 0xffffffffffc08028ULL)))
		__builtin_trap();
	if (mode == HVX86_MODE_LONG64 &&
	    (u64)((s64)(regs->rip << 16) >> 16) != regs->rip)
		__builtin_trap();
	if (mode != HVX86_MODE_LONG64 && regs->rip > 0xffffffffULL)
		__builtin_trap();
	if ((regs->efer & HVX86_EFER_LMA) && !(regs->cr0 & HVX86_CR0_PG))
		__builtin_trap();
	if (vcpu->exit.reason == HVX86_EXIT_IO &&
	    vcpu->exit.io.size != 1 && vcpu->exit.io.size != 2 &&
	    vcpu->exit.io.size != 4)
		__builtin_trap();
	if (vcpu->exit.reason == HVX86_EXIT_MEMORY &&
	    (vcpu->exit.memory.size == 0 || vcpu->exit.memory.size > 16 ||
	     ((vcpu->exit.memory.gpa & 0xfff) + vcpu->exit.memory.size > 4096)))
		__builtin_trap();
	if (vcpu->exit.reason == HVX86_EXIT_UNRECOVERABLE)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct hvx86_vcpu *vcpu;
	size_t pos = 1, code_len;
	unsigned int mode, i, rounds;
	u64 value;
	u8 options;

	if (size < 1)
		return 0;
	options = data[0];
	mode = options % 3;
	if (mode == 0)
		env_real(&env);
	else if (mode == 1)
		env_prot32(&env);
	else
		env_long64(&env);
	vcpu = &env.vcpu;
	for (i = 0; i < HVX86_GPR_COUNT; i++)
		vcpu->regs.gpr[i] = take(data, size, &pos, 8);
	value = take(data, size, &pos, 8);
	vcpu->regs.rflags = (value & (HVX86_FLAGS_ARITH | HVX86_FLAG_DF |
				      HVX86_FLAG_IF)) | HVX86_FLAG_FIXED;
	if (options & 0x40)
		vcpu->regs.gpr[HVX86_RSP] = TEST_STACK - 0x100;
	vcpu->config.exception_bitmap = (u32)take(data, size, &pos, 1) <<
					((options >> 3) & 7) * 3;
	vcpu->config.hlt_rip_at_instruction = options & 0x80;
	vcpu->config.exit_on_unsupported = options & 0x20;
	code_len = size > STATE_BYTES ? size - STATE_BYTES : 0;
	if (code_len > 0x1000)
		code_len = 0x1000;
	if (code_len) {
		env_load(&env, TEST_CODE, data + STATE_BYTES, code_len);
		env_load(&env, TEST_DATA, data + STATE_BYTES, code_len);
	}
	if (options & 0x18) {
		/* handlers for every vector: a hlt at 0x7f00 */
		env.mem[0x7f00] = 0xf4;
		for (i = 0; i < 256; i++)
			env_gate(&env, i, mode == 2 ? SEL_CODE64 :
				 (mode == 1 ? SEL_CODE32 : 0), 0x7f00, i & 1);
	}

	for (rounds = 0; rounds < 32; rounds++) {
		enum hvx86_exit_reason reason = hvx86_run(vcpu, 300);

		check_invariants(vcpu);
		value = rounds * 0x9e3779b97f4a7c15ULL;
		switch (reason) {
		case HVX86_EXIT_IO:
			hvx86_complete_io(vcpu, (u32)value);
			break;
		case HVX86_EXIT_MEMORY:
			if (rounds & 1)
				hvx86_complete_memory(vcpu, value);
			else
				hvx86_skip_instruction(vcpu);
			break;
		case HVX86_EXIT_CPUID:
			hvx86_complete_cpuid(vcpu, 1, 2, 3, 4);
			break;
		case HVX86_EXIT_RDMSR:
			hvx86_complete_rdmsr(vcpu, value);
			break;
		case HVX86_EXIT_WRMSR:
			if (rounds & 1)
				hvx86_inject_exception(vcpu, HVX86_VEC_GP, true, 0);
			else
				hvx86_complete_wrmsr(vcpu);
			break;
		case HVX86_EXIT_VMCALL:
			hvx86_complete_vmcall(vcpu, value);
			break;
		case HVX86_EXIT_EXCEPTION:
		case HVX86_EXIT_UNSUPPORTED:
			if (rounds & 2)
				hvx86_skip_instruction(vcpu);
			else
				hvx86_inject_exception(vcpu, HVX86_VEC_UD, false, 0);
			break;
		case HVX86_EXIT_HLT:
			if (!hvx86_inject_interrupt(vcpu, 0x20 + rounds))
				return 0;
			vcpu->regs.rflags |= HVX86_FLAG_IF;
			break;
		case HVX86_EXIT_INTERRUPT_WINDOW:
			break;
		case HVX86_EXIT_BUDGET:
			if (rounds > 2)
				return 0;
			hvx86_request_interrupt_window(vcpu, true);
			break;
		default:
			return 0;
		}
	}
	return 0;
}
