#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side, with mshv_root and mshv_hvsim loaded:
#   selftests-with-leak-check.sh [-r MAX_REPS] [-o OOM_EVERY] [-s OOM_STATUS]
#                                [-f CODE:NTH:STATUS] [--] [MSHV-RUN ARGS...]
# Runs build/user/runner/mshv-run (all selftests, or the subset the
# arguments name) through driver/hvsim/tests/hvsim-selftests.sh, which sets
# hvsim's fault injection (-r/-o/-s/-f, e.g. -r 1 -o 7: one rep per call and
# every 7th page charge failing with INSUFFICIENT_MEMORY) and afterwards
# checks that hvsim has no child partition, no GPA page mapped, no page held
# outside the parent's own pool and no message dropped.  Then mshv_root's
# own counters: pinned_pages and deposited_pages must read 0.
#
# Each test program runs on its own, and the leak checks follow each one.
# Output is one TAP 13 stream: per program its cases, "exit status 0 or
# 4", hvsim's leak checks and the driver's, all renumbered (the plan comes
# last, as mshv-run prints it).  Exit 0 when every case passed, 4 when
# hvsim is not loaded.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
params=/sys/module/mshv_root/parameters

opts=()
while getopts r:o:s:f: opt; do
	case $opt in
	r|o|s|f) opts+=("-$opt" "$OPTARG") ;;
	*)
		echo "usage: $0 [-r N] [-o N] [-s STATUS] [-f CODE:NTH:STATUS]" \
			"[--] [MSHV-RUN ARGS...]" >&2
		exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ ! -d /sys/kernel/debug/mshv_hvsim ] || [ ! -d "$params" ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP mshv_root with mshv_hvsim not loaded" \
		"(debugfs: /sys/kernel/debug/mshv_hvsim)"
	exit 4
fi

# mshv-run's options, and the programs its patterns select.
runopts=()
patterns=()
while [ $# -gt 0 ]; do
	case $1 in
	-d|--dir|-t|--timeout|--repo) runopts+=("$1" "${2-}"); shift ;;
	-*) runopts+=("$1") ;;
	*) patterns+=("$1") ;;
	esac
	shift
done
mapfile -t progs < <(build/user/runner/mshv-run "${runopts[@]}" --list "${patterns[@]}")
if [ ${#progs[@]} -eq 0 ]; then
	echo "TAP version 13"
	echo "1..0 # SKIP no test program matches: ${patterns[*]}"
	exit 4
fi

# hvsim-selftests.sh runs each test without arguments: a wrapper carries them.
wrapper=$(mktemp /tmp/mshv-run.XXXXXX) || exit 2
trap 'rm -f "$wrapper"' EXIT

n=0
fails=0
rc=0
tap() {	# tap RESULT DESCRIPTION
	n=$((n + 1))
	[ "$1" = ok ] || fails=$((fails + 1))
	echo "$1 $n - $2"
}

check() {	# check DESCRIPTION VALUE EXPECTED
	if [ "$2" = "$3" ]; then
		tap ok "$1 is $3"
	else
		tap "not ok" "$1 is $2, expected $3"
	fi
}

# One program: its cases renumbered into this stream (hvsim-selftests.sh
# indents them four spaces), then hvsim-selftests.sh's checks and ours.
run_one() {	# run_one PROG
	local prog=$1 out line l res desc

	{
		echo '#!/bin/bash'
		printf 'exec'
		printf ' %q' "$top/build/user/runner/mshv-run" "${runopts[@]}" "$prog"
		echo
	} > "$wrapper"
	chmod +x "$wrapper"
	out=$(driver/hvsim/tests/hvsim-selftests.sh "${opts[@]}" "$wrapper" 2>&1) || rc=1
	while IFS= read -r line; do
		case $line in
		"    "*)
			l=${line#    }
			case $l in
			"TAP version"*|1..*) ;;
			"ok "*|"not ok "*)
				res=ok
				[[ $l == not* ]] && res="not ok"
				l=${l#"$res "}
				tap "$res" "${l#* }" ;;
			"#"*) echo "$l" ;;
			*) echo "# $l" ;;
			esac ;;
		"TAP version"*|1..*) ;;
		"ok "*|"not ok "*)
			res=ok
			[[ $line == not* ]] && res="not ok"
			desc=${line#*- }
			if [[ $desc == "$wrapper"* ]]; then
				desc="$prog: exit status 0 or 4"
				desc+="${opts[*]:+ with hvsim injection ${opts[*]}}"
				[[ $line == *"(exit "* ]] && desc="$desc (${line##*(}"
			else
				desc="$prog: $desc"
			fi
			tap "$res" "$desc" ;;
		"# "[a-z]*" "[0-9]*) ;;	# hvsim's counters, summed up below
		*) echo "$line" ;;
		esac
	done <<<"$out"
	echo "# after $prog: mshv_root pinned_pages $(cat $params/pinned_pages)" \
		"deposited_pages $(cat $params/deposited_pages)" \
		"self_deposited_pages $(cat $params/self_deposited_pages)"
	check "$prog: mshv_root pinned_pages" "$(cat $params/pinned_pages)" 0
	check "$prog: mshv_root deposited_pages" "$(cat $params/deposited_pages)" 0
}

echo "TAP version 13"
for prog in "${progs[@]}"; do
	run_one "$prog"
done
sed 's/^/# hvsim: /' /sys/kernel/debug/mshv_hvsim/counters
echo "1..$n"
[ "$fails" -eq 0 ] && [ "$rc" -eq 0 ]
