#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build (or reuse) the VM test initramfs for one kernel and print its path.
#
# Usage: scripts/vm/initramfs.sh [--build-dir DIR] [--root ROOT] KVER
#
# Output: DIR/KVER/initramfs.cpio.gz (DIR defaults to the repo's build/vm).
# Contents: a static busybox, scripts/vm/init as /init, and the modules the
# init needs to reach the host root (virtio PCI, 9p over virtio, overlayfs)
# from /lib/modules/KVER (ROOT/lib/modules/KVER with --root, e.g. an
# unpacked kernel package under build/kernels/KVER/root), in an order computed from modules.dep so each comes
# after its dependencies.  Modules built into the kernel are left out;
# compressed ones (.ko.xz/.gz/.zst) are stored uncompressed for busybox.
# The busybox comes from the busybox-static .deb, fetched with
# `apt-get download` into DIR/busybox-static and unpacked there (it is never
# installed: it conflicts with Debian's dynamic busybox package).
# The archive is rebuilt only when an input changed: the init, this script,
# the busybox binary or the module files (recorded in initramfs.inputs).
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build="$here/../../build/vm"
root=""
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) build=$2; shift 2 ;;
	--root) root=${2%/}; shift 2 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { usage >&2; exit 2; }
kver=$1
moddir="$root/lib/modules/$kver"
mkdir -p "$build/$kver"
build=$(cd "$build" && pwd)
out="$build/$kver/initramfs.cpio.gz"
inputs="$build/$kver/initramfs.inputs"

# What /init must load before it can mount anything from the host.
wanted="virtio_pci 9pnet_virtio 9p overlay"

[ -r "$moddir/modules.dep" ] ||
	{ echo "vm: $moddir/modules.dep missing (install linux-image-$kver)" >&2; exit 1; }

# --- static busybox --------------------------------------------------------
bbdir="$build/busybox-static"
busybox="$bbdir/root/bin/busybox"
fetch_busybox() {
	mkdir -p "$bbdir"
	exec 8>"$build/.busybox.lock"
	flock 8
	[ -x "$busybox" ] && return 0
	rm -rf "$bbdir/root" "$bbdir"/busybox-static_*.deb
	if ! (cd "$bbdir" && apt-get download -q busybox-static) >"$bbdir/apt.log" 2>&1; then
		# A fresh machine may never have fetched the package lists.
		if [ "$(id -u)" -eq 0 ]; then
			apt-get update -q >>"$bbdir/apt.log" 2>&1 || true
		fi
		(cd "$bbdir" && apt-get download -q busybox-static) >>"$bbdir/apt.log" 2>&1 || {
			cat "$bbdir/apt.log" >&2
			echo "vm: apt-get download busybox-static failed" >&2
			exit 1
		}
	fi
	dpkg-deb -x "$bbdir"/busybox-static_*.deb "$bbdir/root"
	[ -x "$busybox" ] || { echo "vm: no bin/busybox in busybox-static.deb" >&2; exit 1; }
	echo "vm: unpacked $(basename "$bbdir"/busybox-static_*.deb) into $bbdir" >&2
	exec 8>&-
}
[ -x "$busybox" ] || fetch_busybox

# --- module load order -------------------------------------------------------
# modules.dep lines are "path: dep-path...".  A depth-first walk from the
# wanted modules prints every module after all of its dependencies.
modlist=$(awk -v want="$wanted" '
	function name(p) {
		sub(/.*\//, "", p); sub(/\.ko(\.(xz|gz|zst))?$/, "", p)
		gsub(/-/, "_", p); return p
	}
	function visit(m,    d, n, i) {
		if (m in seen) return
		seen[m] = 1
		if (m in builtin) return
		if (!(m in path)) { print "vm: module " m " not found" > "/dev/stderr"; bad = 1; return }
		n = split(deps[m], d, " ")
		for (i = 1; i <= n; i++) visit(d[i])
		print path[m]
	}
	FILENAME ~ /modules\.builtin$/ { builtin[name($0)] = 1; next }
	{
		p = $1; sub(/:$/, "", p); m = name(p); path[m] = p; deps[m] = ""
		for (i = 2; i <= NF; i++) deps[m] = deps[m] " " name($i)
	}
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) visit(w[i])
		exit bad
	}' "$moddir/modules.builtin" "$moddir/modules.dep")

# --- up to date? -------------------------------------------------------------
exec 9>"$build/$kver/.initramfs.lock"
flock 9

state=$( {
	for f in "$here/init" "$here/initramfs.sh" "$busybox"; do
		echo "${f##*/} $(sha256sum <"$f")"
	done
	for m in $modlist; do stat -c '%n %s %Y' "$moddir/$m"; done
} )
if [ -s "$out" ] && [ -f "$inputs" ] && [ "$(cat "$inputs")" = "$state" ]; then
	echo "$out"
	exit 0
fi

# --- write the archive ----------------------------------------------------
start=$(date +%s.%N)
order=""
for m in $modlist; do
	base=${m##*/}
	order+="${base%.ko*}.ko"$'\n'
done
{
	for d in bin dev mods proc sys lower rw newroot; do echo "dir /$d 0755"; done
	echo "nod /dev/console 0600 c 5 1"
	echo "file /init $here/init 0755"
	echo "file /bin/busybox $busybox 0755"
	echo "slink /bin/sh busybox"
	for m in $modlist; do
		base=${m##*/}
		echo "file /mods/${base%.ko*}.ko $moddir/$m 0644"
	done
} | VM_MOD_ORDER=$order python3 -c '
import gzip, lzma, os, stat, subprocess, sys

# newc cpio, every entry owned by root with mtime 0 (reproducible; no root
# needed on the host to create /dev/console).
out = gzip.GzipFile(sys.argv[1], "wb", compresslevel=6, mtime=0)
ino = 1

def entry(name, mode, data=b"", rdev=(0, 0), nlink=1):
    global ino
    name = name.lstrip("/").encode() + b"\0"
    fields = (ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name), 0)
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out.write(hdr + name + b"\0" * (-(len(hdr) + len(name)) % 4))
    out.write(data + b"\0" * (-len(data) % 4))
    ino += 1

def content(src):
    raw = open(src, "rb").read()
    if src.endswith(".xz"):
        return lzma.decompress(raw)
    if src.endswith(".gz"):
        return gzip.decompress(raw)
    if src.endswith(".zst"):
        return subprocess.run(["zstd", "-dcq", src], check=True,
                              capture_output=True).stdout
    return raw

for line in sys.stdin:
    kind, name, *rest = line.split()
    if kind == "dir":
        entry(name, stat.S_IFDIR | int(rest[0], 8), nlink=2)
    elif kind == "file":
        entry(name, stat.S_IFREG | int(rest[1], 8), content(rest[0]))
    elif kind == "slink":
        entry(name, stat.S_IFLNK | 0o777, rest[0].encode())
    elif kind == "nod":
        entry(name, stat.S_IFCHR | int(rest[0], 8), rdev=(int(rest[2]), int(rest[3])))
    else:
        sys.exit("bad entry: " + line)
# /mods/order comes last, from the environment.
entry("/mods/order", stat.S_IFREG | 0o644, os.environ["VM_MOD_ORDER"].encode())
entry("TRAILER!!!", 0)
out.close()
' "$out.tmp.$$" || { rm -f "$out.tmp.$$"; exit 1; }
mv -f "$out.tmp.$$" "$out"
echo "$state" >"$inputs"
end=$(date +%s.%N)
names=${order//$'\n'/ }
awk -v a="$start" -v b="$end" -v f="$out" -v m="${names% }" \
	'BEGIN { printf "vm: built %s in %.2f s (modules: %s)\n", f, b - a, m }' >&2
echo "$out"
