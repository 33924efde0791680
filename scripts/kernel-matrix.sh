#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build and test mshv-dkms on several Debian kernels and print TAP (and a
# table): the kernel matrix of issue 7.
#
# Usage: scripts/kernel-matrix.sh [--kernels LIST|all] [--build-only]
#                                 [--table] [--rev REV]
#
#   --kernels LIST   comma-separated names from scripts/matrix/kernels.conf
#                    (default: $MSHV_KERNELS, else all): 5.10 (bullseye),
#                    6.1 (the default VM kernel), 6.1-cloud (build only),
#                    6.12 (bookworm-security), 7.2 (sid, DKMS must decline)
#   --build-only     fetch and build only: no VM runs, no DKMS install (the
#                    7.2 DKMS decline still runs; it boots nothing)
#   --table          after the TAP, print the matrix table (as TAP comments)
#   --rev REV        build commit REV instead of the working tree
#   -h, --help       this text
#
# Per kernel, in order (scripts/matrix/*.sh, one purpose each):
#   fetch.sh   apt-get download + dpkg-deb -x into build/kernels/KVER/
#              (cached; a temporary apt source for bullseye/sid, removed
#              again by a trap; never installs a kernel package)
#   build.sh   W=1 build in a private copy, build/matrix/KVER/src: mshv_root
#              (what DKMS ships; must build without warnings), then the
#              simulator mshv_hvsim
#   vm.sh      boot that kernel (scripts/vm-run.sh --kernel-root): module
#              load test, then the selftests on hvsim with
#              build/user/runner/mshv-run (skipped when not built)
#   dkms.sh    private DKMS trees: build/install into the unpacked kernel
#              and modprobe it in the VM; or, for 7.2, dkms build declines
# TAP: one case per kernel and stage ("6.12 build", "6.12 hvsim",
# "6.12 module-load", "6.12 selftests", "6.12 dkms", "7.2 dkms-decline"),
# stage output as "# |" comments when it failed, a per-kernel time, and
# last "# kernel-matrix: N passed, N failed, N skipped".  Logs and results
# stay in build/matrix/KVER/.  Exit status 0 when no case failed.
# Needs root for the temporary apt source and DKMS; about 3 minutes per
# kernel on 2 cores, well under a minute for cached builds-only.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mx="$top/scripts/matrix"
conf="$mx/kernels.conf"

kernels=${MSHV_KERNELS:-all}
build_only=0
table=0
rev=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernels) [ $# -ge 2 ] || { usage >&2; exit 2; }; kernels=$2; shift 2 ;;
	--build-only) build_only=1; shift ;;
	--table) table=1; shift ;;
	--rev) [ $# -ge 2 ] || { usage >&2; exit 2; }; rev=(--rev "$2"); shift 2 ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

all=$(awk '!/^#/ && NF >= 4 { print $1 }' "$conf")
if [ "$kernels" = all ] || [ -z "$kernels" ]; then
	mapfile -t names <<<"$all"
else
	IFS=, read -r -a names <<<"$kernels"
	for n in "${names[@]}"; do
		grep -qx -- "$n" <<<"$all" || { echo "kernel-matrix: unknown kernel '$n' (known: ${all//$'\n'/ })" >&2; exit 2; }
	done
fi

n=0 pass=0 fail=0 skip=0
tap() {		# tap ok|notok|skip DESCRIPTION [REASON]
	n=$((n + 1))
	case "$1" in
	ok) pass=$((pass + 1)); echo "ok $n - $2" ;;
	skip) skip=$((skip + 1)); echo "ok $n - $2 # SKIP ${3:-}" ;;
	*) fail=$((fail + 1)); echo "not ok $n - $2" ;;
	esac
}
show() {	# show FILE [LINES]: a stage's output as TAP comments
	tail -n "${2:-40}" "$1" | sed 's/^/# | /' || true
}
clip() {	# clip N: the first N lines of stdin as TAP comments (reads it all)
	awk -v n="$1" 'NR <= n { print "# | " $0 }'
}
field() {	# field FILE KEY
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' "$1" 2>/dev/null || true
}
secs_since() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }'
}

# One matrix at a time: runs share build/matrix/KVER and build/kernels.
mkdir -p "$top/build/matrix"
exec 9>"$top/build/matrix/.lock"
if ! flock -n 9; then
	echo "kernel-matrix: waiting for another kernel-matrix run to finish" >&2
	flock 9
fi

echo "TAP version 13"
echo "# kernel-matrix: ${names[*]} on $(nproc) CPUs${rev:+, commit ${rev[1]}}"
t_all=$(date +%s.%N)

# --- fetch everything first (one apt window) ----------------------------------
flog="$top/build/matrix/fetch.log"
t0=$(date +%s.%N)
declare -A kver root kdir
if "$mx/fetch.sh" "${names[@]}" >"$top/build/matrix/fetch.out" 2>"$flog"; then
	while read -r nm k r t; do
		kver[$nm]=$k root[$nm]=$r kdir[$nm]=$t
	done <"$top/build/matrix/fetch.out"
	tap ok "fetch headers/images of ${names[*]} ($(secs_since "$t0") s)"
else
	tap notok "fetch headers/images of ${names[*]}"
	show "$flog"
fi
grep -E 'temporary apt source|removed .*mshv-matrix' "$flog" | sed 's/^/# /' || true

declare -A row
for nm in "${names[@]}"; do
	stages=$(awk -v n="$nm" '!/^#/ && $1 == n { print $4 }' "$conf")
	k=${kver[$nm]:-}
	t0=$(date +%s.%N)
	echo "# --- $nm: ${k:-not fetched} ($stages)"
	b_col=- h_col=- l_col=- s_col=- d_col=-
	if [ -z "$k" ]; then
		tap notok "$nm: kernel not fetched"
		row[$nm]="$nm|?|FAIL (fetch)|-|-|-|-|$(secs_since "$t0")s"
		continue
	fi
	out="$top/build/matrix/$k"
	mkdir -p "$out"
	built=0

	if [[ ",$stages," == *,build,* ]]; then
		"$mx/build.sh" "${rev[@]}" "$k" "${kdir[$nm]}" >"$out/build.out" 2>&1 || true
		res="$out/build.result"
		st=$(field "$res" status) w=$(field "$res" warnings) e=$(field "$res" errors)
		if [ "$st" = ok ] && [ "$w" = 0 ]; then
			tap ok "$nm build: mshv_root W=1 against $k, no warnings"
			b_col="OK 0w"
			built=1
		else
			tap notok "$nm build: mshv_root W=1 against $k: ${st:-fail}, $w warnings, $e errors"
			grep -E 'warning:|error:|^ERROR:' "$out/build-mshv_root.log" | sed "s|$out/src/||" |
				clip 40 || true
			if [ "$st" = ok ]; then b_col="OK ${w}w"; built=1; else b_col="FAIL ${e}e ${w}w"; fi
		fi
		h=$(field "$res" hvsim) hw=$(field "$res" hvsim_warnings) he=$(field "$res" hvsim_errors)
		case "$h" in
		ok)
			if [ "$hw" = 0 ]; then
				tap ok "$nm hvsim: mshv_hvsim W=1, no warnings"
			else
				tap notok "$nm hvsim: mshv_hvsim W=1, $hw warnings"
				grep -E 'warning:' "$out/build-hvsim.log" | sed "s|$out/src/||" | clip 20 || true
			fi
			h_col="OK ${hw}w" ;;
		none) tap skip "$nm hvsim" "no driver/hvsim in this tree"; h_col=none ;;
		unlinked)
			if [ "$hw" = 0 ]; then
				tap skip "$nm hvsim" "compiles W=1 without warnings; not linked, modpost stopped on mshv_root"
			else
				tap notok "$nm hvsim: mshv_hvsim W=1, $hw warnings (not linked: modpost stopped on mshv_root)"
				grep -E 'warning:' "$out/build-hvsim.log" | sed "s|$out/src/||" | clip 20 || true
			fi
			h_col="unlinked ${hw}w" ;;
		*)
			tap notok "$nm hvsim: mshv_hvsim W=1: fail, $hw warnings, $he errors"
			grep -E 'error:|^ERROR:' "$out/build-hvsim.log" | sed "s|$out/src/||" |
				clip 8 || true
			echo "# | (all of it: $out/build-hvsim.log)"
			h_col="FAIL ${he}e" ;;
		esac
	fi

	if [[ ",$stages," == *,vm,* ]]; then
		if [ "$build_only" -eq 1 ]; then
			tap skip "$nm module-load" "--build-only"
			tap skip "$nm selftests" "--build-only"
		elif [ "$built" -eq 0 ]; then
			tap notok "$nm module-load: not run, mshv_root did not build"
			tap skip "$nm selftests" "mshv_root did not build"
			l_col=FAIL
		else
			"$mx/vm.sh" "$k" "${root[$nm]}" >"$out/vm.out" 2>&1 || true
			res="$out/vm.result"
			if [ "$(field "$res" load)" = ok ]; then
				tap ok "$nm module-load: insmod, module-load.sh in a $k VM"
				l_col=ok
			else
				tap notok "$nm module-load: insmod, module-load.sh in a $k VM"
				show "$out/vm.out"
				l_col=FAIL
			fi
			sp=$(field "$res" st_pass) sf=$(field "$res" st_fail) ss=$(field "$res" st_skip)
			case "$(field "$res" selftests)" in
			ok)
				tap ok "$nm selftests: mshv-run on hvsim, $sp passed, $sf failed, $ss skipped"
				s_col="$sp/$sf/$ss" ;;
			fail)
				tap notok "$nm selftests: mshv-run on hvsim, $sp passed, $sf failed, $ss skipped"
				grep -E '^ *not ok' "$top/build/vm/run-mx-selftests-$(printf '%s' "$k" |
					tr -c 'A-Za-z0-9._-' '_')/cmd.out" 2>/dev/null | clip 20 || true
				s_col="$sp/$sf/$ss" ;;
			*)
				tap skip "$nm selftests" "$(field "$res" st_why)"
				s_col="skip" ;;
			esac
		fi
	fi

	if [[ ",$stages," == *,dkms,* ]]; then
		if [ "$build_only" -eq 1 ]; then
			tap skip "$nm dkms" "--build-only"
		elif [ "$(id -u)" -ne 0 ]; then
			tap skip "$nm dkms" "needs root"
		else
			"$mx/dkms.sh" install "$k" "${kdir[$nm]}" "${root[$nm]}" >"$out/dkms.out" 2>&1 || true
			res="$out/dkms.result"
			why=$(sed -n 's/.* why=//p' "$res" 2>/dev/null || true)
			if [ "$(field "$res" status)" = ok ]; then
				tap ok "$nm dkms: $why"
				d_col=ok
			else
				tap notok "$nm dkms: ${why:-no result}"
				grep -E '^# (make.log|dkms):|^not ok|^ +not ok' "$out/dkms.out" | clip 30 || true
				d_col=FAIL
			fi
		fi
	fi

	if [[ ",$stages," == *,decline,* ]]; then
		"$mx/dkms.sh" decline "$k" "${kdir[$nm]}" >"$out/dkms.out" 2>&1 || true
		res="$out/dkms.result"
		why=$(sed -n 's/.* why=//p' "$res" 2>/dev/null || true)
		if [ "$(field "$res" status)" = declined ]; then
			tap ok "$nm dkms-decline: \"mshv_root: not building for $k: $why\""
			d_col=declined
		else
			tap notok "$nm dkms-decline: ${why:-no result}"
			show "$out/dkms.out" 30
			d_col=FAIL
		fi
	fi
	t=$(secs_since "$t0")
	echo "# $nm: $k done in $t s"
	row[$nm]="$nm|$k|$b_col|$h_col|$l_col|$s_col|$d_col|${t}s"
done

echo "1..$n"
if [ "$table" -eq 1 ]; then
	{
		echo "kernel|release|build|hvsim|load|selftests p/f/s|dkms|time"
		for nm in "${names[@]}"; do echo "${row[$nm]:-$nm|?|-|-|-|-|-|-}"; done
	} | column -t -s '|' | sed 's/^/# /'
fi
echo "# kernel-matrix: total $(secs_since "$t_all") s"
echo "# kernel-matrix: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
