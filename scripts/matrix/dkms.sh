#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# DKMS on one matrix kernel, in private DKMS trees (the machine's
# /var/lib/dkms, /usr/src and /lib/modules are not touched).
#
# Usage: scripts/matrix/dkms.sh install KVER KDIR ROOT
#        scripts/matrix/dkms.sh decline KVER KDIR
#
# The DKMS sources are staged the way scripts/dkms-install.sh does (Makefile,
# Kbuild, VERSION, scripts/pick-kernel.sh, uapi/linux/mshv.h, driver/ without
# the simulator, dkms.conf with the version filled in) from
# build/matrix/KVER/src (scripts/matrix/build.sh), else from the repository,
# into build/matrix/KVER/dkms/source; dkms runs with --dkmstree and
# --sourcetree under build/matrix/KVER/dkms and --kernelsourcedir KDIR.
#   install  dkms add, build, and install --installtree ROOT/lib/modules
#            --no-depmod --force; depmod -b ROOT; boot ROOT's kernel
#            (scripts/vm-run.sh --kernel-root ROOT) and run
#            scripts/guest/dkms-modprobe.sh (modprobe finds and loads the
#            updates/dkms module); then the module is removed from ROOT again
#            and depmod rerun, so the unpacked kernel stays as fetched.
#   decline  dkms build must exit 77 and say, in one line,
#            "mshv_root: not building for KVER: REASON".
# Output: dkms's output and the VM's TAP; summary in
# build/matrix/KVER/dkms.result: "status=ok|fail|declined seconds=S
# why=TEXT".  Exit status 0 when the expected thing happened.  Needs root.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

case "${1:-}" in
-h|--help) usage; exit 0 ;;
install) [ $# -eq 4 ] || { usage >&2; exit 2; } ;;
decline) [ $# -eq 3 ] || { usage >&2; exit 2; } ;;
*) usage >&2; exit 2 ;;
esac
mode=$1
kver=$2
kdir=$(realpath -- "$3")
root=${4:-}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=$(cat "$top/VERSION")
out="$top/build/matrix/$kver"
dk="$out/dkms"
start=$(date +%s.%N)

result() {	# result STATUS WHY
	local secs
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	echo "status=$1 seconds=$secs why=$2" >"$out/dkms.result"
	echo "# dkms: $1: $2"
}

mkdir -p "$out"
[ "$(id -u)" -eq 0 ] || { result fail "needs root"; exit 1; }
command -v dkms >/dev/null || { result fail "dkms not installed (scripts/install-deps.sh dkms)"; exit 1; }

# --- stage the sources --------------------------------------------------------
from="$out/src"
[ -f "$from/dkms.conf" ] || from=$top
rm -rf "$dk"
stage="$dk/source/mshv_root-$version"
mkdir -p "$stage" "$dk/tree"
"$top/scripts/dkms-install.sh" --list-sources "$from" | (cd "$from" && cpio -pdm --quiet "$stage")
sed "s/@VERSION@/$version/" "$from/dkms.conf" >"$stage/dkms.conf"

d=(-m mshv_root -v "$version" --dkmstree "$dk/tree" --sourcetree "$dk/source")
dkms add "${d[@]}" >"$dk/add.log" 2>&1 || { cat "$dk/add.log"; result fail "dkms add"; exit 1; }

rc=0
dkms build "${d[@]}" -k "$kver" --kernelsourcedir "$kdir" >"$dk/build.log" 2>&1 || rc=$?
sed 's/^/# | /' "$dk/build.log"
line=$(grep "^mshv_root: not building for $kver: " "$dk/build.log" || true)

if [ "$mode" = decline ]; then
	if [ "$rc" -eq 77 ] && [ -n "$line" ] && [ "$(wc -l <<<"$line")" -eq 1 ]; then
		result declined "${line#mshv_root: not building for "$kver": }"
		exit 0
	fi
	result fail "expected dkms build to decline (status 77, one 'mshv_root: not building' line), got status $rc"
	exit 1
fi

if [ "$rc" -ne 0 ]; then
	grep -E 'error:|warning:|^ERROR:' "$dk/tree/mshv_root/$version/build/make.log" 2>/dev/null |
		sed "s|$dk/tree/mshv_root/$version/build/||" | awk 'NR <= 20 { print "# make.log: " $0 }' || true
	result fail "dkms build exited $rc${line:+ (${line#mshv_root: })}"
	exit 1
fi

moddir="$root/lib/modules/$kver"
cleanup() {
	rm -rf "$moddir/updates/dkms"
	rmdir "$moddir/updates" 2>/dev/null || true
	depmod -b "$root" "$kver" 2>/dev/null || true
}
trap cleanup EXIT
rc=0
dkms install "${d[@]}" -k "$kver" --kernelsourcedir "$kdir" \
	--installtree "$root/lib/modules" --no-depmod --force >"$dk/install.log" 2>&1 || rc=$?
sed 's/^/# | /' "$dk/install.log"
if [ "$rc" -ne 0 ] || ! compgen -G "$moddir/updates/dkms/mshv_root.ko*" >/dev/null; then
	result fail "dkms install exited $rc or left no updates/dkms/mshv_root.ko"
	exit 1
fi
depmod -b "$root" "$kver"

tag=$(printf '%s' "$kver" | tr -c 'A-Za-z0-9._-' '_')
rc=0
"$top/scripts/vm-run.sh" --kernel "$kver" --kernel-root "$root" --name "mx-dkms-$tag" -- \
	"$top/scripts/guest/dkms-modprobe.sh" || rc=$?
if [ "$rc" -ne 0 ]; then
	result fail "VM: modprobe of the DKMS-installed module failed (vm-run status $rc)"
	exit 1
fi
result ok "dkms build+install, modprobe in the VM"
