// SPDX-License-Identifier: GPL-2.0-only
/*
 * mshv-exit-bench - cost of the MSHV_RUN_VP loop with and without the
 * introspection counters of mshv_root (module parameter "stats").
 *
 * A real-mode guest executes "out 0x80, al; jmp back" forever; the VMM
 * resumes it N times (skipping the OUT each time) and prints the mean
 * nanoseconds per I/O exit.  Rounds alternate stats=1 and stats=0 (written
 * to /sys/module/mshv_root/parameters/stats) so that drift affects both
 * equally; the median round of each setting is reported with the mean.
 * The figures are informative, nothing is asserted.
 *
 *   mshv-exit-bench [-n EXITS_PER_ROUND] [-r ROUNDS]
 *
 * Exit status: 0 done, 4 /dev/mshv or the stats parameter unavailable,
 * 1 error.  The previous value of the parameter is restored.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mshv/mshv.h>

#define GUEST_IP	0x1000
#define RAM_SIZE	0x10000
#define STATS_PARAM	"/sys/module/mshv_root/parameters/stats"

static const unsigned char guest[] = {
	0xe6, 0x80,	/* 1000: out 0x80, al	*/
	0xeb, 0xfc,	/* 1002: jmp 1000	*/
};

static int set_stats(char value)
{
	int fd = open(STATS_PARAM, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, &value, 1);
	close(fd);
	return n == 1 ? 0 : -EIO;
}

static int get_stats(char *value)
{
	int fd = open(STATS_PARAM, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, value, 1);
	close(fd);
	return n == 1 ? 0 : -EIO;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, long n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Run @n I/O exits; returns mean ns per exit, or a negative errno. */
static double run_exits(struct mshv_vp *vp, long n)
{
	struct mshv_exit e;
	double t0 = now_ns();
	long done = 0;
	int ret;

	while (done < n) {
		ret = mshv_vp_run(vp, &e);
		if (ret == -EINTR)
			continue;
		if (ret)
			return ret;
		if (e.reason != MSHV_EXIT_IO || !e.io.is_write || e.io.port != 0x80)
			return -EPROTO;
		ret = mshv_vp_skip_insn(vp, &e);
		if (ret)
			return ret;
		done++;
	}
	return (now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
	long n = 5000, rounds = 10, r;
	double on = 0, off = 0, t, *on_v, *off_v, on_med, off_med;
	struct mshv_vm *vm;
	struct mshv_vp *vp;
	char saved;
	void *ram;
	int ret, opt, k;

	while ((opt = getopt(argc, argv, "n:r:h")) != -1) {
		switch (opt) {
		case 'n':
			n = strtol(optarg, NULL, 0);
			break;
		case 'r':
			rounds = strtol(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-n EXITS_PER_ROUND] [-r ROUNDS]\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (n <= 0 || rounds <= 0)
		return 2;
	on_v = calloc(rounds, sizeof(*on_v));
	off_v = calloc(rounds, sizeof(*off_v));
	if (!on_v || !off_v)
		return 1;
	if (get_stats(&saved)) {
		printf("mshv-exit-bench: %s unavailable: skipped\n", STATS_PARAM);
		return 4;
	}
	ret = mshv_vm_create(NULL, &vm);
	if (ret) {
		printf("mshv-exit-bench: no partition (%s): skipped\n", strerror(-ret));
		return 4;
	}
	ret = mshv_vm_add_memory(vm, 0, RAM_SIZE, (1 << MSHV_SET_MEM_BIT_WRITABLE) |
				 (1 << MSHV_SET_MEM_BIT_EXECUTABLE), 0, &ram);
	if (!ret) {
		memcpy((char *)ram + GUEST_IP, guest, sizeof(guest));
		ret = mshv_vp_create(vm, 0, &vp);
	}
	if (!ret)
		ret = mshv_vp_setup_real_mode(vp, 0, GUEST_IP, 0x8000);
	if (ret) {
		fprintf(stderr, "mshv-exit-bench: setup: %s\n", strerror(-ret));
		return 1;
	}
	/* Warm-up. */
	t = run_exits(vp, n / 10 + 1);
	/* Odd rounds measure without counters first: no order bias. */
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < 2; k++) {
			int with = (k == 0) == !(r & 1);

			set_stats(with ? '1' : '0');
			/* A few exits after the switch are not timed. */
			t = run_exits(vp, 100);
			if (t >= 0)
				t = run_exits(vp, n);
			if (t < 0)
				goto out;
			if (with) {
				on += t;
				on_v[r] = t;
			} else {
				off += t;
				off_v[r] = t;
			}
			printf("round %ld: stats=%d %.0f ns/exit\n", r, with, t);
		}
	}
out:
	set_stats(saved);
	if (t < 0) {
		fprintf(stderr, "mshv-exit-bench: run: %s\n", strerror(-(int)t));
		return 1;
	}
	on_med = median(on_v, rounds);
	off_med = median(off_v, rounds);
	printf("I/O exits: %ld x %ld rounds per setting\n", n, rounds);
	printf("with counters:    median %.0f ns/exit, mean %.0f\n", on_med, on / rounds);
	printf("without counters: median %.0f ns/exit, mean %.0f\n", off_med, off / rounds);
	printf("difference:       median %+.0f ns/exit (%+.2f%%)\n", on_med - off_med,
	       100.0 * (on_med - off_med) / off_med);
	free(on_v);
	free(off_v);
	mshv_vp_free(vp);
	mshv_vm_free(vm);
	return 0;
}
