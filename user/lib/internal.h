/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmshv private definitions: the objects behind the opaque handles.
 */
#ifndef MSHV_USER_LIB_INTERNAL_H
#define MSHV_USER_LIB_INTERNAL_H

#include <mshv/mshv.h>

#define MSHV_LIB_MAX_VPS	256

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct mshv_region {
	__u64 gpa;
	__u64 size;
	void *hva;
	__u8 flags;
	bool owned;		/* allocated by the library */
	unsigned int mflags;
	struct mshv_region *next;
};

struct mshv_vm {
	int dev_fd;
	int fd;
	struct mshv_region *regions;
	struct mshv_vp *vps[MSHV_LIB_MAX_VPS];
	struct mshv_pt pt;
	bool has_pt;
};

struct mshv_vp {
	struct mshv_vm *vm;
	int fd;
	__u32 index;
	struct hv_vp_register_page *reg_page;
};

#endif /* MSHV_USER_LIB_INTERNAL_H */
