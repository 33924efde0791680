#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the release (KVER) of the kernel the VM tests boot by default.
#
# Usage: scripts/vm/kver.sh [--quiet]
#
# This is scripts/pick-kernel.sh --vm; the choice lives there, next to the
# build default (make's KVER), so that the two cannot drift apart.  It is
# the kernel Debian's linux-image-amd64 depends on when /boot/vmlinuz-KVER
# exists, else the newest /boot/vmlinuz-* (by version sort); never
# `uname -r` (the host kernel is not the test target).  The choice and
# where it came from go to stderr unless --quiet is given; the KVER alone
# goes to stdout.  Exit status 1 when no kernel image is found at all.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

case "${1:-}" in
''|-q|--quiet) [ $# -le 1 ] || { usage >&2; exit 2; } ;;
-h|--help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac

exec "$(dirname "${BASH_SOURCE[0]}")/../pick-kernel.sh" --vm "$@"
