#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the release (KVER) of the kernel the VM tests boot by default.
#
# Usage: scripts/vm/kver.sh [--quiet]
#
# The default is the kernel that Debian's linux-image-amd64 metapackage
# depends on (asked from dpkg), so it follows the installed headers rather
# than `uname -r` (the host kernel is not the test target).  If that package
# is not installed, or its /boot/vmlinuz-KVER is missing, the newest
# /boot/vmlinuz-* (by version sort) is taken.  The choice and where it came
# from go to stderr unless --quiet is given; the KVER alone goes to stdout.
# Exit status 1 when no kernel image is found at all.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

quiet=0
case "${1:-}" in
'') ;;
-q|--quiet) quiet=1 ;;
-h|--help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac

say() {
	[ "$quiet" -eq 1 ] || echo "vm: kernel $*" >&2
}

kver=""
deps=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null || true)
if [ -n "$deps" ]; then
	# "linux-image-6.1.0-56-amd64 (= 6.1.192-2)" or an "a | b" list.
	first=${deps%%[ ,|]*}
	cand=${first#linux-image-}
	cand=${cand%-unsigned}
	if [ "$cand" != "$first" ] && [ -e "/boot/vmlinuz-$cand" ]; then
		kver=$cand
		say "$kver (dependency of linux-image-amd64)"
	fi
fi

if [ -z "$kver" ]; then
	newest=$(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' 2>/dev/null |
		sed 's/^vmlinuz-//' | sort -V | tail -n 1)
	if [ -z "$newest" ]; then
		echo "vm: no /boot/vmlinuz-* found; run scripts/install-deps.sh vm" >&2
		exit 1
	fi
	kver=$newest
	say "$kver (newest /boot/vmlinuz-*; linux-image-amd64 not usable)"
fi

echo "$kver"
