// SPDX-License-Identifier: GPL-2.0-only
/*
 * mshvctl: show what the Microsoft Hypervisor holds for this host, through
 * the "mshv" generic netlink family of mshv_root (uapi/linux/mshv_netlink.h).
 *
 * Built on libnl-genl-3.  Human output is aligned tables; --json prints
 * one JSON document (monitor: one object per line).  Exit codes are listed
 * in usage() and in mshvctl.8.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/mshv_netlink.h>
#include <mshv/mshv.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

enum {
	EXIT_OK = 0,
	EXIT_ERR = 1,
	EXIT_USAGE = 2,
	EXIT_ABSENT = 3,
	EXIT_NOTFOUND = 4,
	EXIT_PERM = 5,
};

static const char *prog = "mshvctl";
static bool opt_json;

struct ctl {
	struct nl_sock *sk;
	int family;
	int err;		/* errno of the last NLMSG_ERROR, positive */
	char extack[256];	/* its extended-ack message, if any */
	bool first;		/* JSON: no element printed yet */
	long remaining;		/* monitor: events still to print, -1 forever */
};

/* ---------------------------------------------------------------------- */
/* Names                                                                  */
/* ---------------------------------------------------------------------- */

struct code_name {
	unsigned int code;
	const char *name;
};

static const struct code_name hvcall_names[] = {
	{ 0x0002, "FlushVirtualAddressSpace" }, { 0x0003, "FlushVirtualAddressList" },
	{ 0x0040, "CreatePartition" }, { 0x0041, "InitializePartition" },
	{ 0x0042, "FinalizePartition" }, { 0x0043, "DeletePartition" },
	{ 0x0044, "GetPartitionProperty" }, { 0x0045, "SetPartitionProperty" },
	{ 0x0046, "GetPartitionId" }, { 0x0048, "DepositMemory" },
	{ 0x0049, "WithdrawMemory" }, { 0x004b, "MapGpaPages" },
	{ 0x004c, "UnmapGpaPages" }, { 0x004d, "InstallIntercept" },
	{ 0x004e, "CreateVp" }, { 0x004f, "DeleteVp" },
	{ 0x0050, "GetVpRegisters" }, { 0x0051, "SetVpRegisters" },
	{ 0x0052, "TranslateVirtualAddress" }, { 0x0056, "ClearVirtualInterrupt" },
	{ 0x005c, "PostMessage" }, { 0x005d, "SignalEvent" },
	{ 0x006c, "MapStatsPage" }, { 0x006d, "UnmapStatsPage" },
	{ 0x007b, "GetSystemProperty" }, { 0x008b, "NotifyPortRingEmpty" },
	{ 0x0091, "RegisterInterceptResult" }, { 0x0094, "AssertVirtualInterrupt" },
	{ 0x00c0, "SignalEventDirect" }, { 0x00c1, "PostMessageDirect" },
	{ 0x00c2, "DispatchVp" }, { 0x00c9, "GetGpaPagesAccessStates" },
	{ 0x00e1, "MapVpStatePage" }, { 0x00e2, "UnmapVpStatePage" },
	{ 0x00e3, "GetVpState" }, { 0x00e4, "SetVpState" },
	{ 0x00f4, "GetVpCpuidValues" }, { 0x0101, "GetPartitionPropertyEx" },
	{ 0x0131, "MapStatsPage2" },
};

static const struct code_name status_names[] = {
	{ 0x02, "INVALID_HYPERCALL_CODE" }, { 0x03, "INVALID_HYPERCALL_INPUT" },
	{ 0x04, "INVALID_ALIGNMENT" }, { 0x05, "INVALID_PARAMETER" },
	{ 0x06, "ACCESS_DENIED" }, { 0x07, "INVALID_PARTITION_STATE" },
	{ 0x08, "OPERATION_DENIED" }, { 0x09, "UNKNOWN_PROPERTY" },
	{ 0x0a, "PROPERTY_VALUE_OUT_OF_RANGE" }, { 0x0b, "INSUFFICIENT_MEMORY" },
	{ 0x0d, "INVALID_PARTITION_ID" }, { 0x0e, "INVALID_VP_INDEX" },
	{ 0x10, "NOT_FOUND" }, { 0x11, "INVALID_PORT_ID" },
	{ 0x12, "INVALID_CONNECTION_ID" }, { 0x13, "INSUFFICIENT_BUFFERS" },
	{ 0x14, "NOT_ACKNOWLEDGED" }, { 0x15, "INVALID_VP_STATE" },
	{ 0x1d, "NO_RESOURCES" }, { 0x20, "PROCESSOR_FEATURE_NOT_SUPPORTED" },
	{ 0x41, "INVALID_LP_INDEX" }, { 0x50, "INVALID_REGISTER_VALUE" },
	{ 0x71, "OPERATION_FAILED" }, { 0x73, "INSUFFICIENT_ROOT_MEMORY" },
	{ 0x75, "INSUFFICIENT_CONTIGUOUS_MEMORY" }, { 0x78, "TIME_OUT" },
	{ 0x79, "CALL_PENDING" }, { 0x83, "INSUFFICIENT_CONTIGUOUS_ROOT_MEMORY" },
	{ 0x86, "VTL_ALREADY_ENABLED" },
};

static const char *lookup(const struct code_name *t, size_t n, unsigned int code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return "?";
}

#define HVCALL_NAME(c) lookup(hvcall_names, ARRAY_SIZE(hvcall_names), c)
#define STATUS_NAME(c) lookup(status_names, ARRAY_SIZE(status_names), c)

static const char *msg_type_name(uint32_t type)
{
	return type ? mshv_msg_type_str(type) : "other";
}

static const char *pt_state_name(uint32_t s)
{
	return s == MSHV_NL_PT_STATE_INITIALIZED ? "initialized" : "created";
}

static const char *vp_state_name(uint32_t s)
{
	switch (s) {
	case MSHV_NL_VP_STATE_RUNNING:
		return "running";
	case MSHV_NL_VP_STATE_BLOCKED:
		return "blocked";
	}
	return "idle";
}

/* ---------------------------------------------------------------------- */
/* Output helpers                                                         */
/* ---------------------------------------------------------------------- */

#define MAX_COLS 12
#define CELL 48

struct table {
	int ncols, nrows, cap;
	char (*cells)[MAX_COLS][CELL];
	bool right[MAX_COLS];
};

static void table_row(struct table *t, const char *fmt0, ...)
{
	va_list ap;
	int c;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = realloc(t->cells, t->cap * sizeof(*t->cells));
		if (!t->cells) {
			perror("realloc");
			exit(EXIT_ERR);
		}
	}
	va_start(ap, fmt0);
	for (c = 0; c < t->ncols; c++) {
		const char *s = c ? va_arg(ap, const char *) : fmt0;

		snprintf(t->cells[t->nrows][c], CELL, "%s", s);
	}
	va_end(ap);
	t->nrows++;
}

static void table_print(struct table *t)
{
	int w[MAX_COLS] = { 0 }, r, c, len;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			len = strlen(t->cells[r][c]);
			if (len > w[c])
				w[c] = len;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *sep = c + 1 < t->ncols ? "  " : "";

			if (t->right[c])
				printf("%*s%s", w[c], t->cells[r][c], sep);
			else if (c + 1 < t->ncols)
				printf("%-*s%s", w[c], t->cells[r][c], sep);
			else
				printf("%s", t->cells[r][c]);
		}
		putchar('\n');
	}
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
	t->cap = 0;
}

static const char *fmt_u64(char *buf, unsigned long long v)
{
	snprintf(buf, CELL, "%llu", v);
	return buf;
}

static const char *fmt_bytes(char *buf, unsigned long long v)
{
	static const char units[] = "BKMGTP";
	double d = v;
	int u = 0;

	while (d >= 1024 && u < 5) {
		d /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, CELL, "%lluB", v);
	else
		snprintf(buf, CELL, "%.1f%c", d, units[u]);
	return buf;
}

static const char *fmt_time(char *buf, uint64_t ns)
{
	time_t t = ns / 1000000000ULL;
	struct tm tm;

	if (!ns || !localtime_r(&t, &tm))
		snprintf(buf, CELL, "-");
	else
		strftime(buf, CELL, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static const char *fmt_ms(char *buf, uint64_t ns)
{
	snprintf(buf, CELL, "%.3f", ns / 1e6);
	return buf;
}

static void json_sep(struct ctl *c)
{
	if (!c->first)
		putchar(',');
	c->first = false;
}

/* ---------------------------------------------------------------------- */
/* Netlink                                                                */
/* ---------------------------------------------------------------------- */

/* The NLMSGERR_ATTR_MSG among the TLVs at @off of @nlh's payload. */
static void read_extack(struct ctl *c, struct nlmsghdr *nlh, int off)
{
	struct nlattr *a;
	int rem;

	c->extack[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(off);
	a = (struct nlattr *)((char *)nlmsg_data(nlh) + NLMSG_ALIGN(off));
	while (rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= rem) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(c->extack, sizeof(c->extack), "%.*s",
				 (int)(a->nla_len - sizeof(*a)), (char *)(a + 1));
		rem -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

static int error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct ctl *c = arg;
	int off = sizeof(*e);

	(void)nla;
	c->err = -e->error;
	/* TLVs follow the echoed request (only its header when capped). */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	read_extack(c, nlh, off);
	return NL_STOP;
}

/* A dump that failed ends with NLMSG_DONE carrying the errno and TLVs. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ctl *c = arg;
	int err;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(err)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0) {
			c->err = -err;
			read_extack(c, nlh, sizeof(err));
		}
	}
	return NL_STOP;
}

static int module_loaded(void)
{
	return access("/sys/module/mshv_root", F_OK) == 0;
}

static int ctl_open(struct ctl *c, bool events)
{
	int one = 1, grp;

	memset(c, 0, sizeof(*c));
	c->first = true;
	c->remaining = -1;
	c->sk = nl_socket_alloc();
	if (!c->sk) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_ERR;
	}
	if (genl_connect(c->sk)) {
		fprintf(stderr, "%s: cannot open a generic netlink socket\n", prog);
		return EXIT_ERR;
	}
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	c->family = genl_ctrl_resolve(c->sk, MSHV_NL_FAMILY_NAME);
	if (c->family < 0) {
		if (!module_loaded())
			fprintf(stderr,
				"%s: mshv_root is not loaded (try: modprobe mshv_root)\n", prog);
		else
			fprintf(stderr,
				"%s: mshv_root is loaded but has no \"%s\" netlink family (a version without introspection?)\n",
				prog, MSHV_NL_FAMILY_NAME);
		return EXIT_ABSENT;
	}
	nl_socket_disable_auto_ack(c->sk);
	nl_socket_modify_err_cb(c->sk, NL_CB_CUSTOM, error_cb, c);
	nl_socket_modify_cb(c->sk, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, c);
	if (events) {
		grp = genl_ctrl_resolve_grp(c->sk, MSHV_NL_FAMILY_NAME, MSHV_NL_MCGRP_EVENTS);
		if (grp < 0) {
			fprintf(stderr, "%s: the mshv family has no \"events\" group\n", prog);
			return EXIT_ABSENT;
		}
		nl_socket_disable_seq_check(c->sk);
		if (nl_socket_add_membership(c->sk, grp)) {
			fprintf(stderr, "%s: cannot join the events group\n", prog);
			return EXIT_ERR;
		}
	}
	return EXIT_OK;
}

static int report_error(struct ctl *c, const char *what)
{
	fprintf(stderr, "%s: %s: %s%s%s\n", prog, what, strerror(c->err),
		c->extack[0] ? ": " : "", c->extack);
	switch (c->err) {
	case ENOENT:
		return EXIT_NOTFOUND;
	case EPERM:
	case EACCES:
		fprintf(stderr, "%s: the mshv family needs CAP_NET_ADMIN (run as root)\n", prog);
		return EXIT_PERM;
	}
	return EXIT_ERR;
}

/*
 * Send @cmd (a dump if @dump) with the optional partition id and VP index,
 * feeding every reply to @cb.
 */
static int request(struct ctl *c, uint8_t cmd, bool dump, const uint64_t *pt_id,
		   const uint32_t *vp, nl_recvmsg_msg_cb_t cb, const char *what)
{
	struct nl_msg *msg = nlmsg_alloc();
	int ret;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
				 dump ? NLM_F_DUMP : 0, cmd, MSHV_NL_FAMILY_VERSION) ||
	    nla_put_u32(msg, MSHV_NL_A_VERSION, MSHV_NL_ATTR_VERSION) ||
	    (pt_id && nla_put_u64(msg, MSHV_NL_A_PT_ID, *pt_id)) ||
	    (vp && nla_put_u32(msg, MSHV_NL_A_VP_INDEX, *vp))) {
		nlmsg_free(msg);
		fprintf(stderr, "%s: cannot build the netlink message\n", prog);
		return EXIT_ERR;
	}
	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, cb, c);
	c->err = 0;
	ret = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		fprintf(stderr, "%s: send: %s\n", prog, nl_geterror(ret));
		return EXIT_ERR;
	}
	ret = nl_recvmsgs_default(c->sk);
	if (c->err)
		return report_error(c, what);
	if (ret < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, what, nl_geterror(ret));
		return EXIT_ERR;
	}
	return EXIT_OK;
}

static int parse(struct nl_msg *msg, struct nlattr **tb)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, MSHV_NL_A_MAX, NULL);
}

static unsigned long long get64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static uint32_t get32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

/* ---------------------------------------------------------------------- */
/* Partitions                                                             */
/* ---------------------------------------------------------------------- */

static struct table pt_table = { .ncols = 10,
	.right = { true, true, false, true, true, true, true, true, true, false } };

static int partition_row_cb(struct nl_msg *msg, void *arg)
{
	char b[10][CELL];
	struct nlattr *tb[MSHV_NL_A_MAX + 1];
	struct ctl *c = arg;

	if (parse(msg, tb))
		return NL_SKIP;
	if (opt_json) {
		json_sep(c);
		printf("{\"id\":%llu,\"owner_pid\":%u,\"flags\":%llu"
		       ",\"state\":\"%s\",\"vps\":%u,\"regions\":%u,\"mapped_4k_bytes\":%llu"
		       ",\"mapped_2m_bytes\":%llu,\"mapped_mmio_bytes\":%llu"
		       ",\"pinned_pages\":%llu,\"deposited_pages\":%llu"
		       ",\"created_ns\":%llu}",
		       get64(tb, MSHV_NL_A_PT_ID), get32(tb, MSHV_NL_A_PT_OWNER_PID),
		       get64(tb, MSHV_NL_A_PT_FLAGS), pt_state_name(get32(tb, MSHV_NL_A_PT_STATE)),
		       get32(tb, MSHV_NL_A_PT_VP_COUNT), get32(tb, MSHV_NL_A_PT_REGION_COUNT),
		       get64(tb, MSHV_NL_A_PT_MAPPED_4K_BYTES),
		       get64(tb, MSHV_NL_A_PT_MAPPED_2M_BYTES),
		       get64(tb, MSHV_NL_A_PT_MAPPED_MMIO_BYTES),
		       get64(tb, MSHV_NL_A_PT_PINNED_PAGES),
		       get64(tb, MSHV_NL_A_PT_DEPOSITED_PAGES), get64(tb, MSHV_NL_A_PT_CREATED_NS));
		return NL_OK;
	}
	snprintf(b[1], CELL, "%u", get32(tb, MSHV_NL_A_PT_OWNER_PID));
	snprintf(b[3], CELL, "%u", get32(tb, MSHV_NL_A_PT_VP_COUNT));
	snprintf(b[4], CELL, "%u", get32(tb, MSHV_NL_A_PT_REGION_COUNT));
	table_row(&pt_table, fmt_u64(b[0], get64(tb, MSHV_NL_A_PT_ID)), b[1],
		  pt_state_name(get32(tb, MSHV_NL_A_PT_STATE)), b[3], b[4],
		  fmt_bytes(b[5], get64(tb, MSHV_NL_A_PT_MAPPED_4K_BYTES) +
			    get64(tb, MSHV_NL_A_PT_MAPPED_2M_BYTES)),
		  fmt_bytes(b[6], get64(tb, MSHV_NL_A_PT_MAPPED_2M_BYTES)),
		  fmt_u64(b[7], get64(tb, MSHV_NL_A_PT_PINNED_PAGES)),
		  fmt_u64(b[8], get64(tb, MSHV_NL_A_PT_DEPOSITED_PAGES)),
		  fmt_time(b[9], get64(tb, MSHV_NL_A_PT_CREATED_NS)));
	return NL_OK;
}

static int cmd_list(struct ctl *c)
{
	int ret;

	if (opt_json)
		putchar('[');
	else
		table_row(&pt_table, "ID", "OWNER", "STATE", "VPS", "REGIONS", "MAPPED", "IN-2M",
			  "PINNED", "DEPOSITED", "CREATED");
	ret = request(c, MSHV_NL_CMD_PARTITION_GET, true, NULL, NULL, partition_row_cb,
		      "list partitions");
	if (opt_json)
		printf("]\n");
	else if (!ret)
		table_print(&pt_table);
	return ret;
}

static int partition_show_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[MSHV_NL_A_MAX + 1];
	char b[CELL], comm[64] = "", path[64];
	uint32_t pid;
	FILE *f;

	if (opt_json)
		return partition_row_cb(msg, arg);
	if (parse(msg, tb))
		return NL_SKIP;
	pid = get32(tb, MSHV_NL_A_PT_OWNER_PID);
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("partition:        %llu\n", get64(tb, MSHV_NL_A_PT_ID));
	printf("owner pid:        %u%s%s%s\n", pid, comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
	printf("flags:            %#llx\n", get64(tb, MSHV_NL_A_PT_FLAGS));
	printf("state:            %s\n", pt_state_name(get32(tb, MSHV_NL_A_PT_STATE)));
	printf("vps:              %u\n", get32(tb, MSHV_NL_A_PT_VP_COUNT));
	printf("regions:          %u\n", get32(tb, MSHV_NL_A_PT_REGION_COUNT));
	printf("mapped 4K pages:  %s\n", fmt_bytes(b, get64(tb, MSHV_NL_A_PT_MAPPED_4K_BYTES)));
	printf("mapped 2M pages:  %s\n", fmt_bytes(b, get64(tb, MSHV_NL_A_PT_MAPPED_2M_BYTES)));
	printf("mapped MMIO:      %s\n", fmt_bytes(b, get64(tb, MSHV_NL_A_PT_MAPPED_MMIO_BYTES)));
	printf("pinned pages:     %llu\n", get64(tb, MSHV_NL_A_PT_PINNED_PAGES));
	printf("deposited pages:  %llu\n", get64(tb, MSHV_NL_A_PT_DEPOSITED_PAGES));
	printf("created:          %s\n", fmt_time(b, get64(tb, MSHV_NL_A_PT_CREATED_NS)));
	return NL_OK;
}

static int cmd_show(struct ctl *c, uint64_t id)
{
	int ret = request(c, MSHV_NL_CMD_PARTITION_GET, false, &id, NULL, partition_show_cb,
			  "show partition");

	if (opt_json && !ret)
		putchar('\n');
	return ret;
}

/* ---------------------------------------------------------------------- */
/* VPs                                                                    */
/* ---------------------------------------------------------------------- */

static struct table vp_table = { .ncols = 7,
	.right = { true, false, true, true, true, false, false } };

static void exits_text(struct nlattr *nest, char *out, size_t len, bool json)
{
	struct nlattr *e, *tb[MSHV_NL_A_MAX + 1];
	size_t used = 0;
	int rem;

	out[0] = '\0';
	if (!nest)
		return;
	nla_for_each_nested(e, nest, rem) {
		if (nla_parse_nested(tb, MSHV_NL_A_MAX, e, NULL))
			continue;
		if (json)
			used += snprintf(out + used, len - used,
					 "%s{\"msg_type\":%u,\"name\":\"%s\",\"count\":%llu}",
					 used ? "," : "", get32(tb, MSHV_NL_A_MSG_TYPE),
					 msg_type_name(get32(tb, MSHV_NL_A_MSG_TYPE)),
					 get64(tb, MSHV_NL_A_COUNT));
		else
			used += snprintf(out + used, len - used, "%s%s=%llu", used ? " " : "",
					 msg_type_name(get32(tb, MSHV_NL_A_MSG_TYPE)),
					 get64(tb, MSHV_NL_A_COUNT));
		if (used >= len)
			break;
	}
}

static int vp_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[MSHV_NL_A_MAX + 1];
	char b[5][CELL], exits[1024];
	struct ctl *c = arg;

	if (parse(msg, tb))
		return NL_SKIP;
	exits_text(tb[MSHV_NL_A_VP_EXITS], exits, sizeof(exits), opt_json);
	if (opt_json) {
		json_sep(c);
		printf("{\"partition\":%llu,\"index\":%u,\"state\":\"%s\",\"runs\":%llu"
		       ",\"guest_ns\":%llu,\"driver_ns\":%llu"
		       ",\"last_msg_type\":%u,\"exits\":[%s]}",
		       get64(tb, MSHV_NL_A_PT_ID), get32(tb, MSHV_NL_A_VP_INDEX),
		       vp_state_name(get32(tb, MSHV_NL_A_VP_STATE)),
		       get64(tb, MSHV_NL_A_VP_RUN_COUNT),
		       get64(tb, MSHV_NL_A_VP_GUEST_NS), get64(tb, MSHV_NL_A_VP_DRIVER_NS),
		       get32(tb, MSHV_NL_A_VP_LAST_MSG_TYPE), exits);
		return NL_OK;
	}
	snprintf(b[0], CELL, "%u", get32(tb, MSHV_NL_A_VP_INDEX));
	table_row(&vp_table, b[0], vp_state_name(get32(tb, MSHV_NL_A_VP_STATE)),
		  fmt_u64(b[1], get64(tb, MSHV_NL_A_VP_RUN_COUNT)),
		  fmt_ms(b[2], get64(tb, MSHV_NL_A_VP_GUEST_NS)),
		  fmt_ms(b[3], get64(tb, MSHV_NL_A_VP_DRIVER_NS)),
		  get32(tb, MSHV_NL_A_VP_LAST_MSG_TYPE) ?
			msg_type_name(get32(tb, MSHV_NL_A_VP_LAST_MSG_TYPE)) : "-",
		  exits[0] ? exits : "-");
	return NL_OK;
}

static int cmd_vps(struct ctl *c, uint64_t id)
{
	int ret;

	if (opt_json)
		putchar('[');
	else
		table_row(&vp_table, "VP", "STATE", "RUNS", "GUEST-MS", "DRIVER-MS", "LAST-EXIT",
			  "EXITS");
	ret = request(c, MSHV_NL_CMD_VP_GET, true, &id, NULL, vp_cb, "list VPs");
	if (opt_json)
		printf("]\n");
	else if (!ret)
		table_print(&vp_table);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Stats                                                                  */
/* ---------------------------------------------------------------------- */

static int stats_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[MSHV_NL_A_MAX + 1], *sub[MSHV_NL_A_MAX + 1], *e;
	struct table t = { .ncols = 4, .right = { true, false, true, true } };
	char b[4][CELL];
	bool first = true;
	int rem;

	(void)arg;
	if (parse(msg, tb))
		return NL_SKIP;
	if (opt_json) {
		printf("{\"counting\":%s,\"partitions\":%u,\"deposited_pages\":%llu"
		       ",\"self_deposited_pages\":%llu,\"pinned_pages\":%llu"
		       ",\"hypercalls\":[",
		       tb[MSHV_NL_A_STATS_ENABLED] && nla_get_u8(tb[MSHV_NL_A_STATS_ENABLED]) ?
			"true" : "false",
		       get32(tb, MSHV_NL_A_STATS_PARTITIONS),
		       get64(tb, MSHV_NL_A_STATS_DEPOSITED_PAGES),
		       get64(tb, MSHV_NL_A_STATS_SELF_DEPOSITED_PAGES),
		       get64(tb, MSHV_NL_A_STATS_PINNED_PAGES));
	} else {
		printf("counting:              %s\n",
		       tb[MSHV_NL_A_STATS_ENABLED] && nla_get_u8(tb[MSHV_NL_A_STATS_ENABLED]) ?
		       "on" : "off (mshv_root parameter stats=0)");
		printf("partitions:            %u\n", get32(tb, MSHV_NL_A_STATS_PARTITIONS));
		printf("deposited pages:       %llu\n",
		       get64(tb, MSHV_NL_A_STATS_DEPOSITED_PAGES));
		printf("self-deposited pages:  %llu\n",
		       get64(tb, MSHV_NL_A_STATS_SELF_DEPOSITED_PAGES));
		printf("pinned pages:          %llu\n\n",
		       get64(tb, MSHV_NL_A_STATS_PINNED_PAGES));
		table_row(&t, "CODE", "HYPERCALL", "CALLS", "FAILED");
	}
	if (tb[MSHV_NL_A_STATS_HVCALLS])
		nla_for_each_nested(e, tb[MSHV_NL_A_STATS_HVCALLS], rem) {
			if (nla_parse_nested(sub, MSHV_NL_A_MAX, e, NULL))
				continue;
			if (opt_json) {
				printf("%s{\"code\":%u,\"name\":\"%s\",\"calls\":%llu"
				       ",\"failed\":%llu}", first ? "" : ",",
				       get32(sub, MSHV_NL_A_CODE),
				       HVCALL_NAME(get32(sub, MSHV_NL_A_CODE)),
				       get64(sub, MSHV_NL_A_COUNT), get64(sub, MSHV_NL_A_FAILED));
				first = false;
				continue;
			}
			snprintf(b[0], CELL, "%#06x", get32(sub, MSHV_NL_A_CODE));
			table_row(&t, b[0], get32(sub, MSHV_NL_A_CODE) ?
				  HVCALL_NAME(get32(sub, MSHV_NL_A_CODE)) : "(code >= 0x200)",
				  fmt_u64(b[1], get64(sub, MSHV_NL_A_COUNT)),
				  fmt_u64(b[2], get64(sub, MSHV_NL_A_FAILED)));
		}
	if (opt_json) {
		printf("],\"failures\":[");
	} else {
		table_print(&t);
		printf("\n");
		t.ncols = 3;
		t.right[1] = false;
		t.right[2] = true;
		table_row(&t, "STATUS", "NAME", "COUNT");
	}
	first = true;
	if (tb[MSHV_NL_A_STATS_FAILURES])
		nla_for_each_nested(e, tb[MSHV_NL_A_STATS_FAILURES], rem) {
			if (nla_parse_nested(sub, MSHV_NL_A_MAX, e, NULL))
				continue;
			if (opt_json) {
				printf("%s{\"status\":%u,\"name\":\"%s\",\"count\":%llu}",
				       first ? "" : ",", get32(sub, MSHV_NL_A_STATUS),
				       STATUS_NAME(get32(sub, MSHV_NL_A_STATUS)),
				       get64(sub, MSHV_NL_A_COUNT));
				first = false;
				continue;
			}
			snprintf(b[0], CELL, "%#06x", get32(sub, MSHV_NL_A_STATUS));
			table_row(&t, b[0], STATUS_NAME(get32(sub, MSHV_NL_A_STATUS)),
				  fmt_u64(b[1], get64(sub, MSHV_NL_A_COUNT)));
		}
	if (opt_json)
		printf("]}\n");
	else
		table_print(&t);
	return NL_OK;
}

static int cmd_stats(struct ctl *c)
{
	return request(c, MSHV_NL_CMD_STATS_GET, false, NULL, NULL, stats_cb, "read stats");
}

/* ---------------------------------------------------------------------- */
/* Monitor                                                                */
/* ---------------------------------------------------------------------- */

static int stop;		/* set by the signal handler; __atomic accesses */

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *tb[MSHV_NL_A_MAX + 1];
	struct ctl *c = arg;
	const char *name;
	struct timespec ts;

	if (parse(msg, tb))
		return NL_SKIP;
	switch (g->cmd) {
	case MSHV_NL_CMD_EVENT_PARTITION_CREATED:
		name = "partition-created";
		break;
	case MSHV_NL_CMD_EVENT_PARTITION_DESTROYED:
		name = "partition-destroyed";
		break;
	case MSHV_NL_CMD_EVENT_VP_FATAL:
		name = "vp-fatal";
		break;
	default:
		return NL_SKIP;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	if (opt_json) {
		printf("{\"event\":\"%s\",\"time\":%lld.%09ld,\"partition\":%llu", name,
		       (long long)ts.tv_sec, ts.tv_nsec, get64(tb, MSHV_NL_A_PT_ID));
		if (g->cmd == MSHV_NL_CMD_EVENT_VP_FATAL)
			printf(",\"vp\":%u,\"msg_type\":%u,\"msg_name\":\"%s\"}\n",
			       get32(tb, MSHV_NL_A_VP_INDEX), get32(tb, MSHV_NL_A_VP_LAST_MSG_TYPE),
			       msg_type_name(get32(tb, MSHV_NL_A_VP_LAST_MSG_TYPE)));
		else
			printf(",\"owner_pid\":%u}\n", get32(tb, MSHV_NL_A_PT_OWNER_PID));
	} else {
		char b[CELL];

		printf("%s %-20s partition=%llu", fmt_time(b, ts.tv_sec * 1000000000ULL +
							       ts.tv_nsec),
		       name, get64(tb, MSHV_NL_A_PT_ID));
		if (g->cmd == MSHV_NL_CMD_EVENT_VP_FATAL)
			printf(" vp=%u exit=%s\n", get32(tb, MSHV_NL_A_VP_INDEX),
			       msg_type_name(get32(tb, MSHV_NL_A_VP_LAST_MSG_TYPE)));
		else
			printf(" owner_pid=%u\n", get32(tb, MSHV_NL_A_PT_OWNER_PID));
	}
	fflush(stdout);
	if (c->remaining > 0 && !--c->remaining)
		__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	return NL_OK;
}

static int cmd_monitor(struct ctl *c, long count)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ret;

	c->remaining = count > 0 ? count : -1;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	nl_socket_modify_cb(c->sk, NL_CB_VALID, NL_CB_CUSTOM, event_cb, c);
	if (!opt_json)
		fprintf(stderr, "%s: listening for mshv events (Ctrl-C to stop)\n", prog);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		ret = nl_recvmsgs_default(c->sk);
		if (ret < 0 && !__atomic_load_n(&stop, __ATOMIC_RELAXED) && ret != -NLE_INTR) {
			fprintf(stderr, "%s: monitor: %s\n", prog, nl_geterror(ret));
			return EXIT_ERR;
		}
	}
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Main                                                                   */
/* ---------------------------------------------------------------------- */

static const char help_text[] =
"Usage: mshvctl [--json] COMMAND [ARGS]\n"
"\n"
"Show the partitions, virtual processors (VPs) and hypercall counters that the\n"
"mshv_root module (/dev/mshv) holds, through its \"mshv\" generic netlink family.\n"
"Every command needs CAP_NET_ADMIN.\n"
"\n"
"Commands:\n"
"  list            one line per partition: id, owner pid, state, VPs, memory\n"
"                  regions, mapped guest RAM (total and in 2 MiB pages), pinned\n"
"                  and deposited 4 KiB pages, creation time\n"
"  show ID         everything known about partition ID, one field per line\n"
"                  (adds the owner's command name, the creation flags and MMIO)\n"
"  vps ID          one line per VP of partition ID: state (idle, running, blocked),\n"
"                  MSHV_RUN_VP calls, milliseconds in the guest and in the driver,\n"
"                  the last exit and the exits by message type\n"
"  stats           module-wide counters: hypercalls by code with failures,\n"
"                  failures by hypervisor status, deposited and pinned pages\n"
"  monitor [--count N]\n"
"                  print partition-created, partition-destroyed and vp-fatal\n"
"                  events as they happen, until interrupted or N events\n"
"\n"
"Options:\n"
"  -j, --json      machine-readable output: one JSON document (monitor: one JSON\n"
"                  object per line); numbers are raw (bytes, pages, nanoseconds)\n"
"  -h, --help      this text\n"
"\n"
"Counters (runs, exits, times, hypercalls) are kept while the mshv_root module\n"
"parameter \"stats\" is on (default; /sys/module/mshv_root/parameters/stats).\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  error (netlink failure, malformed reply, unexpected errno)\n"
"  2  usage error\n"
"  3  mshv_root is not loaded, or it has no \"mshv\" netlink family\n"
"  4  no such partition\n"
"  5  permission denied (CAP_NET_ADMIN needed)\n"
"\n"
"Examples:\n"
"  mshvctl list\n"
"  mshvctl --json vps 3 | jq '.[].exits'\n"
"  mshvctl monitor --count 1\n";

static void print_help(FILE *f)
{
	fputs(help_text, f);
}

static int parse_id(const char *s, uint64_t *id)
{
	char *end;

	errno = 0;
	*id = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-') {
		fprintf(stderr, "%s: bad partition id '%s'\n", prog, s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "count", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	long count = 0;
	struct ctl c;
	const char *cmd;
	uint64_t id = 0;
	int o, ret;
	char *end;

	while ((o = getopt_long(argc, argv, "+jhc:", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			opt_json = true;
			break;
		case 'h':
			print_help(stdout);
			return EXIT_OK;
		case 'c':
			count = strtol(optarg, &end, 10);
			if (*end || count <= 0) {
				fprintf(stderr, "%s: bad --count '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	/* Options may also follow the command. */
	while ((o = getopt_long(argc, argv, "jhc:", opts, NULL)) != -1) {
		if (o == 'j') {
			opt_json = true;
		} else if (o == 'c') {
			count = strtol(optarg, &end, 10);
			if (*end || count <= 0) {
				fprintf(stderr, "%s: bad --count '%s'\n", prog, optarg);
				return EXIT_USAGE;
			}
		} else if (o == 'h') {
			print_help(stdout);
			return EXIT_OK;
		} else {
			return EXIT_USAGE;
		}
	}

	if (!strcmp(cmd, "help")) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "show") || !strcmp(cmd, "vps")) {
		if (optind + 1 != argc) {
			fprintf(stderr, "%s: %s takes one partition id\n", prog, cmd);
			return EXIT_USAGE;
		}
		if (parse_id(argv[optind], &id))
			return EXIT_USAGE;
	} else if (!strcmp(cmd, "list") || !strcmp(cmd, "stats") || !strcmp(cmd, "monitor")) {
		if (optind != argc) {
			fprintf(stderr, "%s: %s takes no arguments\n", prog, cmd);
			return EXIT_USAGE;
		}
	} else {
		fprintf(stderr, "%s: unknown command '%s' (see --help)\n", prog, cmd);
		return EXIT_USAGE;
	}
	if (count && strcmp(cmd, "monitor")) {
		fprintf(stderr, "%s: --count is for monitor only\n", prog);
		return EXIT_USAGE;
	}

	ret = ctl_open(&c, !strcmp(cmd, "monitor"));
	if (ret)
		goto out;
	if (!strcmp(cmd, "list"))
		ret = cmd_list(&c);
	else if (!strcmp(cmd, "show"))
		ret = cmd_show(&c, id);
	else if (!strcmp(cmd, "vps"))
		ret = cmd_vps(&c, id);
	else if (!strcmp(cmd, "stats"))
		ret = cmd_stats(&c);
	else
		ret = cmd_monitor(&c, count);
out:
	if (c.sk)
		nl_socket_free(c.sk);
	return ret;
}
