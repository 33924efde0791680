// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "mshv" generic netlink family (uapi/linux/mshv_netlink.h), over raw
 * netlink sockets:
 *  - PARTITION_GET (doit and dump) reports the partitions this test made:
 *    owner pid, state, VP count, regions, bytes mapped, pinned pages (none
 *    when mshv_root makes RAM regions movable, its default);
 *  - VP_GET reports their VPs, and the exits a real-mode guest produced;
 *  - STATS_GET counts the hypercalls behind them;
 *  - malformed requests fail with EINVAL and an extended-ack message;
 *  - a process without CAP_NET_ADMIN gets EPERM;
 *  - the "events" group announces partition creation and destruction, and
 *    a VP's fatal exit (triple fault).
 * Skips (exit 4) without /dev/mshv or without the family.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/mshv_netlink.h>

#include "mshv_test_harness.h"
#include "hvsim_util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct nl {
	int fd;
	__u16 family;
	__u32 events_group;
	__u32 seq;
	char extack[256];
};

/* One reply message, flat attributes; nests are kept as pointers. */
struct reply {
	__u8 cmd;
	struct nlattr *tb[MSHV_NL_A_MAX + 1];
};

typedef void (*reply_fn)(const struct reply *r, void *ctx);

static void put_attr(char *buf, size_t *len, __u16 type, const void *data, __u16 size)
{
	struct nlattr *a = (struct nlattr *)(buf + *len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + size;
	memcpy((char *)a + NLA_HDRLEN, data, size);
	*len += NLA_ALIGN(a->nla_len);
}

static void parse_attrs(struct nlattr **tb, int max, void *data, int len)
{
	struct nlattr *a = data;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= max)
			tb[type] = a;
		len -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

static void *attr_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static __u64 get64(const struct reply *r, int type)
{
	__u64 v = 0;

	if (r->tb[type])
		memcpy(&v, attr_data(r->tb[type]), sizeof(v));
	return v;
}

static __u32 get32(const struct reply *r, int type)
{
	__u32 v = 0;

	if (r->tb[type])
		memcpy(&v, attr_data(r->tb[type]), sizeof(v));
	return v;
}

/*
 * The extended-ack message of an NLMSG_ERROR, or of an NLMSG_DONE (a dump
 * that failed: its payload is the errno, then the TLVs).
 */
static void read_extack(struct nl *nl, struct nlmsghdr *h)
{
	struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off = sizeof(*e);

	nl->extack[0] = '\0';
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (h->nlmsg_type == NLMSG_DONE)
		off = sizeof(int);
	else if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	parse_attrs(tb, NLMSGERR_ATTR_MAX, (char *)e + NLMSG_ALIGN(off),
		    (int)h->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(off));
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->extack, sizeof(nl->extack), "%s",
			 (char *)attr_data(tb[NLMSGERR_ATTR_MSG]));
}

/*
 * Send a request and read until its end: NLMSG_DONE for a dump, the
 * acknowledgment otherwise.  Returns 0 or -errno of the NLMSG_ERROR.
 */
static int nl_send_recv(struct nl *nl, __u16 family, __u8 cmd, __u16 flags,
			const char *attrs, size_t attrs_len, reply_fn fn, void *ctx)
{
	static char buf[65536] __attribute__((aligned(8)));
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct genlmsghdr *g;
	struct reply r;
	bool dump = flags & NLM_F_DUMP;
	__u32 seq = ++nl->seq;
	int n;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_REQUEST | flags | (dump ? 0 : NLM_F_ACK);
	h->nlmsg_seq = seq;
	g = NLMSG_DATA(h);
	g->cmd = cmd;
	g->version = MSHV_NL_FAMILY_VERSION;
	memcpy(buf + NLMSG_HDRLEN + GENL_HDRLEN, attrs, attrs_len);
	h->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + attrs_len;
	if (send(nl->fd, buf, h->nlmsg_len, 0) < 0)
		return -errno;

	nl->extack[0] = '\0';
	for (;;) {
		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				read_extack(nl, h);
				return *(int *)NLMSG_DATA(h);
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				read_extack(nl, h);
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			}
			g = NLMSG_DATA(h);
			r.cmd = g->cmd;
			parse_attrs(r.tb, MSHV_NL_A_MAX, (char *)g + GENL_HDRLEN,
				    h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
			if (fn)
				fn(&r, ctx);
		}
	}
}

static void ctrl_cb(const struct reply *r, void *ctx)
{
	struct nl *nl = ctx;
	struct nlattr *grp, *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	int rem;

	if (r->tb[CTRL_ATTR_FAMILY_ID])
		memcpy(&nl->family, attr_data(r->tb[CTRL_ATTR_FAMILY_ID]), sizeof(nl->family));
	if (!r->tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	grp = attr_data(r->tb[CTRL_ATTR_MCAST_GROUPS]);
	rem = r->tb[CTRL_ATTR_MCAST_GROUPS]->nla_len - NLA_HDRLEN;
	while (rem >= NLA_HDRLEN && grp->nla_len >= NLA_HDRLEN && grp->nla_len <= rem) {
		parse_attrs(tb, CTRL_ATTR_MCAST_GRP_MAX, attr_data(grp), grp->nla_len - NLA_HDRLEN);
		if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(attr_data(tb[CTRL_ATTR_MCAST_GRP_NAME]), MSHV_NL_MCGRP_EVENTS))
			memcpy(&nl->events_group, attr_data(tb[CTRL_ATTR_MCAST_GRP_ID]),
			       sizeof(__u32));
		rem -= NLA_ALIGN(grp->nla_len);
		grp = (struct nlattr *)((char *)grp + NLA_ALIGN(grp->nla_len));
	}
}

/* 0, or -ENOENT when the family is absent, or another -errno. */
static int nl_open(struct nl *nl)
{
	char attrs[64];
	size_t len = 0;
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	put_attr(attrs, &len, CTRL_ATTR_FAMILY_NAME, MSHV_NL_FAMILY_NAME,
		 sizeof(MSHV_NL_FAMILY_NAME));
	ret = nl_send_recv(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, attrs, len, ctrl_cb, nl);
	if (ret) {
		close(nl->fd);
		return ret;
	}
	return nl->family ? 0 : -ENOENT;
}

/* Open the family; false when it is absent (the caller skips). */
static bool nl_open_or_absent(struct __test_metadata *_metadata, struct nl *nl)
{
	int ret = nl_open(nl);

	if (ret == -ENOENT)
		return false;
	ASSERT_EQ(0, ret);
	return true;
}

static int nl_get(struct nl *nl, __u8 cmd, bool dump, const __u64 *pt_id, const __u32 *vp,
		  reply_fn fn, void *ctx)
{
	char attrs[64];
	size_t len = 0;

	if (pt_id)
		put_attr(attrs, &len, MSHV_NL_A_PT_ID, pt_id, sizeof(*pt_id));
	if (vp)
		put_attr(attrs, &len, MSHV_NL_A_VP_INDEX, vp, sizeof(*vp));
	return nl_send_recv(nl, nl->family, cmd, dump ? NLM_F_DUMP : 0, attrs, len, fn, ctx);
}

/* ---------------------------------------------------------------------- */

#define NR_PARTITIONS	3
#define MEM_UNIT	0x10000	/* partition i maps (i + 1) * 64 KiB */

struct pt_seen {
	int count;
	__u64 id[NR_PARTITIONS];
	__u32 vps[NR_PARTITIONS];
	__u32 regions[NR_PARTITIONS];
	__u64 bytes[NR_PARTITIONS];
	__u64 pinned[NR_PARTITIONS];
	__u32 state[NR_PARTITIONS];
	int other;
};

/* Our partitions: owner is this process; the size says which one. */
static void pt_collect(const struct reply *r, void *ctx)
{
	struct pt_seen *s = ctx;
	__u64 bytes = get64(r, MSHV_NL_A_PT_MAPPED_4K_BYTES) +
		      get64(r, MSHV_NL_A_PT_MAPPED_2M_BYTES);
	int i;

	if (get32(r, MSHV_NL_A_PT_OWNER_PID) != (__u32)getpid() || bytes % MEM_UNIT ||
	    !bytes || bytes / MEM_UNIT > NR_PARTITIONS) {
		s->other++;
		return;
	}
	i = bytes / MEM_UNIT - 1;
	s->count++;
	s->id[i] = get64(r, MSHV_NL_A_PT_ID);
	s->vps[i] = get32(r, MSHV_NL_A_PT_VP_COUNT);
	s->regions[i] = get32(r, MSHV_NL_A_PT_REGION_COUNT);
	s->bytes[i] = bytes;
	s->pinned[i] = get64(r, MSHV_NL_A_PT_PINNED_PAGES);
	s->state[i] = get32(r, MSHV_NL_A_PT_STATE);
}

struct vp_seen {
	int count;
	__u32 mask;
};

static void vp_collect(const struct reply *r, void *ctx)
{
	struct vp_seen *s = ctx;

	s->count++;
	s->mask |= 1u << get32(r, MSHV_NL_A_VP_INDEX);
}

FIXTURE(partitions) {
	struct mshv_vm *vm[NR_PARTITIONS];
	struct nl nl;
};

FIXTURE_SETUP(partitions)
{
	void *mem;
	int i, v;

	memset(self->vm, 0, sizeof(self->vm));
	if (!nl_open_or_absent(_metadata, &self->nl))
		SKIP(return, "no \"mshv\" generic netlink family");
	for (i = 0; i < NR_PARTITIONS; i++) {
		self->vm[i] = vm_create_default();
		ASSERT_EQ(0, mshv_vm_add_memory(self->vm[i], 0, (i + 1) * MEM_UNIT,
						1 << MSHV_SET_MEM_BIT_WRITABLE, 0, &mem));
		for (v = 0; v <= i; v++)
			vm_add_vp(self->vm[i], v, NULL);
	}
}

FIXTURE_TEARDOWN(partitions)
{
	int i;

	for (i = 0; i < NR_PARTITIONS; i++)
		mshv_vm_free(self->vm[i]);
	if (self->nl.fd > 0)
		close(self->nl.fd);
}

/* The dump lists exactly our N partitions, with M VPs and X bytes each. */
TEST_F(partitions, dump_matches)
{
	struct pt_seen s = {};
	bool pinned = mshv_root_movable_regions() != 1;
	int i;

	ASSERT_EQ(0, nl_get(&self->nl, MSHV_NL_CMD_PARTITION_GET, true, NULL, NULL,
			    pt_collect, &s));
	ASSERT_EQ(NR_PARTITIONS, s.count);
	for (i = 0; i < NR_PARTITIONS; i++) {
		EXPECT_EQ((__u32)i + 1, s.vps[i]);
		EXPECT_EQ(1u, s.regions[i]);
		EXPECT_EQ((__u64)(i + 1) * MEM_UNIT, s.bytes[i]);
		EXPECT_EQ(pinned ? (__u64)(i + 1) * MEM_UNIT / 4096 : 0, s.pinned[i]);
		EXPECT_EQ((__u32)MSHV_NL_PT_STATE_INITIALIZED, s.state[i]);
	}
}

/* doit on each id answers the same; VP dumps list indices 0..M-1. */
TEST_F(partitions, doit_and_vps_match)
{
	struct pt_seen all = {}, one;
	struct vp_seen vps;
	__u32 vp;
	int i;

	ASSERT_EQ(0, nl_get(&self->nl, MSHV_NL_CMD_PARTITION_GET, true, NULL, NULL,
			    pt_collect, &all));
	ASSERT_EQ(NR_PARTITIONS, all.count);
	for (i = 0; i < NR_PARTITIONS; i++) {
		memset(&one, 0, sizeof(one));
		ASSERT_EQ(0, nl_get(&self->nl, MSHV_NL_CMD_PARTITION_GET, false, &all.id[i],
				    NULL, pt_collect, &one));
		ASSERT_EQ(1, one.count);
		EXPECT_EQ(all.id[i], one.id[i]);
		EXPECT_EQ(all.vps[i], one.vps[i]);
		EXPECT_EQ(all.bytes[i], one.bytes[i]);

		memset(&vps, 0, sizeof(vps));
		ASSERT_EQ(0, nl_get(&self->nl, MSHV_NL_CMD_VP_GET, true, &all.id[i], NULL,
				    vp_collect, &vps));
		EXPECT_EQ(i + 1, vps.count);
		EXPECT_EQ((1u << (i + 1)) - 1, vps.mask);

		vp = i;
		memset(&vps, 0, sizeof(vps));
		ASSERT_EQ(0, nl_get(&self->nl, MSHV_NL_CMD_VP_GET, false, &all.id[i], &vp,
				    vp_collect, &vps));
		EXPECT_EQ(1, vps.count);
		vp = i + 1;
		EXPECT_EQ(-ENOENT, nl_get(&self->nl, MSHV_NL_CMD_VP_GET, false, &all.id[i], &vp,
					  NULL, NULL));
	}
}

/* ---------------------------------------------------------------------- */

#define GUEST_OUTS	5

/*
 * mov cx, 5; l: out 0x80, al; dec cx; jnz l;
 * mov bx, 2; o: mov cx, 0; i: loop i; dec bx; jnz o; hlt
 * The 131072-iteration spin before the halt makes the guest time long
 * enough to register even where local_clock() only has jiffy resolution
 * (QEMU TCG guests without a stable TSC).
 */
static const unsigned char out_loop[] = {
	0xb9, GUEST_OUTS, 0x00, 0xe6, 0x80, 0x49, 0x75, 0xfb,
	0xbb, 0x02, 0x00, 0xb9, 0x00, 0x00, 0xe2, 0xfe, 0x4b, 0x75, 0xf8, 0xf4,
};

struct exits_seen {
	__u64 runs, io, halt, other, guest_ns;
	__u32 last;
};

static void exits_collect(const struct reply *r, void *ctx)
{
	struct exits_seen *s = ctx;
	struct nlattr *tb[MSHV_NL_A_MAX + 1], *e;
	struct reply sub;
	int rem;

	s->runs = get64(r, MSHV_NL_A_VP_RUN_COUNT);
	s->guest_ns = get64(r, MSHV_NL_A_VP_GUEST_NS);
	s->last = get32(r, MSHV_NL_A_VP_LAST_MSG_TYPE);
	if (!r->tb[MSHV_NL_A_VP_EXITS])
		return;
	e = attr_data(r->tb[MSHV_NL_A_VP_EXITS]);
	rem = r->tb[MSHV_NL_A_VP_EXITS]->nla_len - NLA_HDRLEN;
	while (rem >= NLA_HDRLEN && e->nla_len >= NLA_HDRLEN && e->nla_len <= rem) {
		parse_attrs(tb, MSHV_NL_A_MAX, attr_data(e), e->nla_len - NLA_HDRLEN);
		memcpy(sub.tb, tb, sizeof(tb));
		if (get32(&sub, MSHV_NL_A_MSG_TYPE) == HVMSG_X64_IO_PORT_INTERCEPT)
			s->io += get64(&sub, MSHV_NL_A_COUNT);
		else if (get32(&sub, MSHV_NL_A_MSG_TYPE) == HVMSG_X64_HALT)
			s->halt += get64(&sub, MSHV_NL_A_COUNT);
		else
			s->other += get64(&sub, MSHV_NL_A_COUNT);
		rem -= NLA_ALIGN(e->nla_len);
		e = (struct nlattr *)((char *)e + NLA_ALIGN(e->nla_len));
	}
}

struct stats_seen {
	bool enabled;
	__u64 dispatch_or_set_regs;
};

static void stats_collect(const struct reply *r, void *ctx)
{
	struct stats_seen *s = ctx;
	struct nlattr *tb[MSHV_NL_A_MAX + 1], *e;
	struct reply sub;
	int rem;

	s->enabled = r->tb[MSHV_NL_A_STATS_ENABLED] &&
		     *(__u8 *)attr_data(r->tb[MSHV_NL_A_STATS_ENABLED]);
	if (!r->tb[MSHV_NL_A_STATS_HVCALLS])
		return;
	e = attr_data(r->tb[MSHV_NL_A_STATS_HVCALLS]);
	rem = r->tb[MSHV_NL_A_STATS_HVCALLS]->nla_len - NLA_HDRLEN;
	while (rem >= NLA_HDRLEN && e->nla_len >= NLA_HDRLEN && e->nla_len <= rem) {
		parse_attrs(tb, MSHV_NL_A_MAX, attr_data(e), e->nla_len - NLA_HDRLEN);
		memcpy(sub.tb, tb, sizeof(tb));
		/* HvDispatchVp (root scheduler) or HvSetVpRegisters (others). */
		if (get32(&sub, MSHV_NL_A_CODE) == 0xc2 || get32(&sub, MSHV_NL_A_CODE) == 0x51)
			s->dispatch_or_set_regs += get64(&sub, MSHV_NL_A_COUNT);
		rem -= NLA_ALIGN(e->nla_len);
		e = (struct nlattr *)((char *)e + NLA_ALIGN(e->nla_len));
	}
}

struct owned {
	int count;
	__u64 id;
	__u64 bytes;
};

/* Partitions owned by this process (each TEST runs in a process of its own). */
static void owned_collect(const struct reply *r, void *ctx)
{
	struct owned *o = ctx;

	if (get32(r, MSHV_NL_A_PT_OWNER_PID) != (__u32)getpid())
		return;
	o->count++;
	o->id = get64(r, MSHV_NL_A_PT_ID);
	o->bytes = get64(r, MSHV_NL_A_PT_MAPPED_4K_BYTES) + get64(r, MSHV_NL_A_PT_MAPPED_2M_BYTES);
}

/* The exits counted for the VP are the ones the guest produced. */
TEST(vp_exits_match)
{
	struct stats_seen before = {}, after = {};
	struct exits_seen seen = {};
	struct owned own = {};
	struct mshv_exit exit;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	struct nl nl;
	__u32 vp_index = 0;
	int i;

	if (!nl_open_or_absent(_metadata, &nl))
		SKIP(return, "no \"mshv\" generic netlink family");
	ASSERT_EQ(0, nl_get(&nl, MSHV_NL_CMD_STATS_GET, false, NULL, NULL, stats_collect,
			    &before));
	if (!before.enabled)
		SKIP(return, "counters off (mshv_root stats=0)");

	vm = vm_create_real_mode(&vp, out_loop, sizeof(out_loop), 0x1000, NULL);
	for (i = 0; i < GUEST_OUTS; i++) {
		vp_run_expect(vp, &exit, MSHV_EXIT_IO);
		vp_skip_insn(vp, &exit);
	}
	vp_run_expect(vp, &exit, MSHV_EXIT_HALT);

	ASSERT_EQ(0, nl_get(&nl, MSHV_NL_CMD_PARTITION_GET, true, NULL, NULL, owned_collect,
			    &own));
	ASSERT_EQ(1, own.count);
	EXPECT_EQ(0x100000ull, own.bytes);
	ASSERT_EQ(0, nl_get(&nl, MSHV_NL_CMD_VP_GET, false, &own.id, &vp_index, exits_collect,
			    &seen));
	TH_LOG("runs %llu io %llu halt %llu other %llu guest %llu ns",
	       (unsigned long long)seen.runs, (unsigned long long)seen.io,
	       (unsigned long long)seen.halt, (unsigned long long)seen.other,
	       (unsigned long long)seen.guest_ns);
	EXPECT_EQ((__u64)GUEST_OUTS, seen.io);
	EXPECT_EQ(1ull, seen.halt);
	EXPECT_EQ(0ull, seen.other);
	EXPECT_GE(seen.runs, (__u64)GUEST_OUTS + 1);
	EXPECT_EQ(HVMSG_X64_HALT, seen.last);
	EXPECT_GT(seen.guest_ns, 0ull);

	ASSERT_EQ(0, nl_get(&nl, MSHV_NL_CMD_STATS_GET, false, NULL, NULL, stats_collect,
			    &after));
	/* At least one hypercall per run; other processes may add more. */
	EXPECT_GE(after.dispatch_or_set_regs - before.dispatch_or_set_regs,
		  (__u64)GUEST_OUTS + 1);
	mshv_vm_free(vm);
	close(nl.fd);
}

/* ---------------------------------------------------------------------- */

/* Send raw attributes; expect -EINVAL and an extack message. */
static void expect_einval(struct __test_metadata *_metadata, struct nl *nl, __u8 cmd,
			  bool dump, const char *attrs, size_t len, const char *what)
{
	int ret = nl_send_recv(nl, nl->family, cmd, dump ? NLM_F_DUMP : 0, attrs, len,
			       NULL, NULL);

	TH_LOG("%s: %d, extack \"%s\"", what, ret, nl->extack);
	EXPECT_EQ(-EINVAL, ret);
	EXPECT_NE('\0', nl->extack[0]);
}

TEST(malformed_requests)
{
	char attrs[64];
	size_t len;
	__u32 u32v;
	__u64 u64v = 0;
	struct nl nl;

	if (!nl_open_or_absent(_metadata, &nl))
		SKIP(return, "no \"mshv\" generic netlink family");

	expect_einval(_metadata, &nl, MSHV_NL_CMD_PARTITION_GET, false, NULL, 0,
		      "PARTITION_GET without a partition id");
	EXPECT_NE(NULL, strstr(nl.extack, "partition id"));

	len = 0;
	u32v = 1;
	put_attr(attrs, &len, MSHV_NL_A_PT_ID, &u32v, sizeof(u32v));
	expect_einval(_metadata, &nl, MSHV_NL_CMD_PARTITION_GET, false, attrs, len,
		      "4-byte partition id");

	len = 0;
	u32v = 0;
	put_attr(attrs, &len, MSHV_NL_A_PT_STATE, &u32v, sizeof(u32v));
	expect_einval(_metadata, &nl, MSHV_NL_CMD_PARTITION_GET, true, attrs, len,
		      "reply-only attribute in a request");

	len = 0;
	put_attr(attrs, &len, MSHV_NL_A_MAX + 5, &u32v, sizeof(u32v));
	expect_einval(_metadata, &nl, MSHV_NL_CMD_STATS_GET, false, attrs, len,
		      "unknown attribute type");

	len = 0;
	u32v = 100000;
	put_attr(attrs, &len, MSHV_NL_A_PT_ID, &u64v, sizeof(u64v));
	put_attr(attrs, &len, MSHV_NL_A_VP_INDEX, &u32v, sizeof(u32v));
	expect_einval(_metadata, &nl, MSHV_NL_CMD_VP_GET, false, attrs, len,
		      "VP index out of range");

	len = 0;
	u32v = MSHV_NL_ATTR_VERSION + 1;
	put_attr(attrs, &len, MSHV_NL_A_VERSION, &u32v, sizeof(u32v));
	expect_einval(_metadata, &nl, MSHV_NL_CMD_STATS_GET, false, attrs, len,
		      "newer attribute version");

	expect_einval(_metadata, &nl, MSHV_NL_CMD_VP_GET, true, NULL, 0,
		      "VP dump without a partition id");
	EXPECT_NE(NULL, strstr(nl.extack, "partition id"));

	/* Well-formed, but nothing there: ENOENT with a message. */
	u64v = ~0ull;
	EXPECT_EQ(-ENOENT, nl_get(&nl, MSHV_NL_CMD_PARTITION_GET, false, &u64v, NULL, NULL,
				  NULL));
	EXPECT_NE(NULL, strstr(nl.extack, "no such partition"));
	close(nl.fd);
}

/* Without CAP_NET_ADMIN every command is refused with EPERM. */
TEST(unprivileged_eperm)
{
	struct nl nl;
	pid_t pid;
	int status;

	if (!nl_open_or_absent(_metadata, &nl))
		SKIP(return, "no \"mshv\" generic netlink family");
	close(nl.fd);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct data[2] = {};
		int ret;

		if (syscall(SYS_capset, &hdr, data))
			_exit(10);
		/* The socket is opened without the capability, as a user's would be. */
		if (nl_open(&nl))
			_exit(11);
		ret = nl_get(&nl, MSHV_NL_CMD_STATS_GET, false, NULL, NULL, NULL, NULL);
		if (ret != -EPERM)
			_exit(12);
		ret = nl_get(&nl, MSHV_NL_CMD_PARTITION_GET, true, NULL, NULL, NULL, NULL);
		_exit(ret == -EPERM ? 0 : 13);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

struct events_seen {
	int created, destroyed, fatal;
	__u64 id;
	__u32 fatal_vp, fatal_msg_type;
};

static void events_collect(const struct reply *r, void *ctx)
{
	struct events_seen *s = ctx;

	if (r->cmd == MSHV_NL_CMD_EVENT_VP_FATAL) {
		if (get64(r, MSHV_NL_A_PT_ID) == s->id) {
			s->fatal++;
			s->fatal_vp = get32(r, MSHV_NL_A_VP_INDEX);
			s->fatal_msg_type = get32(r, MSHV_NL_A_VP_LAST_MSG_TYPE);
		}
		return;
	}
	if (get32(r, MSHV_NL_A_PT_OWNER_PID) != (__u32)getpid())
		return;
	if (r->cmd == MSHV_NL_CMD_EVENT_PARTITION_CREATED) {
		s->created++;
		s->id = get64(r, MSHV_NL_A_PT_ID);
	} else if (r->cmd == MSHV_NL_CMD_EVENT_PARTITION_DESTROYED &&
		   get64(r, MSHV_NL_A_PT_ID) == s->id) {
		s->destroyed++;
	}
}

/*
 * Read multicast messages until the creation (and @want_destroyed
 * destructions, or @want_fatal fatal exits) arrived, or a 5 s silence.
 */
static void read_events(struct nl *nl, struct events_seen *s, int want_destroyed,
			int want_fatal)
{
	static char buf[16384] __attribute__((aligned(8)));
	struct nlmsghdr *h;
	struct reply r;
	int n;

	while (s->destroyed < want_destroyed || s->fatal < want_fatal || !s->created) {
		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct genlmsghdr *g = NLMSG_DATA(h);

			if (h->nlmsg_type != nl->family)
				continue;
			r.cmd = g->cmd;
			parse_attrs(r.tb, MSHV_NL_A_MAX, (char *)g + GENL_HDRLEN,
				    h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
			events_collect(&r, s);
		}
		if (!want_destroyed && s->fatal >= want_fatal && s->created)
			return;
	}
}

TEST(events)
{
	struct timeval tv = { .tv_sec = 5 };
	struct events_seen s = {};
	struct mshv_vm *vm;
	struct nl nl;

	if (!nl_open_or_absent(_metadata, &nl))
		SKIP(return, "no \"mshv\" generic netlink family");
	ASSERT_NE(0u, nl.events_group);
	ASSERT_EQ(0, setsockopt(nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &nl.events_group,
				sizeof(nl.events_group)));
	ASSERT_EQ(0, setsockopt(nl.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));

	vm = vm_create_default();
	read_events(&nl, &s, 0, 0);
	EXPECT_EQ(1, s.created);
	mshv_vm_free(vm);
	read_events(&nl, &s, 1, 0);
	EXPECT_EQ(1, s.destroyed);
	close(nl.fd);
}

static void guest_ud2(void)
{
	__asm__ volatile("ud2");
}

/* No IDT and no exception intercept: #UD -> #DF -> triple fault -> vp-fatal. */
TEST(vp_fatal_event)
{
	struct timeval tv = { .tv_sec = 5 };
	struct events_seen s = {};
	struct mshv_exit exit;
	struct mshv_vp *vp;
	struct mshv_vm *vm;
	struct nl nl;

	if (!nl_open_or_absent(_metadata, &nl))
		SKIP(return, "no \"mshv\" generic netlink family");
	ASSERT_EQ(0, setsockopt(nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &nl.events_group,
				sizeof(nl.events_group)));
	ASSERT_EQ(0, setsockopt(nl.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));

	vm = vm_create_with_one_vp(&vp, NULL);
	read_events(&nl, &s, 0, 0);
	ASSERT_EQ(1, s.created);
	ASSERT_EQ(0, mshv_vp_setup_long_mode(vp, (__u64)(uintptr_t)guest_ud2, 0));
	vp_run_expect(vp, &exit, MSHV_EXIT_UNRECOVERABLE);
	read_events(&nl, &s, 0, 1);
	EXPECT_EQ(1, s.fatal);
	EXPECT_EQ(0u, s.fatal_vp);
	EXPECT_EQ(HVMSG_UNRECOVERABLE_EXCEPTION, s.fatal_msg_type);
	mshv_vm_free(vm);
	close(nl.fd);
}

TEST_HARNESS_MAIN
