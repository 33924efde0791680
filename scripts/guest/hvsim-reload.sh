#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side, with mshv_root loaded (mshv_hvsim loaded or not): unload and
# reload mshv_hvsim in all four setups -- privilege root or l1vh, scheduler
# root or core -- and in each run a quick subset of the selftests; after
# each unload /dev/mshv and the SINT interrupts must be gone.  Then
# unregistering under an open /dev/mshv fd (its ioctls fail with ENODEV,
# mshv_root stays busy until the fd is closed) and the rmmod order.  An
# unvalidated hypervisor build (hvsim build_number=27818) gives upstream's
# two "misc mshv:" lines, an in-range one none.
#   hvsim-reload.sh [MSHV-RUN ARGS...]   (default: a quick subset)
# TAP 13; exit 0 when every case passed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
hvsim=driver/hvsim/mshv_hvsim.ko
root=driver/mshv_root.ko
params=/sys/module/mshv_root/parameters
run=build/user/runner/mshv-run
[ $# -gt 0 ] || set -- dev_test hvsim_test x86/intercept_test

# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/../tap.sh"

loaded() {
	grep -q "^$1 " /proc/modules
}

# mshv-run's failures and totals become TAP comments.
selftests() {
	local out rc
	out=$("$run" "$@" 2>&1)
	rc=$?
	grep -E '^(not ok|#     )|passed, .* failed' <<<"$out" | sed 's/^/# /'
	return $rc
}

no_sint_irqs() {
	! grep -q mshv_sint /proc/interrupts
}

# ioctl(MSHV_CREATE_PARTITION) on an fd opened before hvsim went away.
ioctl_enodev() {	# ioctl_enodev FD_PATH
	python3 - "$1" <<'PY'
import errno, fcntl, sys
fd = int(sys.argv[1])
try:
    fcntl.ioctl(fd, 0x4010B800, bytes(16))
except OSError as e:
    print("# ioctl after hvsim unloaded: %s" % errno.errorcode[e.errno])
    sys.exit(0 if e.errno == errno.ENODEV else 1)
print("# ioctl after hvsim unloaded succeeded")
sys.exit(1)
PY
}

echo "TAP version 13"
if ! loaded mshv_root || [ ! -f "$hvsim" ]; then
	echo "1..0 # SKIP needs mshv_root loaded and $hvsim built"
	exit 4
fi
echo "1..$((4 * 6 + 10))"
loaded mshv_hvsim && rmmod mshv_hvsim

for setup in "privilege=root scheduler=root" "privilege=root scheduler=core" \
	     "privilege=l1vh scheduler=root" "privilege=l1vh scheduler=core"; do
	# shellcheck disable=SC2086
	check "insmod mshv_hvsim $setup" insmod "$hvsim" $setup
	check "/dev/mshv present ($setup)" test -c /dev/mshv
	check "selftests pass ($setup)" selftests "$@"
	check "rmmod mshv_hvsim ($setup)" rmmod mshv_hvsim
	check "/dev/mshv gone after rmmod ($setup)" test ! -e /dev/mshv
	check "no mshv_sint interrupt left ($setup)" no_sint_irqs
done

unvalidated() {
	dmesg | grep -c 'misc mshv: Running on unvalidated Hyper-V version'
}
check "no unvalidated-version line for hvsim's default build" test "$(unvalidated)" = 0
check "insmod mshv_hvsim build_number=27818" insmod "$hvsim" build_number=27818
dmesg | grep 'misc mshv: Versions' | sed 's/^/# /'
check "build 27818: upstream's lines on the misc device" sh -c \
	"dmesg | grep -q 'misc mshv: Versions: current: 27818  min: 27744  max: 27751' &&
	 test $(unvalidated) = 1"
check "rmmod mshv_hvsim (build 27818)" rmmod mshv_hvsim

insmod "$hvsim" || true
exec 3<>/dev/mshv
check "rmmod mshv_hvsim with /dev/mshv open" rmmod mshv_hvsim
if command -v python3 > /dev/null; then
	check "ioctl on the open fd fails with ENODEV" ioctl_enodev 3
else
	skip "ioctl on the open fd fails with ENODEV" "no python3"
fi
check "rmmod mshv_root refused while the fd is open" sh -c '! rmmod mshv_root 2>/dev/null'
exec 3>&-
check "rmmod mshv_root after the fd is closed" rmmod mshv_root
check "insmod mshv_root again" insmod "$root"
check "mshv_root counters are 0" \
	test "$(cat $params/pinned_pages) $(cat $params/deposited_pages)" = "0 0"
tap_passed
