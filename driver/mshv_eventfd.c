// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSHV_SET_MSI_ROUTING and MSHV_IRQFD (with RESAMPLE), upstream-abi.md
 * sections 1.4 and 3.6, upstream-architecture.md section 2.9.
 *
 * Design, and how it avoids the irqfd bugs fixed upstream in 2026
 * (upstream-architecture.md section 5.2):
 *  - The routing table is immutable once published: a new one replaces it
 *    under SRCU.  An irqfd keeps only its GSI and looks the route up in the
 *    current table each time it fires, so there is no per-irqfd snapshot to
 *    refresh and nothing can be read torn (upstream's seqcount bug), and a
 *    table update cannot leave a resampler bound to a stale route.
 *  - Every entry has an explicit valid flag: GSI 0 is an ordinary GSI, for
 *    duplicate detection and for injection (upstream asserts a zeroed route
 *    for an unrouted GSI 0; we inject nothing for any unrouted GSI).
 *  - RESAMPLE checks the level of the route that is in the table at assign
 *    time (upstream checked a not yet initialised snapshot).
 *  - Injection: with the root scheduler and the hypervisor's register-page
 *    injection, an edge FIXED vector for a physical destination is queued
 *    in the target VP's register page (compare-and-exchange) and the VP's
 *    run loop woken; the next HvDispatchVp scans it in.  The VP is looked
 *    up and checked (exists, has a register page) before use; upstream's
 *    fast path dereferenced a NULL VP.  Everything else, and a full queue,
 *    goes through HvAssertVirtualInterrupt.
 *  - The irqfd list is changed only under ev_irqfds_lock; deassign and
 *    EPOLLHUP both just unlink and queue the shutdown work, which alone
 *    leaves the wait queue, clears the eventfd counter and frees.  Deassign
 *    and release wait for that work.
 *  - The APIC-EOI path walks resamplers and their irqfds under ev_srcu;
 *    writers unlink with list_del_rcu and synchronize_srcu before freeing.
 *
 * MSHV_IOEVENTFD (MMIO only; PIO is -EOPNOTSUPP as upstream): each one is a
 * hypervisor doorbell, a port of our own partition (target SINT5, any VP)
 * connected in the guest with the GPA, size and value to match, so that a
 * matching guest write never becomes an intercept.  The hypervisor pushes
 * the port id into SINT5's event ring; the ISR looks it up in the port IDR
 * under RCU and signals the eventfd.  Port ids are 1..2^24-1: the
 * hypervisor's port and connection ids are 24 bits wide (upstream
 * allocates up to INT_MAX and would fail in HvCreatePort above that).
 * Port-table fixes by design: the IDR is changed under a spinlock with
 * idr_preload() outside it, lookups stay inside the ISR's RCU section, and
 * an entry is freed only after synchronize_rcu().
 *
 * Deassign, documented choice: an exact match (eventfd, addr, len,
 * wildcard-ness, datamatch) is removed as upstream.  When there is none and
 * the request has len 0 and no DATAMATCH, the form QEMU and Cloud
 * Hypervisor send for an ioeventfd they registered with len 4/8 and a
 * datamatch, every ioeventfd of that eventfd at that address is removed
 * instead of failing with -ENOENT (QEMU aborts on that error).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/file.h>
#include <linux/eventfd.h>
#include <linux/poll.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/uaccess.h>
#include <linux/bitmap.h>
#include <linux/bitfield.h>
#include <linux/idr.h>
#include <linux/string.h>

#include <linux/mshv.h>

#include "mshv_root.h"
#include "mshv_eventfd.h"
#include "compat/compat-eventfd.h"

/* MSI address/data fields (x86), upstream-abi.md section 3.6. */
#define MSHV_MSI_ADDR_DEST_ID		GENMASK(19, 12)
#define MSHV_MSI_ADDR_LOGICAL		BIT(2)
#define MSHV_MSI_DATA_VECTOR		GENMASK(7, 0)
#define MSHV_MSI_DATA_DELIVERY		GENMASK(10, 8)
#define MSHV_MSI_DATA_LEVEL		BIT(15)

struct mshv_irqfd_resampler {
	struct mshv_partition *partition;
	u32 gsi;
	struct list_head irqfds;	/* mshv_irqfd.resampler_link, SRCU */
	struct list_head link;		/* ev_resamplers, SRCU */
};

struct mshv_irqfd {
	struct mshv_partition *partition;
	u32 gsi;
	struct eventfd_ctx *eventfd;
	struct list_head link;		/* ev_irqfds; empty once deactivated */
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct shutdown;

	struct mshv_irqfd_resampler *resampler;
	struct eventfd_ctx *resamplefd;
	struct list_head resampler_link;
};

static struct workqueue_struct *mshv_irqfd_wq;

int mshv_eventfd_wq_init(void)
{
	mshv_irqfd_wq = alloc_workqueue("mshv_irqfd", 0, 0);
	return mshv_irqfd_wq ? 0 : -ENOMEM;
}

void mshv_eventfd_wq_exit(void)
{
	destroy_workqueue(mshv_irqfd_wq);
}

int mshv_eventfd_partition_init(struct mshv_partition *partition)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;

	RCU_INIT_POINTER(ev->ev_routes, NULL);
	spin_lock_init(&ev->ev_irqfds_lock);
	INIT_LIST_HEAD(&ev->ev_irqfds);
	mutex_init(&ev->ev_resampler_lock);
	INIT_LIST_HEAD(&ev->ev_resamplers);
	INIT_LIST_HEAD(&ev->ev_ioeventfds);
	return init_srcu_struct(&ev->ev_srcu);
}

/* The route of @gsi in @t, or NULL; under ev_srcu. */
static const struct mshv_msi_route *mshv_msi_lookup(const struct mshv_msi_table *t, u32 gsi)
{
	if (!t || gsi >= t->nr || !t->entries[gsi].valid)
		return NULL;
	return &t->entries[gsi];
}

/* ---------------------------------------------------------------------- */
/* MSHV_SET_MSI_ROUTING                                                   */
/* ---------------------------------------------------------------------- */

static void mshv_msi_decode(struct mshv_msi_route *r)
{
	r->irq.vector = FIELD_GET(MSHV_MSI_DATA_VECTOR, r->data);
	r->irq.type = FIELD_GET(MSHV_MSI_DATA_DELIVERY, r->data);
	r->irq.apic_id = FIELD_GET(MSHV_MSI_ADDR_DEST_ID, r->address_lo);
	r->irq.level = r->data & MSHV_MSI_DATA_LEVEL;
	r->irq.logical = r->address_lo & MSHV_MSI_ADDR_LOGICAL;
}

long mshv_partition_ioctl_set_msi_routing(struct mshv_partition *partition,
					  void __user *arg)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	struct mshv_user_irq_entry *ents = NULL;
	struct mshv_msi_table *new = NULL, *old;
	struct mshv_user_irq_table hdr;
	unsigned long *seen = NULL;
	u32 i, nr_gsi = 0;
	long ret = 0;

	if (copy_from_user(&hdr, arg, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nr > MSHV_MAX_GUEST_IRQS || hdr.rsvd) {
		pt_dbg_input(partition, "MSI routing: nr %u rsvd %u\n", hdr.nr, hdr.rsvd);
		return -EINVAL;
	}

	if (hdr.nr) {
		ents = vmemdup_user(arg + sizeof(hdr), array_size(hdr.nr, sizeof(*ents)));
		if (IS_ERR(ents))
			return PTR_ERR(ents);
		seen = bitmap_zalloc(MSHV_MAX_GUEST_IRQS, GFP_KERNEL);
		if (!seen) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < hdr.nr; i++) {
			if (ents[i].gsi >= MSHV_MAX_GUEST_IRQS || ents[i].address_hi ||
			    test_and_set_bit(ents[i].gsi, seen)) {
				pt_dbg_input(partition, "MSI routing: bad entry %u (gsi %u)\n",
					     i, ents[i].gsi);
				ret = -EINVAL;
				goto out;
			}
			nr_gsi = max(nr_gsi, ents[i].gsi + 1);
		}
		new = kvzalloc(struct_size(new, entries, nr_gsi), GFP_KERNEL_ACCOUNT);
		if (!new) {
			ret = -ENOMEM;
			goto out;
		}
		new->nr = nr_gsi;
		for (i = 0; i < hdr.nr; i++) {
			struct mshv_msi_route *r = &new->entries[ents[i].gsi];

			r->valid = true;
			r->address_lo = ents[i].address_lo;
			r->address_hi = ents[i].address_hi;
			r->data = ents[i].data;
			mshv_msi_decode(r);
		}
	}

	/* Writers are serialized by pt_mutex (every partition ioctl). */
	old = rcu_replace_pointer(ev->ev_routes, new, lockdep_is_held(&partition->pt_mutex));
	synchronize_srcu_expedited(&ev->ev_srcu);
	kvfree(old);
out:
	bitmap_free(seen);
	if (!IS_ERR_OR_NULL(ents))
		kvfree(ents);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Injection                                                              */
/* ---------------------------------------------------------------------- */

/* Queue @irq in its VP's register page; false: use the slow path. */
static bool mshv_irqfd_fast_inject(struct mshv_partition *partition,
				   const struct mshv_lapic_irq *irq)
{
	union hv_vp_register_page_interrupt_vectors old, new;
	struct hv_vp_register_page *regs;
	struct mshv_vp *vp;
	u64 prev;

	if (mshv_scheduler_type != HV_SCHEDULER_TYPE_ROOT || !mshv_dispatch_injection ||
	    irq->logical || irq->level || irq->type != HV_X64_INTERRUPT_TYPE_FIXED ||
	    irq->apic_id >= MSHV_MAX_VPS)
		return false;
	/* VPs outlive irqfds (release flushes these first); pairs with the publish. */
	vp = smp_load_acquire(&partition->pt_vp_array[irq->apic_id]);
	if (!vp || !vp->vp_register_page)
		return false;
	regs = page_address(vp->vp_register_page);
	old.as_uint64 = READ_ONCE(regs->interrupt_vectors.as_uint64);
	for (;;) {
		if (old.vector_count >= HV_VP_REGISTER_PAGE_MAX_VECTOR_COUNT)
			return false;
		new.as_uint64 = old.as_uint64;
		new.vector[new.vector_count++] = irq->vector;
		prev = cmpxchg(&regs->interrupt_vectors.as_uint64, old.as_uint64, new.as_uint64);
		if (prev == old.as_uint64)
			break;
		old.as_uint64 = prev;
	}
	wake_up(&vp->run.suspend_queue);
	return true;
}

static void mshv_irqfd_inject(struct mshv_irqfd *irqfd)
{
	struct mshv_partition *partition = irqfd->partition;
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	const struct mshv_msi_route *r;
	u64 control;
	int idx;

	idx = srcu_read_lock(&ev->ev_srcu);
	r = mshv_msi_lookup(srcu_dereference(ev->ev_routes, &ev->ev_srcu), irqfd->gsi);
	if (r && !mshv_irqfd_fast_inject(partition, &r->irq)) {
		control = FIELD_PREP(HV_INTERRUPT_CONTROL_TYPE, r->irq.type);
		if (r->irq.level)
			control |= HV_INTERRUPT_CONTROL_LEVEL_TRIGGERED;
		if (r->irq.logical)
			control |= HV_INTERRUPT_CONTROL_LOGICAL_DEST_MODE;
		if (hv_call_assert_virtual_interrupt(partition->pt_id, r->irq.vector,
						     r->irq.apic_id, control))
			pr_debug("partition %llu: gsi %u vector %u not asserted\n",
				 partition->pt_id, irqfd->gsi, r->irq.vector);
	}
	srcu_read_unlock(&ev->ev_srcu, idx);
}

bool mshv_eventfd_apic_eoi(struct mshv_partition *partition, u32 vp_index, u32 vector)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	const struct mshv_msi_table *t;
	const struct mshv_msi_route *r;
	struct mshv_irqfd_resampler *rs;
	struct mshv_irqfd *irqfd;
	bool acked = false;
	int idx;

	idx = srcu_read_lock(&ev->ev_srcu);
	t = srcu_dereference(ev->ev_routes, &ev->ev_srcu);
	list_for_each_entry_rcu(rs, &ev->ev_resamplers, link, srcu_read_lock_held(&ev->ev_srcu)) {
		r = mshv_msi_lookup(t, rs->gsi);
		if (!r || r->irq.vector != vector)
			continue;
		if (r->irq.type == HV_X64_INTERRUPT_TYPE_EXTINT)
			hv_call_clear_virtual_interrupt(partition->pt_id);
		list_for_each_entry_rcu(irqfd, &rs->irqfds, resampler_link,
					srcu_read_lock_held(&ev->ev_srcu))
			mshv_eventfd_signal(irqfd->resamplefd);
		acked = true;
	}
	srcu_read_unlock(&ev->ev_srcu, idx);
	return acked;
}

/* ---------------------------------------------------------------------- */
/* irqfd life cycle                                                       */
/* ---------------------------------------------------------------------- */

static void mshv_irqfd_resampler_detach(struct mshv_irqfd *irqfd)
{
	struct mshv_irqfd_resampler *rs = irqfd->resampler;
	struct mshv_eventfd_state *ev = &irqfd->partition->pt_ev;
	bool last;

	mutex_lock(&ev->ev_resampler_lock);
	list_del_rcu(&irqfd->resampler_link);
	last = list_empty(&rs->irqfds);
	if (last)
		list_del_rcu(&rs->link);
	mutex_unlock(&ev->ev_resampler_lock);
	/* The EOI path may still be signalling irqfd->resamplefd. */
	synchronize_srcu(&ev->ev_srcu);
	if (last)
		kfree(rs);
	irqfd->resampler = NULL;
}

static void mshv_irqfd_shutdown(struct work_struct *work)
{
	struct mshv_irqfd *irqfd = container_of(work, struct mshv_irqfd, shutdown);
	u64 cnt;

	/* Off the wait queue (no wakeup runs after this) and counter cleared. */
	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	if (irqfd->resampler) {
		mshv_irqfd_resampler_detach(irqfd);
		eventfd_ctx_put(irqfd->resamplefd);
	}
	eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
}

/* ev_irqfds_lock held. */
static bool mshv_irqfd_is_active(struct mshv_irqfd *irqfd)
{
	return !list_empty(&irqfd->link);
}

/* ev_irqfds_lock held. */
static void mshv_irqfd_deactivate(struct mshv_irqfd *irqfd)
{
	list_del_init(&irqfd->link);
	queue_work(mshv_irqfd_wq, &irqfd->shutdown);
}

/* Called by the eventfd core with its wait-queue lock held, IRQs off. */
static int mshv_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct mshv_irqfd *irqfd = container_of(wait, struct mshv_irqfd, wait);
	struct mshv_eventfd_state *ev = &irqfd->partition->pt_ev;
	__poll_t flags = key_to_poll(key);
	unsigned long iflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		mshv_irqfd_inject(irqfd);
	}
	if (flags & EPOLLHUP) {
		spin_lock_irqsave(&ev->ev_irqfds_lock, iflags);
		if (mshv_irqfd_is_active(irqfd))
			mshv_irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&ev->ev_irqfds_lock, iflags);
	}
	return 0;
}

static void mshv_irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct mshv_irqfd *irqfd = container_of(pt, struct mshv_irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

static int mshv_irqfd_resampler_attach(struct mshv_irqfd *irqfd)
{
	struct mshv_eventfd_state *ev = &irqfd->partition->pt_ev;
	struct mshv_irqfd_resampler *rs;

	mutex_lock(&ev->ev_resampler_lock);
	list_for_each_entry(rs, &ev->ev_resamplers, link)
		if (rs->gsi == irqfd->gsi)
			goto found;
	rs = kzalloc(sizeof(*rs), GFP_KERNEL_ACCOUNT);
	if (!rs) {
		mutex_unlock(&ev->ev_resampler_lock);
		return -ENOMEM;
	}
	rs->partition = irqfd->partition;
	rs->gsi = irqfd->gsi;
	INIT_LIST_HEAD(&rs->irqfds);
	list_add_rcu(&rs->link, &ev->ev_resamplers);
found:
	list_add_rcu(&irqfd->resampler_link, &rs->irqfds);
	irqfd->resampler = rs;
	mutex_unlock(&ev->ev_resampler_lock);
	return 0;
}

static bool mshv_route_is_level(struct mshv_partition *partition, u32 gsi)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	const struct mshv_msi_route *r;
	bool level;
	int idx;

	idx = srcu_read_lock(&ev->ev_srcu);
	r = mshv_msi_lookup(srcu_dereference(ev->ev_routes, &ev->ev_srcu), gsi);
	level = r && r->irq.level;
	srcu_read_unlock(&ev->ev_srcu, idx);
	return level;
}

static long mshv_irqfd_assign(struct mshv_partition *partition,
			      const struct mshv_user_irqfd *args)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	struct mshv_irqfd *irqfd, *tmp;
	struct eventfd_ctx *eventfd;
	struct fd f;
	__poll_t events;
	long ret;

	f = fdget(args->fd);
	if (!fd_file(f))
		return -EBADF;
	eventfd = eventfd_ctx_fileget(fd_file(f));
	if (IS_ERR(eventfd)) {
		ret = PTR_ERR(eventfd);
		goto out_fdput;
	}

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd) {
		ret = -ENOMEM;
		goto out_eventfd;
	}
	irqfd->partition = partition;
	irqfd->gsi = args->gsi;
	irqfd->eventfd = eventfd;
	INIT_LIST_HEAD(&irqfd->link);
	INIT_LIST_HEAD(&irqfd->resampler_link);
	INIT_WORK(&irqfd->shutdown, mshv_irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, mshv_irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, mshv_irqfd_queue_proc);

	/*
	 * Only partition ioctls (pt_mutex) add irqfds, so nothing can bind
	 * this eventfd between the check and list_add_tail() below.
	 */
	spin_lock_irq(&ev->ev_irqfds_lock);
	list_for_each_entry(tmp, &ev->ev_irqfds, link) {
		if (tmp->eventfd == eventfd) {
			spin_unlock_irq(&ev->ev_irqfds_lock);
			ret = -EBUSY;
			goto out_free;
		}
	}
	spin_unlock_irq(&ev->ev_irqfds_lock);

	if (args->flags & BIT(MSHV_IRQFD_BIT_RESAMPLE)) {
		irqfd->resamplefd = eventfd_ctx_fdget(args->resamplefd);
		if (IS_ERR(irqfd->resamplefd)) {
			ret = PTR_ERR(irqfd->resamplefd);
			goto out_free;
		}
		if (!mshv_route_is_level(partition, args->gsi)) {
			pt_dbg_input(partition, "irqfd: RESAMPLE on gsi %u without a level route\n",
				     args->gsi);
			ret = -EINVAL;
			goto out_resamplefd;
		}
		ret = mshv_irqfd_resampler_attach(irqfd);
		if (ret)
			goto out_resamplefd;
	}

	spin_lock_irq(&ev->ev_irqfds_lock);
	list_add_tail(&irqfd->link, &ev->ev_irqfds);
	spin_unlock_irq(&ev->ev_irqfds_lock);

	/* A count already in the eventfd fires now. */
	events = vfs_poll(fd_file(f), &irqfd->pt);
	if (events & EPOLLIN)
		mshv_irqfd_inject(irqfd);
	fdput(f);
	return 0;

out_resamplefd:
	eventfd_ctx_put(irqfd->resamplefd);
out_free:
	kfree(irqfd);
out_eventfd:
	eventfd_ctx_put(eventfd);
out_fdput:
	fdput(f);
	return ret;
}

static long mshv_irqfd_deassign(struct mshv_partition *partition,
				const struct mshv_user_irqfd *args)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	struct mshv_irqfd *irqfd, *tmp;
	struct eventfd_ctx *eventfd;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	spin_lock_irq(&ev->ev_irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &ev->ev_irqfds, link)
		if (irqfd->eventfd == eventfd && irqfd->gsi == args->gsi)
			mshv_irqfd_deactivate(irqfd);
	spin_unlock_irq(&ev->ev_irqfds_lock);
	eventfd_ctx_put(eventfd);

	/* The caller may close or reuse the eventfd once we return. */
	flush_workqueue(mshv_irqfd_wq);
	return 0;
}

long mshv_partition_ioctl_irqfd(struct mshv_partition *partition, void __user *arg)
{
	struct mshv_user_irqfd args;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if (args.flags & ~(BIT(MSHV_IRQFD_BIT_DEASSIGN) | BIT(MSHV_IRQFD_BIT_RESAMPLE))) {
		pt_dbg_input(partition, "irqfd: unknown flags %#x\n", args.flags);
		return -EINVAL;
	}
	if (args.flags & BIT(MSHV_IRQFD_BIT_DEASSIGN))
		return mshv_irqfd_deassign(partition, &args);
	return mshv_irqfd_assign(partition, &args);
}

/* The partition fd is closing: no ioctl can add irqfds any more. */
static void mshv_ioeventfd_release(struct mshv_partition *partition);

void mshv_eventfd_partition_release(struct mshv_partition *partition)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	struct mshv_irqfd *irqfd, *tmp;

	spin_lock_irq(&ev->ev_irqfds_lock);
	list_for_each_entry_safe(irqfd, tmp, &ev->ev_irqfds, link)
		mshv_irqfd_deactivate(irqfd);
	spin_unlock_irq(&ev->ev_irqfds_lock);
	flush_workqueue(mshv_irqfd_wq);
	mshv_ioeventfd_release(partition);
}

void mshv_eventfd_partition_destroy(struct mshv_partition *partition)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;

	WARN_ON(!list_empty(&ev->ev_irqfds) || !list_empty(&ev->ev_resamplers) ||
		!list_empty(&ev->ev_ioeventfds));
	kvfree(rcu_dereference_protected(ev->ev_routes, true));
	cleanup_srcu_struct(&ev->ev_srcu);
}

/* ---------------------------------------------------------------------- */
/* MSHV_IOEVENTFD: doorbell ports                                          */
/* ---------------------------------------------------------------------- */

struct mshv_ioeventfd {
	struct list_head link;		/* ev_ioeventfds, pt_mutex */
	struct eventfd_ctx *eventfd;
	u64 addr;
	u32 len;
	bool wildcard;
	u64 datamatch;
	u32 port_id;
};

static DEFINE_SPINLOCK(mshv_port_lock);	/* mshv_port_idr writers */
static DEFINE_IDR(mshv_port_idr);		/* port id -> mshv_ioeventfd, RCU */

void mshv_doorbell_signal(u32 port_id)
{
	struct mshv_ioeventfd *p = idr_find(&mshv_port_idr, port_id);

	if (p)
		mshv_eventfd_signal(p->eventfd);
	else
		pr_debug("doorbell for unregistered port %u\n", port_id);
}

static int mshv_port_alloc(struct mshv_ioeventfd *p)
{
	int id;

	idr_preload(GFP_KERNEL);
	spin_lock(&mshv_port_lock);
	id = idr_alloc(&mshv_port_idr, p, 1, HV_PORT_ID_MASK + 1, GFP_NOWAIT);
	spin_unlock(&mshv_port_lock);
	idr_preload_end();
	return id;
}

static void mshv_port_free(u32 port_id)
{
	spin_lock(&mshv_port_lock);
	idr_remove(&mshv_port_idr, port_id);
	spin_unlock(&mshv_port_lock);
	/* The ISR may be signalling the entry's eventfd right now. */
	synchronize_rcu();
}

static u64 mshv_doorbell_flags(const struct mshv_ioeventfd *p)
{
	u64 flags;

	switch (p->len) {
	case 1:
		flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_BYTE;
		break;
	case 2:
		flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_WORD;
		break;
	case 4:
		flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_DWORD;
		break;
	case 8:
		flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_QWORD;
		break;
	default:
		flags = HV_DOORBELL_FLAG_TRIGGER_SIZE_ANY;
		break;
	}
	if (p->wildcard)
		flags |= HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE;
	return flags;
}

/* Same GPA and overlapping (len, value) triggers: the hypervisor could not tell them apart. */
static bool mshv_ioeventfd_collides(const struct mshv_ioeventfd *a, const struct mshv_ioeventfd *b)
{
	return a->addr == b->addr &&
	       (!a->len || !b->len ||
		(a->len == b->len &&
		 (a->wildcard || b->wildcard || a->datamatch == b->datamatch)));
}

static void mshv_ioeventfd_remove(struct mshv_partition *partition, struct mshv_ioeventfd *p)
{
	hv_call_disconnect_doorbell_port(partition->pt_id, p->port_id);
	hv_call_delete_port(mshv_self_partition_id, p->port_id);
	list_del(&p->link);
	mshv_port_free(p->port_id);
	eventfd_ctx_put(p->eventfd);
	kfree(p);
}

static long mshv_ioeventfd_assign(struct mshv_partition *partition,
				  const struct mshv_user_ioeventfd *args)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	struct mshv_ioeventfd *p, *tmp;
	int id;
	long ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	p->addr = args->addr;
	p->len = args->len;
	p->wildcard = !(args->flags & BIT(MSHV_IOEVENTFD_BIT_DATAMATCH));
	p->datamatch = p->wildcard ? 0 : args->datamatch;
	p->eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(p->eventfd)) {
		ret = PTR_ERR(p->eventfd);
		kfree(p);
		return ret;
	}

	list_for_each_entry(tmp, &ev->ev_ioeventfds, link) {
		if (mshv_ioeventfd_collides(tmp, p)) {
			ret = -EEXIST;
			goto out_free;
		}
	}

	id = mshv_port_alloc(p);
	if (id < 0) {
		ret = id;
		goto out_free;
	}
	p->port_id = id;
	ret = hv_call_create_doorbell_port(mshv_self_partition_id, p->port_id,
					   partition->pt_id);
	if (ret)
		goto out_port;
	ret = hv_call_connect_doorbell_port(mshv_self_partition_id, p->port_id,
					    partition->pt_id, p->port_id, p->addr,
					    p->datamatch, mshv_doorbell_flags(p));
	if (ret)
		goto out_delete;
	list_add_tail(&p->link, &ev->ev_ioeventfds);
	return 0;

out_delete:
	hv_call_delete_port(mshv_self_partition_id, p->port_id);
out_port:
	mshv_port_free(p->port_id);
out_free:
	eventfd_ctx_put(p->eventfd);
	kfree(p);
	return ret;
}

static long mshv_ioeventfd_deassign(struct mshv_partition *partition,
				    const struct mshv_user_ioeventfd *args)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	bool wildcard = !(args->flags & BIT(MSHV_IOEVENTFD_BIT_DATAMATCH));
	struct mshv_ioeventfd *p, *tmp;
	struct eventfd_ctx *eventfd;
	long ret = -ENOENT;

	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	list_for_each_entry(p, &ev->ev_ioeventfds, link) {
		if (p->eventfd == eventfd && p->addr == args->addr && p->len == args->len &&
		    p->wildcard == wildcard && (wildcard || p->datamatch == args->datamatch)) {
			mshv_ioeventfd_remove(partition, p);
			ret = 0;
			break;
		}
	}
	/* The QEMU / Cloud Hypervisor form: see the comment at the top. */
	if (ret && !args->len && wildcard) {
		list_for_each_entry_safe(p, tmp, &ev->ev_ioeventfds, link) {
			if (p->eventfd == eventfd && p->addr == args->addr) {
				mshv_ioeventfd_remove(partition, p);
				ret = 0;
			}
		}
	}
	eventfd_ctx_put(eventfd);
	return ret;
}

long mshv_partition_ioctl_ioeventfd(struct mshv_partition *partition, void __user *arg)
{
	struct mshv_user_ioeventfd args;

	if (copy_from_user(&args, arg, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~(BIT(MSHV_IOEVENTFD_BIT_DATAMATCH) | BIT(MSHV_IOEVENTFD_BIT_PIO) |
			    BIT(MSHV_IOEVENTFD_BIT_DEASSIGN))) ||
	    memchr_inv(args.rsvd, 0, sizeof(args.rsvd))) {
		pt_dbg_input(partition, "ioeventfd: flags %#x or reserved bytes\n", args.flags);
		return -EINVAL;
	}
	if (args.flags & BIT(MSHV_IOEVENTFD_BIT_PIO))
		return -EOPNOTSUPP;
	/* As upstream, deassign checks no length: a bad one matches nothing. */
	if (args.flags & BIT(MSHV_IOEVENTFD_BIT_DEASSIGN))
		return mshv_ioeventfd_deassign(partition, &args);
	switch (args.len) {
	case 0:
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args.addr + args.len < args.addr)
		return -EINVAL;
	return mshv_ioeventfd_assign(partition, &args);
}

static void mshv_ioeventfd_release(struct mshv_partition *partition)
{
	struct mshv_eventfd_state *ev = &partition->pt_ev;
	struct mshv_ioeventfd *p, *tmp;

	list_for_each_entry_safe(p, tmp, &ev->ev_ioeventfds, link)
		mshv_ioeventfd_remove(partition, p);
}
