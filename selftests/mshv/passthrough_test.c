// SPDX-License-Identifier: GPL-2.0-only
/*
 * passthrough_test - MSHV_ROOT_HVCALL (upstream-abi.md section 1.5).
 *
 * Every hypercall code 0x000-0x1FF is issued on a partition fd, a VP fd and
 * /dev/mshv.  A code outside the fd's allow-list must fail with -EINVAL
 * before reaching the hypervisor, so its status stays 0.  An allowed code
 * reaches the hypervisor: it either succeeds or fails with the hypervisor's
 * status written back (non-zero).  Also covered: argument validation
 * (status, rsvd, in_ptr, in_sz, out_ptr/out_sz), the partition id being
 * overwritten by the kernel, reps written back, SET_PARTITION_PROPERTY
 * (async) refused on the VP fd, output copied back only on success.
 */
#include <fcntl.h>
#include <unistd.h>

#include "mshv_test_harness.h"

static const __u16 partition_allow[] = {
	0x0044, 0x0101, 0x0045, 0x004D, 0x0050, 0x0051, 0x0052, 0x0056,
	0x0091, 0x0094, 0x00C9, 0x00C0, 0x00C1, 0x00F4,
};

static const __u16 dev_allow[] = { 0x0044, 0x0101 };

static bool in_list(const __u16 *list, unsigned int n, __u16 code)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (list[i] == code)
			return true;
	return false;
}

static bool is_rep_code(__u16 code)
{
	return code == HVCALL_GET_VP_REGISTERS || code == HVCALL_SET_VP_REGISTERS ||
	       code == HVCALL_GET_GPA_PAGES_ACCESS_STATES ||
	       code == HVCALL_GET_VP_CPUID_VALUES;
}

/*
 * Issue @code with a harmless input: zeroes, with bytes 16-19 naming RAX so
 * that the register calls touch only RAX of VP 0.
 */
static int try_code(int fd, __u16 code, __u16 *status)
{
	static __u64 in[512], out[512];
	struct mshv_root_hvcall a;
	int ret;

	memset(in, 0, sizeof(in));
	((__u32 *)in)[4] = HV_X64_REGISTER_RAX;
	memset(&a, 0, sizeof(a));
	a.code = code;
	a.reps = is_rep_code(code) ? 1 : 0;
	a.in_sz = 64;
	a.in_ptr = (__u64)(uintptr_t)in;
	a.out_sz = sizeof(out);
	a.out_ptr = (__u64)(uintptr_t)out;
	ret = mshv_root_hvcall(fd, &a);
	*status = a.status;
	return ret;
}

static void sweep(struct __test_metadata *_metadata, int fd, const __u16 *allow,
		  unsigned int nallow, const char *what, __u16 refused_allowed)
{
	unsigned int code, admitted = 0;

	for (code = 0; code <= 0x1FF; code++) {
		bool allowed = in_list(allow, nallow, code) && code != refused_allowed;
		__u16 status = 0;
		int ret = try_code(fd, code, &status);

		if (allowed) {
			/* Reached the hypervisor: success, or its status. */
			EXPECT_TRUE(ret == 0 || status != 0)
				TH_LOG("%s: allowed code %#x %s (ret %d, status 0)",
				       what, code, "rejected by the kernel", ret);
			admitted++;
		} else {
			EXPECT_EQ(-EINVAL, ret)
				TH_LOG("%s: code %#x is not in the allow-list but returned %d",
				       what, code, ret);
			EXPECT_EQ(0, status)
				TH_LOG("%s: code %#x not allowed yet status %#x was written",
				       what, code, status);
		}
	}
	TH_LOG("%s: %u codes admitted", what, admitted);
}

FIXTURE(hvcall) {
	struct mshv_vm *vm;
	int vpfd;
};

FIXTURE_SETUP(hvcall)
{
	open_mshv_dev_or_skip(O_RDWR);
	self->vm = vm_create_default();
	self->vpfd = __mshv_create_vp(mshv_vm_fd(self->vm), 0);
	ASSERT_LE(0, self->vpfd);
}

FIXTURE_TEARDOWN(hvcall)
{
	close(self->vpfd);
	mshv_vm_free(self->vm);
}

TEST_F(hvcall, partition_fd_allow_list)
{
	sweep(_metadata, mshv_vm_fd(self->vm), partition_allow,
	      sizeof(partition_allow) / 2, "partition fd", 0xffff);
}

/* The VP fd has the partition list, but async SET_PARTITION_PROPERTY is refused. */
TEST_F(hvcall, vp_fd_allow_list)
{
	sweep(_metadata, self->vpfd, partition_allow, sizeof(partition_allow) / 2,
	      "VP fd", HVCALL_SET_PARTITION_PROPERTY);
}

TEST_F(hvcall, dev_fd_allow_list)
{
	sweep(_metadata, mshv_vm_dev_fd(self->vm), dev_allow, sizeof(dev_allow) / 2,
	      "/dev/mshv", 0xffff);
}

static void base_args(struct mshv_root_hvcall *a, void *in, void *out)
{
	struct hv_input_get_vp_registers *h = in;

	memset(a, 0, sizeof(*a));
	memset(h, 0, sizeof(*h) + 4);
	h->names[0] = HV_X64_REGISTER_RIP;
	a->code = HVCALL_GET_VP_REGISTERS;
	a->reps = 1;
	a->in_sz = sizeof(*h) + 4;
	a->in_ptr = (__u64)(uintptr_t)in;
	a->out_sz = 16;
	a->out_ptr = (__u64)(uintptr_t)out;
}

TEST_F(hvcall, valid_get_vp_registers)
{
	__u64 in[8], out[2] = { 0 };
	struct mshv_root_hvcall a;

	base_args(&a, in, out);
	ASSERT_EQ(0, mshv_root_hvcall(self->vpfd, &a));
	EXPECT_EQ(0, a.status);
	EXPECT_EQ(1, a.reps);
}

TEST_F(hvcall, argument_validation_einval)
{
	__u64 in[8], out[2];
	struct mshv_root_hvcall a;
	unsigned int i;

	base_args(&a, in, out);
	a.status = 1;
	EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("status != 0");
	for (i = 0; i < sizeof(a.rsvd); i++) {
		base_args(&a, in, out);
		a.rsvd[i] = 1;
		EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("rsvd[%u]", i);
	}
	base_args(&a, in, out);
	a.in_ptr = 0;
	EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("in_ptr 0");
	base_args(&a, in, out);
	a.in_sz = 7;
	EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("in_sz 7");
	base_args(&a, in, out);
	a.in_sz = 4097;
	EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("in_sz 4097");
	base_args(&a, in, out);
	a.out_sz = 0;
	EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("out_ptr with out_sz 0");
	base_args(&a, in, out);
	a.out_sz = 4097;
	EXPECT_EQ(-EINVAL, mshv_root_hvcall(self->vpfd, &a)) TH_LOG("out_sz 4097");
}

TEST_F(hvcall, bad_pointers_efault)
{
	__u64 in[8], out[2];
	struct mshv_root_hvcall a;

	base_args(&a, in, out);
	a.in_ptr = 8;	/* never mapped */
	EXPECT_EQ(-EFAULT, mshv_root_hvcall(self->vpfd, &a));
	EXPECT_EQ(-EFAULT, __mshv_ioctl(self->vpfd, MSHV_ROOT_HVCALL, NULL));
}

/* The first 8 input bytes are replaced by the fd's partition id. */
TEST_F(hvcall, partition_id_overwritten)
{
	__u64 in[8], out[2];
	struct mshv_root_hvcall a;

	base_args(&a, in, out);
	in[0] = 0xdeadbeefcafe;
	ASSERT_EQ(0, mshv_root_hvcall(self->vpfd, &a));
	EXPECT_EQ(0, a.status);
	base_args(&a, in, out);
	in[0] = HV_PARTITION_ID_SELF;
	ASSERT_EQ(0, mshv_root_hvcall(mshv_vm_fd(self->vm), &a));
}

TEST_F(hvcall, reps_written_back)
{
	__u32 names[5] = {
		HV_X64_REGISTER_RAX, HV_X64_REGISTER_RBX, HV_X64_REGISTER_RIP,
		HV_X64_REGISTER_RFLAGS, HV_X64_REGISTER_CR0,
	};
	__u64 in[(16 + sizeof(names) + 7) / 8];
	__u64 out[10];
	struct mshv_root_hvcall a;

	memset(in, 0, sizeof(in));
	memcpy((__u8 *)in + 16, names, sizeof(names));
	memset(&a, 0, sizeof(a));
	a.code = HVCALL_GET_VP_REGISTERS;
	a.reps = 5;
	a.in_sz = 16 + sizeof(names);
	a.in_ptr = (__u64)(uintptr_t)in;
	a.out_sz = sizeof(out);
	a.out_ptr = (__u64)(uintptr_t)out;
	ASSERT_EQ(0, mshv_root_hvcall(self->vpfd, &a));
	EXPECT_EQ(5, a.reps);
	EXPECT_EQ(HV_STATUS_SUCCESS, a.status);
}

/* A failing call leaves the user's output buffer untouched. */
TEST_F(hvcall, output_not_copied_on_failure)
{
	__u64 in[8], out[2] = { 0x1111111111111111ULL, 0x2222222222222222ULL };
	struct mshv_root_hvcall a;
	int ret;

	base_args(&a, in, out);
	((struct hv_input_get_vp_registers *)in)->vp_index = 200;	/* no such VP */
	ret = mshv_root_hvcall(mshv_vm_fd(self->vm), &a);
	EXPECT_NE(0, ret);
	EXPECT_NE(0, a.status) TH_LOG("the hypervisor's status must be written back");
	EXPECT_EQ(HV_STATUS_INVALID_VP_INDEX, a.status);
	EXPECT_EQ(0x1111111111111111ULL, out[0]);
	EXPECT_EQ(0x2222222222222222ULL, out[1]);
}

TEST_F(hvcall, async_set_property_refused_on_vp_fd)
{
	struct hv_input_set_partition_property in = {
		.property_code = HV_PARTITION_PROPERTY_UNIMPLEMENTED_MSR_ACTION,
		.property_value = 1,
	};
	__u16 status = 0xffff;

	EXPECT_EQ(-EINVAL, mshv_hvcall(self->vpfd, HVCALL_SET_PARTITION_PROPERTY, 0,
				       &in, sizeof(in), NULL, 0, &status));
	EXPECT_EQ(0, status);
}

TEST_F(hvcall, dev_fd_get_property_self)
{
	struct hv_input_get_partition_property in = {
		.partition_id = 0x1234,
		.property_code = HV_PARTITION_PROPERTY_PROCESSOR_FEATURES0,
	};
	__u64 out = 0;
	__u16 status = 0;
	int ret;

	ret = mshv_hvcall(mshv_vm_dev_fd(self->vm), HVCALL_GET_PARTITION_PROPERTY, 0,
			  &in, sizeof(in), &out, sizeof(out), &status);
	EXPECT_EQ(0, ret) TH_LOG("GET_PARTITION_PROPERTY(SELF, FEATURES0): %d status %#x",
				 ret, status);
}

TEST_HARNESS_MAIN
