#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# DKMS test: "make install" for KVER on this machine, then boot KVER in a VM
# and modprobe the DKMS-installed module there; check that DKMS declines
# kernels with in-tree mshv_root or without CONFIG_HYPERV; "make uninstall"
# and check nothing is left.  Needs root (it changes /usr/src, /var/lib/dkms
# and /lib/modules/KVER, and undoes it).  TAP.
#
#   scripts/test-dkms.sh [KVER]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
version=$(cat VERSION)

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '4,10p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi
kver=${1:-$(scripts/pick-kernel.sh)}

echo "TAP version 13"
if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP DKMS test needs root"
	exit 0
fi
echo "1..8"
# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/tap.sh"
indent() { sed 's/^/    /'; }

# Ask dkms to build for a pretend kernel whose tree has CONFIG (a .config
# line or nothing); succeed if it declines with status 77 and says WHY.
expect_decline() {	# expect_decline KVER CONFIG WHY
	local fake out rc=0

	fake=$(mktemp -d)
	printf '%s\n' "$2" > "$fake/.config"
	out=$(dkms build -m mshv_root -v "$version" -k "$1" --kernelsourcedir "$fake" 2>&1) || rc=$?
	rm -rf "$fake"
	echo "$out" | grep 'mshv_root: not building' | indent
	[ "$rc" -eq 77 ] && grep -q "mshv_root: not building for $1: .*$3" <<<"$out"
}

out=$(scripts/dkms-install.sh install "$kver" 2>&1)
rc=$?
echo "$out" | tail -n 5 | indent
check "make install (dkms add/build/install for $kver)" test "$rc" -eq 0
check "dkms status shows mshv_root installed for $kver" \
	sh -c "dkms status -m mshv_root -v '$version' -k '$kver' | grep -q installed"
check "udev rule makes /dev/mshv root-only" \
	grep -q 'MODE="0600"' /etc/udev/rules.d/60-mshv.rules

vm_out=$(scripts/vm-run.sh --kernel "$kver" --name dkms -- scripts/guest/dkms-modprobe.sh 2>&1)
rc=$?
echo "$vm_out" | grep -v '^# vm-run:' | indent
check "VM: modprobe loads the DKMS-installed module" test "$rc" -eq 0

check "dkms declines a kernel with in-tree mshv_root" \
	expect_decline 7.2.13-amd64 'CONFIG_HYPERV=y
CONFIG_MSHV_ROOT=m' 'in-tree'
check "dkms declines a kernel without CONFIG_HYPERV" \
	expect_decline 6.1.0-99-amd64 '# CONFIG_HYPERV is not set' 'lacks CONFIG_HYPERV'

out=$(scripts/dkms-install.sh uninstall "$kver" 2>&1)
rc=$?
echo "$out" | tail -n 3 | indent
check "make uninstall" test "$rc" -eq 0
left=$(ls -d /usr/src/mshv_root-* /var/lib/dkms/mshv_root /etc/udev/rules.d/60-mshv.rules \
	   /lib/modules/"$kver"/updates/dkms/mshv_root.ko 2>/dev/null)
[ -z "$left" ] || echo "$left" | sed 's/^/# left behind: /'
check "uninstall left nothing behind" test -z "$left"
tap_passed
