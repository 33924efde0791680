// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypervisor status table: one row per HV_STATUS_* value, giving the errno
 * upstream 7.2 returns for it, its name, and (for the statuses that ask for
 * memory) what to deposit before retrying.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>

#include "hv_tlfs.h"
#include "hv_status.h"

struct hv_status_info {
	u16 status;
	s16 err;			/* 0 or -errno */
	u16 deposit_pages;		/* 0: not a "needs memory" status */
	bool deposit_into_self;
	const char *name;
};

#define HV_STATUS_ROW(_st, _err) \
	{ .status = HV_STATUS_##_st, .err = (_err), .name = "HV_STATUS_" #_st }
#define HV_STATUS_MEM_ROW(_st, _pages, _self) \
	{ .status = HV_STATUS_##_st, .err = -ENOMEM, .deposit_pages = (_pages), \
	  .deposit_into_self = (_self), .name = "HV_STATUS_" #_st }

/* First match wins, as in upstream's table. */
static const struct hv_status_info hv_status_table[] = {
	HV_STATUS_ROW(SUCCESS,				0),
	HV_STATUS_ROW(INVALID_HYPERCALL_CODE,		-EINVAL),
	HV_STATUS_ROW(INVALID_HYPERCALL_INPUT,		-EINVAL),
	HV_STATUS_ROW(INVALID_ALIGNMENT,		-EIO),
	HV_STATUS_ROW(INVALID_PARAMETER,		-EINVAL),
	HV_STATUS_ROW(ACCESS_DENIED,			-EIO),
	HV_STATUS_ROW(INVALID_PARTITION_STATE,		-EIO),
	HV_STATUS_ROW(OPERATION_DENIED,			-EIO),
	HV_STATUS_ROW(UNKNOWN_PROPERTY,			-EIO),
	HV_STATUS_ROW(PROPERTY_VALUE_OUT_OF_RANGE,	-EIO),
	HV_STATUS_MEM_ROW(INSUFFICIENT_MEMORY,		1, false),
	HV_STATUS_ROW(INVALID_PARTITION_ID,		-EINVAL),
	HV_STATUS_ROW(INVALID_VP_INDEX,			-EINVAL),
	HV_STATUS_ROW(NOT_FOUND,			-EIO),
	HV_STATUS_ROW(INVALID_PORT_ID,			-EINVAL),
	HV_STATUS_ROW(INVALID_CONNECTION_ID,		-EINVAL),
	HV_STATUS_ROW(INSUFFICIENT_BUFFERS,		-EIO),
	HV_STATUS_ROW(NOT_ACKNOWLEDGED,			-EIO),
	HV_STATUS_ROW(INVALID_VP_STATE,			-EIO),
	HV_STATUS_ROW(NO_RESOURCES,			-EIO),
	HV_STATUS_ROW(PROCESSOR_FEATURE_NOT_SUPPORTED,	-EIO),
	HV_STATUS_ROW(INVALID_LP_INDEX,			-EINVAL),
	HV_STATUS_ROW(INVALID_REGISTER_VALUE,		-EINVAL),
	HV_STATUS_ROW(OPERATION_FAILED,			-EIO),
	HV_STATUS_MEM_ROW(INSUFFICIENT_ROOT_MEMORY,	1, true),
	HV_STATUS_MEM_ROW(INSUFFICIENT_CONTIGUOUS_MEMORY,
			  HV_MAX_CONTIGUOUS_ALLOCATION_PAGES, false),
	HV_STATUS_ROW(TIME_OUT,				-EIO),
	HV_STATUS_ROW(CALL_PENDING,			-EIO),
	HV_STATUS_MEM_ROW(INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY,
			  HV_MAX_CONTIGUOUS_ALLOCATION_PAGES, true),
	HV_STATUS_ROW(VTL_ALREADY_ENABLED,		-EIO),
};

static const struct hv_status_info *hv_status_lookup(u16 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_status_table); i++)
		if (hv_status_table[i].status == status)
			return &hv_status_table[i];
	return NULL;
}

int hv_status_to_errno(u16 status)
{
	const struct hv_status_info *info = hv_status_lookup(status);

	return info ? info->err : -EIO;
}

int hv_result_to_errno(u64 result)
{
	if (unlikely(result == U64_MAX))
		return -EOPNOTSUPP;
	return hv_status_to_errno(hv_result_status(result));
}

const char *hv_status_name(u16 status)
{
	const struct hv_status_info *info = hv_status_lookup(status);

	return info ? info->name : "HV_STATUS_UNKNOWN";
}

bool hv_status_needs_deposit(u16 status)
{
	const struct hv_status_info *info = hv_status_lookup(status);

	return info && info->deposit_pages;
}

bool hv_status_deposit_rule(u16 status, struct hv_deposit_rule *rule)
{
	const struct hv_status_info *info = hv_status_lookup(status);

	if (!info || !info->deposit_pages)
		return false;
	rule->pages = info->deposit_pages;
	rule->into_self = info->deposit_into_self;
	return true;
}
