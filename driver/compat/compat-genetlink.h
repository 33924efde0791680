/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic netlink differences between 5.10 and 6.14 that mshv_netlink.c
 * meets.  Included by that file only.
 *
 *  - The parsed attributes of a dump request: genl_dumpit_info()->attrs
 *    up to 6.5; 6.6 moved them into an embedded struct genl_info.
 */
#ifndef _MSHV_COMPAT_GENETLINK_H_
#define _MSHV_COMPAT_GENETLINK_H_

#include <linux/version.h>
#include <net/genetlink.h>

#define MSHV_COMPAT_GENL_DUMP_INFO_SINCE	KERNEL_VERSION(6, 6, 0)

static inline struct nlattr **mshv_genl_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE < MSHV_COMPAT_GENL_DUMP_INFO_SINCE
	return genl_dumpit_info(cb)->attrs;
#else
	return genl_dumpit_info(cb)->info.attrs;
#endif
}

#endif /* _MSHV_COMPAT_GENETLINK_H_ */
