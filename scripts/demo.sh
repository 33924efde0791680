#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make demo": build, boot the distro kernel in a VM with mshv_root (and the
# hypervisor simulator) and run the example guest, user/examples/hello-guest.
# MSHV_DEMO_SCHEDULER=core uses the hypervisor-scheduler model instead.
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
make -s modules user KVER="$kver"

sched=${MSHV_DEMO_SCHEDULER:-root}
echo "demo: booting $kver under QEMU with mshv_root + mshv_hvsim (scheduler=$sched);"
echo "demo: hello-guest loads a real-mode guest that writes to COM1 (port 0x3f8) and halts."
exec scripts/vm-run.sh --kernel "$kver" --name demo \
	--insmod driver/mshv_root.ko --insmod driver/hvsim/mshv_hvsim.ko:"scheduler=$sched" -- \
	build/user/examples/hello-guest
