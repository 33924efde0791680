#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Print the release of the kernel to build against: the running kernel when
# its headers are installed, else the newest /lib/modules/*/build.  With a
# KDIR argument, print the release that tree was configured for.
set -euo pipefail

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	echo "usage: $0 [KDIR]"
	exit 0
fi

if [ -n "${1:-}" ]; then
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null
	exit 0
fi

running=$(uname -r)
if [ -d "/lib/modules/$running/build" ]; then
	echo "$running"
	exit 0
fi
newest=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
[ -n "$newest" ] || exit 1
basename "$(dirname "$newest")"
