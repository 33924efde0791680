#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare the kernel image the VM boots and print its path.
#
# Usage: scripts/vm/vmlinux.sh [--build-dir DIR] [--root ROOT] KVER
#
# QEMU can start an uncompressed ELF vmlinux through the PVH entry point,
# which skips the in-guest decompression (seconds under TCG).  This script
# unpacks the payload of /boot/vmlinuz-KVER (a bzImage: the compressed kernel
# is located via the setup header's payload_offset, else by scanning for the
# XZ, gzip or zstd magic) into DIR/KVER/vmlinux (DIR defaults to the repo's
# build/vm) and reuses that file while it is newer than the vmlinuz.
# --root ROOT takes ROOT/boot/vmlinuz-KVER instead (an unpacked kernel
# package, e.g. build/kernels/KVER/root).
# If the ELF has no PVH note (kernel built without CONFIG_PVH), the vmlinuz
# itself is printed instead, which QEMU boots the slow way.
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$repo/build/vm"
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
src="$root/boot/vmlinuz-$kver"
dir="$build/$kver"
out="$dir/vmlinux"

[ -r "$src" ] || { echo "vm: cannot read $src" >&2; exit 1; }
mkdir -p "$dir"

# Serialise with other runs preparing the same kernel.
exec 9>"$dir/.vmlinux.lock"
flock 9

if ! [ -s "$out" ] || ! [ "$out" -nt "$src" ]; then
	start=$(date +%s.%N)
	python3 - "$src" "$out.tmp.$$" <<'PY'
import lzma, struct, subprocess, sys, zlib

src, dst = sys.argv[1], sys.argv[2]
blob = open(src, "rb").read()

MAGICS = {
    b"\xfd7zXZ\x00": "xz",
    b"\x1f\x8b\x08": "gzip",
    b"\x28\xb5\x2f\xfd": "zstd",
}


def inflate(kind, data):
    if kind == "xz":
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data)
    if kind == "gzip":
        return zlib.decompressobj(wbits=31).decompress(data)
    # zstd has no module in the standard library: use the command.
    res = subprocess.run(["zstd", "-dcq"], input=data, capture_output=True)
    return res.stdout


def candidates():
    # Linux/x86 boot protocol: "HdrS" at 0x202, setup_sects at 0x1f1,
    # payload_offset at 0x248 counted from the protected-mode code.
    if blob[0x202:0x206] == b"HdrS":
        sects = blob[0x1F1] or 4
        off, length = struct.unpack_from("<II", blob, 0x248)
        start = (sects + 1) * 512 + off
        for magic, kind in MAGICS.items():
            if blob.startswith(magic, start):
                yield start, kind, blob[start:start + length]
    for magic, kind in MAGICS.items():
        pos = blob.find(magic)
        while pos >= 0:
            yield pos, kind, blob[pos:]
            pos = blob.find(magic, pos + 1)


for pos, kind, data in candidates():
    try:
        elf = inflate(kind, data)
    except (lzma.LZMAError, zlib.error, OSError):
        continue
    if elf[:4] == b"\x7fELF":
        with open(dst, "wb") as f:
            f.write(elf)
        print(f"vm: {src}: {kind} payload at {pos:#x}, {len(elf)} bytes",
              file=sys.stderr)
        sys.exit(0)
sys.exit(f"vm: {src}: no compressed ELF kernel found (is zstd installed?)")
PY
	mv -f "$out.tmp.$$" "$out"
	end=$(date +%s.%N)
	awk -v a="$start" -v b="$end" -v f="$out" \
		'BEGIN { printf "vm: extracted %s in %.2f s\n", f, b - a }' >&2
fi

# Does the ELF carry XEN_ELFNOTE_PHYS32_ENTRY (type 18, owner "Xen")?
if python3 - "$out" <<'PY'
import struct, sys

f = open(sys.argv[1], "rb")
eh = f.read(64)
if eh[4] != 2:
    sys.exit(1)                     # not ELF64
phoff, = struct.unpack_from("<Q", eh, 0x20)
phentsize, phnum = struct.unpack_from("<HH", eh, 0x36)
for i in range(phnum):
    f.seek(phoff + i * phentsize)
    ptype, _, off, _, _, filesz = struct.unpack("<IIQQQQ", f.read(40))
    if ptype != 4:                  # PT_NOTE
        continue
    f.seek(off)
    notes = f.read(filesz)
    p = 0
    while p + 12 <= len(notes):
        nsz, dsz, ntype = struct.unpack_from("<III", notes, p)
        name = notes[p + 12:p + 12 + nsz].rstrip(b"\0")
        if name == b"Xen" and ntype == 18:
            sys.exit(0)
        p += 12 + (nsz + 3) // 4 * 4 + (dsz + 3) // 4 * 4
sys.exit(1)
PY
then
	echo "$out"
else
	echo "vm: $out has no PVH entry note; booting $src instead (slower)" >&2
	echo "$src"
fi
