// SPDX-License-Identifier: GPL-2.0-only
/*
 * SynIC of the parent partition: per-CPU setup (cpuhp) and the interrupt
 * handler for the SINTs mshv owns.
 *
 * Ownership follows upstream 7.1-rc8 ("limit SynIC management to MSHV-owned
 * resources"), detected per register instead of asking VMBus: a SIMP,
 * SIEFP or SCONTROL that is already enabled belongs to someone else (VMBus
 * on L1VH) and is only used, never changed.  One that is disabled is ours
 * to enable (with the hypervisor's overlay page when it provides one, as
 * on a root partition, else with a page we allocate) and to disable again.
 * SINT0 (intercepts), SINT5 (doorbells) and SIRBP (event rings) are always
 * ours.  The SINTs carry mshv's own vector (mshv_vector.c), without
 * auto-EOI because the irq core EOIs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/cpuhotplug.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/reboot.h>

#include "mshv_root.h"

/* How one SynIC page register was found and what we did to it. */
struct mshv_synic_reg {
	u64 saved;		/* value before we touched it */
	void *va;		/* mapping of the page (memremap or ours) */
	struct page *ours;	/* page we allocated, if any */
	bool enabled_by_us;
};

struct mshv_synic_cpu {
	struct mshv_synic_reg simp, siefp, sirbp;
	bool scontrol_enabled_by_us;
	bool sints_programmed;
	u8 ring_tail[HV_SYNIC_SINT_COUNT];	/* event ring consumer indexes */
};

static DEFINE_PER_CPU(struct mshv_synic_cpu, mshv_synic_cpus);
static enum cpuhp_state mshv_synic_cpuhp_state;

/*
 * The calling CPU's synthetic MSRs.  Setup runs in the CPU's hotplug
 * thread, bound to it; the backend contract still wants preemption off.
 */
static u64 synic_read(u32 msr)
{
	u64 value;

	preempt_disable();
	value = mshv_hv->read_msr(msr);
	preempt_enable();
	return value;
}

static void synic_write(u32 msr, u64 value)
{
	preempt_disable();
	mshv_hv->write_msr(msr, value);
	preempt_enable();
}

/*
 * Map the page behind a SIMP/SIEFP/SIRBP register, enabling it when
 * nobody did.  @always_ours: SIRBP, which no other driver uses.
 */
static int mshv_synic_reg_setup(u32 msr, struct mshv_synic_reg *reg, bool always_ours)
{
	u64 value = synic_read(msr);
	u64 gpa = hv_synic_page_gpa(value);

	reg->saved = value;
	if ((value & HV_SYNIC_SIMP_ENABLE) && !always_ours) {
		/* Enabled by its owner (VMBus): just map it. */
		reg->va = memremap(gpa, HV_HYP_PAGE_SIZE, MEMREMAP_WB);
		return reg->va ? 0 : -ENOMEM;
	}

	if (!gpa) {
		/* No overlay from the hypervisor: provide a page ourselves. */
		reg->ours = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!reg->ours)
			return -ENOMEM;
		gpa = page_to_phys(reg->ours);
		reg->va = page_address(reg->ours);
	} else {
		reg->va = memremap(gpa, HV_HYP_PAGE_SIZE, MEMREMAP_WB);
		if (!reg->va)
			return -ENOMEM;
	}
	synic_write(msr, (value & ~HV_SYNIC_PAGE_GPA_MASK) | gpa | HV_SYNIC_SIMP_ENABLE);
	reg->enabled_by_us = true;
	return 0;
}

static void mshv_synic_reg_teardown(u32 msr, struct mshv_synic_reg *reg, void *va)
{
	if (reg->enabled_by_us) {
		u64 value = synic_read(msr) & ~HV_SYNIC_SIMP_ENABLE;

		/* A page of ours must not stay registered with the hypervisor. */
		if (reg->ours)
			value &= ~HV_SYNIC_PAGE_GPA_MASK;
		synic_write(msr, value);
	}
	if (reg->ours)
		__free_page(reg->ours);
	else if (va)
		memunmap(va);
	memset(reg, 0, sizeof(*reg));
}

static u64 mshv_sint_value(unsigned int cpu, bool as_intercept)
{
	u64 sint = mshv_vector_of_cpu(cpu) & HV_SYNIC_SINT_VECTOR_MASK;

	/* No AUTO_EOI: the irq core acks our vector with an APIC EOI. */
	if (as_intercept)
		sint |= HV_SYNIC_SINT_AS_INTERCEPT;
	return sint;
}

static void mshv_synic_mask_sints(void)
{
	synic_write(HV_X64_MSR_SINT(HV_SYNIC_INTERCEPTION_SINT_INDEX), HV_SYNIC_SINT_MASKED);
	synic_write(HV_X64_MSR_SINT(HV_SYNIC_DOORBELL_SINT_INDEX), HV_SYNIC_SINT_MASKED);
}

static int mshv_synic_cpu_exit(unsigned int cpu)
{
	struct mshv_synic_cpu *s = per_cpu_ptr(&mshv_synic_cpus, cpu);
	void *simp, *siefp, *sirbp;
	u64 scontrol;

	if (s->sints_programmed)
		mshv_synic_mask_sints();
	s->sints_programmed = false;

	/*
	 * We run on @cpu: with interrupts off the ISR is not half-way
	 * through a page; once the pointers are gone it cannot start one.
	 */
	local_irq_disable();
	simp = s->simp.va;
	siefp = s->siefp.va;
	sirbp = s->sirbp.va;
	s->simp.va = NULL;
	s->siefp.va = NULL;
	s->sirbp.va = NULL;
	local_irq_enable();

	mshv_synic_reg_teardown(HV_X64_MSR_SIRBP, &s->sirbp, sirbp);
	mshv_synic_reg_teardown(HV_X64_MSR_SIEFP, &s->siefp, siefp);
	mshv_synic_reg_teardown(HV_X64_MSR_SIMP, &s->simp, simp);

	if (s->scontrol_enabled_by_us) {
		scontrol = synic_read(HV_X64_MSR_SCONTROL);
		synic_write(HV_X64_MSR_SCONTROL, scontrol & ~HV_SYNIC_CONTROL_ENABLE);
		s->scontrol_enabled_by_us = false;
	}
	return 0;
}

static int mshv_synic_cpu_init(unsigned int cpu)
{
	struct mshv_synic_cpu *s = per_cpu_ptr(&mshv_synic_cpus, cpu);
	u64 scontrol;
	int ret;

	if (!mshv_vector_of_cpu(cpu)) {
		pr_err("CPU %u has no SynIC vector\n", cpu);
		return -ENODEV;
	}

	ret = mshv_synic_reg_setup(HV_X64_MSR_SIMP, &s->simp, false);
	if (ret)
		goto undo;
	ret = mshv_synic_reg_setup(HV_X64_MSR_SIEFP, &s->siefp, false);
	if (ret)
		goto undo;
	/*
	 * Event rings: on L1VH the page is ours and new, so index 0 is right.
	 * A root partition's hypervisor-provided page keeps its contents and
	 * producer position across a module reload; upstream keeps the
	 * consumer index in built-in code for that reason, which a module
	 * cannot.  Restarting at 0 there may deliver stale port ids once and
	 * miss the position of the producer until the ring wraps, so the
	 * doorbell ISR resynchronises (mshv_event_ring_resync()).
	 */
	memset(s->ring_tail, 0, sizeof(s->ring_tail));
	ret = mshv_synic_reg_setup(HV_X64_MSR_SIRBP, &s->sirbp, true);
	if (ret)
		goto undo;

	synic_write(HV_X64_MSR_SINT(HV_SYNIC_INTERCEPTION_SINT_INDEX),
		    mshv_sint_value(cpu, false));
	synic_write(HV_X64_MSR_SINT(HV_SYNIC_DOORBELL_SINT_INDEX),
		    mshv_sint_value(cpu, true));
	s->sints_programmed = true;

	scontrol = synic_read(HV_X64_MSR_SCONTROL);
	if (!(scontrol & HV_SYNIC_CONTROL_ENABLE)) {
		synic_write(HV_X64_MSR_SCONTROL, scontrol | HV_SYNIC_CONTROL_ENABLE);
		s->scontrol_enabled_by_us = true;
	}
	return 0;

undo:
	pr_err("SynIC setup failed on CPU %u: %d\n", cpu, ret);
	mshv_synic_cpu_exit(cpu);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Interrupt handler                                                      */
/* ---------------------------------------------------------------------- */

void mshv_vp_kick(struct mshv_vp *vp)
{
	atomic64_inc(&vp->run.signaled_count);
	WRITE_ONCE(vp->run.kicked_by_hv, true);
	wake_up(&vp->run.suspend_queue);
}

/* Kick VP @vp_index of partition @pt_id; under rcu_read_lock(). */
static void mshv_kick_vp_index(u64 pt_id, u32 vp_index)
{
	struct mshv_partition *partition;
	struct mshv_vp *vp;

	if (vp_index >= MSHV_MAX_VPS) {
		pr_debug("kick for vp %u out of range\n", vp_index);
		return;
	}
	partition = mshv_partition_find(pt_id);
	if (!partition) {
		pr_debug("kick for unknown partition %llu\n", pt_id);
		return;
	}
	/* Pairs with the store-release that publishes a new VP. */
	vp = smp_load_acquire(&partition->pt_vp_array[vp_index]);
	if (!vp) {
		pr_debug("kick for absent vp %u of partition %llu\n", vp_index, pt_id);
		return;
	}
	mshv_vp_kick(vp);
}

static bool mshv_scheduler_bitset_isr(const struct hv_message *msg)
{
	const struct hv_vp_signal_bitset_scheduler_message *m = (const void *)msg->u.payload;
	u64 banks = m->vp_bitset.bitset.valid_bank_mask;
	unsigned int n = 0, bank, bit;
	u64 contents;

	BUILD_BUG_ON(sizeof(*m) > HV_MESSAGE_PAYLOAD_BYTE_COUNT);
	if (m->vp_bitset.bitset.format != HV_GENERIC_SET_SPARSE_4K)
		return false;

	for_each_set_bit(bank, (unsigned long *)&banks, BITS_PER_LONG) {
		if (n >= ARRAY_SIZE(m->vp_bitset.bitset.bank_contents))
			break;
		contents = m->vp_bitset.bitset.bank_contents[n++];
		for_each_set_bit(bit, (unsigned long *)&contents, BITS_PER_LONG)
			mshv_kick_vp_index(m->partition_id,
					   bank * HV_VCPUS_PER_SPARSE_BANK + bit);
	}
	return true;
}

static bool mshv_scheduler_pair_isr(const struct hv_message *msg)
{
	const struct hv_vp_signal_pair_scheduler_message *m = (const void *)msg->u.payload;
	unsigned int i, count;

	BUILD_BUG_ON(sizeof(*m) != HV_MESSAGE_PAYLOAD_BYTE_COUNT);
	count = min_t(unsigned int, m->vp_count, HV_MESSAGE_MAX_PARTITION_VP_PAIR_COUNT);
	for (i = 0; i < count; i++)
		mshv_kick_vp_index(m->partition_ids[i], m->vp_indexes[i]);
	return true;
}

static bool mshv_async_completion_isr(const struct hv_message *msg)
{
	const struct hv_async_completion_message_payload *m = (const void *)msg->u.payload;
	struct mshv_partition *partition;

	BUILD_BUG_ON(sizeof(*m) != 24);
	partition = mshv_partition_find(m->partition_id);
	if (!partition)
		return true;	/* consumed: nobody waits for it any more */
	partition->async_hypercall_status = m->status;
	complete(&partition->async_hypercall);
	return true;
}

static bool mshv_intercept_isr(const struct hv_message *msg)
{
	const struct hv_opaque_intercept_message *m = (const void *)msg->u.payload;

	/* The real message is in the VP's intercept message page. */
	mshv_kick_vp_index(msg->header.sender, m->vp_index);
	return true;
}

/*
 * A level-triggered vector was EOIed: signal the resample eventfds bound
 * to it.  Consumed either way (nobody else waits for it).
 */
static bool mshv_apic_eoi_isr(const struct hv_message *msg)
{
	const struct hv_x64_apic_eoi_message *m = (const void *)msg->u.payload;
	struct mshv_partition *partition = mshv_partition_find(msg->header.sender);

	if (partition && m->vp_index < MSHV_MAX_VPS)
		mshv_eventfd_apic_eoi(partition, m->vp_index, m->interrupt_vector);
	return true;
}

/* Next port id from this CPU's ring of @sint, or 0 when it is empty. */
static u32 mshv_event_ring_pop(struct mshv_synic_cpu *s, u32 sint)
{
	struct hv_synic_event_ring_page *page = s->sirbp.va;
	struct hv_synic_event_ring *ring = &page->sint_event_ring[sint];
	u8 *tail = &s->ring_tail[sint];
	u32 value = READ_ONCE(ring->data[*tail]);

	if (!value) {
		if (READ_ONCE(ring->ring_full)) {
			WRITE_ONCE(ring->ring_full, 0);
			hv_call_notify_port_ring_empty(sint);
			value = READ_ONCE(ring->data[*tail]);
		}
		if (!value) {
			WRITE_ONCE(ring->signal_masked, 0);
			/* The unmask must be visible before the last look. */
			mb();
			value = READ_ONCE(ring->data[*tail]);
			if (!value)
				return 0;
		}
		WRITE_ONCE(ring->signal_masked, 1);
	}
	WRITE_ONCE(ring->data[*tail], 0);
	*tail = (*tail + 1) % HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
	return value;
}

/*
 * The producer fills the ring in order, so a signalled ring whose slot at
 * our tail is empty while another slot is not means our tail is stale (a
 * module reload kept the hypervisor's page and position): continue from
 * the first filled slot after the tail.
 */
static void mshv_event_ring_resync(struct mshv_synic_cpu *s, u32 sint)
{
	struct hv_synic_event_ring_page *page = s->sirbp.va;
	struct hv_synic_event_ring *ring = &page->sint_event_ring[sint];
	u8 *tail = &s->ring_tail[sint];
	u32 i, slot;

	if (READ_ONCE(ring->data[*tail]))
		return;
	for (i = 1; i < HV_SYNIC_EVENT_RING_MESSAGE_COUNT; i++) {
		slot = (*tail + i) % HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
		if (READ_ONCE(ring->data[slot])) {
			pr_debug("SINT%u event ring: tail %u -> %u\n", sint, *tail, slot);
			*tail = slot;
			return;
		}
	}
}

static bool mshv_doorbell_isr(struct mshv_synic_cpu *s, const struct hv_message *msg)
{
	const struct hv_notification_message_payload *m = (const void *)msg->u.payload;
	u32 port;

	if (m->sint_index != HV_SYNIC_DOORBELL_SINT_INDEX)
		return false;
	mshv_event_ring_resync(s, HV_SYNIC_DOORBELL_SINT_INDEX);
	/* Doorbell ports (ioeventfd): signal each port's eventfd. */
	while ((port = mshv_event_ring_pop(s, HV_SYNIC_DOORBELL_SINT_INDEX)))
		mshv_doorbell_signal(port);
	return true;
}

irqreturn_t mshv_isr(int irq, void *dev_id)
{
	struct mshv_synic_cpu *s = this_cpu_ptr(&mshv_synic_cpus);
	struct hv_message_page *page = s->simp.va;
	struct hv_message *msg;
	bool handled = false;
	u32 type;

	if (!page)
		return IRQ_NONE;
	msg = &page->sint_message[HV_SYNIC_INTERCEPTION_SINT_INDEX];
	type = READ_ONCE(msg->header.message_type);
	if (type == HVMSG_NONE)
		return IRQ_HANDLED;	/* nothing (left) in our slot */

	rcu_read_lock();
	switch (type) {
	case HVMSG_SYNIC_SINT_INTERCEPT:
		handled = s->sirbp.va && mshv_doorbell_isr(s, msg);
		break;
	case HVMSG_SCHEDULER_VP_SIGNAL_BITSET:
		handled = mshv_scheduler_bitset_isr(msg);
		break;
	case HVMSG_SCHEDULER_VP_SIGNAL_PAIR:
		handled = mshv_scheduler_pair_isr(msg);
		break;
	case HVMSG_ASYNC_CALL_COMPLETION:
		handled = mshv_async_completion_isr(msg);
		break;
	case HVMSG_X64_APIC_EOI:
		handled = mshv_apic_eoi_isr(msg);
		break;
	case HVMSG_OPAQUE_INTERCEPT:
		handled = mshv_intercept_isr(msg);
		break;
	}
	rcu_read_unlock();

	if (!handled) {
		pr_warn_once("unhandled SynIC message type %#x left in slot 0\n", type);
		return IRQ_HANDLED;
	}

	/* EOM protocol: free the slot, then ask for the next queued message. */
	WRITE_ONCE(msg->header.message_type, HVMSG_NONE);
	/* The hypervisor must see the slot free before it sees EOM. */
	mb();
	if (READ_ONCE(msg->header.message_flags) & HV_MESSAGE_FLAG_MSG_PENDING)
		synic_write(HV_X64_MSR_EOM, 0);
	return IRQ_HANDLED;
}

static DEFINE_MUTEX(mshv_synic_state_lock);
static bool mshv_synic_active;

static void mshv_synic_remove(void)
{
	mutex_lock(&mshv_synic_state_lock);
	if (mshv_synic_active)
		cpuhp_remove_state(mshv_synic_cpuhp_state);
	mshv_synic_active = false;
	mutex_unlock(&mshv_synic_state_lock);
}

/*
 * Reboot and kexec: leave no SINT armed and no page of ours registered
 * with the hypervisor for the next kernel (7.1-rc8 does this for root
 * and L1VH alike).
 */
static int mshv_synic_reboot(struct notifier_block *nb, unsigned long code, void *unused)
{
	mshv_synic_remove();
	return NOTIFY_DONE;
}

static struct notifier_block mshv_synic_reboot_nb = {
	.notifier_call = mshv_synic_reboot,
};

int mshv_synic_init(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "mshv_synic",
				mshv_synic_cpu_init, mshv_synic_cpu_exit);
	if (ret < 0)
		return ret;
	mshv_synic_cpuhp_state = ret;
	mshv_synic_active = true;

	ret = register_reboot_notifier(&mshv_synic_reboot_nb);
	if (ret) {
		mshv_synic_remove();
		return ret;
	}
	return 0;
}

void mshv_synic_exit(void)
{
	unregister_reboot_notifier(&mshv_synic_reboot_nb);
	mshv_synic_remove();
}
