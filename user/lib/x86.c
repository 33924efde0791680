// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmshv: x86 guest setup - page tables, descriptor tables, long-mode and
 * real-mode register state, ELF loading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/elf.h>

#include "internal.h"

#define PAGE_4K		0x1000ULL
#define PAGE_2M		0x200000ULL

/* ---- page tables (pure) ---- */

static __u64 *pt_page(const struct mshv_pt *pt, __u64 gpa)
{
	if (gpa < pt->base_gpa || gpa - pt->base_gpa + PAGE_4K > pt->mem_size)
		return NULL;
	return (__u64 *)((char *)pt->mem + (gpa - pt->base_gpa));
}

static int pt_alloc(struct mshv_pt *pt, __u64 *gpa)
{
	__u64 *p;

	if (pt->pool_next + PAGE_4K > pt->pool_end)
		return -ENOMEM;
	p = pt_page(pt, pt->pool_next);
	if (!p)
		return -EINVAL;
	memset(p, 0, PAGE_4K);
	*gpa = pt->pool_next;
	pt->pool_next += PAGE_4K;
	return 0;
}

int mshv_pt_init(struct mshv_pt *pt, void *mem, __u64 base_gpa, __u64 mem_size,
		 __u64 pool_gpa, __u64 pool_size)
{
	if (!mem || (base_gpa | pool_gpa | pool_size) & (PAGE_4K - 1))
		return -EINVAL;
	if (pool_gpa < base_gpa || pool_size > mem_size ||
	    pool_gpa - base_gpa > mem_size - pool_size)
		return -EINVAL;
	pt->mem = mem;
	pt->base_gpa = base_gpa;
	pt->mem_size = mem_size;
	pt->pool_next = pool_gpa;
	pt->pool_end = pool_gpa + pool_size;
	return pt_alloc(pt, &pt->cr3);
}

static bool canonical(__u64 va)
{
	__u64 top = va >> 47;

	return top == 0 || top == 0x1ffff;
}

/* The entry at @level (3 = PML4 ... 0 = PT) for @gva, creating tables. */
static int pt_entry(struct mshv_pt *pt, __u64 gva, int target, __u64 **entry)
{
	__u64 table = pt->cr3;
	int level, ret;

	for (level = 3; ; level--) {
		__u64 *t = pt_page(pt, table);
		__u64 *e;

		if (!t)
			return -EINVAL;
		e = &t[(gva >> (12 + 9 * level)) & 0x1ff];
		if (level == target) {
			*entry = e;
			return 0;
		}
		if (!(*e & MSHV_PTE_P) || (*e & MSHV_PTE_PS)) {
			__u64 next;

			ret = pt_alloc(pt, &next);
			if (ret)
				return ret;
			/* Tables are permissive; the leaf decides. */
			*e = next | MSHV_PTE_P | MSHV_PTE_RW | MSHV_PTE_US;
		}
		table = *e & MSHV_PTE_ADDR_MASK;
	}
}

int mshv_pt_map(struct mshv_pt *pt, __u64 gva, __u64 gpa, __u64 size,
		__u64 flags, bool large)
{
	__u64 step = large ? PAGE_2M : PAGE_4K;
	__u64 off;
	int ret;

	if ((gva | gpa | size) & (step - 1) || !size)
		return -EINVAL;
	if (flags & ~(MSHV_PTE_RW | MSHV_PTE_US | MSHV_PTE_NX))
		return -EINVAL;
	if (!canonical(gva) || !canonical(gva + size - 1) ||
	    (gpa + size - 1) > MSHV_PTE_ADDR_MASK)
		return -EINVAL;
	for (off = 0; off < size; off += step) {
		__u64 *e;

		ret = pt_entry(pt, gva + off, large ? 1 : 0, &e);
		if (ret)
			return ret;
		*e = (gpa + off) | flags | MSHV_PTE_P | (large ? MSHV_PTE_PS : 0);
	}
	return 0;
}

int mshv_pt_translate(const struct mshv_pt *pt, __u64 gva, __u64 *gpa,
		      __u64 *pte)
{
	__u64 table = pt->cr3;
	int level;

	if (!canonical(gva))
		return -EFAULT;
	for (level = 3; level >= 0; level--) {
		const __u64 *t = pt_page(pt, table);
		__u64 e;

		if (!t)
			return -EFAULT;
		e = t[(gva >> (12 + 9 * level)) & 0x1ff];
		if (!(e & MSHV_PTE_P))
			return -EFAULT;
		if (level == 0 || (level <= 2 && (e & MSHV_PTE_PS))) {
			__u64 mask = (1ULL << (12 + 9 * level)) - 1;

			*gpa = ((e & MSHV_PTE_ADDR_MASK) & ~mask) | (gva & mask);
			if (pte)
				*pte = e;
			return 0;
		}
		table = e & MSHV_PTE_ADDR_MASK;
	}
	return -EFAULT;
}

/* ---- descriptor tables ---- */

static __u64 seg_desc(__u32 base, __u32 limit, __u16 attr)
{
	/* attr in the VMCS/hv layout: type/S/DPL/P in 0-7, AVL/L/DB/G in 12-15 */
	return (limit & 0xffffULL) | ((__u64)(base & 0xffffff) << 16) |
	       ((__u64)(attr & 0xff) << 40) | ((__u64)((limit >> 16) & 0xf) << 48) |
	       ((__u64)((attr >> 12) & 0xf) << 52) | ((__u64)(base >> 24) << 56);
}

void mshv_x86_write_descriptor_tables(void *mem)
{
	__u64 *gdt = (__u64 *)((char *)mem + MSHV_X86_GDT_GPA);
	__u64 tss = MSHV_X86_TSS_GPA;

	memset(gdt, 0, 0x100);
	gdt[MSHV_X86_SEL_CODE64 / 8] = seg_desc(0, 0xfffff, 0xa09b);
	gdt[MSHV_X86_SEL_DATA / 8] = seg_desc(0, 0xfffff, 0xc093);
	gdt[MSHV_X86_SEL_CODE32 / 8] = seg_desc(0, 0xfffff, 0xc09b);
	/* 64-bit TSS: 16 bytes, type 0xb (busy, as loaded in TR) */
	gdt[MSHV_X86_SEL_TSS / 8] = seg_desc((__u32)tss, 0x67, 0x008b);
	gdt[MSHV_X86_SEL_TSS / 8 + 1] = tss >> 32;
	memset((char *)mem + MSHV_X86_TSS_GPA, 0, 0x68);
	memset((char *)mem + MSHV_X86_IDT_GPA, 0, 0x1000);
}

/* ---- VM setup ---- */

struct mshv_pt *mshv_vm_pt(struct mshv_vm *vm)
{
	return vm->has_pt ? &vm->pt : NULL;
}

int mshv_vm_map_gva(struct mshv_vm *vm, __u64 gva, __u64 gpa, __u64 size,
		    __u64 pte_flags)
{
	if (!vm->has_pt)
		return -EINVAL;
	return mshv_pt_map(&vm->pt, gva, gpa, size, pte_flags & ~MSHV_PTE_PS,
			   !!(pte_flags & MSHV_PTE_PS));
}

void *mshv_gva_to_hva(const struct mshv_vm *vm, __u64 gva)
{
	__u64 gpa = gva;

	if (vm->has_pt && mshv_pt_translate(&vm->pt, gva, &gpa, NULL))
		return NULL;
	return mshv_gpa_to_hva(vm, gpa);
}

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += n;
	}
	return 0;
}

int mshv_vm_load_elf(struct mshv_vm *vm, const char *path)
{
	struct elf64_hdr eh;
	int fd, ret, i;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = read_full(fd, &eh, sizeof(eh), 0);
	if (ret)
		goto out;
	ret = -ENOEXEC;
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64 || eh.e_phentsize != sizeof(struct elf64_phdr))
		goto out;
	/* Guest code runs at its link address: position-dependent only. */
	if (eh.e_type != ET_EXEC)
		goto out;
	for (i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		__u64 a;
		char *dst;

		ret = read_full(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph));
		if (ret)
			goto out;
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		ret = -ERANGE;
		if (ph.p_filesz > ph.p_memsz)
			goto out;
		/* Every page of the segment must be in guest RAM. */
		for (a = ph.p_vaddr & ~(PAGE_4K - 1); a < ph.p_vaddr + ph.p_memsz; a += PAGE_4K)
			if (!mshv_gpa_to_hva(vm, a))
				goto out;
		dst = mshv_gpa_to_hva(vm, ph.p_vaddr);
		/* Regions may be discontiguous; copy page by page. */
		for (a = 0; a < ph.p_memsz; ) {
			__u64 chunk = PAGE_4K - ((ph.p_vaddr + a) & (PAGE_4K - 1));

			if (chunk > ph.p_memsz - a)
				chunk = ph.p_memsz - a;
			dst = mshv_gpa_to_hva(vm, ph.p_vaddr + a);
			if (a < ph.p_filesz) {
				__u64 n = chunk;

				if (n > ph.p_filesz - a)
					n = ph.p_filesz - a;
				ret = read_full(fd, dst, n, ph.p_offset + a);
				if (ret)
					goto out;
				memset(dst + n, 0, chunk - n);
			} else {
				memset(dst, 0, chunk);
			}
			a += chunk;
		}
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

int mshv_vm_setup_long_mode(struct mshv_vm *vm, __u64 mem_size)
{
	void *mem;
	int ret;

	if (!mem_size)
		mem_size = MSHV_X86_DEFAULT_MEM_SIZE;
	if (mem_size < MSHV_X86_STACK_TOP + PAGE_2M || mem_size & (PAGE_4K - 1))
		return -EINVAL;
	ret = mshv_vm_add_memory(vm, 0, mem_size,
				 (1 << MSHV_SET_MEM_BIT_WRITABLE) |
				 (1 << MSHV_SET_MEM_BIT_EXECUTABLE), 0, &mem);
	if (ret)
		return ret;
	mshv_x86_write_descriptor_tables(mem);
	ret = mshv_pt_init(&vm->pt, mem, 0, mem_size, MSHV_X86_PT_POOL_GPA,
			   MSHV_X86_PT_POOL_SIZE);
	if (ret)
		return ret;
	ret = mshv_pt_map(&vm->pt, 0, 0, mem_size, MSHV_PTE_RW, false);
	if (ret)
		return ret;
	vm->has_pt = true;
	return mshv_vm_load_elf(vm, "/proc/self/exe");
}

static void set_seg(union hv_register_value *v, __u64 base, __u32 limit,
		    __u16 sel, __u16 attr)
{
	memset(v, 0, sizeof(*v));
	v->segment.base = base;
	v->segment.limit = limit;
	v->segment.selector = sel;
	v->segment.attributes = attr;
}

int mshv_vp_setup_long_mode(struct mshv_vp *vp, __u64 entry, __u64 arg)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_CR0, HV_X64_REGISTER_CR3, HV_X64_REGISTER_CR4,
		HV_X64_REGISTER_EFER, HV_X64_REGISTER_CS, HV_X64_REGISTER_DS,
		HV_X64_REGISTER_ES, HV_X64_REGISTER_SS, HV_X64_REGISTER_FS,
		HV_X64_REGISTER_GS, HV_X64_REGISTER_TR, HV_X64_REGISTER_LDTR,
		HV_X64_REGISTER_GDTR, HV_X64_REGISTER_IDTR, HV_X64_REGISTER_RFLAGS,
		HV_X64_REGISTER_RSP, HV_X64_REGISTER_RIP, HV_X64_REGISTER_RDI,
	};
	union hv_register_value v[ARRAY_SIZE(names)];
	struct mshv_vm *vm = vp->vm;
	__u64 stack = MSHV_X86_STACK_TOP - vp->index * MSHV_X86_STACK_SIZE;
	int i;

	if (!vm->has_pt || vp->index >= (MSHV_X86_STACK_TOP - 0x200000) / MSHV_X86_STACK_SIZE)
		return -EINVAL;
	memset(v, 0, sizeof(v));
	v[0].reg64 = MSHV_X86_LONG_CR0;
	v[1].reg64 = vm->pt.cr3;
	v[2].reg64 = MSHV_X86_LONG_CR4;
	v[3].reg64 = MSHV_X86_LONG_EFER;
	set_seg(&v[4], 0, 0xffffffff, MSHV_X86_SEL_CODE64, 0xa09b);
	for (i = 5; i <= 9; i++)
		set_seg(&v[i], 0, 0xffffffff, MSHV_X86_SEL_DATA, 0xc093);
	set_seg(&v[10], MSHV_X86_TSS_GPA, 0x67, MSHV_X86_SEL_TSS, 0x008b);
	set_seg(&v[11], 0, 0xffff, 0, 0x0082);
	v[12].table.base = MSHV_X86_GDT_GPA;
	v[12].table.limit = MSHV_X86_SEL_TSS + 15;
	v[13].table.base = MSHV_X86_IDT_GPA;
	v[13].table.limit = 0xfff;
	v[14].reg64 = 0x2;
	/* Entered as if called: 16-byte aligned stack minus a return address. */
	v[15].reg64 = stack - 8;
	v[16].reg64 = entry;
	v[17].reg64 = arg;
	return mshv_vp_set_regs(vp, names, v, ARRAY_SIZE(names));
}

int mshv_vp_setup_real_mode(struct mshv_vp *vp, __u16 cs, __u16 ip, __u16 sp)
{
	static const __u32 names[] = {
		HV_X64_REGISTER_CS, HV_X64_REGISTER_DS, HV_X64_REGISTER_ES,
		HV_X64_REGISTER_SS, HV_X64_REGISTER_RIP, HV_X64_REGISTER_RSP,
		HV_X64_REGISTER_RFLAGS,
	};
	union hv_register_value v[ARRAY_SIZE(names)];
	int i;

	memset(v, 0, sizeof(v));
	set_seg(&v[0], (__u64)cs << 4, 0xffff, cs, 0x009b);
	for (i = 1; i <= 3; i++)
		set_seg(&v[i], 0, 0xffff, 0, 0x0093);
	v[4].reg64 = ip;
	v[5].reg64 = sp;
	v[6].reg64 = 0x2;
	return mshv_vp_set_regs(vp, names, v, ARRAY_SIZE(names));
}
