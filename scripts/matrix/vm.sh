#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the kernel-specific VM tests of "make check" on one matrix kernel,
# with the modules scripts/matrix/build.sh built for it.
#
# Usage: scripts/matrix/vm.sh KVER ROOT
#
# ROOT is the unpacked kernel (build/kernels/KVER/root, see fetch.sh); the
# modules come from build/matrix/KVER/src.  Two VM runs (scripts/vm-run.sh
# --kernel KVER --kernel-root ROOT):
#   module-load  --insmod driver/mshv_root.ko, scripts/guest/module-load.sh
#   selftests    --insmod mshv_root.ko and driver/hvsim/mshv_hvsim.ko, then
#                build/user/runner/mshv-run (skipped when the simulator was
#                not built or mshv-run does not exist: "make user" builds it)
# Their TAP goes to stdout.  Summary in build/matrix/KVER/vm.result:
#   load=ok|fail selftests=ok|fail|skip st_pass=N st_fail=N st_skip=N
#   seconds=S [st_why=REASON]
# st_* count the selftest cases mshv-run reported.  Exit status 1 if
# anything failed.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

case "${1:-}" in
-h|--help) usage; exit 0 ;;
esac
[ $# -eq 2 ] || { usage >&2; exit 2; }
kver=$1
root=$2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out="$top/build/matrix/$kver"
src="$out/src"
tag=$(printf '%s' "$kver" | tr -c 'A-Za-z0-9._-' '_')
start=$(date +%s.%N)

[ -f "$src/driver/mshv_root.ko" ] || {
	echo "matrix-vm: $src/driver/mshv_root.ko missing (build failed?)" >&2
	echo "load=fail selftests=skip st_pass=0 st_fail=0 st_skip=0 seconds=0 st_why=no-module" >"$out/vm.result"
	exit 1
}

vm=("$top/scripts/vm-run.sh" --kernel "$kver" --kernel-root "$root" --timeout 600)
load=ok
"${vm[@]}" --name "mx-load-$tag" --insmod "$src/driver/mshv_root.ko" -- \
	"$src/scripts/guest/module-load.sh" || load=fail

selftests=skip st_pass=0 st_fail=0 st_skip=0 why=""
runner="$top/build/user/runner/mshv-run"
if [ ! -f "$src/driver/hvsim/mshv_hvsim.ko" ]; then
	why=no-hvsim
elif [ ! -x "$runner" ]; then
	why=no-mshv-run
else
	selftests=ok
	"${vm[@]}" --name "mx-selftests-$tag" --insmod "$src/driver/mshv_root.ko" \
		--insmod "$src/driver/hvsim/mshv_hvsim.ko" -- "$runner" || selftests=fail
	cmdout="$top/build/vm/run-mx-selftests-$tag/cmd.out"
	if [ -f "$cmdout" ]; then
		read -r st_pass st_fail st_skip < <(awk '
			/^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) s++; else p++ }
			/^not ok / { if ($0 ~ /# TODO/) p++; else f++ }
			END { printf "%d %d %d\n", p, f, s }' "$cmdout")
	fi
fi
[ -z "$why" ] || echo "# selftests skipped: $why"
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "load=$load selftests=$selftests st_pass=$st_pass st_fail=$st_fail st_skip=$st_skip" \
	"seconds=$secs${why:+ st_why=$why}" >"$out/vm.result"
[ "$load" = ok ] && [ "$selftests" != fail ]
