#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the kernel's checkpatch.pl (--strict --no-tree) on every C source and
# header of the project and print TAP, one case per file.
#
#   scripts/checkpatch.sh [FILE...]
#
# checkpatch is not in the headers packages; it is taken once from Debian's
# linux-source-6.1 package (only checkpatch.pl and its data files) and
# cached in build/tools/.  Without apt access the whole run is skipped.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tools=$top/build/tools

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
	sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

fetch_checkpatch() {
	local src

	[ -x "$tools/checkpatch.pl" ] && return 0
	src=$("$top/scripts/linux-source-files.sh" scripts/checkpatch.pl \
		scripts/spelling.txt scripts/const_structs.checkpatch) || return 1
	mkdir -p "$tools"
	# checkpatch looks for its data files next to itself.
	cp "$src"/scripts/{checkpatch.pl,spelling.txt,const_structs.checkpatch} "$tools/"
}

if ! fetch_checkpatch; then
	echo "TAP version 13"
	echo "1..0 # SKIP checkpatch.pl unavailable (apt-get download linux-source-6.1 failed)"
	exit 0
fi

cd "$top"
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null ||
			     find driver uapi user selftests -name '*.[ch]')
fi

# The checks a file gets depend on what kind of file it is.
ignores_for() {
	case "$1" in
	user/*|selftests/*|driver/hvsim/x86/tests/*)
		# Userspace: kernel-only types and macros do not exist; libFuzzer
		# fixes the name of its entry point.
		echo PREFER_KERNEL_TYPES,SPLIT_STRING,NEW_TYPEDEFS,PREFER_DEFINED_ATTRIBUTE_MACRO,BIT_MACRO,CAMELCASE ;;
	driver/hvsim/x86/x86_types.h)
		# Maps the kernel type names onto <stdint.h> for the userspace build.
		echo PREFER_KERNEL_TYPES ;;
	driver/hvsim/x86/*)
		# The interpreter also builds in userspace (no BIT_ULL there), and
		# propagates faults from every memory access with HVX86_TRY(), one
		# early-return macro instead of hundreds of if/return pairs.
		echo BIT_MACRO,MACRO_WITH_FLOW_CONTROL ;;
	uapi/*)
		# Userspace sees this header as is, where __packed does not exist
		# (headers_install rewrites it the same way upstream).
		echo PREFER_DEFINED_ATTRIBUTE_MACRO ;;
	driver/compat/*)
		# The one place where version checks belong.
		echo LINUX_VERSION_CODE ;;
	*)	echo FILE_PATH_CHANGES ;;
	esac
}

# One checkpatch run per kind of file (perl start-up dominates per-file runs).
out=$(mktemp)
trap 'rm -f "$out"' EXIT
declare -A kinds=()
for f in "${files[@]}"; do
	kinds[$(ignores_for "$f")]+="$f"$'\n'
done
for ign in "${!kinds[@]}"; do
	mapfile -t group <<<"${kinds[$ign]%$'\n'}"
	"$tools/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore "FILE_PATH_CHANGES,$ign" -f "${group[@]}" >> "$out" 2>&1 || true
done

echo "TAP version 13"
echo "1..${#files[@]}"
n=0
fails=0
for f in "${files[@]}"; do
	n=$((n + 1))
	if ! grep -q "^$f:" "$out"; then
		echo "ok $n - checkpatch $f"
	else
		fails=$((fails + 1))
		echo "not ok $n - checkpatch $f"
		grep "^$f:" "$out" | head -n 20 | sed 's/^/# /'
	fi
done
[ "$fails" -eq 0 ]
