#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prove that scripts/vm-run.sh tells passing runs from failing ones (TAP 13).
#
# Usage: scripts/vm/selftest.sh [--kernel KVER]
#
# Boots about fifteen short VMs (about a minute under TCG): a passing and a
# failing command, a hang cut off by --timeout, exit status 4 as a skip,
# nested TAP counting, command output that merely looks like a kernel
# warning, the guest environment (cwd, results share, debugfs, devpts), a
# process the command leaves running, and the harness test module
# scripts/vm/testmod (built against /lib/modules/KVER/build into
# build/vm/testmod/) loaded cleanly (mode=0), with a WARN_ON (mode=1), with
# a NULL dereference (mode=2) and with a bad parameter.  Each vm-run output
# is kept in build/vm/selftest/CASE.tap and shown as comments when its case
# fails.  All cases always run.  The last line reads
# "selftest: N passed, N failed"; exit status 0 iff all passed.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vmrun="$repo/scripts/vm-run.sh"
outdir="$repo/build/vm/selftest"
moddir="$repo/build/vm/testmod"

kver=""
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kver=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] || kver=$("$repo/scripts/vm/kver.sh" --quiet)

total=14
n=0
failed=0
echo "TAP version 13"
echo "1..$total"
echo "# selftest: kernel $kver"

# verdict OK DESCRIPTION [LOGFILE]: one TAP case; the log is shown on failure.
verdict() {
	n=$((n + 1))
	if [ "$1" -eq 1 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -z "${3:-}" ] || sed 's/^/#   /' "$3" || true
	fi
}

# vm CASE [vm-run options] -- COMMAND...: run one VM, leave its exit status
# in $rc, its TAP in $log and its last line (the counts) in $counts.
vm() {
	local name=$1
	shift
	log="$outdir/$name.tap"
	mkdir -p "$outdir"
	rc=0
	"$vmrun" --kernel "$kver" --name "selftest-$name" "$@" >"$log" 2>&1 || rc=$?
	counts=$(grep '^# vm-run: PASS=' "$log" | tail -n 1 || true)
	counts=${counts#\# vm-run: }
}

# has PATTERN: does the last run's TAP contain a line matching the ERE?
has() {
	grep -Eq "$1" "$log"
}

mkdir -p "$outdir"

vm true -- true
verdict "$([ "$rc" -eq 0 ] && [ "$counts" = "PASS=4 FAIL=0 SKIP=0" ] && echo 1 || echo 0)" \
	"'-- true' passes (rc $rc, $counts)" "$log"

vm false -- false
verdict "$([ "$rc" -eq 1 ] && has '^not ok [0-9]+ - command: false \(exit status 1\)' && echo 1 || echo 0)" \
	"'-- false' fails (rc $rc, $counts)" "$log"

start=$SECONDS
vm hang --timeout 15 -- sleep 600
took=$((SECONDS - start))
verdict "$([ "$rc" -eq 1 ] && [ "$took" -lt 60 ] &&
	has '^not ok [0-9]+ - VM did not finish within the timeout of 15 s' && echo 1 || echo 0)" \
	"a hanging command is stopped by --timeout 15 and fails (rc $rc, ${took} s)" "$log"

vm skip -- bash -c 'echo "1..0 # SKIP nothing to do here"; exit 4'
verdict "$([ "$rc" -eq 0 ] && [ "$counts" = "PASS=3 FAIL=0 SKIP=1" ] &&
	has '^ok [0-9]+ - command: .*\(exit status 4\) # SKIP$' && echo 1 || echo 0)" \
	"exit status 4 is reported as a skip and passes (rc $rc, $counts)" "$log"

vm nested -- printf '%s\n' 'TAP version 13' '1..4' 'ok 1 - first' \
	'not ok 2 - known bug # TODO later' 'ok 3 - optional # SKIP absent' 'not ok 4 - broken'
verdict "$([ "$rc" -eq 1 ] && [ "$counts" = "PASS=4 FAIL=2 SKIP=2" ] &&
	has '^    not ok 4 - broken$' &&
	has '^not ok [0-9]+ - command: .*1 of its TAP cases failed\)$' && echo 1 || echo 0)" \
	"nested TAP is indented, counted, and its failure fails the command (rc $rc, $counts)" "$log"

vm lookalike -- echo "WARNING: printed by the command, not by the kernel; Call Trace:"
verdict "$([ "$rc" -eq 0 ] && echo 1 || echo 0)" \
	"command output that looks like a kernel warning is not mistaken for one (rc $rc)" "$log"

rm -f "$repo/build/vm/run-selftest-env/probe"
# shellcheck disable=SC2016  # expanded by the guest's bash
vm env -- bash -c '
	set -e
	[ "$PWD" = "'"$repo"'" ]
	[ "$(id -u)" = 0 ]
	grep -q " /sys/kernel/debug debugfs " /proc/mounts
	grep -q " /dev/pts devpts " /proc/mounts
	grep -q " /dev/shm tmpfs " /proc/mounts
	touch /etc/vm-selftest-scratch
	echo hello >"$VM_RUN_DIR/probe"'
verdict "$([ "$rc" -eq 0 ] && [ "$(cat "$repo/build/vm/run-selftest-env/probe" 2>/dev/null)" = hello ] &&
	! [ -e /etc/vm-selftest-scratch ] && echo 1 || echo 0)" \
	"guest: root, cwd = repo, debugfs/devpts/shm, writable overlay, results share (rc $rc)" "$log"

start=$SECONDS
vm leftover --timeout 60 -- bash -c 'sleep 1000 & echo "started a straggler"'
took=$((SECONDS - start))
verdict "$([ "$rc" -eq 0 ] && echo 1 || echo 0)" \
	"a process the command leaves running is ended, the run passes (rc $rc, ${took} s)" "$log"

# --- the test module ----------------------------------------------------------
mkdir -p "$moddir"
for f in Kbuild vm_testmod.c; do
	cmp -s "$repo/scripts/vm/testmod/$f" "$moddir/$f" ||
		cp "$repo/scripts/vm/testmod/$f" "$moddir/$f"
done
rc=0
make -C "/lib/modules/$kver/build" M="$moddir" modules >"$outdir/testmod-build.log" 2>&1 || rc=$?
ko="$moddir/vm_testmod.ko"
log="$outdir/testmod-build.log"
verdict "$([ "$rc" -eq 0 ] && [ -f "$ko" ] && echo 1 || echo 0)" \
	"test module builds against /lib/modules/$kver/build (rc $rc)" "$log"

if [ -f "$ko" ]; then
	vm mod0 --insmod "$ko:mode=0" -- true
	verdict "$([ "$rc" -eq 0 ] && [ "$counts" = "PASS=5 FAIL=0 SKIP=0" ] && echo 1 || echo 0)" \
		"mode=0 loads cleanly and passes (rc $rc, $counts)" "$log"

	vm mod1 --insmod "$ko:mode=1" -- true
	verdict "$([ "$rc" -eq 1 ] &&
		has '^not ok [0-9]+ - kernel tainted with W or D' &&
		has '^not ok [0-9]+ - kernel BUG/Oops/WARNING' && echo 1 || echo 0)" \
		"mode=1 (WARN_ON) fails on taint and on the log (rc $rc, $counts)" "$log"

	vm mod2 --insmod "$ko:mode=2" -- true
	verdict "$([ "$rc" -eq 1 ] &&
		has '^not ok 1 - insmod .*no result' &&
		has '^not ok [0-9]+ - kernel BUG/Oops/WARNING' && echo 1 || echo 0)" \
		"mode=2 (NULL dereference, oops=panic) fails (rc $rc, $counts)" "$log"

	vm badparam --insmod "$ko:mode=7" -- true
	verdict "$([ "$rc" -eq 1 ] && has '^not ok 1 - insmod .*mode=7 \(exit' &&
		has '^ok 2 - command: true \(not run: an insmod failed\) # SKIP' && echo 1 || echo 0)" \
		"a failing insmod fails and the command is not run (rc $rc, $counts)" "$log"
else
	for what in mode=0 mode=1 mode=2 "bad parameter"; do
		verdict 0 "test module $what: module not built"
	done
fi

# Last: the timing of a trivial run, for the record.
vm timing -- true
verdict "$([ "$rc" -eq 0 ] && echo 1 || echo 0)" \
	"$(grep '^# vm-run: boot-to-result' "$log" | sed 's/^# vm-run: //')" "$log"

[ "$n" -eq "$total" ] || echo "# selftest: planned $total cases, ran $n"
echo "selftest: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$n" -eq "$total" ]
