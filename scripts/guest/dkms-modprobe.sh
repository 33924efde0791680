#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Guest side of scripts/test-dkms.sh: the DKMS-installed mshv_root is the
# one modprobe finds, it loads and unloads, and it kept its symbols.  TAP.
set -uo pipefail

# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/../tap.sh"

file=$(modinfo -F filename mshv_root 2>/dev/null)
echo "TAP version 13"
echo "1..5"
echo "# modinfo filename: $file"
check "modprobe resolves mshv_root to updates/dkms" grep -q '/updates/dkms/mshv_root.ko' <<<"$file"
# DKMS compresses the module like the kernel's own (6.12: .ko.xz).
elf=$file
case "$file" in
*.xz) elf=/tmp/mshv_root.ko; xz -dc "$file" >"$elf" ;;
*.zst) elf=/tmp/mshv_root.ko; zstd -dcq "$file" >"$elf" ;;
*.gz) elf=/tmp/mshv_root.ko; gzip -dc "$file" >"$elf" ;;
esac
check "installed module is not stripped" \
	sh -c "nm '$elf' 2>/dev/null | grep -q mshv_root_init || readelf -s '$elf' | grep -q mshv_root_init"
check "modprobe mshv_root" modprobe mshv_root
check "module is loaded" grep -q '^mshv_root ' /proc/modules
check "modprobe -r mshv_root" modprobe -r mshv_root
tap_passed
