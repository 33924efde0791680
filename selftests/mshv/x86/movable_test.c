// SPDX-License-Identifier: GPL-2.0-only
/*
 * movable_test - movable (HMM, not pinned) guest RAM regions.
 *
 * Movable regions are mshv_root's default (as in 7.2) where the kernel
 * has CONFIG_HMM_MIRROR; every region here is movable, the guest's code
 * and page tables at GPA 0 too.  Skipped when the movable_regions
 * parameter is off.
 *
 * movable_region: a 1 GiB region of anonymous memory is mapped (NO_ACCESS
 * in the hypervisor until the guest touches it) and a 2 MiB region without
 * WRITABLE.  Covered: the driver holds no pin and at most 8 bytes per
 * 4 KiB page for the 1 GiB region (the figure is printed); the guest reads
 * what the host wrote and the host sees what the guest wrote, with GPA
 * faults resolved inside MSHV_RUN_VP (only ucall exits reach userspace);
 * after MADV_DONTNEED of the backing pages the guest reads zeros and its
 * new writes land in the new host pages (no stale mapping); a guest write
 * to the read-only region reaches userspace as a memory exit.
 *
 * movable_thp_large_pages (needs hvsim's counters): a THP-backed 8 MiB
 * region at a 2 MiB aligned GPA is mapped with one 2 MiB page for each
 * chunk the kernel backs with a huge page, once the guest touches it;
 * MADV_DONTNEED of 4 KiB of one chunk takes that large mapping away (the
 * kernel splits the THP) and the guest then reads zeros there while the
 * rest of the chunk keeps its data.
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
#define THP_GPA		0xc0000000ULL
#define THP_SIZE	0x800000ULL		/* 8 MiB */
#define SZ_2M		0x200000ULL

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

static void guest_thp(void)
{
	__u64 c, sum = 0;

	GUEST_SYNC(0);		/* code, stack and page tables are in now */
	for (c = 0; c < THP_SIZE / SZ_2M; c++)
		sum += guest_read64(THP_GPA + c * SZ_2M);
	GUEST_SYNC(sum);
	/* The host dropped 4 KiB at the start of chunk 1. */
	GUEST_SYNC(guest_read64(THP_GPA + SZ_2M));
	GUEST_SYNC(guest_read64(THP_GPA + SZ_2M + 0x1000));
	GUEST_DONE();
}

static void __attribute__((constructor(102))) movable_test_require_movable(void)
{
	if (mshv_root_movable_regions() != 1) {
		ksft_print_header();
		ksft_exit_skip("mshv_root's movable_regions is off or absent%s\n",
			       " (kernel without CONFIG_HMM_MIRROR?)");
	}
}

TEST(movable_region)
{
	long long pin0, bytes0, bytes, start_bytes = mshv_root_counter("region_bytes");
	struct mshv_ucall_info uc;
	struct mshv_exit exit;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	__u64 *mov, *ro;

	pin0 = mshv_root_counter("pinned_pages");
	vm = vm_create_with_one_vp(&vp, guest_main);	/* movable RAM at 0 */
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages")) TH_LOG("the default pins nothing");
	mov = mmap(NULL, MOV_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ro = mmap(NULL, RO_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mov);
	ASSERT_NE(MAP_FAILED, ro);
	mov[OFF_A / 8] = 0x1111;
	ro[0] = 0x6666;

	bytes0 = mshv_root_counter("region_bytes");
	vm_map(vm, MOV_GPA, mov, MOV_SIZE, BIT(MSHV_SET_MEM_BIT_WRITABLE));
	vm_map(vm, RO_GPA, ro, RO_SIZE, 0);
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

TEST(movable_thp_large_pages)
{
	long long pin0, g2m_start, g2m0, g2m, huge, huge1;
	struct mshv_ucall_info uc;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	__u64 c, *mem;

	if (!hvsim_present())
		SKIP(return, "needs the mshv_hvsim simulator's counters");
	mem = mshv_alloc_guest_mem(THP_SIZE, MSHV_MEM_THP);
	ASSERT_NE(NULL, mem);
	for (c = 0; c < THP_SIZE / SZ_2M; c++) {
		mem[c * SZ_2M / 8] = 0x100 + c;
		mem[(c * SZ_2M + 0x1000) / 8] = 0x200 + c;
	}
	huge = mshv_thp_chunks(mem, THP_SIZE);
	huge1 = mshv_thp_chunks((char *)mem + SZ_2M, SZ_2M);
	if (huge <= 0) {
		mshv_free_guest_mem(mem, THP_SIZE);
		SKIP(return, "the kernel backs the region with no huge page (THP off?)");
	}

	pin0 = mshv_root_counter("pinned_pages");
	g2m_start = hvsim_counter("gpa_pages_2m");
	vm = vm_create_with_one_vp(&vp, guest_thp);
	vm_map(vm, THP_GPA, mem, THP_SIZE, BIT(MSHV_SET_MEM_BIT_WRITABLE));
	ASSERT_EQ(0, mshv_vm_map_gva(vm, THP_GPA, THP_GPA, THP_SIZE, MSHV_PTE_RW | MSHV_PTE_PS));
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages"));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	g2m0 = hvsim_counter("gpa_pages_2m");

	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0x100 + 0x101 + 0x102 + 0x103, uc.args[0]);
	g2m = hvsim_counter("gpa_pages_2m") - g2m0;
	TH_LOG("2 MiB mappings after the guest touched %llu MiB of THP-backed memory: %lld",
	       THP_SIZE >> 20, g2m);
	TH_LOG("(huge pages backing it: %lld)", huge);
	EXPECT_EQ(huge, g2m) TH_LOG("one 2 MiB mapping per huge page");

	ASSERT_EQ(0, madvise((char *)mem + SZ_2M, 0x1000, MADV_DONTNEED));
	EXPECT_EQ(huge - huge1, hvsim_counter("gpa_pages_2m") - g2m0)
		TH_LOG("the large mapping of the split chunk is gone");
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0, uc.args[0]) TH_LOG("the dropped page reads as zeros");
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
	EXPECT_EQ(0x201, uc.args[0]) TH_LOG("the rest of the chunk keeps its data");
	EXPECT_EQ(huge - huge1, hvsim_counter("gpa_pages_2m") - g2m0)
		TH_LOG("the split chunk is mapped with 4 KiB pages again");
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(vp, &uc));
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages"));

	mshv_vm_free(vm);
	EXPECT_EQ(g2m_start, hvsim_counter("gpa_pages_2m")) TH_LOG("2 MiB mappings left");
	mshv_free_guest_mem(mem, THP_SIZE);
}

TEST_HARNESS_MAIN
