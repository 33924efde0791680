#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make demo": build, boot the distro kernel in a VM with mshv_root (and the
# hypervisor simulator once it exists) and run the example guest.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '4,5p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	scripts/install-deps.sh build vm
fi
kver=${KVER:-$(scripts/pick-kernel.sh)}
make -s modules KVER="$kver"

if [ ! -f driver/hvsim/Kbuild ] || [ ! -x build/user/examples/hello-guest ]; then
	echo "demo: the example guest is not yet available (it needs the driver core"
	echo "demo: and the hypervisor simulator); booting $kver to load mshv_root only."
	exec scripts/vm-run.sh --kernel "$kver" --name demo --insmod driver/mshv_root.ko -- \
		sh -c 'dmesg | grep mshv_root:'
fi
