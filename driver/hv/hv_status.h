/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor status codes: errno mapping (as upstream 7.2's
 * hv_result_to_errno), names for logs, and the deposit-and-retry rule for
 * the "needs memory" statuses.  Table-driven, see hv_status.c.
 */
#ifndef _MSHV_HV_STATUS_H_
#define _MSHV_HV_STATUS_H_

#include <linux/types.h>

/* -errno for a status (0 for HV_STATUS_SUCCESS, -EIO for unknown ones). */
int hv_status_to_errno(u16 status);

/*
 * -errno for a raw hypercall result: the status in its low 16 bits, except
 * that U64_MAX (no hypercall page, nothing was called) is -EOPNOTSUPP.
 */
int hv_result_to_errno(u64 result);

/* "HV_STATUS_..." name for logs; "HV_STATUS_UNKNOWN" if not in the table. */
const char *hv_status_name(u16 status);

/* How to satisfy a status that asks the caller for memory. */
struct hv_deposit_rule {
	u16 pages;		/* 4 KiB pages to deposit before retrying */
	bool into_self;		/* into HV_PARTITION_ID_SELF, not the caller's target */
};

/* True for INSUFFICIENT_MEMORY and its contiguous/root variants (7.0+). */
bool hv_status_needs_deposit(u16 status);

/*
 * Fill *rule for a "needs memory" status and return true; return false
 * (and leave *rule alone) for every other status.  A root-memory status on
 * an L1VH host cannot be satisfied: the caller fails with -ENOMEM.
 */
bool hv_status_deposit_rule(u16 status, struct hv_deposit_rule *rule);

#endif /* _MSHV_HV_STATUS_H_ */
