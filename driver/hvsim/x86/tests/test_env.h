/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Flat guest-physical memory model and mode setup shared by the x86
 * interpreter's userspace tests.
 *
 * Layout (GPA): 0x0800 GDT, 0x1000 code, 0x2000 IDT, 0x3000 TSS,
 * 0x4000-0x7fff data, 0x8000 stack top, 0x10000.. page tables (long mode:
 * PML4 0x10000, PDPT 0x11000, PD 0x12000, PT 0x13000 for the first 2 MiB),
 * 0xa0000-0xbffff unmapped (MMIO), 0xc0000-0xcffff read-only (writes
 * denied), everything at or above TEST_MEM_SIZE unmapped.
 */
#ifndef _HVSIM_X86_TEST_ENV_H_
#define _HVSIM_X86_TEST_ENV_H_

#include <stdio.h>
#include <stdlib.h>
#include "../x86_core.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif

#ifndef TEST_MEM_SIZE
#define TEST_MEM_SIZE	(4u << 20)
#endif
#define TEST_GDT	0x0800
#define TEST_CODE	0x1000
#define TEST_IDT	0x2000
#define TEST_TSS	0x3000
#define TEST_DATA	0x4000
#define TEST_STACK	0x8000
#define TEST_PML4	0x10000
#define TEST_PDPT	0x11000
#define TEST_PD		0x12000
#define TEST_PT		0x13000
#define TEST_MMIO	0xa0000
#define TEST_MMIO_END	0xc0000
#define TEST_ROM	0xc0000
#define TEST_ROM_END	0xd0000

/* GDT selectors */
#define SEL_CODE32	0x08
#define SEL_DATA32	0x10
#define SEL_CODE16	0x18
#define SEL_CODE64	0x20
#define SEL_DATA_SMALL	0x28	/* base 0x10000, limit 0xfff */
#define SEL_CODE32_R3	0x33
#define SEL_DATA32_R3	0x3b
#define SEL_TSS64	0x40

struct test_env {
	struct hvx86_vcpu vcpu;
	u8 *mem;
	unsigned long writes;
	unsigned long reads;
	u64 tsc;
};

static inline enum hvx86_mem_result env_read(void *opaque, u64 gpa, void *buf,
					     u32 len, enum hvx86_access access)
{
	struct test_env *env = opaque;

	(void)access;
	if (gpa >= TEST_MEM_SIZE || gpa + len > TEST_MEM_SIZE ||
	    (gpa >= TEST_MMIO && gpa < TEST_MMIO_END))
		return HVX86_MEM_UNMAPPED;
	env->reads++;
	memcpy(buf, env->mem + gpa, len);
	return HVX86_MEM_OK;
}

static inline enum hvx86_mem_result env_write(void *opaque, u64 gpa,
					      const void *buf, u32 len)
{
	struct test_env *env = opaque;

	if (gpa >= TEST_MEM_SIZE || gpa + len > TEST_MEM_SIZE ||
	    (gpa >= TEST_MMIO && gpa < TEST_MMIO_END))
		return HVX86_MEM_UNMAPPED;
	if (gpa >= TEST_ROM && gpa < TEST_ROM_END)
		return HVX86_MEM_DENIED;
	env->writes++;
	memcpy(env->mem + gpa, buf, len);
	return HVX86_MEM_OK;
}

static inline u64 env_tsc(void *opaque)
{
	struct test_env *env = opaque;

	return env->tsc += 1000;
}

static const struct hvx86_callbacks env_callbacks = {
	.read_gpa = env_read,
	.write_gpa = env_write,
	.read_tsc = env_tsc,
};

static inline void put64(struct test_env *env, u64 gpa, u64 value)
{
	memcpy(env->mem + gpa, &value, 8);
}

static inline u64 get64(struct test_env *env, u64 gpa)
{
	u64 value;

	memcpy(&value, env->mem + gpa, 8);
	return value;
}

static inline u32 get32(struct test_env *env, u64 gpa)
{
	u32 value;

	memcpy(&value, env->mem + gpa, 4);
	return value;
}

static inline u16 get16(struct test_env *env, u64 gpa)
{
	u16 value;

	memcpy(&value, env->mem + gpa, 2);
	return value;
}

static inline void env_load(struct test_env *env, u64 gpa, const u8 *bytes,
			    size_t len)
{
	memcpy(env->mem + gpa, bytes, len);
}

/* Real mode, CS=DS=ES=SS=0, IP=TEST_CODE, SP=TEST_STACK; IVT at 0. */
static inline void env_real(struct test_env *env)
{
	struct hvx86_regs *regs;
	unsigned int i;

	if (!env->mem)
		env->mem = calloc(1, TEST_MEM_SIZE);
	else
		memset(env->mem, 0, TEST_MEM_SIZE);
	env->writes = 0;
	env->reads = 0;
	env->tsc = 0;
	hvx86_init(&env->vcpu, &env_callbacks, env);
	regs = &env->vcpu.regs;
	for (i = 0; i < HVX86_SEG_COUNT; i++) {
		regs->seg[i].selector = 0;
		regs->seg[i].base = 0;
	}
	regs->idtr.base = 0;
	regs->idtr.limit = 0x3ff;
	regs->rip = TEST_CODE;
	regs->gpr[HVX86_RSP] = TEST_STACK;
	regs->gpr[HVX86_RDX] = 0;
}

static inline void make_segment(struct hvx86_segment *seg, u16 selector,
				u64 descriptor)
{
	u32 limit = (descriptor & 0xffff) | ((descriptor >> 32) & 0xf0000);

	seg->selector = selector;
	seg->base = ((descriptor >> 16) & 0xffffff) |
		    (((descriptor >> 56) & 0xff) << 24);
	if (descriptor & (1ULL << 55))
		limit = (limit << 12) | 0xfff;
	seg->limit = limit;
	seg->attributes = ((descriptor >> 40) & 0xf0ff) | HVX86_SEG_TYPE_ACCESSED;
}

static const u64 test_gdt[] = {
	0,
	0x00cf9b000000ffffULL,	/* 0x08 code32 flat */
	0x00cf93000000ffffULL,	/* 0x10 data32 flat */
	0x00009b000000ffffULL,	/* 0x18 code16 */
	0x00af9b000000ffffULL,	/* 0x20 code64 */
	0x0000930100000fffULL,	/* 0x28 data, base 0x10000 limit 0xfff */
	0x00cffb000000ffffULL,	/* 0x30 code32 ring 3 */
	0x00cff3000000ffffULL,	/* 0x38 data32 ring 3 */
	0x0000890030000067ULL,	/* 0x40 TSS (64-bit: 16 bytes) base 0x3000 */
	0,
};

/* 32-bit protected mode, flat segments, paging off. */
static inline void env_prot32(struct test_env *env)
{
	struct hvx86_regs *regs;
	unsigned int i;

	env_real(env);
	regs = &env->vcpu.regs;
	env_load(env, TEST_GDT, (const u8 *)test_gdt, sizeof(test_gdt));
	regs->gdtr.base = TEST_GDT;
	regs->gdtr.limit = sizeof(test_gdt) - 1;
	regs->idtr.base = TEST_IDT;
	regs->idtr.limit = 0x7ff;
	regs->cr0 = HVX86_CR0_PE | HVX86_CR0_ET;
	for (i = 0; i < HVX86_SEG_COUNT; i++)
		make_segment(&regs->seg[i], SEL_DATA32, test_gdt[2]);
	make_segment(&regs->seg[HVX86_SEG_CS], SEL_CODE32, test_gdt[1]);
	make_segment(&regs->tr, SEL_TSS64, test_gdt[8]);
}

/* 64-bit long mode, identity paging: 4 KiB pages below 2 MiB, 2 MiB above. */
static inline void env_long64(struct test_env *env)
{
	struct hvx86_regs *regs;
	unsigned int i;

	env_prot32(env);
	regs = &env->vcpu.regs;
	put64(env, TEST_PML4, TEST_PDPT | 0x7);
	put64(env, TEST_PDPT, TEST_PD | 0x7);
	put64(env, TEST_PD, TEST_PT | 0x7);
	for (i = 1; i < 512; i++)
		put64(env, TEST_PD + i * 8, ((u64)i << 21) | 0x87);
	for (i = 0; i < 512; i++)
		put64(env, TEST_PT + i * 8, ((u64)i << 12) | 0x7);
	regs->cr3 = TEST_PML4;
	regs->cr4 = HVX86_CR4_PAE;
	regs->efer = HVX86_EFER_LME | HVX86_EFER_LMA | HVX86_EFER_NXE;
	regs->cr0 = HVX86_CR0_PE | HVX86_CR0_PG | HVX86_CR0_WP | HVX86_CR0_ET;
	regs->idtr.limit = 0xfff;
	make_segment(&regs->seg[HVX86_SEG_CS], SEL_CODE64, test_gdt[4]);
}

/* IDT gate for @vector pointing at @handler (selector @cs). */
static inline void env_gate(struct test_env *env, unsigned int vector,
			    u16 cs, u64 handler, bool trap)
{
	struct hvx86_regs *regs = &env->vcpu.regs;
	u64 low = (handler & 0xffff) | ((u64)cs << 16) |
		  ((u64)(trap ? 0xef : 0xee) << 40) |
		  ((handler & 0xffff0000ULL) << 32);

	if (!(regs->cr0 & HVX86_CR0_PE)) {
		u32 ivt = (u32)(handler & 0xffff) | ((u32)cs << 16);

		memcpy(env->mem + vector * 4, &ivt, 4);
		return;
	}
	if (regs->efer & HVX86_EFER_LMA) {
		put64(env, TEST_IDT + vector * 16, low);
		put64(env, TEST_IDT + vector * 16 + 8, handler >> 32);
	} else {
		put64(env, TEST_IDT + vector * 8, low);
	}
}

#endif /* _HVSIM_X86_TEST_ENV_H_ */
