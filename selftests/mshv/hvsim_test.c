// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim_test - mshv_root against the mshv_hvsim simulator's counters and
 * fault injection (driver/hvsim/README.md; issues 3 and 4).
 *
 * Covered: mapping 1 GiB of 4 KiB pages takes at most 516 HvMapGpaPages
 * calls (a 4 KiB input page holds 509 PFNs after the 24-byte header); a
 * 2 MiB aligned THP-backed region at a 2 MiB aligned GPA is mapped with
 * exactly as many 2 MiB pages as the kernel backs it with huge pages, and
 * with none at a GPA that is only 4 KiB aligned; the driver's pinned_pages
 * follows the mapped size.  With injected failures: a failed
 * HvInitializePartition withdraws what was deposited for it, a failed
 * HvCreateVp and a failed HvMapVpStatePage (each of the calls) leave no VP
 * behind, INSUFFICIENT_MEMORY is answered by a deposit and a retry (also
 * when an asynchronous HvSetPartitionProperty completes with it), a map
 * failing at any of its calls unmaps and unpins what was done, a limit of
 * reps per call is continued, periodic page-charge failures (each status
 * that asks for memory) are survived.
 * Every test ends with no child partition, no GPA mapping and no page held
 * by hvsim outside the parent's pool, and mshv_root's pinned_pages and
 * deposited_pages at 0.
 *
 * The hvsim cases are about pinned regions (what 7.2 uses for isolated
 * partitions and where movable ones cannot be had): each turns mshv_root's
 * movable_regions parameter off and restores it; the hvsim_oom cases run
 * with the default.  Movable regions have x86/movable_test.
 *
 * Needs hvsim: without /sys/kernel/debug/mshv_hvsim every case is skipped
 * (exit 4), as without /dev/mshv.  The 1 GiB case needs a VM with more
 * than 1 GiB (scripts/vm-run.sh --mem 4G) and is skipped otherwise.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mshv_test_harness.h"
#include "hvsim_util.h"

#define PG		0x1000ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define RW		(BIT(MSHV_SET_MEM_BIT_WRITABLE) | BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)
/* PFNs per HvMapGpaPages input page: 4096 - (partition id, GPA base, flags). */
#define MAP_PFNS_PER_CALL	((4096 - 24) / 8)

/* A TAP diagnostic line; flushed, as the harness ends each test with _exit(). */
#define test_diag(fmt, ...) do {					\
	ksft_print_msg(fmt, ##__VA_ARGS__);				\
	fflush(stdout);							\
} while (0)

static void __attribute__((constructor(102))) hvsim_test_require_hvsim(void)
{
	if (!hvsim_present()) {
		ksft_print_header();
		ksft_exit_skip("%s absent: %s\n", HVSIM_DEBUGFS,
			       "these tests need the mshv_hvsim simulator (and debugfs)");
	}
}

/* The fewest calls that can do @n reps at @per_call reps per call. */
static long long calls_needed(long long n, long long per_call)
{
	return (n + per_call - 1) / per_call;
}

/* A partition fd, created and (when @init) initialized. */
static int new_partition(int devfd, bool init)
{
	struct mshv_create_partition a = { .pt_flags = MSHV_DEFAULT_PT_FLAGS };
	int fd = __mshv_create_partition(devfd, &a), ret;

	if (fd >= 0 && init) {
		ret = __mshv_ioctl(fd, MSHV_INITIALIZE_PARTITION, NULL);
		if (ret) {
			close(fd);
			return ret;
		}
	}
	return fd;
}

/* Anonymous memory backed by 4 KiB pages only, faulted in. */
static void *alloc_4k(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, MADV_NOHUGEPAGE);
	memset(p, 0x5a, size);
	return p;
}

static long long mem_available_kb(void)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* Everything back to zero once the test's partitions are closed. */
#define EXPECT_NO_LEAKS() do {						\
	struct mshv_leaks __l;						\
	mshv_leaks_read(&__l);						\
	EXPECT_EQ(0, __l.children) TH_LOG("hvsim child partitions left");	\
	EXPECT_EQ(0, __l.gpa_4k) TH_LOG("hvsim 4K GPA pages still mapped");	\
	EXPECT_EQ(0, __l.gpa_2m) TH_LOG("hvsim 2M GPA pages still mapped");	\
	EXPECT_EQ(0, __l.held_by_children)				\
		TH_LOG("pages hvsim holds outside the parent's own pool");	\
	EXPECT_EQ(0, __l.pinned) TH_LOG("mshv_root pinned_pages");	\
	EXPECT_EQ(0, __l.deposited) TH_LOG("mshv_root deposited_pages");	\
} while (0)

FIXTURE(hvsim) {
	int devfd;
	struct hvsim_inject_state saved;
	int movable_regions;
};

/* Each test sets the injection it needs; whatever was set is restored. */
FIXTURE_SETUP(hvsim)
{
	self->devfd = open_mshv_dev_or_skip(O_RDWR);
	hvsim_inject_save(&self->saved);
	hvsim_inject_clear();
	self->movable_regions = mshv_root_set_movable_regions(false);
}

FIXTURE_TEARDOWN(hvsim)
{
	hvsim_inject_restore(&self->saved);
	if (self->movable_regions >= 0)
		mshv_root_set_movable_regions(self->movable_regions);
	close(self->devfd);
}

/* Issue 4: mapping 1 GiB of 4 KiB pages issues <= 516 map hypercalls. */
TEST_F_TIMEOUT(hvsim, map_1g_of_4k_pages_call_count, 600)
{
	const __u64 npages = SZ_1G / PG;
	long long calls0, mcalls0, g4k0, g2m0, pin0, ucalls0;
	long long calls, mcalls, ucalls;
	int pt, ret;
	void *mem;

	if (mem_available_kb() < (long long)(SZ_1G + SZ_1G / 4) / 1024)
		SKIP(return, "needs > 1.25 GiB available (MemAvailable %lld kB): %s",
		     mem_available_kb(), "vm-run.sh --mem 4G");
	pt = new_partition(self->devfd, true);
	ASSERT_LE(0, pt);
	mem = alloc_4k(SZ_1G);
	ASSERT_NE(NULL, mem);
	calls0 = hvsim_hypercalls(HVCALL_MAP_GPA_PAGES_CODE);
	mcalls0 = hvsim_counter("gpa_map_calls");
	g4k0 = hvsim_counter("gpa_pages_4k");
	g2m0 = hvsim_counter("gpa_pages_2m");
	pin0 = mshv_root_counter("pinned_pages");

	ret = __set_mem(pt, 4 * SZ_1G, mem, SZ_1G, RW);
	ASSERT_EQ(0, ret) TH_LOG("mapping 1 GiB: %s", strerror(-ret));
	calls = hvsim_hypercalls(HVCALL_MAP_GPA_PAGES_CODE) - calls0;
	mcalls = hvsim_counter("gpa_map_calls") - mcalls0;
	test_diag("map calls for 1 GiB of 4K pages: %lld\n", calls);
	EXPECT_GE(516, calls);
	EXPECT_LE(calls_needed(npages, MAP_PFNS_PER_CALL), calls);
	EXPECT_EQ(calls, mcalls) TH_LOG("hypercall count vs gpa_map_calls");
	EXPECT_EQ(npages, hvsim_counter("gpa_pages_4k") - g4k0);
	EXPECT_EQ(0, hvsim_counter("gpa_pages_2m") - g2m0);
	EXPECT_EQ(npages, mshv_root_counter("pinned_pages") - pin0);

	ucalls0 = hvsim_hypercalls(HVCALL_UNMAP_GPA_PAGES_CODE);
	ASSERT_EQ(0, __set_mem(pt, 4 * SZ_1G, mem, SZ_1G, UNMAP));
	ucalls = hvsim_hypercalls(HVCALL_UNMAP_GPA_PAGES_CODE) - ucalls0;
	test_diag("unmap calls for 1 GiB of 4K pages: %lld\n", ucalls);
	EXPECT_LE(1, ucalls);
	EXPECT_GE(516, ucalls);
	EXPECT_EQ(g4k0, hvsim_counter("gpa_pages_4k"));
	EXPECT_EQ(pin0, mshv_root_counter("pinned_pages"));
	close(pt);
	munmap(mem, SZ_1G);
	EXPECT_NO_LEAKS();
}

/* Issue 4: 2 MiB aligned THP-backed memory is mapped with large pages. */
TEST_F(hvsim, thp_region_maps_2m_pages)
{
	const size_t size = 4 * SZ_2M;
	long long g4k0, g2m0, pin0, huge, n2m, n4k;
	int pt, ret;
	void *mem;

	pt = new_partition(self->devfd, true);
	ASSERT_LE(0, pt);
	mem = mshv_alloc_guest_mem(size, MSHV_MEM_THP);
	ASSERT_NE(NULL, mem);
	memset(mem, 0x5a, size);
	huge = mshv_thp_chunks(mem, size);
	if (huge < 0)
		SKIP(goto out, "cannot read /proc/self/pagemap or /proc/kpageflags");
	if (huge == 0)
		SKIP(goto out, "the kernel backs the region with no huge page (THP off?)");
	g4k0 = hvsim_counter("gpa_pages_4k");
	g2m0 = hvsim_counter("gpa_pages_2m");
	pin0 = mshv_root_counter("pinned_pages");

	ret = __set_mem(pt, SZ_1G, mem, size, RW);
	ASSERT_EQ(0, ret) TH_LOG("mapping the THP region: %s", strerror(-ret));
	n2m = hvsim_counter("gpa_pages_2m") - g2m0;
	n4k = hvsim_counter("gpa_pages_4k") - g4k0;
	test_diag("2M mappings for %zu MiB of THP-backed memory: %lld\n", size >> 20, n2m);
	test_diag("(huge pages backing it: %lld, 4K mappings: %lld)\n", huge, n4k);
	EXPECT_EQ(huge, n2m);
	EXPECT_EQ(size / PG - huge * (SZ_2M / PG), n4k);
	EXPECT_EQ(size / PG, mshv_root_counter("pinned_pages") - pin0);
	ASSERT_EQ(0, __set_mem(pt, SZ_1G, mem, size, UNMAP));
	EXPECT_EQ(g2m0, hvsim_counter("gpa_pages_2m"));
	EXPECT_EQ(g4k0, hvsim_counter("gpa_pages_4k"));

	/* GFN only 4 KiB aligned: no 2 MiB mapping is possible. */
	ASSERT_EQ(0, __set_mem(pt, SZ_1G + PG, mem, size, RW));
	EXPECT_EQ(0, hvsim_counter("gpa_pages_2m") - g2m0);
	EXPECT_EQ(size / PG, hvsim_counter("gpa_pages_4k") - g4k0);
out:
	close(pt);
	mshv_free_guest_mem(mem, size);
	EXPECT_NO_LEAKS();
}

/* A failed HvInitializePartition gives back what was deposited for it. */
TEST_F(hvsim, failed_initialize_withdraws)
{
	long long inj0 = hvsim_counter("faults_injected");
	int pt = new_partition(self->devfd, false);

	ASSERT_LE(0, pt);
	hvsim_inject_fail(HVCALL_INITIALIZE_PARTITION_CODE, HV_STATUS_OPERATION_DENIED, 1);
	/* upstream-abi.md 2.2: OPERATION_DENIED -> -EIO */
	EXPECT_EQ(-EIO, __mshv_ioctl(pt, MSHV_INITIALIZE_PARTITION, NULL));
	EXPECT_EQ(1, hvsim_counter("faults_injected") - inj0);
	EXPECT_EQ(0, mshv_root_counter("deposited_pages"))
		TH_LOG("pages deposited for the failed initialize were not withdrawn");
	EXPECT_EQ(0, __mshv_ioctl(pt, MSHV_INITIALIZE_PARTITION, NULL))
		TH_LOG("initialize again after the failure");
	EXPECT_LT(0, mshv_root_counter("deposited_pages"));
	close(pt);
	EXPECT_NO_LEAKS();
}

TEST_F(hvsim, failed_create_vp_leaves_no_vp)
{
	int pt = new_partition(self->devfd, true), vp;
	long long vps0 = hvsim_counter("vps");

	ASSERT_LE(0, pt);
	hvsim_inject_fail(HVCALL_CREATE_VP_CODE, HV_STATUS_INVALID_PARAMETER, 1);
	EXPECT_EQ(-EINVAL, __mshv_create_vp(pt, 0));
	EXPECT_EQ(vps0, hvsim_counter("vps"));
	/* The index is free again. */
	vp = __mshv_create_vp(pt, 0);
	EXPECT_LE(0, vp) TH_LOG("CREATE_VP 0 after the failure: %s", strerror(-vp));
	EXPECT_EQ(vps0 + 1, hvsim_counter("vps"));
	close(vp);
	close(pt);
	EXPECT_NO_LEAKS();
}

/* INSUFFICIENT_MEMORY from HvCreateVp: deposit, then the same call again. */
TEST_F(hvsim, create_vp_oom_deposit_and_retry)
{
	int pt = new_partition(self->devfd, true), vp;
	long long calls0, dep0;

	ASSERT_LE(0, pt);
	calls0 = hvsim_hypercalls(HVCALL_CREATE_VP_CODE);
	dep0 = mshv_root_counter("deposited_pages");
	hvsim_inject_fail(HVCALL_CREATE_VP_CODE, HV_STATUS_INSUFFICIENT_MEMORY, 1);
	vp = __mshv_create_vp(pt, 0);
	ASSERT_LE(0, vp) TH_LOG("CREATE_VP after one INSUFFICIENT_MEMORY: %s", strerror(-vp));
	EXPECT_EQ(2, hvsim_hypercalls(HVCALL_CREATE_VP_CODE) - calls0);
	EXPECT_LT(dep0, mshv_root_counter("deposited_pages"))
		TH_LOG("no page deposited before the retry");
	close(vp);
	close(pt);
	EXPECT_NO_LEAKS();
}

/*
 * An asynchronous HvSetPartitionProperty whose completion asks for memory:
 * 7.2 deposits and issues the call again; the ioctl succeeds.
 */
TEST_F(hvsim, async_set_property_oom_deposit_and_retry)
{
	struct hv_input_set_partition_property in = {
		.property_code = HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
		.property_value = 1,
	};
	int pt = new_partition(self->devfd, true), ret;
	long long calls0, dep0;
	__u16 status = 0xffff;

	ASSERT_LE(0, pt);
	hvsim_inject("async_set_property", 1);
	ret = mshv_hvcall(pt, HVCALL_SET_PARTITION_PROPERTY, 0, &in, sizeof(in), NULL, 0,
			  &status);
	ASSERT_EQ(0, ret) TH_LOG("async SET_PARTITION_PROPERTY: %s", strerror(-ret));
	EXPECT_EQ(HV_STATUS_SUCCESS, status);

	calls0 = hvsim_hypercalls(HVCALL_SET_PARTITION_PROPERTY);
	dep0 = mshv_root_counter("deposited_pages");
	hvsim_inject_fail(HVCALL_SET_PARTITION_PROPERTY, HV_STATUS_INSUFFICIENT_MEMORY, 1);
	status = 0xffff;
	ret = mshv_hvcall(pt, HVCALL_SET_PARTITION_PROPERTY, 0, &in, sizeof(in), NULL, 0,
			  &status);
	EXPECT_EQ(0, ret) TH_LOG("completion with INSUFFICIENT_MEMORY: %s", strerror(-ret));
	EXPECT_EQ(HV_STATUS_SUCCESS, status);
	EXPECT_EQ(2, hvsim_hypercalls(HVCALL_SET_PARTITION_PROPERTY) - calls0);
	EXPECT_LT(dep0, mshv_root_counter("deposited_pages"))
		TH_LOG("no page deposited before the retry");
	hvsim_inject("async_set_property", 0);
	close(pt);
	EXPECT_NO_LEAKS();
}

/* Each HvMapVpStatePage of a VP creation failing in turn. */
TEST_F(hvsim, failed_state_page_map_cleans_up)
{
	int pt = new_partition(self->devfd, true), vp;
	long long per_vp, vps0, nth;

	ASSERT_LE(0, pt);
	per_vp = hvsim_hypercalls(HVCALL_MAP_VP_STATE_PAGE_CODE);
	vp = __mshv_create_vp(pt, 0);
	ASSERT_LE(0, vp);
	per_vp = hvsim_hypercalls(HVCALL_MAP_VP_STATE_PAGE_CODE) - per_vp;
	test_diag("HvMapVpStatePage calls per VP: %lld\n", per_vp);
	if (!per_vp)
		SKIP(goto out, "this configuration maps no VP state page");
	vps0 = hvsim_counter("vps");
	for (nth = 1; nth <= per_vp; nth++) {
		hvsim_inject_fail(HVCALL_MAP_VP_STATE_PAGE_CODE, HV_STATUS_ACCESS_DENIED, nth);
		EXPECT_EQ(-EIO, __mshv_create_vp(pt, 1))
			TH_LOG("state page call %lld failing", nth);
		EXPECT_EQ(vps0, hvsim_counter("vps")) TH_LOG("state page call %lld failing", nth);
	}
	hvsim_inject_fail(0, HV_STATUS_INSUFFICIENT_MEMORY, 0);
	nth = __mshv_create_vp(pt, 1);
	EXPECT_LE(0, nth) TH_LOG("VP 1 after the failures: %s", strerror(-nth));
	if (nth >= 0)
		close(nth);
out:
	close(vp);
	close(pt);
	EXPECT_NO_LEAKS();
}

/* A map failing at its first, a middle or its last call is undone. */
TEST_F(hvsim, failed_map_unmaps_and_unpins)
{
	const size_t size = 8 << 20;
	long long calls, g4k0, pin0, nths[3], i, ucalls0;
	int pt = new_partition(self->devfd, true);
	void *mem = alloc_4k(size);

	ASSERT_LE(0, pt);
	ASSERT_NE(NULL, mem);
	g4k0 = hvsim_counter("gpa_pages_4k");
	pin0 = mshv_root_counter("pinned_pages");
	calls = hvsim_hypercalls(HVCALL_MAP_GPA_PAGES_CODE);
	ASSERT_EQ(0, __set_mem(pt, SZ_1G, mem, size, RW));
	calls = hvsim_hypercalls(HVCALL_MAP_GPA_PAGES_CODE) - calls;
	ASSERT_EQ(0, __set_mem(pt, SZ_1G, mem, size, UNMAP));
	ASSERT_LE(2, calls);
	nths[0] = 1;
	nths[1] = calls / 2 + 1;
	nths[2] = calls;
	for (i = 0; i < 3; i++) {
		ucalls0 = hvsim_hypercalls(HVCALL_UNMAP_GPA_PAGES_CODE);
		hvsim_inject_fail(HVCALL_MAP_GPA_PAGES_CODE, HV_STATUS_ACCESS_DENIED, nths[i]);
		EXPECT_EQ(-EIO, __set_mem(pt, SZ_1G, mem, size, RW))
			TH_LOG("map call %lld of %lld failing", nths[i], calls);
		EXPECT_EQ(g4k0, hvsim_counter("gpa_pages_4k"))
			TH_LOG("GPA pages left mapped after call %lld failed", nths[i]);
		EXPECT_EQ(pin0, mshv_root_counter("pinned_pages"))
			TH_LOG("pages left pinned after call %lld failed", nths[i]);
		if (nths[i] > 1)
			EXPECT_LT(ucalls0, hvsim_hypercalls(HVCALL_UNMAP_GPA_PAGES_CODE))
				TH_LOG("nothing unmapped after call %lld failed", nths[i]);
		/* Nothing of the region is left: the GPA range is free. */
		EXPECT_EQ(-ENOENT, __set_mem(pt, SZ_1G, mem, size, UNMAP));
	}
	EXPECT_EQ(0, __set_mem(pt, SZ_1G, mem, size, RW));
	EXPECT_EQ(size / PG, hvsim_counter("gpa_pages_4k") - g4k0);
	close(pt);
	munmap(mem, size);
	EXPECT_NO_LEAKS();
}

/* hvsim completes at most 7 reps per call: the driver continues. */
TEST_F(hvsim, max_reps_continuation)
{
	const size_t size = 8 << 20;
	const long long reps = 7;
	long long calls, g4k0;
	int pt = new_partition(self->devfd, true);
	void *mem = alloc_4k(size);

	ASSERT_LE(0, pt);
	ASSERT_NE(NULL, mem);
	g4k0 = hvsim_counter("gpa_pages_4k");
	hvsim_inject("max_reps", reps);
	calls = hvsim_hypercalls(HVCALL_MAP_GPA_PAGES_CODE);
	ASSERT_EQ(0, __set_mem(pt, SZ_1G, mem, size, RW));
	calls = hvsim_hypercalls(HVCALL_MAP_GPA_PAGES_CODE) - calls;
	EXPECT_EQ(size / PG, hvsim_counter("gpa_pages_4k") - g4k0);
	EXPECT_LE(calls_needed(size / PG, reps), calls);
	test_diag("map calls for %zu MiB with %lld reps per call: %lld\n",
		  size >> 20, reps, calls);
	calls = hvsim_hypercalls(HVCALL_UNMAP_GPA_PAGES_CODE);
	ASSERT_EQ(0, __set_mem(pt, SZ_1G, mem, size, UNMAP));
	calls = hvsim_hypercalls(HVCALL_UNMAP_GPA_PAGES_CODE) - calls;
	EXPECT_EQ(g4k0, hvsim_counter("gpa_pages_4k"));
	EXPECT_LE(calls_needed(size / PG, reps), calls);
	close(pt);
	munmap(mem, size);
	EXPECT_NO_LEAKS();
}

/*
 * Every 3rd page charge fails with one of the statuses that ask for memory
 * (upstream-abi.md 2.3): INSUFFICIENT_MEMORY and CONTIGUOUS (deposit into
 * the child) and the 7.x ROOT and CONTIGUOUS_ROOT variants (deposit into
 * the parent's own pool, which only a root partition may do: on L1VH the
 * call fails with -ENOMEM).  Otherwise partitions, VPs and mappings still
 * work; either way nothing leaks.
 */
FIXTURE(hvsim_oom) {
	int devfd;
	struct hvsim_inject_state saved;
};

FIXTURE_VARIANT(hvsim_oom) {
	unsigned int status;
	bool root_pool;
};

FIXTURE_VARIANT_ADD(hvsim_oom, insufficient_memory) {
	.status = 0x0b,
};

FIXTURE_VARIANT_ADD(hvsim_oom, insufficient_root_memory) {
	.status = 0x73,
	.root_pool = true,
};

FIXTURE_VARIANT_ADD(hvsim_oom, insufficient_contiguous_memory) {
	.status = 0x75,
};

FIXTURE_VARIANT_ADD(hvsim_oom, insufficient_contiguous_root_memory) {
	.status = 0x83,
	.root_pool = true,
};

FIXTURE_SETUP(hvsim_oom)
{
	self->devfd = open_mshv_dev_or_skip(O_RDWR);
	hvsim_inject_save(&self->saved);
	hvsim_inject_clear();
}

FIXTURE_TEARDOWN(hvsim_oom)
{
	hvsim_inject_restore(&self->saved);
	close(self->devfd);
}

/* hvsim plays an L1VH host (no CPU management privilege). */
static bool hvsim_is_l1vh(void)
{
	char buf[16] = "";
	FILE *f = fopen("/sys/module/mshv_hvsim/parameters/privilege", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	return !strncmp(buf, "l1vh", 4);
}

TEST_F(hvsim_oom, every_third_charge_fails)
{
	const size_t size = 8 << 20;
	const bool enomem = variant->root_pool && hvsim_is_l1vh();
	long long oom0 = hvsim_counter("oom_injected"), g4k0;
	int pt, vp = -1, ret;
	void *mem = alloc_4k(size);

	ASSERT_NE(NULL, mem);
	hvsim_inject("oom_status", variant->status);
	hvsim_inject("oom_every", 3);
	pt = new_partition(self->devfd, false);
	ret = pt < 0 ? pt : __mshv_ioctl(pt, MSHV_INITIALIZE_PARTITION, NULL);
	if (!ret) {
		vp = __mshv_create_vp(pt, 0);
		ret = vp < 0 ? vp : 0;
	}
	if (!ret) {
		g4k0 = hvsim_counter("gpa_pages_4k");
		ret = __set_mem(pt, SZ_1G, mem, size, RW);
		if (!ret)
			EXPECT_EQ(size / PG, hvsim_counter("gpa_pages_4k") - g4k0);
	}
	EXPECT_LT(oom0, hvsim_counter("oom_injected"));
	test_diag("status %#x injected: %lld times, result %d%s\n", variant->status,
		  hvsim_counter("oom_injected") - oom0, ret, enomem ? " (L1VH)" : "");
	hvsim_inject("oom_every", 0);
	if (enomem) {
		EXPECT_EQ(-ENOMEM, ret)
			TH_LOG("status %#x on L1VH: the root pool cannot be fed", variant->status);
	} else {
		EXPECT_EQ(0, ret)
			TH_LOG("create, initialize, VP, map with status %#x every 3rd charge: %s",
			       variant->status, strerror(-ret));
	}
	if (vp >= 0)
		close(vp);
	if (pt >= 0)
		close(pt);
	munmap(mem, size);
	EXPECT_NO_LEAKS();
}

TEST_HARNESS_MAIN
