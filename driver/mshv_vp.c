// SPDX-License-Identifier: GPL-2.0-only
/*
 * VPs: creation, the VP fd (ioctls, mmap of the state pages, release),
 * MSHV_GET/SET_VP_STATE.
 *
 * A VP fd holds a reference on its partition, so the partition (and every
 * VP struct, freed only by the partition's destruction) outlives the last
 * VP fd even when the partition fd is closed first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/mshv.h>

#include "mshv_root.h"
#include "mshv_trace.h"

#define MSHV_VP_STATE_TIMERS_SIZE	sizeof(struct hv_synthetic_timers_state)

static void mshv_vp_stats_unmap(struct mshv_vp *vp)
{
	u64 pt_id = vp->vp_partition->pt_id;
	int area;

	if (vp->vp_stats_parent_mapped)
		hv_call_unmap_vp_stats_page(pt_id, vp->vp_index, HV_STATS_AREA_PARENT);
	if (vp->vp_stats_pages[HV_STATS_AREA_SELF])
		hv_call_unmap_vp_stats_page(pt_id, vp->vp_index, HV_STATS_AREA_SELF);
	for (area = 0; area <= HV_STATS_AREA_PARENT; area++) {
		if (vp->vp_stats_overlays[area])
			__free_page(vp->vp_stats_overlays[area]);
		vp->vp_stats_overlays[area] = NULL;
		vp->vp_stats_pages[area] = NULL;
	}
	vp->vp_stats_parent_mapped = false;
}

static int mshv_vp_stats_map_area(struct mshv_vp *vp, u8 area)
{
	struct page **overlay = &vp->vp_stats_overlays[area];

	if (mshv_vmm_caps & HV_VMM_CAP_VMM_CAN_PROVIDE_OVERLAY_GPFN) {
		*overlay = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!*overlay)
			return -ENOMEM;
	}
	return hv_call_map_vp_stats_page(vp->vp_partition->pt_id, vp->vp_index, area,
					 *overlay, &vp->vp_stats_pages[area]);
}

/* Child VPs always get both areas; PARENT may fail (7.0: use SELF). */
static int mshv_vp_stats_map(struct mshv_vp *vp)
{
	int ret;

	ret = mshv_vp_stats_map_area(vp, HV_STATS_AREA_SELF);
	if (ret)
		return ret;
	if (!mshv_vp_stats_map_area(vp, HV_STATS_AREA_PARENT)) {
		vp->vp_stats_parent_mapped = true;
		return 0;
	}
	if (vp->vp_stats_overlays[HV_STATS_AREA_PARENT])
		__free_page(vp->vp_stats_overlays[HV_STATS_AREA_PARENT]);
	vp->vp_stats_overlays[HV_STATS_AREA_PARENT] = NULL;
	vp->vp_stats_pages[HV_STATS_AREA_PARENT] = vp->vp_stats_pages[HV_STATS_AREA_SELF];
	return 0;
}

void mshv_vp_unmap_state_pages(struct mshv_vp *vp)
{
	u64 pt_id = vp->vp_partition->pt_id;

	mshv_vp_stats_unmap(vp);

	if (vp->vp_register_page)
		hv_call_unmap_vp_state_page(pt_id, vp->vp_index,
					    HV_VP_STATE_PAGE_REGISTERS, 0);
	if (vp->vp_intercept_msg_page)
		hv_call_unmap_vp_state_page(pt_id, vp->vp_index,
					    HV_VP_STATE_PAGE_INTERCEPT_MESSAGE, 0);
	vp->vp_register_page = NULL;
	vp->vp_intercept_msg_page = NULL;
	if (vp->vp_register_overlay)
		__free_page(vp->vp_register_overlay);
	if (vp->vp_intercept_overlay)
		__free_page(vp->vp_intercept_overlay);
	vp->vp_register_overlay = NULL;
	vp->vp_intercept_overlay = NULL;
}

/* Only from partition destruction, when no fd and no ISR can see @vp. */
void mshv_vp_destroy(struct mshv_vp *vp)
{
	mshv_vp_unmap_state_pages(vp);
	kfree(vp);
}

static int mshv_vp_map_state_page(struct mshv_vp *vp, u16 type, struct page **overlay,
				  struct page **page)
{
	if (mshv_vmm_caps & HV_VMM_CAP_VMM_CAN_PROVIDE_OVERLAY_GPFN) {
		/* L1VH (6.19+): the VMM supplies the page. */
		*overlay = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!*overlay)
			return -ENOMEM;
	}
	return hv_call_map_vp_state_page(vp->vp_partition->pt_id, vp->vp_index, type, 0,
					 *overlay, page);
}

/* ---------------------------------------------------------------------- */
/* VP state                                                               */
/* ---------------------------------------------------------------------- */

/* Size of the data and the hypervisor's state descriptor for @type. */
static int mshv_vp_state_describe(struct mshv_vp *vp, u8 type, u32 *size,
				  struct hv_vp_state_data *state)
{
	u64 xsave_size, xsave_states;
	int ret;

	memset(state, 0, sizeof(*state));
	switch (type) {
	case MSHV_VP_STATE_LAPIC:
		state->type = HV_GET_SET_VP_STATE_LAPIC_STATE;
		*size = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_XSAVE:
		ret = hv_call_get_partition_property(vp->vp_partition->pt_id,
						     HV_PARTITION_PROPERTY_XSAVE_STATES,
						     &xsave_states);
		if (ret)
			return ret;
		ret = hv_call_get_partition_property(vp->vp_partition->pt_id,
						     HV_PARTITION_PROPERTY_MAX_XSAVE_DATA_SIZE,
						     &xsave_size);
		if (ret)
			return ret;
		state->type = HV_GET_SET_VP_STATE_XSAVE;
		/* x87 and SSE are always part of the image. */
		state->xsave.states = xsave_states | HV_X64_XFEM_LEGACY_X87 |
				      HV_X64_XFEM_LEGACY_SSE;
		if (xsave_size > U32_MAX)
			return -EINVAL;
		*size = xsave_size;
		return 0;
	case MSHV_VP_STATE_SIMP:
		state->type = HV_GET_SET_VP_STATE_SIM_PAGE;
		*size = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_SIEFP:
		state->type = HV_GET_SET_VP_STATE_SIEF_PAGE;
		*size = HV_HYP_PAGE_SIZE;
		return 0;
	case MSHV_VP_STATE_SYNTHETIC_TIMERS:
		state->type = HV_GET_SET_VP_STATE_SYNTHETIC_TIMERS;
		*size = MSHV_VP_STATE_TIMERS_SIZE;
		return 0;
	}
	return -EINVAL;
}

static long mshv_vp_ioctl_get_set_state(struct mshv_vp *vp,
					struct mshv_get_set_vp_state __user *user_args,
					bool is_set)
{
	u64 pt_id = vp->vp_partition->pt_id;
	struct mshv_get_set_vp_state args;
	union hv_output_get_vp_state timers;
	struct hv_vp_state_data state;
	struct page **pages = NULL;
	long pinned = 0, nr_pages;
	u32 data_size;
	int ret;

	BUILD_BUG_ON(sizeof(args) != 16);
	if (copy_from_user(&args, user_args, sizeof(args)))
		return -EFAULT;

	if (args.type >= MSHV_VP_STATE_COUNT || memchr_inv(args.rsvd, 0, sizeof(args.rsvd)) ||
	    !args.buf_sz || !PAGE_ALIGNED(args.buf_sz) || !PAGE_ALIGNED(args.buf_ptr)) {
		vp_dbg_input(vp, "vp state: bad arguments\n");
		return -EINVAL;
	}
	if (!access_ok(u64_to_user_ptr(args.buf_ptr), args.buf_sz))
		return -EFAULT;

	ret = mshv_vp_state_describe(vp, args.type, &data_size, &state);
	if (ret)
		return ret;

	/* The required size always goes back first (upstream behaviour). */
	if (put_user(data_size, &user_args->buf_sz))
		return -EFAULT;
	if (data_size > args.buf_sz)
		return -EINVAL;

	if (!(state.type & HV_GET_SET_VP_STATE_TYPE_PFN)) {
		if (is_set) {
			if (copy_from_user(&timers, u64_to_user_ptr(args.buf_ptr), data_size))
				return -EFAULT;
			return hv_call_set_vp_state(vp->vp_index, pt_id, &state, 0, NULL,
						    data_size, &timers);
		}
		ret = hv_call_get_vp_state(vp->vp_index, pt_id, &state, 0, NULL, &timers);
		if (ret)
			return ret;
		if (copy_to_user(u64_to_user_ptr(args.buf_ptr), &timers, data_size))
			return -EFAULT;
		return 0;
	}

	nr_pages = args.buf_sz >> PAGE_SHIFT;
	if (nr_pages > HV_GET_SET_VP_STATE_BATCH_SIZE)
		return -EINVAL;
	pages = kcalloc(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	pinned = pin_user_pages_fast(args.buf_ptr, nr_pages, is_set ? 0 : FOLL_WRITE, pages);
	if (pinned != nr_pages) {
		ret = pinned < 0 ? pinned : -EFAULT;
		goto unpin;
	}

	if (is_set)
		ret = hv_call_set_vp_state(vp->vp_index, pt_id, &state, nr_pages, pages, 0, NULL);
	else
		ret = hv_call_get_vp_state(vp->vp_index, pt_id, &state, nr_pages, pages, NULL);

unpin:
	if (pinned > 0)
		unpin_user_pages_dirty_lock(pages, pinned, !is_set);
	kfree(pages);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* VP fd                                                                  */
/* ---------------------------------------------------------------------- */

static long mshv_vp_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct mshv_vp *vp = filp->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (mutex_lock_killable(&vp->vp_mutex))
		return -EINTR;

	switch (ioctl) {
	case MSHV_RUN_VP:
		ret = mshv_vp_ioctl_run_vp(vp, uarg);
		break;
	case MSHV_GET_VP_STATE:
		ret = mshv_vp_ioctl_get_set_state(vp, uarg, false);
		break;
	case MSHV_SET_VP_STATE:
		ret = mshv_vp_ioctl_get_set_state(vp, uarg, true);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_ioctl_passthru_hvcall(vp->vp_partition, false, false, uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

	mutex_unlock(&vp->vp_mutex);
	return ret;
}

static struct page *mshv_vp_page_at(struct mshv_vp *vp, unsigned long pgoff)
{
	switch (pgoff) {
	case MSHV_VP_MMAP_OFFSET_REGISTERS:
		return vp->vp_register_page;
	case MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE:
		return vp->vp_intercept_msg_page;
	}
	return NULL;	/* GHCB: SNP only, never mapped here */
}

static vm_fault_t mshv_vp_fault(struct vm_fault *vmf)
{
	struct mshv_vp *vp = vmf->vma->vm_file->private_data;
	struct page *page = mshv_vp_page_at(vp, vmf->pgoff);

	if (!page)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct mshv_vp_vm_ops = {
	.fault = mshv_vp_fault,
};

static int mshv_vp_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mshv_vp *vp = file->private_data;

	if (vma->vm_pgoff >= MSHV_VP_MMAP_OFFSET_COUNT)
		return -EINVAL;
	if (!mshv_vp_page_at(vp, vma->vm_pgoff))
		return -ENODEV;
	vma->vm_ops = &mshv_vp_vm_ops;
	return 0;
}

static int mshv_vp_release(struct inode *inode, struct file *filp)
{
	struct mshv_vp *vp = filp->private_data;

	/* The VP itself lives until its partition is destroyed. */
	mshv_partition_put(vp->vp_partition);
	return 0;
}

static const struct file_operations mshv_vp_fops = {
	.owner = THIS_MODULE,
	.release = mshv_vp_release,
	.unlocked_ioctl = mshv_vp_ioctl,
	.llseek = noop_llseek,
	.mmap = mshv_vp_mmap,
};

long mshv_partition_ioctl_create_vp(struct mshv_partition *partition, void __user *arg)
{
	struct mshv_create_vp args;
	struct mshv_vp *vp;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.vp_index >= MSHV_MAX_VPS) {
		pt_dbg_input(partition, "create vp: index %u >= %u\n", args.vp_index,
			     MSHV_MAX_VPS);
		return -EINVAL;
	}
	if (partition->pt_vp_array[args.vp_index])
		return -EEXIST;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->vp_index = args.vp_index;
	vp->vp_partition = partition;
	mutex_init(&vp->vp_mutex);
	init_waitqueue_head(&vp->run.suspend_queue);
	atomic64_set(&vp->run.signaled_count, 0);

	ret = hv_call_create_vp(NUMA_NO_NODE, partition->pt_id, args.vp_index, 0);
	trace_mshv_create_vp(partition->pt_id, args.vp_index, ret);
	if (ret)
		goto free_vp;

	ret = mshv_vp_map_state_page(vp, HV_VP_STATE_PAGE_INTERCEPT_MESSAGE,
				     &vp->vp_intercept_overlay, &vp->vp_intercept_msg_page);
	if (ret)
		goto unmap_pages;
	ret = mshv_vp_map_state_page(vp, HV_VP_STATE_PAGE_REGISTERS,
				     &vp->vp_register_overlay, &vp->vp_register_page);
	if (ret)
		goto unmap_pages;
	ret = mshv_vp_stats_map(vp);
	if (ret)
		goto unmap_pages;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto unmap_pages;
	}
	/* The fd's reference; cannot fail while the partition fd is held. */
	mshv_partition_get(partition);
	file = anon_inode_getfile("mshv_vp", &mshv_vp_fops, vp, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto put_partition;
	}

	/* Publish for the ISR, then hand out the fd; nothing fails after. */
	smp_store_release(&partition->pt_vp_array[args.vp_index], vp);
	partition->pt_vp_count++;
	fd_install(fd, file);
	return fd;

put_partition:
	mshv_partition_put(partition);
	put_unused_fd(fd);
unmap_pages:
	mshv_vp_unmap_state_pages(vp);
	hv_call_delete_vp(partition->pt_id, args.vp_index);
free_vp:
	kfree(vp);
	return ret;
}
