#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Compare every integer constant of driver/hv/hv_tlfs*.h (object-like
# #defines and enum members, evaluated by the compiler) with the constant of
# the same name in upstream Linux 7.2's include/hyperv/*.h.  TAP.
#
#   scripts/check-tlfs-constants.sh [--headers DIR] [-v]
#
#   --headers DIR   upstream include/hyperv directory (default: the 7.2
#                   headers the kernel matrix unpacks into build/kernels/;
#                   MSHV_TLFS_UPSTREAM overrides it too)
#   -v              also list every matched name as a TAP comment
#   MSHV_TLFS_DUMP=FILE  write every name with its value(s) to FILE
#
# One case per mismatched value (the driver sends these numbers to the
# hypervisor: upstream is the authority), one for the matched count and one
# per struct whose size or member offsets differ where both sides define
# the same struct name.  Names only in ours are listed as comments: they may
# be legitimately absent upstream.  Both sides are compiled as userspace C
# (x86-64, CONFIG_X86) with the few kernel helpers they use shimmed, each in
# its own translation unit.  Exit 1 on any mismatch, 4 (skip) when the
# upstream headers are not present (fetch them with
# "MSHV_KERNELS=7.2 bash scripts/matrix/fetch.sh").
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	sed -n '4,24p' "$0" | sed 's/^# \{0,1\}//'
}

up=${MSHV_TLFS_UPSTREAM:-}
verbose=0
while [ $# -gt 0 ]; do
	case "$1" in
	--headers) [ $# -ge 2 ] || { usage >&2; exit 2; }; up=$2; shift 2 ;;
	-v) verbose=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

if [ -z "$up" ]; then
	for d in "$top"/build/kernels/7.2*/root/usr/src/linux-headers-*-common/include/hyperv; do
		[ -f "$d/hvhdk.h" ] && up=$d
	done
fi

echo "TAP version 13"
if [ -z "$up" ] || [ ! -f "$up/hvhdk.h" ]; then
	echo "1..0 # SKIP upstream 7.2 include/hyperv headers not present (MSHV_KERNELS=7.2 bash scripts/matrix/fetch.sh)"
	echo "0 passed, 0 failed"
	exit 4
fi
for t in gcc python3; do
	if ! command -v "$t" >/dev/null; then
		echo "1..0 # SKIP $t not installed"
		echo "0 passed, 0 failed"
		exit 4
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Just enough of the kernel's headers for both sets to compile in userspace.
mkdir -p "$tmp/shim/linux"
cat >"$tmp/shim/linux/types.h" <<'EOF'
#ifndef SHIM_TYPES_H
#define SHIM_TYPES_H
#include <stdbool.h>
#include <stddef.h>
typedef unsigned char u8, __u8;
typedef unsigned short u16, __u16;
typedef unsigned int u32, __u32;
typedef unsigned long long u64, __u64;
typedef signed char s8, __s8;
typedef short s16, __s16;
typedef int s32, __s32;
typedef long long s64, __s64;
typedef unsigned long ulong;
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define IS_ENABLED(option) option
#define NSEC_PER_SEC 1000000000L
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#define BUILD_BUG_ON(cond) ((void)sizeof(char[1 - 2 * !!(cond)]))
#define __always_inline inline __attribute__((__always_inline__))
#define __counted_by(m)
#define DECLARE_FLEX_ARRAY(TYPE, NAME) \
	struct { struct { } __empty_ ## NAME; TYPE NAME[]; }
#define __TRAILING_OVERLAP(TYPE, NAME, FAM, ATTRS, MEMBERS) \
	union { TYPE NAME; struct { \
		unsigned char __offset_to_FAM[offsetof(TYPE, FAM)]; \
		MEMBERS } ATTRS; }
#define TRAILING_OVERLAP(TYPE, NAME, FAM, MEMBERS) \
	__TRAILING_OVERLAP(TYPE, NAME, FAM, , MEMBERS)
#endif
EOF
cat >"$tmp/shim/linux/bits.h" <<'EOF'
#include <linux/types.h>
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) (((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (63 - (h))))
EOF
for h in compiler build_bug stddef; do
	echo '#include <linux/types.h>' >"$tmp/shim/linux/$h.h"
done

mkdir -p "$tmp/ours" "$tmp/up"
echo '#include "hv_tlfs.h"' >"$tmp/ours/all.h"
for h in hvhdk.h hvhdk_mini.h hvgdk.h hvgdk_ext.h hvgdk_mini.h; do
	[ ! -f "$up/$h" ] || echo "#include \"$h\""
done >"$tmp/up/all.h"

# The shims come first for <linux/...>; errors point at the generated line.
cflags=(-std=gnu11 -m64 -D__KERNEL__ -DCONFIG_X86=1 -DCONFIG_X86_64=1 -I "$tmp/shim"
	-ftrack-macro-expansion=0 -fmax-errors=0)

set +e
python3 - "$tmp" "$top/driver/hv" "$up" "$verbose" "${cflags[@]}" <<'PYEOF'
import difflib, glob, os, re, subprocess, sys

tmp, ourdir, updir, verbose = sys.argv[1:5]
cflags = sys.argv[5:]
verbose = verbose == "1"
sides = {
    "ours": (sorted(glob.glob(os.path.join(ourdir, "hv_tlfs*.h"))), ourdir),
    "upstream": (sorted(glob.glob(os.path.join(updir, "*.h"))), updir),
}

tap = []        # (ok, description, comment lines)
notes = []      # top-level comments


def die(msg, detail=""):
    print("1..1")
    print("not ok 1 - " + msg)
    for line in detail.splitlines()[:40]:
        print("# | " + line)
    print("0 passed, 1 failed")
    sys.exit(1)


def gcc(side, args, src=None):
    inc = os.path.join(tmp, "ours" if side == "ours" else "up")
    cmd = ["gcc"] + cflags + ["-I", inc, "-I", sides[side][1]] + args
    return subprocess.run(cmd, input=src, capture_output=True, text=True)


def run_c(side, src, what, suffix):
    """Build @src against @side's headers, run it, return its stdout."""
    exe = os.path.join(tmp, side + suffix)
    r = gcc(side, ["-w", "-x", "c", "-", "-o", exe], src)
    if r.returncode:
        die("%s: %s program does not build" % (side, what), r.stderr)
    return subprocess.run([exe], capture_output=True, text=True, check=True).stdout


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def names_of(side):
    """Object-like #define names written in the files, as actually defined
    after preprocessing for x86-64; enum members; struct/union tags."""
    files, _ = sides[side]
    written = set()
    for f in files:
        with open(f) as fh:
            for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(?=[ \t]|$)",
                                 fh.read(), re.M):
                written.add(m.group(1))
    allh = os.path.join(tmp, "ours" if side == "ours" else "up", "all.h")
    r = gcc(side, ["-E", "-dM", allh])
    if r.returncode:
        die(side + ": preprocessing failed", r.stderr)
    defined = set(re.findall(r"^#define (\w+)[ \n]", r.stdout, re.M))
    macros = (written & defined) - {n for n in written if re.match(r"^_", n)}
    r = gcc(side, ["-E", "-P", allh])
    if r.returncode:
        die(side + ": preprocessing failed", r.stderr)
    code = strip_comments(r.stdout)
    enums = set()
    for body in re.findall(r"\benum\b\s*\w*\s*\{([^{}]*)\}", code):
        depth, cur, parts = 0, "", []
        for ch in body:
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        for p in parts:
            m = re.match(r"\s*([A-Za-z_]\w*)", p)
            if m:
                enums.add(m.group(1))
    tags = set(re.findall(r"\b((?:struct|union)\s+\w+)\s*\{", code))
    return macros | enums, tags


ISINT = ("(_Generic((X) + 0, int: 1, unsigned int: 1, long: 1, "
         "unsigned long: 1, long long: 1, unsigned long long: 1, "
         "default: 0) && __builtin_constant_p(X))")


def compile_pruned(side, items, line_of, tries=30):
    """Compile the lines line_of(item) after #include "all.h"; drop the
    items whose line does not compile.  Returns the surviving items."""
    items = list(items)
    for _ in range(tries):
        src = '#include "all.h"\n' + "".join(line_of(i) + "\n" for i in items)
        r = gcc(side, ["-fsyntax-only", "-x", "c", "-"], src)
        if r.returncode == 0:
            return items
        bad = {int(n) - 2 for n in re.findall(r"^<stdin>:(\d+):", r.stderr, re.M)}
        bad = {b for b in bad if 0 <= b < len(items)}
        if not bad:
            die(side + ": the generated C does not compile", r.stderr)
        items = [it for k, it in enumerate(items) if k not in bad]
    die(side + ": could not isolate the names that do not compile")


def values(side, names):
    """name -> (negative, value mod 2^64) for the integer constants."""
    ok = compile_pruned(side, sorted(names), lambda n: "_Static_assert(%s, \"\");"
                        % ISINT.replace("X", n))
    src = ('#include "all.h"\n#include <stdio.h>\n'
           "static const struct { const char *n; int neg; unsigned long long v; } t[] = {\n"
           + "".join('{ "%s", (%s) < 0, (unsigned long long)(%s) },\n' % (n, n, n) for n in ok)
           + "};\nint main(void) { for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)"
           ' printf("%s %d %llu\\n", t[i].n, t[i].neg, t[i].v); return 0; }\n')
    out = run_c(side, src, "value", ".out")
    vals = {}
    for line in out.splitlines():
        n, neg, v = line.split()
        vals[n] = (neg == "1", int(v))
    return vals


def fmt(nv):
    neg, v = nv
    if neg:
        return "%d" % (v - (1 << 64))
    return "0x%x" % v


def layouts(side, tags):
    """tag -> (sizeof, {member: offsetof}) for the named members of each
    struct/union that compiles; nested anonymous members are flattened."""
    members = {}
    r = gcc(side, ["-E", "-P", os.path.join(tmp, "ours" if side == "ours" else "up", "all.h")])
    if r.returncode:
        die(side + ": preprocessing failed", r.stderr)
    code = strip_comments(r.stdout)
    for tag in tags:
        m = re.search(r"\b" + re.escape(tag) + r"\s*\{", code)
        if not m:
            continue
        depth, k = 1, m.end()
        while depth and k < len(code):
            depth += {"{": 1, "}": -1}.get(code[k], 0)
            k += 1
        body = code[m.end():k - 1]
        # Direct and anonymous-nested members: "type name;" / "type name[N];"
        flat = re.sub(r"\b(struct|union)\s*\w*\s*\{", " ", body)
        flat = re.sub(r"\}\s*(__attribute__\s*\(\(.*?\)\)\s*)*(\w+)?\s*;", lambda mm: "} " + (mm.group(2) or "") + ";", flat)
        names = []
        for decl in flat.split(";"):
            decl = re.sub(r"__attribute__\s*\(\(.*?\)\)", " ", decl)
            decl = re.sub(r"\[[^\]]*\]", "", decl).strip()
            if not decl or "(" in decl:
                continue
            mm = re.search(r"(\w+)\s*(:\s*\w+)?\s*$", decl)
            if mm and not mm.group(2) and mm.group(1) not in (
                    "u8", "u16", "u32", "u64", "__u8", "__u16", "__u32", "__u64", "}"):
                names.append(mm.group(1))
        members[tag] = names
    items = [(t, None) for t in sorted(members)]
    items += [(t, f) for t in sorted(members) for f in members[t]]

    def line(it):
        t, f = it
        if f is None:
            return "_Static_assert(sizeof(%s) || 1, \"\");" % t
        return "_Static_assert(__builtin_offsetof(%s, %s) >= 0, \"\");" % (t, f)
    ok = compile_pruned(side, items, line)
    src = ('#include "all.h"\n#include <stdio.h>\nint main(void) {\n'
           + "".join(('printf("%s @ %%zu\\n", sizeof(%s));\n' % (t, t)) if f is None else
                     ('printf("%s %s %%zu\\n", (size_t)__builtin_offsetof(%s, %s));\n' % (t, f, t, f))
                     for t, f in ok)
           + "return 0; }\n")
    out = run_c(side, src, "layout", ".lay")
    lay = {}
    for line_ in out.splitlines():
        a, b, c, v = line_.split()
        tag = a + " " + b
        lay.setdefault(tag, [None, {}])
        if c == "@":
            lay[tag][0] = int(v)
        else:
            lay[tag][1][c] = int(v)
    return lay


our_names, our_tags = names_of("ours")
up_names, up_tags = names_of("upstream")
ours = values("ours", our_names)
upv = values("upstream", up_names)

matched = sorted(n for n in ours if n in upv and ours[n] == upv[n])
mismatched = sorted(n for n in ours if n in upv and ours[n] != upv[n])
noncmp = sorted(n for n in ours if n in up_names and n not in upv)
only = sorted(n for n in ours if n not in up_names)
up_only = sorted(n for n in upv if n not in ours)

for n in mismatched:
    tap.append((False, "%s: ours %s, upstream %s" % (n, fmt(ours[n]), fmt(upv[n])), []))
tap.append((True, "%d names with the same value in ours and upstream (%d compared, "
            "%d mismatched)" % (len(matched), len(matched) + len(mismatched), len(mismatched)),
            ["  " + n + " = " + fmt(ours[n]) for n in matched] if verbose else []))

# Struct layouts where both define the same struct/union tag.
both = our_tags & up_tags
lo, lu = layouts("ours", both), layouts("upstream", both)
lay_ok = 0
for tag in sorted(set(lo) & set(lu)):
    (so, mo), (su, mu) = lo[tag], lu[tag]
    diffs = []
    # A trailing array one side declares flexible (a member at offset ==
    # sizeof) and the other with a size: noted, not a layout difference.
    flex = [f for f in set(mo) & set(mu) if mo[f] == mu[f] and so != su and
            (mo[f] == so or mu[f] == su)]
    if so != su and flex:
        notes.append("%s: sizeof %s vs %s upstream, trailing %s[] flexible on one side"
                     % (tag, so, su, flex[0]))
    elif so != su:
        diffs.append("sizeof %s vs %s" % (so, su))
    for f in sorted(set(mo) & set(mu), key=lambda f: mu[f]):
        if mo[f] != mu[f]:
            diffs.append("%s at %d vs %d" % (f, mo[f], mu[f]))
    if diffs:
        tap.append((False, "%s layout: ours vs upstream: %s" % (tag, "; ".join(diffs)), []))
    else:
        lay_ok += 1
tap.append((True, "%d struct/union layouts identical (sizeof and the offsets of the members "
            "both name) of %d defined on both sides%s"
            % (lay_ok, len(set(lo) & set(lu)), ", %d with a note" % len(notes) if notes else ""),
            []))

print("1..%d" % len(tap))
for k, (ok, d, comments) in enumerate(tap, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", k, d))
    for c in comments:
        print("#" + c)
print("# ours: %d integer constants in %s" % (len(ours), ", ".join(os.path.basename(f) for f in sides["ours"][0])))
print("# upstream: %d names (#defines and enum members) in %s" % (len(up_names), updir))
for n in notes:
    print("# note: " + n)
if noncmp:
    print("# in both but not an integer constant upstream (not compared): " + " ".join(noncmp))
print("# %d names only in ours (informational; may be absent upstream by design):" % len(only))
for n in only:
    family = n.split("_")[:2]
    near = [u for u in difflib.get_close_matches(n, up_only, n=3, cutoff=0.8)
            if u.split("_")[:2] == family][:2]
    hint = ", ".join("%s %s upstream = %s" % ("same as" if upv[u] == ours[n] else "differs from",
                                              u, fmt(upv[u])) for u in near)
    print("#   %s = %s%s" % (n, fmt(ours[n]), " (" + hint + ")" if hint else ""))
if os.environ.get("MSHV_TLFS_DUMP"):
    with open(os.environ["MSHV_TLFS_DUMP"], "w") as fh:
        for n in sorted(upv):
            fh.write("%s %s %s\n" % ("both" if n in ours else "up", n, fmt(upv[n])))
        for n in only:
            fh.write("ours %s %s\n" % (n, fmt(ours[n])))
fails = sum(1 for ok, _, _ in tap if not ok)
print("%d passed, %d failed" % (len(tap) - fails, fails))
sys.exit(1 if fails else 0)
PYEOF
rc=$?
set -e
exit "$rc"
