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
# Output is one TAP 13 stream: mshv-run's cases, then "mshv-run passed",
# hvsim's leak checks and the driver's, renumbered after them (the plan
# comes last, as mshv-run prints it).  Exit 0 when every case passed,
# 4 when hvsim is not loaded.
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

# hvsim-selftests.sh runs each test without arguments: a wrapper carries them.
wrapper=$(mktemp /tmp/mshv-run.XXXXXX) || exit 2
trap 'rm -f "$wrapper"' EXIT
{
	echo '#!/bin/bash'
	printf 'exec'
	printf ' %q' "$top/build/user/runner/mshv-run" "$@"
	echo
} > "$wrapper"
chmod +x "$wrapper"

out=$(driver/hvsim/tests/hvsim-selftests.sh "${opts[@]}" "$wrapper" 2>&1)
hst=$?

# mshv-run's TAP (indented four spaces by hvsim-selftests.sh) at the top
# level; hvsim-selftests.sh's own cases numbered after it.
n=0
fails=0
while IFS= read -r line; do
	case $line in
	"    "*)
		l=${line#    }
		case $l in
		"TAP version"*|1..*) ;;
		"ok "*|"not ok "*)
			n=$((n + 1))
			[[ $l == not* ]] && fails=$((fails + 1))
			echo "$l" ;;
		"#"*) echo "$l" ;;
		*) echo "# $l" ;;
		esac ;;
	"TAP version"*|1..*) ;;
	"ok "*|"not ok "*)
		n=$((n + 1))
		res=ok
		[[ $line == not* ]] && { res="not ok"; fails=$((fails + 1)); }
		desc=${line#*- }
		[ "$desc" = "$wrapper" ] &&
			desc="mshv-run${*:+ $*} passed${opts[*]:+ with hvsim injection ${opts[*]}}"
		[[ $line == *"(exit "* ]] && desc="$desc (${line##*(}"
		echo "$res $n - $desc" ;;
	*) echo "$line" ;;
	esac
done <<<"$out"

check() {	# check DESCRIPTION VALUE EXPECTED
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1 is $3"
	else
		fails=$((fails + 1))
		echo "not ok $n - $1 is $2, expected $3"
	fi
}

echo "# mshv_root: pinned_pages $(cat $params/pinned_pages)" \
	"deposited_pages $(cat $params/deposited_pages)" \
	"self_deposited_pages $(cat $params/self_deposited_pages)"
check "mshv_root pinned_pages" "$(cat $params/pinned_pages)" 0
check "mshv_root deposited_pages" "$(cat $params/deposited_pages)" 0
echo "1..$n"
[ "$fails" -eq 0 ] && [ "$hst" -eq 0 ]
