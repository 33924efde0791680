// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioeventfd_test - MSHV_IOEVENTFD backed by hypervisor doorbells.
 *
 * The guest writes to an MMIO address (a GVA mapped to a GPA without
 * memory) that has ioeventfds.  Covered: a write that matches the
 * datamatch signals the eventfd and no exit reaches userspace (hvsim's
 * intercept counter, less the GPA intercepts the kernel resolves for
 * movable RAM, moves only for the ucall exits); a write with another
 * value is an ordinary MMIO exit and does not signal; lengths 1 and 8 with
 * and without datamatch; a deassigned ioeventfd no longer signals (its
 * write exits); the QEMU deassign form (len 0, no DATAMATCH) removes a
 * len-4 datamatch registration.
 */
#include <poll.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "mshv_test_harness.h"
#include "hvsim_util.h"
#include <mshv/guest.h>
#include <mshv/x86.h>

#define DB_GVA		0x50000000ULL
#define DB_GPA		0x60000000ULL

static void guest_write32(__u64 addr, __u32 v)
{
	__asm__ __volatile__("movl %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

static void guest_write8(__u64 addr, __u8 v)
{
	__asm__ __volatile__("movb %0, (%1)" : : "q"(v), "r"(addr) : "memory");
}

static void guest_main(void)
{
	guest_write32(DB_GVA, 0x1234);		/* matches: doorbell */
	GUEST_SYNC(1);
	guest_write32(DB_GVA, 0x9999);		/* no match: MMIO exit */
	GUEST_SYNC(2);
	guest_write8(DB_GVA + 0x100, 7);	/* len 1, datamatch 7 */
	guest_write64(DB_GVA + 0x200, 0x1122334455667788ULL);	/* len 8 wildcard */
	GUEST_SYNC(3);
	guest_write32(DB_GVA, 0x1234);		/* deassigned: MMIO exit */
	GUEST_SYNC(4);
	GUEST_DONE();
}

/* The eventfd's count (0: not signalled within @ms). */
static __u64 efd_count(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	__u64 v = 0;

	if (poll(&p, 1, ms) == 1 && read(fd, &v, sizeof(v)) != sizeof(v))
		v = 0;
	return v;
}

TEST(doorbell_datamatch)
{
	__u32 dm = BIT(MSHV_IOEVENTFD_BIT_DATAMATCH);
	__u32 deassign = BIT(MSHV_IOEVENTFD_BIT_DEASSIGN);
	struct mshv_ucall_info uc;
	struct mshv_exit exit;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	long long intercepts = 0, gpa_intercepts = 0;
	int efd, efd1, efd8, vmfd, ret;

	vm = vm_create_with_one_vp(&vp, guest_main);
	vmfd = mshv_vm_fd(vm);
	ASSERT_EQ(0, mshv_vm_map_gva(vm, DB_GVA, DB_GPA, 0x1000, MSHV_PTE_RW));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	efd1 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	efd8 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	ASSERT_LE(0, efd1);
	ASSERT_LE(0, efd8);
	ret = __ioeventfd(vmfd, efd, DB_GPA, 4, 0x1234, dm);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "MSHV_IOEVENTFD is not implemented (EOPNOTSUPP)");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, __ioeventfd(vmfd, efd1, DB_GPA + 0x100, 1, 7, dm));
	ASSERT_EQ(0, __ioeventfd(vmfd, efd8, DB_GPA + 0x200, 8, 0, 0));

	if (hvsim_present()) {
		intercepts = hvsim_counter("intercepts");
		gpa_intercepts = hvsim_counter("gpa_intercepts");
	}
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(1, uc.args[0]);
	EXPECT_EQ(1, efd_count(efd, 1000)) TH_LOG("the matching write did not signal");
	if (hvsim_present()) {
		/*
		 * Only the ucall's port I/O exit: the doorbell write was
		 * consumed.  Faults on movable guest RAM, resolved in the
		 * kernel, do not count.
		 */
		intercepts = hvsim_counter("intercepts") - intercepts -
			     (hvsim_counter("gpa_intercepts") - gpa_intercepts);
		EXPECT_EQ(1, intercepts);
		TH_LOG("intercepts for doorbell write + ucall: %lld", intercepts);
	}

	/* Another value: an ordinary MMIO exit, no signal. */
	vp_run_expect(vp, &exit, MSHV_EXIT_MEMORY);
	EXPECT_EQ(DB_GPA, exit.mem.gpa);
	ASSERT_EQ(0, mshv_vp_skip_insn(vp, &exit));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(2, uc.args[0]);
	EXPECT_EQ(0, efd_count(efd, 100)) TH_LOG("a non-matching write signalled");

	/* len 1 with datamatch and len 8 wildcard, both consumed. */
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(3, uc.args[0]);
	EXPECT_EQ(1, efd_count(efd1, 1000));
	EXPECT_EQ(1, efd_count(efd8, 1000));

	/* The QEMU deassign form removes the len-4 datamatch ioeventfd. */
	EXPECT_EQ(0, __ioeventfd(vmfd, efd, DB_GPA, 0, 0, deassign));
	vp_run_expect(vp, &exit, MSHV_EXIT_MEMORY);
	EXPECT_EQ(DB_GPA, exit.mem.gpa);
	ASSERT_EQ(0, mshv_vp_skip_insn(vp, &exit));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(4, uc.args[0]);
	EXPECT_EQ(0, efd_count(efd, 100));
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(vp, &uc));

	close(efd);
	close(efd1);
	close(efd8);
	mshv_vm_free(vm);
}

TEST_HARNESS_MAIN
