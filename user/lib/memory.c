// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmshv: guest memory allocation and MSHV_SET_GUEST_MEMORY.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

#define SZ_2M	(2UL << 20)

void *mshv_alloc_guest_mem(size_t size, unsigned int flags)
{
	size_t len = size;
	void *p;

	if (!size) {
		errno = EINVAL;
		return NULL;
	}
	if (!(flags & MSHV_MEM_THP)) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}

	/* Over-allocate, then trim to a 2 MiB aligned window. */
	len = size + SZ_2M;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	{
		uintptr_t start = (uintptr_t)p;
		uintptr_t aligned = (start + SZ_2M - 1) & ~(SZ_2M - 1);
		size_t head = aligned - start;
		size_t tail = len - head - size;

		if (head)
			munmap(p, head);
		if (tail)
			munmap((void *)(aligned + size), tail);
		p = (void *)aligned;
	}
	madvise(p, size, MADV_HUGEPAGE);	/* best effort */
	return p;
}

void mshv_free_guest_mem(void *mem, size_t size)
{
	if (mem)
		munmap(mem, size);
}

int __mshv_set_guest_memory(int vmfd, const struct mshv_user_mem_region *r)
{
	return __mshv_ioctl(vmfd, MSHV_SET_GUEST_MEMORY, (void *)r);
}

static int set_memory(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size,
		      __u8 flags)
{
	struct mshv_user_mem_region r;

	memset(&r, 0, sizeof(r));
	r.size = size;
	r.guest_pfn = gpa >> 12;
	r.userspace_addr = (__u64)(uintptr_t)hva;
	r.flags = flags;
	return __mshv_set_guest_memory(vm->fd, &r);
}

static int record(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size,
		  __u8 flags, bool owned, unsigned int mflags)
{
	struct mshv_region *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->gpa = gpa;
	r->hva = hva;
	r->size = size;
	r->flags = flags;
	r->owned = owned;
	r->mflags = mflags;
	r->next = vm->regions;
	vm->regions = r;
	return 0;
}

int mshv_vm_map(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size,
		__u8 flags)
{
	int ret;

	if (gpa & (HV_PAGE_SIZE - 1))
		return -EINVAL;
	ret = set_memory(vm, gpa, hva, size, flags);
	if (ret < 0)
		return ret;
	ret = record(vm, gpa, hva, size, flags, false, 0);
	if (ret < 0)
		set_memory(vm, gpa, hva, size, 1 << MSHV_SET_MEM_BIT_UNMAP);
	return ret;
}

int mshv_vm_unmap(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size)
{
	struct mshv_region **pp, *r;
	int ret;

	ret = set_memory(vm, gpa, hva, size, 1 << MSHV_SET_MEM_BIT_UNMAP);
	if (ret < 0)
		return ret;
	for (pp = &vm->regions; (r = *pp); pp = &r->next) {
		if (r->gpa == gpa && r->hva == hva && r->size == size) {
			*pp = r->next;
			if (r->owned)
				mshv_free_guest_mem(r->hva, r->size);
			free(r);
			break;
		}
	}
	return 0;
}

int mshv_vm_add_memory(struct mshv_vm *vm, __u64 gpa, __u64 size,
		       __u8 flags, unsigned int mflags, void **hva)
{
	void *mem = mshv_alloc_guest_mem(size, mflags);
	int ret;

	if (!mem)
		return -errno;
	ret = set_memory(vm, gpa, mem, size, flags);
	if (ret < 0)
		goto free_mem;
	ret = record(vm, gpa, mem, size, flags, true, mflags);
	if (ret < 0) {
		set_memory(vm, gpa, mem, size, 1 << MSHV_SET_MEM_BIT_UNMAP);
		goto free_mem;
	}
	if (hva)
		*hva = mem;
	return 0;

free_mem:
	mshv_free_guest_mem(mem, size);
	return ret;
}

void *mshv_gpa_to_hva(const struct mshv_vm *vm, __u64 gpa)
{
	const struct mshv_region *r;

	for (r = vm->regions; r; r = r->next)
		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return (char *)r->hva + (gpa - r->gpa);
	return NULL;
}
