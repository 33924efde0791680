/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Guest-side helpers for guest code written in C and linked into the test
 * binary.  Files including this header are built freestanding
 * (-ffreestanding -fno-pic -mno-red-zone -mgeneral-regs-only): they may call
 * only other guest code, never libc.
 */
#ifndef MSHV_USER_GUEST_H
#define MSHV_USER_GUEST_H

#define MSHV_GUEST_CODE
#include <mshv/ucall.h>

void mshv_guest_ucall(__u64 cmd, __u64 nargs, const __u64 *args,
		      const char *file, __u64 line, const char *expr);

#define __GUEST_UCALL(cmd, n, ...) do {					\
	__u64 __a[MSHV_UCALL_MAX_ARGS] = { __VA_ARGS__ };		\
	mshv_guest_ucall(cmd, n, __a, __FILE__, __LINE__, "");		\
} while (0)

/* Report @v to the host and wait for it to resume the guest. */
#define GUEST_SYNC(v)		__GUEST_UCALL(UCALL_SYNC, 1, (__u64)(v))
#define GUEST_SYNC2(a, b)	__GUEST_UCALL(UCALL_SYNC, 2, (__u64)(a), (__u64)(b))
#define GUEST_DONE()		__GUEST_UCALL(UCALL_DONE, 0, 0)
#define GUEST_PRINT(str)	mshv_guest_ucall(UCALL_PRINT, 0, 0, __FILE__, __LINE__, str)

#define GUEST_ASSERT(cond) do {						\
	if (!(cond))							\
		mshv_guest_ucall(UCALL_ABORT, 0, 0, __FILE__, __LINE__,	\
				 "GUEST_ASSERT(" #cond ")");		\
} while (0)

#define GUEST_ASSERT_EQ(a, b) do {					\
	__u64 __x = (__u64)(a), __y = (__u64)(b);			\
	if (__x != __y) {						\
		__u64 __v[MSHV_UCALL_MAX_ARGS] = { __x, __y };		\
		mshv_guest_ucall(UCALL_ABORT, 2, __v, __FILE__, __LINE__, \
				 "GUEST_ASSERT_EQ(" #a ", " #b ")");	\
	}								\
} while (0)

static inline void guest_outb(__u16 port, __u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void guest_outw(__u16 port, __u16 v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void guest_outl(__u16 port, __u32 v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline __u8 guest_inb(__u16 port)
{
	__u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline __u16 guest_inw(__u16 port)
{
	__u16 v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

static inline __u32 guest_inl(__u16 port)
{
	__u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

/* Single loads and stores the compiler cannot merge, split or drop. */
static inline __u32 guest_read32(__u64 addr)
{
	__u32 v;

	__asm__ __volatile__("movl (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline __u64 guest_read64(__u64 addr)
{
	__u64 v;

	__asm__ __volatile__("movq (%1), %0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void guest_write64(__u64 addr, __u64 v)
{
	__asm__ __volatile__("movq %0, (%1)" : : "r"(v), "r"(addr) : "memory");
}

static inline void guest_hlt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

static inline void guest_cpuid(__u32 leaf, __u32 subleaf, __u32 *a, __u32 *b,
			       __u32 *c, __u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(subleaf));
}

static inline __u64 guest_rdmsr(__u32 msr)
{
	__u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return ((__u64)hi << 32) | lo;
}

static inline void guest_wrmsr(__u32 msr, __u64 v)
{
	__asm__ __volatile__("wrmsr"
			     : : "c"(msr), "a"((__u32)v), "d"((__u32)(v >> 32))
			     : "memory");
}

#endif /* MSHV_USER_GUEST_H */
