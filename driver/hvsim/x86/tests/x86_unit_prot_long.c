// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter unit tests: 32-bit protected and 64-bit long mode.
 * The runner and the shared checks are in x86_unit.c and x86_unit.h.
 */
#include "x86_unit.h"

/* ---------------------------------------------------------- protected mode */

static void test_prot32_segments(void)
{
	static const u8 code[] = {
		0x66, 0xb8, 0x28, 0x00,	/* mov ax,0x28 */
		0x8e, 0xc0,	/* mov es,eax */
		0x26, 0xc7, 0x05, 0x10, 0x00, 0x00, 0x00,	/* mov dword es:[0x10],0x11223344 */
		0x44, 0x33, 0x22, 0x11,
		0x26, 0xa1, 0xfc, 0x0f, 0x00, 0x00,	/* mov eax,es:0xffc */
		0x26, 0x8b, 0x1d, 0xfd, 0x0f, 0x00, 0x00,	/* mov ebx,DWORD PTR es:0xffd */
		0xf4,	/* hlt */
	};

	env_prot32(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(get32(&env, 0x10010), 0x11223344);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_GP);
	CHECK_EQ(env.vcpu.exit.exception.error_code, 0);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 23);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_ES].base, 0x10000);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_ES].limit, 0xfff);
}

static void test_prot32_bad_selector(void)
{
	static const u8 code[] = {
		0x66, 0xb8, 0xf8, 0x01,	/* mov ax,0x1f8 */
		0x8e, 0xd8,	/* mov ds,eax */
		0xf4,	/* hlt */
	};

	env_prot32(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.error_code, 0x1f8);
	/* null selector in DS is fine, using it is not */
	static const u8 code2[] = {
		0x31, 0xc0,	/* xor eax,eax */
		0x8e, 0xd8,	/* mov ds,eax */
		0xa1, 0x00, 0x40, 0x00, 0x00,	/* mov eax,ds:0x4000 */
		0xf4,	/* hlt */
	};
	env_prot32(&env);
	LOAD(code2);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 4);
}

static void test_prot32_idt_error_code(void)
{
	static const u8 code[] = {
		0x66, 0xb8, 0xf8, 0x01,	/* mov ax,0x1f8 */
		0x8e, 0xe0,	/* mov fs,eax */
		0xf4,	/* hlt */
		0x58,	/* pop eax */
		0x5b,	/* pop ebx */
		0xf4,	/* hlt */
	};

	env_prot32(&env);
	LOAD(code);
	env_gate(&env, HVX86_VEC_GP, SEL_CODE32, TEST_CODE + 7, false);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 0x1f8);
	CHECK_EQ(REG(RBX), TEST_CODE + 4);
	CHECK_EQ(get32(&env, TEST_STACK - 8), SEL_CODE32);
	CHECK(!(FLAGS & HVX86_FLAG_IF));
}

static void test_prot32_far_call(void)
{
	static const u8 code[] = {
		0x9a, 0x00, 0x11, 0x00, 0x00, 0x08, 0x00,	/* call 0x8:0x1100 */
		0xbb, 0x02, 0x00, 0x00, 0x00,	/* mov ebx,0x2 */
		0xff, 0x1d, 0x00, 0x40, 0x00, 0x00,	/* call FWORD PTR ds:0x4000 */
		0xf4,	/* hlt */
	};
	static const u8 callee[] = {
		0xb8, 0x01, 0x00, 0x00, 0x00,	/* mov eax,0x1 */
		0x83, 0xc1, 0x01,	/* add ecx,0x1 */
		0xcb,	/* retf */
	};

	env_prot32(&env);
	LOAD(code);
	env_load(&env, 0x1100, callee, sizeof(callee));
	put64(&env, 0x4000, 0x0000000800001100ULL);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 1);
	CHECK_EQ(REG(RBX), 2);
	CHECK_EQ(REG(RCX), 2);
	CHECK_EQ(REG(RSP), TEST_STACK);
}

static void test_prot32_paging(void)
{
	static const u8 code[] = {
		0xa1, 0x23, 0x01, 0x40, 0x00,	/* mov eax,ds:0x400123 */
		0xc7, 0x05, 0x00, 0x10, 0x40, 0x00, 0x07,	/* mov DWORD PTR ds:0x401000,0x7 */
		0x00, 0x00, 0x00,
		0xf4,	/* hlt */
	};

	env_prot32(&env);
	LOAD(code);
	/* page directory at 0x20000: 4 MiB page 0 identity, PT for 4-8 MiB */
	put64(&env, 0x20000, 0x83);
	put64(&env, 0x20004, 0x21003);		/* entries are 4 bytes */
	memset(env.mem + 0x21000, 0, 8);
	env.mem[0x21000] = 0x01;		/* 0x400000 -> 0x5000, read-only */
	env.mem[0x21001] = 0x50;
	env.mem[0x21004] = 0x00;		/* 0x401000 not present */
	env.mem[0x5123] = 0x66;
	env.vcpu.regs.cr3 = 0x20000;
	env.vcpu.regs.cr4 = HVX86_CR4_PSE;
	env.vcpu.regs.cr0 |= HVX86_CR0_PG;
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_PF;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(REG(RAX), 0x66);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_PF);
	CHECK_EQ(env.vcpu.exit.exception.error_code, HVX86_PF_WRITE);
	CHECK_EQ(env.vcpu.exit.exception.cr2, 0x401000);
	CHECK_EQ(env.vcpu.regs.cr2, 0);
	/* accessed bits were set in the PDE and PTE */
	CHECK(env.mem[0x20004] & 0x20);
	CHECK(env.mem[0x21000] & 0x20);
	CHECK(!(env.mem[0x21000] & 0x40));
	CHECK_EQ(hvx86_get_mode(&env.vcpu), HVX86_MODE_PROT32);
}

/* ----------------------------------------------------------------- long mode */

static void test_long_basic(void)
{
	static const u8 code[] = {
		0x49, 0xb9, 0x01, 0x00, 0x00, 0x00, 0x00,	/* movabs r9,0x8000000000000001 */
		0x00, 0x00, 0x80,
		0x41, 0xba, 0xff, 0xff, 0xff, 0xff,	/* mov r10d,0xffffffff */
		0x4d, 0x63, 0xda,	/* movsxd r11,r10d */
		0xb8, 0x00, 0x00, 0x00, 0x80,	/* mov eax,0x80000000 */
		0x48, 0x98,	/* cdqe */
		0x48, 0x99,	/* cqo */
		0x4c, 0x8d, 0x25, 0x00, 0x01, 0x00, 0x00,	/* lea r12,[rip+0x100] */
		0x4d, 0x01, 0xc9,	/* add r9,r9 */
		0x0f, 0x92, 0xc1,	/* setb cl */
		0x4c, 0x8b, 0x2d, 0x01, 0x00, 0x00, 0x00,	/* mov r13,[rip+0x1] */
		0xf4,	/* hlt */
		0x88, 0x77, 0x66,	/* mov BYTE PTR [rdi+0x66],dh */
		0x55,	/* push rbp */
		0x44, 0x33, 0x22,	/* xor r12d,DWORD PTR [rdx] */
		0x11,	/* .byte 0x11 */
	};

	env_long64(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(R9), 2);
	CHECK_EQ(REG(R10), 0xffffffffULL);
	CHECK_EQ(REG(R11), ~0ULL);
	CHECK_EQ(REG(RAX), 0xffffffff80000000ULL);
	CHECK_EQ(REG(RDX), ~0ULL);
	CHECK_EQ(REG(R12), TEST_CODE + 35 + 0x100);
	CHECK_EQ(REG(RCX) & 0xff, 1);
	CHECK_EQ(ARITH(CF | OF | ZF), CF | OF);
	CHECK_EQ(REG(R13), 0x1122334455667788ULL);
}

static void test_long_mul_div(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff,	/* mov rax,0xffffffffffffffff */
		0x48, 0xc7, 0xc3, 0x03, 0x00, 0x00, 0x00,	/* mov rbx,0x3 */
		0x48, 0xf7, 0xe3,	/* mul rbx */
		0x49, 0x89, 0xc0,	/* mov r8,rax */
		0x49, 0x89, 0xd1,	/* mov r9,rdx */
		0x4c, 0x89, 0xc0,	/* mov rax,r8 */
		0x4c, 0x89, 0xca,	/* mov rdx,r9 */
		0x48, 0xf7, 0xf3,	/* div rbx */
		0x49, 0x89, 0xc2,	/* mov r10,rax */
		0x48, 0xc7, 0xc0, 0x9c, 0xff, 0xff, 0xff,	/* mov rax,0xffffffffffffff9c */
		0x48, 0x99,	/* cqo */
		0x48, 0xc7, 0xc1, 0x07, 0x00, 0x00, 0x00,	/* mov rcx,0x7 */
		0x48, 0xf7, 0xf9,	/* idiv rcx */
		0x49, 0x89, 0xd3,	/* mov r11,rdx */
		0x49, 0x89, 0xc4,	/* mov r12,rax */
		0x48, 0xc7, 0xc0, 0xfe, 0xff, 0xff, 0xff,	/* mov rax,0xfffffffffffffffe */
		0x48, 0xc7, 0xc3, 0x03, 0x00, 0x00, 0x00,	/* mov rbx,0x3 */
		0x48, 0xf7, 0xeb,	/* imul rbx */
		0x4c, 0x6b, 0xeb, 0xfb,	/* imul r13,rbx,0xfffffffffffffffb */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(R8), 0xfffffffffffffffdULL);
	CHECK_EQ(REG(R9), 2);
	CHECK_EQ(REG(R10), ~0ULL);
	CHECK_EQ(REG(R11), (u64)-2);
	CHECK_EQ(REG(R12), (u64)-14);
	CHECK_EQ(REG(RAX), (u64)-6);
	CHECK_EQ(REG(RDX), ~0ULL);
	CHECK_EQ(REG(R13), (u64)-15);
}

static void test_long_div_overflow(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc2, 0x05, 0x00, 0x00, 0x00,	/* mov rdx,0x5 */
		0x48, 0xc7, 0xc0, 0x00, 0x00, 0x00, 0x00,	/* mov rax,0x0 */
		0x48, 0xc7, 0xc1, 0x05, 0x00, 0x00, 0x00,	/* mov rcx,0x5 */
		0x48, 0xf7, 0xf1,	/* div rcx */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_DE;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_DE);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 21);
}

static void test_long_bits_atomics(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc3, 0x08, 0x40, 0x00, 0x00,	/* mov rbx,0x4008 */
		0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff,	/* mov rax,0xffffffffffffffff */
		0x48, 0x0f, 0xab, 0x03,	/* bts QWORD PTR [rbx],rax */
		0x0f, 0x92, 0xc1,	/* setb cl */
		0xb8, 0x03, 0x00, 0x00, 0x00,	/* mov eax,0x3 */
		0xf0, 0x0f, 0xbb, 0x03,	/* lock btc DWORD PTR [rbx],eax */
		0xba, 0x01, 0x00, 0x00, 0x00,	/* mov edx,0x1 */
		0xb8, 0x80, 0x00, 0x00, 0x00,	/* mov eax,0x80 */
		0xf0, 0x0f, 0xb1, 0x13,	/* lock cmpxchg DWORD PTR [rbx],edx */
		0x0f, 0x94, 0xc5,	/* sete ch */
		0x41, 0xb8, 0x05, 0x00, 0x00, 0x00,	/* mov r8d,0x5 */
		0xf0, 0x44, 0x0f, 0xc1, 0x43, 0x08,	/* lock xadd DWORD PTR [rbx+0x8],r8d */
		0x0f, 0xca,	/* bswap edx */
		0x4c, 0x0f, 0xbd, 0xcb,	/* bsr r9,rbx */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	put64(&env, 0x4010, 10);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RCX) & 0xff, 0);		/* bit 63 of [0x4000] was 0 */
	CHECK_EQ(get64(&env, 0x4000), 1ULL << 63);
	CHECK_EQ(get32(&env, 0x4008), 8);	/* btc set bit 3 */
	CHECK_EQ((REG(RCX) >> 8) & 0xff, 0);	/* cmpxchg 0x80 != 8: failed */
	CHECK_EQ(REG(RAX), 8);			/* ... and loaded the dest */
	CHECK_EQ(REG(R8), 10);
	CHECK_EQ(get32(&env, 0x4010), 15);
	CHECK_EQ(REG(RDX), 0x01000000);
	CHECK_EQ(REG(R9), 14);
}

static void test_long_cmov_zero_extend(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff,	/* mov rax,0xffffffffffffffff */
		0x48, 0xc7, 0xc3, 0xff, 0xff, 0xff, 0xff,	/* mov rbx,0xffffffffffffffff */
		0x31, 0xc9,	/* xor ecx,ecx */
		0x0f, 0x45, 0xc1,	/* cmovne eax,ecx */
		0x48, 0x0f, 0x44, 0xd9,	/* cmove rbx,rcx */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 0xffffffffULL);
	CHECK_EQ(REG(RBX), 0);
}

static void test_long_page_faults(void)
{
	static const u8 code[] = {
		0x48, 0x8b, 0x04, 0x25, 0x00, 0x50, 0x00,	/* mov rax,QWORD PTR ds:0x5000 */
		0x00,
		0x48, 0x89, 0x04, 0x25, 0x00, 0x60, 0x00,	/* mov QWORD PTR ds:0x6000,rax */
		0x00,
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	put64(&env, TEST_PT + 5 * 8, 0);			/* not present */
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_PF;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.error_code, 0);
	CHECK_EQ(env.vcpu.exit.exception.cr2, 0x5000);
	put64(&env, TEST_PT + 5 * 8, 0x5001);			/* read-only */
	put64(&env, TEST_PT + 6 * 8, 0x6001);
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.error_code,
		 HVX86_PF_PRESENT | HVX86_PF_WRITE);
	CHECK_EQ(env.vcpu.exit.exception.cr2, 0x6000);
	CHECK(get64(&env, TEST_PT + 5 * 8) & 0x20);		/* accessed */
	put64(&env, TEST_PT + 6 * 8, 0x6003);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(get64(&env, TEST_PT + 6 * 8), 0x6063);	/* A and D */
	/* reserved bit set: RSVD error code */
	hvx86_wake(&env.vcpu);
	env.vcpu.regs.rip = TEST_CODE;
	put64(&env, TEST_PT + 5 * 8, 0x5001 | (1ULL << 51));
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.error_code,
		 HVX86_PF_PRESENT | HVX86_PF_RSVD);
}

static void test_long_nx_fetch(void)
{
	static const u8 code[] = {
		0xff, 0xe0,	/* jmp rax */
	};

	env_long64(&env);
	LOAD(code);
	REG(RAX) = 0x7000;
	put64(&env, TEST_PT + 7 * 8, 0x7003 | (1ULL << 63));
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_PF;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.error_code,
		 HVX86_PF_PRESENT | HVX86_PF_FETCH);
	CHECK_EQ(env.vcpu.exit.exception.cr2, 0x7000);
	CHECK_EQ(env.vcpu.regs.rip, 0x7000);
}

static void test_long_idt_and_cr2(void)
{
	static const u8 code[] = {
		0x48, 0x8b, 0x04, 0x25, 0x08, 0x50, 0x00,	/* mov rax,QWORD PTR ds:0x5008 */
		0x00,
		0xf4,	/* hlt */
		0x5b,	/* pop rbx */
		0x0f, 0x20, 0xd1,	/* mov rcx,cr2 */
		0x48, 0x83, 0x04, 0x24, 0x08,	/* add QWORD PTR [rsp],0x8 */
		0x48, 0xcf,	/* iretq */
	};
	u64 handler = TEST_CODE + 9;

	env_long64(&env);
	LOAD(code);
	put64(&env, TEST_PT + 5 * 8, 0);
	env_gate(&env, HVX86_VEC_PF, SEL_CODE64, handler, false);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 0);		/* error code: not present read */
	CHECK_EQ(REG(RCX), 0x5008);
	CHECK_EQ(env.vcpu.regs.cr2, 0x5008);
	CHECK_EQ(REG(RSP), TEST_STACK);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 9);
}

static void test_long_large_pages(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc0, 0x00, 0x10, 0x20, 0x40,	/* mov rax,0x40201000 */
		0x48, 0x8b, 0x18,	/* mov rbx,QWORD PTR [rax] */
		0x48, 0xb8, 0x10, 0x00, 0x00, 0x80, 0x00,	/* movabs rax,0x80000010 */
		0x00, 0x00, 0x00,
		0x48, 0x8b, 0x08,	/* mov rcx,QWORD PTR [rax] */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	/* 1 GiB page at 1 GiB -> GPA 0, and 0x80000000 -> GPA 0x200000 (2M) */
	put64(&env, TEST_PDPT + 8, 0x87);
	put64(&env, TEST_PDPT + 16, 0x20000 | 0x7);
	put64(&env, 0x20000, 0x200000 | 0x87);
	put64(&env, 0x201000, 0xdeadbeef);
	put64(&env, 0x200010, 0xfeedface);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 0xdeadbeef);
	CHECK_EQ(REG(RCX), 0xfeedface);
}

static void test_long_canonical(void)
{
	static const u8 code[] = {
		0x48, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00,	/* movabs rax,0x800000000000 */
		0x80, 0x00, 0x00,
		0x48, 0x8b, 0x18,	/* mov rbx,QWORD PTR [rax] */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_GP;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_GP);
}

static void test_long_mmio_paged(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc0, 0x78, 0x56, 0x34, 0x12,	/* mov rax,0x12345678 */
		0x48, 0xc7, 0xc3, 0x10, 0x00, 0x0a, 0x80,	/* mov rbx,0xffffffff800a0010 */
		0x89, 0x03,	/* mov DWORD PTR [rbx],eax */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	/* map the top 2 GiB (PML4 511, PDPT 510) onto GPA 0 with 2M pages */
	put64(&env, TEST_PML4 + 511 * 8, 0x14000 | 0x3);
	put64(&env, 0x14000 + 510 * 8, TEST_PD | 0x3);
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK_EQ(env.vcpu.exit.memory.gpa, 0xa0010);
	CHECK_EQ(env.vcpu.exit.memory.gva, 0xffffffff800a0010ULL);
	CHECK_EQ(env.vcpu.exit.memory.data, 0x12345678);
	CHECK_EQ(env.vcpu.exit.memory.size, 4);
	CHECK_EQ(env.vcpu.exit.insn_len, 2);
	hvx86_complete_memory(&env.vcpu, 0);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
}

static void test_long_vmcall_msr(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc1, 0x01, 0x00, 0x00, 0x00,	/* mov rcx,0x1 */
		0x0f, 0x01, 0xc1,	/* vmcall */
		0xb9, 0x00, 0x01, 0x00, 0xc0,	/* mov ecx,0xc0000100 */
		0xb8, 0x00, 0x40, 0x00, 0x00,	/* mov eax,0x4000 */
		0x31, 0xd2,	/* xor edx,edx */
		0x0f, 0x30,	/* wrmsr */
		0x64, 0x48, 0x8b, 0x1c, 0x25, 0x10, 0x00,	/* mov rbx,QWORD PTR fs:0x10 */
		0x00, 0x00,
		0x0f, 0x01, 0xf8,	/* swapgs */
		0x0f, 0x31,	/* rdtsc */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	put64(&env, 0x4010, 0x77);
	CHECK_EQ(RUN(100), HVX86_EXIT_VMCALL);
	CHECK_EQ(env.vcpu.exit.insn_len, 3);
	hvx86_complete_vmcall(&env.vcpu, 0x1234);
	CHECK_EQ(REG(RAX), 0x1234);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 0x77);
	CHECK_EQ(env.vcpu.regs.kernel_gs_base, 0);
	CHECK_EQ(REG(RAX), 1000);
}

static void test_long_user_mode(void)
{
	static const u8 code[] = {
		0x6a, 0x3b,	/* push 0x3b */
		0x68, 0x00, 0x70, 0x00, 0x00,	/* push 0x7000 */
		0x68, 0x02, 0x02, 0x00, 0x00,	/* push 0x202 */
		0x6a, 0x33,	/* push 0x33 */
		0x68, 0x00, 0x60, 0x00, 0x00,	/* push 0x6000 */
		0x48, 0xcf,	/* iretq */
	};
	static const u8 user[] = {
		0x66, 0xb8, 0x3b, 0x00,	/* mov ax,0x3b */
		0x8e, 0xd8,	/* mov ds,eax */
		0xa1, 0x00, 0x50, 0x00, 0x00,	/* mov eax,ds:0x5000 */
		0xcd, 0x80,	/* int 0x80 */
	};
	static const u8 handler[] = {
		0x48, 0x8b, 0x5c, 0x24, 0x08,	/* mov rbx,QWORD PTR [rsp+0x8] */
		0x48, 0x8b, 0x4c, 0x24, 0x18,	/* mov rcx,QWORD PTR [rsp+0x18] */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	env_load(&env, 0x6000, user, sizeof(user));
	env_load(&env, 0x1100, handler, sizeof(handler));
	env_gate(&env, 0x80, SEL_CODE64, 0x1100, false);
	env_gate(&env, HVX86_VEC_PF, SEL_CODE64, 0x1100, false);
	put64(&env, TEST_TSS + 4, 0x9000);			/* RSP0 */
	put64(&env, TEST_PT + 5 * 8, 0x5003);			/* supervisor */
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	/* the user read of a supervisor page faulted: error code 5 */
	CHECK_EQ(get64(&env, 0x9000 - 48), 5);
	CHECK_EQ(REG(RBX), 0x6006);
	CHECK_EQ(REG(RCX), 0x202);
	CHECK_EQ(env.vcpu.regs.cr2, 0x5000);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_CS].selector & 3, 0);
}

static void test_triple_fault(void)
{
	static const u8 code[] = {
		0x0f, 0x0b,	/* ud2 */
	};

	env_long64(&env);
	LOAD(code);
	env.vcpu.regs.idtr.limit = 0;
	CHECK_EQ(RUN(100), HVX86_EXIT_TRIPLE_FAULT);
	CHECK_EQ(RUN(100), HVX86_EXIT_TRIPLE_FAULT);
}

static void test_page_walk_mmio(void)
{
	static const u8 code[] = {
		0x48, 0xc7, 0xc0, 0x00, 0x00, 0x00, 0x40,	/* mov rax,0x40000000 */
		0x48, 0x8b, 0x18,	/* mov rbx,QWORD PTR [rax] */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	put64(&env, TEST_PDPT + 8, 0xb0000 | 0x7);	/* PD in the MMIO hole */
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK(env.vcpu.exit.memory.page_walk);
	CHECK_EQ(env.vcpu.exit.memory.gpa, 0xb0000);
	hvx86_complete_memory(&env.vcpu, 0xa7);	/* 2M page at GPA 0, A set */
	put64(&env, 0, 0xabcdef);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 0xabcdef);
}

static void test_alu_flags_table(void)
{
	static const u8 code[] = {
		0x00, 0xd8,	/* add al,bl */
		0x9c,	/* pushf */
		0x41, 0x58,	/* pop r8 */
		0x28, 0xd1,	/* sub cl,dl */
		0x9c,	/* pushf */
		0x41, 0x59,	/* pop r9 */
		0x11, 0xfe,	/* adc esi,edi */
		0x9c,	/* pushf */
		0x41, 0x5a,	/* pop r10 */
		0x66, 0x45, 0x19, 0xe3,	/* sbb r11w,r12w */
		0x9c,	/* pushf */
		0x41, 0x5d,	/* pop r13 */
		0xf4,	/* hlt */
	};

	env_long64(&env);
	LOAD(code);
	REG(RAX) = 0x7f; REG(RBX) = 0x01;
	REG(RCX) = 0x00; REG(RDX) = 0x01;
	REG(RSI) = 0xffffffff; REG(RDI) = 0; FLAGS |= CF;
	REG(R11) = 0x8000; REG(R12) = 0x0000;
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(R8) & HVX86_FLAGS_ARITH, OF | SF | AF);
	CHECK_EQ(REG(R9) & HVX86_FLAGS_ARITH, CF | SF | AF | PF);
	CHECK_EQ(REG(R10) & HVX86_FLAGS_ARITH, CF | ZF | AF | PF);
	CHECK_EQ(REG(RSI), 0);
	CHECK_EQ(REG(R13) & HVX86_FLAGS_ARITH, OF | AF | PF);
	CHECK_EQ(REG(R11), 0x7fff);
}

static void test_translate_api(void)
{
	u64 gpa = 0;

	env_long64(&env);
	put64(&env, TEST_PT + 9 * 8, 0x20003);
	CHECK_EQ(hvx86_translate(&env.vcpu, 0x9123, &gpa), HVX86_TRANSLATE_OK);
	CHECK_EQ(gpa, 0x20123);
	put64(&env, TEST_PT + 9 * 8, 0);
	CHECK_EQ(hvx86_translate(&env.vcpu, 0x9123, &gpa), HVX86_TRANSLATE_FAULT);
	CHECK_EQ(RUN(0), HVX86_EXIT_BUDGET);	/* no stray exception queued */
	/* The PD entry points the page table at MMIO: nothing to read there. */
	put64(&env, TEST_PD, TEST_MMIO | 3);
	CHECK_EQ(hvx86_translate(&env.vcpu, 0x9123, &gpa), HVX86_TRANSLATE_TABLE_GPA);
	CHECK_EQ(RUN(0), HVX86_EXIT_BUDGET);	/* no exit left behind */
}

const struct test_case x86_unit_prot_long_tests[] = {
	T(test_prot32_segments),
	T(test_prot32_bad_selector),
	T(test_prot32_idt_error_code),
	T(test_prot32_far_call),
	T(test_prot32_paging),
	T(test_long_basic),
	T(test_long_mul_div),
	T(test_long_div_overflow),
	T(test_long_bits_atomics),
	T(test_long_cmov_zero_extend),
	T(test_long_page_faults),
	T(test_long_nx_fetch),
	T(test_long_idt_and_cr2),
	T(test_long_large_pages),
	T(test_long_canonical),
	T(test_long_mmio_paged),
	T(test_long_vmcall_msr),
	T(test_long_user_mode),
	T(test_triple_fault),
	T(test_page_walk_mmio),
	T(test_alu_flags_table),
	T(test_translate_api),
};

const unsigned int x86_unit_prot_long_count = ARRAY_SIZE(x86_unit_prot_long_tests);
