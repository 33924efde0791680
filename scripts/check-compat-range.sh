#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check that dkms.conf's BUILD_EXCLUSIVE_KERNEL and the #error bounds in
# driver/compat/compat.h accept exactly the same kernel releases.  TAP.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

bound() {	# bound NAME -> "major minor"
	sed -n "s/^#define $1[[:space:]]*KERNEL_VERSION(\([0-9]*\), *\([0-9]*\), *[0-9]*).*/\1 \2/p" \
		"$top/driver/compat/compat.h"
}
read -r min_major min_minor <<<"$(bound MSHV_COMPAT_KERNEL_MIN)"
read -r end_major end_minor <<<"$(bound MSHV_COMPAT_KERNEL_END)"
regex=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' "$top/dkms.conf" | head -n 1)

releases=(4.19.0 5.4.0-100-generic 5.9.16 5.10.0-30-amd64 5.15.0-1051-azure 5.19.17
	  6.0.0 6.1.0-56-amd64 6.1.0-56-cloud-amd64 6.8.0-1015-azure 6.9.12
	  6.12.117+deb12-amd64 6.14.11 6.15.0 6.16.3 6.19.1 7.2.13-amd64 10.1.0)

echo "TAP version 13"
echo "1..$((${#releases[@]} + 1))"
n=1
if [ -n "$regex" ] && [ -n "$min_major" ] && [ -n "$end_major" ]; then
	echo "ok $n - bounds found: compat.h [$min_major.$min_minor, $end_major.$end_minor), dkms.conf /$regex/"
else
	echo "not ok $n - could not read the bounds from compat.h or dkms.conf"
	exit 1
fi
fails=0
for r in "${releases[@]}"; do
	n=$((n + 1))
	IFS=. read -r major minor _ <<<"$r"
	v=$((major * 1000 + minor))
	in_compat=no
	if [ "$v" -ge $((min_major * 1000 + min_minor)) ] &&
	   [ "$v" -lt $((end_major * 1000 + end_minor)) ]; then
		in_compat=yes
	fi
	in_dkms=no
	[[ $r =~ $regex ]] && in_dkms=yes
	if [ "$in_compat" = "$in_dkms" ]; then
		echo "ok $n - $r: supported=$in_compat in both"
	else
		fails=$((fails + 1))
		echo "not ok $n - $r: compat.h says $in_compat, dkms.conf says $in_dkms"
	fi
done
[ "$fails" -eq 0 ]
