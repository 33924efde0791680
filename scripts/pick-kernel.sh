#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The one place that chooses "the default kernel" (a release, KVER, on stdout).
#
#   scripts/pick-kernel.sh            the kernel to build against: make's KVER,
#                                     make install, make check/demo, test-dkms
#   scripts/pick-kernel.sh KDIR       the release the tree KDIR was configured for
#   scripts/pick-kernel.sh --vm [--quiet]
#                                     the kernel the VM tests boot when none is
#                                     given (scripts/vm/kver.sh, scripts/vm-run.sh,
#                                     the kernel matrix's "default")
#
# --vm: the kernel Debian's linux-image-amd64 metapackage depends on (asked
# from dpkg) when its /boot/vmlinuz-KVER exists, else the newest
# /boot/vmlinuz-* (version sort).  It needs a bootable image and follows the
# installed distro kernel, never `uname -r`: the host kernel is not the test
# target.  The choice and where it came from go to stderr ("vm: kernel ...")
# unless --quiet is given.  Exit status 1 when there is no image at all.
#
# Build (no argument): the running kernel when its headers are installed
# (/lib/modules/$(uname -r)/build), because on a real MSHV host that is what
# make install must target; else the --vm kernel when its headers are
# installed, so that on a build or CI machine `make` builds exactly the
# module `scripts/vm-run.sh` boots with; else the newest /lib/modules/*/build.
# Nothing on stderr; exit status 1 when no headers are installed at all.
#
# So the two agree whenever the --vm kernel's headers are installed and the
# running kernel is that kernel or has no headers (containers, CI).  They
# differ on purpose only when the machine runs another kernel whose headers
# are installed (a -cloud kernel, or an upgrade before the reboot): make
# builds for what runs, the VM still boots the distro kernel; KVER= and
# vm-run.sh --kernel line them up.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

# The --vm choice: sets vm_kver and vm_why; returns 1 when there is no image.
vm_pick() {
	local deps first cand

	vm_kver=""
	deps=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null || true)
	if [ -n "$deps" ]; then
		# "linux-image-6.1.0-56-amd64 (= 6.1.192-2)" or an "a | b" list.
		first=${deps%%[ ,|]*}
		cand=${first#linux-image-}
		cand=${cand%-unsigned}
		if [ "$cand" != "$first" ] && [ -e "/boot/vmlinuz-$cand" ]; then
			vm_kver=$cand
			vm_why="dependency of linux-image-amd64"
			return 0
		fi
	fi
	vm_kver=$(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' 2>/dev/null |
		sed 's/^vmlinuz-//' | sort -V | tail -n 1)
	vm_why="newest /boot/vmlinuz-*; linux-image-amd64 not usable"
	[ -n "$vm_kver" ]
}

mode=build
quiet=0
kdir=""
while [ $# -gt 0 ]; do
	case "$1" in
	--vm) mode=vm ;;
	-q|--quiet) quiet=1 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) [ -z "$kdir" ] || { usage >&2; exit 2; }; kdir=$1 ;;
	esac
	shift
done
if [ "$mode" = vm ] && [ -n "$kdir" ]; then
	usage >&2
	exit 2
fi

if [ "$mode" = vm ]; then
	if ! vm_pick; then
		echo "vm: no /boot/vmlinuz-* found; run scripts/install-deps.sh vm" >&2
		exit 1
	fi
	[ "$quiet" -eq 1 ] || echo "vm: kernel $vm_kver ($vm_why)" >&2
	echo "$vm_kver"
	exit 0
fi

if [ -n "$kdir" ]; then
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$kdir/include/generated/utsrelease.h" 2>/dev/null
	exit 0
fi

running=$(uname -r)
if [ -d "/lib/modules/$running/build" ]; then
	echo "$running"
	exit 0
fi
if vm_pick && [ -d "/lib/modules/$vm_kver/build" ]; then
	echo "$vm_kver"
	exit 0
fi
newest=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build 2>/dev/null |
	sort -V | tail -n 1)
[ -n "$newest" ] || exit 1
basename "$(dirname "$newest")"
