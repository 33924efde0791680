// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory: the per-partition deposit pool, deposit/withdraw, and the
 * second-level (GPA -> SPA) address space with access/dirty tracking.
 *
 * Pool.  Pages the parent deposits become the simulator's.  Free pages are
 * kept on a list linked through the pages themselves (the first u64 of a
 * free page holds the next PFN + 1).  Objects consume pages:
 *   - a child partition: create_pages from the *parent's* pool (the driver
 *     deposits into its own partition id when CreatePartition asks);
 *   - InitializePartition: init_pages; each VP: vp_pages (its intercept
 *     message, register, LAPIC and XSAVE pages are among them);
 *   - second-level page tables: one page per 2 MiB region that holds 4 KiB
 *     mappings and one per 1 GiB region that holds 2 MiB mappings, charged
 *     when the region is first used and released at finalize.
 * Pages consumed without a specific use ("charged") sit on a second
 * self-linked list.  A short pool answers INSUFFICIENT_MEMORY; withdraw
 * hands back free pages only, until the pool is empty (NO_RESOURCES).
 *
 * GPA map.  An xarray keyed by 4 KiB GFN; each value packs the SPA PFN and
 * HVSIM_GPA_* flags.  A 2 MiB mapping is 512 entries marked LARGE; partial
 * unmap or remap of one of them splits it into 4 KiB mappings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/xarray.h>

#include "hvsim.h"

#define HVSIM_GPA_PERM_MASK	0x00fUL	/* HV_MAP_GPA_PERMISSIONS_MASK */
#define HVSIM_GPA_NO_ACCESS	0x010UL
#define HVSIM_GPA_LARGE		0x020UL
#define HVSIM_GPA_ACCESSED	0x040UL
#define HVSIM_GPA_DIRTY		0x080UL
#define HVSIM_GPA_NOT_CACHED	0x100UL
#define HVSIM_GPA_ADJUSTABLE	0x200UL
#define HVSIM_GPA_PFN_SHIFT	12

#define HVSIM_MAP_FLAGS_KNOWN	(HV_MAP_GPA_PERMISSIONS_MASK | HV_MAP_GPA_ADJUSTABLE | \
				 HV_MAP_GPA_NO_ACCESS | HV_MAP_GPA_NOT_CACHED | \
				 HV_MAP_GPA_LARGE_PAGE)

/*
 * 2 MiB pages are kept as 512 entries each; to bound the time spent with
 * interrupts off, a call maps or unmaps at most this many of them and
 * returns SUCCESS with the reps done (the caller continues at rep start).
 */
#define HVSIM_LARGE_REPS_PER_CALL	16

/* slat keys: 2 MiB regions below, 1 GiB regions above this offset */
#define HVSIM_SLAT_1G_BASE	BIT(48)

static u64 *hvsim_pfn_word(u64 pfn)
{
	return page_address(pfn_to_page(pfn));
}

static void hvsim_list_push(u64 *head, u64 pfn)
{
	*hvsim_pfn_word(pfn) = *head;
	*head = pfn + 1;
}

static bool hvsim_list_pop(u64 *head, u64 *pfn)
{
	if (!*head)
		return false;
	*pfn = *head - 1;
	*head = *hvsim_pfn_word(*pfn);
	return true;
}

int hvsim_pool_take(struct hvsim_partition *pt, u64 *pfn)
{
	if (!hvsim_list_pop(&pt->pool.free_head, pfn))
		return -ENOMEM;
	pt->pool.free_count--;
	pt->pool.used_count++;
	return 0;
}

void hvsim_pool_give(struct hvsim_partition *pt, u64 pfn)
{
	hvsim_list_push(&pt->pool.free_head, pfn);
	pt->pool.free_count++;
	pt->pool.used_count--;
}

int hvsim_pool_charge(struct hvsim_partition *pt, u64 n)
{
	u64 pfn, i;

	if (!n)
		return 0;
	if (hvsim_charge_fails() || pt->pool.free_count < n)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		hvsim_pool_take(pt, &pfn);
		hvsim_list_push(&pt->pool.charged_head, pfn);
	}
	return 0;
}

void hvsim_pool_uncharge(struct hvsim_partition *pt, u64 n)
{
	u64 pfn;

	while (n-- && hvsim_list_pop(&pt->pool.charged_head, &pfn))
		hvsim_pool_give(pt, pfn);
}

/* Free every page of the pool back to Linux (delete / module exit). */
void hvsim_pool_release_all(struct hvsim_partition *pt)
{
	u64 pfn, n = 0;

	while (hvsim_list_pop(&pt->pool.charged_head, &pfn)) {
		hvsim_list_push(&pt->pool.free_head, pfn);
		pt->pool.free_count++;
		pt->pool.used_count--;
	}
	while (hvsim_list_pop(&pt->pool.free_head, &pfn)) {
		__free_page(pfn_to_page(pfn));
		n++;
	}
	pt->pool.free_count = 0;
	if (pt->pool.used_count)
		pr_warn("partition %llu: %llu pool pages still in use at release\n",
			pt->id, pt->pool.used_count);
	hvsim_count(HVSIM_CNT_PAGES_HELD, -(s64)n);
	hvsim_count(HVSIM_CNT_PAGES_RECLAIMED, n);
}

u64 hvsim_call_deposit_memory(struct hvsim_call *c)
{
	const struct hv_deposit_memory *in = c->in;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);
	u16 i;

	if (!pt || pt->state == HVSIM_PT_DELETED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, c->rep_start);
	for (i = c->rep_start; i < c->rep_limit; i++) {
		u64 pfn = in->gpa_page_list[i];

		if (!pfn_valid(pfn) || PageReserved(pfn_to_page(pfn)))
			return hvsim_result(HV_STATUS_INVALID_PARAMETER, i);
		hvsim_list_push(&pt->pool.free_head, pfn);
		pt->pool.free_count++;
		hvsim_count(HVSIM_CNT_PAGES_DEPOSITED, 1);
		hvsim_count(HVSIM_CNT_PAGES_HELD, 1);
	}
	return hvsim_result(HV_STATUS_SUCCESS, i);
}

u64 hvsim_call_withdraw_memory(struct hvsim_call *c)
{
	const struct hv_input_withdraw_memory *in = c->in;
	struct hv_output_withdraw_memory *out = c->out;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);
	u64 pfn;
	u16 i;

	if (!pt)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, c->rep_start);
	for (i = c->rep_start; i < c->rep_limit; i++) {
		if (!hvsim_list_pop(&pt->pool.free_head, &pfn))
			return hvsim_result(HV_STATUS_NO_RESOURCES, i);
		pt->pool.free_count--;
		out->gpa_page_list[i] = pfn;
		hvsim_count(HVSIM_CNT_PAGES_WITHDRAWN, 1);
		hvsim_count(HVSIM_CNT_PAGES_HELD, -1);
	}
	return hvsim_result(HV_STATUS_SUCCESS, i);
}

/* Page-table page for the region holding @gfn; charged on first use. */
static int hvsim_slat_charge(struct hvsim_partition *pt, u64 gfn, bool large)
{
	unsigned long key = large ? HVSIM_SLAT_1G_BASE + (gfn >> 18) : gfn >> 9;

	if (xa_load(&pt->slat, key))
		return 0;
	if (hvsim_pool_charge(pt, 1))
		return -ENOMEM;
	if (xa_err(xa_store(&pt->slat, key, xa_mk_value(1), GFP_ATOMIC))) {
		hvsim_pool_uncharge(pt, 1);
		return -ENOMEM;
	}
	return 0;
}

static void hvsim_gpa_split(struct hvsim_partition *pt, u64 gfn)
{
	u64 base = gfn & ~(u64)(HV_HYP_PAGES_PER_LARGE_PAGE - 1);
	u64 i;

	for (i = 0; i < HV_HYP_PAGES_PER_LARGE_PAGE; i++) {
		void *e = xa_load(&pt->gpa, base + i);

		if (!e)
			continue;
		xa_store(&pt->gpa, base + i,
			 xa_mk_value(xa_to_value(e) & ~HVSIM_GPA_LARGE), GFP_ATOMIC);
		pt->gpa_4k++;
	}
	pt->gpa_2m--;
	hvsim_count(HVSIM_CNT_GPA_2M, -1);
	hvsim_count(HVSIM_CNT_GPA_4K, HV_HYP_PAGES_PER_LARGE_PAGE);
}

/* Remove the 4 KiB mapping of @gfn, splitting a 2 MiB mapping first. */
static void hvsim_gpa_remove(struct hvsim_partition *pt, u64 gfn)
{
	void *e = xa_load(&pt->gpa, gfn);

	if (!e)
		return;
	if (xa_to_value(e) & HVSIM_GPA_LARGE)
		hvsim_gpa_split(pt, gfn);
	xa_erase(&pt->gpa, gfn);
	pt->gpa_4k--;
	hvsim_count(HVSIM_CNT_GPA_4K, -1);
}

static unsigned long hvsim_gpa_flags(u32 map_flags)
{
	unsigned long f = map_flags & HVSIM_GPA_PERM_MASK;

	if (map_flags & HV_MAP_GPA_NO_ACCESS)
		f = HVSIM_GPA_NO_ACCESS;
	if (map_flags & HV_MAP_GPA_NOT_CACHED)
		f |= HVSIM_GPA_NOT_CACHED;
	if (map_flags & HV_MAP_GPA_ADJUSTABLE)
		f |= HVSIM_GPA_ADJUSTABLE;
	return f;
}

static u16 hvsim_map_one(struct hvsim_partition *pt, u64 gfn, u64 pfn,
			 unsigned long flags, bool large)
{
	u64 n = large ? HV_HYP_PAGES_PER_LARGE_PAGE : 1, i;

	if (hvsim_slat_charge(pt, gfn, large))
		return hvsim_nomem_status();
	for (i = 0; i < n; i++)
		hvsim_gpa_remove(pt, gfn + i);
	if (large)
		flags |= HVSIM_GPA_LARGE;
	for (i = 0; i < n; i++) {
		u64 spa = (flags & HVSIM_GPA_NO_ACCESS) ? 0 : pfn + i;
		unsigned long v = (spa << HVSIM_GPA_PFN_SHIFT) | flags;

		if (xa_err(xa_store(&pt->gpa, gfn + i, xa_mk_value(v), GFP_ATOMIC)))
			goto err_undo;
	}
	if (large) {
		pt->gpa_2m++;
		hvsim_count(HVSIM_CNT_GPA_2M, 1);
		hvsim_count(HVSIM_CNT_GPA_2M_MAPPED, 1);
	} else {
		pt->gpa_4k++;
		hvsim_count(HVSIM_CNT_GPA_4K, 1);
		hvsim_count(HVSIM_CNT_GPA_4K_MAPPED, 1);
	}
	return HV_STATUS_SUCCESS;

err_undo:
	while (i--)
		xa_erase(&pt->gpa, gfn + i);
	return HV_STATUS_INSUFFICIENT_MEMORY;
}

static u64 hvsim_max_gfn(void)
{
	return 1ULL << (boot_cpu_data.x86_phys_bits - HV_HYP_PAGE_SHIFT);
}

u64 hvsim_call_map_gpa_pages(struct hvsim_call *c)
{
	const struct hv_input_map_gpa_pages *in = c->in;
	bool large = in->map_flags & HV_MAP_GPA_LARGE_PAGE;
	u64 stride = large ? HV_HYP_PAGES_PER_LARGE_PAGE : 1;
	unsigned long flags = hvsim_gpa_flags(in->map_flags);
	struct hvsim_partition *pt = hvsim_partition_find(in->target_partition_id);
	u16 i, st;

	hvsim_count(HVSIM_CNT_GPA_MAP_CALLS, 1);
	if (!pt || pt == hvsim_root)
		return hvsim_result(pt ? HV_STATUS_ACCESS_DENIED :
				    HV_STATUS_INVALID_PARTITION_ID, c->rep_start);
	if (in->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, c->rep_start);
	if (pt->state != HVSIM_PT_INITIALIZED)
		return hvsim_result(HV_STATUS_INVALID_PARTITION_STATE, c->rep_start);
	if ((in->map_flags & ~HVSIM_MAP_FLAGS_KNOWN) ||
	    (large && (in->target_gpa_base & (stride - 1))))
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, c->rep_start);
	if (large)
		c->rep_limit = min_t(u16, c->rep_limit, c->rep_start + HVSIM_LARGE_REPS_PER_CALL);

	for (i = c->rep_start; i < c->rep_limit; i++) {
		u64 gfn = in->target_gpa_base + i * stride;
		u64 pfn = in->source_gpa_page_list[i];

		if (gfn + stride > hvsim_max_gfn())
			return hvsim_result(HV_STATUS_INVALID_PARAMETER, i);
		if (!(flags & HVSIM_GPA_NO_ACCESS)) {
			/* RAM must be real pages; MMIO (not cached) may be anything */
			if (!(flags & HVSIM_GPA_NOT_CACHED) && !pfn_valid(pfn))
				return hvsim_result(HV_STATUS_INVALID_PARAMETER, i);
			if (large && (pfn & (stride - 1)))
				return hvsim_result(HV_STATUS_INVALID_PARAMETER, i);
		}
		st = hvsim_map_one(pt, gfn, pfn, flags, large);
		if (st)
			return hvsim_result(st, i);
	}
	return hvsim_result(HV_STATUS_SUCCESS, i);
}

u64 hvsim_call_unmap_gpa_pages(struct hvsim_call *c)
{
	const struct hv_input_unmap_gpa_pages *in = c->in;
	bool large = in->unmap_flags & HV_UNMAP_GPA_LARGE_PAGE;
	u64 stride = large ? HV_HYP_PAGES_PER_LARGE_PAGE : 1;
	struct hvsim_partition *pt = hvsim_partition_find(in->target_partition_id);
	u16 i;
	u64 j;

	if (!pt || pt == hvsim_root)
		return hvsim_result(pt ? HV_STATUS_ACCESS_DENIED :
				    HV_STATUS_INVALID_PARTITION_ID, c->rep_start);
	if (in->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, c->rep_start);
	if ((in->unmap_flags & ~HV_UNMAP_GPA_LARGE_PAGE) ||
	    (large && (in->target_gpa_base & (stride - 1))))
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, c->rep_start);
	if (large)
		c->rep_limit = min_t(u16, c->rep_limit, c->rep_start + HVSIM_LARGE_REPS_PER_CALL);

	/*
	 * Unmapping a GFN that has no mapping is not an error: after
	 * FinalizePartition the driver unmaps regions the hypervisor has
	 * already torn down, and ignores the result anyway.
	 */
	for (i = c->rep_start; i < c->rep_limit; i++)
		for (j = 0; j < stride; j++)
			hvsim_gpa_remove(pt, in->target_gpa_base + i * stride + j);
	return hvsim_result(HV_STATUS_SUCCESS, i);
}

u64 hvsim_call_get_gpa_pages_access_states(struct hvsim_call *c)
{
	const struct hv_input_get_gpa_pages_access_state *in = c->in;
	u8 *out = c->out;
	struct hvsim_partition *pt = hvsim_partition_find(in->partition_id);
	u64 known = HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_ACCESSED |
		    HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_ACCESSED |
		    HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_DIRTY |
		    HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_DIRTY;
	u16 i;

	if (!pt || pt == hvsim_root)
		return hvsim_result(pt ? HV_STATUS_ACCESS_DENIED :
				    HV_STATUS_INVALID_PARTITION_ID, c->rep_start);
	if (in->flags & ~known)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, c->rep_start);

	/* each byte reports the state before the requested change */
	for (i = c->rep_start; i < c->rep_limit; i++) {
		u64 gfn = in->hv_gpa_page_number + i;
		void *e = xa_load(&pt->gpa, gfn);
		unsigned long v, nv;

		out[i] = 0;
		if (!e)
			continue;
		v = xa_to_value(e);
		if (v & HVSIM_GPA_ACCESSED)
			out[i] |= HV_GPA_PAGE_ACCESS_STATE_ACCESSED;
		if (v & HVSIM_GPA_DIRTY)
			out[i] |= HV_GPA_PAGE_ACCESS_STATE_DIRTY;
		nv = v;
		if (in->flags & HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_ACCESSED)
			nv &= ~HVSIM_GPA_ACCESSED;
		if (in->flags & HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_ACCESSED)
			nv |= HVSIM_GPA_ACCESSED;
		if (in->flags & HV_GPA_PAGE_ACCESS_STATE_FLAG_CLEAR_DIRTY)
			nv &= ~HVSIM_GPA_DIRTY;
		if (in->flags & HV_GPA_PAGE_ACCESS_STATE_FLAG_SET_DIRTY)
			nv |= HVSIM_GPA_DIRTY;
		if (nv != v)
			xa_store(&pt->gpa, gfn, xa_mk_value(nv), GFP_ATOMIC);
	}
	return hvsim_result(HV_STATUS_SUCCESS, i);
}

/* FinalizePartition: drop every mapping and page-table page. */
void hvsim_gpa_clear(struct hvsim_partition *pt)
{
	unsigned long idx, n = 0;
	void *e;

	xa_for_each(&pt->gpa, idx, e)
		xa_erase(&pt->gpa, idx);
	hvsim_count(HVSIM_CNT_GPA_4K, -(s64)pt->gpa_4k);
	hvsim_count(HVSIM_CNT_GPA_2M, -(s64)pt->gpa_2m);
	pt->gpa_4k = 0;
	pt->gpa_2m = 0;
	xa_for_each(&pt->slat, idx, e) {
		xa_erase(&pt->slat, idx);
		n++;
	}
	hvsim_pool_uncharge(pt, n);
}

/*
 * Guest-physical access from the x86 core (any context; no hvsim_lock).
 * The map is read under RCU by xa_load; accessed/dirty updates use
 * cmpxchg so a concurrent unmap or remap is never undone.
 */
enum hvx86_mem_result hvsim_gpa_access(struct hvsim_partition *pt, u64 gpa,
				       void *buf, u32 len,
				       enum hvx86_access access, bool write)
{
	u64 gfn = gpa >> HV_HYP_PAGE_SHIFT;
	unsigned long v, need, nv;
	void *e, *va;
	u64 pfn;

	e = xa_load(&pt->gpa, gfn);
	if (!e)
		return HVX86_MEM_UNMAPPED;
	v = xa_to_value(e);
	if (write)
		need = HV_MAP_GPA_WRITABLE;
	else if (access == HVX86_ACCESS_EXECUTE)
		need = HV_MAP_GPA_EXECUTABLE;
	else
		need = HV_MAP_GPA_READABLE;
	if ((v & HVSIM_GPA_NO_ACCESS) || !(v & need))
		return HVX86_MEM_DENIED;
	pfn = v >> HVSIM_GPA_PFN_SHIFT;
	/* MMIO pages of an assigned device are not modelled */
	if (!pfn_valid(pfn))
		return HVX86_MEM_UNMAPPED;

	va = page_address(pfn_to_page(pfn)) + (gpa & (HV_HYP_PAGE_SIZE - 1));
	if (write)
		memcpy(va, buf, len);
	else
		memcpy(buf, va, len);

	nv = v | HVSIM_GPA_ACCESSED | (write ? HVSIM_GPA_DIRTY : 0);
	if (nv != v)
		xa_cmpxchg(&pt->gpa, gfn, e, xa_mk_value(nv), GFP_ATOMIC);
	return HVX86_MEM_OK;
}

/* For translate-GVA: is @gpa mapped, and with which access. */
int hvsim_gpa_lookup(struct hvsim_partition *pt, u64 gpa, bool *readable,
		     bool *writable)
{
	void *e = xa_load(&pt->gpa, gpa >> HV_HYP_PAGE_SHIFT);
	unsigned long v;

	if (!e)
		return -ENOENT;
	v = xa_to_value(e);
	*readable = !(v & HVSIM_GPA_NO_ACCESS) && (v & HV_MAP_GPA_READABLE);
	*writable = !(v & HVSIM_GPA_NO_ACCESS) && (v & HV_MAP_GPA_WRITABLE);
	return 0;
}
