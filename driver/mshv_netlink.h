/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The "mshv" generic netlink family and the counters it reports.
 *
 * Per-VP counters are plain u64s written only by the VP's own run path
 * (vp_mutex held) and read locklessly by netlink.  Module-wide hypercall
 * counters are per-CPU, fed by a probe on the mshv_hvcall tracepoint.
 * Counting can be switched off (module parameter "stats"): a static key
 * then skips the per-VP updates and the probe is unregistered.
 */
#ifndef _MSHV_NETLINK_H_
#define _MSHV_NETLINK_H_

#include <linux/types.h>
#include <linux/jump_label.h>
#include <linux/sched/clock.h>

struct mshv_partition;
struct mshv_vp;

/* Exit slots of struct mshv_vp_stats; the last one counts any other type. */
#define MSHV_VP_EXIT_SLOTS	16

struct mshv_vp_stats {
	u64 run_count;
	u64 guest_ns;
	u64 driver_ns;
	u32 last_msg_type;
	u32 state;		/* enum mshv_nl_vp_state, WRITE_ONCE */
	u64 exits[MSHV_VP_EXIT_SLOTS];
};

DECLARE_STATIC_KEY_TRUE(mshv_stats_key);

static inline bool mshv_stats_on(void)
{
	return static_branch_likely(&mshv_stats_key);
}

/* A timestamp for the run path, 0 while counting is off. */
static inline u64 mshv_stats_clock(void)
{
	return mshv_stats_on() ? local_clock() : 0;
}

/* Run path: start of MSHV_RUN_VP; returns the start timestamp. */
u64 mshv_stats_vp_run_begin(struct mshv_vp *vp);
/* Run path: time from @since (mshv_stats_clock()) was spent in the guest. */
void mshv_stats_vp_guest_since(struct mshv_vp *vp, u64 since);
/* Run path: MSHV_RUN_VP ends with @ret and, if 0, message @msg_type. */
void mshv_stats_vp_run_end(struct mshv_vp *vp, u64 begin, long ret, u32 msg_type);

/* @pages were deposited into (positive) or withdrawn from @pt_id. */
void mshv_stats_deposit(u64 pt_id, s64 pages);

/* Multicast events; no-ops without listeners. */
void mshv_nl_notify_partition(struct mshv_partition *partition, bool created);

int mshv_netlink_init(void);
void mshv_netlink_exit(void);

#endif /* _MSHV_NETLINK_H_ */
