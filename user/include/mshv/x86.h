/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * x86 guest setup for libmshv: 4-level identity page tables built by the
 * library, a GDT/TSS/IDT, long-mode and real-mode register state, and ELF
 * loading of the running test binary (guest code in C, KVM-selftests style).
 *
 * Standard long-mode layout (mshv_vm_setup_long_mode(), GPA == GVA):
 *   0x001000  GDT        0x001800  TSS        0x002000  IDT (empty)
 *   0x100000  page-table pool (1 MiB)
 *   0x200000  VP stacks, 64 KiB per VP, growing down from 0x400000
 *   0x400000  the executable's PT_LOAD segments (linked -no-pie)
 *   mem_size  end of RAM (default 32 MiB); MSHV_X86_SCRATCH_GPA..mem_size
 *             is free for tests
 */
#ifndef MSHV_USER_X86_H
#define MSHV_USER_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define MSHV_X86_GDT_GPA		0x1000ULL
#define MSHV_X86_TSS_GPA		0x1800ULL
#define MSHV_X86_IDT_GPA		0x2000ULL
#define MSHV_X86_PT_POOL_GPA		0x100000ULL
#define MSHV_X86_PT_POOL_SIZE		0x100000ULL
#define MSHV_X86_STACK_TOP		0x400000ULL
#define MSHV_X86_STACK_SIZE		0x10000ULL
#define MSHV_X86_DEFAULT_MEM_SIZE	0x2000000ULL
#define MSHV_X86_SCRATCH_GPA		0x1800000ULL

/* GDT selectors */
#define MSHV_X86_SEL_CODE64	0x08
#define MSHV_X86_SEL_DATA	0x10
#define MSHV_X86_SEL_CODE32	0x18
#define MSHV_X86_SEL_TSS	0x20

/* Control register values used for long mode */
#define MSHV_X86_CR0_PE		0x00000001ULL
#define MSHV_X86_CR0_MP		0x00000002ULL
#define MSHV_X86_CR0_ET		0x00000010ULL
#define MSHV_X86_CR0_NE		0x00000020ULL
#define MSHV_X86_CR0_WP		0x00010000ULL
#define MSHV_X86_CR0_PG		0x80000000ULL
#define MSHV_X86_CR4_PAE	0x00000020ULL
#define MSHV_X86_EFER_LME	0x00000100ULL
#define MSHV_X86_EFER_LMA	0x00000400ULL
#define MSHV_X86_EFER_NXE	0x00000800ULL

#define MSHV_X86_LONG_CR0	(MSHV_X86_CR0_PE | MSHV_X86_CR0_MP | MSHV_X86_CR0_ET | \
				 MSHV_X86_CR0_NE | MSHV_X86_CR0_WP | MSHV_X86_CR0_PG)
#define MSHV_X86_LONG_CR4	MSHV_X86_CR4_PAE
#define MSHV_X86_LONG_EFER	(MSHV_X86_EFER_LME | MSHV_X86_EFER_LMA | MSHV_X86_EFER_NXE)

/* Page-table entry bits */
#define MSHV_PTE_P	0x0000000000000001ULL
#define MSHV_PTE_RW	0x0000000000000002ULL
#define MSHV_PTE_US	0x0000000000000004ULL
#define MSHV_PTE_A	0x0000000000000020ULL
#define MSHV_PTE_D	0x0000000000000040ULL
#define MSHV_PTE_PS	0x0000000000000080ULL
#define MSHV_PTE_NX	0x8000000000000000ULL
#define MSHV_PTE_ADDR_MASK	0x000FFFFFFFFFF000ULL

/*
 * Page-table builder.  Pure: it only writes into @mem, the host view of
 * guest RAM [base_gpa, base_gpa + mem_size).  Table pages come from the
 * pool [pool_gpa, pool_gpa + pool_size), which must lie inside that RAM.
 */
struct mshv_pt {
	void *mem;
	__u64 base_gpa;
	__u64 mem_size;
	__u64 pool_next;
	__u64 pool_end;
	__u64 cr3;		/* GPA of the PML4 */
};

int mshv_pt_init(struct mshv_pt *pt, void *mem, __u64 base_gpa, __u64 mem_size,
		 __u64 pool_gpa, __u64 pool_size);
/*
 * Map [gva, gva+size) to [gpa, gpa+size).  @flags: MSHV_PTE_RW/US/NX.  With
 * @large, 2 MiB pages are used (gva, gpa and size 2 MiB aligned).  An
 * existing mapping is overwritten.  0, -EINVAL (alignment, non-canonical) or
 * -ENOMEM (pool exhausted).
 */
int mshv_pt_map(struct mshv_pt *pt, __u64 gva, __u64 gpa, __u64 size,
		__u64 flags, bool large);
/* Walk: 0 with *gpa (and *pte, the leaf entry), or -EFAULT if unmapped. */
int mshv_pt_translate(const struct mshv_pt *pt, __u64 gva, __u64 *gpa,
		      __u64 *pte);

/* Write the standard GDT, TSS and an empty IDT into @mem (GPA 0 based). */
void mshv_x86_write_descriptor_tables(void *mem);

struct mshv_vm;
struct mshv_vp;

/*
 * Give @vm @mem_size bytes of RAM at GPA 0 (0 = default), mapped
 * readable/writable/executable, write the descriptor tables, identity-map it
 * with 4 KiB pages and load the running executable's segments
 * (/proc/self/exe, which must be linked -no-pie) at their addresses.
 */
int mshv_vm_setup_long_mode(struct mshv_vm *vm, __u64 mem_size);
/* The VM's page-table builder (after mshv_vm_setup_long_mode()), or NULL. */
struct mshv_pt *mshv_vm_pt(struct mshv_vm *vm);
/*
 * Add guest-virtual mappings (e.g. for MMIO or unmapped-GPA tests).
 * @pte_flags: MSHV_PTE_RW/US/NX, plus MSHV_PTE_PS for 2 MiB pages.
 */
int mshv_vm_map_gva(struct mshv_vm *vm, __u64 gva, __u64 gpa, __u64 size,
		    __u64 pte_flags);
/* Load PT_LOAD segments of the ELF file @path into mapped guest RAM. */
int mshv_vm_load_elf(struct mshv_vm *vm, const char *path);

/*
 * Put @vp in 64-bit mode at @entry with its own stack and @arg in RDI
 * (System V first argument).
 */
int mshv_vp_setup_long_mode(struct mshv_vp *vp, __u64 entry, __u64 arg);
/* Put @vp in real mode: CS = @cs (base cs * 16), IP = @ip, SP = @sp. */
int mshv_vp_setup_real_mode(struct mshv_vp *vp, __u16 cs, __u16 ip, __u16 sp);

/* Guest-virtual to host address through the VM's page tables, or NULL. */
void *mshv_gva_to_hva(const struct mshv_vm *vm, __u64 gva);

#endif /* MSHV_USER_X86_H */
