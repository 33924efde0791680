/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kselftest_harness.h for the mshv selftests.  Include this (once per test
 * binary) instead of the harness itself: before any test is registered it
 * checks /dev/mshv and, when the device is absent or not accessible, prints
 * a TAP skip plan and exits with KSFT_SKIP (4), so every binary skips
 * cleanly on kernels and hosts without mshv.
 */
#ifndef SELFTEST_MSHV_TEST_HARNESS_H
#define SELFTEST_MSHV_TEST_HARNESS_H

#include "kselftest_harness.h"
#include "mshv_util.h"

static void __attribute__((constructor(101))) mshv_selftest_require_dev(void)
{
	int err;

	if (!mshv_dev_usable(&err)) {
		ksft_print_header();
		ksft_exit_skip("%s: %s (%s)\n", MSHV_DEV_PATH, strerror(err),
			       "mshv_root not loaded, or not a Microsoft Hypervisor root/L1VH partition");
	}
}

#endif /* SELFTEST_MSHV_TEST_HARNESS_H */
