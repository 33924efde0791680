// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmshv: /dev/mshv, partitions and the MSHV_ROOT_HVCALL passthrough.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "internal.h"

int __mshv_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret = ioctl(fd, cmd, arg);

	return ret < 0 ? -errno : ret;
}

int mshv_open_dev(int flags)
{
	int fd = open(MSHV_DEV_PATH, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int mshv_root_hvcall(int fd, struct mshv_root_hvcall *args)
{
	return __mshv_ioctl(fd, MSHV_ROOT_HVCALL, args);
}

int mshv_hvcall(int fd, __u16 code, __u16 reps, const void *in, __u16 in_sz,
		void *out, __u16 out_sz, __u16 *status)
{
	struct mshv_root_hvcall args = {
		.code = code,
		.reps = reps,
		.in_sz = in_sz,
		.out_sz = out ? out_sz : 0,
		.in_ptr = (__u64)(uintptr_t)in,
		.out_ptr = (__u64)(uintptr_t)out,
	};
	int ret = mshv_root_hvcall(fd, &args);

	if (status)
		*status = args.status;
	if (!ret && reps && args.reps != reps)
		return -EINTR;	/* what rust-vmm reports for a short rep call */
	return ret;
}

int __mshv_create_partition(int devfd, void *arg)
{
	return __mshv_ioctl(devfd, MSHV_CREATE_PARTITION, arg);
}

int mshv_vm_create(const struct mshv_vm_config *cfg, struct mshv_vm **out)
{
	struct mshv_create_partition_v2 args;
	struct mshv_vm *vm;
	int ret;

	memset(&args, 0, sizeof(args));
	if (cfg) {
		args.pt_flags = cfg->pt_flags;
		args.pt_isolation = cfg->pt_isolation;
		if (cfg->v2) {
			args.pt_flags |= 1ULL << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES;
			args.pt_num_cpu_fbanks = MSHV_NUM_CPU_FEATURES_BANKS;
			args.pt_cpu_fbanks[0] = cfg->disabled_fbanks[0];
			args.pt_cpu_fbanks[1] = cfg->disabled_fbanks[1];
			args.pt_disabled_xsave = cfg->disabled_xsave;
		}
	} else {
		args.pt_flags = MSHV_DEFAULT_PT_FLAGS;
	}

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->fd = -1;
	ret = mshv_open_dev(O_RDWR);
	if (ret < 0)
		goto free_vm;
	vm->dev_fd = ret;

	do {
		ret = __mshv_create_partition(vm->dev_fd, &args);
	} while (ret == -EINTR);
	if (ret < 0)
		goto close_dev;
	vm->fd = ret;

	if (!cfg || !cfg->no_initialize) {
		ret = mshv_vm_initialize(vm);
		if (ret < 0)
			goto close_vm;
	}
	*out = vm;
	return 0;

close_vm:
	close(vm->fd);
close_dev:
	close(vm->dev_fd);
free_vm:
	free(vm);
	return ret;
}

int mshv_vm_initialize(struct mshv_vm *vm)
{
	return __mshv_ioctl(vm->fd, MSHV_INITIALIZE_PARTITION, NULL);
}

void mshv_vm_free(struct mshv_vm *vm)
{
	struct mshv_region *r, *next;
	unsigned int i;

	if (!vm)
		return;
	for (i = 0; i < MSHV_LIB_MAX_VPS; i++)
		mshv_vp_free(vm->vps[i]);
	for (r = vm->regions; r; r = next) {
		next = r->next;
		if (r->owned)
			mshv_free_guest_mem(r->hva, r->size);
		free(r);
	}
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->dev_fd >= 0)
		close(vm->dev_fd);
	free(vm);
}

int mshv_vm_fd(const struct mshv_vm *vm)
{
	return vm->fd;
}

int mshv_vm_dev_fd(const struct mshv_vm *vm)
{
	return vm->dev_fd;
}

int mshv_vm_get_property(struct mshv_vm *vm, __u32 code, __u64 *value)
{
	struct hv_input_get_partition_property in = { .property_code = code };

	return mshv_hvcall(vm->fd, HVCALL_GET_PARTITION_PROPERTY, 0, &in,
			   sizeof(in), value, sizeof(*value), NULL);
}

int mshv_vm_set_property(struct mshv_vm *vm, __u32 code, __u64 value)
{
	struct hv_input_set_partition_property in = {
		.property_code = code,
		.property_value = value,
	};

	return mshv_hvcall(vm->fd, HVCALL_SET_PARTITION_PROPERTY, 0, &in,
			   sizeof(in), NULL, 0, NULL);
}

int mshv_vm_install_intercept(struct mshv_vm *vm, __u32 access_mask,
			      __u32 type, __u64 parameter)
{
	struct hv_input_install_intercept in = {
		.access_type = access_mask,
		.intercept_type = type,
		.parameter = parameter,
	};

	return mshv_hvcall(vm->fd, HVCALL_INSTALL_INTERCEPT, 0, &in,
			   sizeof(in), NULL, 0, NULL);
}
