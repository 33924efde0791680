// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory: MSHV_SET_GUEST_MEMORY with pinned RAM regions.
 *
 * 7.2 semantics: regions may not overlap in guest physical space (-EEXIST)
 * but may share userspace memory; unmapping needs the exact region
 * (-ENOENT when no region holds the GFN, -EINVAL when it differs).  Each
 * region is pinned with FOLL_WRITE | FOLL_LONGTERM in 256 MiB batches and
 * mapped in chunks: 2 MiB "large pages" where the backing folio is at least
 * PMD order and PFN, GFN and the remaining count are 2 MiB aligned, 4 KiB
 * pages elsewhere.
 *
 * A VM_IO | VM_PFNMAP mapping (a VFIO BAR) is an MMIO region: its host
 * frames follow the VMA's vm_pgoff (VFIO convention), must not be RAM, and
 * are mapped uncached with 4 KiB pages; nothing is pinned.
 *
 * Not yet: movable (HMM) regions; every RAM region is pinned.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

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

static void mshv_region_destroy(struct mshv_partition *partition,
				struct mshv_mem_region *region)
{
	trace_mshv_map_memory(partition->pt_id, region->start_gfn, region->nr_pages,
			      region->start_uaddr, region->hv_map_flags, true, 0);
	mshv_region_unmap(partition, region, region->nr_pages);
	mshv_region_unpin(region);
	vfree(region);
}

/* Caller holds pt_mutex. */
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

	region = vzalloc(is_mmio ? sizeof(*region) : struct_size(region, pages, nr_pages));
	if (!region)
		return -ENOMEM;
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

		ret = mshv_region_pin(region);
		if (ret)
			goto free_region;
	}
	ret = mshv_region_map(partition, region);
	if (ret)
		goto unpin_region;

	spin_lock(&partition->pt_regions_lock);
	hlist_add_head(&region->hnode, &partition->pt_mem_regions);
	spin_unlock(&partition->pt_regions_lock);
	trace_mshv_map_memory(partition->pt_id, region->start_gfn, nr_pages,
			      region->start_uaddr, region->hv_map_flags, false, 0);
	return 0;

unpin_region:
	mshv_region_unpin(region);
free_region:
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

	spin_lock(&partition->pt_regions_lock);
	hlist_del(&region->hnode);
	spin_unlock(&partition->pt_regions_lock);
	mshv_region_destroy(partition, region);
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

	hlist_for_each_entry_safe(region, n, &partition->pt_mem_regions, hnode) {
		hlist_del(&region->hnode);
		mshv_region_destroy(partition, region);
	}
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
