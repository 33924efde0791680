// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_code_test - guest code in C and the ucall channel.
 *
 * The guest functions below run inside the partition in 64-bit mode, at
 * the addresses they have in this binary.  Covered: GUEST_SYNC values
 * reaching the host, the host resuming the guest, GUEST_DONE, a failing
 * GUEST_ASSERT_EQ reported with its file, line and values, and globals
 * shared through the guest's copy of .data/.bss, several VPs running guest
 * code concurrently from host threads.
 * Negative: a guest assertion is reported as UCALL_ABORT (never resumed).
 */
#include <pthread.h>

#include "mshv_test_harness.h"
#include <mshv/guest.h>

static __u64 guest_counter;
static __u64 host_value;

static void guest_sync_loop(void)
{
	__u64 i;

	for (i = 0; i < 5; i++)
		GUEST_SYNC(i * 3);
	GUEST_DONE();
}

static const __u64 assert_line = __LINE__ + 6;	/* the GUEST_ASSERT_EQ below */

static void guest_assert_fails(void)
{
	__u64 x = 41;

	GUEST_ASSERT_EQ(x + 1, 43);
	GUEST_DONE();
}

static void guest_globals(void)
{
	guest_counter = 0x1234;
	GUEST_SYNC(1);
	GUEST_ASSERT_EQ(host_value, 0xfeedface);
	guest_counter = host_value + 1;
	GUEST_DONE();
}

static int fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void guest_compute(void)
{
	/* Recursion, stack use and arithmetic in guest C code. */
	GUEST_SYNC(fib(15));
	GUEST_DONE();
}

FIXTURE(guest) {
	struct mshv_vm *vm;
	struct mshv_vp *vp;
};

/* A long-mode VM and VP 0; each test sets the entry point. */
FIXTURE_SETUP(guest)
{
	self->vm = vm_create_with_one_vp(&self->vp, NULL);
}

FIXTURE_TEARDOWN(guest)
{
	mshv_vm_free(self->vm);
}

TEST_F(guest, sync_values_and_done)
{
	struct mshv_ucall_info uc;
	__u64 i;

	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_sync_loop, 0));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
		EXPECT_EQ(1, uc.nargs);
		EXPECT_EQ(i * 3, uc.args[0]);
	}
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
}

TEST_F(guest, assert_reports_file_line)
{
	struct mshv_ucall_info uc;
	struct mshv_exit exit;

	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_assert_fails, 0));
	vp_run_expect(self->vp, &exit, MSHV_EXIT_IO);
	ASSERT_EQ(UCALL_ABORT, mshv_ucall_decode(self->vm, &exit, &uc));
	EXPECT_EQ(2, uc.nargs);
	EXPECT_EQ(42, uc.args[0]);
	EXPECT_EQ(43, uc.args[1]);
	EXPECT_NE(NULL, strstr(uc.file, "guest_code_test.c"));
	EXPECT_EQ(assert_line, uc.line);
	EXPECT_STREQ("GUEST_ASSERT_EQ(x + 1, 43)", uc.expr);
	EXPECT_EQ(MSHV_UCALL_PORT, exit.io.port);
}

TEST_F(guest, globals_shared)
{
	struct mshv_ucall_info uc;

	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_globals, 0));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	sync_global_from_guest(self->vm, guest_counter);
	EXPECT_EQ(0x1234, guest_counter);
	host_value = 0xfeedface;
	sync_global_to_guest(self->vm, host_value);
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
	sync_global_from_guest(self->vm, guest_counter);
	EXPECT_EQ(0xfeedface + 1, guest_counter);
}

TEST_F(guest, recursion)
{
	struct mshv_ucall_info uc;

	ASSERT_EQ(0, mshv_vp_setup_long_mode(self->vp, (__u64)guest_compute, 0));
	ASSERT_EQ(UCALL_SYNC, vp_run_ucall(self->vp, &uc));
	EXPECT_EQ(610, uc.args[0]);
	ASSERT_EQ(UCALL_DONE, vp_run_ucall(self->vp, &uc));
}

#define NR_WORKERS	4
#define ROUNDS		50

static void guest_worker(__u64 idx)
{
	__u64 i;

	for (i = 0; i < ROUNDS; i++)
		GUEST_SYNC2(idx, i);
	GUEST_DONE();
}

static void *host_worker(void *arg)
{
	struct mshv_vp *vp = arg;
	struct mshv_ucall_info uc;
	__u64 i;

	for (i = 0; i < ROUNDS; i++) {
		TEST_ASSERT_EQ(UCALL_SYNC, vp_run_ucall(vp, &uc));
		TEST_ASSERT_EQ(mshv_vp_index(vp), uc.args[0]);
		TEST_ASSERT_EQ(i, uc.args[1]);
	}
	TEST_ASSERT_EQ(UCALL_DONE, vp_run_ucall(vp, &uc));
	return NULL;
}

/* Several VPs of one partition run the same guest code concurrently. */
TEST_F_TIMEOUT(guest, vps_in_threads, 120)
{
	struct mshv_vp *vps[NR_WORKERS];
	pthread_t th[NR_WORKERS];
	unsigned int i;

	vps[0] = self->vp;
	for (i = 1; i < NR_WORKERS; i++)
		vps[i] = vm_add_vp(self->vm, i, NULL);
	for (i = 0; i < NR_WORKERS; i++) {
		ASSERT_EQ(0, mshv_vp_setup_long_mode(vps[i], (__u64)guest_worker, i));
		ASSERT_EQ(0, pthread_create(&th[i], NULL, host_worker, vps[i]));
	}
	for (i = 0; i < NR_WORKERS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
}

TEST_HARNESS_MAIN
