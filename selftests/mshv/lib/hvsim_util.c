// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim debugfs and mshv_root counters for the selftests (see
 * include/hvsim_util.h).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvsim_util.h"
#include "mshv_util.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static const char * const hvsim_inject_files[] = {
	"fail_code", "fail_status", "fail_nth", "fail_every",
	"oom_every", "oom_status", "max_reps", "async_set_property",
};

bool hvsim_present(void)
{
	return access(HVSIM_DEBUGFS "/counters", R_OK) == 0;
}

/* Value of the line whose first word is @key in @path, or @dflt. */
static long long read_keyed(const char *path, const char *key, int base,
			    long long dflt)
{
	char line[256], k[128], v[64];
	long long ret = dflt;
	FILE *f = fopen(path, "r");

	if (!f)
		return dflt;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %63s", k, v) == 2 &&
		    strtoull(k, NULL, base) == strtoull(key, NULL, base) &&
		    (base || !strcmp(k, key))) {
			ret = strtoll(v, NULL, 10);
			break;
		}
	}
	fclose(f);
	return ret;
}

long long hvsim_counter(const char *name)
{
	return read_keyed(HVSIM_DEBUGFS "/counters", name, 0, -1);
}

long long hvsim_hypercalls(unsigned int code)
{
	char key[16];

	snprintf(key, sizeof(key), "%#x", code);
	return read_keyed(HVSIM_DEBUGFS "/hypercalls", key, 16, 0);
}

static long long read_number(const char *path, long long dflt)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return dflt;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? strtoll(buf, NULL, 0) : dflt;
}

long long mshv_root_counter(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), MSHV_ROOT_PARAMS "/%s", name);
	return read_number(path, -1);
}

#define MOVABLE_REGIONS	MSHV_ROOT_PARAMS "/movable_regions"

int mshv_root_movable_regions(void)
{
	FILE *f = fopen(MOVABLE_REGIONS, "r");
	int c;

	if (!f)
		return -1;
	c = fgetc(f);
	fclose(f);
	return c == 'Y' ? 1 : c == 'N' ? 0 : -1;
}

int mshv_root_set_movable_regions(bool movable)
{
	int old = mshv_root_movable_regions();
	FILE *f;
	int ok;

	if (old < 0)
		return old;
	f = fopen(MOVABLE_REGIONS, "w");
	TEST_ASSERT(f, "opening %s for writing: %s", MOVABLE_REGIONS, strerror(errno));
	ok = fputs(movable ? "Y\n" : "N\n", f) >= 0;
	ok &= fclose(f) == 0;
	TEST_ASSERT(ok, "writing %s: %s", MOVABLE_REGIONS, strerror(errno));
	return old;
}

void hvsim_inject(const char *file, unsigned long long value)
{
	char path[256];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), HVSIM_DEBUGFS "/inject/%s", file);
	f = fopen(path, "w");
	TEST_ASSERT(f, "opening %s for writing: %s", path, strerror(errno));
	ok = fprintf(f, "%llu\n", value) > 0;
	ok &= fclose(f) == 0;
	TEST_ASSERT(ok, "writing %llu to %s: %s", value, path, strerror(errno));
}

void hvsim_inject_fail(unsigned int code, unsigned int status, unsigned int nth)
{
	hvsim_inject("fail_nth", 0);
	hvsim_inject("fail_every", 0);
	hvsim_inject("fail_code", code);
	hvsim_inject("fail_status", status);
	hvsim_inject("fail_nth", nth);
}

void hvsim_inject_save(struct hvsim_inject_state *s)
{
	char path[256];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(s->v); i++) {
		snprintf(path, sizeof(path), HVSIM_DEBUGFS "/inject/%s",
			 hvsim_inject_files[i]);
		s->v[i] = read_number(path, 0);
	}
}

void hvsim_inject_restore(const struct hvsim_inject_state *s)
{
	unsigned int i;

	/* Arm fail_nth last, once code and status are in place. */
	hvsim_inject("fail_nth", 0);
	for (i = 0; i < ARRAY_SIZE(s->v); i++)
		if (strcmp(hvsim_inject_files[i], "fail_nth"))
			hvsim_inject(hvsim_inject_files[i], s->v[i]);
	hvsim_inject("fail_nth", s->v[2]);
}

void hvsim_inject_clear(void)
{
	hvsim_inject("fail_nth", 0);
	hvsim_inject("fail_every", 0);
	hvsim_inject("fail_code", 0);
	hvsim_inject("fail_status", 0xb);
	hvsim_inject("oom_every", 0);
	hvsim_inject("oom_status", 0xb);
	hvsim_inject("max_reps", 0);
	hvsim_inject("async_set_property", 0);
}

void mshv_leaks_read(struct mshv_leaks *l)
{
	l->children = hvsim_counter("children");
	l->gpa_4k = hvsim_counter("gpa_pages_4k");
	l->gpa_2m = hvsim_counter("gpa_pages_2m");
	l->held_by_children = hvsim_counter("pages_held") -
			      hvsim_counter("pages_held_root");
	l->pinned = mshv_root_counter("pinned_pages");
	l->deposited = mshv_root_counter("deposited_pages");
}

/*
 * How many 2 MiB chunks of [p, p + size) the kernel backs with a huge page
 * whose frames are 2 MiB aligned: /proc/self/pagemap gives the PFN,
 * /proc/kpageflags the THP bit (22).  -1 if those files cannot be read.
 */
long long mshv_thp_chunks(void *p, size_t size)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	long long n = 0;
	size_t off;

	if (pm < 0 || kf < 0) {
		n = -1;
		goto out;
	}
	for (off = 0; off < size; off += 0x200000) {
		__u64 ent, flags, pfn;
		off_t at = ((uintptr_t)p + off) / 4096 * 8;

		if (pread(pm, &ent, 8, at) != 8 || !(ent & (1ULL << 63))) {
			n = -1;
			goto out;
		}
		pfn = ent & ((1ULL << 55) - 1);
		if (!pfn || pread(kf, &flags, 8, pfn * 8) != 8) {
			n = -1;
			goto out;
		}
		if ((flags & (1ULL << 22)) && !(pfn & 511))
			n++;
	}
out:
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return n;
}
