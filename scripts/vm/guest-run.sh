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

# Any user process other than PID 1 alive?  Kernel threads and zombies have
# an empty cmdline.  Their names are left in $left.
leftovers() {
	local d arg
	left=""
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" != 1 ] || continue
		arg=""
		IFS= read -r -d '' arg <"$d/cmdline" 2>/dev/null || true
		[ -z "$arg" ] || left+=" ${arg##*/}"
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
	fifo=/run/vm/cmd.fifo
	"$bb" mkfifo "$fifo"
	# The reader keeps an exact copy on the share and shows the output,
	# indented, on the console as it comes.  The command itself runs in
	# the foreground.
	"$bb" tee "$out/cmd.out" <"$fifo" |
		"$bb" awk '{ print "    " $0; fflush() }' &
	reader=$!
	rc=0
	"${VM_CMD[@]}" </dev/null >"$fifo" 2>&1 || rc=$?
	# The reader ends at EOF unless something the command started still
	# holds the pipe.  Give it 3 s, then end every leftover process
	# (kill -1 from PID 1 reaches everything but PID 1 and kernel threads).
	for ((t = 0; t < 30; t++)); do
		kill -0 "$reader" 2>/dev/null || break
		"$bb" usleep 100000
	done
	if leftovers; then
		echo "# vm-guest: ending what the command left running:$left"
		kill -TERM -1 2>/dev/null || true
		for ((t = 0; t < 10; t++)); do
			leftovers || break
			"$bb" usleep 100000
		done
		kill -KILL -1 2>/dev/null || true
	fi
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
