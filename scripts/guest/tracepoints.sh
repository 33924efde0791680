#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side, with mshv_root and mshv_hvsim loaded: the mshv tracepoints
# (TRACE_SYSTEM mshv, issue 4) exist and record one run of hello-guest
# consistently -- one partition created and destroyed, one VP, as many
# run exits as the VMM saw intercepts, every mapped region unmapped.
# TAP 13; exit 0 when every case passed, 4 when it cannot run here.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
tr=/sys/kernel/tracing
[ -d "$tr/events" ] || tr=/sys/kernel/debug/tracing
events=(mshv_create_partition mshv_destroy_partition mshv_hvcall mshv_create_vp
	mshv_run_vp_entry mshv_run_vp_exit mshv_map_memory)

# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/../tap.sh"

count() {	# count EVENT [PATTERN]: trace lines of EVENT matching PATTERN
	grep " $1: " "$tr/trace" | grep -c -- "${2:-}"
}

echo "TAP version 13"
if [ ! -e /dev/mshv ] || [ ! -d "$tr/events/mshv" ]; then
	echo "1..0 # SKIP needs /dev/mshv and tracefs with the mshv events"
	exit 4
fi
echo "1..$((${#events[@]} + 8))"
for e in "${events[@]}"; do
	check "tracepoint mshv:$e exists" test -d "$tr/events/mshv/$e"
done

echo 0 > "$tr/tracing_on"
echo > "$tr/trace"
echo 1 > "$tr/events/mshv/enable"
echo 1 > "$tr/tracing_on"
out=$(build/user/examples/hello-guest -q 2>&1)
rc=$?
echo 0 > "$tr/tracing_on"
echo 0 > "$tr/events/mshv/enable"
while IFS= read -r l; do echo "# $l"; done <<<"$out"
exits=$(sed -n 's/^guest halted after \([0-9]*\) exits$/\1/p' <<<"$out")
for e in "${events[@]}"; do
	echo "# $e: $(count "$e") events"
done
grep -m 3 -E ' mshv_(create_partition|destroy_partition|map_memory):' "$tr/trace" | sed 's/^/# /'
pt=$(grep -m 1 ' mshv_create_partition: ' "$tr/trace" | sed -n 's/.*pt_id=\([0-9]*\).*/\1/p')

check "hello-guest ran to its halt (exit 0, exit count reported)" \
	test "$rc" -eq 0 -a -n "$exits"
check "one mshv_create_partition, ret=0" \
	test "$(count mshv_create_partition) $(count mshv_create_partition 'ret=0$')" = "1 1"
check "one mshv_destroy_partition, for the same pt_id ($pt)" \
	test "$(count mshv_destroy_partition "pt_id=$pt\$") $(count mshv_destroy_partition)" = "1 1"
check "one mshv_create_vp: vp=0 ret=0" \
	test "$(count mshv_create_vp) $(count mshv_create_vp 'vp=0 ret=0$')" = "1 1"
check "mshv_run_vp_entry and mshv_run_vp_exit pair up" \
	test "$(count mshv_run_vp_entry)" = "$(count mshv_run_vp_exit)"
check "run exits with ret=0 == the exits hello-guest reported (${exits:-?})" \
	test "$(count mshv_run_vp_exit 'ret=0$')" = "${exits:-x}"
check "a region mapped (ret=0)" test "$(count mshv_map_memory ' map .*ret=0$')" -ge 1
check "every mapped region unmapped" \
	test "$(count mshv_map_memory ' map .*ret=0$')" = \
	     "$(count mshv_map_memory ' unmap .*ret=0$')"
tap_passed
