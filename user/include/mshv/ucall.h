/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ucall: how guest code talks to the host.  The guest fills a struct
 * mshv_ucall in its own memory and executes "out %al, %dx" with
 * DX = MSHV_UCALL_PORT and RDI = the struct's guest-virtual address.  The
 * host sees an IO-port intercept for that port whose message carries RDI,
 * reads the struct through the guest page tables and advances RIP.
 *
 * This header is shared by host code and by the freestanding guest code
 * (mshv/guest.h), so it only uses fixed-size types.
 */
#ifndef MSHV_USER_UCALL_H
#define MSHV_USER_UCALL_H

#include <linux/types.h>

#define MSHV_UCALL_PORT		0x1000
#define MSHV_UCALL_MAX_ARGS	6

enum mshv_ucall_cmd {
	UCALL_NONE = 0,		/* not a ucall exit */
	UCALL_SYNC = 1,		/* GUEST_SYNC(args): host checks, resumes */
	UCALL_ABORT = 2,	/* GUEST_ASSERT failed: expr, file:line, values */
	UCALL_DONE = 3,		/* GUEST_DONE(): guest code finished */
	UCALL_PRINT = 4,	/* GUEST_PRINT(str) */
};

/* Guest-memory layout of a ucall (all pointers are guest-virtual). */
struct mshv_ucall {
	__u64 cmd;
	__u64 nargs;
	__u64 args[MSHV_UCALL_MAX_ARGS];
	__u64 file;		/* const char * */
	__u64 line;
	__u64 expr;		/* const char *: assertion text or message */
};

#ifndef MSHV_GUEST_CODE
#include <stddef.h>

struct mshv_exit;
struct mshv_vm;
struct mshv_vp;

/* Host view of a decoded ucall. */
struct mshv_ucall_info {
	__u64 cmd;
	unsigned int nargs;
	__u64 args[MSHV_UCALL_MAX_ARGS];
	__u64 line;
	char file[128];
	char expr[256];
};

/*
 * If @exit is a ucall, decode it (pure apart from reading guest memory)
 * and return its cmd (> 0); UCALL_NONE (0) if @exit is not a ucall;
 * -EFAULT if the struct or its strings are outside guest RAM.
 */
int mshv_ucall_decode(const struct mshv_vm *vm, const struct mshv_exit *exit,
		      struct mshv_ucall_info *uc);
/* mshv_ucall_decode(), then advance RIP past the OUT on success. */
int mshv_vp_get_ucall(struct mshv_vp *vp, const struct mshv_exit *exit,
		      struct mshv_ucall_info *uc);
const char *mshv_ucall_cmd_str(__u64 cmd);
#endif

#endif /* MSHV_USER_UCALL_H */
