// SPDX-License-Identifier: GPL-2.0-only
/*
 * dirty_test - MSHV_GET_GPAP_ACCESS_BITMAP after guest writes.
 *
 * With GPA_PAGE_ACCESS_TRACKING on (HvSetPartitionProperty through
 * MSHV_ROOT_HVCALL), the dirty bits of a scratch range are cleared, the
 * guest writes a known set of pages and reads another set.  Covered: the
 * DIRTY bitmap equals the written set exactly; DIRTY + CLEAR returns it and
 * clears it (the next call reads all zero); ACCESSED covers the read and
 * written pages; NOOP behaves like SET (7.2 quirk): DIRTY + NOOP marks the
 * whole range dirty; bits past page_count are zero.
 */
#include "mshv_test_harness.h"
#include <mshv/guest.h>
#include <mshv/x86.h>

#define NPAGES		64
#define BASE_GPA	MSHV_X86_SCRATCH_GPA
#define PROP_GPA_PAGE_ACCESS_TRACKING	0x00050005

static const unsigned int written[] = { 0, 3, 17, 31, 32, 40, 63 };
static const unsigned int readonly[] = { 5, 50 };

static void guest_main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(written); i++)
		guest_write64(BASE_GPA + written[i] * 4096ULL + 8, 0xd1d1d1d1ULL + i);
	for (i = 0; i < ARRAY_SIZE(readonly); i++)
		(void)guest_read64(BASE_GPA + readonly[i] * 4096ULL);
	GUEST_DONE();
}

static int gpap(int vmfd, __u8 type, __u8 op, __u64 count, __u64 gfn, void *bm)
{
	struct mshv_gpap_access_bitmap a;

	memset(&a, 0, sizeof(a));
	a.access_type = type;
	a.access_op = op;
	a.page_count = count;
	a.gpap_base = gfn;
	a.bitmap_ptr = (__u64)(uintptr_t)bm;
	return __mshv_ioctl(vmfd, MSHV_GET_GPAP_ACCESS_BITMAP, &a);
}

static void expect_set(struct __test_metadata *_metadata, const __u8 *bm,
		       const unsigned int *a, unsigned int na,
		       const unsigned int *b, unsigned int nb)
{
	__u8 want[NPAGES / 8 + 1];
	unsigned int i;

	memset(want, 0, sizeof(want));
	for (i = 0; i < na; i++)
		want[a[i] / 8] |= 1 << (a[i] % 8);
	for (i = 0; i < nb; i++)
		want[b[i] / 8] |= 1 << (b[i] % 8);
	for (i = 0; i < NPAGES / 8; i++)
		EXPECT_EQ(want[i], bm[i]) TH_LOG("bitmap byte %u", i);
}

TEST(dirty_bitmap_exact)
{
	__u64 gfn = BASE_GPA >> 12;
	struct mshv_ucall_info uc;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	__u8 bm[NPAGES / 8 + 1];
	int vmfd, ret, i;

	vm = vm_create_with_one_vp(&vp, guest_main);
	vmfd = mshv_vm_fd(vm);
	ASSERT_EQ(0, mshv_vm_set_property(vm, PROP_GPA_PAGE_ACCESS_TRACKING, 1));

	/* Start clean: clear accessed (and dirty) over the range. */
	ret = gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_ACCESSED, MSHV_GPAP_ACCESS_OP_CLEAR, NPAGES,
		   gfn, bm);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "MSHV_GET_GPAP_ACCESS_BITMAP is not implemented (EOPNOTSUPP)");
	ASSERT_EQ(0, ret);
	memset(bm, 0xff, sizeof(bm));
	ASSERT_EQ(0, gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_DIRTY, MSHV_GPAP_ACCESS_OP_CLEAR, NPAGES,
			  gfn, bm));
	expect_set(_metadata, bm, NULL, 0, NULL, 0);

	ASSERT_EQ(UCALL_DONE, vp_run_ucall(vp, &uc));

	/* ACCESSED with CLEAR would also clear dirty: look with DIRTY first. */
	memset(bm, 0xff, sizeof(bm));
	ASSERT_EQ(0, gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_DIRTY, MSHV_GPAP_ACCESS_OP_CLEAR, NPAGES,
			  gfn, bm));
	expect_set(_metadata, bm, written, ARRAY_SIZE(written), NULL, 0);
	TH_LOG("dirty bitmap: %02x %02x %02x %02x %02x %02x %02x %02x",
	       bm[0], bm[1], bm[2], bm[3], bm[4], bm[5], bm[6], bm[7]);
	memset(bm, 0xff, sizeof(bm));
	ASSERT_EQ(0, gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_DIRTY, MSHV_GPAP_ACCESS_OP_CLEAR, NPAGES,
			  gfn, bm));
	expect_set(_metadata, bm, NULL, 0, NULL, 0);	/* the clear took */

	memset(bm, 0xff, sizeof(bm));
	ASSERT_EQ(0, gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_ACCESSED, MSHV_GPAP_ACCESS_OP_CLEAR, NPAGES,
			  gfn, bm));
	expect_set(_metadata, bm, written, ARRAY_SIZE(written), readonly, ARRAY_SIZE(readonly));

	/* NOOP is SET (7.2 quirk): afterwards every page reads dirty. */
	ASSERT_EQ(0, gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_DIRTY, MSHV_GPAP_ACCESS_OP_NOOP, NPAGES,
			  gfn, bm));
	expect_set(_metadata, bm, NULL, 0, NULL, 0);
	memset(bm, 0, sizeof(bm));
	ASSERT_EQ(0, gpap(vmfd, MSHV_GPAP_ACCESS_TYPE_DIRTY, MSHV_GPAP_ACCESS_OP_SET, NPAGES - 4,
			  gfn, bm));
	for (i = 0; i < (NPAGES - 4) / 8; i++)
		EXPECT_EQ(0xff, bm[i]);
	EXPECT_EQ(0x0f, bm[(NPAGES - 4) / 8]) TH_LOG("bits past page_count are zero");
	mshv_vm_free(vm);
}

TEST_HARNESS_MAIN
