// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_test - MSHV_SET_GUEST_MEMORY (upstream-abi.md section 1.4).
 *
 * Covered: map/unmap/remap, 10000 regions, 2 MiB (THP) backed regions,
 * the guest seeing host writes and the host seeing guest writes, a
 * read-only region (guest write -> GPA intercept with access type write),
 * a non-executable region (guest fetch -> GPA intercept with access type
 * execute), an unmapped region giving UNMAPPED_GPA.
 * Negative: size 0 or unaligned, unaligned userspace_addr, unknown flag
 * bits, every rsvd byte, no VMA at the address, GPA overlap of every kind
 * (EEXIST), unmap of a missing region (ENOENT) or with mismatched
 * parameters (EINVAL).
 * MMIO: a VM_IO|VM_PFNMAP mapping of a non-RAM physical range (/dev/mem)
 * maps and unmaps; a region longer than that VMA is EINVAL.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

#include "mshv_test_harness.h"
#include <mshv/guest.h>

#define PG		0x1000ULL
#define SZ_2M		0x200000ULL
#define RW		(BIT(MSHV_SET_MEM_BIT_WRITABLE) | BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
#define UNMAP		BIT(MSHV_SET_MEM_BIT_UNMAP)
#define TEST_GPA	0x80000000ULL

FIXTURE(mem) {
	struct mshv_vm *vm;
	int fd;
	__u8 *buf;		/* 16 pages */
};

FIXTURE_SETUP(mem)
{
	self->vm = vm_create_default();
	self->fd = mshv_vm_fd(self->vm);
	self->buf = mshv_alloc_guest_mem(16 * PG, 0);
	ASSERT_NE(NULL, self->buf);
}

FIXTURE_TEARDOWN(mem)
{
	mshv_vm_free(self->vm);
	mshv_free_guest_mem(self->buf, 16 * PG);
}

TEST_F(mem, map_unmap_remap)
{
	ASSERT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, RW));
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, UNMAP));
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, 0));
	/* With UNMAP the other flag bits are ignored. */
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, UNMAP | RW));
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf + 4 * PG, 4 * PG, RW));
}

TEST_F(mem, size_and_alignment_einval)
{
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf, 0, RW));
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf, PG + 1, RW));
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf, PG / 2, RW));
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf + 8, PG, RW));
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf + PG / 2, PG, RW));
}

TEST_F(mem, unknown_flags_einval)
{
	unsigned int bit;

	for (bit = 3; bit < 8; bit++)
		EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf, PG, 1 << bit))
			TH_LOG("flag bit %u", bit);
}

TEST_F(mem, rsvd_bytes_einval)
{
	struct mshv_user_mem_region r;
	unsigned int i;

	for (i = 0; i < sizeof(r.rsvd); i++) {
		memset(&r, 0, sizeof(r));
		r.guest_pfn = TEST_GPA >> 12;
		r.userspace_addr = (__u64)(uintptr_t)self->buf;
		r.size = PG;
		r.rsvd[i] = 0x80;
		EXPECT_EQ(-EINVAL, __mshv_set_guest_memory(self->fd, &r)) TH_LOG("rsvd[%u]", i);
	}
}

TEST_F(mem, no_vma_einval)
{
	void *hole = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, hole);
	munmap(hole, 4 * PG);
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, hole, 4 * PG, RW));
}

TEST_F(mem, efault_on_bad_arg)
{
	EXPECT_EQ(-EFAULT, __mshv_ioctl(self->fd, MSHV_SET_GUEST_MEMORY, NULL));
}

TEST_F(mem, gpa_overlap_eexist)
{
	__u8 *b = self->buf;

	ASSERT_EQ(0, __set_mem(self->fd, TEST_GPA + 4 * PG, b, 4 * PG, RW));
	EXPECT_EQ(-EEXIST, __set_mem(self->fd, TEST_GPA + 4 * PG, b + 8 * PG, 4 * PG, RW))
		TH_LOG("identical GPA range");
	EXPECT_EQ(-EEXIST, __set_mem(self->fd, TEST_GPA + 2 * PG, b + 8 * PG, 4 * PG, RW))
		TH_LOG("overlapping the start");
	EXPECT_EQ(-EEXIST, __set_mem(self->fd, TEST_GPA + 7 * PG, b + 8 * PG, 4 * PG, RW))
		TH_LOG("overlapping the end");
	EXPECT_EQ(-EEXIST, __set_mem(self->fd, TEST_GPA + 5 * PG, b + 8 * PG, PG, RW))
		TH_LOG("fully inside");
	EXPECT_EQ(-EEXIST, __set_mem(self->fd, TEST_GPA, b + 8 * PG, 8 * PG, RW))
		TH_LOG("fully containing");
	/* Adjacent on both sides is fine. */
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, b + 8 * PG, 4 * PG, RW));
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA + 8 * PG, b + 12 * PG, 4 * PG, RW));
}

/* Since 6.19 only GPA overlap is refused: one host range, two GPAs. */
TEST_F(mem, uaddr_alias_allowed)
{
	ASSERT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, RW));
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA + 0x100000, self->buf, 4 * PG, RW));
}

TEST_F(mem, unmap_errors)
{
	EXPECT_EQ(-ENOENT, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, UNMAP))
		TH_LOG("unmap with nothing mapped");
	ASSERT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, RW));
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf, 2 * PG, UNMAP))
		TH_LOG("size mismatch");
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA, self->buf + PG, 4 * PG, UNMAP))
		TH_LOG("userspace_addr mismatch");
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA + PG, self->buf + PG, 3 * PG, UNMAP))
		TH_LOG("guest_pfn inside but not the start");
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, UNMAP));
	EXPECT_EQ(-ENOENT, __set_mem(self->fd, TEST_GPA, self->buf, 4 * PG, UNMAP))
		TH_LOG("second unmap");
}

TEST_F_TIMEOUT(mem, ten_thousand_regions, 600)
{
	const unsigned int n = 10000;
	__u8 *big = mshv_alloc_guest_mem(n * PG, 0);
	unsigned int i;
	int ret;

	ASSERT_NE(NULL, big);
	for (i = 0; i < n; i++) {
		ret = __set_mem(self->fd, TEST_GPA + 2 * i * PG, big + i * PG, PG,
				i & 1 ? RW : 0);
		ASSERT_EQ(0, ret) TH_LOG("region %u of %u: %s", i, n, strerror(-ret));
	}
	/* All still distinct: a GPA overlap with any of them is refused. */
	EXPECT_EQ(-EEXIST, __set_mem(self->fd, TEST_GPA + 2 * 5000 * PG, big, PG, RW));
	for (i = 0; i < n; i++) {
		ret = __set_mem(self->fd, TEST_GPA + 2 * i * PG, big + i * PG, PG, UNMAP);
		ASSERT_EQ(0, ret) TH_LOG("unmapping region %u: %s", i, strerror(-ret));
	}
	mshv_free_guest_mem(big, n * PG);
}

TEST_F(mem, thp_backed_region)
{
	void *p = mshv_alloc_guest_mem(2 * SZ_2M, MSHV_MEM_THP);

	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, (uintptr_t)p & (SZ_2M - 1));
	memset(p, 0x5a, 2 * SZ_2M);
	EXPECT_EQ(0, __set_mem(self->fd, 0x40000000, p, 2 * SZ_2M, RW));
	EXPECT_EQ(0, __set_mem(self->fd, 0x40000000, p, 2 * SZ_2M, UNMAP));
	/* A 2 MiB region at a GPA that is only 4 KiB aligned works too. */
	EXPECT_EQ(0, __set_mem(self->fd, 0x40001000, p, 2 * SZ_2M, RW));
	mshv_free_guest_mem(p, 2 * SZ_2M);
}

/*
 * Physical addresses outside RAM that /dev/mem may map (IO_STRICT_DEVMEM
 * allows ranges no driver claimed): in the PCI hole of q35 and i440fx VMs.
 */
static void *map_devmem_window(int *memfd, __u64 *pa)
{
	static const __u64 candidates[] = { 0xc0000000, 0xd0000000, 0xe0000000, 0xfd000000 };
	unsigned int i;
	void *p;

	*memfd = open("/dev/mem", O_RDWR | O_SYNC);
	if (*memfd < 0)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(candidates); i++) {
		p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, *memfd,
			 candidates[i]);
		if (p != MAP_FAILED) {
			*pa = candidates[i];
			return p;
		}
	}
	close(*memfd);
	return NULL;
}

TEST_F(mem, mmio_pfnmap_region)
{
	__u64 pa = 0;
	int memfd;
	void *p = map_devmem_window(&memfd, &pa);

	if (!p)
		SKIP(return, "no MMIO window mappable through /dev/mem");
	TH_LOG("MMIO window at physical %#llx", (unsigned long long)pa);
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, p, 2 * PG, RW));
	EXPECT_EQ(-EINVAL, __set_mem(self->fd, TEST_GPA + 0x100000, p, 6 * PG, RW))
		TH_LOG("a region longer than the VM_PFNMAP VMA");
	EXPECT_EQ(0, __set_mem(self->fd, TEST_GPA, p, 2 * PG, UNMAP));
	munmap(p, 2 * PG);
	close(memfd);
}

/* ---- guest-visible behaviour ---- */

#define DATA_GPA	0x40000000ULL	/* 4 MiB THP region: crosses a 2 MiB boundary */
#define RO_GPA		0x50000000ULL
#define NX_GPA		0x51000000ULL

static void guest_visibility(void)
{
	GUEST_ASSERT_EQ(guest_read64(DATA_GPA), 0x0123456789abcdefULL);
	GUEST_ASSERT_EQ(guest_read64(DATA_GPA + SZ_2M), 0xfedcba9876543210ULL);
	guest_write64(DATA_GPA + 8, 0x1111);
	guest_write64(DATA_GPA + SZ_2M - 8, 0x2222);
	guest_write64(DATA_GPA + SZ_2M + 8, 0x3333);
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(guest_read64(DATA_GPA), 0x4444);
	GUEST_DONE();
}

FIXTURE(gmem) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
};

/* A long-mode VM and VP 0; each test sets the entry point. */
FIXTURE_SETUP(gmem)
{
	self->vm = vm_create_with_one_vp(&self->vp, NULL);
}

FIXTURE_TEARDOWN(gmem)
{
	mshv_vm_free(self->vm);
}

TEST_F(gmem, host_guest_visibility_large_pages)
{
	struct mshv_ucall_info uc;
	__u64 *p;

	ASSERT_EQ(0, mshv_vm_add_memory(self->vm, DATA_GPA, 2 * SZ_2M, RW, MSHV_MEM_THP,
					(void **)&p));
	/* 2 MiB guest pages over 2 MiB host pages. */
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, DATA_GPA, DATA_GPA, 2 * SZ_2M,
				     MSHV_PTE_RW | MSHV_PTE_PS));
	p[0] = 0x0123456789abcdefULL;
	p[SZ_2M / 8] = 0xfedcba9876543210ULL;
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_visibility, 0));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(0x1111, p[1]);
	EXPECT_EQ(0x2222, p[SZ_2M / 8 - 1]);
	EXPECT_EQ(0x3333, p[SZ_2M / 8 + 1]);
	p[0] = 0x4444;
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
}

static void guest_ro(void)
{
	GUEST_ASSERT_EQ(guest_read32(RO_GPA), 0x77);
	/* mov %ebx, (%rax) = 89 18 */
	__asm__ __volatile__("mov %%ebx, (%%rax)" : : "a"(RO_GPA + 4), "b"(0x99) : "memory");
	GUEST_DONE();
}

TEST_F(gmem, read_only_region_write_intercept)
{
	static const __u8 store[] = { 0x89, 0x18 };
	struct mshv_exit e;
	__u32 *p;

	ASSERT_EQ(0, mshv_vm_add_memory(self->vm, RO_GPA, PG, 0, 0, (void **)&p));
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, RO_GPA, RO_GPA, PG, MSHV_PTE_RW));
	p[0] = 0x77;
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_ro, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_MEMORY);
	EXPECT_EQ(HVMSG_GPA_INTERCEPT, e.msg_type)
		TH_LOG("a write to a mapped read-only GPA is a GPA intercept, got %s",
		       mshv_msg_type_str(e.msg_type));
	EXPECT_EQ(HV_INTERCEPT_ACCESS_WRITE, e.access_type);
	EXPECT_EQ(RO_GPA + 4, e.mem.gpa);
	EXPECT_EQ(RO_GPA + 4, e.mem.gva);
	EXPECT_EQ(2, e.insn_len);
	EXPECT_EQ(0, memcmp(e.mem.insn_bytes, store, 2));
	EXPECT_EQ(0, p[1]) TH_LOG("the write must not reach memory");
	vp_skip_insn(self->vp, &e);
	vp_run_to_done(self->vp);
}

static void guest_after_nx(void)
{
	GUEST_DONE();
}

static void guest_nx(void)
{
	void (*fn)(void) = (void (*)(void))NX_GPA;

	fn();
	GUEST_ASSERT(0);
}

TEST_F(gmem, no_exec_region_execute_intercept)
{
	struct mshv_exit e;
	__u8 *p;

	ASSERT_EQ(0, mshv_vm_add_memory(self->vm, NX_GPA, PG,
					1 << MSHV_SET_MEM_BIT_WRITABLE, 0, (void **)&p));
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, NX_GPA, NX_GPA, PG, MSHV_PTE_RW));
	p[0] = 0xc3;	/* ret */
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_nx, 0));
	vp_run_expect(self->vp, &e, MSHV_EXIT_MEMORY);
	EXPECT_EQ(HVMSG_GPA_INTERCEPT, e.msg_type);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_EXECUTE, e.access_type);
	EXPECT_EQ(NX_GPA, e.mem.gpa);
	EXPECT_EQ(NX_GPA, e.rip);
	vp_set_reg(self->vp, HV_X64_REGISTER_RIP, (__u64)guest_after_nx);
	vp_run_to_done(self->vp);
}

static void guest_touch(void)
{
	GUEST_SYNC(guest_read64(TEST_GPA));
	GUEST_SYNC(guest_read64(TEST_GPA));	/* unmapped now: intercept first */
	GUEST_SYNC(guest_read64(TEST_GPA));	/* remapped with other backing */
	GUEST_DONE();
}

TEST_F(gmem, unmap_then_remap_seen_by_guest)
{
	struct mshv_ucall_info uc;
	struct mshv_exit e;
	__u64 *a = mshv_alloc_guest_mem(PG, 0), *b = mshv_alloc_guest_mem(PG, 0);

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	a[0] = 0xaaaa;
	b[0] = 0xbbbb;
	ASSERT_EQ(0, mshv_vm_map_gva(self->vm, TEST_GPA, TEST_GPA, PG, MSHV_PTE_RW));
	ASSERT_EQ(0, mshv_vm_map(self->vm, TEST_GPA, a, PG, RW));
	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_touch, 0));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(0xaaaa, uc.args[0]);
	ASSERT_EQ(0, mshv_vm_unmap(self->vm, TEST_GPA, a, PG));
	vp_run_expect(self->vp, &e, MSHV_EXIT_MEMORY);
	EXPECT_EQ(HVMSG_UNMAPPED_GPA, e.msg_type);
	EXPECT_EQ(TEST_GPA, e.mem.gpa);
	EXPECT_EQ(HV_INTERCEPT_ACCESS_READ, e.access_type);
	/* Map other memory and let the guest retry the same instruction. */
	ASSERT_EQ(0, mshv_vm_map(self->vm, TEST_GPA, b, PG, RW));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(0xbbbb, uc.args[0]);
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(0xbbbb, uc.args[0]);
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
	mshv_vm_unmap(self->vm, TEST_GPA, b, PG);
	mshv_free_guest_mem(a, PG);
	mshv_free_guest_mem(b, PG);
}

TEST_HARNESS_MAIN
