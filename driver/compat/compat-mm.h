/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory-management APIs that appeared after Linux 5.10.
 * Included from compat.h; every shim names the release that added the API.
 */
#ifndef _MSHV_COMPAT_MM_H_
#define _MSHV_COMPAT_MM_H_

#include <linux/version.h>

/* vma_lookup(): 5.14 ("mm: add vma_lookup()"). */
#define MSHV_COMPAT_VMA_LOOKUP_SINCE	KERNEL_VERSION(5, 14, 0)
#if LINUX_VERSION_CODE < MSHV_COMPAT_VMA_LOOKUP_SINCE
#include <linux/mm.h>

static inline struct vm_area_struct *
mshv_compat_vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && addr < vma->vm_start)
		vma = NULL;
	return vma;
}

#define vma_lookup mshv_compat_vma_lookup
#endif

#endif /* _MSHV_COMPAT_MM_H_ */
