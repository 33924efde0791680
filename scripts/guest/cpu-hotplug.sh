#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side, with mshv_root and mshv_hvsim loaded and at least 2 CPUs
# (scripts/vm-run.sh --smp 2): CPU 1 goes offline and comes back, and
# /dev/mshv keeps working on both CPUs -- the per-CPU SINT interrupt is
# reprogrammed when a CPU comes online (issue 4, SynIC and interrupts).
#   cpu-hotplug.sh [MSHV-RUN ARGS...]   (default: a quick subset)
# TAP 13; exit 0 when every case passed, 4 when it cannot run here.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
params=/sys/module/mshv_root/parameters
cpu1=/sys/devices/system/cpu/cpu1/online
run=build/user/runner/mshv-run
[ $# -gt 0 ] || set -- lifecycle_test x86/intercept_test x86/guest_code_test

# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/../tap.sh"

sint_lines() {
	grep 'mshv_sint' /proc/interrupts | sed 's/^/# /'
}

# mshv_sint interrupts CPU 1 has taken (column 3 of /proc/interrupts).
cpu1_sint_irqs() {
	awk '/mshv_sint/ { s += $3 } END { print s + 0 }' /proc/interrupts
}

# Run a command pinned to one CPU; its output becomes TAP comments.
on_cpu() {	# on_cpu CPU CMD...
	local cpu=$1 out rc
	shift
	out=$(taskset -c "$cpu" "$@" 2>&1)
	rc=$?
	grep -E '^(not ok|#     )|passed, .* failed' <<<"$out" | sed 's/^/# cpu'"$cpu"': /'
	return $rc
}

echo "TAP version 13"
if [ ! -e /dev/mshv ] || [ ! -w "$cpu1" ]; then
	echo "1..0 # SKIP needs /dev/mshv and a hotpluggable CPU 1 (vm-run.sh --smp 2)"
	exit 4
fi
echo "1..10"
nsint=$(grep -c mshv_sint /proc/interrupts)
echo "# mshv_sint interrupts before: $nsint"
sint_lines
check "mshv has a SINT interrupt per CPU ($(nproc --all) CPUs)" test "$nsint" -eq "$(nproc --all)"
check "CPU 1 offline" sh -c "echo 0 > $cpu1"
sint_lines
check "selftests on CPU 0 with CPU 1 offline" on_cpu 0 "$run" "$@"
check "hello-guest on CPU 0 with CPU 1 offline" on_cpu 0 build/user/examples/hello-guest -q
check "CPU 1 online again" sh -c "echo 1 > $cpu1"
sint_lines
check "the SINT interrupts are still there after the CPU came back" \
	test "$(grep -c mshv_sint /proc/interrupts)" -eq "$nsint"
cpu1_irqs0=$(cpu1_sint_irqs)
check "selftests on CPU 1 after it came back online" on_cpu 1 "$run" "$@"
cpu1_irqs=$(( $(cpu1_sint_irqs) - cpu1_irqs0 ))
sint_lines
echo "# SINT interrupts taken by CPU 1 while the tests ran there: $cpu1_irqs"
sched=$(cat /sys/module/mshv_hvsim/parameters/scheduler 2>/dev/null)
if [ "$sched" = core ]; then
	check "CPU 1 took SINT interrupts (hypervisor scheduler) after coming back" \
		test "$cpu1_irqs" -gt 0
else
	skip "CPU 1 took SINT interrupts after coming back" \
		"scheduler '$sched' returns intercepts from HvDispatchVp"
fi
check "hello-guest on CPU 1 after it came back online" on_cpu 1 build/user/examples/hello-guest -q
echo "# mshv_root: pinned_pages $(cat $params/pinned_pages)" \
	"deposited_pages $(cat $params/deposited_pages)"
check "mshv_root pinned_pages and deposited_pages are 0" \
	test "$(cat $params/pinned_pages) $(cat $params/deposited_pages)" = "0 0"
tap_passed
