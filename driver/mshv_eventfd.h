/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI routing and irqfd (with resample) of one partition.
 *
 * Locking (inside pt_mutex, which every partition ioctl holds):
 *   ev_resampler_lock (mutex)  resampler list, resampler membership
 *   ev_irqfds_lock (spinlock, IRQ-safe)  irqfd list, irqfd route snapshots
 *   eventfd wait-queue lock    taken by the eventfd core around our wakeup;
 *                              ev_irqfds_lock nests inside it (EPOLLHUP)
 * Readers of the routing table and of the resampler lists (the irqfd
 * wakeup and the APIC-EOI interrupt) run under ev_srcu.
 */
#ifndef _MSHV_EVENTFD_H_
#define _MSHV_EVENTFD_H_

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>

struct mshv_partition;
struct mshv_vp;

/* Upstream MSHV_MAX_GUEST_IRQS. */
#define MSHV_MAX_GUEST_IRQS	4096

/* One MSI route, decoded for HvAssertVirtualInterrupt (x86). */
struct mshv_lapic_irq {
	u32 vector;
	u32 type;		/* HV_X64_INTERRUPT_TYPE_* */
	u64 apic_id;
	bool level;
	bool logical;
};

struct mshv_msi_route {
	bool valid;		/* explicit: GSI 0 is a route like any other */
	u32 address_lo;
	u32 address_hi;
	u32 data;
	struct mshv_lapic_irq irq;
};

struct mshv_msi_table {
	u32 nr;			/* entries[] is indexed by GSI, nr = max GSI + 1 */
	struct mshv_msi_route entries[];
};

struct mshv_eventfd_state {
	struct srcu_struct ev_srcu;
	struct mshv_msi_table __rcu *ev_routes;

	spinlock_t ev_irqfds_lock;		/* ev_irqfds, IRQ-safe */
	struct list_head ev_irqfds;

	struct mutex ev_resampler_lock;		/* ev_resamplers writers */
	struct list_head ev_resamplers;		/* SRCU readers */

	struct list_head ev_ioeventfds;		/* pt_mutex */
};

int mshv_eventfd_wq_init(void);
void mshv_eventfd_wq_exit(void);

int mshv_eventfd_partition_init(struct mshv_partition *partition);
void mshv_eventfd_partition_release(struct mshv_partition *partition);
void mshv_eventfd_partition_destroy(struct mshv_partition *partition);

long mshv_partition_ioctl_set_msi_routing(struct mshv_partition *partition,
					  void __user *arg);
long mshv_partition_ioctl_irqfd(struct mshv_partition *partition, void __user *arg);
long mshv_partition_ioctl_ioeventfd(struct mshv_partition *partition, void __user *arg);

/* From the SynIC ISR (hard IRQ, rcu_read_lock held): true if consumed. */
bool mshv_eventfd_apic_eoi(struct mshv_partition *partition, u32 vp_index, u32 vector);
/* From the SynIC ISR, under rcu_read_lock(): a doorbell port rang. */
void mshv_doorbell_signal(u32 port_id);

/* mshv_root_hv_call.c */
int hv_call_assert_virtual_interrupt(u64 partition_id, u32 vector, u64 dest_addr,
				     u64 control);
int hv_call_clear_virtual_interrupt(u64 partition_id);
int hv_call_create_doorbell_port(u64 port_partition_id, u32 port_id,
				 u64 connection_partition_id);
int hv_call_connect_doorbell_port(u64 port_partition_id, u32 port_id,
				  u64 connection_partition_id, u32 connection_id,
				  u64 gpa, u64 trigger_value, u64 doorbell_flags);
int hv_call_disconnect_doorbell_port(u64 connection_partition_id, u32 connection_id);
int hv_call_delete_port(u64 port_partition_id, u32 port_id);

#endif /* _MSHV_EVENTFD_H_ */
