// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmshv: VPs, register access and MSHV_RUN_VP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "internal.h"

/* One hypercall page: 16-byte header + 32 bytes per set element. */
#define MAX_SET_REPS	((HV_PAGE_SIZE - 16) / 32)
#define MAX_GET_REPS	(HV_PAGE_SIZE / 16)

int __mshv_create_vp(int vmfd, __u32 vp_index)
{
	struct mshv_create_vp args = { .vp_index = vp_index };

	return __mshv_ioctl(vmfd, MSHV_CREATE_VP, &args);
}

int mshv_vp_create(struct mshv_vm *vm, __u32 vp_index, struct mshv_vp **out)
{
	struct mshv_vp *vp;
	void *page;
	int ret;

	if (vp_index >= MSHV_LIB_MAX_VPS)
		return -EINVAL;
	vp = calloc(1, sizeof(*vp));
	if (!vp)
		return -ENOMEM;
	ret = __mshv_create_vp(vm->fd, vp_index);
	if (ret < 0) {
		free(vp);
		return ret;
	}
	vp->vm = vm;
	vp->fd = ret;
	vp->index = vp_index;

	/* Like rust-vmm: ENODEV means "no register page", anything else fails. */
	page = mmap(NULL, HV_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		    vp->fd, MSHV_VP_MMAP_OFFSET_REGISTERS * sysconf(_SC_PAGESIZE));
	if (page == MAP_FAILED) {
		ret = -errno;
		if (ret != -ENODEV) {
			close(vp->fd);
			free(vp);
			return ret;
		}
		page = NULL;
	}
	vp->reg_page = page;
	if (vm->vps[vp_index])
		mshv_vp_free(vm->vps[vp_index]);
	vm->vps[vp_index] = vp;
	*out = vp;
	return 0;
}

void mshv_vp_free(struct mshv_vp *vp)
{
	if (!vp)
		return;
	if (vp->vm && vp->vm->vps[vp->index] == vp)
		vp->vm->vps[vp->index] = NULL;
	if (vp->reg_page)
		munmap(vp->reg_page, HV_PAGE_SIZE);
	close(vp->fd);
	free(vp);
}

int mshv_vp_fd(const struct mshv_vp *vp)
{
	return vp->fd;
}

__u32 mshv_vp_index(const struct mshv_vp *vp)
{
	return vp->index;
}

struct mshv_vm *mshv_vp_vm(const struct mshv_vp *vp)
{
	return vp->vm;
}

struct hv_vp_register_page *mshv_vp_reg_page(const struct mshv_vp *vp)
{
	return vp->reg_page;
}

int mshv_vp_get_regs(struct mshv_vp *vp, const __u32 *names,
		     union hv_register_value *values, unsigned int n)
{
	__u64 in[HV_PAGE_SIZE / 8];
	struct hv_input_get_vp_registers *hdr = (void *)in;
	unsigned int done = 0;

	while (done < n) {
		unsigned int cnt = n - done;
		int ret;

		if (cnt > (HV_PAGE_SIZE - sizeof(*hdr)) / 4)
			cnt = (HV_PAGE_SIZE - sizeof(*hdr)) / 4;
		if (cnt > MAX_GET_REPS)
			cnt = MAX_GET_REPS;
		memset(hdr, 0, sizeof(*hdr));
		hdr->vp_index = vp->index;
		memcpy(hdr->names, names + done, cnt * sizeof(__u32));
		ret = mshv_hvcall(vp->fd, HVCALL_GET_VP_REGISTERS, cnt, in,
				  sizeof(*hdr) + cnt * sizeof(__u32),
				  values + done, cnt * sizeof(*values), NULL);
		if (ret < 0)
			return ret;
		done += cnt;
	}
	return 0;
}

int mshv_vp_set_regs(struct mshv_vp *vp, const __u32 *names,
		     const union hv_register_value *values, unsigned int n)
{
	__u64 in[HV_PAGE_SIZE / 8];
	struct hv_input_set_vp_registers *hdr = (void *)in;
	unsigned int done = 0, i;

	while (done < n) {
		unsigned int cnt = n - done;
		int ret;

		if (cnt > MAX_SET_REPS)
			cnt = MAX_SET_REPS;
		memset(in, 0, sizeof(*hdr) + cnt * sizeof(hdr->elements[0]));
		hdr->vp_index = vp->index;
		for (i = 0; i < cnt; i++) {
			hdr->elements[i].name = names[done + i];
			hdr->elements[i].value = values[done + i];
		}
		ret = mshv_hvcall(vp->fd, HVCALL_SET_VP_REGISTERS, cnt, in,
				  sizeof(*hdr) + cnt * sizeof(hdr->elements[0]),
				  NULL, 0, NULL);
		if (ret < 0)
			return ret;
		done += cnt;
	}
	return 0;
}

int mshv_vp_get_reg(struct mshv_vp *vp, __u32 name, __u64 *value)
{
	union hv_register_value v;
	int ret;

	memset(&v, 0, sizeof(v));
	ret = mshv_vp_get_regs(vp, &name, &v, 1);
	if (!ret)
		*value = v.reg64;
	return ret;
}

int mshv_vp_set_reg(struct mshv_vp *vp, __u32 name, __u64 value)
{
	union hv_register_value v;

	memset(&v, 0, sizeof(v));
	v.reg64 = value;
	return mshv_vp_set_regs(vp, &name, &v, 1);
}

/* Where @name lives in the register page, and its dirty class. */
static __u64 *page_slot(struct hv_vp_register_page *p, __u32 name,
			unsigned int *class)
{
	if (name >= HV_X64_REGISTER_RAX && name <= HV_X64_REGISTER_R15) {
		*class = HV_X64_REGISTER_CLASS_GENERAL;
		return &p->gp_registers[name - HV_X64_REGISTER_RAX];
	}
	if (name == HV_X64_REGISTER_RIP) {
		*class = HV_X64_REGISTER_CLASS_IP;
		return &p->rip;
	}
	if (name == HV_X64_REGISTER_RFLAGS) {
		*class = HV_X64_REGISTER_CLASS_FLAGS;
		return &p->rflags;
	}
	return NULL;
}

int mshv_vp_page_get_reg(struct mshv_vp *vp, __u32 name, __u64 *value)
{
	unsigned int class;
	__u64 *slot;

	if (!vp->reg_page)
		return -ENODEV;
	if (!vp->reg_page->isvalid)
		return -EAGAIN;
	slot = page_slot(vp->reg_page, name, &class);
	if (!slot)
		return -EINVAL;
	*value = *slot;
	return 0;
}

int mshv_vp_page_set_reg(struct mshv_vp *vp, __u32 name, __u64 value)
{
	unsigned int class;
	__u64 *slot;

	if (!vp->reg_page)
		return -ENODEV;
	if (!vp->reg_page->isvalid)
		return -EAGAIN;
	slot = page_slot(vp->reg_page, name, &class);
	if (!slot)
		return -EINVAL;
	*slot = value;
	vp->reg_page->dirty |= 1U << class;
	return 0;
}

int mshv_vp_page_get_rip(struct mshv_vp *vp, __u64 *rip)
{
	return mshv_vp_page_get_reg(vp, HV_X64_REGISTER_RIP, rip);
}

int mshv_vp_page_set_rip(struct mshv_vp *vp, __u64 rip)
{
	return mshv_vp_page_set_reg(vp, HV_X64_REGISTER_RIP, rip);
}

int mshv_vp_run(struct mshv_vp *vp, struct mshv_exit *exit)
{
	struct mshv_run_vp run;
	int ret;

	memset(&run, 0, sizeof(run));
	ret = __mshv_ioctl(vp->fd, MSHV_RUN_VP, &run);
	if (ret < 0)
		return ret;
	return mshv_exit_decode((const struct hv_message *)run.msg_buf, exit);
}

int mshv_vp_skip_insn(struct mshv_vp *vp, const struct mshv_exit *exit)
{
	if (!exit->has_header || !exit->insn_len)
		return -EINVAL;
	return mshv_vp_set_reg(vp, HV_X64_REGISTER_RIP, exit->rip + exit->insn_len);
}
