#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Judge one finished scripts/vm-run.sh run and print its TAP 13 report.
#
# Usage: scripts/vm/report.sh RUN_DIR
#
# Reads RUN_DIR/job.sh (what was asked), RUN_DIR/result (what the guest
# recorded), cmd.out (the command's output), console.log, dmesg.txt and
# host.status (QEMU's exit status and timings).  A case whose result the
# guest never recorded (it crashed or hung first) fails.  The command's
# output is nested four spaces deep as a subtest; its top-level "ok" and
# "not ok" lines are counted too ("# SKIP" as skip, "not ok ... # TODO" as
# skip), and a failed one fails the command's case even if it exited 0.  The last stdout line is "# vm-run: PASS=N FAIL=N SKIP=N".
# Exit status 0 if no case failed, else 1.  vm-run.sh calls this; it can
# be rerun by hand on a kept run directory.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

case "${1:-}" in
-h|--help) usage; exit 0 ;;
'') usage >&2; exit 2 ;;
esac
run=$1
if ! [ -f "$run/job.sh" ] || ! [ -f "$run/host.status" ]; then
	echo "report: $run is not a finished vm-run directory" >&2
	exit 2
fi

# shellcheck source=/dev/null
. "$run/job.sh"
qemu_rc="" timeout_s="" elapsed_ms="" prep_ms=""
while IFS='=' read -r key value; do
	case "$key" in
	qemu_rc|timeout_s|elapsed_ms|prep_ms) printf -v "$key" '%s' "$value" ;;
	esac
done <"$run/host.status"

# Guest facts: "insmod I RC", "cmd RC|notrun", "taint V", "done T".
declare -A insmod_rc=()
cmd_rc="" taint="" done_at="" aborted=""
if [ -f "$run/result" ]; then
	while read -r key a b; do
		case "$key" in
		insmod) insmod_rc[$a]=$b ;;
		cmd) cmd_rc=$a ;;
		taint) taint=$a ;;
		done) done_at=$a ;;
		aborted) aborted=$a ;;
		esac
	done <"$run/result"
fi

pass=0 fail=0 skip=0
lines=()
case_() {	# case_ ok|notok|skip DESCRIPTION
	local verdict=$1 text=${2//#/\\#}
	local num=$((${#lines[@]} + 1))
	case "$verdict" in
	ok) pass=$((pass + 1)); lines+=("ok $num - $text") ;;
	skip) skip=$((skip + 1)); lines+=("ok $num - $text # SKIP") ;;
	*) fail=$((fail + 1)); lines+=("not ok $num - $text") ;;
	esac
}
note() {	# a comment attached after the last case
	lines[-1]+=$'\n'"# $*"
}

died="no result: the guest died or hung before this"

for i in "${!VM_INSMOD[@]}"; do
	what="insmod ${VM_INSMOD[$i]}${VM_INSMOD_PARAMS[$i]:+ ${VM_INSMOD_PARAMS[$i]}}"
	rc=${insmod_rc[$i]:-}
	if [ "$rc" = 0 ]; then
		case_ ok "$what"
	elif [ -n "$rc" ]; then
		case_ notok "$what (exit $rc)"
		while IFS= read -r l; do note "$l"; done < <(head -n 5 "$run/insmod.$i.log" 2>/dev/null)
	else
		case_ notok "$what ($died)"
	fi
done

# The command's output, nested; its own top-level cases are counted.
nested="" nf=0
if [ -s "$run/cmd.out" ]; then
	nested=$(sed 's/^/    /' "$run/cmd.out")
	read -r np nf ns < <(awk '
		/^(not )?ok([ \t]|$)/ {
			directive = tolower($0)
			if (directive ~ /#[ \t]*skip/) s++
			else if ($1 == "not" && directive ~ /#[ \t]*todo/) s++
			else if ($1 == "not") f++
			else p++
		}
		END { print p + 0, f + 0, s + 0 }' "$run/cmd.out")
	pass=$((pass + np)) fail=$((fail + nf)) skip=$((skip + ns))
fi
# The command as a shell would read it, shortened for a TAP description.
shown=""
for word in "${VM_CMD[@]}"; do
	if [[ "$word" =~ ^[A-Za-z0-9_./=:,+@%-]+$ ]]; then
		shown+=" $word"
	else
		shown+=" '${word//\'/\'\\\'\'}'"
	fi
done
shown=${shown# }
[ "${#shown}" -le 100 ] || shown="${shown:0:97}..."
what="command: $shown"
nested_failed=""
[ "${nf:-0}" -eq 0 ] || nested_failed=", but $nf of its TAP cases failed"
case "$cmd_rc" in
0|4)	if [ -n "$nested_failed" ]; then
		case_ notok "$what (exit status $cmd_rc$nested_failed)"
	elif [ "$cmd_rc" = 0 ]; then
		case_ ok "$what"
	else
		case_ skip "$what (exit status 4)"
	fi ;;
notrun) case_ skip "$what (not run: an insmod failed)" ;;
'') case_ notok "$what ($died)" ;;
*) case_ notok "$what (exit status $cmd_rc)" ;;
esac
[ -z "$nested" ] || lines[-1]="    # Subtest: command"$'\n'"$nested"$'\n'"${lines[-1]}"

taint_letters() {	# flags as in Documentation/admin-guide/tainted-kernels.rst
	local v=$1 flags=PFSRMBUDAWCIOELKXTN out="" bit
	for ((bit = 0; bit < ${#flags}; bit++)); do
		((v >> bit & 1)) && out+=${flags:bit:1}
	done
	echo "${out:--}"
}
if [[ "$taint" =~ ^[0-9]+$ ]]; then
	if ((taint & (1 << 9 | 1 << 7))); then
		case_ notok "kernel tainted with W or D after the command (tainted=$taint $(taint_letters "$taint"))"
	else
		case_ ok "kernel not tainted with W or D (tainted=$taint $(taint_letters "$taint"))"
	fi
else
	case_ notok "kernel not tainted with W or D ($died)"
fi

# Kernel messages: console lines carrying a printk timestamp (anywhere in
# the line, as printk may land in the middle of user output), plus the
# dmesg the guest saved.  Without any timestamps on the console, every
# line not indented as command output is checked.
bad_re='(BUG:|kernel BUG at|Oops|WARNING:|Kernel panic|Call Trace|general protection fault|Unable to handle kernel|UBSAN:|KASAN:|KFENCE:)'
stamp_re='\[ *[0-9]+\.[0-9]+\] '
hits=$( {
	if [ -f "$run/console.log" ]; then
		if grep -Eq "$stamp_re" "$run/console.log"; then
			grep -aE "$stamp_re.*$bad_re" "$run/console.log" || true
		else
			grep -avE '^    ' "$run/console.log" | grep -aE "$bad_re" || true
		fi
	fi
	[ ! -f "$run/dmesg.txt" ] || grep -aE "$bad_re" "$run/dmesg.txt" || true
} | tr -d '\r' | awk '!seen[$0]++' )
if [ -z "$hits" ]; then
	case_ ok "no kernel BUG/Oops/WARNING/panic/Call Trace in the log"
else
	case_ notok "kernel BUG/Oops/WARNING/panic/Call Trace in the log"
	while IFS= read -r l; do note "$l"; done < <(head -n 8 <<<"$hits")
fi

secs() {
	awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'
}
case "$qemu_rc" in
124|137) case_ notok "VM did not finish within the timeout of $timeout_s s" ;;
0) case_ ok "VM finished before timeout ($(secs "$elapsed_ms") s of $timeout_s s)" ;;
*) case_ notok "VM finished before timeout, but QEMU exited with status $qemu_rc" ;;
esac

# --- print -------------------------------------------------------------------
echo "TAP version 13"
echo "1..${#lines[@]}"
echo "# vm-run: $VM_NAME on $VM_KVER: $shown"
printf '%s\n' "${lines[@]}"
if [ -n "$aborted" ]; then
	echo "# vm-run: the guest harness aborted with status $aborted"
fi
grep -a '^vm-init: FAIL' "$run/console.log" 2>/dev/null | sed 's/^/# /' || true
if [ "$qemu_rc" != 0 ] && [ -s "$run/qemu.log" ]; then
	sed 's/^/# qemu: /' "$run/qemu.log" | head -n 10
fi
if [ "$fail" -gt 0 ]; then
	echo "# vm-run: FAILED; console log: $run/console.log (last 40 lines:)"
	tail -n 40 "$run/console.log" 2>/dev/null | tr -d '\r' | sed 's/^/# | /' || true
fi
guest=""
[ -z "$done_at" ] || guest=", guest done at ${done_at} s uptime"
echo "# vm-run: boot-to-result $(secs "$elapsed_ms") s$guest (kernel/initramfs prep $(secs "$prep_ms") s)"
echo "# vm-run: PASS=$pass FAIL=$fail SKIP=$skip"
[ "$fail" -eq 0 ]
