/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * eventfd and struct fd APIs that changed after Linux 5.10, for
 * mshv_eventfd.c (included on demand).  Each shim names the release.
 */
#ifndef _MSHV_COMPAT_EVENTFD_H_
#define _MSHV_COMPAT_EVENTFD_H_

#include <linux/version.h>
#include <linux/eventfd.h>
#include <linux/file.h>

/* eventfd_signal() lost its count argument in 6.8 ("eventfd: simplify eventfd_signal()"). */
#define MSHV_COMPAT_EVENTFD_SIGNAL_NO_COUNT_SINCE	KERNEL_VERSION(6, 8, 0)
#if LINUX_VERSION_CODE < MSHV_COMPAT_EVENTFD_SIGNAL_NO_COUNT_SINCE
#define mshv_eventfd_signal(ctx)	eventfd_signal(ctx, 1)
#else
#define mshv_eventfd_signal(ctx)	eventfd_signal(ctx)
#endif

/* struct fd became a tagged word with fd_file() in 6.12. */
#ifndef fd_file
#define fd_file(f)	((f).file)
#endif

#endif /* _MSHV_COMPAT_EVENTFD_H_ */
