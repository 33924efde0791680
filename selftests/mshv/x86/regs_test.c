// SPDX-License-Identifier: GPL-2.0-only
/*
 * regs_test - VP state through HVCALL_GET/SET_VP_REGISTERS (passthrough on
 * the VP fd) and through the mmapped register page (upstream-abi.md
 * sections 1.3.11, 2.5, 4.4, 4.5).
 *
 * Covered: the architectural reset state of a new VP (real mode at
 * F000:FFF0), round trips of GPRs, RIP/RFLAGS, segments, descriptor tables,
 * control registers and EFER, a 40-register batch, VP_INDEX, the register
 * page's version/isvalid and its RIP/RAX after an intercept, and a RIP
 * change made through the page (dirty bit) taking effect, and the intercept
 * message page (mmap offset 1) matching what RUN_VP returned.
 * Negative: SET of a register on a VP that does not exist.
 */
#include <unistd.h>
#include <sys/mman.h>

#include "mshv_test_harness.h"
#include "hvsim_util.h"
#include <mshv/guest.h>

static const __u32 gpr_names[16] = {
	HV_X64_REGISTER_RAX, HV_X64_REGISTER_RCX, HV_X64_REGISTER_RDX,
	HV_X64_REGISTER_RBX, HV_X64_REGISTER_RSP, HV_X64_REGISTER_RBP,
	HV_X64_REGISTER_RSI, HV_X64_REGISTER_RDI, HV_X64_REGISTER_R8,
	HV_X64_REGISTER_R9, HV_X64_REGISTER_R10, HV_X64_REGISTER_R11,
	HV_X64_REGISTER_R12, HV_X64_REGISTER_R13, HV_X64_REGISTER_R14,
	HV_X64_REGISTER_R15,
};

FIXTURE(vp) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
};

FIXTURE_SETUP(vp)
{
	self->vm = vm_create_default();
	self->vp = vm_add_vp(self->vm, 0, NULL);
}

FIXTURE_TEARDOWN(vp)
{
	mshv_vm_free(self->vm);
}

/* Intel SDM vol. 3, "Processor state following power-up, reset or INIT". */
TEST_F(vp, reset_state)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_RIP, HV_X64_REGISTER_RFLAGS, HV_X64_REGISTER_CS,
		HV_X64_REGISTER_DS, HV_X64_REGISTER_CR0, HV_X64_REGISTER_CR3,
		HV_X64_REGISTER_CR4, HV_X64_REGISTER_EFER, HV_X64_REGISTER_GDTR,
		HV_X64_REGISTER_IDTR, HV_X64_REGISTER_DR7,
	};
	union hv_register_value v[11], g[16];
	unsigned int i;

	ASSERT_EQ(0, mshv_vp_get_regs(self->vp, names, v, 11));
	EXPECT_EQ(0xfff0, v[0].reg64);
	EXPECT_EQ(0x2, v[1].reg64);
	EXPECT_EQ(0xf000, v[2].segment.selector);
	EXPECT_EQ(0xffff0000, v[2].segment.base);
	EXPECT_EQ(0xffff, v[2].segment.limit);
	EXPECT_EQ(0, v[3].segment.selector);
	EXPECT_EQ(0, v[3].segment.base);
	EXPECT_EQ(0xffff, v[3].segment.limit);
	EXPECT_EQ(0x60000010, v[4].reg64);
	EXPECT_EQ(0, v[5].reg64);
	EXPECT_EQ(0, v[6].reg64);
	EXPECT_EQ(0, v[7].reg64);
	EXPECT_EQ(0, v[8].table.base);
	EXPECT_EQ(0xffff, v[8].table.limit);
	EXPECT_EQ(0, v[9].table.base);
	EXPECT_EQ(0xffff, v[9].table.limit);
	EXPECT_EQ(0x400, v[10].reg64);
	ASSERT_EQ(0, mshv_vp_get_regs(self->vp, gpr_names, g, 16));
	for (i = 0; i < 16; i++)
		if (gpr_names[i] != HV_X64_REGISTER_RDX)	/* RDX: CPU signature */
			EXPECT_EQ(0, g[i].reg64) TH_LOG("GPR %u not zero at reset", i);
}

TEST_F(vp, gpr_round_trip)
{
	union hv_register_value in[16], out[16];
	unsigned int i;

	memset(in, 0, sizeof(in));
	memset(out, 0xff, sizeof(out));
	for (i = 0; i < 16; i++)
		in[i].reg64 = 0x0101010101010101ULL * (i + 1) ^ (i << 4);
	ASSERT_EQ(0, mshv_vp_set_regs(self->vp, gpr_names, in, 16));
	ASSERT_EQ(0, mshv_vp_get_regs(self->vp, gpr_names, out, 16));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(in[i].reg64, out[i].reg64) TH_LOG("GPR %u", i);
}

TEST_F(vp, rip_rflags_round_trip)
{
	vp_set_reg(self->vp, HV_X64_REGISTER_RIP, 0x123456789aULL);
	EXPECT_EQ(0x123456789aULL, vp_get_reg(self->vp, HV_X64_REGISTER_RIP));
	vp_set_reg(self->vp, HV_X64_REGISTER_RFLAGS, 0x2 | 0x1 | 0x40 | 0x800);
	EXPECT_EQ(0x843, vp_get_reg(self->vp, HV_X64_REGISTER_RFLAGS));
}

TEST_F(vp, segment_and_table_round_trip)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_CS, HV_X64_REGISTER_SS, HV_X64_REGISTER_FS,
		HV_X64_REGISTER_GDTR, HV_X64_REGISTER_IDTR,
	};
	union hv_register_value in[5], out[5];

	memset(in, 0, sizeof(in));
	in[0].segment = (struct hv_x64_segment_register){ 0, 0xffffffff, 0x08, 0xa09b };
	in[1].segment = (struct hv_x64_segment_register){ 0, 0xffffffff, 0x10, 0xc093 };
	in[2].segment = (struct hv_x64_segment_register){ 0x7fff0000, 0xfffff, 0x10, 0xc093 };
	in[3].table.base = 0x1000;
	in[3].table.limit = 0x2f;
	in[4].table.base = 0x2000;
	in[4].table.limit = 0xfff;
	ASSERT_EQ(0, mshv_vp_set_regs(self->vp, names, in, 5));
	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, mshv_vp_get_regs(self->vp, names, out, 5));
	EXPECT_EQ(0x08, out[0].segment.selector);
	EXPECT_EQ(0xa09b, out[0].segment.attributes);
	EXPECT_EQ(0xffffffff, out[0].segment.limit);
	EXPECT_EQ(0x10, out[1].segment.selector);
	EXPECT_EQ(0xc093, out[1].segment.attributes);
	EXPECT_EQ(0x7fff0000, out[2].segment.base);
	EXPECT_EQ(0x1000, out[3].table.base);
	EXPECT_EQ(0x2f, out[3].table.limit);
	EXPECT_EQ(0x2000, out[4].table.base);
	EXPECT_EQ(0xfff, out[4].table.limit);
}

TEST_F(vp, long_mode_control_registers)
{
	ASSERT_EQ(0, mshv_vm_setup_long_mode(self->vm, 0));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, 0x401000, 0));
	EXPECT_EQ(MSHV_X86_LONG_CR0, vp_get_reg(self->vp, HV_X64_REGISTER_CR0));
	EXPECT_EQ(mshv_vm_pt(self->vm)->cr3, vp_get_reg(self->vp, HV_X64_REGISTER_CR3));
	EXPECT_EQ(MSHV_X86_LONG_CR4, vp_get_reg(self->vp, HV_X64_REGISTER_CR4));
	EXPECT_EQ(MSHV_X86_LONG_EFER, vp_get_reg(self->vp, HV_X64_REGISTER_EFER));
	EXPECT_EQ(0x401000, vp_get_reg(self->vp, HV_X64_REGISTER_RIP));
}

TEST_F(vp, forty_register_batch)
{
	__u32 names[40];
	union hv_register_value in[40], out[40];
	unsigned int i;

	memset(in, 0, sizeof(in));
	for (i = 0; i < 40; i++) {
		names[i] = gpr_names[i % 16];
		in[i].reg64 = 0x1000 + i;
	}
	/* The last write of each register wins (elements are applied in order). */
	ASSERT_EQ(0, mshv_vp_set_regs(self->vp, names, in, 40));
	ASSERT_EQ(0, mshv_vp_get_regs(self->vp, names, out, 40));
	for (i = 0; i < 40; i++) {
		unsigned int last = i % 16 + 16 * ((40 - 1 - i % 16) / 16);

		EXPECT_EQ(0x1000 + last, out[i].reg64) TH_LOG("element %u", i);
	}
}

TEST_F(vp, vp_index_register)
{
	struct mshv_vp *vp7 = vm_add_vp(self->vm, 7, NULL);

	EXPECT_EQ(0, vp_get_reg(self->vp, HV_REGISTER_VP_INDEX));
	EXPECT_EQ(7, vp_get_reg(vp7, HV_REGISTER_VP_INDEX));
}

TEST_F(vp, missing_vp_index_fails)
{
	__u64 in[(16 + 32) / 8];
	struct hv_input_set_vp_registers *h = (void *)in;
	__u16 status = 0;
	int ret;

	memset(in, 0, sizeof(in));
	h->vp_index = 9;	/* never created */
	h->elements[0].name = HV_X64_REGISTER_RAX;
	ret = mshv_hvcall(mshv_vm_fd(self->vm), HVCALL_SET_VP_REGISTERS, 1, in, sizeof(in),
			  NULL, 0, &status);
	EXPECT_EQ(-EINVAL, ret);
	EXPECT_EQ(HV_STATUS_INVALID_VP_INDEX, status);
}

/* ---- register page ---- */

static void guest_page(void)
{
	__asm__ __volatile__("mov $0x77, %%eax; outb %%al, $0x99; nop; nop; nop; nop; hlt"
			     : : : "rax", "memory");
	GUEST_DONE();
}

/* Reads through the GVA the translate test maps, then stops. */
static void guest_touch_scratch(void)
{
	GUEST_SYNC(guest_read64(0x50001000));
	GUEST_DONE();
}

static void guest_page_target(void)
{
	GUEST_SYNC(0x600d);
	GUEST_DONE();
}

FIXTURE(page) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
};

/* A long-mode VM and VP 0; each test sets the entry point. */
FIXTURE_SETUP(page)
{
	self->vm = vm_create_with_one_vp(&self->vp, NULL);
}

FIXTURE_TEARDOWN(page)
{
	mshv_vm_free(self->vm);
}

TEST_F(page, header_and_state_after_intercept)
{
	struct hv_vp_register_page *rp = mshv_vp_reg_page(self->vp);
	struct mshv_exit e;

	ASSERT_NE(NULL, rp) TH_LOG("a non-SNP partition must have a register page");
	EXPECT_EQ(HV_VP_REGISTER_PAGE_VERSION_1, rp->version);
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_page, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_IO);
	EXPECT_EQ(0x99, e.io.port);
	ASSERT_NE(0, rp->isvalid) TH_LOG("register page not valid after an intercept");
	EXPECT_EQ(e.rip, rp->rip);
	EXPECT_EQ(0x77, rp->gp_registers[0]);
	EXPECT_EQ(MSHV_X86_SEL_CODE64, rp->segment[1].selector);
	EXPECT_EQ(MSHV_X86_LONG_EFER, rp->efer);
	EXPECT_EQ(mshv_vm_pt(self->vm)->cr3, rp->cr3);
}

TEST_F(page, rip_written_through_page)
{
	struct hv_vp_register_page *rp = mshv_vp_reg_page(self->vp);
	struct mshv_ucall_info uc;
	struct mshv_exit e;

	ASSERT_NE(NULL, rp);
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_page, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_IO);
	ASSERT_NE(0, rp->isvalid);
	ASSERT_EQ(0, mshv_vp_page_set_rip(self->vp, (__u64)guest_page_target));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(0x600d, uc.args[0]);
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
}

TEST_F(page, hypercall_and_page_agree)
{
	struct hv_vp_register_page *rp = mshv_vp_reg_page(self->vp);
	struct mshv_exit e;

	ASSERT_NE(NULL, rp);
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_page, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_IO);
	ASSERT_NE(0, rp->isvalid);
	EXPECT_EQ(vp_get_reg(self->vp, HV_X64_REGISTER_RIP), rp->rip);
	EXPECT_EQ(vp_get_reg(self->vp, HV_X64_REGISTER_RSP), rp->gp_registers[4]);
	EXPECT_EQ(vp_get_reg(self->vp, HV_X64_REGISTER_RFLAGS), rp->rflags);
}

static void guest_page_gprs(void)
{
	__u64 rbx = 0;

	/* The host replaces RBX while the guest is stopped at the OUT. */
	__asm__ __volatile__("outb %%al, $0x98" : "+b"(rbx) : "a"(0) : "memory");
	GUEST_ASSERT_EQ(rbx, 0x1122334455667788ULL);
	GUEST_DONE();
}

/* GPRs written through the page (dirty GENERAL) reach the guest. */
TEST_F(page, gprs_written_through_page)
{
	struct mshv_exit e;
	__u64 rip;

	ASSERT_NE(NULL, mshv_vp_reg_page(self->vp));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_page_gprs, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_IO);
	EXPECT_EQ(0x98, e.io.port);
	ASSERT_EQ(0, mshv_vp_page_get_rip(self->vp, &rip));
	EXPECT_EQ(e.rip, rip);
	ASSERT_EQ(0, mshv_vp_page_set_reg(self->vp, HV_X64_REGISTER_RBX, 0x1122334455667788ULL));
	ASSERT_EQ(0, mshv_vp_page_set_rip(self->vp, e.rip + e.insn_len));
	EXPECT_EQ(-EINVAL, mshv_vp_page_set_reg(self->vp, HV_X64_REGISTER_CR0, 0));
	vp_run_to_done(self->vp);
}

struct hv_input_translate_va {
	__u64 partition_id;
	__u32 vp_index;
	__u32 padding;
	__u64 control_flags;
	__u64 gva_page;
};

struct hv_output_translate_va {
	__u64 result;		/* low 32 bits: result code */
	__u64 gpa_page;
};

#define HV_TRANSLATE_GVA_VALIDATE_READ		0x1
#define HV_TRANSLATE_GVA_VALIDATE_WRITE		0x2
#define HV_TRANSLATE_GVA_SUCCESS		0
#define HV_TRANSLATE_GVA_PAGE_NOT_PRESENT	1
#define HV_TRANSLATE_GVA_GPA_UNMAPPED		4

static int translate(struct mshv_vp *vp, __u64 gva, __u64 flags,
		     struct hv_output_translate_va *out)
{
	struct hv_input_translate_va in = {
		.vp_index = mshv_vp_index(vp),
		.control_flags = flags,
		.gva_page = gva >> 12,
	};

	memset(out, 0xff, sizeof(*out));
	return mshv_hvcall(mshv_vp_fd(vp), HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in,
			   sizeof(in), out, sizeof(*out), NULL);
}

/*
 * HvTranslateVirtualAddress walks the guest's page tables.  With movable
 * RAM (mshv_root's default) the hypervisor holds no page of the guest
 * before the guest touches it, its page tables included: on hvsim the walk
 * then reports an unmapped GPA (the real hypervisor's answer is not
 * asserted).  Once the guest has run through the mapping, or with pinned
 * RAM from the start, the walk succeeds.
 */
TEST_F(page, translate_virtual_address)
{
	struct hv_output_translate_va out;
	struct mshv_ucall_info uc;
	int ret;

	/* GVA 0x50000000 -> RAM; GVA 0x58000000 -> a GPA with no memory */
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, 0x50000000, MSHV_X86_SCRATCH_GPA, 0x2000,
				     MSHV_PTE_RW));
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, 0x58000000, 0x60000000, 0x1000, MSHV_PTE_RW));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_touch_scratch, 0));
	ret = translate(self->vp, 0x50001000, HV_TRANSLATE_GVA_VALIDATE_READ, &out);
	ASSERT_EQ(0, ret) TH_LOG("HVCALL_TRANSLATE_VIRTUAL_ADDRESS: %s", strerror(-ret));
	if (mshv_root_movable_regions() != 1) {
		EXPECT_EQ(HV_TRANSLATE_GVA_SUCCESS, out.result & 0xffffffff);
	} else if (hvsim_present()) {
		EXPECT_EQ(HV_TRANSLATE_GVA_GPA_UNMAPPED, out.result & 0xffffffff)
			TH_LOG("page tables the guest has not touched");
	}
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));

	ret = translate(self->vp, 0x50001000, HV_TRANSLATE_GVA_VALIDATE_READ, &out);
	ASSERT_EQ(0, ret) TH_LOG("HVCALL_TRANSLATE_VIRTUAL_ADDRESS: %s", strerror(-ret));
	EXPECT_EQ(HV_TRANSLATE_GVA_SUCCESS, out.result & 0xffffffff);
	EXPECT_EQ((MSHV_X86_SCRATCH_GPA >> 12) + 1, out.gpa_page);
	ret = translate(self->vp, 0x58000000, HV_TRANSLATE_GVA_VALIDATE_READ, &out);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(HV_TRANSLATE_GVA_GPA_UNMAPPED, out.result & 0xffffffff);
	ret = translate(self->vp, 0x401000, HV_TRANSLATE_GVA_VALIDATE_READ |
			HV_TRANSLATE_GVA_VALIDATE_WRITE, &out);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(HV_TRANSLATE_GVA_SUCCESS, out.result & 0xffffffff);
	EXPECT_EQ(0x401, out.gpa_page) TH_LOG("identity-mapped test binary");
	ret = translate(self->vp, 0x7000000000ULL, HV_TRANSLATE_GVA_VALIDATE_READ, &out);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(HV_TRANSLATE_GVA_PAGE_NOT_PRESENT, out.result & 0xffffffff);
}

/* The intercept message page (mmap offset 1) holds what RUN_VP returned. */
TEST_F(page, intercept_message_page)
{
	long pg = sysconf(_SC_PAGESIZE);
	struct mshv_exit e;
	void *msg;

	msg = mmap(NULL, pg, PROT_READ, MAP_SHARED, mshv_vp_fd(self->vp),
		   MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE * pg);
	ASSERT_NE(MAP_FAILED, msg) TH_LOG("intercept message page mmap: %s", strerror(errno));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_page, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_IO);
	EXPECT_EQ(0, memcmp(msg, &e.msg, sizeof(e.msg)));
	EXPECT_EQ(HVMSG_X64_IO_PORT_INTERCEPT, ((struct hv_message *)msg)->header.message_type);
	munmap(msg, pg);
}

TEST_HARNESS_MAIN
