// SPDX-License-Identifier: GPL-2.0-only
/*
 * lifecycle_test - fd lifetimes, signals, fork and scale
 * (upstream-abi.md sections 1.1 and 1.4: a partition is destroyed when its
 * last reference - the partition fd or any VP fd - goes away; RUN_VP
 * returns -EINTR when a signal interrupts it).
 *
 * Covered: every close order of /dev/mshv, partition and VP fds, a VP fd
 * that outlives its partition fd and still runs its guest, SIGALRM
 * interrupting RUN_VP on a spinning guest (EINTR, guest resumable), the
 * partition fd closed while another thread runs the VP, a forked
 * child exiting without destroying the parent's partition, a forked child
 * creating and running its own partition, 64 partitions at once, 256 VPs in
 * one partition, SIGUSR1 every 100 us against a guest doing OUTs (every IO
 * exit arrives exactly once and in order; -EINTR only after a signal).
 */
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "mshv_test_harness.h"

static const __u8 spin_code[] = { 0xeb, 0xfe, 0xf4 };		/* jmp $; hlt */
/* mov al, 0x5a; out 0x42, al; hlt */
static const __u8 out_code[] = { 0xb0, 0x5a, 0xe6, 0x42, 0xf4 };

#define RM_IP	0x1000

/* A TAP diagnostic line; flushed, as the harness ends each test with _exit(). */
#define test_diag(fmt, ...) do {					\
	ksft_print_msg(fmt, ##__VA_ARGS__);				\
	fflush(stdout);							\
} while (0)

FIXTURE(lc) {
	int devfd;
};

FIXTURE_SETUP(lc)
{
	self->devfd = open_mshv_dev_or_skip(O_RDWR);
}

FIXTURE_TEARDOWN(lc)
{
	close(self->devfd);
}

static int new_partition(int devfd)
{
	struct mshv_create_partition a = { .pt_flags = MSHV_DEFAULT_PT_FLAGS };
	int fd = __mshv_create_partition(devfd, &a);

	if (fd >= 0 && __mshv_ioctl(fd, MSHV_INITIALIZE_PARTITION, NULL)) {
		close(fd);
		return -EIO;
	}
	return fd;
}

TEST_F(lc, close_vp_then_partition)
{
	int pt = new_partition(self->devfd), vp;

	ASSERT_LE(0, pt);
	vp = __mshv_create_vp(pt, 0);
	ASSERT_LE(0, vp);
	EXPECT_EQ(0, close(vp));
	EXPECT_EQ(0, close(pt));
}

TEST_F(lc, close_partition_then_vp)
{
	int pt = new_partition(self->devfd), vp;

	ASSERT_LE(0, pt);
	vp = __mshv_create_vp(pt, 0);
	ASSERT_LE(0, vp);
	EXPECT_EQ(0, close(pt));
	EXPECT_EQ(0, close(vp));
}

TEST_F(lc, close_dev_first)
{
	int dev = open_mshv_dev_or_skip(O_RDWR);
	int pt = new_partition(dev), vp;

	ASSERT_LE(0, pt);
	EXPECT_EQ(0, close(dev));
	vp = __mshv_create_vp(pt, 0);
	ASSERT_LE(0, vp) TH_LOG("CREATE_VP after closing /dev/mshv: %s", strerror(-vp));
	close(vp);
	close(pt);
}

/* The VP fd keeps the partition (and its memory) alive and runnable. */
TEST_F(lc, vp_fd_outlives_partition_fd)
{
	struct mshv_vp *vp;
	struct mshv_vm *vm = vm_create_real_mode(&vp, out_code, sizeof(out_code), RM_IP, NULL);
	struct mshv_exit e;

	/* Close the partition and /dev/mshv fds behind the library's back. */
	close(mshv_vm_fd(vm));
	close(mshv_vm_dev_fd(vm));
	EXPECT_EQ(RM_IP, vp_get_reg(vp, HV_X64_REGISTER_RIP));
	vp_run_expect(vp, &e, MSHV_EXIT_IO);
	EXPECT_EQ(0x42, e.io.port);
	EXPECT_EQ(0x5a, e.io.rax & 0xff);
	vp_skip_insn(vp, &e);
	vp_run_expect(vp, &e, MSHV_EXIT_HALT);
	/* Partition-fd ioctls on the closed fd fail with EBADF. */
	EXPECT_EQ(-EBADF, __mshv_ioctl(mshv_vm_fd(vm), MSHV_INITIALIZE_PARTITION, NULL));
}

static int alarm_fired;

static void on_alarm(int sig)
{
	(void)sig;
	__atomic_store_n(&alarm_fired, 1, __ATOMIC_SEQ_CST);
}

TEST_F_TIMEOUT(lc, signal_interrupts_run_vp, 120)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct mshv_run_vp run;
	struct mshv_exit e;
	struct mshv_vp *vp;
	struct mshv_vm *vm = vm_create_real_mode(&vp, spin_code, sizeof(spin_code),
						 RM_IP, NULL);
	int ret;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	/* An EINTR before the alarm is not the one under test: re-enter. */
	do {
		ret = __mshv_ioctl(mshv_vp_fd(vp), MSHV_RUN_VP, &run);
	} while (ret == -EINTR && !__atomic_load_n(&alarm_fired, __ATOMIC_SEQ_CST));
	EXPECT_EQ(-EINTR, ret) TH_LOG("RUN_VP on a spinning guest returned %d, want -EINTR", ret);
	EXPECT_TRUE(__atomic_load_n(&alarm_fired, __ATOMIC_SEQ_CST));
	/* The guest was stopped in its loop and can be redirected and resumed. */
	EXPECT_EQ(RM_IP, vp_get_reg(vp, HV_X64_REGISTER_RIP));
	vp_set_reg(vp, HV_X64_REGISTER_RIP, RM_IP + 2);
	vp_run_expect(vp, &e, MSHV_EXIT_HALT);
	mshv_vm_free(vm);
}

TEST_F(lc, fork_child_exit_keeps_partition)
{
	struct mshv_vp *vp;
	struct mshv_vm *vm = vm_create_real_mode(&vp, out_code, sizeof(out_code), RM_IP, NULL);
	struct mshv_exit e;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The child drops its copies of every fd and exits. */
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	vp_run_expect(vp, &e, MSHV_EXIT_IO);
	EXPECT_EQ(0x42, e.io.port);
	mshv_vm_free(vm);
}

TEST_F(lc, fork_child_runs_own_partition)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mshv_vp *vp;
		struct mshv_vm *vm = vm_create_real_mode(&vp, out_code, sizeof(out_code),
							 RM_IP, NULL);
		struct mshv_exit e;

		vp_run_expect(vp, &e, MSHV_EXIT_IO);
		TEST_ASSERT_EQ(0x42, e.io.port);
		mshv_vm_free(vm);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status %#x", status);
}

TEST_F_TIMEOUT(lc, many_partitions, 300)
{
	int fds[64];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		fds[i] = new_partition(self->devfd);
		ASSERT_LE(0, fds[i]) TH_LOG("partition %u: %s", i, strerror(-fds[i]));
	}
	for (i = 0; i < 64; i++) {
		int vp = __mshv_create_vp(fds[i], i);

		EXPECT_LE(0, vp) TH_LOG("VP %u in partition %u", i, i);
		if (vp >= 0)
			close(vp);
	}
	for (i = 0; i < 64; i++)
		EXPECT_EQ(0, close(fds[i]));
}

TEST_F_TIMEOUT(lc, max_vps, 300)
{
	int pt = new_partition(self->devfd), vps[256];
	unsigned int i;

	ASSERT_LE(0, pt);
	for (i = 0; i < 256; i++) {
		vps[i] = __mshv_create_vp(pt, i);
		ASSERT_LE(0, vps[i]) TH_LOG("VP %u: %s", i, strerror(-vps[i]));
	}
	EXPECT_EQ(-EINVAL, __mshv_create_vp(pt, 256));
	/* Close in an interleaved order, the partition in the middle. */
	for (i = 0; i < 256; i += 2)
		close(vps[i]);
	close(pt);
	for (i = 1; i < 256; i += 2)
		close(vps[i]);
}

TEST_F(lc, two_vps_run_independently)
{
	struct mshv_vp *vp0, *vp1;
	struct mshv_vm *vm = vm_create_real_mode(&vp0, out_code, sizeof(out_code), RM_IP, NULL);
	struct mshv_exit e;

	vp1 = vm_add_vp(vm, 1, NULL);
	ASSERT_EQ(0, mshv_vp_setup_real_mode(vp1, 0, RM_IP + 2, 0x6000));
	vp_set_reg(vp1, HV_X64_REGISTER_RAX, 0x33);
	vp_run_expect(vp1, &e, MSHV_EXIT_IO);
	EXPECT_EQ(1, e.vp_index);
	EXPECT_EQ(0x33, e.io.rax & 0xff);
	vp_run_expect(vp0, &e, MSHV_EXIT_IO);
	EXPECT_EQ(0, e.vp_index);
	EXPECT_EQ(0x5a, e.io.rax & 0xff);
	mshv_vm_free(vm);
}

struct spinner {
	int vpfd;
	int ret;	/* 1 while running */
	int stop;	/* set before the signal is sent */
};

static void *spin_thread(void *arg)
{
	struct spinner *sp = arg;
	struct mshv_run_vp run;
	int ret;

	/* Re-enter after an EINTR that was not ours, like a VMM does. */
	do {
		ret = __mshv_ioctl(sp->vpfd, MSHV_RUN_VP, &run);
	} while (ret == -EINTR && !__atomic_load_n(&sp->stop, __ATOMIC_SEQ_CST));
	__atomic_store_n(&sp->ret, ret, __ATOMIC_SEQ_CST);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * The partition fd (and /dev/mshv) are closed while another thread is
 * inside RUN_VP: the VP keeps the partition alive, a signal still ends the
 * run with -EINTR, and the last close tears everything down.
 */
TEST_F_TIMEOUT(lc, close_partition_while_running, 120)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct spinner sp = { .ret = 1 };
	struct mshv_vp *vp;
	struct mshv_vm *vm = vm_create_real_mode(&vp, spin_code, sizeof(spin_code),
						 RM_IP, NULL);
	pthread_t th;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	sp.vpfd = mshv_vp_fd(vp);
	ASSERT_EQ(0, pthread_create(&th, NULL, spin_thread, &sp));
	usleep(200000);
	EXPECT_EQ(0, close(mshv_vm_fd(vm)));
	EXPECT_EQ(0, close(mshv_vm_dev_fd(vm)));
	usleep(200000);
	EXPECT_EQ(1, __atomic_load_n(&sp.ret, __ATOMIC_SEQ_CST))
		TH_LOG("RUN_VP of a spinning guest returned %d early", sp.ret);
	__atomic_store_n(&sp.stop, 1, __ATOMIC_SEQ_CST);
	ASSERT_EQ(0, pthread_kill(th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(-EINTR, sp.ret);
	EXPECT_EQ(RM_IP, vp_get_reg(vp, HV_X64_REGISTER_RIP));
	EXPECT_EQ(0, close(mshv_vp_fd(vp)));
}

/* xor ax, ax; l: inc ax; mov dx, 0x3f8; out dx, al; jmp l */
static const __u8 count_out_code[] = {
	0x31, 0xc0, 0x40, 0xba, 0xf8, 0x03, 0xee, 0xeb, 0xf9
};

#define COUNT_OUT_RIP	(RM_IP + 6)

struct storm {
	pthread_t target;
	int stop;
	unsigned long sent;
	unsigned long handled;
};

static struct storm storm;

static void on_storm_signal(int sig)
{
	(void)sig;
	__atomic_add_fetch(&storm.handled, 1, __ATOMIC_SEQ_CST);
}

static void *storm_thread(void *arg)
{
	struct timespec ts = { .tv_nsec = 100000 };

	(void)arg;
	while (!__atomic_load_n(&storm.stop, __ATOMIC_SEQ_CST)) {
		if (!pthread_kill(storm.target, SIGUSR1))
			storm.sent++;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/*
 * The guest counts in AL and writes each value to port 0x3f8.  While
 * another thread sends SIGUSR1 every 100 us, each RUN_VP returns either
 * the next IO exit - the one with AL one higher than the last, never a
 * repeated or a skipped value - or -EINTR, and -EINTR only when the
 * signal handler ran during that call.
 */
TEST_F_TIMEOUT(lc, signal_storm_io_exits_in_order, 120)
{
	const unsigned int want = 2000;
	struct sigaction sa = { .sa_handler = on_storm_signal };	/* no SA_RESTART */
	unsigned int exits = 0, eintr = 0, prev = 0;
	struct mshv_exit e;
	struct mshv_vp *vp;
	struct mshv_vm *vm = vm_create_real_mode(&vp, count_out_code, sizeof(count_out_code),
						 RM_IP, NULL);
	struct timespec t0, t;
	unsigned long before;
	pthread_t th;
	int ret;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	storm.target = pthread_self();
	ASSERT_EQ(0, pthread_create(&th, NULL, storm_thread, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (exits < want) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 90)
			break;
		before = __atomic_load_n(&storm.handled, __ATOMIC_SEQ_CST);
		ret = mshv_vp_run(vp, &e);
		if (ret == -EINTR) {
			eintr++;
			EXPECT_LT(before, __atomic_load_n(&storm.handled, __ATOMIC_SEQ_CST))
				TH_LOG("-EINTR without a signal (after %u exits)", exits);
			continue;
		}
		ASSERT_EQ(0, ret) TH_LOG("MSHV_RUN_VP after %u exits: %s", exits, strerror(-ret));
		ASSERT_EQ(MSHV_EXIT_IO, e.reason)
			TH_LOG("exit %u: %s", exits, mshv_exit_reason_str(e.reason));
		ASSERT_EQ(0x3f8, e.io.port);
		ASSERT_EQ(COUNT_OUT_RIP, e.rip);
		ASSERT_EQ((prev + 1) & 0xff, e.io.rax & 0xff)
			TH_LOG("exit %u: AL %#llx after %#x: an OUT was lost or repeated",
			       exits, (unsigned long long)(e.io.rax & 0xff), prev);
		prev = e.io.rax & 0xff;
		exits++;
		vp_skip_insn(vp, &e);
	}
	__atomic_store_n(&storm.stop, 1, __ATOMIC_SEQ_CST);
	ASSERT_EQ(0, pthread_join(th, NULL));
	test_diag("%u IO exits in order, %u EINTR, %lu signals sent, %lu handled\n",
		  exits, eintr, storm.sent, storm.handled);
	EXPECT_EQ(want, exits) TH_LOG("only %u IO exits in 90 s", exits);
	EXPECT_LT(0, storm.handled);
	EXPECT_GE(storm.handled, eintr);
	mshv_vm_free(vm);
}

TEST_HARNESS_MAIN
