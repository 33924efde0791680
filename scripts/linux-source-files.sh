#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Extract files from Debian's linux-source-6.1 package into
# build/linux-source/ (kept there: later calls are free) and print that
# directory.  The package is only downloaded, never installed.
#
#   scripts/linux-source-files.sh PATH...   e.g. scripts/checkpatch.pl
#
# PATHs are relative to the kernel tree.  Exits 1 when the package cannot
# be downloaded (no apt access).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dest=$top/build/linux-source
cache=$top/build/tools

if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
	sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'
	[ $# -gt 0 ]
	exit
fi

missing=()
for p in "$@"; do
	[ -e "$dest/$p" ] || missing+=("linux-source-6.1/$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	mkdir -p "$cache" "$dest"
	tarball=$cache/linux-source-6.1.tar.xz
	if [ ! -f "$tarball" ]; then
		tmp=$(mktemp -d)
		trap 'rm -rf "$tmp"' EXIT
		(cd "$tmp" && apt-get download -q linux-source-6.1 >/dev/null 2>&1) || exit 1
		dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.1_*.deb |
			tar -x -O ./usr/src/linux-source-6.1.tar.xz > "$tarball.tmp"
		mv "$tarball.tmp" "$tarball"
	fi
	tar -xJf "$tarball" -C "$dest" --strip-components=1 "${missing[@]}"
fi
echo "$dest"
