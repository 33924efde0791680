// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSHV_GET_GPAP_ACCESS_BITMAP: accessed/dirty bits of guest pages, as a
 * bitmap (upstream-abi.md sections 1.3.7 and 1.4).
 *
 * Tracking itself is a partition property the VMM sets through
 * MSHV_ROOT_HVCALL (HvSetPartitionProperty GPA_PAGE_ACCESS_TRACKING = 1),
 * as upstream; this ioctl only reads and updates the bits.
 *
 * Operation to hypervisor flags, as 7.2 (including its quirk that NOOP
 * behaves like SET):
 *   ACCESSED + CLEAR   clear accessed and clear dirty
 *   DIRTY + CLEAR      clear dirty
 *   ACCESSED + NOOP/SET  set accessed
 *   DIRTY + NOOP/SET     set dirty and set accessed
 * The bitmap reports each page's state before the operation.  Unlike 7.2
 * the page count is not narrowed to 32 bits: the range is walked in
 * chunks, so no buffer proportional to page_count is allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/overflow.h>

#include <linux/mshv.h>

#include "mshv_root.h"

/* Pages per chunk: one page of bitmap. */
#define MSHV_GPAP_CHUNK_PAGES	(PAGE_SIZE * BITS_PER_BYTE)

static u64 mshv_gpap_hv_flags(u8 type, u8 op)
{
	if (op == MSHV_GPAP_ACCESS_OP_CLEAR)
		return type == MSHV_GPAP_ACCESS_TYPE_ACCESSED ?
		       HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_ACCESSED |
		       HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_DIRTY :
		       HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_DIRTY;
	return type == MSHV_GPAP_ACCESS_TYPE_ACCESSED ?
	       HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_ACCESSED :
	       HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_DIRTY |
	       HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_ACCESSED;
}

long mshv_partition_ioctl_get_gpap_access_bitmap(struct mshv_partition *partition,
						 void __user *arg)
{
	struct mshv_gpap_access_bitmap args;
	u8 __user *ubm;
	u8 *states = NULL, *bm = NULL;
	u64 done = 0, end, flags;
	u32 n, i;
	u8 mask;
	long ret = 0;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.access_type >= MSHV_GPAP_ACCESS_TYPE_COUNT ||
	    args.access_op >= MSHV_GPAP_ACCESS_OP_COUNT ||
	    memchr_inv(args.rsvd, 0, sizeof(args.rsvd)) ||
	    !args.page_count || !args.bitmap_ptr) {
		pt_dbg_input(partition, "gpap bitmap: bad type/op/rsvd/count/pointer\n");
		return -EINVAL;
	}
	if (check_add_overflow(args.gpap_base, args.page_count, &end))
		return -E2BIG;

	flags = mshv_gpap_hv_flags(args.access_type, args.access_op);
	mask = args.access_type == MSHV_GPAP_ACCESS_TYPE_ACCESSED ?
	       HV_GPA_PAGE_ACCESS_STATE_ACCESSED : HV_GPA_PAGE_ACCESS_STATE_DIRTY;
	ubm = u64_to_user_ptr(args.bitmap_ptr);

	states = kvmalloc(MSHV_GPAP_CHUNK_PAGES, GFP_KERNEL);
	bm = kmalloc(MSHV_GPAP_CHUNK_PAGES / BITS_PER_BYTE, GFP_KERNEL);
	if (!states || !bm) {
		ret = -ENOMEM;
		goto out;
	}

	while (done < args.page_count) {
		n = min_t(u64, args.page_count - done, MSHV_GPAP_CHUNK_PAGES);
		ret = hv_call_get_gpa_access_states(partition->pt_id, args.gpap_base + done,
						    n, flags, states);
		if (ret)
			goto out;
		/* Bits past page_count in the last byte are zero. */
		memset(bm, 0, DIV_ROUND_UP(n, BITS_PER_BYTE));
		for (i = 0; i < n; i++)
			if (states[i] & mask)
				bm[i / BITS_PER_BYTE] |= BIT(i % BITS_PER_BYTE);
		if (copy_to_user(ubm + done / BITS_PER_BYTE, bm, DIV_ROUND_UP(n, BITS_PER_BYTE))) {
			ret = -EFAULT;
			goto out;
		}
		done += n;
		cond_resched();
	}
out:
	kfree(bm);
	kvfree(states);
	return ret;
}
