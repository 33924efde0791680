// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the hvsim x86 interpreter.  Each test loads hand-assembled
 * bytes into a flat memory model, runs them in real, 32-bit protected or
 * 64-bit long mode and checks registers, memory and exit fields.
 * Output is TAP 13; the exit status is 0 iff every test passed.
 */
#include "test_env.h"

static struct test_env env;
static bool failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: CHECK(%s) failed\n",		\
			       __FILE__, __LINE__, #cond);		\
			failed = true;					\
		}							\
	} while (0)

#define CHECK_EQ(actual, expected)					\
	do {								\
		unsigned long long _a = (actual), _e = (expected);	\
		if (_a != _e) {						\
			printf("#   %s:%d: %s = 0x%llx, expected 0x%llx\n", \
			       __FILE__, __LINE__, #actual, _a, _e);	\
			failed = true;					\
		}							\
	} while (0)

#define REG(r)	(env.vcpu.regs.gpr[HVX86_##r])
#define FLAGS	(env.vcpu.regs.rflags)
#define RUN(budget)	hvx86_run(&env.vcpu, (budget))
#define LOAD(code)	env_load(&env, TEST_CODE, (code), sizeof(code))
#define ARITH(f)	(FLAGS & HVX86_FLAGS_ARITH & (f))
#define CF HVX86_FLAG_CF
#define PF HVX86_FLAG_PF
#define AF HVX86_FLAG_AF
#define ZF HVX86_FLAG_ZF
#define SF HVX86_FLAG_SF
#define OF HVX86_FLAG_OF

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
	CHECK(hvx86_translate(&env.vcpu, 0x9123, &gpa));
	CHECK_EQ(gpa, 0x20123);
	put64(&env, TEST_PT + 9 * 8, 0);
	CHECK(!hvx86_translate(&env.vcpu, 0x9123, &gpa));
	CHECK_EQ(RUN(0), HVX86_EXIT_BUDGET);	/* no stray exception queued */
}

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

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define T(fn) { #fn, fn }
static const struct test_case tests[] = {
	T(test_reset_state), T(test_real_mov_add), T(test_real_addressing16),
	T(test_real_stack_call), T(test_real_io), T(test_real_io_first_value),
	T(test_real_rep_outs_ins), T(test_real_int_iret),
	T(test_real_divide_error), T(test_exception_intercept),
	T(test_unsupported), T(test_lock_register_ud),
	T(test_hlt_and_interrupt), T(test_hlt_rip_at_instruction),
	T(test_interrupt_shadow_and_window), T(test_budget), T(test_mmio),
	T(test_gpa_denied), T(test_cpuid_msr), T(test_loops),
	T(test_string_ops), T(test_mul_div16), T(test_shifts_rotates),
	T(test_rcr_value), T(test_enter_leave_xlat), T(test_mode_switch),
	T(test_prot32_segments), T(test_prot32_bad_selector),
	T(test_prot32_idt_error_code), T(test_prot32_far_call),
	T(test_prot32_paging), T(test_long_basic), T(test_long_mul_div),
	T(test_long_div_overflow), T(test_long_bits_atomics),
	T(test_long_cmov_zero_extend), T(test_long_page_faults),
	T(test_long_nx_fetch), T(test_long_idt_and_cr2),
	T(test_long_large_pages), T(test_long_canonical),
	T(test_long_mmio_paged), T(test_long_vmcall_msr),
	T(test_long_user_mode), T(test_triple_fault), T(test_page_walk_mmio),
	T(test_alu_flags_table), T(test_translate_api),
	T(test_fetch_page_cross), T(test_insn_too_long),
	T(test_real_segment_limit), T(test_prot32_ring3_interrupt),
	T(test_int3_intercept), T(test_descriptor_table_ops),
	T(test_cr8_and_efer), T(test_sreg_push_pop_override),
	T(test_compat_to_long_far_jump),
	T(test_gate_not_present_and_double_fault), T(test_mov_ss_shadow),
	T(test_rep_budget_progress), T(test_dirty_tracking_writes),
	T(test_unrecoverable_state), T(test_branch_target_checks),
	T(test_cmpxchg_register_failure),
};

int main(void)
{
	unsigned int i, count = ARRAY_SIZE(tests), failures = 0;

	printf("TAP version 13\n1..%u\n", count);
	for (i = 0; i < count; i++) {
		failed = false;
		tests[i].fn();
		printf("%sok %u - %s\n", failed ? "not " : "", i + 1,
		       tests[i].name);
		if (failed)
			failures++;
	}
	printf("# %u passed, %u failed\n", count - failures, failures);
	free(env.mem);
	return failures ? 1 : 0;
}
