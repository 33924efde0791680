/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Include the x86 interpreter's interface (x86/x86_core.h) into a file that
 * also sees the kernel's x86 headers.
 *
 * Two names clash: the kernel's global 'struct x86_init_ops x86_init' and
 * the core's x86_init() function, and the X86_CR0_* / X86_CR4_* macros that
 * both define (same values, different spelling).  The core's objects are
 * built with -Dx86_init=hvsim_x86_core_init (Kbuild), so here the function
 * is declared under that name; the kernel's macro definitions are dropped
 * in favour of the core's identical values.
 */
#ifndef _HVSIM_X86_H_
#define _HVSIM_X86_H_

#include <asm/processor-flags.h>
#include <asm/x86_init.h>

#undef X86_CR0_PE
#undef X86_CR0_MP
#undef X86_CR0_EM
#undef X86_CR0_TS
#undef X86_CR0_ET
#undef X86_CR0_NE
#undef X86_CR0_WP
#undef X86_CR0_AM
#undef X86_CR0_NW
#undef X86_CR0_CD
#undef X86_CR0_PG
#undef X86_CR4_PSE
#undef X86_CR4_PAE
#undef X86_CR4_PGE

#define x86_init hvsim_x86_core_init
#include "x86/x86_core.h"
#undef x86_init

#endif /* _HVSIM_X86_H_ */
