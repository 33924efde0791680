// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_diff's raw KVM runner: a VM with one vCPU made with plain /dev/kvm
 * ioctls, a batch run in it from the interpreter's initial register state,
 * and the lockstep comparison (-l: KVM single-stepping against single
 * interpreter steps) of a batch that KVM could not finish.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kvm_diff.h"

struct kvm kvm;
u64 kvm_rip;

/* struct kvm_regs order (rax rbx rcx rdx rsi rdi rsp rbp r8..) by GPR number */
static const u8 kvm_gpr_index[16] = { 0, 2, 3, 1, 6, 7, 4, 5,
				      8, 9, 10, 11, 12, 13, 14, 15 };

/* struct kvm_regs keeps the GPRs as consecutive __u64s from rax on. */
static __u64 *kvm_gpr(struct kvm_regs *kregs, int hvx86_index)
{
	return &kregs->rax + kvm_gpr_index[hvx86_index];
}

static void kvm_close_vm(void)
{
	if (kvm.run && kvm.run != MAP_FAILED)
		munmap(kvm.run, kvm.run_size);
	if (kvm.mem && kvm.mem != MAP_FAILED)
		munmap(kvm.mem, TEST_MEM_SIZE);
	if (kvm.vcpu > 0)
		close(kvm.vcpu);
	if (kvm.vm > 0)
		close(kvm.vm);
	kvm.run = NULL;
	kvm.mem = NULL;
	kvm.vcpu = -1;
	kvm.vm = -1;
}

/*
 * A fresh VM for every batch (about a millisecond): batches stay
 * independent of each other, including the guest-debug state lockstep
 * mode sets and any shadow paging state keyed on the page tables that
 * each batch rewrites from the host side.
 */
bool kvm_open_vm(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_cpuid2 *cpuid;
	int run_size;

	kvm_close_vm();
	kvm.vm = ioctl(kvm.sys, KVM_CREATE_VM, 0);
	if (kvm.vm < 0)
		return false;
	ioctl(kvm.vm, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	kvm.mem = mmap(NULL, TEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (kvm.mem == MAP_FAILED)
		return false;
	region.memory_size = TEST_MEM_SIZE;
	region.userspace_addr = (unsigned long)kvm.mem;
	if (ioctl(kvm.vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return false;
	kvm.vcpu = ioctl(kvm.vm, KVM_CREATE_VCPU, 0);
	if (kvm.vcpu < 0)
		return false;
	cpuid = calloc(1, sizeof(*cpuid) + 128 * sizeof(cpuid->entries[0]));
	cpuid->nent = 128;
	if (ioctl(kvm.sys, KVM_GET_SUPPORTED_CPUID, cpuid) == 0)
		ioctl(kvm.vcpu, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	run_size = ioctl(kvm.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0)
		return false;
	kvm.run_size = run_size;
	kvm.run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       kvm.vcpu, 0);
	return kvm.run != MAP_FAILED;
}

bool kvm_open(void)
{
	kvm.sys = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm.sys < 0)
		return false;
	if (ioctl(kvm.sys, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return false;
	return kvm_open_vm();
}

static void to_kvm_segment(const struct hvx86_segment *s, struct kvm_segment *k)
{
	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->selector;
	k->type = s->attributes & 0xf;
	k->s = !!(s->attributes & HVX86_SEG_S);
	k->dpl = (s->attributes >> 5) & 3;
	k->present = !!(s->attributes & HVX86_SEG_P);
	k->avl = !!(s->attributes & HVX86_SEG_AVL);
	k->l = !!(s->attributes & HVX86_SEG_L);
	k->db = !!(s->attributes & HVX86_SEG_DB);
	k->g = !!(s->attributes & HVX86_SEG_G);
	k->unusable = !k->present;
}

/* Run the image in KVM from the interpreter's initial register state. */
int kvm_run_batch(const struct hvx86_regs *regs, char *why, size_t n)
{
	struct kvm_sregs sregs;
	struct kvm_regs kregs;
	unsigned int i;

	if (ioctl(kvm.vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	to_kvm_segment(&regs->seg[HVX86_SEG_CS], &sregs.cs);
	to_kvm_segment(&regs->seg[HVX86_SEG_DS], &sregs.ds);
	to_kvm_segment(&regs->seg[HVX86_SEG_ES], &sregs.es);
	to_kvm_segment(&regs->seg[HVX86_SEG_FS], &sregs.fs);
	to_kvm_segment(&regs->seg[HVX86_SEG_GS], &sregs.gs);
	to_kvm_segment(&regs->seg[HVX86_SEG_SS], &sregs.ss);
	to_kvm_segment(&regs->tr, &sregs.tr);
	to_kvm_segment(&regs->ldtr, &sregs.ldt);
	sregs.tr.type = 11;
	sregs.tr.present = 1;
	sregs.tr.unusable = 0;
	sregs.ldt.type = 2;
	sregs.ldt.present = 1;
	sregs.ldt.unusable = 0;
	sregs.gdt.base = regs->gdtr.base;
	sregs.gdt.limit = regs->gdtr.limit;
	sregs.idt.base = regs->idtr.base;
	sregs.idt.limit = regs->idtr.limit;
	sregs.cr0 = regs->cr0;
	sregs.cr3 = regs->cr3;
	sregs.cr4 = regs->cr4;
	sregs.efer = regs->efer;
	if (ioctl(kvm.vcpu, KVM_SET_SREGS, &sregs) < 0) {
		snprintf(why, n, "KVM_SET_SREGS: %s", strerror(errno));
		return -1;
	}
	memset(&kregs, 0, sizeof(kregs));
	kregs.rip = regs->rip;
	kregs.rflags = regs->rflags;
	for (i = 0; i < 16; i++)
		*kvm_gpr(&kregs, i) = regs->gpr[i];
	if (ioctl(kvm.vcpu, KVM_SET_REGS, &kregs) < 0) {
		snprintf(why, n, "KVM_SET_REGS: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < 4; i++) {
		if (ioctl(kvm.vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, n, "KVM_RUN: %s", strerror(errno));
			return -1;
		}
		if (kvm.run->exit_reason == KVM_EXIT_HLT)
			return 0;
		ioctl(kvm.vcpu, KVM_GET_REGS, &kregs);
		kvm_rip = kregs.rip;
		snprintf(why, n, "KVM exit %u at rip 0x%llx (suberror %u, mmio 0x%llx)",
			 kvm.run->exit_reason, (unsigned long long)kregs.rip,
			 kvm.run->exit_reason == KVM_EXIT_INTERNAL_ERROR ?
			 kvm.run->internal.suberror : 0,
			 kvm.run->exit_reason == KVM_EXIT_MMIO ?
			 (unsigned long long)kvm.run->mmio.phys_addr : 0ULL);
		return -1;
	}
	snprintf(why, n, "KVM did not halt");
	return -1;
}

const char *const reg_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/*
 * Step KVM (KVM_GUESTDBG_SINGLESTEP) and the interpreter side by side from
 * @initial over the image in env.mem; report the first instruction after
 * which RIP or a GPR differs.
 */
void compare_in_lockstep(const struct hvx86_regs *initial,
			 unsigned long max_steps)
{
	struct kvm_guest_debug dbg = { 0 };
	struct kvm_regs kregs;
	unsigned long step;
	char why[160];
	u64 prev_rip = initial->rip;
	unsigned int r;

	if (!kvm_open_vm())
		return;
	memcpy(kvm.mem, env.mem, TEST_MEM_SIZE);
	dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (ioctl(kvm.vcpu, KVM_SET_GUEST_DEBUG, &dbg) < 0) {
		printf("# lockstep: KVM_SET_GUEST_DEBUG: %s\n", strerror(errno));
		return;
	}
	env.vcpu.regs = *initial;
	if (kvm_run_batch(initial, why, sizeof(why)) < 0 &&
	    kvm.run->exit_reason != KVM_EXIT_DEBUG) {
		printf("# lockstep: first step: %s\n", why);
		return;
	}
	for (step = 0; step < max_steps; step++) {
		bool differs = false;

		ioctl(kvm.vcpu, KVM_GET_REGS, &kregs);
		/*
		 * Catch the interpreter up.  A rep string instruction is one
		 * element per step here, several (or all) per KVM step.
		 */
		if (kregs.rip == prev_rip) {
			for (r = 0; r < 100000 && env.vcpu.regs.rip == prev_rip &&
			     kregs.rcx != env.vcpu.regs.gpr[HVX86_RCX]; r++)
				hvx86_run(&env.vcpu, 1);
		} else if (env.vcpu.regs.rip == prev_rip) {
			r = 0;
			do {
				hvx86_run(&env.vcpu, 1);
			} while (env.vcpu.regs.rip == prev_rip && ++r < 100000);
		}
		if (kregs.rip != env.vcpu.regs.rip && kregs.rip != prev_rip)
			differs = true;
		for (r = 0; r < 16; r++)
			if (*kvm_gpr(&kregs, r) != env.vcpu.regs.gpr[r])
				differs = true;
		if (differs) {
			u8 bytes[16];

			printf("# lockstep: divergence after step %lu, insn at 0x%llx:",
			       step, (unsigned long long)prev_rip);
			memcpy(bytes, env.mem + prev_rip, 16);
			for (r = 0; r < 12; r++)
				printf(" %02x", bytes[r]);
			printf("\n#   rip interpreter 0x%llx kvm 0x%llx\n",
			       (unsigned long long)env.vcpu.regs.rip,
			       (unsigned long long)kregs.rip);
			printf("#   rflags interpreter 0x%llx kvm 0x%llx\n",
			       (unsigned long long)env.vcpu.regs.rflags,
			       (unsigned long long)kregs.rflags);
			for (r = 0; r < 16; r++)
				if (*kvm_gpr(&kregs, r) != env.vcpu.regs.gpr[r])
					printf("#   %s interpreter 0x%llx kvm 0x%llx\n",
					       reg_names[r],
					       (unsigned long long)env.vcpu.regs.gpr[r],
					       (unsigned long long)*kvm_gpr(&kregs, r));
			return;
		}
		prev_rip = kregs.rip;
		if (env.vcpu.exit.reason == HVX86_EXIT_HLT) {
			printf("# lockstep: interpreter halted at step %lu\n", step);
			return;
		}
		if (ioctl(kvm.vcpu, KVM_RUN, 0) < 0)
			return;
		if (kvm.run->exit_reason == KVM_EXIT_HLT) {
			printf("# lockstep: both reached hlt after %lu steps\n", step);
			return;
		}
		if (kvm.run->exit_reason != KVM_EXIT_DEBUG) {
			ioctl(kvm.vcpu, KVM_GET_REGS, &kregs);
			printf("# lockstep: kvm exit %u at step %lu rip 0x%llx (prev 0x%llx):",
			       kvm.run->exit_reason, step,
			       (unsigned long long)kregs.rip,
			       (unsigned long long)prev_rip);
			for (r = 0; r < 12; r++)
				printf(" %02x", env.mem[prev_rip + r]);
			printf("\n");
			for (r = 0; r < 16; r++)
				printf("#   %s = 0x%llx\n", reg_names[r],
				       (unsigned long long)env.vcpu.regs.gpr[r]);
			return;
		}
	}
	printf("# lockstep: no divergence in %lu steps\n", max_steps);
}
