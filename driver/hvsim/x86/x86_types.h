/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Type shim for the hvsim x86 interpreter.
 *
 * The interpreter core is built both inside the kernel (as part of
 * mshv_hvsim.ko) and in userspace (unit tests, fuzzer, KVM differential
 * tester).  This is the only header the core includes from outside its own
 * directory: it provides u8..u64, s8..s64, bool and memcpy/memset.
 */
#ifndef _HVSIM_X86_TYPES_H_
#define _HVSIM_X86_TYPES_H_

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif

#endif /* _HVSIM_X86_TYPES_H_ */
