/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mshv_root internals: partitions, VPs, guest memory regions, globals.
 *
 * Lock order (outer first):
 *   mshv_backend_rwsem (read, /dev/mshv ioctls)
 *   partition->pt_mutex        (every partition-fd ioctl)
 *   vp->vp_mutex               (every VP-fd ioctl, including run)
 *   partition->pt_fault_mutex  (region insert/remove; movable-region faults in run)
 *   partition->pt_regions_lock (region list, spinlock)
 *   mshv_pt_lock               (partition hash writers, spinlock)
 * The SynIC ISR takes no lock: it finds partitions and VPs under RCU.
 */
#ifndef _MSHV_ROOT_H_
#define _MSHV_ROOT_H_

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/rculist.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/printk.h>
#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/mm_types.h>

#include "hv/hv_tlfs.h"
#include "hv/hv_call.h"
#include "mshv_netlink.h"
#include "mshv_eventfd.h"

#define MSHV_MAX_VPS			256
/* Pin at most this many pages per pin_user_pages_fast() call (256 MiB). */
#define MSHV_PIN_PAGES_BATCH_SIZE	(0x10000000ULL / HV_HYP_PAGE_SIZE)
/* Pages deposited before HvInitializePartition and per HvCreateVp. */
#define MSHV_INIT_PARTITION_DEPOSIT_PAGES	208
#define MSHV_CREATE_VP_DEPOSIT_PAGES		90
/* Pages deposited when HvMapGpaPages runs out of memory. */
#define MSHV_MAP_GPA_DEPOSIT_PAGES		256

/* Hypervisor build numbers upstream 7.2 was tested with (only logged). */
#define MSHV_HV_MIN_VERSION		27744
#define MSHV_HV_MAX_VERSION		27751

struct mshv_partition;

struct mshv_vp {
	u32 vp_index;
	struct mshv_partition *vp_partition;	/* no reference of its own */
	struct mutex vp_mutex;			/* serializes VP-fd ioctls */
	struct rcu_head vp_rcu;

	/* The hypervisor's state pages for this VP (NULL: not mapped). */
	struct page *vp_register_page;
	struct page *vp_intercept_msg_page;
	/* Pages we provided as overlays (L1VH with the overlay capability). */
	struct page *vp_register_overlay;
	struct page *vp_intercept_overlay;

	/*
	 * Counter pages of the VP, SELF and PARENT areas; when the PARENT
	 * area cannot be mapped both point at SELF (7.0).
	 */
	struct page *vp_stats_pages[HV_STATS_AREA_PARENT + 1];
	struct page *vp_stats_overlays[HV_STATS_AREA_PARENT + 1];
	bool vp_stats_parent_mapped;

	struct {
		atomic64_t signaled_count;	/* kicks from the ISR */
		bool intercept_suspend;		/* root sched: last exit was one */
		bool root_sched_blocked;
		bool kicked_by_hv;		/* set by the ISR, read by run */
		wait_queue_head_t suspend_queue;
	} run;

	struct mshv_vp_stats vp_stats;		/* written by the run path only */
};

/*
 * A range of guest physical memory: movable user RAM, pinned user RAM
 * (pages[]) or, for a VM_IO | VM_PFNMAP mapping such as a VFIO BAR, host
 * MMIO from mmio_pfn.
 */
struct mshv_mem_region {
	struct hlist_node hnode;
	u64 start_gfn;
	u64 start_uaddr;
	u64 nr_pages;
	u32 hv_map_flags;
	bool is_mmio;
	u64 mmio_pfn;
	/* Movable (HMM) RAM: no pages[] and no pins (mshv_regions.c). */
	struct mshv_region_movable *movable;
	size_t alloc_bytes;		/* driver memory of this region */
	u64 nr_pinned;			/* pages[0..nr_pinned) hold pins */
	struct page *pages[];
};

struct mshv_partition {
	u64 pt_id;
	struct hlist_node pt_hnode;	/* mshv_pt_htable, RCU */
	refcount_t pt_ref_count;
	struct mutex pt_mutex;			/* serializes partition-fd ioctls */
	struct rcu_head pt_rcu;
	bool pt_initialized;
	bool pt_in_table;

	spinlock_t pt_regions_lock;		/* pt_mem_regions writers */
	struct mutex pt_fault_mutex;		/* region removal vs. GPA faults */
	struct hlist_head pt_mem_regions;

	u32 pt_vp_count;
	struct mshv_vp *pt_vp_array[MSHV_MAX_VPS];	/* store-release/load-acquire */

	/* One asynchronous hypercall (SET_PARTITION_PROPERTY) at a time. */
	struct completion async_hypercall;
	u64 async_hypercall_status;

	struct module *pt_backend_owner;	/* reference held while alive */

	/* Introspection (mshv_netlink.c); set before the partition is published. */
	u64 pt_flags;				/* MSHV_CREATE_PARTITION pt_flags */
	struct pid *pt_owner;			/* creator's thread group */
	u64 pt_created_ns;			/* CLOCK_REALTIME */
	atomic64_t pt_deposited_pages;

	struct mshv_eventfd_state pt_ev;	/* MSI routes, irqfds (mshv_eventfd.c) */
};

/* Guest memory of one partition, for introspection. */
struct mshv_mem_stats {
	u32 regions;
	u64 bytes_4k;
	u64 bytes_2m;
	u64 bytes_mmio;
	u64 pinned_pages;
};

/* Scheduler that runs our VPs (HV_SCHEDULER_TYPE_*). */
extern u32 mshv_scheduler_type;

/* VMM capabilities of the hypervisor (HV_VMM_CAP_*; 0 if unknown). */
extern u64 mshv_vmm_caps;

/* HvDispatchVp injects vectors queued in the register page (CPUID). */
extern bool mshv_dispatch_injection;

/* Pages pinned for guest memory by all partitions (debugfs). */
extern atomic64_t mshv_pinned_pages;
/* Driver memory held by guest memory regions (module parameter). */
extern atomic64_t mshv_region_bytes;

/* Rate-limited logging for bad input from userspace. */
#define pt_dbg_input(pt, fmt, ...) \
	pr_info_ratelimited("partition %llu: " fmt, (pt)->pt_id, ##__VA_ARGS__)
#define vp_dbg_input(vp, fmt, ...) \
	pr_info_ratelimited("vp %u: " fmt, (vp)->vp_index, ##__VA_ARGS__)

/* mshv_root_main.c */
struct mshv_partition *mshv_partition_get(struct mshv_partition *partition);
void mshv_partition_put(struct mshv_partition *partition);
struct mshv_partition *mshv_partition_find(u64 pt_id);	/* RCU, no ref */
struct mshv_partition *mshv_partition_nth(unsigned long n);	/* RCU, no ref */
unsigned int mshv_partition_total(void);
long mshv_ioctl_passthru_hvcall(struct mshv_partition *partition, bool partition_locked,
				bool on_device, void __user *user_args);

/* mshv_vp.c */
long mshv_partition_ioctl_create_vp(struct mshv_partition *partition,
				    void __user *arg);
void mshv_vp_unmap_state_pages(struct mshv_vp *vp);
void mshv_vp_destroy(struct mshv_vp *vp);
void mshv_vp_kick(struct mshv_vp *vp);

/* mshv_vp_run.c */
long mshv_vp_ioctl_run_vp(struct mshv_vp *vp, void __user *ret_msg);
int mshv_vp_suspend_for_teardown(struct mshv_vp *vp);

/* mshv_regions.c */
long mshv_partition_ioctl_set_memory(struct mshv_partition *partition,
				     void __user *arg);
void mshv_partition_destroy_regions(struct mshv_partition *partition);
void mshv_partition_mem_stats(struct mshv_partition *partition, struct mshv_mem_stats *st);
bool mshv_region_resolve_gpa_intercept(struct mshv_partition *partition,
				       const struct hv_message *msg);

/* mshv_dirty.c */
long mshv_partition_ioctl_get_gpap_access_bitmap(struct mshv_partition *partition,
						 void __user *arg);

/* mshv_synic.c */
int mshv_synic_init(void);
void mshv_synic_exit(void);
irqreturn_t mshv_isr(int irq, void *dev_id);

/* mshv_vector.c */
int mshv_vector_init(irq_handler_t handler);
void mshv_vector_exit(void);
unsigned int mshv_vector_of_cpu(unsigned int cpu);

/* mshv_root_hv_call.c: one wrapper per hypercall, -errno */
int hv_call_get_partition_id(u64 *partition_id);
int hv_call_create_partition(u64 creation_flags, const u64 *disabled_features,
			     u64 disabled_xsave, u64 isolation_properties,
			     u64 *partition_id);
int hv_call_initialize_partition(u64 partition_id);
int hv_call_finalize_partition(u64 partition_id);
int hv_call_delete_partition(u64 partition_id);
int hv_call_map_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 map_flags,
			  struct page **pages, u64 mmio_pfn);
int hv_call_unmap_gpa_pages(u64 partition_id, u64 gfn, u64 page_count, u32 unmap_flags);
int hv_call_create_vp(int node, u64 partition_id, u32 vp_index, u32 vp_flags);
int hv_call_delete_vp(u64 partition_id, u32 vp_index);
int hv_call_get_vp_registers(u32 vp_index, u64 partition_id, u16 count,
			     u8 input_vtl, struct hv_register_assoc *regs);
int hv_call_set_vp_registers(u32 vp_index, u64 partition_id, u16 count,
			     u8 input_vtl, struct hv_register_assoc *regs);
int hv_call_map_vp_state_page(u64 partition_id, u32 vp_index, u16 type,
			      u8 input_vtl, struct page *overlay,
			      struct page **state_page);
int hv_call_unmap_vp_state_page(u64 partition_id, u32 vp_index, u16 type, u8 input_vtl);
int hv_call_get_vp_state(u32 vp_index, u64 partition_id,
			 const struct hv_vp_state_data *state_data,
			 u64 page_count, struct page **pages,
			 union hv_output_get_vp_state *out);
int hv_call_set_vp_state(u32 vp_index, u64 partition_id,
			 const struct hv_vp_state_data *state_data,
			 u64 page_count, struct page **pages,
			 u32 num_bytes, const void *bytes);
int hv_call_get_partition_property(u64 partition_id, u32 property_code, u64 *value);
int hv_call_get_partition_property_ex(u64 partition_id, u32 property_code, u64 arg,
				      void *value, size_t size);
int hv_call_get_scheduler_type(u32 *type);
int hv_call_dispatch_vp(u64 partition_id, u32 vp_index, u32 dispatch_flags,
			struct hv_output_dispatch_vp *res);
u64 hv_call_passthru(u64 partition_id, u16 code, u16 reps, const void *in,
		     u16 in_sz, void *out, u16 out_sz, int *deposit_err);

int hv_call_notify_port_ring_empty(u32 sint_index);
int hv_call_map_vp_stats_page(u64 partition_id, u32 vp_index, u8 area,
			      struct page *overlay, struct page **stats_page);
int hv_call_unmap_vp_stats_page(u64 partition_id, u32 vp_index, u8 area);
int hv_call_get_gpa_access_states(u64 partition_id, u64 gfn, u32 count, u64 flags,
				  u8 *states);

#endif /* _MSHV_ROOT_H_ */
