// SPDX-License-Identifier: GPL-2.0-only
/*
 * vp_state_test - MSHV_GET_VP_STATE / MSHV_SET_VP_STATE (upstream-abi.md
 * section 1.4: validation order, data sizes per type, buf_sz written back
 * before the size check).
 *
 * Covered: the size of each state type (LAPIC, SIMP, SIEFP 4096; synthetic
 * timers 200; XSAVE the partition's MAX_XSAVE_DATA_SIZE property), get/set
 * round trips, and buf_sz written back even when the buffer is too small.
 * Negative: type out of range, every rsvd byte, buf_sz 0 or not page
 * aligned, buf_ptr not page aligned, a kernel address (EFAULT).
 */
#include <unistd.h>
#include <sys/mman.h>

#include "mshv_test_harness.h"

#define PG		4096
#define HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE	0x00060008

FIXTURE(state) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	__u8 *buf;		/* 4 pages, page aligned */
};

FIXTURE_SETUP(state)
{
	self->vm = vm_create_default();
	self->vp = vm_add_vp(self->vm, 0, NULL);
	self->buf = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->buf);
}

FIXTURE_TEARDOWN(state)
{
	munmap(self->buf, 4 * PG);
	mshv_vm_free(self->vm);
}

static int vp_state(struct mshv_vp *vp, unsigned long cmd, __u8 type, void *buf,
		    __u32 *size)
{
	struct mshv_get_set_vp_state a;
	int ret;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.buf_sz = *size;
	a.buf_ptr = (__u64)(uintptr_t)buf;
	ret = __mshv_ioctl(mshv_vp_fd(vp), cmd, &a);
	*size = a.buf_sz;
	return ret;
}

TEST_F(state, sizes_per_type)
{
	static const struct { __u8 type; __u32 size; const char *name; } t[] = {
		{ MSHV_VP_STATE_LAPIC, 4096, "LAPIC" },
		{ MSHV_VP_STATE_SIMP, 4096, "SIMP" },
		{ MSHV_VP_STATE_SIEFP, 4096, "SIEFP" },
		{ MSHV_VP_STATE_SYNTHETIC_TIMERS, 200, "SYNTHETIC_TIMERS" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		__u32 size = 2 * PG;
		int ret = vp_state(self->vp, MSHV_GET_VP_STATE, t[i].type, self->buf, &size);

		EXPECT_EQ(0, ret) TH_LOG("GET_VP_STATE %s: %s", t[i].name, strerror(-ret));
		EXPECT_EQ(t[i].size, size) TH_LOG("GET_VP_STATE %s size", t[i].name);
	}
}

TEST_F(state, xsave_size_is_partition_property)
{
	__u64 max = 0;
	__u32 size = 4 * PG;
	int ret;

	ret = mshv_vm_get_property(self->vm, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE, &max);
	ASSERT_EQ(0, ret) TH_LOG("MAX_XSAVE_DATA_SIZE: %s", strerror(-ret));
	ASSERT_LE(max, 4 * PG) TH_LOG("xsave area of %llu bytes", (unsigned long long)max);
	ret = vp_state(self->vp, MSHV_GET_VP_STATE, MSHV_VP_STATE_XSAVE, self->buf, &size);
	EXPECT_EQ(0, ret) TH_LOG("GET_VP_STATE XSAVE: %s", strerror(-ret));
	EXPECT_EQ(max, size);
}

/* Too small: the required size is still written back, then -EINVAL. */
TEST_F(state, required_size_written_back)
{
	__u64 max = 0;
	__u32 size = PG;

	ASSERT_EQ(0, mshv_vm_get_property(self->vm, HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE,
					  &max));
	if (max <= PG)
		SKIP(return, "xsave area (%llu bytes) fits one page", (unsigned long long)max);
	EXPECT_EQ(-EINVAL, vp_state(self->vp, MSHV_GET_VP_STATE, MSHV_VP_STATE_XSAVE,
				    self->buf, &size));
	EXPECT_EQ(max, size);
}

TEST_F(state, round_trips)
{
	static const __u8 types[] = {
		MSHV_VP_STATE_LAPIC, MSHV_VP_STATE_XSAVE, MSHV_VP_STATE_SIMP,
		MSHV_VP_STATE_SIEFP, MSHV_VP_STATE_SYNTHETIC_TIMERS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		__u32 size = 4 * PG, got;
		int ret;

		memset(self->buf, 0xcc, 4 * PG);
		ret = vp_state(self->vp, MSHV_GET_VP_STATE, types[i], self->buf, &size);
		ASSERT_EQ(0, ret) TH_LOG("GET type %u: %s", types[i], strerror(-ret));
		got = size;
		size = 4 * PG;
		ret = vp_state(self->vp, MSHV_SET_VP_STATE, types[i], self->buf, &size);
		EXPECT_EQ(0, ret) TH_LOG("SET type %u with what GET returned: %s", types[i],
					 strerror(-ret));
		EXPECT_EQ(got, size) TH_LOG("SET type %u buf_sz", types[i]);
	}
}

TEST_F(state, validation_einval)
{
	struct mshv_get_set_vp_state a;
	unsigned int i, cmd;
	__u32 size;

	for (cmd = 0; cmd < 2; cmd++) {
		unsigned long c = cmd ? MSHV_SET_VP_STATE : MSHV_GET_VP_STATE;

		size = PG;
		EXPECT_EQ(-EINVAL, vp_state(self->vp, c, MSHV_VP_STATE_COUNT, self->buf, &size));
		size = PG;
		EXPECT_EQ(-EINVAL, vp_state(self->vp, c, 0xff, self->buf, &size));
		size = 0;
		EXPECT_EQ(-EINVAL, vp_state(self->vp, c, MSHV_VP_STATE_LAPIC, self->buf, &size));
		size = PG + 8;
		EXPECT_EQ(-EINVAL, vp_state(self->vp, c, MSHV_VP_STATE_LAPIC, self->buf, &size));
		size = PG;
		EXPECT_EQ(-EINVAL, vp_state(self->vp, c, MSHV_VP_STATE_LAPIC, self->buf + 8,
					    &size));
		for (i = 0; i < sizeof(a.rsvd); i++) {
			memset(&a, 0, sizeof(a));
			a.type = MSHV_VP_STATE_LAPIC;
			a.rsvd[i] = 1;
			a.buf_sz = PG;
			a.buf_ptr = (__u64)(uintptr_t)self->buf;
			EXPECT_EQ(-EINVAL, __mshv_ioctl(mshv_vp_fd(self->vp), c, &a))
				TH_LOG("rsvd[%u]", i);
		}
	}
}

TEST_F(state, kernel_address_efault)
{
	__u32 size = PG;

	EXPECT_EQ(-EFAULT, vp_state(self->vp, MSHV_GET_VP_STATE, MSHV_VP_STATE_LAPIC,
				    (void *)0xffff888000000000ULL, &size));
	EXPECT_EQ(-EFAULT, __mshv_ioctl(mshv_vp_fd(self->vp), MSHV_GET_VP_STATE, NULL));
}

TEST_HARNESS_MAIN
