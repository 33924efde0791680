#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run inside the test VM with mshv_root and mshv_hvsim loaded:
#   hvsim-selftests.sh [-a] [-r MAX_REPS] [-o OOM_EVERY] [-s OOM_STATUS] [-f CODE:NTH:STATUS] TEST...
# -a: HvSetPartitionProperty completes asynchronously (CALL_PENDING + message).
# Sets hvsim's fault injection, runs each selftest binary, and afterwards
# checks hvsim's counters: no child partition left, no GPA page mapped, no
# page held outside the parent's own pool, no message dropped.
# Output is TAP 13; exit status 0 when every case passed.

dbg=/sys/kernel/debug/mshv_hvsim
max_reps=0
oom_every=0
oom_status=0xb
async=0
fail=

while getopts ar:o:s:f: opt; do
	case $opt in
	a) async=1 ;;
	r) max_reps=$OPTARG ;;
	o) oom_every=$OPTARG ;;
	s) oom_status=$OPTARG ;;
	f) fail=$OPTARG ;;
	*) echo "usage: $0 [-a] [-r N] [-o N] [-s STATUS] [-f CODE:NTH:STATUS] TEST..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ ! -d "$dbg" ]; then
	echo "1..0 # SKIP mshv_hvsim not loaded"
	exit 4
fi

counter() {
	awk -v k="$1" '$1 == k { print $2 }' "$dbg/counters"
}

echo "TAP version 13"
echo "1..$(($# + 4))"
echo "$max_reps" > "$dbg/inject/max_reps"
echo "$oom_every" > "$dbg/inject/oom_every"
echo "$oom_status" > "$dbg/inject/oom_status"
echo "$async" > "$dbg/inject/async_set_property"
if [ -n "$fail" ]; then
	echo "${fail%%:*}" > "$dbg/inject/fail_code"
	rest=${fail#*:}
	echo "${rest%%:*}" > "$dbg/inject/fail_nth"
	echo "${rest#*:}" > "$dbg/inject/fail_status"
fi
echo "# inject: max_reps=$max_reps oom_every=$oom_every oom_status=$oom_status async=$async fail=${fail:-none}"

n=0
rc=0
for t in "$@"; do
	n=$((n + 1))
	out=$("$t" 2>&1)
	st=$?
	echo "$out" | sed 's/^/    /'
	if [ $st -eq 0 ] || [ $st -eq 4 ]; then
		echo "ok $n - $t"
	else
		echo "not ok $n - $t (exit $st)"
		rc=1
	fi
done

echo 0 > "$dbg/inject/max_reps"
echo 0 > "$dbg/inject/oom_every"
echo 0xb > "$dbg/inject/oom_status"
echo 0 > "$dbg/inject/async_set_property"
echo 0 > "$dbg/inject/fail_nth"
sed 's/^/# /' "$dbg/counters"

check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1 is $3"
	else
		echo "not ok $n - $1 is $2, expected $3"
		rc=1
	fi
}

held=$(counter pages_held)
root=$(counter pages_held_root)
check "child partitions left" "$(counter children)" 0
check "GPA pages mapped (4k + 2m)" "$(($(counter gpa_pages_4k) + $(counter gpa_pages_2m)))" 0
check "pages held outside the parent pool" "$((held - root))" 0
check "messages dropped" "$(counter messages_dropped)" 0
exit $rc
