// SPDX-License-Identifier: GPL-2.0-only
/*
 * movable_test - movable (HMM, not pinned) guest RAM regions.
 *
 * With mshv_root's movable_regions parameter on, a 1 GiB region of
 * anonymous memory is mapped (NO_ACCESS in the hypervisor until the guest
 * touches it) and a 2 MiB region without WRITABLE.  Covered: the driver
 * holds no pin and at most 8 bytes per 4 KiB page for the 1 GiB region
 * (the figure is printed); the guest reads what the host wrote and the
 * host sees what the guest wrote, with GPA faults resolved inside
 * MSHV_RUN_VP (only ucall exits reach userspace); after MADV_DONTNEED of
 * the backing pages the guest reads zeros and its new writes land in the
 * new host pages (no stale mapping); a guest write to the read-only region
 * reaches userspace as a memory exit.
 */
#include <sys/mman.h>

#include "mshv_test_harness.h"
#include "hvsim_util.h"
#include <mshv/guest.h>
#include <mshv/x86.h>

#define MOV_GPA		0x40000000ULL
#define MOV_SIZE	0x40000000ULL		/* 1 GiB */
#define RO_GPA		0x80000000ULL
#define RO_SIZE		0x200000ULL
#define OFF_A		0x1000ULL
#define OFF_B		0x2000ULL
#define OFF_FAR		0x3ff00000ULL
#define PARAM		"/sys/module/mshv_root/parameters/movable_regions"

static void guest_main(void)
{
	GUEST_SYNC(guest_read64(MOV_GPA + OFF_A));
	guest_write64(MOV_GPA + OFF_B, 0x2222);
	guest_write64(MOV_GPA + OFF_FAR, 0x4444);
	GUEST_SYNC(guest_read64(MOV_GPA + OFF_FAR));
	/* The host dropped the pages: zeros, and a write to the new page. */
	GUEST_SYNC(guest_read64(MOV_GPA + OFF_A));
	guest_write64(MOV_GPA + OFF_B, 0x3333);
	GUEST_SYNC(guest_read64(RO_GPA));
	guest_write64(RO_GPA + 8, 0x5555);	/* read-only: exits */
	GUEST_DONE();
}

static bool set_param(const char *v)
{
	FILE *f = fopen(PARAM, "w");
	bool ok;

	if (!f)
		return false;
	ok = fputs(v, f) >= 0;
	return fclose(f) == 0 && ok;
}

TEST(movable_region)
{
	long long pin0, bytes0, bytes, start_bytes = mshv_root_counter("region_bytes");
	struct mshv_ucall_info uc;
	struct mshv_exit exit;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	__u64 *mov, *ro;

	vm = vm_create_with_one_vp(&vp, guest_main);	/* pinned RAM at 0 */
	mov = mmap(NULL, MOV_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ro = mmap(NULL, RO_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mov);
	ASSERT_NE(MAP_FAILED, ro);
	mov[OFF_A / 8] = 0x1111;
	ro[0] = 0x6666;

	pin0 = mshv_root_counter("pinned_pages");
	bytes0 = mshv_root_counter("region_bytes");
	if (!set_param("Y")) {
		mshv_vm_free(vm);
		SKIP(return, "no movable_regions parameter in this mshv_root");
	}
	vm_map(vm, MOV_GPA, mov, MOV_SIZE, BIT(MSHV_SET_MEM_BIT_WRITABLE));
	vm_map(vm, RO_GPA, ro, RO_SIZE, 0);
	set_param("N");
	bytes = mshv_root_counter("region_bytes") - bytes0;
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages")) TH_LOG("movable regions pin nothing");
	TH_LOG("driver memory, 1 GiB + 2 MiB movable: %lld bytes, %lld.%03lld bytes per 4 KiB page",
	       bytes, bytes / (long long)((MOV_SIZE + RO_SIZE) / 4096),
	       bytes * 1000 / (long long)((MOV_SIZE + RO_SIZE) / 4096) % 1000);
	EXPECT_GE(8 * (long long)((MOV_SIZE + RO_SIZE) / 4096), bytes);
	ASSERT_EQ(0, mshv_vm_map_gva(vm, MOV_GPA, MOV_GPA, MOV_SIZE, MSHV_PTE_RW | MSHV_PTE_PS));
	ASSERT_EQ(0, mshv_vm_map_gva(vm, RO_GPA, RO_GPA, RO_SIZE, MSHV_PTE_RW | MSHV_PTE_PS));

	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0x1111, uc.args[0]) TH_LOG("guest read of host-written movable memory");
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0x4444, uc.args[0]);
	EXPECT_EQ(0x2222, mov[OFF_B / 8]) TH_LOG("host sees the guest's write");
	EXPECT_EQ(0x4444, mov[OFF_FAR / 8]);
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages"));

	/* Drop the backing pages: the guest must not keep using the old ones. */
	ASSERT_EQ(0, madvise(mov, 0x400000, MADV_DONTNEED));
	EXPECT_EQ(0, mov[OFF_B / 8]);
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0, uc.args[0]) TH_LOG("guest sees a zeroed page after MADV_DONTNEED");
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0x3333, mov[OFF_B / 8]) TH_LOG("the guest's write reached the new page");
	EXPECT_EQ(0x6666, uc.args[0]) TH_LOG("read of the read-only region");

	/* A write to the read-only region reaches userspace. */
	vp_run_expect(vp, &exit, MSHV_EXIT_MEMORY);
	EXPECT_EQ(RO_GPA + 8, exit.mem.gpa);
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages")) TH_LOG("no pin remains");

	mshv_vm_free(vm);
	EXPECT_EQ(start_bytes, mshv_root_counter("region_bytes"));
	munmap(mov, MOV_SIZE);
	munmap(ro, RO_SIZE);
}

TEST_HARNESS_MAIN
