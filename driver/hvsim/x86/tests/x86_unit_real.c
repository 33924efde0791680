// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter unit tests: real mode, and exits/interrupt mechanics shown there.
 * The runner and the shared checks are in x86_unit.c and x86_unit.h.
 */
#include "x86_unit.h"

/* ---------------------------------------------------------------- real mode */

static void test_reset_state(void)
{
	struct hvx86_vcpu vcpu;
	static const struct hvx86_callbacks cb = { env_read, env_write, NULL };

	hvx86_init(&vcpu, &cb, &env);
	CHECK_EQ(vcpu.regs.rip, 0xfff0);
	CHECK_EQ(vcpu.regs.seg[HVX86_SEG_CS].selector, 0xf000);
	CHECK_EQ(vcpu.regs.seg[HVX86_SEG_CS].base, 0xffff0000);
	CHECK_EQ(vcpu.regs.seg[HVX86_SEG_CS].limit, 0xffff);
	CHECK_EQ(vcpu.regs.rflags, 0x2);
	CHECK_EQ(vcpu.regs.cr0, 0x60000010);
	CHECK_EQ(vcpu.regs.gpr[HVX86_RDX], 0x600);
	CHECK_EQ(vcpu.regs.gdtr.limit, 0xffff);
	CHECK_EQ(hvx86_get_mode(&vcpu), HVX86_MODE_REAL);
	/* fetch at 0xfffffff0 is outside memory: an execute memory exit */
	CHECK_EQ(hvx86_run(&vcpu, 10), HVX86_EXIT_MEMORY);
	CHECK_EQ(vcpu.exit.memory.gpa, 0xfffffff0);
	CHECK_EQ(vcpu.exit.memory.access, HVX86_ACCESS_EXECUTE);
	CHECK_EQ(vcpu.exit.insn_len, 0);
}

static void test_real_mov_add(void)
{
	static const u8 code[] = {
		0xb8, 0x34, 0x12,	/* mov ax,0x1234 */
		0x05, 0x00, 0xff,	/* add ax,0xff00 */
		0x89, 0xc3,	/* mov bx,ax */
		0xb1, 0x7f,	/* mov cl,0x7f */
		0x80, 0xc1, 0x01,	/* add cl,0x1 */
		0x8e, 0xdb,	/* mov ds,bx */
		0x88, 0x0e, 0x10, 0x00,	/* mov BYTE PTR ds:0x10,cl */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 0x1134);
	CHECK_EQ(REG(RCX) & 0xff, 0x80);
	CHECK_EQ(ARITH(HVX86_FLAGS_ARITH), OF | SF | AF);
	CHECK_EQ(env.mem[0x11340 + 0x10], 0x80);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_DS].base, 0x11340);
	CHECK_EQ(env.vcpu.exit.rip, TEST_CODE + sizeof(code));
}

static void test_real_addressing16(void)
{
	static const u8 code[] = {
		0xbd, 0x00, 0x01,	/* mov bp,0x100 */
		0xbf, 0x20, 0x00,	/* mov di,0x20 */
		0xb8, 0x00, 0x20,	/* mov ax,0x2000 */
		0x8e, 0xd0,	/* mov ss,ax */
		0xc7, 0x43, 0x02, 0xef, 0xbe,	/* mov WORD PTR [bp+di+0x2],0xbeef */
		0xbb, 0x00, 0x03,	/* mov bx,0x300 */
		0xbe, 0x04, 0x00,	/* mov si,0x4 */
		0x8a, 0x00,	/* mov al,BYTE PTR [bx+si] */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.mem[0x304] = 0x5a;
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(get16(&env, 0x20000 + 0x122), 0xbeef);
	CHECK_EQ(REG(RAX) & 0xff, 0x5a);
}

static void test_real_stack_call(void)
{
	static const u8 code[] = {
		0x68, 0x34, 0x12,	/* push 0x1234 */
		0x59,	/* pop cx */
		0xe8, 0x02, 0x00,	/* call 0x9 */
		0xeb, 0x04,	/* jmp 0xd */
		0xba, 0x07, 0x00,	/* mov dx,0x7 */
		0xc3,	/* ret */
		0x9c,	/* pushf */
		0x58,	/* pop ax */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RCX), 0x1234);
	CHECK_EQ(REG(RDX), 7);
	CHECK_EQ(REG(RSP), TEST_STACK);
	CHECK_EQ(REG(RAX) & 0xffff, FLAGS & 0xffff);
}

static void test_real_io(void)
{
	static const u8 code[] = {
		0xe4, 0x60,	/* in al,0x60 */
		0xba, 0xf8, 0x03,	/* mov dx,0x3f8 */
		0xb8, 0x42, 0x41,	/* mov ax,0x4142 */
		0xef,	/* out dx,ax */
		0x66, 0xed,	/* in eax,dx */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_IO);
	CHECK_EQ(env.vcpu.exit.io.port, 0x60);
	CHECK_EQ(env.vcpu.exit.io.size, 1);
	CHECK(env.vcpu.exit.io.is_in);
	CHECK_EQ(env.vcpu.exit.insn_len, 2);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE);
	hvx86_complete_io(&env.vcpu, 0x99);
	CHECK_EQ(RUN(100), HVX86_EXIT_IO);
	CHECK_EQ(REG(RAX) & 0xff, 0x42);	/* mov ax ran before the out */
	CHECK_EQ(env.vcpu.exit.io.port, 0x3f8);
	CHECK_EQ(env.vcpu.exit.io.size, 2);
	CHECK(!env.vcpu.exit.io.is_in);
	CHECK_EQ(env.vcpu.exit.io.data, 0x4142);
	hvx86_complete_io(&env.vcpu, 0);
	CHECK_EQ(RUN(100), HVX86_EXIT_IO);
	CHECK_EQ(env.vcpu.exit.io.size, 4);
	/* intercept style: the VMM writes EAX and steps over the IN */
	REG(RAX) = 0xcafef00d;
	hvx86_skip_instruction(&env.vcpu);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 0xcafef00d);
}

static void test_real_io_first_value(void)
{
	static const u8 code[] = {
		0xe4, 0x60,	/* in al,0x60 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	REG(RAX) = 0x1100;
	CHECK_EQ(RUN(100), HVX86_EXIT_IO);
	hvx86_complete_io(&env.vcpu, 0x99);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 0x1199);
}

static void test_real_rep_outs_ins(void)
{
	static const u8 code[] = {
		0xbe, 0x00, 0x40,	/* mov si,0x4000 */
		0xba, 0xe9, 0x00,	/* mov dx,0xe9 */
		0xb9, 0x03, 0x00,	/* mov cx,0x3 */
		0xfc,	/* cld */
		0xf3, 0x6e,	/* rep outs dx,BYTE PTR ds:[si] */
		0xbf, 0x00, 0x50,	/* mov di,0x5000 */
		0xb9, 0x02, 0x00,	/* mov cx,0x2 */
		0xf3, 0x6d,	/* rep ins WORD PTR es:[di],dx */
		0xf4,	/* hlt */
	};
	unsigned int i;

	env_real(&env);
	LOAD(code);
	memcpy(env.mem + 0x4000, "xyz", 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(RUN(100), HVX86_EXIT_IO);
		CHECK(env.vcpu.exit.io.is_string);
		CHECK(env.vcpu.exit.io.rep);
		CHECK_EQ(env.vcpu.exit.io.count, 3 - i);
		CHECK_EQ(env.vcpu.exit.io.data, (u8)"xyz"[i]);
		CHECK_EQ(env.vcpu.exit.io.gva, 0x4000 + i);
		hvx86_complete_io(&env.vcpu, 0);
	}
	for (i = 0; i < 2; i++) {
		CHECK_EQ(RUN(100), HVX86_EXIT_IO);
		CHECK(env.vcpu.exit.io.is_in);
		CHECK_EQ(env.vcpu.exit.io.size, 2);
		hvx86_complete_io(&env.vcpu, 0x1111 * (i + 1));
	}
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RSI), 0x4003);
	CHECK_EQ(REG(RCX), 0);
	CHECK_EQ(get16(&env, 0x5000), 0x1111);
	CHECK_EQ(get16(&env, 0x5002), 0x2222);
}

static void test_real_int_iret(void)
{
	static const u8 code[] = {
		0xb8, 0x01, 0x00,	/* mov ax,0x1 */
		0xcd, 0x21,	/* int 0x21 */
		0x83, 0xc0, 0x02,	/* add ax,0x2 */
		0xf4,	/* hlt */
		0xbb, 0x05, 0x00,	/* mov bx,0x5 */
		0xcf,	/* iret */
	};

	env_real(&env);
	LOAD(code);
	env_gate(&env, 0x21, 0, TEST_CODE + sizeof(code) - 4, false);
	FLAGS |= HVX86_FLAG_IF;
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 3);
	CHECK_EQ(REG(RBX), 5);
	CHECK_EQ(REG(RSP), TEST_STACK);
	CHECK(FLAGS & HVX86_FLAG_IF);
}

static void test_real_divide_error(void)
{
	static const u8 code[] = {
		0xb8, 0x00, 0x10,	/* mov ax,0x1000 */
		0xb3, 0x02,	/* mov bl,0x2 */
		0xf6, 0xf3,	/* div bl */
		0xf4,	/* hlt */
		0xb9, 0x77, 0x00,	/* mov cx,0x77 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env_gate(&env, 0, 0, TEST_CODE + sizeof(code) - 4, false);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RCX), 0x77);
	CHECK_EQ(REG(RAX), 0x1000);
	/* the pushed IP points at the faulting div */
	CHECK_EQ(get16(&env, TEST_STACK - 6), TEST_CODE + 5);
}

static void test_exception_intercept(void)
{
	static const u8 code[] = {
		0x90,	/* nop */
		0x0f, 0x0b,	/* ud2 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_UD;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_UD);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 1);
	CHECK_EQ(env.vcpu.exit.insn_len, 2);
	hvx86_skip_instruction(&env.vcpu);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
}

static void test_unsupported(void)
{
	static const u8 code[] = {
		0xd9, 0xe8,	/* fld1 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_UD;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_UD);
	env.vcpu.config.exit_on_unsupported = true;
	CHECK_EQ(RUN(100), HVX86_EXIT_UNSUPPORTED);
	CHECK_EQ(env.vcpu.exit.insn_bytes[0], 0xd9);
	CHECK_EQ(env.vcpu.exit.rip, TEST_CODE);
}

static void test_lock_register_ud(void)
{
	static const u8 code[] = {
		0xf0, 0x01, 0xd8,	/* lock add ax,bx */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.vcpu.config.exception_bitmap = 1u << HVX86_VEC_UD;
	CHECK_EQ(RUN(100), HVX86_EXIT_EXCEPTION);
	CHECK_EQ(env.vcpu.exit.exception.vector, HVX86_VEC_UD);
}

static void test_hlt_and_interrupt(void)
{
	static const u8 code[] = {
		0xfb,	/* sti */
		0xf4,	/* hlt */
		0xb8, 0x09, 0x00,	/* mov ax,0x9 */
		0xf4,	/* hlt */
		0xbb, 0x03, 0x00,	/* mov bx,0x3 */
		0xcf,	/* iret */
	};

	env_real(&env);
	LOAD(code);
	env_gate(&env, 0x30, 0, TEST_CODE + sizeof(code) - 4, false);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 2);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);	/* still halted */
	CHECK(hvx86_inject_interrupt(&env.vcpu, 0x30));
	CHECK(!hvx86_inject_interrupt(&env.vcpu, 0x31));
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 3);
	CHECK_EQ(REG(RAX), 9);
	CHECK(!hvx86_interrupt_pending(&env.vcpu));
}

static void test_hlt_rip_at_instruction(void)
{
	static const u8 code[] = {
		0xfb,	/* sti */
		0xf4,	/* hlt */
		0xb8, 0x09, 0x00,	/* mov ax,0x9 */
		0xf4,	/* hlt */
		0xcf,	/* iret */
	};

	env_real(&env);
	LOAD(code);
	env.vcpu.config.hlt_rip_at_instruction = true;
	env_gate(&env, 0x30, 0, TEST_CODE + sizeof(code) - 1, false);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 1);
	hvx86_inject_interrupt(&env.vcpu, 0x30);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 9);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 5);
}

static void test_interrupt_shadow_and_window(void)
{
	static const u8 code[] = {
		0xfa,	/* cli */
		0xb8, 0x01, 0x00,	/* mov ax,0x1 */
		0xfb,	/* sti */
		0xb8, 0x02, 0x00,	/* mov ax,0x2 */
		0xb8, 0x03, 0x00,	/* mov ax,0x3 */
		0xf4,	/* hlt */
		0x89, 0xc3,	/* mov bx,ax */
		0xcf,	/* iret */
	};

	env_real(&env);
	LOAD(code);
	env_gate(&env, 0x40, 0, TEST_CODE + sizeof(code) - 3, false);
	hvx86_request_interrupt_window(&env.vcpu, true);
	FLAGS |= HVX86_FLAG_IF;
	CHECK_EQ(RUN(100), HVX86_EXIT_INTERRUPT_WINDOW);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE);
	CHECK_EQ(RUN(1), HVX86_EXIT_BUDGET);	/* cli */
	hvx86_request_interrupt_window(&env.vcpu, true);
	CHECK_EQ(RUN(100), HVX86_EXIT_INTERRUPT_WINDOW);
	/* the window opens after the instruction following sti */
	CHECK_EQ(REG(RAX), 2);
	hvx86_inject_interrupt(&env.vcpu, 0x40);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX), 2);
	CHECK_EQ(REG(RAX), 3);
}

static void test_budget(void)
{
	static const u8 code[] = {
		0x40,	/* inc ax */
		0xeb, 0xfd,	/* jmp 0x0 */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(1000), HVX86_EXIT_BUDGET);
	CHECK_EQ(REG(RAX), 500);
	CHECK_EQ(RUN(0), HVX86_EXIT_BUDGET);
	CHECK_EQ(REG(RAX), 500);
}

static void test_mmio(void)
{
	static const u8 code[] = {
		0xb8, 0x00, 0xa0,	/* mov ax,0xa000 */
		0x8e, 0xc0,	/* mov es,ax */
		0x26, 0x8b, 0x1e, 0x10, 0x00,	/* mov bx,WORD PTR es:0x10 */
		0x26, 0xc7, 0x06, 0x20, 0x00, 0x66, 0x55,	/* mov WORD PTR es:0x20,0x5566 */
		0x26, 0x01, 0x1e, 0x30, 0x00,	/* add WORD PTR es:0x30,bx */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK_EQ(env.vcpu.exit.memory.gpa, 0xa0010);
	CHECK_EQ(env.vcpu.exit.memory.gva, 0xa0010);
	CHECK_EQ(env.vcpu.exit.memory.size, 2);
	CHECK_EQ(env.vcpu.exit.memory.access, HVX86_ACCESS_READ);
	CHECK_EQ(env.vcpu.exit.memory.status, HVX86_MEM_UNMAPPED);
	CHECK_EQ(env.vcpu.exit.insn_len, 5);
	CHECK_EQ(env.vcpu.exit.insn_bytes[0], 0x26);
	hvx86_complete_memory(&env.vcpu, 0x1234);
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK_EQ(REG(RBX), 0x1234);
	CHECK_EQ(env.vcpu.exit.memory.access, HVX86_ACCESS_WRITE);
	CHECK_EQ(env.vcpu.exit.memory.data, 0x5566);
	hvx86_complete_memory(&env.vcpu, 0);
	/* read-modify-write: read exit, then write exit, then done */
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK_EQ(env.vcpu.exit.memory.access, HVX86_ACCESS_READ);
	hvx86_complete_memory(&env.vcpu, 0x0001);
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK_EQ(env.vcpu.exit.memory.access, HVX86_ACCESS_WRITE);
	CHECK_EQ(env.vcpu.exit.memory.data, 0x1235);
	CHECK_EQ(env.vcpu.regs.rip, TEST_CODE + 17);
	hvx86_complete_memory(&env.vcpu, 0);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
}

static void test_gpa_denied(void)
{
	static const u8 code[] = {
		0xb8, 0x00, 0xc0,	/* mov ax,0xc000 */
		0x8e, 0xd8,	/* mov ds,ax */
		0xa0, 0x05, 0x00,	/* mov al,ds:0x5 */
		0xa2, 0x06, 0x00,	/* mov ds:0x6,al */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.mem[0xc0005] = 0x42;
	CHECK_EQ(RUN(100), HVX86_EXIT_MEMORY);
	CHECK_EQ(REG(RAX) & 0xff, 0x42);
	CHECK_EQ(env.vcpu.exit.memory.status, HVX86_MEM_DENIED);
	CHECK_EQ(env.vcpu.exit.memory.gpa, 0xc0006);
	CHECK_EQ(env.vcpu.exit.memory.data, 0x42);
	hvx86_skip_instruction(&env.vcpu);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
}

static void test_cpuid_msr(void)
{
	static const u8 code[] = {
		0x66, 0xb8, 0x01, 0x00, 0x00, 0x00,	/* mov eax,0x1 */
		0x0f, 0xa2,	/* cpuid */
		0x66, 0xb9, 0x00, 0x00, 0x00, 0x40,	/* mov ecx,0x40000000 */
		0x0f, 0x32,	/* rdmsr */
		0x0f, 0x30,	/* wrmsr */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_CPUID);
	CHECK_EQ(REG(RAX), 1);
	hvx86_complete_cpuid(&env.vcpu, 0x11, 0x22, 0x33, 0x44);
	CHECK_EQ(REG(RDX), 0x44);
	CHECK_EQ(RUN(100), HVX86_EXIT_RDMSR);
	CHECK_EQ(env.vcpu.exit.msr.index, 0x40000000);
	hvx86_complete_rdmsr(&env.vcpu, 0x123456789aULL);
	CHECK_EQ(REG(RAX), 0x3456789a);
	CHECK_EQ(REG(RDX), 0x12);
	CHECK_EQ(RUN(100), HVX86_EXIT_WRMSR);
	CHECK_EQ(env.vcpu.exit.msr.value, 0x123456789aULL);
	hvx86_inject_exception(&env.vcpu, HVX86_VEC_GP, true, 0);
	env.vcpu.config.exception_bitmap = 0;
	env_gate(&env, HVX86_VEC_GP, 0, TEST_CODE + sizeof(code) - 1, false);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(get16(&env, TEST_STACK - 6), TEST_CODE + 16);
}

static void test_loops(void)
{
	static const u8 code[] = {
		0xb9, 0x05, 0x00,	/* mov cx,0x5 */
		0x31, 0xc0,	/* xor ax,ax */
		0x01, 0xc8,	/* add ax,cx */
		0xe2, 0xfc,	/* loop 0x5 */
		0xb9, 0x03, 0x00,	/* mov cx,0x3 */
		0x43,	/* inc bx */
		0x83, 0xfb, 0x0a,	/* cmp bx,0xa */
		0xe0, 0xfa,	/* loopne 0xc */
		0xe3, 0x03,	/* jcxz 0x17 */
		0xba, 0x01, 0x00,	/* mov dx,0x1 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(1000), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX), 15);
	CHECK_EQ(REG(RBX), 3);
	CHECK_EQ(REG(RCX), 0);
	CHECK_EQ(REG(RDX), 0);
}

static void test_string_ops(void)
{
	static const u8 code[] = {
		0xbe, 0x00, 0x40,	/* mov si,0x4000 */
		0xbf, 0x00, 0x50,	/* mov di,0x5000 */
		0xb9, 0x06, 0x00,	/* mov cx,0x6 */
		0xf3, 0xa4,	/* rep movs BYTE PTR es:[di],BYTE PTR ds:[si] */
		0xbf, 0x00, 0x50,	/* mov di,0x5000 */
		0xb0, 0x6c,	/* mov al,0x6c */
		0xb9, 0x06, 0x00,	/* mov cx,0x6 */
		0xf2, 0xae,	/* repnz scas al,BYTE PTR es:[di] */
		0x89, 0xcb,	/* mov bx,cx */
		0xbe, 0x00, 0x40,	/* mov si,0x4000 */
		0xbf, 0x00, 0x50,	/* mov di,0x5000 */
		0xb9, 0x06, 0x00,	/* mov cx,0x6 */
		0xf3, 0xa6,	/* repz cmps BYTE PTR ds:[si],BYTE PTR es:[di] */
		0x89, 0xca,	/* mov dx,cx */
		0xfd,	/* std */
		0xbf, 0x02, 0x60,	/* mov di,0x6002 */
		0xb8, 0xcd, 0xab,	/* mov ax,0xabcd */
		0xb9, 0x02, 0x00,	/* mov cx,0x2 */
		0xf3, 0xab,	/* rep stos WORD PTR es:[di],ax */
		0xfc,	/* cld */
		0xbe, 0x01, 0x40,	/* mov si,0x4001 */
		0xac,	/* lods al,BYTE PTR ds:[si] */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	memcpy(env.mem + 0x4000, "hello!", 6);
	CHECK_EQ(RUN(1000), HVX86_EXIT_HLT);
	CHECK(!memcmp(env.mem + 0x5000, "hello!", 6));
	CHECK_EQ(REG(RBX), 3);		/* 'l' found at index 2 */
	CHECK_EQ(REG(RDX), 0);
	CHECK(FLAGS & ZF);
	CHECK_EQ(get16(&env, 0x6002), 0xabcd);
	CHECK_EQ(get16(&env, 0x6000), 0xabcd);
	CHECK_EQ(REG(RDI), 0x5ffe);
	CHECK_EQ(REG(RAX) & 0xff, 'e');
	CHECK_EQ(REG(RSI), 0x4002);
}

static void test_mul_div16(void)
{
	static const u8 code[] = {
		0xb8, 0x34, 0x12,	/* mov ax,0x1234 */
		0xbb, 0x00, 0x01,	/* mov bx,0x100 */
		0xf7, 0xe3,	/* mul bx */
		0x89, 0xc6,	/* mov si,ax */
		0x89, 0xd7,	/* mov di,dx */
		0xb8, 0xf0, 0xff,	/* mov ax,0xfff0 */
		0x99,	/* cwd */
		0xb9, 0x03, 0x00,	/* mov cx,0x3 */
		0xf7, 0xf9,	/* idiv cx */
		0x89, 0xd5,	/* mov bp,dx */
		0xb0, 0xfd,	/* mov al,0xfd */
		0xb3, 0x05,	/* mov bl,0x5 */
		0xf6, 0xeb,	/* imul bl */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RSI), 0x3400);
	CHECK_EQ(REG(RDI), 0x12);
	CHECK_EQ(REG(RBP), 0xffff);	/* -16 % 3 = -1 */
	CHECK_EQ(REG(RAX) & 0xffff, 0xfff1);	/* -15 */
	CHECK(!(FLAGS & CF));
}

static void test_shifts_rotates(void)
{
	static const u8 code[] = {
		0xb0, 0x81,	/* mov al,0x81 */
		0xd0, 0xc0,	/* rol al,1 */
		0x88, 0xc3,	/* mov bl,al */
		0xb0, 0x81,	/* mov al,0x81 */
		0xf9,	/* stc */
		0xd0, 0xd8,	/* rcr al,1 */
		0x88, 0xc1,	/* mov cl,al */
		0xb8, 0x00, 0x80,	/* mov ax,0x8000 */
		0xc1, 0xf8, 0x03,	/* sar ax,0x3 */
		0x89, 0xc2,	/* mov dx,ax */
		0xb8, 0x01, 0x00,	/* mov ax,0x1 */
		0xb1, 0x0f,	/* mov cl,0xf */
		0xd3, 0xe0,	/* shl ax,cl */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBX) & 0xff, 0x03);
	CHECK_EQ(REG(RDX), 0xf000);
	CHECK_EQ(REG(RAX), 0x8000);
	CHECK_EQ(ARITH(CF | OF | ZF | SF), OF | SF);
}

static void test_rcr_value(void)
{
	static const u8 code[] = {
		0xb0, 0x81,	/* mov al,0x81 */
		0xf9,	/* stc */
		0xd0, 0xd8,	/* rcr al,1 */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RAX) & 0xff, 0xc0);
	CHECK_EQ(ARITH(CF | OF), CF);
}

static void test_enter_leave_xlat(void)
{
	static const u8 code[] = {
		0xbd, 0x11, 0x11,	/* mov bp,0x1111 */
		0xc8, 0x10, 0x00, 0x00,	/* enter 0x10,0x0 */
		0x89, 0xe8,	/* mov ax,bp */
		0xc9,	/* leave */
		0xbb, 0x00, 0x40,	/* mov bx,0x4000 */
		0xb0, 0x03,	/* mov al,0x3 */
		0xd7,	/* xlat BYTE PTR ds:[bx] */
		0x98,	/* cbw */
		0x9f,	/* lahf */
		0xf4,	/* hlt */
	};

	env_real(&env);
	LOAD(code);
	env.mem[0x4003] = 0x90;
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(REG(RBP), 0x1111);
	CHECK_EQ(REG(RSP), TEST_STACK);
	CHECK_EQ(get16(&env, TEST_STACK - 2), 0x1111);
	CHECK_EQ(REG(RAX) & 0xff, 0x90);
	CHECK_EQ((REG(RAX) >> 8) & 0xff, (u8)FLAGS);
}

/* Real -> protected -> long mode through the guest's own instructions. */
static void test_mode_switch(void)
{
	static const u8 code16[] = {
		0xfa,	/* cli */
		0x0f, 0x01, 0x16, 0x00, 0x70,	/* lgdtw ds:0x7000 */
		0x0f, 0x20, 0xc0,	/* mov eax,cr0 */
		0x0c, 0x01,	/* or al,0x1 */
		0x0f, 0x22, 0xc0,	/* mov cr0,eax */
		0xea, 0x00, 0x11, 0x08, 0x00,	/* jmp 0x8:0x1100 */
	};
	static const u8 code32[] = {
		0x66, 0xb8, 0x10, 0x00,	/* mov ax,0x10 */
		0x8e, 0xd8,	/* mov ds,eax */
		0x8e, 0xd0,	/* mov ss,eax */
		0xbc, 0x00, 0x80, 0x00, 0x00,	/* mov esp,0x8000 */
		0x0f, 0x20, 0xe0,	/* mov eax,cr4 */
		0x83, 0xc8, 0x20,	/* or eax,0x20 */
		0x0f, 0x22, 0xe0,	/* mov cr4,eax */
		0xb8, 0x00, 0x00, 0x01, 0x00,	/* mov eax,0x10000 */
		0x0f, 0x22, 0xd8,	/* mov cr3,eax */
		0xb9, 0x80, 0x00, 0x00, 0xc0,	/* mov ecx,0xc0000080 */
		0x0f, 0x32,	/* rdmsr */
		0x0d, 0x00, 0x01, 0x00, 0x00,	/* or eax,0x100 */
		0x0f, 0x30,	/* wrmsr */
		0x0f, 0x20, 0xc0,	/* mov eax,cr0 */
		0x0d, 0x00, 0x00, 0x00, 0x80,	/* or eax,0x80000000 */
		0x0f, 0x22, 0xc0,	/* mov cr0,eax */
		0xea, 0x00, 0x12, 0x00, 0x00, 0x20, 0x00,	/* jmp 0x20:0x1200 */
	};
	static const u8 code64[] = {
		0x48, 0xb8, 0xf0, 0xde, 0xbc, 0x9a, 0x78,	/* movabs rax,0x123456789abcdef0 */
		0x56, 0x34, 0x12,
		0x50,	/* push rax */
		0x5b,	/* pop rbx */
		0xf4,	/* hlt */
	};

	env_long64(&env);	/* builds GDT and page tables */
	hvx86_reset(&env.vcpu);
	env.vcpu.regs.seg[HVX86_SEG_CS].selector = 0;
	env.vcpu.regs.seg[HVX86_SEG_CS].base = 0;
	env.vcpu.regs.rip = TEST_CODE;
	env_load(&env, TEST_CODE, code16, sizeof(code16));
	env_load(&env, 0x1100, code32, sizeof(code32));
	env_load(&env, 0x1200, code64, sizeof(code64));
	put64(&env, 0x7000, ((u64)TEST_GDT << 16) | (sizeof(test_gdt) - 1));
	CHECK_EQ(RUN(100), HVX86_EXIT_HLT);
	CHECK_EQ(hvx86_get_mode(&env.vcpu), HVX86_MODE_LONG64);
	CHECK_EQ(REG(RBX), 0x123456789abcdef0ULL);
	CHECK(env.vcpu.regs.efer & HVX86_EFER_LMA);
	CHECK_EQ(env.vcpu.regs.seg[HVX86_SEG_SS].selector, 0x10);
	/* the accessed bit got set in the GDT */
	CHECK(env.mem[TEST_GDT + 0x20 + 5] & 1);
}

const struct test_case x86_unit_real_tests[] = {
	T(test_reset_state),
	T(test_real_mov_add),
	T(test_real_addressing16),
	T(test_real_stack_call),
	T(test_real_io),
	T(test_real_io_first_value),
	T(test_real_rep_outs_ins),
	T(test_real_int_iret),
	T(test_real_divide_error),
	T(test_exception_intercept),
	T(test_unsupported),
	T(test_lock_register_ud),
	T(test_hlt_and_interrupt),
	T(test_hlt_rip_at_instruction),
	T(test_interrupt_shadow_and_window),
	T(test_budget),
	T(test_mmio),
	T(test_gpa_denied),
	T(test_cpuid_msr),
	T(test_loops),
	T(test_string_ops),
	T(test_mul_div16),
	T(test_shifts_rotates),
	T(test_rcr_value),
	T(test_enter_leave_xlat),
	T(test_mode_switch),
};

const unsigned int x86_unit_real_count = ARRAY_SIZE(x86_unit_real_tests);
