/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Definitions hvsim needs that hv/hv_tlfs*.h does not carry (yet).  Values
 * follow the TLFS; when hv_tlfs*.h gains one of these, drop it here.
 */
#ifndef _HVSIM_TLFS_EXTRA_H_
#define _HVSIM_TLFS_EXTRA_H_

/*
 * Hypervisor version reported in CPUID 0x40000002 / HYPERVISOR_VERSION:
 * a build number inside the range upstream mshv_root accepts
 * (MSHV_HV_MIN_VERSION..MSHV_HV_MAX_VERSION = 27744..27751).
 */
#define HVSIM_HV_BUILD_NUMBER		27751
#define HVSIM_HV_MAJOR			10
#define HVSIM_HV_MINOR			0

/* CPUID 0x40000005: implementation limits. */
#define HVSIM_MAX_VIRTUAL_PROCESSORS	2048
#define HVSIM_MAX_LOGICAL_PROCESSORS	2048

/* Default LAPIC register values (Intel SDM reset state). */
#define HVSIM_LAPIC_VERSION		0x00050014
#define HVSIM_LAPIC_DFR_FLAT		0xffffffff
#define HVSIM_LAPIC_SPURIOUS_RESET	0x000000ff
#define HVSIM_LAPIC_LVT_MASKED		0x00010000

/* Size of the XSAVE area for x87 + SSE: legacy region and XSAVE header. */
#define HVSIM_XSAVE_LEGACY_SIZE		512
#define HVSIM_XSAVE_HEADER_SIZE		64
#define HVSIM_XSAVE_SIZE		(HVSIM_XSAVE_LEGACY_SIZE + HVSIM_XSAVE_HEADER_SIZE)

/* FXSAVE layout offsets used for the default state. */
#define HVSIM_FXSAVE_FCW		0
#define HVSIM_FXSAVE_MXCSR		24
#define HVSIM_FCW_RESET			0x037f
#define HVSIM_MXCSR_RESET		0x00001f80

#endif /* _HVSIM_TLFS_EXTRA_H_ */
