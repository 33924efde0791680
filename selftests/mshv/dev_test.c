// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev_test - /dev/mshv and partition creation (upstream 7.2 semantics,
 * upstream-abi.md section 1).
 *
 * Covered: opening the device (read-write and read-only, as rust-vmm does),
 * MSHV_CREATE_PARTITION v1 with every pt flag, v2 (CPU_AND_XSAVE_FEATURES),
 * INITIALIZE (idempotent), CREATE_VP bounds and duplicates, fd properties.
 * Negative tests: unknown pt flag bits, isolation out of range, every v2
 * reserved byte, wrong bank count, EFAULT for unreadable arguments, ENOTTY
 * for unknown ioctls on all three fd types.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "mshv_test_harness.h"

#define BIT_ULL(n)	(1ULL << (n))

static int create_v1(int devfd, __u64 flags, __u64 isolation)
{
	struct mshv_create_partition args = {
		.pt_flags = flags,
		.pt_isolation = isolation,
	};

	return __mshv_create_partition(devfd, &args);
}

static void v2_defaults(struct mshv_create_partition_v2 *a)
{
	memset(a, 0, sizeof(*a));
	a->pt_flags = MSHV_DEFAULT_PT_FLAGS | BIT_ULL(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	a->pt_num_cpu_fbanks = 2;
}

FIXTURE(dev) {
	int devfd;
};

FIXTURE_SETUP(dev)
{
	self->devfd = open_mshv_dev_or_skip(O_RDWR);
}

FIXTURE_TEARDOWN(dev)
{
	close(self->devfd);
}

/* ---- pt flags: one case per flag, each created and initialized ---- */

FIXTURE(pt_flag) {
	int devfd;
};

FIXTURE_VARIANT(pt_flag) {
	__u64 flags;
};

FIXTURE_VARIANT_ADD(pt_flag, none) { .flags = 0 };

FIXTURE_VARIANT_ADD(pt_flag, lapic) { .flags = BIT_ULL(MSHV_PT_BIT_LAPIC) };

FIXTURE_VARIANT_ADD(pt_flag, x2apic) {
	.flags = BIT_ULL(MSHV_PT_BIT_LAPIC) | BIT_ULL(MSHV_PT_BIT_X2APIC)
};

FIXTURE_VARIANT_ADD(pt_flag, gpa_super_pages) { .flags = BIT_ULL(MSHV_PT_BIT_GPA_SUPER_PAGES) };

FIXTURE_VARIANT_ADD(pt_flag, nested_virtualization) {
	.flags = BIT_ULL(MSHV_PT_BIT_NESTED_VIRTUALIZATION)
};

FIXTURE_VARIANT_ADD(pt_flag, smt_enabled_guest) { .flags = BIT_ULL(MSHV_PT_BIT_SMT_ENABLED_GUEST) };

FIXTURE_VARIANT_ADD(pt_flag, rust_vmm_v1) { .flags = 0x7 };

FIXTURE_SETUP(pt_flag)
{
	self->devfd = open_mshv_dev_or_skip(O_RDWR);
}

FIXTURE_TEARDOWN(pt_flag)
{
	close(self->devfd);
}

TEST_F(pt_flag, create_and_initialize)
{
	int fd = create_v1(self->devfd, variant->flags, MSHV_PT_ISOLATION_NONE);

	ASSERT_LE(0, fd) TH_LOG("MSHV_CREATE_PARTITION pt_flags %#llx: %s",
				(unsigned long long)variant->flags, strerror(-fd));
	ASSERT_EQ(0, __mshv_ioctl(fd, MSHV_INITIALIZE_PARTITION, NULL));
	close(fd);
}

/* ---- v1 validation ---- */

TEST_F(dev, unknown_pt_flag_bits_einval)
{
	int bit;

	for (bit = MSHV_PT_BIT_COUNT; bit < 64; bit++) {
		int fd = create_v1(self->devfd, BIT_ULL(bit), 0);

		EXPECT_EQ(-EINVAL, fd) TH_LOG("pt_flags bit %d accepted (ret %d)", bit, fd);
		if (fd >= 0)
			close(fd);
	}
}

TEST_F(dev, isolation_out_of_range_einval)
{
	static const __u64 bad[] = { MSHV_PT_ISOLATION_COUNT, 2, 3, ~0ULL };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(-EINVAL, create_v1(self->devfd, 0, bad[i]))
			TH_LOG("pt_isolation %#llx", (unsigned long long)bad[i]);
}

TEST_F(dev, create_null_arg_efault)
{
	EXPECT_EQ(-EFAULT, __mshv_create_partition(self->devfd, NULL));
}

TEST_F(dev, read_only_open_creates)
{
	int ro = open_mshv_dev_or_skip(O_RDONLY);
	int fd = create_v1(ro, MSHV_DEFAULT_PT_FLAGS, 0);

	ASSERT_LE(0, fd) TH_LOG("create on an O_RDONLY /dev/mshv: %s", strerror(-fd));
	EXPECT_EQ(0, __mshv_ioctl(fd, MSHV_INITIALIZE_PARTITION, NULL));
	close(fd);
	close(ro);
}

TEST_F(dev, device_node_root_only)
{
	struct stat st;

	ASSERT_EQ(0, stat(MSHV_DEV_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, (int)(st.st_mode & 0777));
}

TEST_F(dev, unknown_ioctl_enotty)
{
	/* Partition-fd numbers and downstream-only numbers are not /dev/mshv's. */
	static const unsigned long cmds[] = {
		_IO(MSHV_IOCTL, 0x30), MSHV_INITIALIZE_PARTITION,
		_IOW(MSHV_IOCTL, 0x01, __u64), _IOW(MSHV_IOCTL, 0xF0, __u64),
		_IO(0xAE, 0x01),
	};
	__u8 buf[256] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		EXPECT_EQ(-ENOTTY, __mshv_ioctl(self->devfd, cmds[i], buf))
			TH_LOG("ioctl %#lx on /dev/mshv", cmds[i]);
}

/* ---- v2 ---- */

TEST_F(dev, v2_create)
{
	struct mshv_create_partition_v2 a;
	int fd;

	v2_defaults(&a);
	fd = __mshv_create_partition(self->devfd, &a);
	ASSERT_LE(0, fd) TH_LOG("v2 create: %s", strerror(-fd));
	EXPECT_EQ(0, __mshv_ioctl(fd, MSHV_INITIALIZE_PARTITION, NULL));
	close(fd);
}

TEST_F(dev, v2_bank_count_einval)
{
	static const __u16 bad[] = { 0, 1, 3, 0xffff };
	struct mshv_create_partition_v2 a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v2_defaults(&a);
		a.pt_num_cpu_fbanks = bad[i];
		EXPECT_EQ(-EINVAL, __mshv_create_partition(self->devfd, &a))
			TH_LOG("pt_num_cpu_fbanks %u", bad[i]);
	}
}

TEST_F(dev, v2_reserved_bytes_einval)
{
	struct mshv_create_partition_v2 a;
	unsigned int i;

	for (i = 0; i < sizeof(a.pt_rsvd); i++) {
		v2_defaults(&a);
		a.pt_rsvd[i] = 1;
		EXPECT_EQ(-EINVAL, __mshv_create_partition(self->devfd, &a))
			TH_LOG("pt_rsvd[%u] = 1", i);
	}
	for (i = 0; i < 2; i++) {
		v2_defaults(&a);
		a.pt_rsvd1[i] = 1ULL << 63;
		EXPECT_EQ(-EINVAL, __mshv_create_partition(self->devfd, &a))
			TH_LOG("pt_rsvd1[%u] = 1 << 63", i);
	}
}

TEST_F(dev, v2_revalidates_flags)
{
	struct mshv_create_partition_v2 a;

	v2_defaults(&a);
	a.pt_isolation = 1;
	EXPECT_EQ(-EINVAL, __mshv_create_partition(self->devfd, &a));
	v2_defaults(&a);
	a.pt_flags |= BIT_ULL(MSHV_PT_BIT_COUNT);
	EXPECT_EQ(-EINVAL, __mshv_create_partition(self->devfd, &a));
}

/*
 * Bank bits are *disabled* features, passed to the hypervisor verbatim;
 * the partition's PROCESSOR_FEATURES0 property (enabled features) must
 * then lack them.  Bank 0 bit 0 is SSE3, bit 7 POPCNT.
 */
TEST_F(dev, v2_disabled_features_hidden)
{
	struct hv_input_get_partition_property in = {
		.property_code = HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0,
	};
	struct mshv_create_partition_v2 a;
	__u64 feat = ~0ULL;
	__u16 status = 0;
	int fd, ret;

	v2_defaults(&a);
	a.pt_cpu_fbanks[0] = BIT_ULL(0) | BIT_ULL(7);
	fd = __mshv_create_partition(self->devfd, &a);
	ASSERT_LE(0, fd) TH_LOG("v2 create: %s", strerror(-fd));
	ret = mshv_hvcall(fd, HVCALL_GET_PARTITION_PROPERTY, 0, &in, sizeof(in), &feat,
			  sizeof(feat), &status);
	ASSERT_EQ(0, ret) TH_LOG("GET_PARTITION_PROPERTY(FEATURES0): %d, status %#x", ret, status);
	EXPECT_EQ(0, feat & (BIT_ULL(0) | BIT_ULL(7)))
		TH_LOG("enabled features %#llx still include disabled SSE3/POPCNT",
		       (unsigned long long)feat);
	close(fd);
}

/* Without bit 3 only the first 16 bytes are read: v2 garbage is ignored. */
TEST_F(dev, v1_ignores_v2_tail)
{
	struct mshv_create_partition_v2 a;
	int fd;

	memset(&a, 0xff, sizeof(a));
	a.pt_flags = MSHV_DEFAULT_PT_FLAGS;
	a.pt_isolation = 0;
	fd = __mshv_create_partition(self->devfd, &a);
	ASSERT_LE(0, fd) TH_LOG("v1 with a garbage v2 tail: %s", strerror(-fd));
	close(fd);
}

/* A v1 struct at the end of a readable page: v2 must fault, v1 must not. */
TEST_F(dev, v2_short_buffer_efault)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct mshv_create_partition *v1;
	int fd;

	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, mprotect(map + pg, pg, PROT_NONE));
	v1 = (void *)(map + pg - sizeof(*v1));
	v1->pt_flags = MSHV_DEFAULT_PT_FLAGS;
	v1->pt_isolation = 0;
	fd = __mshv_create_partition(self->devfd, v1);
	ASSERT_LE(0, fd) TH_LOG("v1 at a page end: %s", strerror(-fd));
	close(fd);
	v1->pt_flags |= BIT_ULL(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES);
	EXPECT_EQ(-EFAULT, __mshv_create_partition(self->devfd, v1));
	munmap(map, 2 * pg);
}

/* ---- partition fd ---- */

FIXTURE(partition) {
	int devfd;
	int fd;
};

FIXTURE_SETUP(partition)
{
	self->devfd = open_mshv_dev_or_skip(O_RDWR);
	self->fd = create_v1(self->devfd, MSHV_DEFAULT_PT_FLAGS, 0);
	ASSERT_LE(0, self->fd) TH_LOG("create: %s", strerror(-self->fd));
}

FIXTURE_TEARDOWN(partition)
{
	close(self->fd);
	close(self->devfd);
}

TEST_F(partition, fd_flags_and_name)
{
	char path[64], link[128] = { 0 };

	EXPECT_EQ(FD_CLOEXEC, fcntl(self->fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(self->fd, F_GETFL) & O_ACCMODE);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->fd);
	ASSERT_LT(0, readlink(path, link, sizeof(link) - 1));
	EXPECT_STREQ("anon_inode:mshv_partition", link);
}

TEST_F(partition, initialize_idempotent)
{
	EXPECT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
	EXPECT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
	EXPECT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
}

TEST_F(partition, unknown_ioctl_enotty)
{
	/* VP and /dev/mshv numbers, downstream-only 0x08-0x0A and 0xF0-0xF9 */
	static const unsigned long cmds[] = {
		MSHV_RUN_VP, MSHV_GET_VP_STATE, MSHV_CREATE_PARTITION,
		_IOW(MSHV_IOCTL, 0x08, __u64), _IOW(MSHV_IOCTL, 0x09, __u64),
		_IOW(MSHV_IOCTL, 0x0A, __u64), _IOW(MSHV_IOCTL, 0xF0, __u64),
		_IOW(MSHV_IOCTL, 0xF9, __u64), _IO(MSHV_IOCTL, 0x7f),
	};
	__u8 buf[256] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		EXPECT_EQ(-ENOTTY, __mshv_ioctl(self->fd, cmds[i], buf))
			TH_LOG("ioctl %#lx on a partition fd", cmds[i]);
}

TEST_F(partition, create_vp_bounds)
{
	int vp0, vp255, ret;

	ASSERT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
	vp0 = __mshv_create_vp(self->fd, 0);
	ASSERT_LE(0, vp0) TH_LOG("CREATE_VP 0: %s", strerror(-vp0));
	vp255 = __mshv_create_vp(self->fd, 255);
	ASSERT_LE(0, vp255) TH_LOG("CREATE_VP 255: %s", strerror(-vp255));
	EXPECT_EQ(-EINVAL, __mshv_create_vp(self->fd, 256));
	EXPECT_EQ(-EINVAL, __mshv_create_vp(self->fd, 0xffffffff));
	ret = __mshv_create_vp(self->fd, 0);
	EXPECT_EQ(-EEXIST, ret);
	EXPECT_EQ(-EEXIST, __mshv_create_vp(self->fd, 255));
	close(vp0);
	close(vp255);
}

TEST_F(partition, create_vp_efault)
{
	ASSERT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
	EXPECT_EQ(-EFAULT, __mshv_ioctl(self->fd, MSHV_CREATE_VP, NULL));
}

TEST_F(partition, vp_fd_flags_name_and_enotty)
{
	static const unsigned long cmds[] = {
		MSHV_INITIALIZE_PARTITION, MSHV_CREATE_VP, MSHV_SET_GUEST_MEMORY,
		_IOW(MSHV_IOCTL, 0xF0, __u64), _IOWR(MSHV_IOCTL, 0xF6, __u64),
	};
	char path[64], link[128] = { 0 };
	__u8 buf[256] = { 0 };
	unsigned int i;
	int vp;

	ASSERT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
	vp = __mshv_create_vp(self->fd, 0);
	ASSERT_LE(0, vp);
	EXPECT_EQ(FD_CLOEXEC, fcntl(vp, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(vp, F_GETFL) & O_ACCMODE);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", vp);
	ASSERT_LT(0, readlink(path, link, sizeof(link) - 1));
	EXPECT_STREQ("anon_inode:mshv_vp", link);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		EXPECT_EQ(-ENOTTY, __mshv_ioctl(vp, cmds[i], buf))
			TH_LOG("ioctl %#lx on a VP fd", cmds[i]);
	close(vp);
}

TEST_F(partition, vp_mmap_offsets)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p;
	int vp;

	ASSERT_EQ(0, __mshv_ioctl(self->fd, MSHV_INITIALIZE_PARTITION, NULL));
	vp = __mshv_create_vp(self->fd, 0);
	ASSERT_LE(0, vp);
	/* Unknown offsets: EINVAL.  GHCB only exists for SNP: ENODEV. */
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, vp, MSHV_VP_MMAP_OFFSET_COUNT * pg);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, vp, MSHV_VP_MMAP_OFFSET_GHCB * pg);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENODEV, errno);
	/* A non-SNP partition has a register page. */
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, vp,
		 MSHV_VP_MMAP_OFFSET_REGISTERS * pg);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("register page mmap: %s", strerror(errno));
	munmap(p, pg);
	close(vp);
}

TEST_HARNESS_MAIN
