// SPDX-License-Identifier: GPL-2.0-only
/*
 * The root partition's SynIC, per CPU: SCONTROL, SIMP/SIEFP/SIRBP, SINTx
 * and EOM as MSRs; message posting with the pending/EOM protocol; the SINT
 * interrupt as a fixed IPI; and doorbell ports (ioeventfd) that push port
 * ids into the event ring of SINT5.
 *
 * SIMP, SIEFP and SIRBP pages are hypervisor overlays on a root partition:
 * hvsim allocates one of each per possible CPU and reports its physical
 * address in the MSR (enable bit clear) until the driver enables it.  On
 * L1VH the SIRBP is not provided (reads 0) and the driver brings its own
 * page; a page address written by the driver is used as given.
 *
 * Posting: if the target slot's message_type is HVMSG_NONE and the SINT is
 * deliverable (SCONTROL and SIMP enabled, SINT unmasked) the message is
 * written (type last) and the SINT's vector is sent to that CPU.  Otherwise
 * it is queued, and the busy slot gets message_flags.msg_pending, so the
 * consumer writes EOM after freeing the slot; EOM (or unmasking/enabling)
 * delivers the next queued message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/cpumask.h>

#include "hvsim.h"
#include "hvsim_compat.h"

#define HVSIM_MSG_QUEUE_LEN	64

struct hvsim_queued_msg {
	u32 sint;
	struct hv_message msg;
};

struct hvsim_synic {
	spinlock_t lock;		/* everything below */
	u64 scontrol, simp, siefp, sirbp;
	u64 sint[HV_SYNIC_SINT_COUNT];
	struct page *own_simp, *own_siefp, *own_sirbp;
	struct hv_message_page *simp_va;
	struct hv_synic_event_ring_page *sirbp_va;
	u8 ring_head[HV_SYNIC_SINT_COUNT];
	struct hvsim_queued_msg *queue;		/* FIFO ring */
	u32 q_head, q_len;
};

static struct hvsim_synic __percpu *hvsim_synic;

static void *hvsim_page_va(u64 msr, struct page *own)
{
	u64 pfn = hv_synic_page_gpa(msr) >> HV_HYP_PAGE_SHIFT;

	if (own && pfn == page_to_pfn(own))
		return page_address(own);
	return pfn && pfn_valid(pfn) ? page_address(pfn_to_page(pfn)) : NULL;
}

static bool hvsim_sint_deliverable(struct hvsim_synic *s, u32 sint)
{
	return (s->scontrol & HV_SYNIC_CONTROL_ENABLE) &&
	       (s->simp & HV_SYNIC_SIMP_ENABLE) && s->simp_va &&
	       !(s->sint[sint] & HV_SYNIC_SINT_MASKED);
}

/* Copy @msg into the slot, type last; the caller checked it is free. */
static void hvsim_slot_write(struct hv_message *slot, const struct hv_message *msg)
{
	memcpy(&slot->u, &msg->u, sizeof(slot->u));
	slot->header.payload_size = msg->header.payload_size;
	slot->header.message_flags = 0;
	slot->header.sender = msg->header.sender;
	smp_wmb();	/* payload before type: the type publishes the slot */
	WRITE_ONCE(slot->header.message_type, msg->header.message_type);
}

static void hvsim_raise(struct hvsim_synic *s, int cpu, u32 sint)
{
	u8 vector = FIELD_GET(HV_SYNIC_SINT_VECTOR_MASK, s->sint[sint]);

	if (vector < HV_SYNIC_FIRST_VALID_VECTOR || !cpu_online(cpu))
		return;
	hvsim_send_ipi(cpu, vector);
	hvsim_count(HVSIM_CNT_IPIS, 1);
}

/*
 * Deliver queued messages whose slot is free (s->lock held).  Returns a
 * bitmap of SINTs that got a message and must be raised.
 */
static u32 hvsim_drain(struct hvsim_synic *s)
{
	u32 raise = 0, i, n = s->q_len, kept = 0;

	for (i = 0; i < n; i++) {
		struct hvsim_queued_msg *q =
			&s->queue[(s->q_head + i) % HVSIM_MSG_QUEUE_LEN];
		struct hv_message *slot;

		if (hvsim_sint_deliverable(s, q->sint) && !(raise & BIT(q->sint))) {
			slot = &s->simp_va->sint_message[q->sint];
			if (READ_ONCE(slot->header.message_type) == HVMSG_NONE) {
				hvsim_slot_write(slot, &q->msg);
				raise |= BIT(q->sint);
				continue;
			}
		}
		/* keep it, in order */
		if (kept != i)
			s->queue[(s->q_head + kept) % HVSIM_MSG_QUEUE_LEN] = *q;
		kept++;
	}
	s->q_len = kept;
	/* whatever still waits behind a busy slot asks for an EOM */
	for (i = 0; i < kept && s->simp_va; i++) {
		u32 sint = s->queue[(s->q_head + i) % HVSIM_MSG_QUEUE_LEN].sint;
		struct hv_message *slot = &s->simp_va->sint_message[sint];

		if (READ_ONCE(slot->header.message_type) != HVMSG_NONE)
			slot->header.message_flags |= HV_MESSAGE_FLAG_MSG_PENDING;
	}
	return raise;
}

static void hvsim_raise_mask(struct hvsim_synic *s, int cpu, u32 raise)
{
	u32 sint;

	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++)
		if (raise & BIT(sint))
			hvsim_raise(s, cpu, sint);
}

/* Post @msg to @sint of @cpu.  False if it had to be dropped. */
bool hvsim_post_message(int cpu, u32 sint, const struct hv_message *msg)
{
	struct hvsim_synic *s = per_cpu_ptr(hvsim_synic, cpu);
	struct hvsim_queued_msg *q;
	unsigned long flags;
	u32 raise;

	spin_lock_irqsave(&s->lock, flags);
	if (s->q_len >= HVSIM_MSG_QUEUE_LEN) {
		spin_unlock_irqrestore(&s->lock, flags);
		hvsim_count(HVSIM_CNT_MSG_DROPPED, 1);
		pr_warn_ratelimited("CPU %d SINT%u: message queue full, dropped 0x%x\n",
				    cpu, sint, msg->header.message_type);
		return false;
	}
	q = &s->queue[(s->q_head + s->q_len) % HVSIM_MSG_QUEUE_LEN];
	q->sint = sint;
	q->msg = *msg;
	s->q_len++;
	raise = hvsim_drain(s);
	/*
	 * The consumer frees a slot and then looks at msg_pending; we set
	 * msg_pending and then look at the slot again, so one of the two
	 * sides always notices the other.
	 */
	smp_mb();
	raise |= hvsim_drain(s);
	spin_unlock_irqrestore(&s->lock, flags);

	hvsim_count(HVSIM_CNT_MSG_POSTED, 1);
	if (!raise)
		hvsim_count(HVSIM_CNT_MSG_QUEUED, 1);
	hvsim_raise_mask(s, cpu, raise);
	return true;
}

/* A CPU that has SINT0 ready, preferring @preferred. */
int hvsim_pick_cpu(int preferred)
{
	int cpu;

	if (preferred >= 0 && cpu_online(preferred) &&
	    hvsim_sint_deliverable(per_cpu_ptr(hvsim_synic, preferred), 0))
		return preferred;
	for_each_online_cpu(cpu)
		if (hvsim_sint_deliverable(per_cpu_ptr(hvsim_synic, cpu), 0))
			return cpu;
	return preferred >= 0 && cpu_online(preferred) ? preferred : cpumask_first(cpu_online_mask);
}

u64 hvsim_read_msr(u32 msr)
{
	struct hvsim_synic *s = this_cpu_ptr(hvsim_synic);

	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		return s->scontrol;
	case HV_X64_MSR_SVERSION:
		return HV_SYNIC_VERSION_1;
	case HV_X64_MSR_SIMP:
		return s->simp;
	case HV_X64_MSR_SIEFP:
		return s->siefp;
	case HV_X64_MSR_SIRBP:
		return s->sirbp;
	case HV_X64_MSR_EOM:
		return 0;
	case HV_X64_MSR_SINT0 ... HV_X64_MSR_SINT15:
		return s->sint[msr - HV_X64_MSR_SINT0];
	default:
		pr_warn_once("read of unmodelled MSR 0x%x\n", msr);
		return 0;
	}
}

void hvsim_write_msr(u32 msr, u64 value)
{
	struct hvsim_synic *s = this_cpu_ptr(hvsim_synic);
	int cpu = smp_processor_id();
	unsigned long flags;
	u32 raise = 0;

	spin_lock_irqsave(&s->lock, flags);
	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		s->scontrol = value;
		break;
	case HV_X64_MSR_SIMP:
		s->simp = value;
		s->simp_va = hvsim_page_va(value, s->own_simp);
		break;
	case HV_X64_MSR_SIEFP:
		s->siefp = value;
		break;
	case HV_X64_MSR_SIRBP:
		s->sirbp = value;
		s->sirbp_va = hvsim_page_va(value, s->own_sirbp);
		memset(s->ring_head, 0, sizeof(s->ring_head));
		break;
	case HV_X64_MSR_EOM:
		break;
	case HV_X64_MSR_SINT0 ... HV_X64_MSR_SINT15:
		s->sint[msr - HV_X64_MSR_SINT0] = value;
		break;
	default:
		pr_warn_once("write of unmodelled MSR 0x%x\n", msr);
		break;
	}
	/* EOM, and any change that can make a SINT deliverable, drains */
	raise = hvsim_drain(s);
	spin_unlock_irqrestore(&s->lock, flags);
	hvsim_raise_mask(s, cpu, raise);
}

/* ------------------------------------------------------------------ */
/* ports and doorbells                                                 */
/* ------------------------------------------------------------------ */

struct hvsim_port {
	struct list_head node;
	u32 port_id;
	u64 port_partition;
	u64 connection_partition;
	u32 type;
	u32 target_sint;
	u32 target_vp;
};

struct hvsim_connection {
	struct list_head node;
	u64 partition;
	u32 connection_id;
	u32 port_id;
	u64 port_partition;
	u64 gpa;
	u64 trigger_value;
	u64 flags;
};

static DEFINE_SPINLOCK(hvsim_port_lock);
static LIST_HEAD(hvsim_ports);
static LIST_HEAD(hvsim_connections);
static unsigned int hvsim_nr_connections;

static struct hvsim_port *hvsim_port_find(u64 partition, u32 port_id)
{
	struct hvsim_port *p;

	list_for_each_entry(p, &hvsim_ports, node)
		if (p->port_partition == partition && p->port_id == port_id)
			return p;
	return NULL;
}

static struct hvsim_connection *hvsim_conn_find(u64 partition, u32 id)
{
	struct hvsim_connection *c;

	list_for_each_entry(c, &hvsim_connections, node)
		if (c->partition == partition && c->connection_id == id)
			return c;
	return NULL;
}

static u64 hvsim_pt_id(u64 id)
{
	return id == HV_PARTITION_ID_SELF ? HVSIM_ROOT_PARTITION_ID : id;
}

u64 hvsim_call_create_port(struct hvsim_call *c)
{
	const struct hv_input_create_port *in = c->in;
	u64 port_pt = hvsim_pt_id(in->port_partition_id);
	struct hvsim_port *p;
	unsigned long flags;
	u16 st = 0;

	if (!hvsim_partition_find(in->port_partition_id) ||
	    !hvsim_partition_find(in->connection_partition_id))
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, 0);
	if (in->padding || in->port_info.padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (in->port_id & ~HV_PORT_ID_MASK || !in->port_id ||
	    in->port_info.port_type < HV_PORT_TYPE_MESSAGE ||
	    in->port_info.port_type > HV_PORT_TYPE_DOORBELL ||
	    in->port_info.doorbell_port_info.target_sint >= HV_SYNIC_SINT_COUNT)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);

	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		return hvsim_result(HV_STATUS_INSUFFICIENT_MEMORY, 0);
	p->port_id = in->port_id;
	p->port_partition = port_pt;
	p->connection_partition = hvsim_pt_id(in->connection_partition_id);
	p->type = in->port_info.port_type;
	p->target_sint = in->port_info.doorbell_port_info.target_sint;
	p->target_vp = in->port_info.doorbell_port_info.target_vp;

	spin_lock_irqsave(&hvsim_port_lock, flags);
	if (hvsim_port_find(port_pt, in->port_id))
		st = HV_STATUS_INVALID_PORT_ID;
	else
		list_add(&p->node, &hvsim_ports);
	spin_unlock_irqrestore(&hvsim_port_lock, flags);
	if (st)
		kfree(p);
	return hvsim_result(st, 0);
}

u64 hvsim_call_connect_port(struct hvsim_call *c)
{
	const struct hv_input_connect_port *in = c->in;
	const struct hv_connection_info *ci = &in->connection_info;
	u64 conn_pt = hvsim_pt_id(in->connection_partition_id);
	u64 port_pt = hvsim_pt_id(in->port_partition_id);
	struct hvsim_connection *conn;
	struct hvsim_port *p;
	unsigned long flags;
	u16 st = 0;

	if (!hvsim_partition_find(in->connection_partition_id) ||
	    !hvsim_partition_find(in->port_partition_id))
		return hvsim_result(HV_STATUS_INVALID_PARTITION_ID, 0);
	if (in->rsvdz0 || in->rsvdz1 || in->reserved2 || ci->padding)
		return hvsim_result(HV_STATUS_INVALID_HYPERCALL_INPUT, 0);
	if (in->connection_id & ~HV_CONNECTION_ID_MASK)
		return hvsim_result(HV_STATUS_INVALID_CONNECTION_ID, 0);

	conn = kzalloc(sizeof(*conn), GFP_ATOMIC);
	if (!conn)
		return hvsim_result(HV_STATUS_INSUFFICIENT_MEMORY, 0);
	conn->partition = conn_pt;
	conn->connection_id = in->connection_id;
	conn->port_id = in->port_id;
	conn->port_partition = port_pt;
	conn->gpa = ci->doorbell_connection_info.gpa;
	conn->trigger_value = ci->doorbell_connection_info.trigger_value;
	conn->flags = ci->doorbell_connection_info.flags;

	spin_lock_irqsave(&hvsim_port_lock, flags);
	p = hvsim_port_find(port_pt, in->port_id);
	if (!p || p->connection_partition != conn_pt)
		st = HV_STATUS_INVALID_PORT_ID;
	else if (p->type != ci->port_type)
		st = HV_STATUS_INVALID_PARAMETER;
	else if (hvsim_conn_find(conn_pt, in->connection_id))
		st = HV_STATUS_INVALID_CONNECTION_ID;
	if (!st) {
		list_add(&conn->node, &hvsim_connections);
		hvsim_nr_connections++;
	}
	spin_unlock_irqrestore(&hvsim_port_lock, flags);
	if (st)
		kfree(conn);
	return hvsim_result(st, 0);
}

u64 hvsim_call_delete_port(struct hvsim_call *c)
{
	const union hv_input_delete_port *in = c->in;
	struct hvsim_port *p;
	unsigned long flags;

	spin_lock_irqsave(&hvsim_port_lock, flags);
	p = hvsim_port_find(hvsim_pt_id(in->port_partition_id), in->port_id);
	if (p)
		list_del(&p->node);
	spin_unlock_irqrestore(&hvsim_port_lock, flags);
	kfree(p);
	return hvsim_result(p ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PORT_ID, 0);
}

u64 hvsim_call_disconnect_port(struct hvsim_call *c)
{
	const union hv_input_disconnect_port *in = c->in;
	struct hvsim_connection *conn;
	unsigned long flags;

	spin_lock_irqsave(&hvsim_port_lock, flags);
	conn = hvsim_conn_find(hvsim_pt_id(in->connection_partition_id),
			       in->connection_id);
	if (conn) {
		list_del(&conn->node);
		hvsim_nr_connections--;
	}
	spin_unlock_irqrestore(&hvsim_port_lock, flags);
	kfree(conn);
	return hvsim_result(conn ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_CONNECTION_ID, 0);
}

u64 hvsim_call_notify_port_ring_empty(struct hvsim_call *c)
{
	const union hv_input_notify_port_ring_empty *in = c->in;
	struct hvsim_synic *s = this_cpu_ptr(hvsim_synic);
	unsigned long flags;

	if (in->sint_index >= HV_SYNIC_SINT_COUNT)
		return hvsim_result(HV_STATUS_INVALID_PARAMETER, 0);
	spin_lock_irqsave(&s->lock, flags);
	if (s->sirbp_va)
		WRITE_ONCE(s->sirbp_va->sint_event_ring[in->sint_index].ring_full, 0);
	spin_unlock_irqrestore(&s->lock, flags);
	return hvsim_result(HV_STATUS_SUCCESS, 0);
}

static bool hvsim_doorbell_matches(const struct hvsim_connection *c, u64 gpa,
				   const void *buf, u32 len)
{
	static const u8 sizes[] = { 0, 1, 2, 4, 8 };
	u32 sz = c->flags & HV_DOORBELL_FLAG_TRIGGER_SIZE_MASK;
	u64 val = 0;

	if (c->gpa != gpa || sz >= ARRAY_SIZE(sizes) || (sz && sizes[sz] != len))
		return false;
	if (c->flags & HV_DOORBELL_FLAG_TRIGGER_ANY_VALUE)
		return true;
	memcpy(&val, buf, min_t(u32, len, sizeof(val)));
	return val == c->trigger_value;
}

/* Push @port_id into the event ring of @sint on @cpu and signal it. */
static void hvsim_ring_signal(int cpu, u32 sint, u32 port_id)
{
	struct hvsim_synic *s = per_cpu_ptr(hvsim_synic, cpu);
	struct hv_synic_event_ring *ring;
	struct hv_message msg = {};
	struct hv_notification_message_payload *p;
	unsigned long flags;
	bool signal = false, as_intercept;

	spin_lock_irqsave(&s->lock, flags);
	as_intercept = s->sint[sint] & HV_SYNIC_SINT_AS_INTERCEPT;
	if (s->sirbp_va && (s->sirbp & HV_SYNIC_SIRBP_ENABLE)) {
		ring = &s->sirbp_va->sint_event_ring[sint];
		if (READ_ONCE(ring->data[s->ring_head[sint]])) {
			WRITE_ONCE(ring->ring_full, 1);
		} else {
			WRITE_ONCE(ring->data[s->ring_head[sint]], port_id);
			s->ring_head[sint] = (s->ring_head[sint] + 1) %
					     HV_SYNIC_EVENT_RING_MESSAGE_COUNT;
			/* entry before the check; the consumer masks, then drains */
			smp_mb();
			signal = !READ_ONCE(ring->signal_masked);
		}
	}
	spin_unlock_irqrestore(&s->lock, flags);
	if (!signal)
		return;
	if (as_intercept) {
		msg.header.message_type = HVMSG_SYNIC_SINT_INTERCEPT;
		msg.header.payload_size = sizeof(*p);
		p = (void *)msg.u.payload;
		p->sint_index = sint;
		hvsim_post_message(cpu, HV_SYNIC_INTERCEPTION_SINT_INDEX, &msg);
	} else {
		hvsim_raise(s, cpu, sint);
	}
}

/* A guest write to @gpa: true if it rang a doorbell (and is consumed). */
bool hvsim_doorbell_write(struct hvsim_partition *pt, u64 gpa, const void *buf, u32 len)
{
	struct hvsim_connection *c;
	struct hvsim_port *p;
	unsigned long flags;
	u32 sint = 0, port_id = 0;
	bool hit = false;

	if (!READ_ONCE(hvsim_nr_connections))
		return false;
	spin_lock_irqsave(&hvsim_port_lock, flags);
	list_for_each_entry(c, &hvsim_connections, node) {
		if (c->partition != pt->id || !hvsim_doorbell_matches(c, gpa, buf, len))
			continue;
		p = hvsim_port_find(c->port_partition, c->port_id);
		if (!p || p->type != HV_PORT_TYPE_DOORBELL)
			continue;
		hit = true;
		sint = p->target_sint;
		port_id = p->port_id;
		break;
	}
	spin_unlock_irqrestore(&hvsim_port_lock, flags);
	if (hit)
		hvsim_ring_signal(hvsim_pick_cpu(-1), sint, port_id);
	return hit;
}

static void hvsim_ports_exit(void)
{
	struct hvsim_connection *c, *ct;
	struct hvsim_port *p, *pt;

	list_for_each_entry_safe(c, ct, &hvsim_connections, node) {
		list_del(&c->node);
		kfree(c);
	}
	list_for_each_entry_safe(p, pt, &hvsim_ports, node) {
		list_del(&p->node);
		kfree(p);
	}
	hvsim_nr_connections = 0;
}

static void hvsim_synic_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct hvsim_synic *s = per_cpu_ptr(hvsim_synic, cpu);

		if (s->own_simp)
			__free_page(s->own_simp);
		if (s->own_siefp)
			__free_page(s->own_siefp);
		if (s->own_sirbp)
			__free_page(s->own_sirbp);
		kfree(s->queue);
	}
	free_percpu(hvsim_synic);
}

int hvsim_synic_init(void)
{
	int cpu, i;

	hvsim_synic = alloc_percpu(struct hvsim_synic);
	if (!hvsim_synic)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct hvsim_synic *s = per_cpu_ptr(hvsim_synic, cpu);

		spin_lock_init(&s->lock);
		s->queue = kcalloc(HVSIM_MSG_QUEUE_LEN, sizeof(*s->queue), GFP_KERNEL);
		s->own_simp = alloc_page(GFP_KERNEL | __GFP_ZERO);
		s->own_siefp = alloc_page(GFP_KERNEL | __GFP_ZERO);
		s->own_sirbp = hvsim_l1vh ? NULL : alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!s->queue || !s->own_simp || !s->own_siefp ||
		    (!hvsim_l1vh && !s->own_sirbp))
			goto err_free;
		/* overlay pages: address reported, enable bit clear */
		s->simp = (u64)page_to_pfn(s->own_simp) << HV_HYP_PAGE_SHIFT;
		s->siefp = (u64)page_to_pfn(s->own_siefp) << HV_HYP_PAGE_SHIFT;
		if (s->own_sirbp)
			s->sirbp = (u64)page_to_pfn(s->own_sirbp) << HV_HYP_PAGE_SHIFT;
		for (i = 0; i < HV_SYNIC_SINT_COUNT; i++)
			s->sint[i] = HV_SYNIC_SINT_MASKED;
	}
	return 0;

err_free:
	hvsim_synic_free();
	return -ENOMEM;
}

void hvsim_synic_exit(void)
{
	hvsim_ports_exit();
	hvsim_synic_free();
}
