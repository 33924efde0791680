// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic netlink family "mshv": partitions, VPs and module-wide counters
 * for operators (user/mshvctl), and an "events" multicast group.
 *
 * Replies are built under RCU from the partition hash table, without
 * taking pt_mutex or vp_mutex: a running VP or a long partition ioctl never
 * delays an introspection request, and vice versa.  Partitions, VPs and
 * regions are freed only after an RCU grace period once unpublished
 * (mshv_partition_destroy()), the region list is walked under its
 * spinlock.  Per-VP counters are read with READ_ONCE; a reply may mix
 * values from before and after a concurrent exit.
 *
 * Counters cost a clock read per dispatch and a few increments per exit;
 * the "stats" module parameter switches them off at run time (static key,
 * hypercall probe unregistered).  Partition and VP states, deposits and
 * events do not depend on it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>

#include <linux/mshv_netlink.h>

#include "mshv_root.h"
#include "mshv_netlink.h"
#include "mshv_trace.h"
#include "compat/compat-genetlink.h"

DEFINE_STATIC_KEY_TRUE(mshv_stats_key);

/* Hypercall codes counted one by one; larger ones share slot 0. */
#define MSHV_NL_HVCALL_CODES	0x200
#define MSHV_NL_STATUSES	0x100

struct mshv_pcpu_stats {
	u64 calls[MSHV_NL_HVCALL_CODES];
	u64 failed[MSHV_NL_HVCALL_CODES];
	u64 statuses[MSHV_NL_STATUSES];
};

static struct mshv_pcpu_stats __percpu *mshv_pcpu_stats;

/* Exit slots of struct mshv_vp_stats; the last one is "any other type". */
static const u32 mshv_exit_types[MSHV_VP_EXIT_SLOTS - 1] = {
	HVMSG_X64_IO_PORT_INTERCEPT,
	HVMSG_UNMAPPED_GPA,
	HVMSG_GPA_INTERCEPT,
	HVMSG_X64_HALT,
	HVMSG_X64_MSR_INTERCEPT,
	HVMSG_X64_CPUID_INTERCEPT,
	HVMSG_X64_EXCEPTION_INTERCEPT,
	HVMSG_X64_APIC_EOI,
	HVMSG_X64_INTERRUPTION_DELIVERABLE,
	HVMSG_HYPERCALL_INTERCEPT,
	HVMSG_SYNIC_SINT_DELIVERABLE,
	HVMSG_TIMER_EXPIRED,
	HVMSG_INVALID_VP_REGISTER_VALUE,
	HVMSG_UNRECOVERABLE_EXCEPTION,
	HVMSG_UNSUPPORTED_FEATURE,
};

static unsigned int mshv_exit_slot(u32 msg_type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mshv_exit_types); i++)
		if (mshv_exit_types[i] == msg_type)
			return i;
	return MSHV_VP_EXIT_SLOTS - 1;
}

/* Exits after which the VP cannot run on. */
static bool mshv_exit_is_fatal(u32 msg_type)
{
	return msg_type == HVMSG_UNRECOVERABLE_EXCEPTION ||
	       msg_type == HVMSG_INVALID_VP_REGISTER_VALUE ||
	       msg_type == HVMSG_UNSUPPORTED_FEATURE;
}

/* ---------------------------------------------------------------------- */
/* Counters                                                               */
/* ---------------------------------------------------------------------- */

static void mshv_stats_hvcall_probe(void *data, u16 code, u16 status, u16 reps,
				    u16 reps_done)
{
	unsigned int slot = code < MSHV_NL_HVCALL_CODES ? code : 0;

	this_cpu_inc(mshv_pcpu_stats->calls[slot]);
	if (status == HV_STATUS_SUCCESS)
		return;
	this_cpu_inc(mshv_pcpu_stats->failed[slot]);
	this_cpu_inc(mshv_pcpu_stats->statuses[status < MSHV_NL_STATUSES ? status : 0]);
}

u64 mshv_stats_vp_run_begin(struct mshv_vp *vp)
{
	WRITE_ONCE(vp->vp_stats.state, MSHV_NL_VP_STATE_RUNNING);
	return mshv_stats_clock();
}

void mshv_stats_vp_guest_since(struct mshv_vp *vp, u64 since)
{
	u64 now;

	if (!since || !mshv_stats_on())
		return;
	now = local_clock();
	if (now > since)
		WRITE_ONCE(vp->vp_stats.guest_ns, vp->vp_stats.guest_ns + now - since);
}

static void mshv_nl_notify_vp_fatal(struct mshv_vp *vp, u32 msg_type);

void mshv_stats_vp_run_end(struct mshv_vp *vp, u64 begin, long ret, u32 msg_type)
{
	struct mshv_vp_stats *st = &vp->vp_stats;
	unsigned int slot;
	u64 now;

	WRITE_ONCE(st->state, MSHV_NL_VP_STATE_IDLE);
	if (!ret && mshv_exit_is_fatal(msg_type))
		mshv_nl_notify_vp_fatal(vp, msg_type);
	if (!begin || !mshv_stats_on())
		return;

	now = local_clock();
	WRITE_ONCE(st->run_count, st->run_count + 1);
	if (now > begin)
		WRITE_ONCE(st->driver_ns, st->driver_ns + now - begin);
	if (ret)
		return;
	slot = mshv_exit_slot(msg_type);
	WRITE_ONCE(st->exits[slot], st->exits[slot] + 1);
	WRITE_ONCE(st->last_msg_type, msg_type);
}

void mshv_stats_deposit(u64 pt_id, s64 pages)
{
	struct mshv_partition *partition;

	if (pt_id == HV_PARTITION_ID_SELF || pt_id == mshv_self_partition_id)
		return;
	rcu_read_lock();
	partition = mshv_partition_find(pt_id);
	if (partition)
		atomic64_add(pages, &partition->pt_deposited_pages);
	rcu_read_unlock();
}

static DEFINE_MUTEX(mshv_stats_mutex);
static bool mshv_stats_enabled = true;
static bool mshv_stats_ready;		/* module init done */
static bool mshv_stats_probe_on;

/* Make the key and the probe follow mshv_stats_enabled (mutex held). */
static void mshv_stats_apply(void)
{
	int ret;

	if (mshv_stats_enabled && !mshv_stats_probe_on) {
		ret = register_trace_mshv_hvcall(mshv_stats_hvcall_probe, NULL);
		if (ret)
			pr_info("hypercall counters unavailable (%d)\n", ret);
		mshv_stats_probe_on = !ret;
		static_branch_enable(&mshv_stats_key);
	} else if (!mshv_stats_enabled) {
		static_branch_disable(&mshv_stats_key);
		if (mshv_stats_probe_on) {
			unregister_trace_mshv_hvcall(mshv_stats_hvcall_probe, NULL);
			tracepoint_synchronize_unregister();
			mshv_stats_probe_on = false;
		}
	}
}

static int mshv_stats_param_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	mutex_lock(&mshv_stats_mutex);
	mshv_stats_enabled = on;
	if (mshv_stats_ready)
		mshv_stats_apply();
	mutex_unlock(&mshv_stats_mutex);
	return 0;
}

static const struct kernel_param_ops mshv_stats_param_ops = {
	.set = mshv_stats_param_set,
	.get = param_get_bool,
};

module_param_cb(stats, &mshv_stats_param_ops, &mshv_stats_enabled, 0644);
MODULE_PARM_DESC(stats, "Count VP exits, run times and hypercalls for the mshv netlink family (default on)");

/* ---------------------------------------------------------------------- */
/* Netlink                                                                */
/* ---------------------------------------------------------------------- */

static const struct nla_policy mshv_nl_policy[MSHV_NL_A_MAX + 1] = {
	[MSHV_NL_A_VERSION] = { .type = NLA_U32 },
	[MSHV_NL_A_PT_ID] = { .type = NLA_U64 },
	[MSHV_NL_A_VP_INDEX] = { .type = NLA_U32 },
};

static const struct genl_multicast_group mshv_nl_mcgrps[] = {
	{ .name = MSHV_NL_MCGRP_EVENTS },
};

static struct genl_family mshv_nl_family;

static void *mshv_nl_put_header(struct sk_buff *skb, u32 portid, u32 seq, int flags, u8 cmd)
{
	void *hdr = genlmsg_put(skb, portid, seq, &mshv_nl_family, flags, cmd);

	if (hdr && nla_put_u32(skb, MSHV_NL_A_VERSION, MSHV_NL_ATTR_VERSION)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

static int mshv_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, MSHV_NL_A_PAD);
}

/* RCU held; @partition is in the hash table. */
static int mshv_nl_fill_partition(struct sk_buff *skb, struct mshv_partition *partition)
{
	struct mshv_mem_stats mem;

	mshv_partition_mem_stats(partition, &mem);
	if (mshv_nl_put_u64(skb, MSHV_NL_A_PT_ID, partition->pt_id) ||
	    nla_put_u32(skb, MSHV_NL_A_PT_OWNER_PID, pid_vnr(partition->pt_owner)) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_FLAGS, partition->pt_flags) ||
	    nla_put_u32(skb, MSHV_NL_A_PT_STATE,
			READ_ONCE(partition->pt_initialized) ? MSHV_NL_PT_STATE_INITIALIZED :
							       MSHV_NL_PT_STATE_CREATED) ||
	    nla_put_u32(skb, MSHV_NL_A_PT_VP_COUNT, READ_ONCE(partition->pt_vp_count)) ||
	    nla_put_u32(skb, MSHV_NL_A_PT_REGION_COUNT, mem.regions) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_MAPPED_4K_BYTES, mem.bytes_4k) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_MAPPED_2M_BYTES, mem.bytes_2m) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_MAPPED_MMIO_BYTES, mem.bytes_mmio) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_PINNED_PAGES, mem.pinned_pages) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_DEPOSITED_PAGES,
			    atomic64_read(&partition->pt_deposited_pages)) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_PT_CREATED_NS, partition->pt_created_ns))
		return -EMSGSIZE;
	return 0;
}

/* RCU held; @vp belongs to a partition in the hash table. */
static int mshv_nl_fill_vp(struct sk_buff *skb, struct mshv_vp *vp)
{
	const struct mshv_vp_stats *st = &vp->vp_stats;
	u64 guest = READ_ONCE(st->guest_ns), total = READ_ONCE(st->driver_ns);
	u32 state = READ_ONCE(st->state);
	struct nlattr *exits, *exit;
	unsigned int i;
	u64 count;

	if (state == MSHV_NL_VP_STATE_RUNNING && READ_ONCE(vp->run.root_sched_blocked))
		state = MSHV_NL_VP_STATE_BLOCKED;
	/* driver_ns holds the whole ioctl time; the guest part is split off. */
	if (mshv_nl_put_u64(skb, MSHV_NL_A_PT_ID, vp->vp_partition->pt_id) ||
	    nla_put_u32(skb, MSHV_NL_A_VP_INDEX, vp->vp_index) ||
	    nla_put_u32(skb, MSHV_NL_A_VP_STATE, state) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_VP_RUN_COUNT, READ_ONCE(st->run_count)) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_VP_GUEST_NS, guest) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_VP_DRIVER_NS, total > guest ? total - guest : 0) ||
	    nla_put_u32(skb, MSHV_NL_A_VP_LAST_MSG_TYPE, READ_ONCE(st->last_msg_type)))
		return -EMSGSIZE;

	exits = nla_nest_start(skb, MSHV_NL_A_VP_EXITS);
	if (!exits)
		return -EMSGSIZE;
	for (i = 0; i < MSHV_VP_EXIT_SLOTS; i++) {
		count = READ_ONCE(st->exits[i]);
		if (!count)
			continue;
		exit = nla_nest_start(skb, MSHV_NL_A_EXIT);
		if (!exit ||
		    nla_put_u32(skb, MSHV_NL_A_MSG_TYPE,
				i < ARRAY_SIZE(mshv_exit_types) ? mshv_exit_types[i] : 0) ||
		    mshv_nl_put_u64(skb, MSHV_NL_A_COUNT, count))
			return -EMSGSIZE;
		nla_nest_end(skb, exit);
	}
	nla_nest_end(skb, exits);
	return 0;
}

/*
 * Value checks the policy leaves to us: an out-of-range NLA_POLICY_MAX
 * would be -ERANGE, and malformed requests get -EINVAL here.
 */
static int mshv_nl_check_values(struct nlattr **attrs, struct netlink_ext_ack *extack)
{
	if (attrs[MSHV_NL_A_VERSION] &&
	    nla_get_u32(attrs[MSHV_NL_A_VERSION]) > MSHV_NL_ATTR_VERSION) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[MSHV_NL_A_VERSION],
				    "attribute version newer than this module's");
		return -EINVAL;
	}
	if (attrs[MSHV_NL_A_VP_INDEX] &&
	    nla_get_u32(attrs[MSHV_NL_A_VP_INDEX]) >= MSHV_MAX_VPS) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[MSHV_NL_A_VP_INDEX], "VP index out of range");
		return -EINVAL;
	}
	return 0;
}

static int mshv_nl_require(struct nlattr **attrs, int type, struct netlink_ext_ack *extack,
			   const char *msg)
{
	if (attrs[type])
		return 0;
	/* NL_SET_ERR_MSG() takes literals only; @msg is one at every caller. */
	if (extack)
		extack->_msg = msg;
	return -EINVAL;
}

static int mshv_nl_partition_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mshv_partition *partition;
	struct sk_buff *reply;
	void *hdr;
	int ret;

	ret = mshv_nl_check_values(info->attrs, info->extack) ?:
	      mshv_nl_require(info->attrs, MSHV_NL_A_PT_ID, info->extack,
			      "partition id (MSHV_NL_A_PT_ID) required");
	if (ret)
		return ret;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = mshv_nl_put_header(reply, info->snd_portid, info->snd_seq, 0,
				 MSHV_NL_CMD_PARTITION_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto free_reply;
	}

	rcu_read_lock();
	partition = mshv_partition_find(nla_get_u64(info->attrs[MSHV_NL_A_PT_ID]));
	ret = partition ? mshv_nl_fill_partition(reply, partition) : -ENOENT;
	rcu_read_unlock();
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[MSHV_NL_A_PT_ID],
				    "no such partition");
	if (ret)
		goto free_reply;
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

free_reply:
	nlmsg_free(reply);
	return ret;
}

/*
 * cb->args[0]: partitions (PARTITION_GET) or VP slots (VP_GET) done;
 * cb->args[1]: the request was checked (first part of the dump).  A
 * partition created or destroyed between two parts of a dump may be
 * skipped or repeated.
 */
static int mshv_nl_partition_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct mshv_partition *partition;
	long skip = cb->args[0], n = 0;
	bool full = false;
	void *hdr;
	int ret;

	/* Errors of the first part reach the caller in NLMSG_DONE, with extack. */
	if (!cb->args[1]) {
		ret = mshv_nl_check_values(mshv_genl_dump_attrs(cb), cb->extack);
		if (ret)
			return ret;
		cb->args[1] = 1;
	}

	rcu_read_lock();
	for (;;) {
		partition = mshv_partition_nth(n);
		if (!partition)
			break;
		if (n < skip) {
			n++;
			continue;
		}
		hdr = mshv_nl_put_header(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					 NLM_F_MULTI, MSHV_NL_CMD_PARTITION_GET);
		if (hdr && mshv_nl_fill_partition(skb, partition)) {
			genlmsg_cancel(skb, hdr);
			hdr = NULL;
		}
		if (!hdr) {
			full = true;
			break;
		}
		genlmsg_end(skb, hdr);
		n++;
	}
	rcu_read_unlock();
	cb->args[0] = n;
	/* Not even one partition fits into an empty message. */
	if (full && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

static struct mshv_vp *mshv_nl_vp_at(struct mshv_partition *partition, u32 index)
{
	/* Pairs with the store-release that publishes a new VP. */
	return smp_load_acquire(&partition->pt_vp_array[index]);
}

static int mshv_nl_vp_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct mshv_partition *partition;
	struct sk_buff *reply;
	struct mshv_vp *vp;
	void *hdr;
	int ret;

	ret = mshv_nl_check_values(attrs, info->extack) ?:
	      mshv_nl_require(attrs, MSHV_NL_A_PT_ID, info->extack,
			      "partition id (MSHV_NL_A_PT_ID) required");
	if (!ret)
		ret = mshv_nl_require(attrs, MSHV_NL_A_VP_INDEX, info->extack,
				      "VP index (MSHV_NL_A_VP_INDEX) required; dump for all VPs");
	if (ret)
		return ret;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = mshv_nl_put_header(reply, info->snd_portid, info->snd_seq, 0, MSHV_NL_CMD_VP_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto free_reply;
	}

	rcu_read_lock();
	partition = mshv_partition_find(nla_get_u64(attrs[MSHV_NL_A_PT_ID]));
	vp = partition ? mshv_nl_vp_at(partition, nla_get_u32(attrs[MSHV_NL_A_VP_INDEX])) : NULL;
	ret = vp ? mshv_nl_fill_vp(reply, vp) : -ENOENT;
	rcu_read_unlock();
	if (!partition)
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[MSHV_NL_A_PT_ID], "no such partition");
	else if (!vp)
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[MSHV_NL_A_VP_INDEX], "no such VP");
	if (ret)
		goto free_reply;
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

free_reply:
	nlmsg_free(reply);
	return ret;
}

static int mshv_nl_vp_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = mshv_genl_dump_attrs(cb);
	struct mshv_partition *partition;
	struct mshv_vp *vp;
	long i = cb->args[0];
	void *hdr;
	int ret;

	if (!cb->args[1]) {
		ret = mshv_nl_check_values(attrs, cb->extack) ?:
		      mshv_nl_require(attrs, MSHV_NL_A_PT_ID, cb->extack,
				      "partition id (MSHV_NL_A_PT_ID) required to dump VPs");
		if (ret)
			return ret;
		cb->args[1] = 1;
	}

	rcu_read_lock();
	partition = mshv_partition_find(nla_get_u64(attrs[MSHV_NL_A_PT_ID]));
	if (!partition) {
		rcu_read_unlock();
		if (!i) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[MSHV_NL_A_PT_ID],
					    "no such partition");
			return -ENOENT;
		}
		return 0;
	}
	for (; i < MSHV_MAX_VPS; i++) {
		vp = mshv_nl_vp_at(partition, i);
		if (!vp)
			continue;
		hdr = mshv_nl_put_header(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					 NLM_F_MULTI, MSHV_NL_CMD_VP_GET);
		if (!hdr)
			break;
		if (mshv_nl_fill_vp(skb, vp)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	if (i < MSHV_MAX_VPS && !skb->len)
		return -EMSGSIZE;
	return skb->len;
}

static int mshv_nl_fill_stats(struct sk_buff *skb)
{
	struct nlattr *nest, *entry;
	u64 calls, failed, count;
	unsigned int i;
	int cpu;

	if (nla_put_u8(skb, MSHV_NL_A_STATS_ENABLED, READ_ONCE(mshv_stats_enabled)) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_STATS_DEPOSITED_PAGES,
			    atomic64_read(&mshv_deposited_pages)) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_STATS_SELF_DEPOSITED_PAGES,
			    atomic64_read(&mshv_self_deposited_pages)) ||
	    mshv_nl_put_u64(skb, MSHV_NL_A_STATS_PINNED_PAGES,
			    atomic64_read(&mshv_pinned_pages)) ||
	    nla_put_u32(skb, MSHV_NL_A_STATS_PARTITIONS, mshv_partition_total()))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, MSHV_NL_A_STATS_HVCALLS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < MSHV_NL_HVCALL_CODES; i++) {
		calls = 0;
		failed = 0;
		for_each_possible_cpu(cpu) {
			calls += per_cpu_ptr(mshv_pcpu_stats, cpu)->calls[i];
			failed += per_cpu_ptr(mshv_pcpu_stats, cpu)->failed[i];
		}
		if (!calls)
			continue;
		entry = nla_nest_start(skb, MSHV_NL_A_HVCALL);
		if (!entry || nla_put_u32(skb, MSHV_NL_A_CODE, i) ||
		    mshv_nl_put_u64(skb, MSHV_NL_A_COUNT, calls) ||
		    mshv_nl_put_u64(skb, MSHV_NL_A_FAILED, failed))
			return -EMSGSIZE;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);

	nest = nla_nest_start(skb, MSHV_NL_A_STATS_FAILURES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < MSHV_NL_STATUSES; i++) {
		count = 0;
		for_each_possible_cpu(cpu)
			count += per_cpu_ptr(mshv_pcpu_stats, cpu)->statuses[i];
		if (!count)
			continue;
		entry = nla_nest_start(skb, MSHV_NL_A_FAILURE);
		if (!entry || nla_put_u32(skb, MSHV_NL_A_STATUS, i) ||
		    mshv_nl_put_u64(skb, MSHV_NL_A_COUNT, count))
			return -EMSGSIZE;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int mshv_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	void *hdr;
	int ret;

	ret = mshv_nl_check_values(info->attrs, info->extack);
	if (ret)
		return ret;
	/* Every code and status once: about 40 bytes each. */
	reply = genlmsg_new((MSHV_NL_HVCALL_CODES + MSHV_NL_STATUSES) * 40, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = mshv_nl_put_header(reply, info->snd_portid, info->snd_seq, 0,
				 MSHV_NL_CMD_STATS_GET);
	ret = hdr ? mshv_nl_fill_stats(reply) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(reply);
		return ret;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

/* Small ops (5.10+): one family-wide policy, no per-op start/done. */
static const struct genl_small_ops mshv_nl_ops[] = {
	{
		.cmd = MSHV_NL_CMD_PARTITION_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = mshv_nl_partition_get_doit,
		.dumpit = mshv_nl_partition_get_dumpit,
	},
	{
		.cmd = MSHV_NL_CMD_VP_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = mshv_nl_vp_get_doit,
		.dumpit = mshv_nl_vp_get_dumpit,
	},
	{
		.cmd = MSHV_NL_CMD_STATS_GET,
		.flags = GENL_ADMIN_PERM,
		.doit = mshv_nl_stats_get_doit,
	},
};

static struct genl_family mshv_nl_family = {
	.name = MSHV_NL_FAMILY_NAME,
	.version = MSHV_NL_FAMILY_VERSION,
	.maxattr = MSHV_NL_A_MAX,
	.policy = mshv_nl_policy,
	.module = THIS_MODULE,
	.small_ops = mshv_nl_ops,
	.n_small_ops = ARRAY_SIZE(mshv_nl_ops),
	.mcgrps = mshv_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(mshv_nl_mcgrps),
};

/* ---------------------------------------------------------------------- */
/* Events                                                                 */
/* ---------------------------------------------------------------------- */

static struct sk_buff *mshv_nl_event_new(u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&mshv_nl_family, &init_net, 0))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = mshv_nl_put_header(skb, 0, 0, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void mshv_nl_event_send(struct sk_buff *skb, void *hdr, int ret)
{
	if (ret) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&mshv_nl_family, skb, 0, 0, GFP_KERNEL);
}

void mshv_nl_notify_partition(struct mshv_partition *partition, bool created)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	skb = mshv_nl_event_new(created ? MSHV_NL_CMD_EVENT_PARTITION_CREATED :
					  MSHV_NL_CMD_EVENT_PARTITION_DESTROYED, &hdr);
	if (!skb)
		return;
	/* Listeners may live in any pid namespace: the initial one's pid. */
	ret = mshv_nl_put_u64(skb, MSHV_NL_A_PT_ID, partition->pt_id) ||
	      nla_put_u32(skb, MSHV_NL_A_PT_OWNER_PID, pid_nr(partition->pt_owner)) ||
	      mshv_nl_put_u64(skb, MSHV_NL_A_PT_FLAGS, partition->pt_flags);
	mshv_nl_event_send(skb, hdr, ret);
}

static void mshv_nl_notify_vp_fatal(struct mshv_vp *vp, u32 msg_type)
{
	struct sk_buff *skb;
	void *hdr;
	int ret;

	skb = mshv_nl_event_new(MSHV_NL_CMD_EVENT_VP_FATAL, &hdr);
	if (!skb)
		return;
	ret = mshv_nl_put_u64(skb, MSHV_NL_A_PT_ID, vp->vp_partition->pt_id) ||
	      nla_put_u32(skb, MSHV_NL_A_VP_INDEX, vp->vp_index) ||
	      nla_put_u32(skb, MSHV_NL_A_VP_LAST_MSG_TYPE, msg_type);
	mshv_nl_event_send(skb, hdr, ret);
}

/* ---------------------------------------------------------------------- */
/* Init                                                                   */
/* ---------------------------------------------------------------------- */

int mshv_netlink_init(void)
{
	int ret;

	mshv_pcpu_stats = alloc_percpu(struct mshv_pcpu_stats);
	if (!mshv_pcpu_stats)
		return -ENOMEM;
	mutex_lock(&mshv_stats_mutex);
	mshv_stats_ready = true;
	mshv_stats_apply();
	mutex_unlock(&mshv_stats_mutex);

	ret = genl_register_family(&mshv_nl_family);
	if (ret) {
		mshv_netlink_exit();
		return ret;
	}
	return 0;
}

void mshv_netlink_exit(void)
{
	genl_unregister_family(&mshv_nl_family);
	mutex_lock(&mshv_stats_mutex);
	mshv_stats_ready = false;
	if (mshv_stats_probe_on) {
		unregister_trace_mshv_hvcall(mshv_stats_hvcall_probe, NULL);
		tracepoint_synchronize_unregister();
		mshv_stats_probe_on = false;
	}
	mutex_unlock(&mshv_stats_mutex);
	free_percpu(mshv_pcpu_stats);
	mshv_pcpu_stats = NULL;
}
