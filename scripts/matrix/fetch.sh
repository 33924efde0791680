#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch and unpack the Debian packages of matrix kernels (never installed).
#
# Usage: scripts/matrix/fetch.sh [--conf FILE] NAME...
#
# For each NAME of scripts/matrix/kernels.conf (or FILE) this resolves the
# kernel release, downloads linux-headers-KVER, the -common headers and the
# linux-kbuild package it depends on (plus linux-image-KVER when the stages
# include vm or dkms) with `apt-get download` into build/kernels/debs/, and
# unpacks them with dpkg-deb -x into build/kernels/KVER/root/.  The tree is
# then fixed up so that it works from there:
#   - absolute symlinks (lib/modules/KVER/build -> /usr/src/...) point into
#     the unpacked root;
#   - the headers' "include /usr/src/.../Makefile" names the unpacked copy;
#   - .kernelvariables' CC falls back to the host's gcc when the gcc-N the
#     kernel was built with is not installed (noted in fixup.log);
#   - depmod -b writes the module indexes the image package does not ship;
#   - when linux-kbuild depends on pahole (6.12: module BTF) and it is
#     missing, it is installed from the machine's own suites (as root, and
#     only if that upgrades or removes nothing).
# A kernel already unpacked (root/.ready-PARTS) is reused if every file
# listed in build/kernels/KVER/files (written when it was unpacked) is still
# there; otherwise (something deleted files under root/, such as kbuild's
# "make -C KDIR M=<this repository> clean", which removes every *.ko and
# modules.order below M=) it is unpacked again, from the .deb files listed in
# build/kernels/KVER/packages when they are all still in build/kernels/debs/
# (no apt, no download), else fetched as if new.  Delete build/kernels/KVER
# to fetch it again.
#
# Suites other than bookworm/bookworm-security (bullseye, sid) need a
# temporary deb822 sources entry: it is written to
# /etc/apt/sources.list.d/mshv-matrix-tmp.sources together with a
# preferences file pinning those suites to priority 1 (so nothing else the
# machine installs meanwhile is taken from them), "apt-get update" runs,
# and both files are removed again followed by "apt-get update" -- by an
# EXIT trap, so also on failure or interruption.  Root is needed for that.
#
# Output (stdout): one line per NAME, "NAME KVER ROOT TREE", where TREE is
# the headers directory to pass as KDIR.  Progress goes to stderr.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
conf="$top/scripts/matrix/kernels.conf"
kdir="$top/build/kernels"
debs="$kdir/debs"
tmp_src=/etc/apt/sources.list.d/mshv-matrix-tmp.sources
tmp_pref=/etc/apt/preferences.d/mshv-matrix-tmp

while [ $# -gt 0 ]; do
	case "$1" in
	--conf) conf=$2; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { usage >&2; exit 2; }

say() { echo "matrix-fetch: $*" >&2; }
die() { say "$*"; exit 1; }

conf_line() {	# conf_line NAME -> "SUITE KVER STAGES"
	awk -v n="$1" '!/^#/ && $1 == n { print $2, $3, $4; f = 1 } END { exit !f }' "$conf"
}

# --- the temporary apt window -------------------------------------------------
apt_open=0
apt_close() {
	[ "$apt_open" -eq 1 ] || return 0
	rm -f "$tmp_src" "$tmp_pref"
	apt_open=0
	say "removed $tmp_src and $tmp_pref; apt-get update"
	apt-get update -q >"$kdir/apt-update-after.log" 2>&1 ||
		say "apt-get update after removal failed (see $kdir/apt-update-after.log)"
}
trap apt_close EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

apt_window() {	# apt_window SUITE...
	local s uris=() pins=""
	[ "$apt_open" -eq 0 ] || return 0
	[ "$(id -u)" -eq 0 ] || die "suites $* need a temporary apt source: run as root"
	[ ! -e "$tmp_src" ] || die "$tmp_src exists (another matrix run, or a stale one: remove it)"
	for s in "$@"; do
		case "$s" in
		bullseye)
			uris+=("URIs: http://deb.debian.org/debian
Suites: bullseye bullseye-updates"
			       "URIs: http://deb.debian.org/debian-security
Suites: bullseye-security")
			pins+="n=bullseye,n=bullseye-updates,n=bullseye-security " ;;
		sid)
			uris+=("URIs: http://deb.debian.org/debian
Suites: sid")
			pins+="n=sid " ;;
		*) die "unknown suite '$s'" ;;
		esac
	done
	apt_open=1
	{
		echo "# Temporary, written by scripts/matrix/fetch.sh; removed when it ends."
		for s in "${uris[@]}"; do
			printf 'Types: deb\n%s\nComponents: main\n' "$s"
			echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
			echo
		done
	} >"$tmp_src"
	{
		echo "# Temporary, written by scripts/matrix/fetch.sh; removed when it ends."
		for s in $pins; do
			for p in ${s//,/ }; do
				printf 'Package: *\nPin: release %s\nPin-Priority: 1\n\n' "$p"
			done
		done
	} >"$tmp_pref"
	say "temporary apt source for $* ($tmp_src); apt-get update"
	# Mirrors may serve a sid Release file past its Valid-Until date; we
	# only download kernel packages from it and never install them.
	apt-get update -q -o Acquire::Check-Valid-Until=false \
		>"$kdir/apt-update.log" 2>&1 ||
		die "apt-get update failed (see $kdir/apt-update.log)"
}

# --- resolving releases -------------------------------------------------------
resolve() {	# resolve KVER-SPEC -> KVER
	local spec=$1 def best=""
	case "$spec" in
	default|default+*)
		def=$("$top/scripts/vm/kver.sh" --quiet)
		case "$spec" in
		default) echo "$def" ;;
		*) echo "${def%-amd64}-${spec#default+}-amd64" ;;
		esac
		return ;;
	*'*'*|*'?'*|*'['*) ;;
	*) echo "$spec"; return ;;
	esac
	# shellcheck disable=SC2053  # the pattern is a glob on purpose
	best=$(apt-cache pkgnames linux-headers- | sed -n 's/^linux-headers-//p' |
		while read -r k; do [[ $k == $spec ]] && echo "$k"; done | sort -V | tail -n 1)
	[ -n "$best" ] || die "no linux-headers-$spec in the apt lists"
	echo "$best"
}

# --- main ---------------------------------------------------------------------
mkdir -p "$debs"
names=("$@")
declare -A suite kver stages
need_apt=()
for name in "${names[@]}"; do
	line=$(conf_line "$name") || die "no kernel '$name' in $conf"
	read -r s _ st <<<"$line"
	suite[$name]=$s
	stages[$name]=$st
done

parts_of() {	# parts_of STAGES -> headers | headers+image
	case ",$1," in
	*,vm,*|*,dkms,*) echo headers+image ;;
	*) echo headers ;;
	esac
}

list_files() {	# list_files KVER: the files and symlinks under its root, sorted
	(cd "$kdir/$1/root" && find . \( -type f -o -type l \) -print) | LC_ALL=C sort
}

# What is missing from an unpacked kernel: "" if nothing, else a reason.
missing_files() {	# missing_files KVER
	local gone
	[ -s "$kdir/$1/files" ] || { echo "no file list (unpacked before lists were kept)"; return; }
	gone=$(LC_ALL=C comm -23 "$kdir/$1/files" <(list_files "$1"))
	[ -n "$gone" ] || return 0
	echo "$(wc -l <<<"$gone") of its $(wc -l <"$kdir/$1/files") files are gone, e.g. ${gone%%$'\n'*}"
}

# The cached .deb files it was unpacked from, one per line; fails unless
# every one of them is still in $debs.
cached_debs() {	# cached_debs KVER
	local f
	[ -s "$kdir/$1/packages" ] || return 1
	while read -r f; do
		[ -f "$debs/$f" ] || return 1
		echo "$debs/$f"
	done <"$kdir/$1/packages"
}

declare -A unpack_again
for name in "${names[@]}"; do
	if [ -s "$kdir/$name.kver" ]; then
		k=$(cat "$kdir/$name.kver")
		if [ -e "$kdir/$k/root/.ready-$(parts_of "${stages[$name]}")" ]; then
			why=$(missing_files "$k")
			[ -n "$why" ] || { kver[$name]=$k; continue; }
			say "$name: $kdir/$k/root is incomplete: $why"
			if from=$(cached_debs "$k"); then
				unpack_again[$name]=$from
				continue
			fi
			say "$name: its .deb files are not all in $debs; fetching again"
		fi
	fi
	case "${suite[$name]}" in
	bookworm|bookworm-security) ;;
	*) need_apt+=("${suite[$name]}") ;;
	esac
done
if [ ${#need_apt[@]} -gt 0 ]; then
	# shellcheck disable=SC2207
	need_apt=($(printf '%s\n' "${need_apt[@]}" | sort -u))
	apt_window "${need_apt[@]}"
fi

# Unpack the .deb files into build/kernels/KVER/root (anew), fix the tree up
# and list its files in build/kernels/KVER/files.
unpack() {	# unpack NAME KVER PARTS DEB...
	local name=$1 k=$2 parts=$3 root=$kdir/$2/root f log l t mk kv cc kb
	shift 3
	rm -rf "${kdir:?}/$k"
	mkdir -p "$root"
	for f; do
		dpkg-deb -x "$f" "$root"
		basename "$f" >>"$kdir/$k/packages"
	done

	# Fix-ups, logged in fixup.log.
	log="$kdir/$k/fixup.log"
	: >"$log"
	find "$root" -type l -lname '/*' -print | while read -r l; do
		t=$(readlink "$l")
		ln -sfn "$root$t" "$l"
		echo "symlink ${l#"$root"} -> $root$t (was $t)" >>"$log"
	done
	for mk in "$root"/usr/src/linux-headers-*/Makefile; do
		[ -f "$mk" ] || continue
		if grep -q '^include /usr/src/' "$mk"; then
			sed -i "s|^include /usr/src/|include $root/usr/src/|" "$mk"
			echo "Makefile ${mk#"$root"}: include from $root/usr/src" >>"$log"
		fi
	done
	kv="$root/usr/src/linux-headers-$k/.kernelvariables"
	if [ -f "$kv" ]; then
		cc=$(sed -n 's/.*(CROSS_COMPILE)\(gcc-[0-9]*\).*/\1/p' "$kv")
		if [ -n "$cc" ] && ! command -v "$cc" >/dev/null; then
			sed -i "s/(CROSS_COMPILE)$cc/(CROSS_COMPILE)gcc/" "$kv"
			echo ".kernelvariables: CC $cc is not installed, using gcc ($(gcc -dumpversion))" >>"$log"
		fi
	fi
	# Tools the kbuild package depends on (6.12's module BTF needs
	# pahole): installed from the machine's own suites, as installing the
	# headers would, but only when that upgrades or removes nothing.
	kb=$(awk '/^linux-kbuild-/ { print; exit }' "$kdir/$k/packages")
	[ -z "$kb" ] || kb="$debs/$kb"
	if [ -n "$kb" ] && dpkg-deb -f "$kb" Depends | grep -qw pahole && ! command -v pahole >/dev/null; then
		if [ "$(id -u)" -eq 0 ] &&
		   ! apt-get install -s -q --no-install-recommends pahole 2>/dev/null | grep -q '^\(Remv\|Inst [^ ]* \[\)'; then
			apt-get install -y -q --no-install-recommends pahole >"$kdir/apt-pahole.log" 2>&1 ||
				say "apt-get install pahole failed (see $kdir/apt-pahole.log)"
			echo "host: installed pahole (linux-kbuild depends on it)" >>"$log"
		else
			echo "host: pahole missing (linux-kbuild depends on it); module BTF will fail" >>"$log"
		fi
	fi
	if [ "$parts" != headers ]; then
		[ -d "$root/lib/modules/$k" ] || { [ -d "$root/usr/lib/modules/$k" ] && ln -s usr/lib "$root/lib"; }
		[ -e "$root/boot/vmlinuz-$k" ] || die "$name: no boot/vmlinuz-$k in linux-image-$k"
		depmod -b "$root" -F "$root/boot/System.map-$k" "$k" ||
			die "$name: depmod -b $root $k failed"
		echo "depmod -b $root $k" >>"$log"
	fi
	sed 's/^/matrix-fetch:   /' "$log" >&2
	list_files "$k" >"$kdir/$k/files"
	touch "$root/.ready-$parts"
	[ "$parts" = headers ] || touch "$root/.ready-headers"
	echo "$k" >"$kdir/$name.kver"
	kver[$name]=$k
}

for name in "${names[@]}"; do
	[ -z "${kver[$name]:-}" ] || continue
	parts=$(parts_of "${stages[$name]}")
	if [ -n "${unpack_again[$name]:-}" ]; then
		k=$(cat "$kdir/$name.kver")
		mapfile -t files <<<"${unpack_again[$name]}"
		say "$name: $k ($parts) unpacked again from the cached ${files[*]##*/}"
		unpack "$name" "$k" "$parts" "${files[@]}"
		continue
	fi
	spec=$(conf_line "$name" | awk '{ print $2 }')
	k=$(resolve "$spec")
	say "$name: $k ($parts) from ${suite[$name]}"
	pkgs=("linux-headers-$k")
	# The -common headers and linux-kbuild the headers depend on.
	deps=$(apt-cache show --no-all-versions "linux-headers-$k" |
		awk '/^Depends: / && !d { sub(/^Depends: /, ""); print; d = 1 }')
	[ -n "$deps" ] || die "linux-headers-$k: no package (or no Depends)"
	for d in ${deps//,/ }; do
		case "$d" in
		linux-headers-*-common*|linux-kbuild-*) pkgs+=("$d") ;;
		esac
	done
	missing=()
	for p in "${pkgs[@]}"; do
		compgen -G "$debs/${p}_*.deb" >/dev/null || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		say "apt-get download ${missing[*]}"
		(cd "$debs" && apt-get download -q "${missing[@]}") >"$kdir/download-$name.log" 2>&1 ||
			{ cat "$kdir/download-$name.log" >&2; die "apt-get download failed"; }
	fi
	# The image: the -unsigned package (same kernel and modules, in the
	# main pool), else the signed one.
	if [ "$parts" != headers ]; then
		img=""
		for p in "linux-image-$k-unsigned" "linux-image-$k"; do
			if compgen -G "$debs/${p}_*.deb" >/dev/null ||
			   (cd "$debs" && apt-get download -q "$p") >>"$kdir/download-$name.log" 2>&1; then
				img=$p
				break
			fi
		done
		[ -n "$img" ] || { cat "$kdir/download-$name.log" >&2; die "no linux-image-${k}[-unsigned] to download"; }
		pkgs+=("$img")
	fi
	files=()
	for p in "${pkgs[@]}"; do
		files+=("$(printf '%s\n' "$debs/${p}"_*.deb | sort -V | tail -n 1)")
	done
	unpack "$name" "$k" "$parts" "${files[@]}"
done
apt_close

for name in "${names[@]}"; do
	k=${kver[$name]}
	echo "$name $k $kdir/$k/root $kdir/$k/root/usr/src/linux-headers-$k"
done
