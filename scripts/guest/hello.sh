#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side: run the hello-guest example VMM on /dev/mshv and check what
# it reports -- the guest's line through port 0x3f8, then a halt.  TAP.
set -uo pipefail

# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/../tap.sh"

echo "TAP version 13"
echo "1..3"
out=$(build/user/examples/hello-guest "$@" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "hello-guest exits 0" test "$rc" -eq 0
check "the guest's line arrived through the serial port" \
	grep -q '^guest printed: Hello, world from a real-mode guest on /dev/mshv!$' <<<"$out"
check "the guest halted" grep -qE '^guest halted after [0-9]+ exits$' <<<"$out"
tap_passed
