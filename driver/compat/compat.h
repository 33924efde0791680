/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included into every mshv-dkms kernel object (see driver/Kbuild).
 *
 * This header, and the files under driver/compat/, are the only places
 * where differences between kernel versions may appear.  Driver code uses
 * the newest kernel API names; the lines here supply them on older kernels.
 */
#ifndef _MSHV_COMPAT_H_
#define _MSHV_COMPAT_H_

#include <linux/version.h>

/*
 * Supported range: 5.10 up to (not including) 6.15, where mshv_root went
 * in-tree.  dkms.conf's BUILD_EXCLUSIVE_KERNEL says the same thing; the
 * check in scripts/check-compat-range.sh keeps the two in step.
 */
#define MSHV_COMPAT_KERNEL_MIN	KERNEL_VERSION(5, 10, 0)
#define MSHV_COMPAT_KERNEL_END	KERNEL_VERSION(6, 15, 0)

#if LINUX_VERSION_CODE < MSHV_COMPAT_KERNEL_MIN
#error "mshv-dkms supports Linux 5.10 and newer"
#endif

#if LINUX_VERSION_CODE >= MSHV_COMPAT_KERNEL_END
#error "this kernel has mshv_root in-tree (Linux 6.15+); use CONFIG_MSHV_ROOT"
#endif

/*
 * Per-area shims for APIs the driver uses under their newest names.  They
 * are included on demand by the driver files that need them, so that this
 * force-included header stays free of kernel headers other than version.h.
 */

#endif /* _MSHV_COMPAT_H_ */
