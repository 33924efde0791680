#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side (run by scripts/vm-run.sh after it loaded driver/mshv_root.ko):
# the module loads without a hypervisor, says why /dev/mshv is absent, and
# unloads and reloads cleanly.  TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/../tap.sh"

echo "TAP version 13"
echo "1..5"
check "mshv_root is loaded" grep -q '^mshv_root ' /proc/modules
line=$(dmesg | grep 'mshv_root: mshv-dkms' | tail -n 1)
echo "# $line"
check "load message names the partition kind" \
	grep -q 'no Microsoft Hypervisor\|guest without\|root partition\|L1VH' <<<"$line"
check "/dev/mshv absent without a backend" test ! -e /dev/mshv
check "rmmod mshv_root" rmmod mshv_root
reload_ok=true
for _ in 1 2 3; do
	insmod "$top/driver/mshv_root.ko" && rmmod mshv_root || reload_ok=false
done
check "three insmod/rmmod cycles" $reload_ok
tap_passed
