// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/mshv_hvsim/: counters for tests and fault injection.
 *
 *   counters          "name value" per line (pages, GPA mappings, messages ...);
 *                     pages_held counts every deposited page hvsim holds,
 *                     pages_held_root those of the parent's own pool (never
 *                     withdrawn by design), children the partitions alive
 *   hypercalls        "0xCODE count" per hypercall code seen
 *   partitions        one line per partition: id, state, pool, VPs, mappings
 *   reset             write anything: zero the hypercall counts
 *   inject/fail_code  hypercall code to fail (0: none)
 *   inject/fail_status  status returned by the failed call (default 0xB)
 *   inject/fail_nth   fail the Nth call of fail_code from now (0: off)
 *   inject/fail_every after firing, fail every Nth call again (0: once)
 *   inject/oom_every  every Nth page charge (partition, VP, page table)
 *                     fails with INSUFFICIENT_MEMORY (0: off)
 *   inject/oom_status status of those failures (default 0xB; 0x73, 0x75
 *                     and 0x83 exercise the 7.x deposit rules)
 *   inject/max_reps   complete at most N reps per rep call (0: all)
 *   inject/async_set_property  nonzero: HvSetPartitionProperty answers
 *                     CALL_PENDING and reports its status (an injected
 *                     failure too) in an ASYNC_CALL_COMPLETION message
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "hvsim.h"

atomic64_t hvsim_counters[HVSIM_CNT_NR];
atomic64_t hvsim_call_counts[HVSIM_CALL_CODES];
u32 hvsim_max_reps;
u32 hvsim_async_set_property;

static u32 hvsim_fail_code;
static u32 hvsim_fail_status = HV_STATUS_INSUFFICIENT_MEMORY;
static u32 hvsim_fail_nth;
static u32 hvsim_fail_every;
static u32 hvsim_oom_every;
static u32 hvsim_oom_count;
static u32 hvsim_oom_status = HV_STATUS_INSUFFICIENT_MEMORY;
static bool hvsim_oom_fired;
static DEFINE_SPINLOCK(hvsim_inject_lock);
static struct dentry *hvsim_dir;

static const char * const hvsim_counter_names[HVSIM_CNT_NR] = {
	[HVSIM_CNT_PAGES_DEPOSITED] = "pages_deposited",
	[HVSIM_CNT_PAGES_WITHDRAWN] = "pages_withdrawn",
	[HVSIM_CNT_PAGES_HELD] = "pages_held",
	[HVSIM_CNT_PAGES_RECLAIMED] = "pages_reclaimed",
	[HVSIM_CNT_GPA_4K] = "gpa_pages_4k",
	[HVSIM_CNT_GPA_2M] = "gpa_pages_2m",
	[HVSIM_CNT_GPA_MAP_CALLS] = "gpa_map_calls",
	[HVSIM_CNT_GPA_4K_MAPPED] = "gpa_maps_4k_total",
	[HVSIM_CNT_GPA_2M_MAPPED] = "gpa_maps_2m_total",
	[HVSIM_CNT_MSG_POSTED] = "messages_posted",
	[HVSIM_CNT_MSG_QUEUED] = "messages_queued",
	[HVSIM_CNT_MSG_DROPPED] = "messages_dropped",
	[HVSIM_CNT_IPIS] = "ipis_sent",
	[HVSIM_CNT_INTERCEPTS] = "intercepts",
	[HVSIM_CNT_DISPATCHES] = "dispatches",
	[HVSIM_CNT_SLICES] = "run_slices",
	[HVSIM_CNT_INSNS_BUDGET] = "slices_budget_exhausted",
	[HVSIM_CNT_PARTITIONS] = "partitions",
	[HVSIM_CNT_VPS] = "vps",
	[HVSIM_CNT_FAULTS_INJECTED] = "faults_injected",
	[HVSIM_CNT_OOM_INJECTED] = "oom_injected",
	[HVSIM_CNT_APIC_EOI] = "apic_eoi_messages",
	[HVSIM_CNT_GPA_INTERCEPTS] = "gpa_intercepts",
};

/* Fault injection for one hypercall (any context). */
bool hvsim_inject_fault(u16 code, u16 *status)
{
	unsigned long flags;
	bool fire = false;

	if (!READ_ONCE(hvsim_fail_nth) || READ_ONCE(hvsim_fail_code) != code)
		return false;
	spin_lock_irqsave(&hvsim_inject_lock, flags);
	if (hvsim_fail_nth && hvsim_fail_code == code && !--hvsim_fail_nth) {
		fire = true;
		*status = hvsim_fail_status;
		hvsim_fail_nth = hvsim_fail_every;
	}
	spin_unlock_irqrestore(&hvsim_inject_lock, flags);
	if (fire)
		hvsim_count(HVSIM_CNT_FAULTS_INJECTED, 1);
	return fire;
}

/* Should this page charge fail (oom_every)?  Called under hvsim_lock. */
bool hvsim_charge_fails(void)
{
	u32 every = READ_ONCE(hvsim_oom_every);

	if (!every)
		return false;
	if (++hvsim_oom_count < every)
		return false;
	hvsim_oom_count = 0;
	hvsim_oom_fired = true;
	hvsim_count(HVSIM_CNT_OOM_INJECTED, 1);
	return true;
}

/*
 * Status for a page charge that failed (hvsim_lock held): the injected
 * one (inject/oom_status: 0xB, or a 7.x variant 0x73/0x75/0x83) when
 * oom_every fired, else INSUFFICIENT_MEMORY for a pool that is really short.
 */
u16 hvsim_nomem_status(void)
{
	u16 st = hvsim_oom_fired ? hvsim_oom_status : HV_STATUS_INSUFFICIENT_MEMORY;

	hvsim_oom_fired = false;
	return st;
}

static int hvsim_counters_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < HVSIM_CNT_NR; i++)
		seq_printf(m, "%s %lld\n", hvsim_counter_names[i],
			   atomic64_read(&hvsim_counters[i]));
	seq_printf(m, "children %u\n", hvsim_partition_count());
	seq_printf(m, "pages_held_root %llu\n", hvsim_root_pool_pages());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvsim_counters);

static int hvsim_hypercalls_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < HVSIM_CALL_CODES; i++) {
		s64 n = atomic64_read(&hvsim_call_counts[i]);

		if (n)
			seq_printf(m, "0x%04x %lld\n", i, n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvsim_hypercalls);

static int hvsim_partitions_dbg_show(struct seq_file *m, void *v)
{
	hvsim_partitions_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hvsim_partitions_dbg);

static ssize_t hvsim_reset_write(struct file *f, const char __user *buf,
				 size_t len, loff_t *off)
{
	int i;

	for (i = 0; i < HVSIM_CALL_CODES; i++)
		atomic64_set(&hvsim_call_counts[i], 0);
	return len;
}

static const struct file_operations hvsim_reset_fops = {
	.owner = THIS_MODULE,
	.write = hvsim_reset_write,
	.llseek = noop_llseek,
};

void hvsim_debugfs_init(void)
{
	struct dentry *inj;

	hvsim_dir = debugfs_create_dir("mshv_hvsim", NULL);
	debugfs_create_file("counters", 0444, hvsim_dir, NULL, &hvsim_counters_fops);
	debugfs_create_file("hypercalls", 0444, hvsim_dir, NULL, &hvsim_hypercalls_fops);
	debugfs_create_file("partitions", 0444, hvsim_dir, NULL,
			    &hvsim_partitions_dbg_fops);
	debugfs_create_file("reset", 0200, hvsim_dir, NULL, &hvsim_reset_fops);
	inj = debugfs_create_dir("inject", hvsim_dir);
	debugfs_create_x32("fail_code", 0644, inj, &hvsim_fail_code);
	debugfs_create_x32("fail_status", 0644, inj, &hvsim_fail_status);
	debugfs_create_u32("fail_nth", 0644, inj, &hvsim_fail_nth);
	debugfs_create_u32("fail_every", 0644, inj, &hvsim_fail_every);
	debugfs_create_u32("oom_every", 0644, inj, &hvsim_oom_every);
	debugfs_create_x32("oom_status", 0644, inj, &hvsim_oom_status);
	debugfs_create_u32("max_reps", 0644, inj, &hvsim_max_reps);
	debugfs_create_u32("async_set_property", 0644, inj, &hvsim_async_set_property);
}

void hvsim_debugfs_exit(void)
{
	debugfs_remove_recursive(hvsim_dir);
	hvsim_dir = NULL;
}
