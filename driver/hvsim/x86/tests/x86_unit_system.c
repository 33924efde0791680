// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter unit tests: system details (fetch limits, descriptor
 * tables, gates, interrupt shadows, dirty tracking).
 * The runner and the shared checks are in x86_unit.c and x86_unit.h.
 */
#include "x86_unit.h"

/* --------------------------------------------------------- system details */

static void test_fetch_page_cross(void)
{
	static const u8 code[] = {
		0x48, 0xb8, 0x88, 0x77, 0x66, 0x55, 0x44,	/* movabs rax,0x1122334455667788 */
		0x33, 0x22, 0x11,
	};

	env_long64(&env);
	/* the 10-byte mov straddles 0x5000: its tail page is not present */
	env_load(&env, 0x5000 - 4, code, sizeof(code));
	put64(&env, TEST_PT + 5 * 8, 0);
	env.vcpu.regs.rip = 0x5000 - 4;
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_PF;
	CHECK_EQ(RUN(10), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.cr2, 0x5000);
	CHECK_EQ(env.vcpu.exit.exception.error_code, HVX86_PF_FETCH);
	CHECK_EQ(env.vcpu.regs.rip, 0x5000 - 4);
}

static void test_insn_too_long(void)
{
	static const u8 code[] = {
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90, 0xf4,
	};

	env_long64(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);	/* 14 prefixes + nop = 15: fine */
	env.vcpu.regs.rip = TEST_CODE;
	hvx86_wake(&env.vcpu);
	env.mem[TEST_CODE + 14] = 0x66;
	env.mem[TEST_CODE + 15] = 0x90;
	CHECK_EQ(RUN(10), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_GP);
}

static void test_real_segment_limit(void)
{
	static const u8 code[] = {
		0xa1, 0xff, 0xff,	/* mov ax,ds:0xffff */
		0xf4,	/* hlt */
		0xbb, 0x13, 0x00,	/* mov bx,0x13 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env_gate(&env, HVX86_VEC_GP, 0, TEST_CODE + 4, false);
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 0x13);
	CHECK_EQ(get16(&env, TEST_STACK - 6), TEST_CODE);
}

static void test_prot32_ring3_interrupt(void)
{
	static const u8 code[] = {
		0x6a, 0x3b,	/* push 0x3b */
		0x68, 0x00, 0x70, 0x00, 0x00,	/* push 0x7000 */
		0x68, 0x00, 0x30, 0x00, 0x00,	/* push 0x3000 */
		0x6a, 0x33,	/* push 0x33 */
		0x68, 0x00, 0x60, 0x00, 0x00,	/* push 0x6000 */
		0xcf,	/* iret */
	};
	static const u8 user[] = {
		0xb8, 0x05, 0x00, 0x00, 0x00,	/* mov eax,0x5 */
		0xcd, 0x80,	/* int 0x80 */
		0x01, 0xc8,	/* add eax,ecx */
		0xf4,	/* hlt */
	};
	static const u8 handler[] = {
		0x8b, 0x4c, 0x24, 0x0c,	/* mov ecx,DWORD PTR [esp+0xc] */
		0x8b, 0x54, 0x24, 0x10,	/* mov edx,DWORD PTR [esp+0x10] */
		0xcf,	/* iret */
	};

	env_prot32(&env);
	LOAD(code);
	env_load(&env, 0x6000, user, sizeof(user));
	env_load(&env, 0x1100, handler, sizeof(handler));
	env_gate(&env, 0x80, SEL_CODE32, 0x1100, false);
	/* 32-bit TSS: ESP0 = 0x9000, SS0 = data32 */
	memset(env.mem + TEST_TSS, 0, 0x68);
	put64(&env, TEST_TSS + 4, 0x9000 | ((u64)SEL_DATA32 << 32));
	env.vcpu.regs.tr.attributes = HVX86_SEG_P | 0xb;	/* 32-bit TSS */
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	/* ... and the final hlt at CPL 3 is privileged: #GP */
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_GP);
	CHECK_EQ(env.vcpu.regs.rip, 0x6000 + sizeof(user) - 1);
	CHECK_EQ(REG(RCX), 0x7000);		/* user ESP pushed on the ring-0 stack */
	CHECK_EQ(REG(RDX), SEL_DATA32_R3);	/* user SS */
	CHECK_EQ(REG(RAX), 5 + 0x7000);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_CS].selector, SEL_CODE32_R3);
	CHECK_EQ(REG(RSP), 0x7000);
	CHECK(!(FLAGS & HVX86_FLAG_IF));	/* the iret image had IF=0 */
}

static void test_int3_intercept(void)
{
	static const u8 code[] = {
		0x90,	/* nop */
		0xcc,	/* int3 */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_BP;
	CHECK_EQ(RUN(10), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_BP);
	CHECK(env.vcpu.exit.exception.software);
	CHECK_EQ(env.vcpu.exit.insn_len, 1);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 1);
	hvx86_skip_instruction(&env.vcpu);
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);
}

static void test_descriptor_table_ops(void)
{
	static const u8 code[] = {
		0x0f, 0x01, 0x05, 0x00, 0x40, 0x00, 0x00,	/* sgdtd ds:0x4000 */
		0x0f, 0x01, 0x0d, 0x10, 0x40, 0x00, 0x00,	/* sidtd ds:0x4010 */
		0x0f, 0x01, 0xe0,	/* smsw eax */
		0x0f, 0x01, 0xf0,	/* lmsw ax */
		0x66, 0xb8, 0x40, 0x00,	/* mov ax,0x40 */
		0x0f, 0x00, 0xd8,	/* ltr ax */
		0x66, 0x0f, 0x00, 0xcb,	/* str bx */
		0xf4,	/* hlt */
	};

	env_prot32(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(get16(&env, 0x4000), sizeof(test_gdt) - 1);
	CHECK_EQ(get32(&env, 0x4002), TEST_GDT);
	CHECK_EQ(get16(&env, 0x4010), 0x7ff);
	CHECK_EQ(get32(&env, 0x4012), TEST_IDT);
	CHECK_EQ(REG(RAX) & 0xffff, 0x40);
	CHECK_EQ(REG(RBX) & 0xffff, 0x40);
	CHECK_EQ(env.vcpu.regs.tr.base, TEST_TSS);
	/* LTR marks the TSS busy in the GDT */
	CHECK_EQ(env.mem[TEST_GDT + 0x40 + 5], 0x8b);
}

static void test_cr8_and_efer(void)
{
	static const u8 code[] = {
		0xb8, 0x09, 0x00, 0x00, 0x00,	/* mov eax,0x9 */
		0x44, 0x0f, 0x22, 0xc0,	/* mov cr8,rax */
		0x44, 0x0f, 0x20, 0xc3,	/* mov rbx,cr8 */
		0xb9, 0x80, 0x00, 0x00, 0xc0,	/* mov ecx,0xc0000080 */
		0x0f, 0x32,	/* rdmsr */
		0x89, 0xc6,	/* mov esi,eax */
		0x0d, 0x00, 0x00, 0x01, 0x00,	/* or eax,0x10000 */
		0x0f, 0x30,	/* wrmsr */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);	/* reserved EFER bit */
	CHECK_EQ(REG(RBX), 9);
	CHECK_EQ(REG(RSI), HVX86_EFER_LME | HVX86_EFER_LMA | HVX86_EFER_NXE);
	CHECK_EQ(env.vcpu.regs.cr8, 9);
}

static void test_sreg_push_pop_override(void)
{
	static const u8 code[] = {
		0xb8, 0x00, 0x05,	/* mov ax,0x500 */
		0x8e, 0xc0,	/* mov es,ax */
		0x06,	/* push es */
		0x0f, 0xa1,	/* pop fs */
		0xbe, 0x10, 0x00,	/* mov si,0x10 */
		0xbf, 0x20, 0x00,	/* mov di,0x20 */
		0x64, 0xa4,	/* movs BYTE PTR es:[di],BYTE PTR fs:[si] */
		0x64, 0xa0, 0x20, 0x00,	/* mov al,fs:0x20 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.mem[0x5010] = 0x7e;
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_FS].base, 0x5000);
	CHECK_EQ(env.mem[0x5020], 0x7e);
	CHECK_EQ(REG(RAX) & 0xff, 0x7e);
}

static void test_compat_to_long_far_jump(void)
{
	static const u8 code64[] = {
		0x48, 0xc7, 0xc0, 0x00, 0x12, 0x00, 0x00,	/* mov rax,0x1200 */
		0x6a, 0x08,	/* push 0x8 */
		0x50,	/* push rax */
		0x48, 0xcb,	/* retfq */
	};
	static const u8 code32[] = {
		0xbb, 0x32, 0x00, 0x00, 0x00,	/* mov ebx,0x32 */
		0xea, 0x00, 0x13, 0x00, 0x00, 0x20, 0x00,	/* jmp 0x20:0x1300 */
	};
	static const u8 back64[] = {
		0x48, 0xb9, 0x64, 0x64, 0x64, 0x64, 0x64,	/* movabs rcx,0x6464646464 */
		0x00, 0x00, 0x00,
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code64);
	env_load(&env, 0x1200, code32, sizeof(code32));
	env_load(&env, 0x1300, back64, sizeof(back64));
	CHECK_EQ(RUN(3), HVX86_EXIT_BUDGET);
	CHECK_EQ(RUN(1), HVX86_EXIT_BUDGET);
	CHECK_EQ(hvx86_get_mode(&env.vcpu), HVX86_MODE_COMPAT32);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 0x32);
	CHECK_EQ(REG(RCX), 0x6464646464ULL);
	CHECK_EQ(hvx86_get_mode(&env.vcpu), HVX86_MODE_LONG64);
}

static void test_gate_not_present_and_double_fault(void)
{
	static const u8 code[] = {
		0x0f, 0x0b,	/* ud2 */
		0xf4,	/* hlt */
		0x58,	/* pop rax */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	/* a valid interrupt gate for #UD, but not present */
	env_gate(&env, HVX86_VEC_UD, SEL_CODE64, TEST_CODE + 3, false);
	env.mem[TEST_IDT + HVX86_VEC_UD * 16 + 5] &= 0x7f;
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_NP;
	CHECK_EQ(RUN(10), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_NP);
	CHECK_EQ(env.vcpu.exit.exception.error_code, HVX86_VEC_UD * 16 / 2 + 3);
	/* the #NP gate is empty: #GP while delivering #NP -> #DF */
	env.vcpu.config.exception_bitmap = 0;
	env_gate(&env, HVX86_VEC_DF, SEL_CODE64, TEST_CODE + 3, false);
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 0);			/* #DF error code */
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 5);
}

static void test_mov_ss_shadow(void)
{
	static const u8 code[] = {
		0x31, 0xc0,	/* xor ax,ax */
		0x8e, 0xd0,	/* mov ss,ax */
		0xbb, 0x01, 0x00,	/* mov bx,0x1 */
		0xbb, 0x02, 0x00,	/* mov bx,0x2 */
		0xf4,	/* hlt */
		0x89, 0xd9,	/* mov cx,bx */
		0xcf,	/* iret */
	};

	env_real(&env);
	LOAD(code);
	env_gate(&env, 0x50, 0, TEST_CODE + sizeof(code) - 3, false);
	FLAGS |= HVX86_FLAG_IF;
	CHECK_EQ(RUN(2), HVX86_EXIT_BUDGET);	/* xor; mov ss (shadow) */
	CHECK(hvx86_inject_interrupt(&env.vcpu, 0x50));
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RCX), 1);	/* taken after "mov bx, 1", not after mov ss */
}

static void test_rep_budget_progress(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc6, 0x00, 0x40, 0x00, 0x00,	/* mov rsi,0x4000 */
		0x48, 0xc7, 0xc7, 0x00, 0x60, 0x00, 0x00,	/* mov rdi,0x6000 */
		0x48, 0xc7, 0xc1, 0x64, 0x00, 0x00, 0x00,	/* mov rcx,0x64 */
		0xf3, 0xa4,	/* rep movs BYTE PTR es:[rdi],BYTE PTR ds:[rsi] */
		0xf4,	/* hlt */
	};
	unsigned int i;

	env_long64(&env);
	LOAD(code);
	for (i = 0; i < 100; i++)
		env.mem[0x4000 + i] = (u8)i;
	CHECK_EQ(RUN(13), HVX86_EXIT_BUDGET);
	CHECK_EQ(REG(RCX), 90);
	CHECK_EQ(REG(RDI), 0x600a);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 21);
	CHECK_EQ(RUN(1000), HVX86_EXIT_HLT);
	CHECK(!memcmp(env.mem + 0x4000, env.mem + 0x6000, 100));
}

static void test_dirty_tracking_writes(void)
{
	static const u8 code[] = {
		0x48, 0x89, 0x04, 0x25, 0xfc, 0x4f, 0x00,	/* mov QWORD PTR ds:0x4ffc,rax */
		0x00,
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	env.writes = 0;
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);
	/* page-crossing store: two chunks, plus A/D updates of both PTEs */
	CHECK(env.writes >= 2);
	CHECK(get64(&env, TEST_PT + 4 * 8) & 0x40);
	CHECK(get64(&env, TEST_PT + 5 * 8) & 0x40);
}

static void test_unrecoverable_state(void)
{
	env_long64(&env);
	env.vcpu.regs.cr4 = 0;		/* long mode without PAE */
	CHECK_EQ(RUN(10), HVX86_EXIT_UNRECOVERABLE);
	env.vcpu.regs.cr4 = HVX86_CR4_PAE;
	env.mem[TEST_CODE] = 0xf4;
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);
}

static void test_branch_target_checks(void)
{
	static const u8 code64[] = {
		0x48, 0xb8, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,	/* movabs rax,0xa5a5a5a5a5a5a5a5 */
		0xa5, 0xa5, 0xa5,
		0xff, 0xe0,	/* jmp rax */
	};
	static const u8 code16[] = {
		0x66, 0xb8, 0x45, 0x23, 0x01, 0x00,	/* mov eax,0x12345 */
		0x66, 0xff, 0xe0,	/* jmp eax */
	};

	/* a non-canonical target faults on the jmp, not on the fetch */
	env_long64(&env);
	LOAD(code64);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(10), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_GP);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 10);
	CHECK_EQ(env.vcpu.exit.insn_len, 2);
	/* real mode: beyond the 64 KiB CS limit */
	env_real(&env);
	LOAD(code16);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(10), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 6);
}

static void test_cmpxchg_register_failure(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc3, 0xff, 0xff, 0xff, 0xff,	/* mov rbx,0xffffffffffffffff */
		0x48, 0xc7, 0xc1, 0x02, 0x00, 0x00, 0x00,	/* mov rcx,0x2 */
		0x48, 0xb8, 0x05, 0x00, 0x00, 0x00, 0x05,	/* movabs rax,0x500000005 */
		0x00, 0x00, 0x00,
		0x0f, 0xb1, 0xcb,	/* cmpxchg ebx,ecx */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	CHECK_EQ(RUN(10), HVX86_EXIT_HLT);
	/* failed: EAX <- EBX (zero-extended), EBX's register left alone */
	CHECK_EQ(REG(RAX), 0xffffffffULL);
	CHECK_EQ(REG(RBX), ~0ULL);
	CHECK(!(FLAGS & ZF));
}

const struct test_case x86_unit_system_tests[] = {
	T(test_fetch_page_cross),
	T(test_insn_too_long),
	T(test_real_segment_limit),
	T(test_prot32_ring3_interrupt),
	T(test_int3_intercept),
	T(test_descriptor_table_ops),
	T(test_cr8_and_efer),
	T(test_sreg_push_pop_override),
	T(test_compat_to_long_far_jump),
	T(test_gate_not_present_and_double_fault),
	T(test_mov_ss_shadow),
	T(test_rep_budget_progress),
	T(test_dirty_tracking_writes),
	T(test_unrecoverable_state),
	T(test_branch_target_checks),
	T(test_cmpxchg_register_failure),
};

const unsigned int x86_unit_system_count = ARRAY_SIZE(x86_unit_system_tests);
