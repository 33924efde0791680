/* SPDX-License-Identifier: ((GPL-2.0-only WITH Linux-syscall-note) OR LGPL-2.1-or-later) */
/*
 * Generic netlink family "mshv" of mshv-dkms: what the hypervisor holds
 * for this host (partitions, VPs, memory, exits, hypercalls).
 *
 * This header is mshv-dkms' own; it is not part of upstream Linux.  Every
 * command needs CAP_NET_ADMIN.  Replies carry MSHV_NL_A_VERSION; attributes
 * are only ever added, so a client ignores the ones it does not know.
 *
 * Requests:
 *   MSHV_NL_CMD_PARTITION_GET  doit: MSHV_NL_A_PT_ID -> one partition
 *                              dump: every partition
 *   MSHV_NL_CMD_VP_GET         doit: MSHV_NL_A_PT_ID, MSHV_NL_A_VP_INDEX
 *                              dump: MSHV_NL_A_PT_ID -> every VP of it
 *   MSHV_NL_CMD_STATS_GET      doit: module-wide counters
 * Multicast group "events": MSHV_NL_CMD_EVENT_PARTITION_CREATED and
 * _DESTROYED (MSHV_NL_A_PT_ID, MSHV_NL_A_PT_OWNER_PID), MSHV_NL_CMD_EVENT_VP_FATAL
 * (MSHV_NL_A_PT_ID, MSHV_NL_A_VP_INDEX, MSHV_NL_A_VP_LAST_MSG_TYPE).
 */
#ifndef _UAPI_LINUX_MSHV_NETLINK_H_
#define _UAPI_LINUX_MSHV_NETLINK_H_

#define MSHV_NL_FAMILY_NAME		"mshv"
#define MSHV_NL_FAMILY_VERSION		1
#define MSHV_NL_MCGRP_EVENTS		"events"

/* Value of MSHV_NL_A_VERSION in replies; requests may carry it (ignored). */
#define MSHV_NL_ATTR_VERSION		1

enum mshv_nl_cmd {
	MSHV_NL_CMD_UNSPEC,
	MSHV_NL_CMD_PARTITION_GET,
	MSHV_NL_CMD_VP_GET,
	MSHV_NL_CMD_STATS_GET,
	MSHV_NL_CMD_EVENT_PARTITION_CREATED,
	MSHV_NL_CMD_EVENT_PARTITION_DESTROYED,
	MSHV_NL_CMD_EVENT_VP_FATAL,

	__MSHV_NL_CMD_MAX,
	MSHV_NL_CMD_MAX = __MSHV_NL_CMD_MAX - 1
};

/* enum mshv_nl_pt_state: MSHV_NL_A_PT_STATE */
enum mshv_nl_pt_state {
	MSHV_NL_PT_STATE_CREATED,	/* MSHV_INITIALIZE_PARTITION not done yet */
	MSHV_NL_PT_STATE_INITIALIZED,
};

/* enum mshv_nl_vp_state: MSHV_NL_A_VP_STATE */
enum mshv_nl_vp_state {
	MSHV_NL_VP_STATE_IDLE,		/* not inside MSHV_RUN_VP */
	MSHV_NL_VP_STATE_RUNNING,	/* inside MSHV_RUN_VP */
	MSHV_NL_VP_STATE_BLOCKED,	/* root scheduler: guest halted, waiting */
};

/*
 * Attributes: one space for every command.  "in" marks the ones a request
 * may carry; any other attribute in a request is rejected with EINVAL.
 */
enum mshv_nl_attr {
	MSHV_NL_A_UNSPEC,
	MSHV_NL_A_PAD,
	MSHV_NL_A_VERSION,		/* u32, in/out */
	MSHV_NL_A_PT_ID,		/* u64, in/out */
	MSHV_NL_A_VP_INDEX,		/* u32, in/out */

	/* PARTITION_GET */
	MSHV_NL_A_PT_OWNER_PID,		/* u32: creator's tgid (requester's pid ns) */
	MSHV_NL_A_PT_FLAGS,		/* u64: MSHV_CREATE_PARTITION pt_flags */
	MSHV_NL_A_PT_STATE,		/* u32: enum mshv_nl_pt_state */
	MSHV_NL_A_PT_VP_COUNT,		/* u32 */
	MSHV_NL_A_PT_REGION_COUNT,	/* u32 */
	MSHV_NL_A_PT_MAPPED_4K_BYTES,	/* u64: RAM mapped with 4 KiB pages */
	MSHV_NL_A_PT_MAPPED_2M_BYTES,	/* u64: RAM mapped with 2 MiB pages */
	MSHV_NL_A_PT_MAPPED_MMIO_BYTES,	/* u64: host MMIO mapped */
	MSHV_NL_A_PT_PINNED_PAGES,	/* u64 */
	MSHV_NL_A_PT_DEPOSITED_PAGES,	/* u64: deposited, not yet withdrawn */
	MSHV_NL_A_PT_CREATED_NS,	/* u64: CLOCK_REALTIME at creation */

	/* VP_GET */
	MSHV_NL_A_VP_STATE,		/* u32: enum mshv_nl_vp_state */
	MSHV_NL_A_VP_RUN_COUNT,		/* u64: MSHV_RUN_VP calls */
	MSHV_NL_A_VP_EXITS,		/* nest of MSHV_NL_A_EXIT */
	MSHV_NL_A_VP_GUEST_NS,		/* u64: in the hypervisor/guest */
	MSHV_NL_A_VP_DRIVER_NS,		/* u64: in MSHV_RUN_VP, outside it */
	MSHV_NL_A_VP_LAST_MSG_TYPE,	/* u32: hv message type of the last exit */

	/* STATS_GET */
	MSHV_NL_A_STATS_ENABLED,	/* u8: counting on (module param stats) */
	MSHV_NL_A_STATS_HVCALLS,	/* nest of MSHV_NL_A_HVCALL */
	MSHV_NL_A_STATS_FAILURES,	/* nest of MSHV_NL_A_FAILURE */
	MSHV_NL_A_STATS_DEPOSITED_PAGES,	/* u64: in child partitions */
	MSHV_NL_A_STATS_SELF_DEPOSITED_PAGES,	/* u64: in the parent's pool */
	MSHV_NL_A_STATS_PINNED_PAGES,	/* u64 */
	MSHV_NL_A_STATS_PARTITIONS,	/* u32 */

	/* Entries of the nests above */
	MSHV_NL_A_EXIT,			/* nest: MSG_TYPE, COUNT */
	MSHV_NL_A_HVCALL,		/* nest: CODE, COUNT, FAILED */
	MSHV_NL_A_FAILURE,		/* nest: STATUS, COUNT */
	MSHV_NL_A_MSG_TYPE,		/* u32: hv message type; 0: any other */
	MSHV_NL_A_CODE,			/* u32: hypercall code */
	MSHV_NL_A_STATUS,		/* u32: hypercall status */
	MSHV_NL_A_COUNT,		/* u64 */
	MSHV_NL_A_FAILED,		/* u64 */

	__MSHV_NL_A_MAX,
	MSHV_NL_A_MAX = __MSHV_NL_A_MAX - 1
};

#endif /* _UAPI_LINUX_MSHV_NETLINK_H_ */
