#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# DKMS install/uninstall of mshv_root (what "make install/uninstall" run).
#
#   scripts/dkms-install.sh install [KVER]
#   scripts/dkms-install.sh uninstall [KVER]
#   scripts/dkms-install.sh --list-sources [DIR]
#
# install: copies an explicit file list to /usr/src/mshv_root-VERSION, then
# dkms add, build and install for KVER (default: scripts/pick-kernel.sh, the
# running kernel when its headers are installed), and writes a udev rule for
# /dev/mshv: 0600 (root only), or 0660 with group MSHV_GROUP (e.g. kvm).
# uninstall: removes the DKMS module for every kernel, the source copy and
# the udev rule.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
version=$(cat "$top/VERSION")
src=/usr/src/mshv_root-$version
rule=/etc/udev/rules.d/60-mshv.rules

usage() {
	sed -n '4,15p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
	echo "dkms-install: $*" >&2
	exit 1
}

# The files DKMS needs, relative to DIR; nothing else is shipped (no
# simulator, no tests).  scripts/matrix/dkms.sh uses the same list.
list_sources() {	# list_sources DIR
	(cd "$1" &&
	 { echo Makefile; echo Kbuild; echo VERSION; echo scripts/pick-kernel.sh;
	   find uapi -type f -name '*.h';
	   find driver -path driver/hvsim -prune -o -type f \
		\( -name '*.[ch]' -o -name Kbuild \) ! -name '*.mod.c' -print; })
}

stage_sources() {
	rm -rf "$src"
	mkdir -p "$src"
	list_sources "$top" | (cd "$top" && cpio -pdm --quiet "$src")
	sed "s/@VERSION@/$version/" "$top/dkms.conf" > "$src/dkms.conf"
}

dkms_has_module() {
	dkms status -m mshv_root -v "$version" 2>/dev/null | grep -q .
}

write_udev_rule() {
	if [ -n "${MSHV_GROUP:-}" ]; then
		getent group "$MSHV_GROUP" >/dev/null ||
			die "group '$MSHV_GROUP' does not exist"
		echo "KERNEL==\"mshv\", SUBSYSTEM==\"misc\", GROUP=\"$MSHV_GROUP\", MODE=\"0660\"" > "$rule"
	else
		echo 'KERNEL=="mshv", SUBSYSTEM=="misc", MODE="0600"' > "$rule"
	fi
	udevadm control --reload >/dev/null 2>&1 || true
}

do_install() {
	local kver=$1 rc=0

	"$top/scripts/install-deps.sh" dkms
	[ -d "/lib/modules/$kver/build" ] ||
		die "no headers for $kver (/lib/modules/$kver/build); install linux-headers-$kver"
	if dkms_has_module; then
		dkms remove -m mshv_root -v "$version" --all >/dev/null
	fi
	stage_sources
	dkms add -m mshv_root -v "$version" >/dev/null
	dkms build -m mshv_root -v "$version" -k "$kver" || rc=$?
	if [ "$rc" -eq 77 ]; then
		dkms remove -m mshv_root -v "$version" --all >/dev/null 2>&1 || true
		rm -rf "$src"
		die "DKMS declined kernel $kver (reason above); nothing installed"
	fi
	[ "$rc" -eq 0 ] || die "dkms build failed ($rc); see /var/lib/dkms/mshv_root/$version/build/make.log"
	dkms install -m mshv_root -v "$version" -k "$kver"
	write_udev_rule
	echo "dkms-install: mshv_root $version installed for $kver; load it with 'modprobe mshv_root'"
}

do_uninstall() {
	if command -v dkms >/dev/null && dkms_has_module; then
		dkms remove -m mshv_root -v "$version" --all
	fi
	rm -rf "$src"
	rm -f "$rule"
	udevadm control --reload >/dev/null 2>&1 || true
	echo "dkms-install: mshv_root $version removed"
}

case "${1:-}" in
install|uninstall) ;;
--list-sources)
	list_sources "${2:-$top}"
	exit 0 ;;
-h|--help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || die "must run as root (sudo make $1)"

kver=${2:-$("$top/scripts/pick-kernel.sh")}
[ -n "$kver" ] || die "no kernel release given and none found"
"do_$1" "$kver"
