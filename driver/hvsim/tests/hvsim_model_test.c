// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim behaviour seen through /dev/mshv: hypervisor status codes, guest
 * execution paths the hypervisor handles itself (CPUID, unknown MSRs,
 * VMCALL, blocking HLT woken by an interrupt), access/dirty tracking, GVA
 * translation and debugfs fault injection.  Runs against mshv_root +
 * mshv_hvsim (any scheduler model) in the test VM.  TAP 13 output.
 *
 * Guests are hand-assembled 16-bit real-mode code at GPA 0x1000.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mshv/mshv.h>

#define MEM_SIZE	0x80000
#define CODE_GPA	0x1000
#define DEBUGFS		"/sys/kernel/debug/mshv_hvsim"

#define HVCALL_GET_PARTITION_PROPERTY_CODE	0x0044
#define PROP_UNKNOWN				0x00012345
#define REG_UNKNOWN				0x00ff0001
#define INTERRUPT_VECTOR			0x40

static int failures;
static int test_no;

struct guest {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	__u8 *mem;
};

static int guest_create_cfg(struct guest *g, const struct mshv_vm_config *cfg,
			    const __u8 *code, size_t len)
{
	void *hva;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = mshv_vm_create(cfg, &g->vm);
	if (ret)
		return ret;
	ret = mshv_vm_add_memory(g->vm, 0, MEM_SIZE,
				 (1 << MSHV_SET_MEM_BIT_WRITABLE) |
				 (1 << MSHV_SET_MEM_BIT_EXECUTABLE), 0, &hva);
	if (ret)
		return ret;
	g->mem = hva;
	memcpy(g->mem + CODE_GPA, code, len);
	ret = mshv_vp_create(g->vm, 0, &g->vp);
	if (ret)
		return ret;
	return mshv_vp_setup_real_mode(g->vp, 0, CODE_GPA, 0x8000);
}

static int guest_create(struct guest *g, const __u8 *code, size_t len)
{
	struct mshv_vm_config cfg = { .pt_flags = MSHV_DEFAULT_PT_FLAGS };

	return guest_create_cfg(g, &cfg, code, len);
}

static void guest_free(struct guest *g)
{
	if (g->vm)
		mshv_vm_free(g->vm);
}

static int run_expect(struct guest *g, enum mshv_exit_reason reason, struct mshv_exit *e)
{
	char buf[256];
	int ret;

	/* -EINTR: pending task work (e.g. rseq); a VMM simply runs again */
	do
		ret = mshv_vp_run(g->vp, e);
	while (ret == -EINTR);
	if (ret) {
		printf("# run: %d\n", ret);
		return -1;
	}
	if (e->reason != reason) {
		printf("# exit %s, expected %s\n", mshv_exit_describe(e, buf, sizeof(buf)),
		       mshv_exit_reason_str(reason));
		return -1;
	}
	return 0;
}

/* Passthrough call on the partition fd; returns the HV status. */
static int hvcall(struct guest *g, __u16 code, __u16 reps, void *in, __u16 in_sz,
		  void *out, __u16 out_sz)
{
	__u16 status = 0xffff;

	mshv_hvcall(mshv_vm_fd(g->vm), code, reps, in, in_sz, out, out_sz, &status);
	return status;
}

static const __u8 halt_code[] = { 0xfa, 0xf4 };	/* cli; hlt */

static int test_status_codes(void)
{
	struct hv_input_get_partition_property gp = { .property_code = PROP_UNKNOWN };
	struct hv_input_set_partition_property sp = {
		.property_code = HV_PARTITION_PROPERTY_SYNTHETIC_PROC_FEATURES,
	};
	struct {
		struct hv_input_get_vp_registers h;
		__u32 names[1];
	} gr = { .h.vp_index = 0, .names = { REG_UNKNOWN } };
	struct {
		struct hv_input_set_vp_registers h;
		struct hv_register_assoc a[1];
	} sr = { .a = { { .name = HV_X64_REGISTER_RAX, .reserved1 = 1 } } };
	struct hv_input_install_intercept ii = { .intercept_type = HV_INTERCEPT_TYPE_EXCEPTION };
	__u64 out[2] = { 0 };
	union hv_register_value vals[1];
	struct guest g;
	int ret = -1, st;

	if (guest_create(&g, halt_code, sizeof(halt_code)))
		goto out;
	st = hvcall(&g, HVCALL_GET_PARTITION_PROPERTY, 0, &gp, sizeof(gp), out, 8);
	if (st != HV_STATUS_UNKNOWN_PROPERTY) {
		printf("# unknown property: status 0x%x\n", st);
		goto out;
	}
	st = hvcall(&g, HVCALL_SET_PARTITION_PROPERTY, 0, &sp, sizeof(sp), NULL, 0);
	if (st != HV_STATUS_INVALID_PARTITION_STATE) {
		printf("# early property after initialize: status 0x%x\n", st);
		goto out;
	}
	sp.property_code = HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION;
	sp.property_value = 7;
	st = hvcall(&g, HVCALL_SET_PARTITION_PROPERTY, 0, &sp, sizeof(sp), NULL, 0);
	if (st != HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE) {
		printf("# property value out of range: status 0x%x\n", st);
		goto out;
	}
	st = hvcall(&g, HVCALL_GET_VP_REGISTERS, 1, &gr, sizeof(gr), vals, sizeof(vals));
	if (st != HV_STATUS_INVALID_PARAMETER) {
		printf("# unknown register name: status 0x%x\n", st);
		goto out;
	}
	st = hvcall(&g, HVCALL_SET_VP_REGISTERS, 1, &sr, sizeof(sr), NULL, 0);
	if (st != HV_STATUS_INVALID_HYPERCALL_INPUT) {
		printf("# reserved field in register assoc: status 0x%x\n", st);
		goto out;
	}
	ii.access_type = 0;
	st = hvcall(&g, HVCALL_INSTALL_INTERCEPT, 0, &ii, sizeof(ii), NULL, 0);
	if (st != HV_STATUS_INVALID_PARAMETER) {
		printf("# intercept without access type: status 0x%x\n", st);
		goto out;
	}
	ii.access_type = 4;
	ii.parameter = 40;
	st = hvcall(&g, HVCALL_INSTALL_INTERCEPT, 0, &ii, sizeof(ii), NULL, 0);
	if (st != HV_STATUS_INVALID_PARAMETER) {
		printf("# exception vector 40: status 0x%x\n", st);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

struct assert_args {
	struct guest *g;
	useconds_t delay;
};

struct hv_assert_in {
	__u64 partition_id;
	__u64 control;
	__u64 dest_addr;
	__u32 vector;
	__u8 target_vtl;
	__u8 rsvd_z0;
	__u16 rsvd_z1;
};

static void *assert_thread(void *p)
{
	struct assert_args *a = p;
	struct hv_assert_in in = { .vector = INTERRUPT_VECTOR };

	usleep(a->delay);
	hvcall(a->g, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in, sizeof(in), NULL, 0);
	return NULL;
}

/*
 * sti; hlt blocks inside the hypervisor (no intercept).  An asserted
 * interrupt wakes the VP, the IVT handler reports 0x42 on port 0x10 and
 * returns, the main path reports 1 on port 0x11 and halts with IF clear.
 */
static int test_interrupt_wakes_halt(void)
{
	static const __u8 code[] = {
		0xfb,			/* sti */
		0xf4,			/* hlt */
		0xb0, 0x01,		/* mov al, 1 */
		0xe6, 0x11,		/* out 0x11, al */
		0xfa, 0xf4,		/* cli; hlt */
	};
	static const __u8 handler[] = {
		0xb0, 0x42,		/* mov al, 0x42 */
		0xe6, 0x10,		/* out 0x10, al */
		0xcf,			/* iret */
	};
	struct hv_assert_in bad = { .vector = 3 };
	struct assert_args args;
	struct mshv_exit e;
	struct guest g;
	pthread_t th;
	int ret = -1;

	if (guest_create(&g, code, sizeof(code)))
		goto out;
	memcpy(g.mem + 0x1100, handler, sizeof(handler));
	/* IVT entry: offset 0x1100, segment 0 */
	g.mem[INTERRUPT_VECTOR * 4] = 0x00;
	g.mem[INTERRUPT_VECTOR * 4 + 1] = 0x11;

	if (hvcall(&g, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &bad, sizeof(bad), NULL, 0) !=
	    HV_STATUS_INVALID_PARAMETER) {
		printf("# fixed interrupt with vector 3 accepted\n");
		goto out;
	}
	args.g = &g;
	args.delay = 300000;
	if (pthread_create(&th, NULL, assert_thread, &args))
		goto out;
	ret = run_expect(&g, MSHV_EXIT_IO, &e);
	pthread_join(th, NULL);
	if (ret)
		goto out;
	ret = -1;
	if (e.io.port != 0x10 || (e.io.rax & 0xff) != 0x42) {
		printf("# handler: port 0x%x al 0x%llx\n", e.io.port,
		       (unsigned long long)e.io.rax);
		goto out;
	}
	if (mshv_vp_skip_insn(g.vp, &e) || run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if (e.io.port != 0x11 || (e.io.rax & 0xff) != 1) {
		printf("# after iret: port 0x%x al 0x%llx\n", e.io.port,
		       (unsigned long long)e.io.rax);
		goto out;
	}
	if (mshv_vp_skip_insn(g.vp, &e) || run_expect(&g, MSHV_EXIT_HALT, &e))
		goto out;
	ret = e.rip == CODE_GPA + 7 ? 0 : -1;
	if (ret)
		printf("# halt rip 0x%llx\n", (unsigned long long)e.rip);
out:
	guest_free(&g);
	return ret;
}

static long read_counter(const char *name)
{
	FILE *f = fopen(DEBUGFS "/counters", "r");
	char key[64];
	long val, ret = -1;

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, name))
			ret = val;
	fclose(f);
	return ret;
}

/*
 * The xAPIC page belongs to the hypervisor: with DS based at 0xfee00000
 * the guest reads the APIC version and EOIs a level-triggered interrupt,
 * which reaches the parent as an APIC EOI message.
 */
static int test_lapic_eoi(void)
{
	static const __u8 code[] = {
		0xfb,			/* sti */
		0xf4,			/* hlt */
		0xa0, 0x30, 0x00,	/* mov al, [0x30] (APIC version) */
		0xe6, 0x11,		/* out 0x11, al */
		0xfa, 0xf4,		/* cli; hlt */
	};
	static const __u8 handler[] = {
		0xb0, 0x42,				/* mov al, 0x42 */
		0xe6, 0x10,				/* out 0x10, al */
		0x66, 0xc7, 0x06, 0xb0, 0x00,		/* mov dword [0xb0], 0 (EOI) */
		0x00, 0x00, 0x00, 0x00,
		0xcf,					/* iret */
	};
	static const __u32 ds_name = HV_X64_REGISTER_DS;
	union hv_register_value ds = {
		.segment = { .base = 0xfee00000, .limit = 0xffff, .attributes = 0x93 },
	};
	struct hv_assert_in in = {
		.vector = INTERRUPT_VECTOR, .control = 1ULL << 32,	/* level */
	};
	long eois = read_counter("apic_eoi_messages");
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (eois < 0)
		return 4;
	if (guest_create(&g, code, sizeof(code)) ||
	    mshv_vp_set_regs(g.vp, &ds_name, &ds, 1))
		goto out;
	memcpy(g.mem + 0x1100, handler, sizeof(handler));
	g.mem[INTERRUPT_VECTOR * 4] = 0x00;
	g.mem[INTERRUPT_VECTOR * 4 + 1] = 0x11;
	if (hvcall(&g, HVCALL_ASSERT_VIRTUAL_INTERRUPT, 0, &in, sizeof(in), NULL, 0))
		goto out;
	if (run_expect(&g, MSHV_EXIT_IO, &e) || e.io.port != 0x10 ||
	    mshv_vp_skip_insn(g.vp, &e) || run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if (e.io.port != 0x11 || (e.io.rax & 0xff) != 0x14) {
		printf("# APIC version: port 0x%x al 0x%llx\n", e.io.port,
		       (unsigned long long)e.io.rax);
		goto out;
	}
	if (read_counter("apic_eoi_messages") != eois + 1) {
		printf("# APIC EOI messages %ld -> %ld\n", eois,
		       read_counter("apic_eoi_messages"));
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

/* CPUID leaf 1's ECX out to port 0x10, then cli; hlt. */
static const __u8 cpuid1_ecx_code[] = {
	0x66, 0xb8, 0x01, 0x00, 0x00, 0x00,	/* mov eax, 1 */
	0x0f, 0xa2,				/* cpuid */
	0x66, 0x89, 0xc8,			/* mov eax, ecx */
	0x66, 0xe7, 0x10,			/* out 0x10, eax */
	0xfa, 0xf4,
};

/* cpuid(1) handled by the hypervisor, then intercepted once installed. */
static int test_cpuid(void)
{
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (guest_create(&g, cpuid1_ecx_code, sizeof(cpuid1_ecx_code)) ||
	    run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if (!(e.io.rax & (1u << 31)) || e.io.size != 4) {
		printf("# cpuid(1).ecx 0x%llx size %u: no hypervisor bit\n",
		       (unsigned long long)e.io.rax, e.io.size);
		goto out;
	}
	if (mshv_vm_install_intercept(g.vm, 4, HV_INTERCEPT_TYPE_X64_CPUID, 1) ||
	    mshv_vp_set_reg(g.vp, HV_X64_REGISTER_RIP, CODE_GPA) ||
	    run_expect(&g, MSHV_EXIT_CPUID, &e))
		goto out;
	if (e.cpuid.rax != 1 || !(e.cpuid.default_rcx & (1u << 31)) || e.insn_len != 2 ||
	    e.rip != CODE_GPA + 6) {
		printf("# cpuid intercept rax %llx default rcx %llx len %u rip %llx\n",
		       (unsigned long long)e.cpuid.rax,
		       (unsigned long long)e.cpuid.default_rcx, e.insn_len,
		       (unsigned long long)e.rip);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

/* A feature disabled at creation (v2 banks) is gone from guest CPUID. */
static int test_disabled_feature(void)
{
	struct mshv_vm_config cfg = {
		.pt_flags = MSHV_DEFAULT_PT_FLAGS, .v2 = true,
		.disabled_fbanks = { 1ULL << 0 },	/* SSE3 */
	};
	__u64 features = ~0ULL;
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (guest_create_cfg(&g, &cfg, cpuid1_ecx_code, sizeof(cpuid1_ecx_code)) ||
	    mshv_vm_get_property(g.vm, 0x0006000A, &features) ||
	    run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if ((features & 1) || (e.io.rax & 1)) {
		printf("# SSE3 still there: features0 %llx cpuid(1).ecx %llx\n",
		       (unsigned long long)features, (unsigned long long)e.io.rax);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

/*
 * An unknown MSR raises #GP in the guest (through its IVT: an injected
 * exception is not subject to exception intercepts unless #GP is
 * intercepted), or reads as zero once a result is registered for it.
 */
static int test_unknown_msr(void)
{
	static const __u8 code[] = {
		0x66, 0xb9, 0x78, 0x56, 0x34, 0x12,	/* mov ecx, 0x12345678 */
		0x66, 0xb8, 0xff, 0xff, 0xff, 0xff,	/* mov eax, -1 */
		0x0f, 0x32,				/* rdmsr */
		0x66, 0xe7, 0x10,			/* out 0x10, eax */
		0xfa, 0xf4,
	};
	static const __u8 gp_handler[] = {
		0xb0, 0x0d,		/* mov al, 13 */
		0xe6, 0x13,		/* out 0x13, al */
		0xfa, 0xf4,
	};
	struct {
		__u64 partition_id;
		__u32 vp_index;
		__u32 intercept_type;
		__u32 msr_index, access_type, action;
		__u8 rest[32];
	} res = {
		.intercept_type = HV_INTERCEPT_TYPE_X64_MSR,
		.msr_index = 0x12345678, .access_type = 1, .action = 1,
	};
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (guest_create(&g, code, sizeof(code)))
		goto out;
	memcpy(g.mem + 0x1200, gp_handler, sizeof(gp_handler));
	g.mem[13 * 4] = 0x00;
	g.mem[13 * 4 + 1] = 0x12;
	if (run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if (e.io.port != 0x13 || (e.io.rax & 0xff) != 13) {
		printf("# #GP handler: port 0x%x rax 0x%llx\n", e.io.port,
		       (unsigned long long)e.io.rax);
		goto out;
	}
	/* HvRegisterInterceptResult(MSR): reads of this MSR return 0 */
	if (hvcall(&g, HVCALL_REGISTER_INTERCEPT_RESULT, 0, &res, sizeof(res), NULL, 0) ||
	    mshv_vp_setup_real_mode(g.vp, 0, CODE_GPA, 0x8000) ||
	    run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if (e.io.port != 0x10 || (e.io.rax & 0xffffffff) != 0) {
		printf("# ignored MSR read: port 0x%x rax 0x%llx\n", e.io.port,
		       (unsigned long long)e.io.rax);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

/* VMCALL answers INVALID_HYPERCALL_CODE, or exits once intercepted. */
static int test_vmcall(void)
{
	static const __u8 code[] = {
		0x66, 0xb9, 0x99, 0x00, 0x00, 0x00,	/* mov ecx, 0x99 */
		0x0f, 0x01, 0xc1,			/* vmcall */
		0x66, 0xe7, 0x10,			/* out 0x10, eax */
		0xfa, 0xf4,
	};
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (guest_create(&g, code, sizeof(code)) || run_expect(&g, MSHV_EXIT_IO, &e))
		goto out;
	if (e.io.rax != HV_STATUS_INVALID_HYPERCALL_CODE) {
		printf("# vmcall rax 0x%llx\n", (unsigned long long)e.io.rax);
		goto out;
	}
	if (mshv_vm_install_intercept(g.vm, 4, HV_INTERCEPT_TYPE_HYPERCALL, 0) ||
	    mshv_vp_set_reg(g.vp, HV_X64_REGISTER_RIP, CODE_GPA) ||
	    run_expect(&g, MSHV_EXIT_HYPERCALL, &e))
		goto out;
	if (e.hypercall.rcx != 0x99 || e.insn_len != 3) {
		printf("# hypercall rcx 0x%llx len %u\n",
		       (unsigned long long)e.hypercall.rcx, e.insn_len);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

struct access_states_in {
	__u64 partition_id;
	__u64 flags;
	__u64 gfn;
};

/* A guest store marks its page accessed and dirty; clearing reports once. */
static int test_access_dirty(void)
{
	static const __u8 code[] = {
		0xc6, 0x06, 0x00, 0x50, 0xaa,	/* mov byte [0x5000], 0xaa */
		0xa0, 0x00, 0x60,		/* mov al, [0x6000] */
		0xfa, 0xf4,
	};
	struct access_states_in in = { .gfn = 5 };
	__u8 st[2] = { 0xff, 0xff };
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (guest_create(&g, code, sizeof(code)))
		goto out;
	/* start clean: clear accessed + dirty on GFN 5 and 6 */
	in.flags = 0x5;
	if (hvcall(&g, HVCALL_GET_GPA_PAGES_ACCESS_STATES, 2, &in, sizeof(in), st, 2))
		goto out;
	if (run_expect(&g, MSHV_EXIT_HALT, &e))
		goto out;
	in.flags = 0x5;
	if (hvcall(&g, HVCALL_GET_GPA_PAGES_ACCESS_STATES, 2, &in, sizeof(in), st, 2))
		goto out;
	if (st[0] != 3 || st[1] != 1 || g.mem[0x5000] != 0xaa) {
		printf("# states after run %x %x\n", st[0], st[1]);
		goto out;
	}
	in.flags = 0;
	if (hvcall(&g, HVCALL_GET_GPA_PAGES_ACCESS_STATES, 2, &in, sizeof(in), st, 2))
		goto out;
	if (st[0] || st[1]) {
		printf("# states after clear %x %x\n", st[0], st[1]);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

struct translate_in {
	__u64 partition_id;
	__u32 vp_index;
	__u32 padding;
	__u64 control_flags;
	__u64 gva_page;
};

/* mshv_root makes new RAM regions movable (its default where HMM exists). */
static int regions_are_movable(void)
{
	FILE *f = fopen("/sys/module/mshv_root/parameters/movable_regions", "r");
	int c = f ? fgetc(f) : 'N';

	if (f)
		fclose(f);
	return c == 'Y';
}

/*
 * Paging off: GVA == GPA.  Movable RAM is NO_ACCESS in the hypervisor
 * until the guest touches it: page 5 reports GPA_NO_READ_ACCESS until the
 * guest has run (its code shares the 2 MiB chunk), then translates.
 * Beyond the mapped memory: GPA_UNMAPPED.
 */
static int test_translate(void)
{
	struct translate_in in = { .control_flags = 1, .gva_page = 5 };
	__u64 out[2] = { ~0ULL, ~0ULL };
	struct mshv_exit e;
	struct guest g;
	int ret = -1;

	if (guest_create(&g, halt_code, sizeof(halt_code)))
		goto out;
	if (regions_are_movable()) {
		if (mshv_hvcall(mshv_vp_fd(g.vp), HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in,
				sizeof(in), out, sizeof(out), NULL))
			goto out;
		if ((__u32)out[0] != 5) {
			printf("# translate 5 before the guest ran: result %llx\n",
			       (unsigned long long)out[0]);
			goto out;
		}
	}
	if (run_expect(&g, MSHV_EXIT_HALT, &e))
		goto out;
	if (mshv_hvcall(mshv_vp_fd(g.vp), HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in, sizeof(in),
			out, sizeof(out), NULL))
		goto out;
	if ((__u32)out[0] != 0 || out[1] != 5) {
		printf("# translate 5: result %llx gpa %llx\n", (unsigned long long)out[0],
		       (unsigned long long)out[1]);
		goto out;
	}
	in.gva_page = MEM_SIZE >> 12;
	if (mshv_hvcall(mshv_vp_fd(g.vp), HVCALL_TRANSLATE_VIRTUAL_ADDRESS, 0, &in, sizeof(in),
			out, sizeof(out), NULL))
		goto out;
	if ((__u32)out[0] != 4) {
		printf("# translate beyond memory: result %llx\n", (unsigned long long)out[0]);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

static int write_dbg(const char *name, const char *val)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), DEBUGFS "/inject/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* debugfs: fail the 2nd GET_PARTITION_PROPERTY with OPERATION_FAILED. */
static int test_fault_injection(void)
{
	struct hv_input_get_partition_property gp = {
		.property_code = HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
	};
	__u64 out = 0;
	struct guest g;
	int ret = -1, s1, s2, s3;

	if (access(DEBUGFS "/inject/fail_nth", W_OK))
		return 4;
	if (guest_create(&g, halt_code, sizeof(halt_code)))
		goto out;
	if (write_dbg("fail_code", "0x44") || write_dbg("fail_status", "0x71") ||
	    write_dbg("fail_every", "0") || write_dbg("fail_nth", "2"))
		goto out;
	s1 = hvcall(&g, HVCALL_GET_PARTITION_PROPERTY, 0, &gp, sizeof(gp), &out, 8);
	s2 = hvcall(&g, HVCALL_GET_PARTITION_PROPERTY, 0, &gp, sizeof(gp), &out, 8);
	s3 = hvcall(&g, HVCALL_GET_PARTITION_PROPERTY, 0, &gp, sizeof(gp), &out, 8);
	write_dbg("fail_nth", "0");
	if (s1 || s2 != 0x71 || s3) {
		printf("# statuses %x %x %x\n", s1, s2, s3);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

#define NR_VPS		4
#define NR_EXITS	150

struct vp_thread {
	struct guest *g;
	struct mshv_vp *vp;
	int done;
	int err;
};

static void *vp_loop(void *p)
{
	struct vp_thread *t = p;
	struct mshv_exit e;
	int i, ret;

	for (i = 0; i < NR_EXITS; i++) {
		do
			ret = mshv_vp_run(t->vp, &e);
		while (ret == -EINTR);
		if (ret || e.reason != MSHV_EXIT_IO || e.io.port != 0x10 ||
		    e.vp_index != mshv_vp_index(t->vp)) {
			t->err = ret ? ret : -EPROTO;
			break;
		}
		ret = mshv_vp_skip_insn(t->vp, &e);
		if (ret) {
			t->err = ret;
			break;
		}
		t->done++;
	}
	return NULL;
}

/*
 * NR_VPS VPs of one partition run in parallel threads, each exiting on
 * port I/O NR_EXITS times: intercept messages of different VPs meet in
 * the same SINT0 slot (queueing, msg_pending, EOM) and VP state stays
 * per VP.
 */
static int test_parallel_vps(void)
{
	static const __u8 code[] = {
		0xb0, 0x01,		/* mov al, 1 */
		0xe6, 0x10,		/* out 0x10, al */
		0xeb, 0xfa,		/* jmp $-4 */
	};
	struct vp_thread t[NR_VPS] = {};
	pthread_t th[NR_VPS];
	struct guest g;
	int i, ret = -1;

	if (guest_create(&g, code, sizeof(code)))
		goto out;
	t[0].vp = g.vp;
	for (i = 1; i < NR_VPS; i++)
		if (mshv_vp_create(g.vm, i, &t[i].vp) ||
		    mshv_vp_setup_real_mode(t[i].vp, 0, CODE_GPA, 0x8000 - i * 0x100))
			goto out;
	for (i = 0; i < NR_VPS; i++) {
		t[i].g = &g;
		if (pthread_create(&th[i], NULL, vp_loop, &t[i]))
			goto out;
	}
	ret = 0;
	for (i = 0; i < NR_VPS; i++) {
		pthread_join(th[i], NULL);
		if (t[i].done != NR_EXITS) {
			printf("# VP %d: %d exits, error %d\n", i, t[i].done, t[i].err);
			ret = -1;
		}
	}
out:
	guest_free(&g);
	return ret;
}

struct ipi_target {
	struct mshv_vp *vp;
	struct mshv_exit e;
	int ret;
};

static void *ipi_target_run(void *p)
{
	struct ipi_target *t = p;

	do
		t->ret = mshv_vp_run(t->vp, &t->e);
	while (t->ret == -EINTR);
	return NULL;
}

/* VP 0 sends a fixed IPI through its xAPIC ICR to VP 1, which is halted. */
static int test_ipi(void)
{
	static const __u8 code0[] = {
		0x66, 0xc7, 0x06, 0x10, 0x03, 0x00, 0x00, 0x00, 0x01,	/* ICR high: dest 1 */
		0x66, 0xc7, 0x06, 0x00, 0x03, 0x41, 0x00, 0x00, 0x00,	/* ICR low: fixed 0x41 */
		0xfa, 0xf4,
	};
	static const __u8 code1[] = { 0xfb, 0xf4, 0xfa, 0xf4 };	/* sti; hlt; cli; hlt */
	static const __u8 handler[] = {
		0xb0, 0x41, 0xe6, 0x12, 0xcf,	/* mov al, 0x41; out 0x12, al; iret */
	};
	static const __u32 ds_name = HV_X64_REGISTER_DS;
	union hv_register_value ds = {
		.segment = { .base = 0xfee00000, .limit = 0xffff, .attributes = 0x93 },
	};
	struct ipi_target t = {};
	struct mshv_exit e;
	struct guest g;
	pthread_t th;
	int ret = -1;

	if (guest_create(&g, code0, sizeof(code0)) ||
	    mshv_vp_set_regs(g.vp, &ds_name, &ds, 1) ||
	    mshv_vp_create(g.vm, 1, &t.vp) ||
	    mshv_vp_setup_real_mode(t.vp, 0, 0x1400, 0x7000))
		goto out;
	memcpy(g.mem + 0x1400, code1, sizeof(code1));
	memcpy(g.mem + 0x1300, handler, sizeof(handler));
	g.mem[0x41 * 4] = 0x00;
	g.mem[0x41 * 4 + 1] = 0x13;
	if (pthread_create(&th, NULL, ipi_target_run, &t))
		goto out;
	usleep(200000);		/* let VP 1 reach its HLT */
	ret = run_expect(&g, MSHV_EXIT_HALT, &e);
	pthread_join(th, NULL);
	if (ret)
		goto out;
	ret = -1;
	if (t.ret || t.e.reason != MSHV_EXIT_IO || t.e.io.port != 0x12 || t.e.vp_index != 1) {
		printf("# VP 1: ret %d reason %s port 0x%x\n", t.ret,
		       mshv_exit_reason_str(t.e.reason), t.e.io.port);
		goto out;
	}
	ret = 0;
out:
	guest_free(&g);
	return ret;
}

static void report(const char *name, int ret)
{
	test_no++;
	if (ret == 4) {
		printf("ok %d - %s # SKIP\n", test_no, name);
		return;
	}
	if (ret)
		failures++;
	printf("%sok %d - %s\n", ret ? "not " : "", test_no, name);
	fflush(stdout);
}

int main(void)
{
	int fd = mshv_open_dev(O_RDWR);

	printf("TAP version 13\n");
	if (fd < 0) {
		printf("1..0 # SKIP /dev/mshv: %s\n", strerror(-fd));
		return 4;
	}
	close(fd);
	alarm(300);
	printf("1..12\n");
	report("hypervisor status codes", test_status_codes());
	report("interrupt wakes a halted VP", test_interrupt_wakes_halt());
	report("LAPIC page and level-triggered EOI", test_lapic_eoi());
	report("cpuid default and intercept", test_cpuid());
	report("disabled feature bank bit hidden from CPUID", test_disabled_feature());
	report("unknown MSR: #GP or ignored", test_unknown_msr());
	report("vmcall without and with intercept", test_vmcall());
	report("accessed/dirty tracking", test_access_dirty());
	report("translate GVA", test_translate());
	report("debugfs fault injection", test_fault_injection());
	report("parallel VPs", test_parallel_vps());
	report("IPI through the ICR", test_ipi());
	return failures ? 1 : 0;
}
