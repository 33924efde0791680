/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic hypercall path of mshv_root: the active backend, per-CPU
 * hypercall pages, rep continuation, memory deposit and withdrawal.
 *
 * Only this layer and mshv_root_hv_call.c (one hv_call_*() wrapper per
 * hypercall) issue hypercalls.
 */
#ifndef _MSHV_HV_CALL_H_
#define _MSHV_HV_CALL_H_

#include <linux/types.h>
#include <linux/atomic.h>
#include "hv_backend.h"

/*
 * The backend mshv_root drives, NULL while none is registered.  Written
 * only by mshv_backend_register()/unregister() (mshv_root_main.c).
 */
extern const struct mshv_backend *mshv_hv;

/* Pages deposited into child partitions and not yet withdrawn (tests). */
extern atomic64_t mshv_deposited_pages;
/* Pages deposited into the parent's own pool; never withdrawn. */
extern atomic64_t mshv_self_deposited_pages;

/* Allocate / free the per-CPU hypercall pages of every possible CPU. */
int hv_call_pages_init(void);
void hv_call_pages_exit(void);

/*
 * Claim this CPU's input and output pages: interrupts are disabled until
 * hv_call_put_pages().  The input page is zeroed, the output page is not.
 */
void *hv_call_get_pages(void **output, unsigned long *irqflags);
void hv_call_put_pages(unsigned long irqflags);

/*
 * Claim this CPU's dispatch pages (HvDispatchVp only).  Only preemption is
 * disabled, so the hypervisor may take interrupts during the dispatch;
 * release with hv_call_put_dispatch_pages().  Both pages are zeroed.
 */
void *hv_call_get_dispatch_pages(void **output);
void hv_call_put_dispatch_pages(void);

/* Issue a memory-based hypercall through the backend (pages claimed). */
u64 hv_call_issue(u64 control, void *input, void *output);

/* Issue a fast hypercall (up to 16 input bytes, no output). */
u64 hv_call_issue_fast(u16 code, u64 input1, u64 input2);

/*
 * Issue a rep hypercall from @rep_start to @rep_count, re-issuing with the
 * rep start index advanced while the hypervisor returns early with success.
 * The result word reports the total reps completed.
 */
u64 hv_call_issue_rep(u16 code, u16 rep_count, u16 rep_start, u16 varhead,
		      void *input, void *output);

/* Deposit @num_pages pages of this kernel's memory into @partition_id. */
int hv_call_deposit_pages(int node, u64 partition_id, u32 num_pages);

/*
 * The hypervisor answered @status for a call on behalf of @partition_id:
 * true when that status asks for memory (INSUFFICIENT_MEMORY and the
 * CONTIGUOUS/ROOT variants, 7.0 rules).
 */
bool hv_result_needs_memory(u64 status);

/*
 * Deposit what @status asks for (7.0 rules): one page, or 8 for the
 * CONTIGUOUS variants, into @partition_id, or into the parent itself for
 * the ROOT variants (root partition only; -ENOMEM on L1VH).
 */
int hv_deposit_memory(u64 partition_id, u64 status);

/*
 * Take back up to @count pages from @partition_id (U64_MAX: everything)
 * and free them.
 */
int hv_call_withdraw_memory(u64 count, int node, u64 partition_id);

/* The parent's own partition id: HV_PARTITION_ID_SELF unless root knows it. */
extern u64 mshv_self_partition_id;

/* True on a root partition (CPU management); false on L1VH. */
extern bool mshv_is_root;

#endif /* _MSHV_HV_CALL_H_ */
