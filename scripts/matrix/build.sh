#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the modules with W=1 against one kernel tree, in a private copy of
# the repository.
#
# Usage: scripts/matrix/build.sh [--rev REV] KVER KDIR
#
# The repository's tracked and untracked-but-not-ignored files (the working
# tree as it is, others' uncommitted edits included), or with --rev the
# files of commit REV (git archive), are copied to build/matrix/KVER/src/,
# so the shared tree's objects are never touched.  Two builds run there
# from scratch, both "make KDIR=KDIR KVER=KVER W=1 -k modules" (-k: every
# failing file is reported, not only the first):
#   1. with MSHV_HVSIM=n: mshv_root.ko alone, what DKMS ships;
#   2. everything: adds the simulator mshv_hvsim.ko (for the VM selftests).
# The compiler output goes to build/matrix/KVER/build.log and stdout; the
# summary to build/matrix/KVER/build.result:
#   status=ok|fail warnings=N errors=N hvsim=ok|fail|unlinked|none
#   hvsim_warnings=N hvsim_errors=N seconds=S
# (unlinked: the simulator compiled, but modpost stopped on mshv_root)
# status, warnings ("warning:" lines) and errors ("error:" and modpost
# "ERROR:" lines) are those of mshv_root (build 1); the hvsim_ fields
# count what build 2 added.
# Exit status 0 if mshv_root built (warnings or not), 1 if not.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

rev=""
while [ $# -gt 0 ]; do
	case "$1" in
	--rev) rev=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || { usage >&2; exit 2; }
kver=$1
kdir=$(realpath -- "$2")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$top/build/matrix/$kver"
src="$out/src"

[ -f "$kdir/Makefile" ] || { echo "matrix-build: no kernel tree at $kdir" >&2; exit 2; }
start=$(date +%s.%N)
rm -rf "$src"
mkdir -p "$src"
if [ -n "$rev" ]; then
	git -C "$top" archive --format=tar "$rev" | tar -x -C "$src"
else
	# shellcheck disable=SC2016  # the sh -c script expands its own $f
	(cd "$top" && git ls-files -co --exclude-standard -z |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		cpio -0 -pdm --quiet "$src")
fi

count() {	# count PATTERN FILE
	grep -c "$1" "$2" || true
}

mk=(make -C "$src" KDIR="$kdir" KVER="$kver" W=1 -k -j"$(nproc)")
"${mk[@]}" MSHV_HVSIM=n modules >"$out/build-mshv_root.log" 2>&1 || true
status=ok
[ -f "$src/driver/mshv_root.ko" ] || status=fail
warnings=$(count 'warning:' "$out/build-mshv_root.log")
errors=$(count 'error:\|^ERROR:' "$out/build-mshv_root.log")

hvsim=none
hvsim_warnings=0
hvsim_errors=0
if [ -f "$src/driver/hvsim/Kbuild" ]; then
	"${mk[@]}" modules >"$out/build-hvsim.log" 2>&1 || true
	hvsim=ok
	if [ ! -f "$src/driver/hvsim/mshv_hvsim.ko" ]; then
		hvsim=fail
		# Compiled, but modpost (which links every module at once)
		# stopped on mshv_root's errors alone.
		if [ -f "$src/driver/hvsim/mshv_hvsim.o" ] &&
		   ! grep -E 'error:|^ERROR:' "$out/build-hvsim.log" | grep -qv 'mshv_root\.ko'; then
			hvsim=unlinked
		fi
	fi
	hvsim_warnings=$(count 'warning:' "$out/build-hvsim.log")
	hvsim_errors=$(count 'error:\|^ERROR:' "$out/build-hvsim.log")
fi
cat "$out"/build-*.log >"$out/build.log"
cat "$out/build.log"
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "status=$status warnings=$warnings errors=$errors hvsim=$hvsim" \
	"hvsim_warnings=$hvsim_warnings hvsim_errors=$hvsim_errors seconds=$secs" |
	tee "$out/build.result"
[ "$status" = ok ]
