/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mshv_hvsim: a software model of the Microsoft Hypervisor partition
 * interface, seen from the root partition.
 *
 * The model is driven through struct mshv_backend (hv/hv_backend.h):
 * hypercalls, the SynIC MSRs of the calling CPU and the hypervisor CPUID
 * leaves.  Guest code runs in the pure-C x86 core (x86/x86_core.h).
 *
 * Object model and locking
 *  - hvsim_lock (spinlock, IRQ-safe) protects the partition table, every
 *    partition's state, its deposit pool, its GPA map and its VP table.
 *    Hypercalls arrive with interrupts disabled, so nothing here sleeps and
 *    every allocation is GFP_ATOMIC.
 *  - A partition and a VP are reference counted (kref).  The table holds
 *    one reference; a VP holds one on its partition; a queued run work item
 *    holds one on its VP.
 *  - vp->run_lock (spinlock, IRQ-safe) serialises the x86 core: a run
 *    slice and every register access of that VP hold it.  It nests inside
 *    hvsim_lock, never the other way round.
 *  - Per-CPU SynIC state has its own lock (hvsim_synic.c), innermost.
 */
#ifndef _HVSIM_H_
#define _HVSIM_H_

#include <linux/types.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bitops.h>

#include "hv/hv_tlfs.h"
#include "hvsim_tlfs_extra.h"
#include "x86/x86_core.h"

#define HVSIM_MAX_VPS			256
#define HVSIM_ROOT_PARTITION_ID		0x1ULL
#define HVSIM_FIRST_CHILD_ID		0x10
#define HVSIM_MAX_CPUID_INTERCEPTS	32
#define HVSIM_MAX_CPUID_RESULTS		64
#define HVSIM_MAX_MSR_INTERCEPTS	32
#define HVSIM_MAX_EXTRA_REGS		160

/* Module parameters (hvsim_main.c). */
extern bool hvsim_root_scheduler;	/* SCHEDULER_TYPE reports ROOT */
extern bool hvsim_l1vh;			/* present L1VH instead of root privileges */
extern unsigned int hvsim_create_pages;	/* root-pool pages per child partition */
extern unsigned int hvsim_init_pages;	/* pages InitializePartition consumes */
extern unsigned int hvsim_vp_pages;	/* pages CreateVp consumes (>= 4) */
extern unsigned int hvsim_slice_insns;	/* instructions per run slice */
extern unsigned int hvsim_build_number;	/* CPUID 0x40000002 EAX */
extern bool hvsim_unsupported_unrecoverable;

enum hvsim_sched_signal {
	HVSIM_SIGNAL_ALTERNATE,
	HVSIM_SIGNAL_PAIR,
	HVSIM_SIGNAL_BITSET,
};

extern enum hvsim_sched_signal hvsim_sched_signal;

enum hvsim_pt_state {
	HVSIM_PT_CREATED,
	HVSIM_PT_INITIALIZED,
	HVSIM_PT_FINALIZED,
	HVSIM_PT_DELETED,
};

/* An installed CPUID result (HvRegisterInterceptResult). */
struct hvsim_cpuid_result {
	u32 eax_in, ecx_in;
	bool subleaf_specific;
	bool always_override;
	u32 val[4], mask[4];		/* eax, ebx, ecx, edx */
};

/* Deposit pool: pages handed to the "hypervisor", linked through themselves. */
struct hvsim_pool {
	u64 free_head;			/* PFN + 1 of the first free page, 0 = none */
	u64 free_count;
	u64 charged_head;		/* consumed without a specific use */
	u64 used_count;			/* pages owned by objects of this partition */
};

struct hvsim_partition {
	u64 id;
	struct kref ref;
	enum hvsim_pt_state state;
	u64 creation_flags;
	u64 isolation;
	u64 disabled_features[2];
	u64 disabled_xsave;
	u64 features[2];		/* what the partition got */
	u64 xsave_features;

	/* settable properties */
	u64 synthetic_features;
	u64 unimplemented_msr_action;
	u64 time_freeze;
	u64 gpa_access_tracking;
	u64 guest_os_id;
	u64 sched_props[5];		/* SUSPEND .. CPU_GROUP_ID */

	struct hvsim_pool pool;
	u64 object_pages;		/* charged to the root pool at create */
	u64 init_charge;		/* charged by InitializePartition */

	/* GFN -> xa_value(hvsim_gpa_*): the second-level address space. */
	struct xarray gpa;
	/* 2 MiB region -> xa_value(PFN) of the page-table page charged for it */
	struct xarray slat;
	u64 gpa_4k;			/* 4 KiB mappings */
	u64 gpa_2m;			/* 2 MiB mappings */

	/* installed intercepts */
	u32 exception_bitmap;
	bool msr_intercept;
	bool hypercall_intercept;
	bool global_cpuid_intercept;
	u32 cpuid_intercepts[HVSIM_MAX_CPUID_INTERCEPTS];
	u32 nr_cpuid_intercepts;
	u32 msr_intercepts[HVSIM_MAX_MSR_INTERCEPTS];
	u32 nr_msr_intercepts;
	struct hvsim_cpuid_result cpuid_results[HVSIM_MAX_CPUID_RESULTS];
	u32 nr_cpuid_results;
	/* HvRegisterInterceptResult(MSR): per-MSR unimplemented-MSR action */
	struct { u32 msr, access, action; } msr_results[HVSIM_MAX_MSR_INTERCEPTS];
	u32 nr_msr_results;

	struct hvsim_vp *vps[HVSIM_MAX_VPS];
	u32 nr_vps;
};

struct hvsim_extra_reg {
	u32 name;
	struct hv_u128 value;
};

struct hvsim_vp {
	struct kref ref;
	struct hvsim_partition *pt;
	u32 index;
	bool dead;

	/* pages taken from the partition pool, [0] message, [1] registers ... */
	u64 pages[16];
	u32 nr_pages;
	struct hv_message *msg_page;	/* intercept message page */
	struct hv_vp_register_page *reg_page;
	void *lapic_state;		/* 4 KiB, HV_GET_VP_STATE_LAPIC_STATE */
	void *xsave_state;		/* 4 KiB */
	u64 msg_pfn, reg_pfn;		/* what MapVpStatePage returns */
	bool msg_mapped, reg_mapped;

	spinlock_t run_lock;		/* the core and everything below */
	struct hvx86_vcpu cpu;
	u64 explicit_suspend;
	u64 intercept_suspend;
	u64 dispatch_suspend;
	u64 internal_activity;
	u64 emulation_hints;
	u64 root_signal_count;
	bool halted;			/* HLT with IF=1: blocked in the hypervisor */
	unsigned long irr[BITS_TO_LONGS(256)];	/* asserted, not yet injected */
	s64 tsc_offset;
	/* ICR writes to other VPs, delivered after the slice (hvsim_lapic.c) */
	struct { u32 icr_low, dest; } ipi[8];
	u32 nr_ipi;
	u64 apic_base;			/* IA32_APIC_BASE */
	u8 timers[sizeof(struct hv_synthetic_timers_state)];
	struct hvsim_extra_reg extra[HVSIM_MAX_EXTRA_REGS];
	u32 nr_extra;

	/* hypervisor scheduler */
	struct work_struct run_work;
	int notify_cpu;
};

/* hvsim_main.c */
u32 hvsim_get_scheduler_type(void);
void hvsim_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);
void hvsim_host_cpuid(u32 leaf, u32 subleaf, u32 *eax, u32 *ebx, u32 *ecx,
		      u32 *edx);

/* hvsim_hvcall.c */
u64 hvsim_hypercall(u64 control, void *input, void *output);
u64 hvsim_hypercall_fast(u64 control, u64 input1, u64 input2);
extern spinlock_t hvsim_lock;

/* Context of one hypercall, as the handlers see it. */
struct hvsim_call {
	u16 code;
	u16 rep_count;
	u16 rep_start;
	u16 varhead;		/* 8-byte units */
	bool fast;
	const void *in;
	void *out;
	u16 rep_limit;		/* reps up to this index are done in this call */
	u16 injected;		/* injected status an async call completes with */
};

/* Result word with reps completed. */
static inline u64 hvsim_result(u16 status, u16 reps)
{
	return hv_make_result(status, reps);
}

/* hvsim_partition.c */
extern struct hvsim_partition *hvsim_root;
struct hvsim_partition *hvsim_partition_find(u64 id);	/* hvsim_lock held */
void hvsim_partition_put(struct hvsim_partition *pt);
int hvsim_partitions_init(void);
void hvsim_partitions_exit(void);
unsigned int hvsim_partition_count(void);
struct seq_file;
void hvsim_partitions_show(struct seq_file *m);
u64 hvsim_root_pool_pages(void);
u64 hvsim_call_create_partition(struct hvsim_call *c);
u64 hvsim_call_initialize_partition(struct hvsim_call *c);
u64 hvsim_call_finalize_partition(struct hvsim_call *c);
u64 hvsim_call_delete_partition(struct hvsim_call *c);
u64 hvsim_call_get_partition_property(struct hvsim_call *c);
u64 hvsim_call_get_partition_property_ex(struct hvsim_call *c);
u64 hvsim_call_set_partition_property(struct hvsim_call *c);
u64 hvsim_call_get_partition_id(struct hvsim_call *c);
u64 hvsim_call_get_system_property(struct hvsim_call *c);
u64 hvsim_call_install_intercept(struct hvsim_call *c);
u64 hvsim_call_register_intercept_result(struct hvsim_call *c);
u64 hvsim_call_map_stats_page(struct hvsim_call *c);
u64 hvsim_call_map_stats_page2(struct hvsim_call *c);
u64 hvsim_call_unmap_stats_page(struct hvsim_call *c);

/* hvsim_memory.c */
int hvsim_pool_take(struct hvsim_partition *pt, u64 *pfn);
void hvsim_pool_give(struct hvsim_partition *pt, u64 pfn);
int hvsim_pool_charge(struct hvsim_partition *pt, u64 n);
void hvsim_pool_uncharge(struct hvsim_partition *pt, u64 n);
void hvsim_pool_release_all(struct hvsim_partition *pt);
void hvsim_gpa_clear(struct hvsim_partition *pt);
u64 hvsim_call_deposit_memory(struct hvsim_call *c);
u64 hvsim_call_withdraw_memory(struct hvsim_call *c);
u64 hvsim_call_map_gpa_pages(struct hvsim_call *c);
u64 hvsim_call_unmap_gpa_pages(struct hvsim_call *c);
u64 hvsim_call_get_gpa_pages_access_states(struct hvsim_call *c);
enum hvx86_mem_result hvsim_gpa_access(struct hvsim_partition *pt, u64 gpa,
				       void *buf, u32 len,
				       enum hvx86_access access, bool write);
int hvsim_gpa_lookup(struct hvsim_partition *pt, u64 gpa, bool *readable,
		     bool *writable);

/* hvsim_vp.c */
extern const struct hvx86_callbacks hvsim_x86_callbacks;
void hvsim_vp_put(struct hvsim_vp *vp);
struct hvsim_vp *hvsim_vp_lookup(struct hvsim_partition *pt, u32 index);
void hvsim_vp_destroy_all(struct hvsim_partition *pt);
u16 hvsim_reg_get(struct hvsim_vp *vp, u32 name, union hv_register_value *v);
u16 hvsim_reg_set(struct hvsim_vp *vp, u32 name,
		  const union hv_register_value *v, bool *resume);
u64 hvsim_vp_msr_default(struct hvsim_vp *vp, u32 name);
void hvsim_guest_cpuid(struct hvsim_vp *vp, u32 leaf, u32 subleaf, u32 out[4],
		       bool apply_registered);
u64 hvsim_call_create_vp(struct hvsim_call *c);
u64 hvsim_call_delete_vp(struct hvsim_call *c);
u64 hvsim_call_get_vp_registers(struct hvsim_call *c);
u64 hvsim_call_set_vp_registers(struct hvsim_call *c);
u64 hvsim_call_map_vp_state_page(struct hvsim_call *c);
u64 hvsim_call_unmap_vp_state_page(struct hvsim_call *c);
u64 hvsim_call_get_vp_state(struct hvsim_call *c);
u64 hvsim_call_set_vp_state(struct hvsim_call *c);
u64 hvsim_call_translate_virtual_address(struct hvsim_call *c);
u64 hvsim_call_assert_virtual_interrupt(struct hvsim_call *c);
u64 hvsim_call_get_vp_cpuid_values(struct hvsim_call *c);
void hvsim_deliver(struct hvsim_partition *pt, struct hvsim_vp *self, u32 type,
		   u32 vector, u64 dest, bool logical, bool level, u32 shorthand);

/* hvsim_run.c */
int hvsim_run_init(void);
void hvsim_run_exit(void);
void hvsim_run_vp_init(struct hvsim_vp *vp);
u64 hvsim_call_dispatch_vp(struct hvsim_call *c);
void hvsim_vp_resume_check(struct hvsim_vp *vp);
void hvsim_vp_wake(struct hvsim_vp *vp);
void hvsim_vp_sync_from_reg_page(struct hvsim_vp *vp);
void hvsim_vp_sync_to_reg_page(struct hvsim_vp *vp);
void hvsim_signal_vp(struct hvsim_vp *vp);

/* hvsim_lapic.c */
bool hvsim_lapic_present(struct hvsim_vp *vp);
void hvsim_lapic_inject(struct hvsim_vp *vp);
void hvsim_lapic_accept(struct hvsim_vp *vp, u32 vec, bool level);
bool hvsim_lapic_mmio(struct hvsim_vp *vp, u64 gpa, void *buf, u32 len, bool write);
bool hvsim_lapic_msr(struct hvsim_vp *vp, u32 msr, u64 *val, bool write);
void hvsim_lapic_save_irr(struct hvsim_vp *vp);
void hvsim_lapic_load_irr(struct hvsim_vp *vp);
void hvsim_lapic_flush_ipis(struct hvsim_vp *vp);

/* hvsim_synic.c */
int hvsim_synic_init(void);
void hvsim_synic_exit(void);
u64 hvsim_read_msr(u32 msr);
void hvsim_write_msr(u32 msr, u64 value);
bool hvsim_post_message(int cpu, u32 sint, const struct hv_message *msg);
int hvsim_pick_cpu(int preferred);
bool hvsim_doorbell_write(struct hvsim_partition *pt, u64 gpa, const void *buf,
			  u32 len);
u64 hvsim_call_create_port(struct hvsim_call *c);
u64 hvsim_call_connect_port(struct hvsim_call *c);
u64 hvsim_call_delete_port(struct hvsim_call *c);
u64 hvsim_call_disconnect_port(struct hvsim_call *c);
u64 hvsim_call_notify_port_ring_empty(struct hvsim_call *c);

/* hvsim_debugfs.c */
enum hvsim_counter {
	HVSIM_CNT_PAGES_DEPOSITED,
	HVSIM_CNT_PAGES_WITHDRAWN,
	HVSIM_CNT_PAGES_HELD,
	HVSIM_CNT_PAGES_RECLAIMED,	/* freed by hvsim at delete/exit */
	HVSIM_CNT_GPA_4K,
	HVSIM_CNT_GPA_2M,
	HVSIM_CNT_GPA_MAP_CALLS,
	HVSIM_CNT_GPA_4K_MAPPED,	/* cumulative */
	HVSIM_CNT_GPA_2M_MAPPED,	/* cumulative */
	HVSIM_CNT_MSG_POSTED,
	HVSIM_CNT_MSG_QUEUED,
	HVSIM_CNT_MSG_DROPPED,
	HVSIM_CNT_IPIS,
	HVSIM_CNT_INTERCEPTS,
	HVSIM_CNT_DISPATCHES,
	HVSIM_CNT_SLICES,
	HVSIM_CNT_INSNS_BUDGET,
	HVSIM_CNT_PARTITIONS,
	HVSIM_CNT_VPS,
	HVSIM_CNT_FAULTS_INJECTED,
	HVSIM_CNT_OOM_INJECTED,
	HVSIM_CNT_APIC_EOI,
	HVSIM_CNT_GPA_INTERCEPTS,	/* of INTERCEPTS: denied access to mapped GPA */
	HVSIM_CNT_NR
};

extern atomic64_t hvsim_counters[HVSIM_CNT_NR];
#define HVSIM_CALL_CODES	0x140
extern atomic64_t hvsim_call_counts[HVSIM_CALL_CODES];
extern u32 hvsim_max_reps;
extern u32 hvsim_async_set_property;

static inline void hvsim_count(enum hvsim_counter c, s64 delta)
{
	atomic64_add(delta, &hvsim_counters[c]);
}

void hvsim_debugfs_init(void);
void hvsim_debugfs_exit(void);
bool hvsim_inject_fault(u16 code, u16 *status);
bool hvsim_charge_fails(void);
u16 hvsim_nomem_status(void);

#endif /* _HVSIM_H_ */
