// SPDX-License-Identifier: GPL-2.0-only
/*
 * intercept_test - intercept messages returned by MSHV_RUN_VP and their
 * exact fields (upstream-abi.md sections 3.2, 3.3, 4.3).
 *
 * The module never advances RIP: each test checks that RIP in the message
 * points at the intercepted instruction, then advances it itself by the
 * instruction length given in the message.
 *
 * Real-mode tests use hand-assembled bytes (exact encodings matter);
 * long-mode tests use guest C code with inline assembly.
 * Covered: port IO in/out of sizes 1/2/4, immediate and DX ports, string and
 * rep string IO; unmapped-GPA reads/writes (GPA, GVA, access type,
 * instruction bytes), GVA != GPA; HLT; CPUID and MSR intercepts after
 * HVCALL_INSTALL_INTERCEPT; exception intercepts (#UD, #DE); hypercall
 * intercepts; a triple fault as an unrecoverable exception.
 */
#include "mshv_test_harness.h"
#include <mshv/guest.h>

#define RM_CODE		0x1000
#define ACC_R		HV_INTERCEPT_ACCESS_READ
#define ACC_W		HV_INTERCEPT_ACCESS_WRITE
#define ACC_X		HV_INTERCEPT_ACCESS_EXECUTE

static void check_insn(struct __test_metadata *_metadata, const struct mshv_exit *e,
		       const __u8 *bytes, __u8 count, const __u8 *expect, __u8 len)
{
	EXPECT_EQ(len, e->insn_len);
	ASSERT_LE(len, count) TH_LOG("instruction_byte_count %u < length %u", count, len);
	EXPECT_EQ(0, memcmp(bytes, expect, len))
		TH_LOG("instruction bytes %02x %02x %02x differ", bytes[0], bytes[1], bytes[2]);
}

static void check_io(struct __test_metadata *_metadata, const struct mshv_exit *e,
		     __u64 rip, __u16 port, __u8 size, bool write,
		     const __u8 *insn, __u8 len)
{
	char buf[256];

	ASSERT_EQ(MSHV_EXIT_IO, e->reason) TH_LOG("%s", mshv_exit_describe(e, buf, sizeof(buf)));
	EXPECT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, e->msg_type);
	EXPECT_EQ(0, e->vp_index);
	EXPECT_EQ(rip, e->rip) TH_LOG("RIP must point at the IO instruction");
	EXPECT_EQ(port, e->io.port);
	EXPECT_EQ(size, e->io.size);
	EXPECT_EQ(write, e->io.is_write);
	EXPECT_EQ(write ? ACC_W : ACC_R, e->access_type);
	check_insn(_metadata, e, e->io.insn_bytes, e->io.insn_byte_count, insn, len);
}

/* ---- real mode, port IO ---- */

FIXTURE(rm) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	__u8 *ram;
};

FIXTURE_SETUP(rm)
{
	self->vm = NULL;
}

FIXTURE_TEARDOWN(rm)
{
	mshv_vm_free(self->vm);
}

static struct mshv_vm *rm_vm(struct mshv_vp **vp, __u8 **ram, const __u8 *code,
			     size_t len)
{
	return vm_create_real_mode(vp, code, len, RM_CODE, (void **)ram);
}

TEST_F(rm, out_imm8_all_sizes)
{
	static const __u8 code[] = {
		0xb8, 0x42, 0x00,		/* mov ax, 0x0042 */
		0xe6, 0x80,			/* out 0x80, al */
		0xb8, 0x34, 0x12,		/* mov ax, 0x1234 */
		0xe7, 0x82,			/* out 0x82, ax */
		0x66, 0xb8, 0x78, 0x56, 0x34, 0x12,	/* mov eax, 0x12345678 */
		0x66, 0xe7, 0x84,		/* out 0x84, eax */
		0xf4,				/* hlt */
	};
	struct mshv_exit e;

	self->vm = rm_vm(&self->vp, &self->ram, code, sizeof(code));
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 3, 0x80, 1, true, code + 3, 2);
	EXPECT_EQ(0x42, e.io.rax & 0xff);
	EXPECT_FALSE(e.io.string);
	EXPECT_FALSE(e.io.rep);
	EXPECT_EQ(0, e.exec_state & HV_X64_EXEC_STATE_CR0_PE) TH_LOG("real mode: CR0.PE clear");
	EXPECT_EQ(0, e.exec_state & HV_X64_EXEC_STATE_EFER_LMA);
	EXPECT_EQ(0x2, e.rflags) TH_LOG("MOV leaves RFLAGS at its reset value");
	EXPECT_EQ(0, e.cs.selector);
	EXPECT_EQ(0, e.cs.base);
	EXPECT_EQ(0xffff, e.cs.limit);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 8, 0x82, 2, true, code + 8, 2);
	EXPECT_EQ(0x1234, e.io.rax & 0xffff);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 16, 0x84, 4, true, code + 16, 3);
	EXPECT_EQ(0x12345678, e.io.rax & 0xffffffff);
	vp_skip_insn(self->vp, &e);
	vp_run_expect(self->vp, &e, MSHV_EXIT_HALT);
	EXPECT_EQ(HVMSG_X64_HALT, e.msg_type);
}

TEST_F(rm, out_dx_all_sizes)
{
	static const __u8 code[] = {
		0xba, 0xf8, 0x03,		/* mov dx, 0x3f8 */
		0xb0, 0x61,			/* mov al, 0x61 */
		0xee,				/* out dx, al */
		0xef,				/* out dx, ax */
		0x66, 0xef,			/* out dx, eax */
		0xf4,
	};
	struct mshv_exit e;

	self->vm = rm_vm(&self->vp, &self->ram, code, sizeof(code));
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 5, 0x3f8, 1, true, code + 5, 1);
	EXPECT_EQ(0x61, e.io.rax & 0xff);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 6, 0x3f8, 2, true, code + 6, 1);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 7, 0x3f8, 4, true, code + 7, 2);
	vp_skip_insn(self->vp, &e);
	vp_run_expect(self->vp, &e, MSHV_EXIT_HALT);
}

/* IN: the host supplies the value by writing RAX, then advances RIP. */
TEST_F(rm, in_all_sizes_value_reaches_guest)
{
	static const __u8 code[] = {
		0xba, 0x71, 0x00,		/* mov dx, 0x71 */
		0xec,				/* in al, dx */
		0xe6, 0x90,			/* out 0x90, al */
		0xe5, 0x72,			/* in ax, 0x72 */
		0xe7, 0x90,			/* out 0x90, ax */
		0x66, 0xed,			/* in eax, dx */
		0x66, 0xe7, 0x90,		/* out 0x90, eax */
		0xf4,
	};
	struct mshv_exit e;

	self->vm = rm_vm(&self->vp, &self->ram, code, sizeof(code));
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 3, 0x71, 1, false, code + 3, 1);
	vp_set_reg(self->vp, HV_X64_REGISTER_RAX, 0xa5);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 4, 0x90, 1, true, code + 4, 2);
	EXPECT_EQ(0xa5, e.io.rax & 0xff);
	vp_skip_insn(self->vp, &e);

	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 6, 0x72, 2, false, code + 6, 2);
	vp_set_reg(self->vp, HV_X64_REGISTER_RAX, 0xbeef);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	EXPECT_EQ(0xbeef, e.io.rax & 0xffff);
	vp_skip_insn(self->vp, &e);

	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 10, 0x71, 4, false, code + 10, 2);
	vp_set_reg(self->vp, HV_X64_REGISTER_RAX, 0xcafef00d);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 12, 0x90, 4, true, code + 12, 3);
	EXPECT_EQ(0xcafef00d, e.io.rax & 0xffffffff);
	vp_skip_insn(self->vp, &e);
	vp_run_expect(self->vp, &e, MSHV_EXIT_HALT);
}

TEST_F(rm, string_and_rep_io)
{
	static const __u8 code[] = {
		0xba, 0xf8, 0x03,		/* mov dx, 0x3f8 */
		0xbe, 0x00, 0x20,		/* mov si, 0x2000 */
		0xb9, 0x03, 0x00,		/* mov cx, 3 */
		0xf3, 0x6e,			/* rep outsb */
		0xbf, 0x00, 0x30,		/* mov di, 0x3000 */
		0x6d,				/* insw */
		0xf4,
	};
	struct mshv_exit e;

	self->vm = rm_vm(&self->vp, &self->ram, code, sizeof(code));
	memcpy(self->ram + 0x2000, "abc", 3);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 9, 0x3f8, 1, true, code + 9, 2);
	EXPECT_TRUE(e.io.string);
	EXPECT_TRUE(e.io.rep);
	EXPECT_EQ(0, e.io.ds.selector);
	EXPECT_EQ(0, e.io.ds.base);
	EXPECT_EQ(3, e.io.rcx & 0xffff);
	EXPECT_EQ(0x2000, e.io.rsi & 0xffff);
	/* Emulate the whole rep outsb: consume RCX elements. */
	vp_set_reg(self->vp, HV_X64_REGISTER_RCX, 0);
	vp_set_reg(self->vp, HV_X64_REGISTER_RSI, 0x2003);
	vp_skip_insn(self->vp, &e);
	vp_run(self->vp, &e);
	check_io(_metadata, &e, RM_CODE + 14, 0x3f8, 2, false, code + 14, 1);
	EXPECT_TRUE(e.io.string);
	EXPECT_FALSE(e.io.rep);
	EXPECT_EQ(0x3000, e.io.rdi & 0xffff);
	vp_skip_insn(self->vp, &e);
	vp_run_expect(self->vp, &e, MSHV_EXIT_HALT);
}

TEST_F(rm, halt_fields)
{
	static const __u8 code[] = { 0x90, 0x90, 0xf4 };	/* nop; nop; hlt */
	struct mshv_exit e;

	self->vm = rm_vm(&self->vp, &self->ram, code, sizeof(code));
	vp_run_expect(self->vp, &e, MSHV_EXIT_HALT);
	EXPECT_EQ(HVMSG_X64_HALT, e.msg_type);
	EXPECT_EQ(0, e.vp_index);
	EXPECT_EQ(0, e.cs.selector);
	/* RIP is at the HLT or just past it (the halted state). */
	EXPECT_TRUE(e.rip == RM_CODE + 2 || e.rip == RM_CODE + 3)
		TH_LOG("halt RIP %#llx", (unsigned long long)e.rip);
}

/* ---- long mode ---- */

#define MMIO_GPA	0x40000000ULL
#define ALIAS_GVA	0x50000000ULL
#define ALIAS_GPA	0x60000000ULL

static void guest_mmio(void)
{
	__u32 v;

	/* mov (%rax), %ebx = 8b 18 ; mov %ebx, (%rax) = 89 18 */
	__asm__ __volatile__("mov (%%rax), %%ebx" : "=b"(v) : "a"(MMIO_GPA + 0x10) : "memory");
	GUEST_ASSERT_EQ(v, 0x12345678);
	__asm__ __volatile__("mov %%ebx, (%%rax)"
			     : : "b"(0xabcdef01), "a"(MMIO_GPA + 0x20) : "memory");
	__asm__ __volatile__("mov (%%rax), %%ebx" : "=b"(v) : "a"(ALIAS_GVA + 0x8) : "memory");
	GUEST_DONE();
}

static const __u8 mov_load[] = { 0x8b, 0x18 };
static const __u8 mov_store[] = { 0x89, 0x18 };

FIXTURE(lm) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
};

/* A long-mode VM and VP 0; each test sets the entry point. */
FIXTURE_SETUP(lm)
{
	self->vm = vm_create_with_one_vp(&self->vp, NULL);
}

FIXTURE_TEARDOWN(lm)
{
	mshv_vm_free(self->vm);
}

TEST_F(lm, unmapped_gpa_read_write)
{
	struct mshv_exit e;

	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, MMIO_GPA, MMIO_GPA, 0x1000, MSHV_PTE_RW));
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, ALIAS_GVA, ALIAS_GPA, 0x1000, MSHV_PTE_RW));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_mmio, 0));

	vp_run_expect(self->vp, &e, MSHV_EXIT_MEMORY);
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, e.msg_type);
	EXPECT_EQ(MMIO_GPA + 0x10, e.mem.gpa);
	EXPECT_TRUE(e.mem.gva_valid);
	EXPECT_EQ(MMIO_GPA + 0x10, e.mem.gva);
	EXPECT_EQ(ACC_R, e.access_type);
	EXPECT_EQ(HV_X64_EXEC_STATE_CR0_PE | HV_X64_EXEC_STATE_EFER_LMA,
		  e.exec_state & (HV_X64_EXEC_STATE_CR0_PE | HV_X64_EXEC_STATE_EFER_LMA |
				  HV_X64_EXEC_STATE_CPL_MASK));
	EXPECT_EQ(MSHV_X86_SEL_CODE64, e.cs.selector);
	check_insn(_metadata, &e, e.mem.insn_bytes, e.mem.insn_byte_count, mov_load, 2);
	/* Emulate the load. */
	vp_set_reg(self->vp, HV_X64_REGISTER_RBX, 0x12345678);
	vp_skip_insn(self->vp, &e);

	vp_run_expect(self->vp, &e, MSHV_EXIT_MEMORY);
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, e.msg_type);
	EXPECT_EQ(MMIO_GPA + 0x20, e.mem.gpa);
	EXPECT_EQ(MMIO_GPA + 0x20, e.mem.gva);
	EXPECT_EQ(ACC_W, e.access_type);
	check_insn(_metadata, &e, e.mem.insn_bytes, e.mem.insn_byte_count, mov_store, 2);
	EXPECT_EQ(0xabcdef01, vp_get_reg(self->vp, HV_X64_REGISTER_RBX));
	vp_skip_insn(self->vp, &e);

	/* GVA and GPA differ: both reported. */
	vp_run_expect(self->vp, &e, MSHV_EXIT_MEMORY);
	EXPECT_EQ(ALIAS_GPA + 0x8, e.mem.gpa);
	EXPECT_TRUE(e.mem.gva_valid);
	EXPECT_EQ(ALIAS_GVA + 0x8, e.mem.gva);
	EXPECT_EQ(ACC_R, e.access_type);
	vp_skip_insn(self->vp, &e);
	vp_run_to_done(self->vp);
}

static void guest_code_cpuid(void)
{
	__u32 a, b, c, d;

	guest_cpuid(0x1, 0, &a, &b, &c, &d);
	GUEST_ASSERT_EQ(a, 0x11111111);
	GUEST_ASSERT_EQ(b, 0x22222222);
	GUEST_ASSERT_EQ(c, 0x33333333);
	GUEST_ASSERT_EQ(d, 0x44444444);
	GUEST_DONE();
}

static void guest_cpuid_plain(void)
{
	__u32 a, b, c, d;

	guest_cpuid(0, 0, &a, &b, &c, &d);
	GUEST_SYNC2(a, b);
	GUEST_DONE();
}

/* Without an installed intercept the hypervisor answers CPUID itself. */
TEST_F(lm, cpuid_not_intercepted_by_default)
{
	struct mshv_ucall_info uc;

	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_cpuid_plain, 0));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_LE(1, uc.args[0]) TH_LOG("CPUID.0 max basic leaf");
	EXPECT_NE(0, uc.args[1]) TH_LOG("CPUID.0 EBX: vendor string");
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
}

TEST_F(lm, cpuid_intercept_installed)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_RAX, HV_X64_REGISTER_RBX,
		HV_X64_REGISTER_RCX, HV_X64_REGISTER_RDX,
	};
	static const __u8 cpuid_insn[] = { 0x0f, 0xa2 };
	union hv_register_value v[4];
	struct mshv_exit e;
	int ret;

	ret = mshv_vm_install_intercept(self->vm, HV_INTERCEPT_ACCESS_MASK_EXECUTE,
					HV_INTERCEPT_TYPE_X64_CPUID, 0x1);
	ASSERT_EQ(0, ret) TH_LOG("HvInstallIntercept(CPUID leaf 1): %s", strerror(-ret));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_code_cpuid, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_CPUID);
	EXPECT_EQ(HVMSG_X64_CPUID_INTERCEPT, e.msg_type);
	EXPECT_EQ(1, e.cpuid.rax & 0xffffffff);
	EXPECT_EQ(0, e.cpuid.rcx & 0xffffffff);
	EXPECT_EQ(2, e.insn_len);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, cpuid_insn, 2))
		TH_LOG("RIP %#llx is not at the CPUID", (unsigned long long)e.rip);
	memset(v, 0, sizeof(v));
	v[0].reg64 = 0x11111111;
	v[1].reg64 = 0x22222222;
	v[2].reg64 = 0x33333333;
	v[3].reg64 = 0x44444444;
	ASSERT_EQ(0, mshv_vp_set_regs(self->vp, names, v, 4));
	vp_skip_insn(self->vp, &e);
	vp_run_to_done(self->vp);
}

#define TEST_MSR	0x00001234

static void guest_msr(void)
{
	guest_wrmsr(TEST_MSR, 0x1122334455667788ULL);
	GUEST_ASSERT_EQ(guest_rdmsr(TEST_MSR), 0x99aabbccddeeff00ULL);
	GUEST_DONE();
}

TEST_F(lm, msr_intercept_installed)
{
	static const __u8 wrmsr_insn[] = { 0x0f, 0x30 };
	static const __u8 rdmsr_insn[] = { 0x0f, 0x32 };
	int ret;

	__u32 rw = HV_INTERCEPT_ACCESS_MASK_READ | HV_INTERCEPT_ACCESS_MASK_WRITE;
	struct mshv_exit e;

	ret = mshv_vm_install_intercept(self->vm, rw, HV_INTERCEPT_TYPE_X64_MSR, 0);
	ASSERT_EQ(0, ret) TH_LOG("HvInstallIntercept(MSR): %s", strerror(-ret));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_msr, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_MSR);
	EXPECT_EQ(HVMSG_X64_MSR_INTERCEPT, e.msg_type);
	EXPECT_EQ(TEST_MSR, e.msr.index);
	EXPECT_TRUE(e.msr.is_write);
	EXPECT_EQ(ACC_W, e.access_type);
	EXPECT_EQ(0x11223344, e.msr.rdx & 0xffffffff);
	EXPECT_EQ(0x55667788, e.msr.rax & 0xffffffff);
	EXPECT_EQ(2, e.insn_len);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, wrmsr_insn, 2));
	vp_skip_insn(self->vp, &e);
	vp_run_expect(self->vp, &e, MSHV_EXIT_MSR);
	EXPECT_EQ(TEST_MSR, e.msr.index);
	EXPECT_FALSE(e.msr.is_write);
	EXPECT_EQ(ACC_R, e.access_type);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, rdmsr_insn, 2));
	vp_set_reg(self->vp, HV_X64_REGISTER_RAX, 0xddeeff00);
	vp_set_reg(self->vp, HV_X64_REGISTER_RDX, 0x99aabbcc);
	vp_skip_insn(self->vp, &e);
	vp_run_to_done(self->vp);
}

static void guest_msr_unimplemented(void)
{
	guest_wrmsr(TEST_MSR, 0x55);
	GUEST_ASSERT_EQ(guest_rdmsr(TEST_MSR), 0);
	GUEST_DONE();
}

/* Default UNIMPLEMENTED_MSR_ACTION is FAULT: #GP(0) at the RDMSR/WRMSR. */
TEST_F(lm, unimplemented_msr_faults)
{
	static const __u8 wrmsr_insn[] = { 0x0f, 0x30 };
	struct mshv_exit e;

	ASSERT_EQ(0, mshv_vm_install_intercept(self->vm, HV_INTERCEPT_ACCESS_MASK_EXECUTE,
					       HV_INTERCEPT_TYPE_EXCEPTION, 13));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_msr_unimplemented, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_EXCEPTION);
	EXPECT_EQ(13, e.exception.vector);
	EXPECT_TRUE(e.exception.error_code_valid);
	EXPECT_EQ(0, e.exception.error_code);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, wrmsr_insn, 2));
}

/* UNIMPLEMENTED_MSR_ACTION = 1: writes ignored, reads return 0, no exit. */
TEST_F(lm, unimplemented_msr_ignored)
{
	__u64 v = 0;
	int ret;

	ret = mshv_vm_set_property(self->vm, HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION, 1);
	ASSERT_EQ(0, ret) TH_LOG("SET_PARTITION_PROPERTY(UNIMPLEMENTED_MSR_ACTION): %s",
				 strerror(-ret));
	ASSERT_EQ(0, mshv_vm_get_property(self->vm,
					  HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION, &v));
	EXPECT_EQ(1, v);
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_msr_unimplemented, 0));
	vp_run_to_done(self->vp);
}

static void guest_ud2(void)
{
	__asm__ __volatile__("mov $0x5555, %%rcx; ud2" : : : "rcx", "memory");
	GUEST_DONE();
}

TEST_F(lm, exception_intercept_ud)
{
	static const __u8 ud2[] = { 0x0f, 0x0b };
	struct mshv_exit e;
	int ret;

	ret = mshv_vm_install_intercept(self->vm, HV_INTERCEPT_ACCESS_MASK_READ |
					HV_INTERCEPT_ACCESS_MASK_WRITE |
					HV_INTERCEPT_ACCESS_MASK_EXECUTE,
					HV_INTERCEPT_TYPE_EXCEPTION, 6);
	ASSERT_EQ(0, ret) TH_LOG("HvInstallIntercept(#UD): %s", strerror(-ret));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_ud2, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_EXCEPTION);
	EXPECT_EQ(HVMSG_X64_EXCEPTION_INTERCEPT, e.msg_type);
	EXPECT_EQ(6, e.exception.vector);
	EXPECT_FALSE(e.exception.error_code_valid);
	EXPECT_EQ(0x5555, e.exception.gprs[1]) TH_LOG("RCX in the exception message");
	check_insn(_metadata, &e, e.exception.insn_bytes, e.exception.insn_byte_count, ud2, 2);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, ud2, 2));
	vp_set_reg(self->vp, HV_X64_REGISTER_RIP, e.rip + 2);
	vp_run_to_done(self->vp);
}

static void guest_div0(void)
{
	/* div %rcx = 48 f7 f1 with RCX = 0: #DE */
	__asm__ __volatile__("xor %%edx, %%edx; mov $7, %%eax; xor %%ecx, %%ecx; div %%rcx"
			     : : : "rax", "rcx", "rdx", "memory");
	GUEST_DONE();
}

TEST_F(lm, exception_intercept_de)
{
	static const __u8 div[] = { 0x48, 0xf7, 0xf1 };
	struct mshv_exit e;

	ASSERT_EQ(0, mshv_vm_install_intercept(self->vm, HV_INTERCEPT_ACCESS_MASK_EXECUTE,
					       HV_INTERCEPT_TYPE_EXCEPTION, 0));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_div0, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_EXCEPTION);
	EXPECT_EQ(0, e.exception.vector);
	EXPECT_FALSE(e.exception.error_code_valid);
	EXPECT_EQ(7, e.exception.gprs[0]);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, div, 3));
	vp_set_reg(self->vp, HV_X64_REGISTER_RIP, e.rip + 3);
	vp_run_to_done(self->vp);
}

/* No IDT entries and no exception intercept: #UD -> #DF -> triple fault. */
TEST_F(lm, unrecoverable_exception)
{
	struct mshv_exit e;

	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_ud2, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_UNRECOVERABLE);
	EXPECT_EQ(HVMSG_UNRECOVERABLE_EXCEPTION, e.msg_type);
	EXPECT_EQ(0, e.vp_index);
}

static void guest_vmcall(void)
{
	register __u64 r8 __asm__("r8") = 0x4242;
	__u64 ret;

	__asm__ __volatile__("vmcall"
			     : "=a"(ret)
			     : "c"(0x10099ULL), "d"(0x1000ULL), "r"(r8) : "memory");
	GUEST_ASSERT_EQ(ret, 0x2);
	GUEST_DONE();
}

TEST_F(lm, hypercall_intercept)
{
	static const __u8 vmcall[] = { 0x0f, 0x01, 0xc1 };
	struct mshv_exit e;
	int ret;

	ret = mshv_vm_install_intercept(self->vm, HV_INTERCEPT_ACCESS_MASK_EXECUTE,
					HV_INTERCEPT_TYPE_HYPERCALL, 0);
	ASSERT_EQ(0, ret) TH_LOG("HvInstallIntercept(HYPERCALL): %s", strerror(-ret));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_vmcall, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_HYPERCALL);
	EXPECT_EQ(HVMSG_HYPERCALL_INTERCEPT, e.msg_type);
	EXPECT_EQ(0x10099, e.hypercall.rcx);
	EXPECT_EQ(0x1000, e.hypercall.rdx);
	EXPECT_EQ(0x4242, e.hypercall.r8);
	EXPECT_EQ(3, e.insn_len);
	EXPECT_EQ(0, memcmp((void *)(uintptr_t)e.rip, vmcall, 3));
	vp_set_reg(self->vp, HV_X64_REGISTER_RAX, 0x2);
	vp_skip_insn(self->vp, &e);
	vp_run_to_done(self->vp);
}

TEST_HARNESS_MAIN
