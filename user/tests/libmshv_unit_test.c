// SPDX-License-Identifier: GPL-2.0-only
/*
 * libmshv_unit_test - host-only tests of libmshv's pure parts: the
 * hypervisor struct layouts in mshv/hvdef.h (against upstream-abi.md
 * sections 3.2 and 4.3-4.4), the intercept decoder, the page-table builder
 * and walker, the descriptor tables, and ucall decoding.  No /dev/mshv
 * needed.  Output is TAP 13; exit status 0 only if every case passes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static unsigned int ncase, nfail;

#define CHECK(cond, ...) do {						\
	ncase++;							\
	if (cond) {							\
		printf("ok %u - ", ncase);				\
	} else {							\
		nfail++;						\
		printf("not ok %u - ", ncase);				\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

#define CHECK_EQ(a, b, what) do {					\
	unsigned long long __a = (a), __b = (b);			\
	CHECK(__a == __b, "%s (%#llx, want %#llx)", what, __a, __b);	\
} while (0)

static void test_layouts(void)
{
	CHECK_EQ(sizeof(struct hv_message), 256, "hv_message size");
	CHECK_EQ(offsetof(struct hv_message, payload), 16, "hv_message payload offset");
	CHECK_EQ(sizeof(struct hv_x64_intercept_message_header), 40, "intercept header size");
	CHECK_EQ(offsetof(struct hv_x64_intercept_message_header, rip), 24, "header rip");
	CHECK_EQ(sizeof(struct hv_x64_io_port_intercept_message), 128, "io message size");
	CHECK_EQ(offsetof(struct hv_x64_io_port_intercept_message, rax), 48, "io rax");
	CHECK_EQ(offsetof(struct hv_x64_io_port_intercept_message, rdi), 120, "io rdi");
	CHECK_EQ(sizeof(struct hv_x64_memory_intercept_message), 80, "memory message size");
	CHECK_EQ(offsetof(struct hv_x64_memory_intercept_message, guest_physical_address), 56,
		 "memory gpa");
	CHECK_EQ(sizeof(struct hv_x64_cpuid_intercept_message), 104, "cpuid message size");
	CHECK_EQ(sizeof(struct hv_x64_msr_intercept_message), 64, "msr message size");
	CHECK_EQ(sizeof(struct hv_x64_exception_intercept_message), 240, "exception size");
	CHECK_EQ(offsetof(struct hv_x64_exception_intercept_message, rax), 112, "exception rax");
	CHECK_EQ(offsetof(struct hv_x64_exception_intercept_message, r8), 176, "exception r8");
	CHECK_EQ(sizeof(struct hv_x64_hypercall_intercept_message), 196, "hypercall size");
	CHECK_EQ(offsetof(struct hv_vp_register_page, rip), 136, "regpage rip");
	CHECK_EQ(offsetof(struct hv_vp_register_page, xmm), 160, "regpage xmm");
	CHECK_EQ(offsetof(struct hv_vp_register_page, segment), 256, "regpage segments");
	CHECK_EQ(offsetof(struct hv_vp_register_page, cr0), 352, "regpage cr0");
	CHECK_EQ(offsetof(struct hv_vp_register_page, xfem), 424, "regpage xfem");
	CHECK_EQ(offsetof(struct hv_vp_register_page, interrupt_vectors), 688, "regpage vectors");
	CHECK_EQ(sizeof(union hv_register_value), 16, "register value size");
	CHECK_EQ(sizeof(struct hv_register_assoc), 32, "register assoc size");
	CHECK_EQ(sizeof(struct hv_input_install_intercept), 24, "install intercept size");
	CHECK_EQ(sizeof(struct mshv_ucall), 88, "ucall size (11 u64)");
}

static void put(void *msg, size_t off, const void *v, size_t n)
{
	memcpy((char *)msg + off, v, n);
}

static void put64(void *msg, size_t off, __u64 v)
{
	put(msg, off, &v, 8);
}

static void make_header(struct hv_message *m, __u32 type, __u8 size)
{
	memset(m, 0, sizeof(*m));
	m->header.message_type = type;
	m->header.payload_size = size;
	m->header.sender = 0x55;
	/* vp 3, insn len 2 / cr8 5, access type write, exec state PE|LMA, rip */
	m->bytes[0] = 3;
	m->bytes[4] = 0x52;
	m->bytes[5] = 1;
	m->bytes[6] = 0x14;
	put64(m, 16 + 24, 0x401000);
	put64(m, 16 + 32, 0x246);
}

static void test_decode(void)
{
	static const __u8 insn[16] = { 0xee, 0x90 };
	struct hv_message m;
	struct mshv_exit e;
	__u16 port = 0x3f8;

	make_header(&m, HVMSG_X64_IO_PORT_INTERCEPT, 128);
	put(&m, 16 + 40, &port, 2);
	m.bytes[42] = 0x1 | 0x8 | 0x10;
	m.bytes[43] = 1;
	put64(&m, 16 + 48, 0x41);
	put(&m, 16 + 56, insn, 16);
	put64(&m, 16 + 104, 7);
	put64(&m, 16 + 112, 0x2000);
	put64(&m, 16 + 120, 0x3000);
	CHECK(!mshv_exit_decode(&m, &e), "decode io");
	CHECK_EQ(e.reason, MSHV_EXIT_IO, "io reason");
	CHECK_EQ(e.vp_index, 3, "io vp index");
	CHECK_EQ(e.insn_len, 2, "io instruction length");
	CHECK_EQ(e.cr8, 5, "io cr8");
	CHECK_EQ(e.rip, 0x401000, "io rip");
	CHECK_EQ(e.rflags, 0x246, "io rflags");
	CHECK_EQ(e.exec_state, 0x14, "io exec state");
	CHECK_EQ(e.sender, 0x55, "sender");
	CHECK_EQ(e.io.port, 0x3f8, "io port");
	CHECK_EQ(e.io.size, 1, "io size");
	CHECK(e.io.is_write && e.io.string && e.io.rep, "io write/string/rep flags");
	CHECK_EQ(e.io.rax, 0x41, "io rax");
	CHECK_EQ(e.io.rcx, 7, "io rcx");
	CHECK_EQ(e.io.rsi, 0x2000, "io rsi");
	CHECK_EQ(e.io.rdi, 0x3000, "io rdi");
	CHECK(e.io.insn_byte_count == 1 && e.io.insn_bytes[0] == 0xee, "io instruction bytes");

	make_header(&m, HVMSG_UNMAPPED_GPA, 80);
	m.bytes[5] = 0;
	m.bytes[44] = 2;
	m.bytes[45] = 1;
	put64(&m, 16 + 48, 0x50000008);
	put64(&m, 16 + 56, 0x60000008);
	put(&m, 16 + 64, insn, 16);
	CHECK(!mshv_exit_decode(&m, &e), "decode memory");
	CHECK_EQ(e.reason, MSHV_EXIT_MEMORY, "memory reason");
	CHECK_EQ(e.access_type, HV_INTERCEPT_ACCESS_READ, "memory access type");
	CHECK_EQ(e.mem.gva, 0x50000008, "memory gva");
	CHECK_EQ(e.mem.gpa, 0x60000008, "memory gpa");
	CHECK(e.mem.gva_valid && !e.mem.gva_gpa_valid, "memory gva valid bits");
	CHECK_EQ(e.mem.insn_byte_count, 2, "memory instruction byte count");

	make_header(&m, HVMSG_X64_MSR_INTERCEPT, 64);
	put64(&m, 16 + 40, 0x1234);
	put64(&m, 16 + 48, 0x11223344);
	put64(&m, 16 + 56, 0x55667788);
	mshv_exit_decode(&m, &e);
	CHECK(e.reason == MSHV_EXIT_MSR && e.msr.index == 0x1234 && e.msr.is_write &&
	      e.msr.rdx == 0x11223344 && e.msr.rax == 0x55667788, "decode msr");

	make_header(&m, HVMSG_X64_EXCEPTION_INTERCEPT, 240);
	m.bytes[40] = 14;
	m.bytes[42] = 1;
	put64(&m, 16 + 44, 0x2);
	put64(&m, 16 + 48, 0xdead000);
	put64(&m, 16 + 120, 0x77);
	put64(&m, 16 + 232, 0xf15);
	mshv_exit_decode(&m, &e);
	CHECK(e.reason == MSHV_EXIT_EXCEPTION && e.exception.vector == 14 &&
	      e.exception.error_code_valid && !e.exception.software &&
	      e.exception.error_code == 2 && e.exception.parameter == 0xdead000,
	      "decode exception");
	CHECK(e.exception.gprs[1] == 0x77 && e.exception.gprs[15] == 0xf15,
	      "exception rcx and r15");

	make_header(&m, HVMSG_X64_CPUID_INTERCEPT, 104);
	put64(&m, 16 + 40, 1);
	put64(&m, 16 + 72, 0x806f8);
	mshv_exit_decode(&m, &e);
	CHECK(e.reason == MSHV_EXIT_CPUID && e.cpuid.rax == 1 && e.cpuid.default_rax == 0x806f8,
	      "decode cpuid");

	make_header(&m, HVMSG_HYPERCALL_INTERCEPT, 196);
	put64(&m, 16 + 56, 0x10099);
	put64(&m, 16 + 72, 0x4242);
	m.bytes[192] = 1;
	mshv_exit_decode(&m, &e);
	CHECK(e.reason == MSHV_EXIT_HYPERCALL && e.hypercall.rcx == 0x10099 &&
	      e.hypercall.r8 == 0x4242 && e.hypercall.isolated, "decode hypercall");

	make_header(&m, HVMSG_X64_HALT, 40);
	mshv_exit_decode(&m, &e);
	CHECK(e.reason == MSHV_EXIT_HALT && e.rip == 0x401000, "decode halt");
	make_header(&m, HVMSG_UNRECOVERABLE_EXCEPTION, 40);
	mshv_exit_decode(&m, &e);
	CHECK(e.reason == MSHV_EXIT_UNRECOVERABLE, "decode unrecoverable exception");
	make_header(&m, 0x12345678, 0);
	CHECK(!mshv_exit_decode(&m, &e) && e.reason == MSHV_EXIT_UNKNOWN, "unknown message type");
	make_header(&m, HVMSG_X64_IO_PORT_INTERCEPT, 40);
	CHECK(mshv_exit_decode(&m, &e) == -EINVAL, "short io payload rejected");
}

static void test_page_tables(void)
{
	size_t size = 0x400000;
	void *mem = calloc(1, size);
	struct mshv_pt pt;
	__u64 gpa = 0, pte = 0;

	CHECK(!mshv_pt_init(&pt, mem, 0, size, 0x100000, 0x10000), "pt init");
	CHECK_EQ(pt.cr3, 0x100000, "cr3 is the first pool page");
	CHECK(!mshv_pt_map(&pt, 0, 0, 0x200000, MSHV_PTE_RW, false), "map 2 MiB with 4 KiB pages");
	CHECK(!mshv_pt_translate(&pt, 0x1234, &gpa, &pte) && gpa == 0x1234, "identity walk");
	CHECK((pte & (MSHV_PTE_P | MSHV_PTE_RW | MSHV_PTE_PS)) == (MSHV_PTE_P | MSHV_PTE_RW),
	      "leaf flags P|RW, no PS");
	/* 1 PML4 + 1 PDPT + 1 PD + 1 PT */
	CHECK_EQ(pt.pool_next, 0x104000, "four table pages used");
	CHECK(!mshv_pt_map(&pt, 0x50000000, 0x60000000, 0x2000, MSHV_PTE_RW | MSHV_PTE_NX, false),
	      "alias mapping");
	CHECK(!mshv_pt_translate(&pt, 0x50001008, &gpa, &pte) && gpa == 0x60001008,
	      "alias walk");
	CHECK(pte & MSHV_PTE_NX, "NX kept");
	CHECK(!mshv_pt_map(&pt, 0x40000000, 0x40000000, 0x400000, MSHV_PTE_RW, true),
	      "2 MiB large pages");
	CHECK(!mshv_pt_translate(&pt, 0x40212345, &gpa, &pte) && gpa == 0x40212345 &&
	      (pte & MSHV_PTE_PS), "large page walk");
	CHECK(!mshv_pt_map(&pt, 0xffffffff80000000ULL, 0x1000, 0x1000, MSHV_PTE_RW, false),
	      "high canonical address");
	CHECK(!mshv_pt_translate(&pt, 0xffffffff80000010ULL, &gpa, NULL) && gpa == 0x1010,
	      "high canonical walk");
	CHECK(mshv_pt_translate(&pt, 0x30000000, &gpa, NULL) == -EFAULT, "unmapped gva faults");
	CHECK(mshv_pt_translate(&pt, 0x0000800000000000ULL, &gpa, NULL) == -EFAULT,
	      "non-canonical gva faults");
	CHECK(mshv_pt_map(&pt, 0x1000, 0x1001, 0x1000, 0, false) == -EINVAL, "unaligned gpa");
	CHECK(mshv_pt_map(&pt, 0x200000, 0x201000, 0x200000, 0, true) == -EINVAL,
	      "unaligned large page");
	CHECK(mshv_pt_map(&pt, 0x1000, 0x1000, 0x1000, MSHV_PTE_PS, false) == -EINVAL,
	      "bad flags");
	CHECK(mshv_pt_map(&pt, 0x100000000000ULL, 0, 0x10000000, 0, false) == -ENOMEM,
	      "pool exhaustion reported");
	free(mem);
}

static void test_gdt(void)
{
	__u8 *mem = calloc(1, 0x3000);
	__u64 *gdt = (__u64 *)(mem + MSHV_X86_GDT_GPA);

	mshv_x86_write_descriptor_tables(mem);
	CHECK_EQ(gdt[0], 0, "null descriptor");
	CHECK_EQ(gdt[1], 0x00af9b000000ffffULL, "64-bit code descriptor");
	CHECK_EQ(gdt[2], 0x00cf93000000ffffULL, "data descriptor");
	CHECK_EQ(gdt[4], 0x00008b0018000067ULL, "TSS descriptor low");
	CHECK_EQ(gdt[5], 0, "TSS descriptor high");
	free(mem);
}

static void test_ucall(void)
{
	size_t size = 0x200000;
	__u8 *mem = calloc(1, size);
	struct mshv_vm vm;
	struct mshv_region r = { .gpa = 0, .size = size, .hva = mem };
	struct mshv_ucall *uc = (void *)(mem + 0x3000);
	struct mshv_ucall_info info;
	struct hv_message m;
	struct mshv_exit e;
	__u16 port = MSHV_UCALL_PORT;

	memset(&vm, 0, sizeof(vm));
	vm.regions = &r;
	CHECK(!mshv_pt_init(&vm.pt, mem, 0, size, 0x100000, 0x10000), "ucall pt init");
	CHECK(!mshv_pt_map(&vm.pt, 0x7000000000ULL, 0x3000, 0x1000, MSHV_PTE_RW, false),
	      "map ucall page at a high gva");
	CHECK(!mshv_pt_map(&vm.pt, 0x4000, 0x4000, 0x1000, MSHV_PTE_RW, false), "map strings");
	vm.has_pt = true;
	strcpy((char *)mem + 0x4000, "x86/foo_test.c");
	strcpy((char *)mem + 0x4100, "GUEST_ASSERT_EQ(a, b)");
	uc->cmd = UCALL_ABORT;
	uc->nargs = 2;
	uc->args[0] = 1;
	uc->args[1] = 2;
	uc->file = 0x4000;
	uc->line = 77;
	uc->expr = 0x4100;

	make_header(&m, HVMSG_X64_IO_PORT_INTERCEPT, 128);
	put(&m, 16 + 40, &port, 2);
	m.bytes[42] = 1;
	put64(&m, 16 + 120, 0x7000000000ULL);
	mshv_exit_decode(&m, &e);
	CHECK(mshv_ucall_decode(&vm, &e, &info) == UCALL_ABORT, "ucall abort decoded");
	CHECK(info.nargs == 2 && info.args[0] == 1 && info.args[1] == 2, "ucall args");
	CHECK(info.line == 77 && !strcmp(info.file, "x86/foo_test.c"), "ucall file:line");
	CHECK(!strcmp(info.expr, "GUEST_ASSERT_EQ(a, b)"), "ucall expression");

	port = 0x80;
	put(&m, 16 + 40, &port, 2);
	mshv_exit_decode(&m, &e);
	CHECK(mshv_ucall_decode(&vm, &e, &info) == UCALL_NONE, "other port is not a ucall");
	port = MSHV_UCALL_PORT;
	put(&m, 16 + 40, &port, 2);
	put64(&m, 16 + 120, 0x9000000000ULL);
	mshv_exit_decode(&m, &e);
	CHECK(mshv_ucall_decode(&vm, &e, &info) == -EFAULT, "unmapped ucall pointer");
	put64(&m, 16 + 120, 0x7000000000ULL);
	uc->cmd = 99;
	mshv_exit_decode(&m, &e);
	CHECK(mshv_ucall_decode(&vm, &e, &info) == -EINVAL, "bad ucall command");
	free(mem);
}

int main(void)
{
	printf("TAP version 13\n");
	test_layouts();
	test_decode();
	test_page_tables();
	test_gdt();
	test_ucall();
	printf("1..%u\n", ncase);
	printf("# %u passed, %u failed\n", ncase - nfail, nfail);
	return nfail ? 1 : 0;
}
