// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Guest half of ucall (see mshv/ucall.h).  Built freestanding into
 * libmshv_guest.a and linked into test binaries, whose text the host copies
 * into guest memory.  No libc: fields are filled one by one so the compiler
 * emits no memset/memcpy call.  The "memory" clobber of the OUT makes the
 * stores to uc happen before the host reads it.
 */
#include <mshv/guest.h>

void mshv_guest_ucall(__u64 cmd, __u64 nargs, const __u64 *args,
		      const char *file, __u64 line, const char *expr)
{
	struct mshv_ucall uc;
	unsigned int i;

	uc.cmd = cmd;
	uc.nargs = nargs > MSHV_UCALL_MAX_ARGS ? MSHV_UCALL_MAX_ARGS : nargs;
	for (i = 0; i < MSHV_UCALL_MAX_ARGS; i++)
		uc.args[i] = (args && i < uc.nargs) ? args[i] : 0;
	uc.file = (__u64)file;
	uc.line = line;
	uc.expr = (__u64)expr;

	__asm__ __volatile__("outb %%al, %%dx"
			     : : "a"(0), "d"(MSHV_UCALL_PORT), "D"(&uc)
			     : "memory");

	/* An assertion never returns: the host does not resume it. */
	if (cmd == UCALL_ABORT || cmd == UCALL_DONE)
		for (;;)
			__asm__ __volatile__("hlt");
}
