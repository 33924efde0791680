// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic hypercall path: per-CPU pages, issue through the active backend,
 * rep continuation, deposit and withdrawal of partition memory.
 *
 * The pages are our own on every kernel: the kernel's hyperv_pcpu_*_arg
 * exist only for a root partition before 6.18 (none on L1VH), and a
 * simulator backend has no kernel pages at all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/irqflags.h>
#include <linux/nmi.h>
#include <linux/slab.h>

#include "hv_tlfs.h"
#include "hv_status.h"
#include "hv_call.h"
#include "mshv_trace.h"
#include "mshv_netlink.h"

const struct mshv_backend *mshv_hv;
atomic64_t mshv_deposited_pages = ATOMIC64_INIT(0);
atomic64_t mshv_self_deposited_pages = ATOMIC64_INIT(0);
u64 mshv_self_partition_id = HV_PARTITION_ID_SELF;
bool mshv_is_root;

struct hv_call_pages {
	void *input;
	void *output;
	void *dispatch_input;
	void *dispatch_output;
};

static struct hv_call_pages __percpu *hv_call_pages;

#define HV_DEPOSIT_MAX_REPS	HV_DEPOSIT_MEMORY_BATCH_SIZE
#define HV_WITHDRAW_MAX_REPS	HV_WITHDRAW_BATCH_SIZE

static void hv_call_free_cpu_pages(struct hv_call_pages *p)
{
	free_page((unsigned long)p->input);
	free_page((unsigned long)p->output);
	free_page((unsigned long)p->dispatch_input);
	free_page((unsigned long)p->dispatch_output);
	memset(p, 0, sizeof(*p));
}

int hv_call_pages_init(void)
{
	int cpu;

	BUILD_BUG_ON(PAGE_SIZE != HV_HYP_PAGE_SIZE);

	hv_call_pages = alloc_percpu(struct hv_call_pages);
	if (!hv_call_pages)
		return -ENOMEM;

	for_each_possible_cpu(cpu) {
		struct hv_call_pages *p = per_cpu_ptr(hv_call_pages, cpu);
		gfp_t gfp = GFP_KERNEL | __GFP_ZERO;

		p->input = (void *)__get_free_page(gfp);
		p->output = (void *)__get_free_page(gfp);
		p->dispatch_input = (void *)__get_free_page(gfp);
		p->dispatch_output = (void *)__get_free_page(gfp);
		if (!p->input || !p->output || !p->dispatch_input || !p->dispatch_output)
			goto free_pages;
	}
	return 0;

free_pages:
	hv_call_pages_exit();
	return -ENOMEM;
}

void hv_call_pages_exit(void)
{
	int cpu;

	if (!hv_call_pages)
		return;
	for_each_possible_cpu(cpu)
		hv_call_free_cpu_pages(per_cpu_ptr(hv_call_pages, cpu));
	free_percpu(hv_call_pages);
	hv_call_pages = NULL;
}

void *hv_call_get_pages(void **output, unsigned long *irqflags)
{
	struct hv_call_pages *p;

	local_irq_save(*irqflags);
	p = this_cpu_ptr(hv_call_pages);
	memset(p->input, 0, HV_HYP_PAGE_SIZE);
	if (output)
		*output = p->output;
	return p->input;
}

void hv_call_put_pages(unsigned long irqflags)
{
	local_irq_restore(irqflags);
}

void *hv_call_get_dispatch_pages(void **output)
{
	struct hv_call_pages *p;

	preempt_disable();
	p = this_cpu_ptr(hv_call_pages);
	memset(p->dispatch_input, 0, HV_HYP_PAGE_SIZE);
	memset(p->dispatch_output, 0, HV_HYP_PAGE_SIZE);
	*output = p->dispatch_output;
	return p->dispatch_input;
}

void hv_call_put_dispatch_pages(void)
{
	preempt_enable();
}

u64 hv_call_issue(u64 control, void *input, void *output)
{
	u64 status = mshv_hv->hypercall(control, input, output);

	trace_mshv_hvcall(hv_hypercall_code(control), hv_result_status(status),
			  hv_hypercall_rep_count(control), hv_result_reps(status));
	return status;
}

u64 hv_call_issue_fast(u16 code, u64 input1, u64 input2)
{
	u64 control = hv_hypercall_control(code, 0, 0, 0, true);
	u64 status = mshv_hv->hypercall_fast(control, input1, input2);

	trace_mshv_hvcall(code, hv_result_status(status), 0, 0);
	return status;
}

u64 hv_call_issue_rep(u16 code, u16 rep_count, u16 rep_start, u16 varhead,
		      void *input, void *output)
{
	u64 status;
	u16 done;

	for (;;) {
		status = hv_call_issue(hv_hypercall_control(code, rep_count, rep_start,
							    varhead, false),
				       input, output);
		if (!hv_result_success(status))
			return status;
		done = hv_result_reps(status);
		/* A hypervisor that makes no progress must not hang us. */
		if (done >= rep_count || done <= rep_start)
			return status;
		rep_start = done;
		touch_nmi_watchdog();
	}
}

/*
 * Which counter a deposit into @partition_id moves: the parent's own pool
 * is never withdrawn (upstream does not either), children's pools are.
 */
static atomic64_t *hv_deposit_counter(u64 partition_id)
{
	if (partition_id == HV_PARTITION_ID_SELF || partition_id == mshv_self_partition_id)
		return &mshv_self_deposited_pages;
	return &mshv_deposited_pages;
}

/* Hand @pfns[0..@count) to @partition_id; returns the hypercall status. */
static u64 hv_call_deposit_batch(u64 partition_id, const u64 *pfns, u16 count)
{
	struct hv_deposit_memory *input;
	unsigned long flags;
	u64 status;

	BUILD_BUG_ON(sizeof(struct hv_deposit_memory) != 8);
	input = hv_call_get_pages(NULL, &flags);
	input->partition_id = partition_id;
	memcpy(input->gpa_page_list, pfns, count * sizeof(u64));
	status = hv_call_issue_rep(HVCALL_DEPOSIT_MEMORY, count, 0, 0, input, NULL);
	hv_call_put_pages(flags);
	return status;
}

int hv_call_deposit_pages(int node, u64 partition_id, u32 num_pages)
{
	u64 *pfns, status;
	u32 filled = 0, sent = 0, i;
	int order, ret = 0;
	struct page *page;

	if (!num_pages)
		return 0;

	pfns = kmalloc_array(HV_DEPOSIT_MAX_REPS, sizeof(u64), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;

	while (sent < num_pages) {
		u32 want = min_t(u32, num_pages - sent, HV_DEPOSIT_MAX_REPS);

		/* Largest power-of-two blocks first, split into 4K pages. */
		filled = 0;
		order = get_order(want << PAGE_SHIFT);
		while (filled < want) {
			order = min_t(int, order, ilog2(want - filled));
			page = alloc_pages_node(node, GFP_KERNEL | __GFP_NOWARN |
						(order ? __GFP_NORETRY : 0), order);
			if (!page) {
				if (!order) {
					ret = -ENOMEM;
					goto free_unsent;
				}
				order--;
				continue;
			}
			split_page(page, order);
			for (i = 0; i < (1U << order); i++)
				pfns[filled++] = page_to_pfn(page) + i;
		}

		status = hv_call_deposit_batch(partition_id, pfns, filled);
		if (!hv_result_success(status)) {
			pr_err_ratelimited("deposit of %u pages into %#llx failed: %s\n",
					   filled, partition_id,
					   hv_status_name(hv_result_status(status)));
			/* The pages the hypervisor took are gone; free the rest. */
			for (i = hv_result_reps(status); i < filled; i++)
				__free_page(pfn_to_page(pfns[i]));
			atomic64_add(hv_result_reps(status), hv_deposit_counter(partition_id));
			mshv_stats_deposit(partition_id, hv_result_reps(status));
			filled = 0;
			ret = hv_result_to_errno(status);
			break;
		}
		atomic64_add(filled, hv_deposit_counter(partition_id));
		mshv_stats_deposit(partition_id, filled);
		sent += filled;
		filled = 0;
	}
	kfree(pfns);
	return ret;

free_unsent:
	for (i = 0; i < filled; i++)
		__free_page(pfn_to_page(pfns[i]));
	kfree(pfns);
	return ret;
}

bool hv_result_needs_memory(u64 status)
{
	return hv_status_needs_deposit(hv_result_status(status));
}

int hv_deposit_memory(u64 partition_id, u64 status)
{
	struct hv_deposit_rule rule;

	if (!hv_status_deposit_rule(hv_result_status(status), &rule))
		return -EINVAL;
	if (rule.into_self) {
		/* Only a root partition may feed its own pool (7.0). */
		if (!mshv_is_root)
			return -ENOMEM;
		partition_id = HV_PARTITION_ID_SELF;
	}
	return hv_call_deposit_pages(NUMA_NO_NODE, partition_id, rule.pages);
}

int hv_call_withdraw_memory(u64 count, int node, u64 partition_id)
{
	struct hv_input_withdraw_memory *input;
	unsigned long flags;
	u64 *output, status, *pfns;
	u16 reps, i;
	int ret = 0;

	pfns = kmalloc_array(HV_WITHDRAW_MAX_REPS, sizeof(u64), GFP_KERNEL);
	if (!pfns)
		return -ENOMEM;

	BUILD_BUG_ON(sizeof(struct hv_input_withdraw_memory) != 16);
	while (count) {
		reps = min_t(u64, count, HV_WITHDRAW_MAX_REPS);

		input = hv_call_get_pages((void **)&output, &flags);
		input->partition_id = partition_id;
		status = hv_call_issue_rep(HVCALL_WITHDRAW_MEMORY, reps, 0, 0,
					   input, output);
		reps = hv_result_reps(status);
		memcpy(pfns, output, reps * sizeof(u64));
		hv_call_put_pages(flags);

		for (i = 0; i < reps; i++)
			__free_page(pfn_to_page(pfns[i]));
		atomic64_sub(reps, hv_deposit_counter(partition_id));
		mshv_stats_deposit(partition_id, -(s64)reps);
		count -= reps;

		/* NO_RESOURCES: the partition holds nothing more. */
		if (hv_result_status(status) == HV_STATUS_NO_RESOURCES)
			break;
		if (!hv_result_success(status)) {
			ret = hv_result_to_errno(status);
			break;
		}
		if (!reps)
			break;
		cond_resched();
	}
	kfree(pfns);
	return ret;
}
