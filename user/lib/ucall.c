// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmshv: host half of ucall (see mshv/ucall.h).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static int copy_from_guest(const struct mshv_vm *vm, void *dst, __u64 gva,
			   size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t chunk = 4096 - ((gva + done) & 4095);
		const void *src = mshv_gva_to_hva(vm, gva + done);

		if (!src)
			return -EFAULT;
		if (chunk > len - done)
			chunk = len - done;
		memcpy((char *)dst + done, src, chunk);
		done += chunk;
	}
	return 0;
}

static int copy_string(const struct mshv_vm *vm, char *dst, __u64 gva,
		       size_t size)
{
	size_t i;

	if (!gva) {
		dst[0] = '\0';
		return 0;
	}
	for (i = 0; i + 1 < size; i++) {
		const char *c = mshv_gva_to_hva(vm, gva + i);

		if (!c)
			return -EFAULT;
		dst[i] = *c;
		if (!*c)
			return 0;
	}
	dst[i] = '\0';
	return 0;
}

int mshv_ucall_decode(const struct mshv_vm *vm, const struct mshv_exit *exit,
		      struct mshv_ucall_info *uc)
{
	struct mshv_ucall raw;
	unsigned int i;
	int ret;

	memset(uc, 0, sizeof(*uc));
	if (exit->reason != MSHV_EXIT_IO || exit->io.port != MSHV_UCALL_PORT ||
	    !exit->io.is_write || exit->io.string)
		return UCALL_NONE;
	ret = copy_from_guest(vm, &raw, exit->io.rdi, sizeof(raw));
	if (ret)
		return ret;
	if (raw.cmd == UCALL_NONE || raw.cmd > UCALL_PRINT)
		return -EINVAL;
	uc->cmd = raw.cmd;
	uc->nargs = raw.nargs > MSHV_UCALL_MAX_ARGS ? MSHV_UCALL_MAX_ARGS : raw.nargs;
	for (i = 0; i < uc->nargs; i++)
		uc->args[i] = raw.args[i];
	uc->line = raw.line;
	ret = copy_string(vm, uc->file, raw.file, sizeof(uc->file));
	if (!ret)
		ret = copy_string(vm, uc->expr, raw.expr, sizeof(uc->expr));
	return ret ? ret : (int)uc->cmd;
}

int mshv_vp_get_ucall(struct mshv_vp *vp, const struct mshv_exit *exit,
		      struct mshv_ucall_info *uc)
{
	int ret = mshv_ucall_decode(vp->vm, exit, uc);
	int err;

	if (ret <= 0)
		return ret;
	err = mshv_vp_skip_insn(vp, exit);
	return err ? err : ret;
}

const char *mshv_ucall_cmd_str(__u64 cmd)
{
	static const char * const names[] = {
		[UCALL_NONE] = "UCALL_NONE", [UCALL_SYNC] = "UCALL_SYNC",
		[UCALL_ABORT] = "UCALL_ABORT", [UCALL_DONE] = "UCALL_DONE",
		[UCALL_PRINT] = "UCALL_PRINT",
	};

	return cmd < ARRAY_SIZE(names) ? names[cmd] : "UCALL_?";
}
