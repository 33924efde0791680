// SPDX-License-Identifier: GPL-2.0-only
/*
 * irqfd_test - MSHV_SET_MSI_ROUTING + MSHV_IRQFD delivering into a guest.
 *
 * The guest installs nothing itself: the host writes 64-bit interrupt gates
 * for two vectors into the guest's IDT.  The guest switches its LAPIC to
 * x2APIC mode (EOI by WRMSR), then halts with interrupts enabled.
 * Covered: a halted guest is woken by an eventfd write through an irqfd,
 * with the vector of its MSI route, and its handler runs (markers in guest
 * memory); an edge route does not signal the resample eventfd; a
 * level-triggered route with RESAMPLE signals the resample eventfd when the
 * guest's handler EOIs (hypervisor APIC-EOI message); a route change is
 * picked up by an existing irqfd; after deassign a write injects nothing.
 * Negative: an unrouted GSI injects nothing.
 * On hvsim with the root scheduler and root privileges the edge vector
 * takes the register-page fast path (no HvAssertVirtualInterrupt); the
 * level one always uses the hypercall.
 */
#include <pthread.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "mshv_test_harness.h"
#include "hvsim_util.h"
#include <mshv/guest.h>
#include <mshv/x86.h>

#define VEC_A		0x40
#define VEC_B		0x41
#define GSI_EDGE	5
#define GSI_LEVEL	0	/* GSI 0 is an ordinary GSI */
#define MSI_ADDR(apic)	(0xfee00000u | ((apic) << 12))
#define MSI_LEVEL	(1u << 15)
#define HVCALL_ASSERT_VIRTUAL_INTERRUPT_CODE	0x0094

/* Written by the guest's interrupt handlers (asm below); read via READ_ONCE. */
static __u64 irq_count __attribute__((used));
static __u64 irq_last_vector __attribute__((used));

static inline __u64 guest_read_once(const __u64 *p)
{
	__u64 v;

	__asm__ __volatile__("movq %1, %0" : "=r"(v) : "m"(*p));
	return v;
}

/*
 * 64-bit interrupt handlers: count, record the vector, x2APIC EOI, IRETQ.
 * Naked, so that the compiler adds no prologue around the IRETQ frame.
 */
#define IRQ_HANDLER(vec)						\
static void __attribute__((naked, used)) irq_handler_##vec(void)	\
{									\
	__asm__("push %rax\n"						\
		"push %rcx\n"						\
		"push %rdx\n"						\
		"incq irq_count(%rip)\n"				\
		"movq $" #vec ", irq_last_vector(%rip)\n"		\
		"movl $0x80b, %ecx\n"					\
		"xorl %eax, %eax\n"					\
		"xorl %edx, %edx\n"					\
		"wrmsr\n"						\
		"pop %rdx\n"						\
		"pop %rcx\n"						\
		"pop %rax\n"						\
		"iretq\n");						\
}

IRQ_HANDLER(0x40)
IRQ_HANDLER(0x41)

/* Halt (interrupts on) until the handler count passes @n, then report. */
static void guest_wait_irq(__u64 n)
{
	while (guest_read_once(&irq_count) <= n)
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	GUEST_SYNC2(guest_read_once(&irq_count), guest_read_once(&irq_last_vector));
}

static void guest_main(void)
{
	/* APIC_BASE: enable + x2APIC. */
	guest_wrmsr(0x1b, guest_rdmsr(0x1b) | (1ull << 11) | (1ull << 10));
	GUEST_SYNC(0);
	guest_wait_irq(0);
	guest_wait_irq(1);
	guest_wait_irq(2);
	guest_wait_irq(3);
	GUEST_DONE();
}

static void set_gate(struct mshv_vm *vm, unsigned int vec, void (*fn)(void))
{
	__u64 off = (__u64)(uintptr_t)fn;
	__u32 *g = mshv_gpa_to_hva(vm, MSHV_X86_IDT_GPA + vec * 16);

	TEST_ASSERT(g, "IDT not in guest memory");
	g[0] = (off & 0xffff) | (MSHV_X86_SEL_CODE64 << 16);
	g[1] = (off & 0xffff0000) | 0x8e00;	/* present, DPL 0, interrupt gate */
	g[2] = off >> 32;
	g[3] = 0;
}

static int set_routes(int vmfd, const struct mshv_user_irq_entry *e, __u32 nr)
{
	struct {
		struct mshv_user_irq_table t;
		struct mshv_user_irq_entry e[4];
	} tbl;

	memset(&tbl, 0, sizeof(tbl));
	tbl.t.nr = nr;
	memcpy(tbl.e, e, nr * sizeof(*e));
	return __mshv_ioctl(vmfd, MSHV_SET_MSI_ROUTING, &tbl);
}

struct kick {
	int fd;
	unsigned int delay_ms;
};

static void *kick_thread(void *arg)
{
	struct kick *k = arg;
	__u64 one = 1;

	usleep(k->delay_ms * 1000);
	if (write(k->fd, &one, sizeof(one)) != sizeof(one))
		perror("eventfd write");
	return NULL;
}

/* No floating point: guest-safe flags (-mgeneral-regs-only). */
static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Write @fd from another thread after @delay_ms; run until the next sync. */
static long run_with_kick(struct __test_metadata *_metadata, struct mshv_vp *vp,
			  int fd, unsigned int delay_ms, struct mshv_ucall_info *uc)
{
	struct kick k = { .fd = fd, .delay_ms = delay_ms };
	pthread_t t;
	long t0;

	ASSERT_EQ(0, pthread_create(&t, NULL, kick_thread, &k));
	t0 = now_ms();
	EXPECT_EQ(UCALL_SYNC, vp_run_ucall(vp, uc));
	t0 = now_ms() - t0;
	pthread_join(t, NULL);
	return t0;
}

static bool hvsim_param_is(const char *name, const char *want)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/mshv_hvsim/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return !strncmp(buf, want, strlen(want));
}

static bool fd_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

FIXTURE(irqfd) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	int vmfd;
	int efd, efd2, rfd;
};

FIXTURE_SETUP(irqfd)
{
	struct mshv_user_irq_entry e = { .gsi = 1, .address_lo = MSI_ADDR(0), .data = VEC_A };
	int ret;

	self->vm = vm_create_with_one_vp(&self->vp, guest_main);
	self->vmfd = mshv_vm_fd(self->vm);
	ret = set_routes(self->vmfd, &e, 1);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "MSHV_SET_MSI_ROUTING is not implemented (EOPNOTSUPP)");
	ASSERT_EQ(0, ret);
	set_gate(self->vm, VEC_A, irq_handler_0x40);
	set_gate(self->vm, VEC_B, irq_handler_0x41);
	self->efd = eventfd(0, EFD_CLOEXEC);
	self->efd2 = eventfd(0, EFD_CLOEXEC);
	self->rfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->efd);
	ASSERT_LE(0, self->efd2);
	ASSERT_LE(0, self->rfd);
}

FIXTURE_TEARDOWN(irqfd)
{
	close(self->efd);
	close(self->efd2);
	close(self->rfd);
	mshv_vm_free(self->vm);
}

TEST_F(irqfd, wakes_halted_guest)
{
	struct mshv_user_irq_entry routes[2] = {
		{ .gsi = GSI_EDGE, .address_lo = MSI_ADDR(0), .data = VEC_A },
		{ .gsi = GSI_LEVEL, .address_lo = MSI_ADDR(0), .data = VEC_B | MSI_LEVEL },
	};
	struct mshv_ucall_info uc;
	long long asserts, eois;
	bool fast = hvsim_param_is("scheduler", "root") && hvsim_param_is("privilege", "root");
	long ms;
	__u64 cnt;

	ASSERT_EQ(0, set_routes(self->vmfd, routes, 2));
	ASSERT_EQ(0, __irqfd(self->vmfd, self->efd, -1, GSI_EDGE, 0));
	ASSERT_EQ(0, __irqfd(self->vmfd, self->efd2, self->rfd, GSI_LEVEL,
			     BIT(MSHV_IRQFD_BIT_RESAMPLE)));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	asserts = hvsim_hypercalls(HVCALL_ASSERT_VIRTUAL_INTERRUPT_CODE);
	eois = hvsim_counter("apic_eoi_messages");

	/* 1: edge route, the guest is halted until the write. */
	ms = run_with_kick(_metadata, self->vp, self->efd, 300, &uc);
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(VEC_A, uc.args[1]);
	EXPECT_LE(250, ms) TH_LOG("the guest ran on instead of halting");
	TH_LOG("edge: guest woke after %ld ms with vector %#llx", ms,
	       (unsigned long long)uc.args[1]);
	EXPECT_FALSE(fd_readable(self->rfd, 100)) TH_LOG("EOI of an edge vector resampled");

	/* 2: level route on GSI 0 with RESAMPLE: the EOI signals rfd. */
	ms = run_with_kick(_metadata, self->vp, self->efd2, 300, &uc);
	EXPECT_EQ(2, uc.args[0]);
	EXPECT_EQ(VEC_B, uc.args[1]);
	EXPECT_TRUE(fd_readable(self->rfd, 1000)) TH_LOG("no resample after the guest's EOI");
	EXPECT_EQ((ssize_t)sizeof(cnt), read(self->rfd, &cnt, sizeof(cnt)));
	EXPECT_EQ(1, cnt);
	if (hvsim_present()) {
		EXPECT_EQ(asserts + (fast ? 1 : 2),
			  hvsim_hypercalls(HVCALL_ASSERT_VIRTUAL_INTERRUPT_CODE))
			TH_LOG("edge vector by the %s path", fast ? "register-page" : "hypercall");
		EXPECT_EQ(eois + 1, hvsim_counter("apic_eoi_messages"));
	}

	/* 3: the edge irqfd follows a route change to VEC_B. */
	routes[0].data = VEC_B;
	ASSERT_EQ(0, set_routes(self->vmfd, routes, 2));
	run_with_kick(_metadata, self->vp, self->efd, 100, &uc);
	EXPECT_EQ(3, uc.args[0]);
	EXPECT_EQ(VEC_B, uc.args[1]);

	/* 4: after deassign (and for an unrouted GSI) nothing is injected. */
	ASSERT_EQ(0, __irqfd(self->vmfd, self->efd, -1, GSI_EDGE, BIT(MSHV_IRQFD_BIT_DEASSIGN)));
	ASSERT_EQ(0, __irqfd(self->vmfd, self->efd, -1, 77, 0));
	asserts = hvsim_hypercalls(HVCALL_ASSERT_VIRTUAL_INTERRUPT_CODE);
	cnt = 1;
	EXPECT_EQ((ssize_t)sizeof(cnt), write(self->efd, &cnt, sizeof(cnt)));
	usleep(100000);
	if (hvsim_present())
		EXPECT_EQ(asserts, hvsim_hypercalls(HVCALL_ASSERT_VIRTUAL_INTERRUPT_CODE));
	EXPECT_EQ(0, mshv_vp_reg_page(self->vp)->interrupt_vectors) TH_LOG("nothing queued");
	/* ...and the level irqfd still works: wake the guest for the last time. */
	run_with_kick(_metadata, self->vp, self->efd2, 100, &uc);
	EXPECT_EQ(4, uc.args[0]);
	EXPECT_EQ(VEC_B, uc.args[1]);
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
}

TEST_F(irqfd, pending_count_fires_at_assign)
{
	struct mshv_ucall_info uc;
	__u64 one = 1;

	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	ASSERT_EQ((ssize_t)sizeof(one), write(self->efd, &one, sizeof(one)));
	ASSERT_EQ(0, __irqfd(self->vmfd, self->efd, -1, 1, 0));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(VEC_A, uc.args[1]);
}

TEST_HARNESS_MAIN
