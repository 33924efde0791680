// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfd_test - argument validation of MSHV_IRQFD, MSHV_IOEVENTFD,
 * MSHV_SET_MSI_ROUTING and MSHV_GET_GPAP_ACCESS_BITMAP (upstream-abi.md
 * section 1.4).
 *
 * Covered: valid assign/deassign of an irqfd and an MMIO ioeventfd, MSI
 * tables (replace, empty), GPAP bitmap of mapped memory.
 * Negative: unknown flag bits, reserved fields, bad fds (EBADF), an eventfd
 * bound twice (EBUSY), RESAMPLE without a level-triggered route, PIO
 * ioeventfds (EOPNOTSUPP), bad lengths and address overflow (assign only,
 * as upstream), duplicates (EEXIST), deassigning what is not there
 * (ENOENT), MSI table limits, GPAP type/op/count/pointer checks.
 *
 * A module that does not implement one of these ioctls yet answers
 * EOPNOTSUPP to a valid request; that group of cases is then skipped.
 */
#include <unistd.h>
#include <sys/eventfd.h>

#include "mshv_test_harness.h"

#define MMIO_ADDR	0xfe000000ULL

FIXTURE(ev) {
	struct mshv_vm *vm;
	int fd;
	int efd;
};

FIXTURE_SETUP(ev)
{
	self->vm = vm_create_default();
	self->fd = mshv_vm_fd(self->vm);
	self->efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
}

FIXTURE_TEARDOWN(ev)
{
	close(self->efd);
	mshv_vm_free(self->vm);
}

#define NOT_IMPLEMENTED	"%s is not implemented by this mshv_root (EOPNOTSUPP)"

TEST_F(ev, irqfd)
{
	int ret = __irqfd(self->fd, self->efd, -1, 5, 0);
	int closed;

	if (ret == -EOPNOTSUPP)
		SKIP(return, NOT_IMPLEMENTED, "MSHV_IRQFD");
	ASSERT_EQ(0, ret);
	EXPECT_EQ(-EBUSY, __irqfd(self->fd, self->efd, -1, 6, 0)) TH_LOG("eventfd bound twice");
	EXPECT_EQ(0, __irqfd(self->fd, self->efd, -1, 5, BIT(MSHV_IRQFD_BIT_DEASSIGN)));
	/* Deassigning something that is not there is not an error. */
	EXPECT_EQ(0, __irqfd(self->fd, self->efd, -1, 5, BIT(MSHV_IRQFD_BIT_DEASSIGN)));
	EXPECT_EQ(-EINVAL, __irqfd(self->fd, self->efd, -1, 5, 0x4));
	EXPECT_EQ(-EINVAL, __irqfd(self->fd, self->efd, -1, 5, 0x80000000));
	closed = eventfd(0, 0);
	close(closed);
	EXPECT_EQ(-EBADF, __irqfd(self->fd, closed, -1, 5, 0));
	EXPECT_EQ(-EBADF, __irqfd(self->fd, -1, -1, 5, 0));
}

TEST_F(ev, irqfd_resample_needs_level_route)
{
	int rfd = eventfd(0, EFD_CLOEXEC), ret;

	ASSERT_LE(0, rfd);
	ret = __irqfd(self->fd, self->efd, rfd, 7, BIT(MSHV_IRQFD_BIT_RESAMPLE));
	if (ret == -EOPNOTSUPP)
		SKIP(return, NOT_IMPLEMENTED, "MSHV_IRQFD");
	EXPECT_EQ(-EINVAL, ret) TH_LOG("RESAMPLE on a gsi without a level-triggered route");
	close(rfd);
}

TEST_F(ev, ioeventfd)
{
	__u32 dm = BIT(MSHV_IOEVENTFD_BIT_DATAMATCH);
	__u32 deassign = BIT(MSHV_IOEVENTFD_BIT_DEASSIGN);
	int ret = __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, dm);

	if (ret == -EOPNOTSUPP)
		SKIP(return, NOT_IMPLEMENTED, "MSHV_IOEVENTFD");
	ASSERT_EQ(0, ret);
	EXPECT_EQ(-EEXIST, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, dm));
	/* Deassign must match fd, addr, len, wildcard-ness and datamatch. */
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1235, dm | deassign));
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 8, 0x1234, dm | deassign));
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, deassign));
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, dm | deassign));
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, dm | deassign));
	/*
	 * Documented deviation (clients.md): QEMU and Cloud Hypervisor deassign
	 * a len-4/8 datamatch ioeventfd with len 0 and no DATAMATCH; that form
	 * removes every ioeventfd of the eventfd at the address (upstream:
	 * ENOENT, on which QEMU aborts).
	 */
	ASSERT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, dm));
	ASSERT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x5678, dm));
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 0, 0, deassign));
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 0, 0, deassign));
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0x1234, dm))
		TH_LOG("none left");
	/* Wildcard, every valid length */
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR + 0x100, 0, 0, 0));
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR + 0x200, 1, 0, 0));
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR + 0x300, 2, 0, 0));
	EXPECT_EQ(0, __ioeventfd(self->fd, self->efd, MMIO_ADDR + 0x400, 8, 0, 0));
}

TEST_F(ev, ioeventfd_invalid)
{
	__u32 deassign = BIT(MSHV_IOEVENTFD_BIT_DEASSIGN);
	struct mshv_user_ioeventfd a;
	unsigned int i;
	int ret = __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0, 0);

	if (ret == -EOPNOTSUPP)
		SKIP(return, NOT_IMPLEMENTED, "MSHV_IOEVENTFD");
	EXPECT_EQ(-EOPNOTSUPP, __ioeventfd(self->fd, self->efd, 0x3f8, 1, 0,
					   BIT(MSHV_IOEVENTFD_BIT_PIO))) TH_LOG("port IO");
	EXPECT_EQ(-EINVAL, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 4, 0, 0x8));
	EXPECT_EQ(-EINVAL, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 3, 0, 0));
	EXPECT_EQ(-EINVAL, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 16, 0, 0));
	EXPECT_EQ(-EINVAL, __ioeventfd(self->fd, self->efd, ~0ULL - 3, 8, 0, 0))
		TH_LOG("addr + len overflows");
	/*
	 * Upstream checks len and addr + len only when assigning: a deassign
	 * with them wrong matches nothing (ENOENT), or fails on its fd first.
	 */
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, MMIO_ADDR, 3, 0, deassign))
		TH_LOG("deassign, len 3");
	EXPECT_EQ(-ENOENT, __ioeventfd(self->fd, self->efd, ~0ULL - 3, 8, 0, deassign))
		TH_LOG("deassign, addr + len overflows");
	EXPECT_EQ(-EBADF, __ioeventfd(self->fd, -1, MMIO_ADDR, 16, 0, deassign))
		TH_LOG("deassign, bad fd and len");
	for (i = 0; i < sizeof(a.rsvd); i++) {
		memset(&a, 0, sizeof(a));
		a.fd = self->efd;
		a.addr = MMIO_ADDR + 0x1000;
		a.len = 4;
		a.rsvd[i] = 1;
		EXPECT_EQ(-EINVAL, __mshv_ioctl(self->fd, MSHV_IOEVENTFD, &a))
			TH_LOG("rsvd[%u]", i);
	}
}

static int msi_table(int vmfd, __u32 nr, __u32 rsvd, const struct mshv_user_irq_entry *e)
{
	size_t sz = sizeof(struct mshv_user_irq_table) + nr * sizeof(*e);
	struct mshv_user_irq_table *t = calloc(1, sz);
	int ret;

	if (!t)
		return -ENOMEM;
	t->nr = nr;
	t->rsvd = rsvd;
	if (e && nr)
		memcpy(t->entries, e, nr * sizeof(*e));
	ret = __mshv_ioctl(vmfd, MSHV_SET_MSI_ROUTING, t);
	free(t);
	return ret;
}

TEST_F(ev, msi_routing)
{
	struct mshv_user_irq_entry e[3] = {
		{ .gsi = 1, .address_lo = 0xfee00000, .data = 0x30 },
		{ .gsi = 4095, .address_lo = 0xfee01000, .data = 0x31 },
		{ .gsi = 2, .address_lo = 0xfee00000, .data = 0x32 },
	};
	int ret = msi_table(self->fd, 2, 0, e);

	if (ret == -EOPNOTSUPP)
		SKIP(return, NOT_IMPLEMENTED, "MSHV_SET_MSI_ROUTING");
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, msi_table(self->fd, 3, 0, e)) TH_LOG("replacing the table");
	EXPECT_EQ(0, msi_table(self->fd, 0, 0, NULL)) TH_LOG("emptying the table");
	EXPECT_EQ(-EINVAL, msi_table(self->fd, 1, 1, e)) TH_LOG("rsvd");
	EXPECT_EQ(-EINVAL, msi_table(self->fd, 4097, 0, NULL)) TH_LOG("nr > 4096");
	e[2].gsi = 4096;
	EXPECT_EQ(-EINVAL, msi_table(self->fd, 3, 0, e)) TH_LOG("gsi 4096");
	e[2].gsi = 1;
	EXPECT_EQ(-EINVAL, msi_table(self->fd, 3, 0, e)) TH_LOG("gsi twice");
	e[2].gsi = 2;
	e[2].address_hi = 1;
	EXPECT_EQ(-EINVAL, msi_table(self->fd, 3, 0, e)) TH_LOG("address_hi != 0");
}

static int gpap(int vmfd, __u8 type, __u8 op, int rsvd_byte, __u64 count, __u64 base,
		void *bm)
{
	struct mshv_gpap_access_bitmap a;

	memset(&a, 0, sizeof(a));
	a.access_type = type;
	a.access_op = op;
	if (rsvd_byte >= 0)
		a.rsvd[rsvd_byte] = 1;
	a.page_count = count;
	a.gpap_base = base;
	a.bitmap_ptr = (__u64)(uintptr_t)bm;
	return __mshv_ioctl(vmfd, MSHV_GET_GPAP_ACCESS_BITMAP, &a);
}

TEST_F(ev, gpap_access_bitmap)
{
	__u8 bm[8];
	void *mem;
	int ret, i;

	ASSERT_EQ(0, mshv_vm_add_memory(self->vm, 0x100000, 16 * 4096,
					BIT(MSHV_SET_MEM_BIT_WRITABLE), 0, &mem));
	memset(bm, 0xff, sizeof(bm));
	ret = gpap(self->fd, MSHV_GPAP_ACCESS_TYPE_DIRTY, MSHV_GPAP_ACCESS_OP_CLEAR, -1, 12,
		   0x100, bm);
	if (ret == -EOPNOTSUPP)
		SKIP(return, NOT_IMPLEMENTED, "MSHV_GET_GPAP_ACCESS_BITMAP");
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, bm[1] & 0xf0) TH_LOG("bits past page_count are zeroed");
	EXPECT_EQ(-EINVAL, gpap(self->fd, MSHV_GPAP_ACCESS_TYPE_COUNT, 0, -1, 8, 0x100, bm));
	EXPECT_EQ(-EINVAL, gpap(self->fd, 0, MSHV_GPAP_ACCESS_OP_COUNT, -1, 8, 0x100, bm));
	for (i = 0; i < 6; i++)
		EXPECT_EQ(-EINVAL, gpap(self->fd, 0, 0, i, 8, 0x100, bm)) TH_LOG("rsvd[%d]", i);
	EXPECT_EQ(-EINVAL, gpap(self->fd, 0, 0, -1, 0, 0x100, bm)) TH_LOG("page_count 0");
	EXPECT_EQ(-EINVAL, gpap(self->fd, 0, 0, -1, 8, 0x100, NULL)) TH_LOG("bitmap_ptr 0");
}

TEST_HARNESS_MAIN
