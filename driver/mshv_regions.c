// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory: MSHV_SET_GUEST_MEMORY with movable or pinned RAM regions.
 *
 * 7.2 semantics: regions may not overlap in guest physical space (-EEXIST)
 * but may share userspace memory; unmapping needs the exact region
 * (-ENOENT when no region holds the GFN, -EINVAL when it differs).  Each
 * pinned region is pinned with FOLL_WRITE | FOLL_LONGTERM in 256 MiB batches
 * and mapped in chunks: 2 MiB "large pages" where the backing folio is at least
 * PMD order and PFN, GFN and the remaining count are 2 MiB aligned, 4 KiB
 * pages elsewhere.
 *
 * A VM_IO | VM_PFNMAP mapping (a VFIO BAR) is an MMIO region: its host
 * frames follow the VMA's vm_pgoff (VFIO convention), must not be RAM, and
 * are mapped uncached with 4 KiB pages; nothing is pinned.
 *
 * Movable RAM regions are the default, as in 6.19+ for partitions that
 * are not isolated (all of ours: MSHV_PT_ISOLATION_COUNT is 1), when the
 * kernel has CONFIG_HMM_MIRROR: nothing is pinned and no per-page array is
 * kept (driver memory is the region structure plus one bit per 2 MiB).
 * The whole range is mapped NO_ACCESS at creation; a GPA intercept on it
 * during MSHV_RUN_VP is resolved in the kernel: the 2 MiB-aligned chunk
 * around the GFN is faulted in with hmm_range_fault() (for write when the
 * region is writable, so a COW or zero page is never mapped writable) and
 * mapped with the region's flags, as one 2 MiB page when the chunk is one
 * PMD-order folio in order (a THP), then the VP runs on.  An access the
 * region's flags deny (a write to a read-only region, execution of a
 * non-executable one) goes to userspace.  The mmu_interval_notifier remaps
 * invalidated ranges NO_ACCESS, so no stale frame stays mapped after
 * MADV_DONTNEED, migration, compaction or swap.  If the notifier cannot be
 * registered, without CONFIG_HMM_MIRROR, or with the writable module
 * parameter movable_regions set to N, regions are pinned instead.
 *
 * pt_fault_mutex keeps a region alive while the run path resolves a fault
 * (VP ioctl, no pt_mutex); region removal takes it too.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/mmu_notifier.h>
#include <linux/hmm.h>
#include <linux/slab.h>
#include <linux/moduleparam.h>

#include <linux/mshv.h>

#include "compat/compat-mm.h"
#include "mshv_root.h"
#include "mshv_trace.h"

#define MSHV_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
/* Entries of one 4 KiB page of second-level (SLAT) tables. */
#define MSHV_SLAT_ENTRIES_PER_PAGE	512

/* May pages[i..] be mapped as one 2 MiB page? */
static bool mshv_region_large_at(struct mshv_mem_region *region, u64 i)
{
	struct page *page = region->pages[i];
	u64 pfn = page_to_pfn(page);

	BUILD_BUG_ON(HV_HYP_PAGES_PER_LARGE_PAGE != 1 << MSHV_PMD_ORDER);
	if (region->nr_pages - i < HV_HYP_PAGES_PER_LARGE_PAGE ||
	    (region->start_gfn + i) % HV_HYP_PAGES_PER_LARGE_PAGE ||
	    pfn % HV_HYP_PAGES_PER_LARGE_PAGE)
		return false;
	if (compound_order(compound_head(page)) < MSHV_PMD_ORDER)
		return false;
	/* The 512 pages must be that one folio's, in order. */
	page = region->pages[i + HV_HYP_PAGES_PER_LARGE_PAGE - 1];
	return page_to_pfn(page) == pfn + HV_HYP_PAGES_PER_LARGE_PAGE - 1 &&
	       compound_head(page) == compound_head(region->pages[i]);
}

/* Length (pages) of the run at @i with one stride; *large says which. */
static u64 mshv_region_chunk(struct mshv_mem_region *region, u64 i, bool *large)
{
	u64 end = i;

	*large = mshv_region_large_at(region, i);
	if (*large) {
		while (end < region->nr_pages && mshv_region_large_at(region, end))
			end += HV_HYP_PAGES_PER_LARGE_PAGE;
	} else {
		while (end < region->nr_pages && !mshv_region_large_at(region, end))
			end++;
	}
	return end - i;
}

static void mshv_region_unmap(struct mshv_partition *partition,
			      struct mshv_mem_region *region, u64 nr_pages)
{
	u64 i = 0, len;
	bool large;

	if (region->is_mmio) {
		hv_call_unmap_gpa_pages(partition->pt_id, region->start_gfn, nr_pages, 0);
		return;
	}

	while (i < nr_pages) {
		len = min(mshv_region_chunk(region, i, &large), nr_pages - i);
		hv_call_unmap_gpa_pages(partition->pt_id, region->start_gfn + i, len,
					large ? HV_UNMAP_GPA_LARGE_PAGE : 0);
		i += len;
	}
}

/*
 * Deposit ahead what the hypervisor's second-level tables for @region
 * will take: one page per 512 entries of either size.  Without it a large
 * region runs into INSUFFICIENT_MEMORY every few hundred MiB, and each of
 * those costs a failed map call and a 256-page deposit; the pages come
 * back with the partition's memory at destruction.
 */
static int mshv_region_predeposit(struct mshv_partition *partition,
				  struct mshv_mem_region *region)
{
	u64 i = 0, len, entries = 0;
	bool large;

	while (i < region->nr_pages) {
		len = mshv_region_chunk(region, i, &large);
		entries += large ? len / HV_HYP_PAGES_PER_LARGE_PAGE : len;
		i += len;
	}
	if (entries < MSHV_SLAT_ENTRIES_PER_PAGE)
		return 0;
	return hv_call_deposit_pages(NUMA_NO_NODE, partition->pt_id,
				     entries / MSHV_SLAT_ENTRIES_PER_PAGE);
}

static int mshv_region_map(struct mshv_partition *partition, struct mshv_mem_region *region)
{
	u64 i = 0, len;
	bool large;
	int ret;

	if (region->is_mmio)
		return hv_call_map_gpa_pages(partition->pt_id, region->start_gfn,
					     region->nr_pages, region->hv_map_flags, NULL,
					     region->mmio_pfn);
	if (region->movable)
		return hv_call_map_gpa_pages(partition->pt_id, region->start_gfn,
					     region->nr_pages, HV_MAP_GPA_NO_ACCESS, NULL, 0);

	ret = mshv_region_predeposit(partition, region);
	if (ret)
		return ret;

	while (i < region->nr_pages) {
		len = mshv_region_chunk(region, i, &large);
		ret = hv_call_map_gpa_pages(partition->pt_id, region->start_gfn + i, len,
					    region->hv_map_flags |
					    (large ? HV_MAP_GPA_LARGE_PAGE : 0),
					    &region->pages[i], 0);
		if (ret) {
			/* The failed chunk cleaned up after itself. */
			mshv_region_unmap(partition, region, i);
			return ret;
		}
		i += len;
	}
	return 0;
}

static void mshv_region_unpin(struct mshv_mem_region *region)
{
	u64 done = 0, batch;

	while (done < region->nr_pinned) {
		batch = min_t(u64, region->nr_pinned - done, MSHV_PIN_PAGES_BATCH_SIZE);
		unpin_user_pages_dirty_lock(&region->pages[done], batch,
					    region->hv_map_flags & HV_MAP_GPA_WRITABLE);
		done += batch;
	}
	atomic64_sub(region->nr_pinned, &mshv_pinned_pages);
	region->nr_pinned = 0;
}

static int mshv_region_pin(struct mshv_mem_region *region)
{
	u64 batch;
	long ret;

	while (region->nr_pinned < region->nr_pages) {
		batch = min_t(u64, region->nr_pages - region->nr_pinned,
			      MSHV_PIN_PAGES_BATCH_SIZE);
		ret = pin_user_pages_fast(region->start_uaddr +
					  (region->nr_pinned << PAGE_SHIFT), batch,
					  FOLL_WRITE | FOLL_LONGTERM,
					  &region->pages[region->nr_pinned]);
		if (ret > 0) {
			region->nr_pinned += ret;
			atomic64_add(ret, &mshv_pinned_pages);
		}
		if (ret != batch) {
			mshv_region_unpin(region);
			return ret < 0 ? ret : -EFAULT;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Movable regions                                                        */
/* ---------------------------------------------------------------------- */

struct mshv_region_movable {
	struct mmu_interval_notifier mni;
	struct mutex lock;		/* hypervisor mapping vs. invalidation */
	struct mshv_partition *partition;
	struct mshv_mem_region *region;
	/*
	 * Bit c: 2 MiB-aligned chunk c (counted from the one holding
	 * start_gfn) is mapped as one large page.  Written under lock; read
	 * without it for statistics only.
	 */
	unsigned long large[];
};

static bool mshv_movable_regions = IS_ENABLED(CONFIG_HMM_MIRROR);
module_param_named(movable_regions, mshv_movable_regions, bool, 0644);
MODULE_PARM_DESC(movable_regions,
		 "New RAM regions are movable (HMM, default where available) instead of pinned");

static u64 mshv_region_chunk_index(struct mshv_mem_region *region, u64 gfn)
{
	return gfn / HV_HYP_PAGES_PER_LARGE_PAGE -
	       region->start_gfn / HV_HYP_PAGES_PER_LARGE_PAGE;
}

static u64 mshv_region_nr_chunks(struct mshv_mem_region *region)
{
	return mshv_region_chunk_index(region, region->start_gfn + region->nr_pages - 1) + 1;
}

/* Pages faulted in per GPA intercept: one 2 MiB-aligned chunk. */
#define MSHV_FAULT_CHUNK_PAGES	HV_HYP_PAGES_PER_LARGE_PAGE

#if IS_ENABLED(CONFIG_HMM_MIRROR)
static bool mshv_region_invalidate(struct mmu_interval_notifier *mni,
				   const struct mmu_notifier_range *range,
				   unsigned long cur_seq)
{
	struct mshv_region_movable *mv = container_of(mni, struct mshv_region_movable, mni);
	struct mshv_mem_region *region = mv->region;
	u64 start, end, gfn, n, first;

	if (mmu_notifier_range_blockable(range))
		mutex_lock(&mv->lock);
	else if (!mutex_trylock(&mv->lock))
		return false;
	mmu_interval_set_seq(mni, cur_seq);
	start = max_t(u64, range->start, region->start_uaddr);
	end = min_t(u64, range->end, region->start_uaddr + (region->nr_pages << PAGE_SHIFT));
	if (start < end) {
		gfn = region->start_gfn + ((start - region->start_uaddr) >> PAGE_SHIFT);
		n = (end - start) >> PAGE_SHIFT;
		/*
		 * A failure would leave the hypervisor mapping frames the
		 * kernel is about to reuse; hv_call_map_gpa_pages() logs it
		 * and there is nobody to return it to.
		 */
		hv_call_map_gpa_pages(mv->partition->pt_id, gfn, n, HV_MAP_GPA_NO_ACCESS,
				      NULL, 0);
		first = mshv_region_chunk_index(region, gfn);
		bitmap_clear(mv->large, first, mshv_region_chunk_index(region, gfn + n - 1) -
			     first + 1);
	}
	mutex_unlock(&mv->lock);
	return true;
}

static const struct mmu_interval_notifier_ops mshv_region_mni_ops = {
	.invalidate = mshv_region_invalidate,
};

static int mshv_region_movable_init(struct mshv_partition *partition,
				    struct mshv_mem_region *region)
{
	struct mshv_region_movable *mv;
	size_t size;
	int ret;

	if (!READ_ONCE(mshv_movable_regions))
		return -EOPNOTSUPP;
	size = struct_size(mv, large, BITS_TO_LONGS(mshv_region_nr_chunks(region)));
	mv = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!mv)
		return -ENOMEM;
	mutex_init(&mv->lock);
	mv->partition = partition;
	mv->region = region;
	ret = mmu_interval_notifier_insert(&mv->mni, current->mm, region->start_uaddr,
					   region->nr_pages << PAGE_SHIFT, &mshv_region_mni_ops);
	if (ret) {
		kfree(mv);
		return ret;
	}
	region->movable = mv;
	region->alloc_bytes += size;
	return 0;
}

/*
 * Are these 512 pages, GFN-aligned by the caller, one 2 MiB-aligned run of
 * a folio of at least PMD order (a THP, or part of a hugetlb page)?
 */
static bool mshv_pages_form_large(struct page **pages)
{
	u64 pfn = page_to_pfn(pages[0]), i;

	if (pfn % HV_HYP_PAGES_PER_LARGE_PAGE ||
	    compound_order(compound_head(pages[0])) < MSHV_PMD_ORDER)
		return false;
	for (i = 1; i < HV_HYP_PAGES_PER_LARGE_PAGE; i++)
		if (page_to_pfn(pages[i]) != pfn + i)
			return false;
	return compound_head(pages[HV_HYP_PAGES_PER_LARGE_PAGE - 1]) ==
	       compound_head(pages[0]);
}

/* Fault in and map the chunk of @region around @gfn. */
static int mshv_region_fault(struct mshv_mem_region *region, u64 gfn)
{
	struct mshv_region_movable *mv = region->movable;
	u64 first = max(ALIGN_DOWN(gfn, MSHV_FAULT_CHUNK_PAGES), region->start_gfn);
	u64 last = min(ALIGN_DOWN(gfn, MSHV_FAULT_CHUNK_PAGES) + MSHV_FAULT_CHUNK_PAGES,
		       region->start_gfn + region->nr_pages);
	u64 n = last - first, i;
	struct mm_struct *mm = mv->mni.mm;
	struct hmm_range range = {
		.notifier = &mv->mni,
		.start = region->start_uaddr + ((first - region->start_gfn) << PAGE_SHIFT),
		.end = region->start_uaddr + ((last - region->start_gfn) << PAGE_SHIFT),
		.default_flags = HMM_PFN_REQ_FAULT |
				 (region->hv_map_flags & HV_MAP_GPA_WRITABLE ?
				  HMM_PFN_REQ_WRITE : 0),
	};
	struct page **pages;
	unsigned long *pfns;
	bool large;
	int ret;

	pfns = kmalloc_array(n, sizeof(*pfns), GFP_KERNEL);
	pages = kmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pfns || !pages) {
		ret = -ENOMEM;
		goto out_free;
	}
	range.hmm_pfns = pfns;
	if (!mmget_not_zero(mm)) {
		ret = -EFAULT;
		goto out_free;
	}
	for (;;) {
		/* Invalidations may keep racing; a dying task stops retrying. */
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		range.notifier_seq = mmu_interval_read_begin(&mv->mni);
		mmap_read_lock(mm);
		ret = hmm_range_fault(&range);
		mmap_read_unlock(mm);
		if (ret == -EBUSY)
			continue;
		if (ret)
			break;
		mutex_lock(&mv->lock);
		if (mmu_interval_read_retry(&mv->mni, range.notifier_seq)) {
			mutex_unlock(&mv->lock);
			continue;
		}
		for (i = 0; i < n; i++)
			pages[i] = hmm_pfn_to_page(pfns[i]);
		large = n == HV_HYP_PAGES_PER_LARGE_PAGE && mshv_pages_form_large(pages);
		ret = hv_call_map_gpa_pages(mv->partition->pt_id, first, n,
					    region->hv_map_flags |
					    (large ? HV_MAP_GPA_LARGE_PAGE : 0), pages, 0);
		if (!ret && large)
			set_bit(mshv_region_chunk_index(region, first), mv->large);
		mutex_unlock(&mv->lock);
		break;
	}
	mmput(mm);
out_free:
	kfree(pages);
	kfree(pfns);
	return ret;
}
#else
static int mshv_region_movable_init(struct mshv_partition *partition,
				    struct mshv_mem_region *region)
{
	return -EOPNOTSUPP;	/* pinned instead */
}

static int mshv_region_fault(struct mshv_mem_region *region, u64 gfn)
{
	return -EFAULT;
}
#endif

/* Unmap a movable region: chunks mapped as large pages with that flag. */
static void mshv_region_movable_unmap(struct mshv_partition *partition,
				      struct mshv_mem_region *region)
{
	const unsigned long *large = region->movable->large;
	u64 gfn = region->start_gfn, end = gfn + region->nr_pages, next;
	bool is_large;

	while (gfn < end) {
		/* A set bit stands for a whole, aligned chunk inside the region. */
		is_large = test_bit(mshv_region_chunk_index(region, gfn), large);
		next = gfn;
		do {
			next = min(ALIGN_DOWN(next, HV_HYP_PAGES_PER_LARGE_PAGE) +
				   HV_HYP_PAGES_PER_LARGE_PAGE, end);
		} while (next < end &&
			 test_bit(mshv_region_chunk_index(region, next), large) == is_large);
		hv_call_unmap_gpa_pages(partition->pt_id, gfn, next - gfn,
					is_large ? HV_UNMAP_GPA_LARGE_PAGE : 0);
		gfn = next;
	}
}

/* Stop mirroring; with @partition, unmap the region from the hypervisor. */
static void mshv_region_movable_exit(struct mshv_partition *partition,
				     struct mshv_mem_region *region)
{
	if (!region->movable)
		return;
#if IS_ENABLED(CONFIG_HMM_MIRROR)
	mmu_interval_notifier_remove(&region->movable->mni);
#endif
	/* Only now: no invalidation can remap part of it behind the unmap. */
	if (partition)
		mshv_region_movable_unmap(partition, region);
	kfree(region->movable);
	region->movable = NULL;
}

static struct mshv_mem_region *mshv_region_find_gfn(struct mshv_partition *partition,
						    u64 gfn);

/*
 * After MSHV_RUN_VP returned @msg: true if it was a GPA intercept on
 * movable RAM that the region allows and that is now mapped (run again).
 */
bool mshv_region_resolve_gpa_intercept(struct mshv_partition *partition,
				       const struct hv_message *msg)
{
	const struct hv_x64_memory_intercept_message *m = (const void *)msg->u.payload;
	u32 type = READ_ONCE(msg->header.message_type);
	struct mshv_mem_region *region;
	bool resolved = false;
	u32 need;
	u64 gfn;

	if (type != HVMSG_GPA_INTERCEPT && type != HVMSG_UNMAPPED_GPA)
		return false;
	gfn = m->guest_physical_address >> HV_HYP_PAGE_SHIFT;
	switch (m->header.intercept_access_type) {
	case HV_INTERCEPT_ACCESS_WRITE:
		need = HV_MAP_GPA_WRITABLE;
		break;
	case HV_INTERCEPT_ACCESS_EXECUTE:
		need = HV_MAP_GPA_EXECUTABLE;
		break;
	default:
		need = HV_MAP_GPA_READABLE;
		break;
	}

	mutex_lock(&partition->pt_fault_mutex);
	region = mshv_region_find_gfn(partition, gfn);
	if (region && region->movable && (region->hv_map_flags & need))
		resolved = !mshv_region_fault(region, gfn);
	mutex_unlock(&partition->pt_fault_mutex);
	return resolved;
}

static void mshv_region_destroy(struct mshv_partition *partition,
				struct mshv_mem_region *region)
{
	trace_mshv_map_memory(partition->pt_id, region->start_gfn, region->nr_pages,
			      region->start_uaddr, region->hv_map_flags, true, 0);
	if (region->movable)
		mshv_region_movable_exit(partition, region);
	else
		mshv_region_unmap(partition, region, region->nr_pages);
	mshv_region_unpin(region);
	atomic64_sub(region->alloc_bytes, &mshv_region_bytes);
	vfree(region);
}

/* Caller holds pt_mutex or pt_fault_mutex (writers hold both). */
static struct mshv_mem_region *mshv_region_find_gfn(struct mshv_partition *partition,
						    u64 gfn)
{
	struct mshv_mem_region *region;

	hlist_for_each_entry(region, &partition->pt_mem_regions, hnode)
		if (gfn >= region->start_gfn && gfn - region->start_gfn < region->nr_pages)
			return region;
	return NULL;
}

static bool mshv_region_overlaps(struct mshv_partition *partition, u64 gfn, u64 nr_pages)
{
	struct mshv_mem_region *region;

	hlist_for_each_entry(region, &partition->pt_mem_regions, hnode)
		if (gfn < region->start_gfn + region->nr_pages &&
		    region->start_gfn < gfn + nr_pages)
			return true;
	return false;
}

static long mshv_map_user_memory(struct mshv_partition *partition,
				 const struct mshv_user_mem_region *mem)
{
	u64 nr_pages = mem->size >> HV_HYP_PAGE_SHIFT;
	struct mshv_mem_region *region;
	struct vm_area_struct *vma;
	bool is_mmio, mmio_fits;
	u64 mmio_pfn = 0, i;
	int ret;

	if (mem->guest_pfn + nr_pages < mem->guest_pfn ||
	    !access_ok(u64_to_user_ptr(mem->userspace_addr), mem->size)) {
		pt_dbg_input(partition, "set memory: range wraps\n");
		return -EINVAL;
	}

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, mem->userspace_addr);
	is_mmio = vma && (vma->vm_flags & (VM_IO | VM_PFNMAP));
	if (is_mmio) {
		mmio_pfn = vma->vm_pgoff + ((mem->userspace_addr - vma->vm_start) >> PAGE_SHIFT);
		mmio_fits = mem->size <= vma->vm_end - mem->userspace_addr;
	}
	mmap_read_unlock(current->mm);
	if (!vma) {
		pt_dbg_input(partition, "set memory: no mapping at %#llx\n", mem->userspace_addr);
		return -EINVAL;
	}
	if (is_mmio) {
		if (!mmio_fits) {
			pt_dbg_input(partition, "set memory: MMIO range exceeds its mapping\n");
			return -EINVAL;
		}
		for (i = 0; i < nr_pages; i++) {
			if (page_is_ram(mmio_pfn + i)) {
				pt_dbg_input(partition, "set memory: MMIO pfn %#llx is RAM\n",
					     mmio_pfn + i);
				return -EINVAL;
			}
		}
	}

	if (mshv_region_overlaps(partition, mem->guest_pfn, nr_pages))
		return -EEXIST;

	region = vzalloc(sizeof(*region));
	if (!region)
		return -ENOMEM;
	region->alloc_bytes = sizeof(*region);
	region->start_gfn = mem->guest_pfn;
	region->start_uaddr = mem->userspace_addr;
	region->nr_pages = nr_pages;
	region->is_mmio = is_mmio;
	region->mmio_pfn = mmio_pfn;
	if (is_mmio) {
		region->hv_map_flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE |
				       HV_MAP_GPA_NOT_CACHED;
	} else {
		region->hv_map_flags = HV_MAP_GPA_READABLE | HV_MAP_GPA_ADJUSTABLE;
		if (mem->flags & BIT(MSHV_SET_MEM_BIT_WRITABLE))
			region->hv_map_flags |= HV_MAP_GPA_WRITABLE;
		if (mem->flags & BIT(MSHV_SET_MEM_BIT_EXECUTABLE))
			region->hv_map_flags |= HV_MAP_GPA_EXECUTABLE;

		if (mshv_region_movable_init(partition, region)) {
			/* Pinned: the region needs its page array after all. */
			struct mshv_mem_region *pinned;

			pinned = vzalloc(struct_size(region, pages, nr_pages));
			if (!pinned) {
				ret = -ENOMEM;
				goto free_region;
			}
			memcpy(pinned, region, sizeof(*region));
			pinned->alloc_bytes = struct_size(region, pages, nr_pages);
			vfree(region);
			region = pinned;
			ret = mshv_region_pin(region);
			if (ret)
				goto free_region;
		}
	}
	ret = mshv_region_map(partition, region);
	if (ret)
		goto unpin_region;

	atomic64_add(region->alloc_bytes, &mshv_region_bytes);
	mutex_lock(&partition->pt_fault_mutex);
	spin_lock(&partition->pt_regions_lock);
	hlist_add_head(&region->hnode, &partition->pt_mem_regions);
	spin_unlock(&partition->pt_regions_lock);
	mutex_unlock(&partition->pt_fault_mutex);
	trace_mshv_map_memory(partition->pt_id, region->start_gfn, nr_pages,
			      region->start_uaddr, region->hv_map_flags, false, 0);
	return 0;

unpin_region:
	mshv_region_unpin(region);
free_region:
	mshv_region_movable_exit(NULL, region);	/* a failed map unmapped itself */
	vfree(region);
	trace_mshv_map_memory(partition->pt_id, mem->guest_pfn, nr_pages,
			      mem->userspace_addr, 0, false, ret);
	return ret;
}

static long mshv_unmap_user_memory(struct mshv_partition *partition,
				   const struct mshv_user_mem_region *mem)
{
	struct mshv_mem_region *region = mshv_region_find_gfn(partition, mem->guest_pfn);

	if (!region)
		return -ENOENT;
	if (region->start_gfn != mem->guest_pfn ||
	    region->start_uaddr != mem->userspace_addr ||
	    region->nr_pages != mem->size >> HV_HYP_PAGE_SHIFT) {
		pt_dbg_input(partition, "unmap: not exactly region gfn %#llx\n",
			     region->start_gfn);
		return -EINVAL;
	}

	mutex_lock(&partition->pt_fault_mutex);
	spin_lock(&partition->pt_regions_lock);
	hlist_del(&region->hnode);
	spin_unlock(&partition->pt_regions_lock);
	mshv_region_destroy(partition, region);
	mutex_unlock(&partition->pt_fault_mutex);
	return 0;
}

long mshv_partition_ioctl_set_memory(struct mshv_partition *partition, void __user *arg)
{
	struct mshv_user_mem_region mem;

	BUILD_BUG_ON(sizeof(mem) != 32);
	if (copy_from_user(&mem, arg, sizeof(mem)))
		return -EFAULT;

	if (!mem.size || !PAGE_ALIGNED(mem.size) || !PAGE_ALIGNED(mem.userspace_addr) ||
	    (mem.flags & ~MSHV_SET_MEM_FLAGS_MASK) || memchr_inv(mem.rsvd, 0, sizeof(mem.rsvd))) {
		pt_dbg_input(partition, "set memory: bad arguments\n");
		return -EINVAL;
	}

	if (mem.flags & BIT(MSHV_SET_MEM_BIT_UNMAP))
		return mshv_unmap_user_memory(partition, &mem);
	return mshv_map_user_memory(partition, &mem);
}

void mshv_partition_destroy_regions(struct mshv_partition *partition)
{
	struct mshv_mem_region *region;
	struct hlist_node *n;

	mutex_lock(&partition->pt_fault_mutex);
	hlist_for_each_entry_safe(region, n, &partition->pt_mem_regions, hnode) {
		hlist_del(&region->hnode);
		mshv_region_destroy(partition, region);
	}
	mutex_unlock(&partition->pt_fault_mutex);
}

/* Netlink: sizes of the mapped guest memory, by page size (RCU or pt_mutex). */
void mshv_partition_mem_stats(struct mshv_partition *partition, struct mshv_mem_stats *st)
{
	struct mshv_mem_region *region;
	u64 i, len;
	bool large;

	memset(st, 0, sizeof(*st));
	spin_lock(&partition->pt_regions_lock);
	hlist_for_each_entry(region, &partition->pt_mem_regions, hnode) {
		st->regions++;
		if (region->is_mmio) {
			st->bytes_mmio += region->nr_pages << HV_HYP_PAGE_SHIFT;
			continue;
		}
		if (region->movable) {
			len = (u64)bitmap_weight(region->movable->large,
						 mshv_region_nr_chunks(region)) *
			      HV_HYP_PAGES_PER_LARGE_PAGE;
			st->bytes_2m += len << HV_HYP_PAGE_SHIFT;
			st->bytes_4k += (region->nr_pages - len) << HV_HYP_PAGE_SHIFT;
			continue;
		}
		st->pinned_pages += region->nr_pinned;
		for (i = 0; i < region->nr_pages; i += len) {
			len = mshv_region_chunk(region, i, &large);
			if (large)
				st->bytes_2m += len << HV_HYP_PAGE_SHIFT;
			else
				st->bytes_4k += len << HV_HYP_PAGE_SHIFT;
		}
	}
	spin_unlock(&partition->pt_regions_lock);
}
