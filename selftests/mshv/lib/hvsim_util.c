// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim debugfs and mshv_root counters for the selftests (see
 * include/hvsim_util.h).
 */
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
	"oom_every", "oom_status", "max_reps",
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
