/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counters and fault injection for the selftests that need the mshv_hvsim
 * simulator (/sys/kernel/debug/mshv_hvsim/, driver/hvsim/README.md) and
 * mshv_root's own counters (/sys/module/mshv_root/parameters/).
 */
#ifndef SELFTEST_MSHV_HVSIM_UTIL_H
#define SELFTEST_MSHV_HVSIM_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#define HVSIM_DEBUGFS		"/sys/kernel/debug/mshv_hvsim"
#define MSHV_ROOT_PARAMS	"/sys/module/mshv_root/parameters"

/* Hypercall codes (TLFS) the tests count or fail; hvdef.h lacks them. */
#define HVCALL_INITIALIZE_PARTITION_CODE	0x0041
#define HVCALL_MAP_GPA_PAGES_CODE		0x004B
#define HVCALL_UNMAP_GPA_PAGES_CODE		0x004C
#define HVCALL_CREATE_VP_CODE			0x004E
#define HVCALL_MAP_VP_STATE_PAGE_CODE		0x00E1

/* True if hvsim's debugfs directory is there (hvsim loaded, debugfs mounted). */
bool hvsim_present(void);
/* A line "NAME VALUE" of hvsim's counters file; -1 if there is none. */
long long hvsim_counter(const char *name);
/* Calls of hypercall @code since hvsim was loaded (0 if never seen). */
long long hvsim_hypercalls(unsigned int code);
/* A mshv_root counter: pinned_pages, deposited_pages, self_deposited_pages. */
long long mshv_root_counter(const char *name);
/*
 * mshv_root's movable_regions parameter: 1 (new RAM regions are movable,
 * the default where the kernel has HMM), 0 (pinned), -1 (no parameter).
 */
int mshv_root_movable_regions(void);
/* Set it (when it exists); returns the previous value as above. */
int mshv_root_set_movable_regions(bool movable);

/* Write @value to inject/@file; fails the test if that is impossible. */
void hvsim_inject(const char *file, unsigned long long value);
/* Fail the @nth call of @code from now with @status (nth 0: disarm). */
void hvsim_inject_fail(unsigned int code, unsigned int status, unsigned int nth);

/* Every inject/ setting, so that a test can clear and later restore them. */
struct hvsim_inject_state {
	unsigned long long v[8];
};

void hvsim_inject_save(struct hvsim_inject_state *s);
void hvsim_inject_restore(const struct hvsim_inject_state *s);
/*
 * No injection: nothing fails, all reps per call, default OOM status,
 * HvSetPartitionProperty synchronous.
 */
void hvsim_inject_clear(void);

/*
 * What must be zero once every partition is closed: hvsim's child
 * partitions, mapped GPA pages and pages held outside the parent's own
 * pool; mshv_root's pinned and deposited pages.
 */
struct mshv_leaks {
	long long children;
	long long gpa_4k;
	long long gpa_2m;
	long long held_by_children;
	long long pinned;
	long long deposited;
};

void mshv_leaks_read(struct mshv_leaks *l);

/*
 * How many 2 MiB chunks of [p, p + size) the kernel backs with a 2 MiB
 * aligned huge page; -1 if pagemap or kpageflags cannot be read.
 */
long long mshv_thp_chunks(void *p, size_t size);

#endif /* SELFTEST_MSHV_HVSIM_UTIL_H */
