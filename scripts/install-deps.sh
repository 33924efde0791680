#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian/Ubuntu packages a mshv-dkms target needs, only those
# that are missing.  Usage: scripts/install-deps.sh GROUP...
#
#   build   compile the modules against the default headers, sparse, userspace
#   vm      QEMU and the distro kernel image the VM tests boot
#   user    libnl for mshvctl, pkg-config
#   fuzz    clang with libFuzzer for the x86 core fuzz target
#   dkms    the DKMS framework (make install, DKMS test)
#
# Without root it only reports what is missing and exits 1 if anything is.
set -euo pipefail

usage() {
	sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'
}

[ $# -gt 0 ] || { usage; exit 2; }

# Debian names the kernel metapackages after the flavour, Ubuntu "generic".
kflavour=amd64
if grep -qs '^ID=ubuntu' /etc/os-release; then
	kflavour=generic
fi

pkgs=()
for group in "$@"; do
	case "$group" in
	build) pkgs+=(make gcc libc6-dev linux-headers-$kflavour sparse perl xz-utils
		      python3 bc bsdextrautils) ;;
	vm)    pkgs+=(qemu-system-x86 linux-image-$kflavour cpio gzip zstd kmod) ;;
	user)  pkgs+=(pkg-config libnl-3-dev libnl-genl-3-dev) ;;
	fuzz)  pkgs+=(clang) ;;
	dkms)  pkgs+=(dkms) ;;
	-h|--help) usage; exit 0 ;;
	*) echo "install-deps: unknown group '$group'" >&2; usage >&2; exit 2 ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing+=("$p") ;;
	esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run as root or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may never have fetched package lists.
if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
	apt-get update -q >/dev/null
	apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
