// SPDX-License-Identifier: GPL-2.0-only
/*
 * intercept_sequence_test - one guest code sequence per processor mode that
 * does OUT, IN, an MMIO write and an MMIO read to an unmapped GPA, and HLT;
 * every intercept is checked field by field against the raw hv_message
 * (upstream-abi.md 3.2 header, 3.3 message types, 4.3 x64 payloads), at the
 * byte offsets the reference gives, not through libmshv's decoder.
 *
 * The guest code is hand-assembled so that the instruction bytes, lengths
 * and RIPs are known exactly.  The host plays the VMM: it supplies the IN
 * value in RAX, emulates the MMIO accesses from its knowledge of the
 * instructions (the memory message carries no data), and advances RIP
 * itself; before each advance it checks that RIP is still at the
 * intercepted instruction (the module never advances it).
 *
 * Not pinned down by the references and therefore not asserted exactly:
 * whether a HLT message's RIP is at the HLT or past it (either is accepted,
 * but it must match the VP's RIP register), the memory message's cache
 * type and TPR priority, its gva_gpa_valid bit, and the instruction byte
 * count beyond "at least the instruction, at most 16" (every byte reported
 * must equal guest memory at RIP).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mshv_test_harness.h"

/* upstream-abi.md 3.3 */
#define MSG_IO_PORT		0x80010000u
#define MSG_UNMAPPED_GPA	0x80000000u
#define MSG_HALT		0x80010007u

/* upstream-abi.md 4.3: payload sizes */
#define IO_PAYLOAD_SIZE		128
#define MEM_PAYLOAD_SIZE	80
#define HALT_PAYLOAD_SIZE	40

/* upstream-abi.md 4.3: common intercept header offsets */
#define HDR_VP_INDEX		0
#define HDR_LEN_CR8		4
#define HDR_ACCESS		5
#define HDR_EXEC_STATE		6
#define HDR_CS			8
#define HDR_RIP			24
#define HDR_RFLAGS		32
/* segment register: base u64, limit u32, selector u16, attributes u16 */
#define SEG_BASE		0
#define SEG_LIMIT		8
#define SEG_SELECTOR		12
#define SEG_ATTR		14

/* IO port intercept */
#define IO_PORT			40
#define IO_ACCESS_INFO		42
#define IO_INSN_COUNT		43
#define IO_RAX			48
#define IO_INSN_BYTES		56
/* memory intercept */
#define MEM_INSN_COUNT		44
#define MEM_ACCESS_INFO		45
#define MEM_GVA			48
#define MEM_GPA			56
#define MEM_INSN_BYTES		64

#define ACCESS_READ		0
#define ACCESS_WRITE		1

#define EXEC_PE			0x0004
#define EXEC_LMA		0x0010

#define IO_STRING_OP		0x08
#define IO_REP_PREFIX		0x10
#define MEM_GVA_VALID		0x01
#define MEM_HC_OUTPUT_PENDING	0x04
#define MEM_TLB_LOCKED		0x08

#define RFLAGS_FIXED		0x2
#define RFLAGS_PF		0x4
#define RFLAGS_AF		0x10
#define RFLAGS_SF		0x80

/* Little-endian field of @size bytes at @off in the 240-byte payload. */
static __u64 pl(const struct hv_message *m, unsigned int off, unsigned int size)
{
	__u64 v = 0;

	memcpy(&v, m->bytes + off, size);
	return v;
}

/*
 * The child partition's id, for the message header's sender: with the
 * simulator, the only line of its partitions file while this test runs
 * (mshv-run runs one test at a time).  0 when it cannot be known.
 */
static __u64 partition_id(void)
{
	char line[256];
	__u64 id = 0;
	int n = 0;
	FILE *f;

	f = fopen("/sys/kernel/debug/mshv_hvsim/partitions", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *end;
		unsigned long long v = strtoull(line, &end, 10);

		if (end != line && *end == ' ') {
			id = v;
			n++;
		}
	}
	fclose(f);
	return n == 1 ? id : 0;
}

struct seq {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	__u64 sender;		/* expected; 0: learn from the first message */
	__u64 code_linear;	/* linear address of code offset 0 */
	__u64 ip0;		/* RIP of code offset 0 */
	const __u8 *code;
	size_t code_len;
	/* common header values that hold for the whole sequence */
	__u16 exec_state;
	__u16 cs_sel;
	__u64 cs_base;
	__u32 cs_limit;
	__u16 cs_attr;
};

struct want {
	__u32 type;
	__u8 payload_size;
	unsigned int off;	/* code offset of the intercepted instruction */
	__u8 len;		/* its length (0: not checked, HLT) */
	int access;		/* ACCESS_* (-1: not checked, HLT) */
	__u64 rflags;
};

static void run_and_check(struct __test_metadata *_metadata, struct seq *s,
			  const struct want *w, struct mshv_exit *e)
{
	const struct hv_message *m = &e->msg;
	char buf[256];
	__u64 rip, cs_base;

	vp_run(s->vp, e);
	ASSERT_EQ(w->type, m->header.message_type)
		TH_LOG("at code offset %#x: %s", w->off, mshv_exit_describe(e, buf, sizeof(buf)));
	EXPECT_EQ(w->payload_size, m->header.payload_size);
	if (!s->sender)
		s->sender = m->header.sender;
	EXPECT_NE(0, m->header.sender) TH_LOG("sender: the partition id");
	EXPECT_EQ(s->sender, m->header.sender) TH_LOG("sender: the partition id");

	EXPECT_EQ(0, pl(m, HDR_VP_INDEX, 4));
	if (w->len) {
		EXPECT_EQ(w->len, pl(m, HDR_LEN_CR8, 1))
			TH_LOG("instruction_length %u, cr8 0", w->len);
	} else {
		EXPECT_EQ(0, pl(m, HDR_LEN_CR8, 1) >> 4) TH_LOG("cr8 0");
	}
	if (w->access >= 0)
		EXPECT_EQ(w->access, pl(m, HDR_ACCESS, 1));
	EXPECT_EQ(s->exec_state, pl(m, HDR_EXEC_STATE, 2)) TH_LOG("execution_state");
	cs_base = pl(m, HDR_CS + SEG_BASE, 8);
	EXPECT_EQ(s->cs_base, cs_base);
	EXPECT_EQ(s->cs_limit, pl(m, HDR_CS + SEG_LIMIT, 4));
	EXPECT_EQ(s->cs_sel, pl(m, HDR_CS + SEG_SELECTOR, 2));
	EXPECT_EQ(s->cs_attr, pl(m, HDR_CS + SEG_ATTR, 2));
	EXPECT_EQ(w->rflags, pl(m, HDR_RFLAGS, 8)) TH_LOG("RFLAGS at code offset %#x", w->off);

	rip = pl(m, HDR_RIP, 8);
	if (w->type == MSG_HALT) {
		EXPECT_TRUE(rip == s->ip0 + w->off || rip == s->ip0 + w->off + 1)
			TH_LOG("HLT at %#llx: message RIP %#llx",
			       (unsigned long long)(s->ip0 + w->off), (unsigned long long)rip);
	} else {
		EXPECT_EQ(s->ip0 + w->off, rip) TH_LOG("RIP of the intercepted instruction");
	}
	EXPECT_EQ(rip, vp_get_reg(s->vp, HV_X64_REGISTER_RIP))
		TH_LOG("RIP register after the intercept: the module must not advance it");
}

static void check_insn_bytes(struct __test_metadata *_metadata, struct seq *s,
			     const struct want *w, const struct hv_message *m,
			     unsigned int count_off, unsigned int bytes_off, bool exact)
{
	unsigned int count = pl(m, count_off, 1);
	const __u8 *guest;

	if (!exact && !count)
		return;
	EXPECT_LE(w->len, count) TH_LOG("instruction_byte_count %u", count);
	EXPECT_GE(16, count) TH_LOG("instruction_byte_count %u", count);
	if (count > 16)
		count = 16;
	guest = mshv_gpa_to_hva(s->vm, s->code_linear + w->off);
	ASSERT_NE(NULL, guest);
	EXPECT_EQ(0, memcmp(s->code + w->off, m->bytes + bytes_off, w->len))
		TH_LOG("instruction bytes at offset %#x: %02x %02x %02x %02x", w->off,
		       m->bytes[bytes_off], m->bytes[bytes_off + 1],
		       m->bytes[bytes_off + 2], m->bytes[bytes_off + 3]);
	EXPECT_EQ(0, memcmp(guest, m->bytes + bytes_off, count))
		TH_LOG("the %u instruction bytes must be guest memory at RIP", count);
}

static void check_io(struct __test_metadata *_metadata, struct seq *s,
		     const struct want *w, const struct hv_message *m,
		     __u16 port, __u8 size, __u64 rax)
{
	EXPECT_EQ(port, pl(m, IO_PORT, 2));
	EXPECT_EQ(size, pl(m, IO_ACCESS_INFO, 1))
		TH_LOG("access_info: size %u, string_op 0, rep_prefix 0", size);
	EXPECT_EQ(0, pl(m, IO_ACCESS_INFO, 1) & (IO_STRING_OP | IO_REP_PREFIX));
	EXPECT_EQ(rax, pl(m, IO_RAX, 8)) TH_LOG("RAX");
	/* Instruction bytes are optional in IO messages; if given, exact. */
	check_insn_bytes(_metadata, s, w, m, IO_INSN_COUNT, IO_INSN_BYTES, false);
}

static void check_mem(struct __test_metadata *_metadata, struct seq *s,
		      const struct want *w, const struct hv_message *m,
		      __u64 gva, __u64 gpa)
{
	__u8 info = pl(m, MEM_ACCESS_INFO, 1);

	EXPECT_EQ(gpa, pl(m, MEM_GPA, 8)) TH_LOG("guest_physical_address");
	EXPECT_EQ(MEM_GVA_VALID, info & MEM_GVA_VALID) TH_LOG("memory_access_info %#x", info);
	EXPECT_EQ(0, info & (MEM_HC_OUTPUT_PENDING | MEM_TLB_LOCKED))
		TH_LOG("memory_access_info %#x", info);
	EXPECT_EQ(gva, pl(m, MEM_GVA, 8)) TH_LOG("guest_virtual_address");
	check_insn_bytes(_metadata, s, w, m, MEM_INSN_COUNT, MEM_INSN_BYTES, true);
}

/* Advance RIP past the instruction at code offset @off, as the VMM. */
static void skip(struct seq *s, unsigned int off, __u8 len)
{
	vp_set_reg(s->vp, HV_X64_REGISTER_RIP, s->ip0 + off + len);
}

FIXTURE(seq) {
	struct mshv_vm *vm;
};

FIXTURE_SETUP(seq)
{
	self->vm = NULL;
}

FIXTURE_TEARDOWN(seq)
{
	mshv_vm_free(self->vm);
}

/*
 * Real mode: CS = 0x0080 (base 0x800), IP starts at 0x200, so the code is
 * at linear 0xa00; RAM is GPA 0-0xffff only.  The guest loads DS = 0xa000
 * (base 0xa0000, unmapped): DS:0x10 and DS:0x20 are linear = guest-physical
 * 0xa0010 and 0xa0020.
 */
#define RM_CS		0x0080
#define RM_IP		0x0200
#define RM_SP		0x7000
#define RM_RAM		0x10000
#define RM_RESULT	0x0500		/* ES:0x500, ES = 0 */

static const __u8 rm_code[] = {
	0xb8, 0x00, 0xa0,		/* 00: mov ax, 0xa000 */
	0x8e, 0xd8,			/* 03: mov ds, ax */
	0xb0, 0x5a,			/* 05: mov al, 0x5a */
	0xe6, 0x80,			/* 07: out 0x80, al */
	0xba, 0x71, 0x00,		/* 09: mov dx, 0x71 */
	0xed,				/* 0c: in ax, dx */
	0x05, 0x01, 0x01,		/* 0d: add ax, 0x0101 */
	0x89, 0x06, 0x10, 0x00,		/* 10: mov [0x0010], ax */
	0x8b, 0x1e, 0x20, 0x00,		/* 14: mov bx, [0x0020] */
	0x26, 0x89, 0x1e, 0x00, 0x05,	/* 18: mov es:[0x0500], bx */
	0xf4,				/* 1d: hlt */
};

TEST_F(seq, real_mode)
{
	/* 0xbeef + 0x0101 = 0xbff0: CF 0, PF 1 (0xf0), AF 1, ZF 0, SF 1, OF 0 */
	const __u64 after_add = RFLAGS_FIXED | RFLAGS_PF | RFLAGS_AF | RFLAGS_SF;
	const struct want out = { MSG_IO_PORT, IO_PAYLOAD_SIZE, 0x07, 2, ACCESS_WRITE,
				  RFLAGS_FIXED };
	const struct want in = { MSG_IO_PORT, IO_PAYLOAD_SIZE, 0x0c, 1, ACCESS_READ,
				 RFLAGS_FIXED };
	const struct want wr = { MSG_UNMAPPED_GPA, MEM_PAYLOAD_SIZE, 0x10, 4, ACCESS_WRITE,
				 after_add };
	const struct want rd = { MSG_UNMAPPED_GPA, MEM_PAYLOAD_SIZE, 0x14, 4, ACCESS_READ,
				 after_add };
	const struct want hlt = { MSG_HALT, HALT_PAYLOAD_SIZE, 0x1d, 0, -1, after_add };
	struct seq s = {
		.code = rm_code,
		.code_len = sizeof(rm_code),
		.code_linear = RM_CS * 16 + RM_IP,
		.ip0 = RM_IP,
		.exec_state = 0,	/* CPL 0, CR0.PE 0, CR0.AM 0, EFER.LMA 0 */
		.cs_sel = RM_CS,
		.cs_base = RM_CS * 16,
		.cs_limit = 0xffff,
		.cs_attr = 0x009b,	/* as set by mshv_vp_setup_real_mode() */
	};
	struct mshv_exit e;
	__u8 *ram = NULL;
	int ret;

	s.vm = vm_create_default();
	self->vm = s.vm;
	ret = mshv_vm_add_memory(s.vm, 0, RM_RAM, (1 << MSHV_SET_MEM_BIT_WRITABLE) |
				 (1 << MSHV_SET_MEM_BIT_EXECUTABLE), 0, (void **)&ram);
	ASSERT_EQ(0, ret) TH_LOG("mapping 64 KiB of RAM at GPA 0: %s", strerror(-ret));
	memcpy(ram + s.code_linear, rm_code, sizeof(rm_code));
	ram[RM_RESULT] = 0xff;
	ram[RM_RESULT + 1] = 0xff;
	s.vp = vm_add_vp(s.vm, 0, NULL);
	ASSERT_EQ(0, mshv_vp_setup_real_mode(s.vp, RM_CS, RM_IP, RM_SP));
	vp_set_reg(s.vp, HV_X64_REGISTER_RAX, 0);
	vp_set_reg(s.vp, HV_X64_REGISTER_RBX, 0);
	vp_set_reg(s.vp, HV_X64_REGISTER_RDX, 0);
	s.sender = partition_id();

	/* out 0x80, al: AX = 0xa05a */
	run_and_check(_metadata, &s, &out, &e);
	check_io(_metadata, &s, &out, &e.msg, 0x80, 1, 0xa05a);
	skip(&s, out.off, out.len);

	/* in ax, dx: the host returns 0xbeef */
	run_and_check(_metadata, &s, &in, &e);
	check_io(_metadata, &s, &in, &e.msg, 0x71, 2, 0xa05a);
	vp_set_reg(s.vp, HV_X64_REGISTER_RAX, 0xbeef);
	skip(&s, in.off, in.len);

	/* mov [0x0010], ax: a 2-byte write of 0xbeef + 0x0101 */
	run_and_check(_metadata, &s, &wr, &e);
	check_mem(_metadata, &s, &wr, &e.msg, 0xa0010, 0xa0010);
	EXPECT_EQ(0xbff0, vp_get_reg(s.vp, HV_X64_REGISTER_RAX))
		TH_LOG("the IN value, plus 0x0101, is what the guest writes");
	skip(&s, wr.off, wr.len);

	/* mov bx, [0x0020]: the host returns 0x1234 */
	run_and_check(_metadata, &s, &rd, &e);
	check_mem(_metadata, &s, &rd, &e.msg, 0xa0020, 0xa0020);
	vp_set_reg(s.vp, HV_X64_REGISTER_RBX, 0x1234);
	skip(&s, rd.off, rd.len);

	run_and_check(_metadata, &s, &hlt, &e);
	EXPECT_EQ(0x34, ram[RM_RESULT]) TH_LOG("the MMIO read value reached the guest");
	EXPECT_EQ(0x12, ram[RM_RESULT + 1]);
}

/*
 * Long mode: the code is at GVA = GPA 0x1800000 (identity-mapped RAM);
 * GVA 0x50000000 is mapped by the guest page tables to GPA 0x60000000,
 * which has no memory, so GVA and GPA differ in the memory messages.
 */
#define LM_CODE		MSHV_X86_SCRATCH_GPA
#define LM_RESULT	(MSHV_X86_SCRATCH_GPA + 0x800)
#define LM_MMIO_GVA	0x50000000ULL
#define LM_MMIO_GPA	0x60000000ULL

static const __u8 lm_code[] = {
	0xb8, 0x44, 0x33, 0x22, 0x11,		/* 00: mov eax, 0x11223344 */
	0x66, 0xba, 0xf8, 0x03,			/* 05: mov dx, 0x3f8 */
	0xef,					/* 09: out dx, eax */
	0xe5, 0x71,				/* 0a: in eax, 0x71 */
	0x05, 0x01, 0x01, 0x01, 0x01,		/* 0c: add eax, 0x01010101 */
	0x48, 0xc7, 0xc3, 0x00, 0x00, 0x00, 0x50,	/* 11: mov rbx, 0x50000000 */
	0x89, 0x43, 0x10,			/* 18: mov [rbx + 0x10], eax */
	0x48, 0x8b, 0x4b, 0x20,			/* 1b: mov rcx, [rbx + 0x20] */
	0x48, 0xc7, 0xc2, 0x00, 0x08, 0x80, 0x01,	/* 1f: mov rdx, 0x1800800 */
	0x48, 0x89, 0x0a,			/* 26: mov [rdx], rcx */
	0xf4,					/* 29: hlt */
};

TEST_F(seq, long_mode)
{
	/* 0xcafef00d + 0x01010101 = 0xcbfff10e: CF 0, PF 0 (0x0e), AF 0, SF 1 */
	const __u64 after_add = RFLAGS_FIXED | RFLAGS_SF;
	const struct want out = { MSG_IO_PORT, IO_PAYLOAD_SIZE, 0x09, 1, ACCESS_WRITE,
				  RFLAGS_FIXED };
	const struct want in = { MSG_IO_PORT, IO_PAYLOAD_SIZE, 0x0a, 2, ACCESS_READ,
				 RFLAGS_FIXED };
	const struct want wr = { MSG_UNMAPPED_GPA, MEM_PAYLOAD_SIZE, 0x18, 3, ACCESS_WRITE,
				 after_add };
	const struct want rd = { MSG_UNMAPPED_GPA, MEM_PAYLOAD_SIZE, 0x1b, 4, ACCESS_READ,
				 after_add };
	const struct want hlt = { MSG_HALT, HALT_PAYLOAD_SIZE, 0x29, 0, -1, after_add };
	struct seq s = {
		.code = lm_code,
		.code_len = sizeof(lm_code),
		.code_linear = LM_CODE,
		.ip0 = LM_CODE,
		.exec_state = EXEC_PE | EXEC_LMA,	/* CPL 0, CR0.AM 0 */
		.cs_sel = MSHV_X86_SEL_CODE64,
		.cs_base = 0,
		.cs_limit = 0xffffffff,
		.cs_attr = 0xa09b,	/* as set by mshv_vp_setup_long_mode() */
	};
	struct mshv_exit e;
	__u64 result;
	__u8 *code;

	s.vm = vm_create_with_one_vp(&s.vp, NULL);
	self->vm = s.vm;
	ASSERT_EQ(0, mshv_vm_map_gva(s.vm, LM_MMIO_GVA, LM_MMIO_GPA, 0x1000, MSHV_PTE_RW));
	code = mshv_gpa_to_hva(s.vm, LM_CODE);
	ASSERT_NE(NULL, code);
	memcpy(code, lm_code, sizeof(lm_code));
	memset(code + (LM_RESULT - LM_CODE), 0xff, 8);
	ASSERT_EQ(0, mshv_vp_setup_long_mode(s.vp, LM_CODE, 0));
	s.sender = partition_id();

	/* out dx, eax: RAX = 0x11223344 (zero-extended by the 32-bit mov) */
	run_and_check(_metadata, &s, &out, &e);
	check_io(_metadata, &s, &out, &e.msg, 0x3f8, 4, 0x11223344);
	skip(&s, out.off, out.len);

	/* in eax, 0x71: the host returns 0xcafef00d */
	run_and_check(_metadata, &s, &in, &e);
	check_io(_metadata, &s, &in, &e.msg, 0x71, 4, 0x11223344);
	vp_set_reg(s.vp, HV_X64_REGISTER_RAX, 0xcafef00d);
	skip(&s, in.off, in.len);

	/* mov [rbx + 0x10], eax: a 4-byte write of 0xcafef00d + 0x01010101 */
	run_and_check(_metadata, &s, &wr, &e);
	check_mem(_metadata, &s, &wr, &e.msg, LM_MMIO_GVA + 0x10, LM_MMIO_GPA + 0x10);
	EXPECT_EQ(0xcbfff10e, vp_get_reg(s.vp, HV_X64_REGISTER_RAX))
		TH_LOG("the IN value, plus 0x01010101, is what the guest writes");
	skip(&s, wr.off, wr.len);

	/* mov rcx, [rbx + 0x20]: an 8-byte read, the host returns a value */
	run_and_check(_metadata, &s, &rd, &e);
	check_mem(_metadata, &s, &rd, &e.msg, LM_MMIO_GVA + 0x20, LM_MMIO_GPA + 0x20);
	vp_set_reg(s.vp, HV_X64_REGISTER_RCX, 0x1122334455667788ULL);
	skip(&s, rd.off, rd.len);

	run_and_check(_metadata, &s, &hlt, &e);
	memcpy(&result, code + (LM_RESULT - LM_CODE), 8);
	EXPECT_EQ(0x1122334455667788ULL, result)
		TH_LOG("the MMIO read value reached the guest");
}

TEST_HARNESS_MAIN
