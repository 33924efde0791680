#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest half of scripts/vm-run.sh: runs as PID 1 inside the VM after the
# initramfs (scripts/vm/init) switched to the host root.  Not for the host.
#
# Reads the job vm-run.sh wrote to $vmrun_out/job.sh (VM_REPO, VM_NAME,
# VM_INSMOD[], VM_INSMOD_PARAMS[], VM_CMD[]), then:
#   - insmods each module in order (a failing insmod is a failed case, and
#     the command is then not run);
#   - runs the command as root in VM_REPO, stdin /dev/null, VM_RUN_DIR set;
#     its stdout+stderr go to $vmrun_out/cmd.out and, indented by four
#     spaces (a nested subtest), to the console;
#   - ends whatever the command left running, reads the kernel taint,
#     saves dmesg to $vmrun_out/dmesg.txt;
#   - prints TAP 13 on the console and powers the VM off.
# The facts the host judges are appended to $vmrun_out/result, one line
# each: "insmod I RC", "cmd RC" or "cmd notrun", "taint VALUE", "done UPTIME".
# The console TAP is for people reading console.log; the host never parses
# it.  Only bash builtins and the initramfs's static busybox (copied to
# /run/vm/busybox) are used: every exec of a host binary over 9p costs about
# 0.2 s under TCG.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

case "${1:-}" in
-h|--help) usage; exit 0 ;;
esac
if [ "$$" -ne 1 ] || [ -z "${vmrun_out:-}" ]; then
	echo "guest-run.sh: only runs as PID 1 inside the VM (see scripts/vm-run.sh)" >&2
	exit 2
fi

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C.UTF-8 TERM=dumb
out=$vmrun_out
results="$out/result"
bb=/run/vm/busybox
finished=0

# shellcheck disable=SC2317  # reached through the EXIT trap
power_off() {
	# sysrq 'o' needs no userspace; the host's poweroff is systemctl,
	# useless without systemd, hence busybox as the fallback.
	"$bb" sync
	echo o >/proc/sysrq-trigger 2>/dev/null || true
	"$bb" sleep 5
	"$bb" poweroff -f
	"$bb" sleep 30
}

# PID 1 must never just exit (the kernel would panic): always end by
# powering off, and say so if the script stopped early.
# shellcheck disable=SC2317
on_exit() {
	local rc=$?
	if [ "$finished" -ne 1 ]; then
		echo "vm-guest: FAIL harness aborted (status $rc)"
		echo "aborted $rc" >>"$results" 2>/dev/null || true
	fi
	power_off
}
trap on_exit EXIT

record() {
	echo "$*" >>"$results"
}

uptime_s() {
	local up _
	read -r up _ </proc/uptime
	echo "$up"
}

# Processes the command left behind: every user process except PID 1 and
# the output readers (kernel threads and zombies have an empty cmdline).
# Their pids go to $left_pids, their names to $left.
keep_pids=" 1 "
leftovers() {
	local d pid arg
	left="" left_pids=""
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[[ "$keep_pids" != *" $pid "* ]] || continue
		arg=""
		IFS= read -r -d '' arg 2>/dev/null <"$d/cmdline" || true
		[ -n "$arg" ] || continue
		left+=" ${arg##*/}"
		left_pids+=" $pid"
	done
	[ -n "$left" ]
}

n=0
tap() {		# tap ok|notok|skip DESCRIPTION...
	local verdict=$1
	shift
	n=$((n + 1))
	case "$verdict" in
	ok) echo "ok $n - $*" ;;
	skip) echo "ok $n - $* # SKIP" ;;
	*) echo "not ok $n - $*" ;;
	esac
}

# shellcheck source=/dev/null
. "$out/job.sh"

read -r osrelease </proc/sys/kernel/osrelease
read -r cpus </sys/devices/system/cpu/online
echo "TAP version 13"
echo "1..$((${#VM_INSMOD[@]} + 2))"
echo "# vm-guest: $VM_NAME on $osrelease, cpus $cpus, userspace at $(uptime_s) s"
record "boot $(uptime_s)"

# --- modules ----------------------------------------------------------------
insmod_failed=0
for i in "${!VM_INSMOD[@]}"; do
	ko=${VM_INSMOD[$i]}
	set -f	# parameters are split on blanks, never globbed
	# shellcheck disable=SC2206
	params=(${VM_INSMOD_PARAMS[$i]})
	set +f
	# busybox insmod for plain .ko files (static, fast); kmod's for
	# compressed ones.
	loader=("$bb" insmod)
	[[ "$ko" == *.ko ]] || loader=(insmod)
	rc=0
	"${loader[@]}" "$ko" "${params[@]}" >"$out/insmod.$i.log" 2>&1 || rc=$?
	record "insmod $i $rc"
	if [ "$rc" -eq 0 ]; then
		tap ok "insmod ${ko##*/} ${params[*]}"
	else
		insmod_failed=1
		tap notok "insmod ${ko##*/} ${params[*]} (exit $rc)"
		while IFS= read -r line; do
			echo "# $line"
		done <"$out/insmod.$i.log"
	fi
done

# --- the command --------------------------------------------------------------
if [ "$insmod_failed" -eq 1 ]; then
	record "cmd notrun"
	tap skip "command not run: an insmod failed"
else
	cd "$VM_REPO"
	export VM_RUN_DIR="$out" VM_NAME
	# Two readers: tee keeps an exact copy on the share, awk shows the
	# output indented on the console as it comes.  The command itself
	# runs in the foreground.
	"$bb" mkfifo /run/vm/cmd.fifo /run/vm/console.fifo
	"$bb" tee "$out/cmd.out" </run/vm/cmd.fifo >/run/vm/console.fifo &
	keep_pids+="$! "
	# shellcheck disable=SC2016  # awk program, not shell
	"$bb" awk '{ print "    " $0; fflush() }' </run/vm/console.fifo &
	reader=$!
	keep_pids+="$reader "
	rc=0
	"${VM_CMD[@]}" </dev/null >/run/vm/cmd.fifo 2>&1 || rc=$?
	# End what the command left running (it may hold the pipe open), then
	# let the readers drain it; kill -1 as the last resort.
	if leftovers; then
		echo "# vm-guest: ending what the command left running:$left"
		# shellcheck disable=SC2086
		kill -TERM $left_pids 2>/dev/null || true
		for ((t = 0; t < 10; t++)); do
			leftovers || break
			"$bb" usleep 100000
		done
		# shellcheck disable=SC2086
		[ -z "$left_pids" ] || kill -KILL $left_pids 2>/dev/null || true
	fi
	for ((t = 0; t < 30; t++)); do
		kill -0 "$reader" 2>/dev/null || break
		"$bb" usleep 100000
	done
	kill -KILL -1 2>/dev/null || true
	wait 2>/dev/null || true
	cd /
	record "cmd $rc"
	case "$rc" in
	0) tap ok "command exit status 0" ;;
	4) tap skip "command exit status 4" ;;
	*) tap notok "command exit status $rc" ;;
	esac
fi

# --- kernel state afterwards ------------------------------------------------
read -r taint </proc/sys/kernel/tainted
record "taint $taint"
# W = bit 9 (a WARN fired), D = bit 7 (an oops happened).
if [ $((taint & (1 << 9 | 1 << 7))) -eq 0 ]; then
	tap ok "kernel taint $taint has no W or D"
else
	tap notok "kernel taint $taint has W or D"
fi

"$bb" dmesg >"$out/dmesg.txt" 2>&1 || true
record "done $(uptime_s)"
echo "# vm-guest: done at $(uptime_s) s"
finished=1
exit 0
