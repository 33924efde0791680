#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# uapi-selfcheck.sh - show that user/tests/uapi_abi_test.c catches ABI drift
#
# A test that pins numbers is only useful if it fails when a number moves.
# This script copies uapi/linux/mshv.h to a temporary directory and, one
# mutation at a time, breaks the copy, rebuilds the ABI test against it and
# expects the test to fail (a failed build counts as caught, too).
#
# Mutations:
#  - every numeric literal outside comments, incremented by one: ioctl
#    numbers, the ioctl magic, enum values, array sizes, every numeric
#    #define and the numbers inside the *_FLAGS_MASK expressions;
#  - a short list of non-numeric ones: dropped packing, ioctl direction,
#    ioctl argument struct, field signedness, field order, mask type.
#
# Output is TAP 13, one case per mutation plus a baseline case and a
# coverage case (every #define carrying a number was mutated and caught).
# Exit status 0 means every mutation was caught.

set -euo pipefail

usage()
{
	cat <<EOF
Usage: ${0##*/} [--help]

Mutates a temporary copy of uapi/linux/mshv.h one number (or one small edit)
at a time and checks that user/tests/uapi_abi_test.c fails against each
mutant. Prints TAP 13; exits 0 iff every mutation is caught.

Environment: CC (default gcc).
EOF
}

case "${1:-}" in
-h|--help)
	usage
	exit 0
	;;
"")
	;;
*)
	usage >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
header="$root/uapi/linux/mshv.h"
test_src="$root/user/tests/uapi_abi_test.c"
cc=${CC:-gcc}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/inc/linux"
mutant="$work/inc/linux/mshv.h"

# Blank out comments (keeping columns) so that numbers in prose are skipped.
awk_mask='
function mask(line,    out, i, n) {
	out = ""
	n = length(line)
	i = 1
	while (i <= n) {
		if (in_c) {
			if (substr(line, i, 2) == "*/") {
				in_c = 0
				out = out "  "
				i += 2
			} else {
				out = out " "
				i++
			}
		} else if (substr(line, i, 2) == "/*") {
			in_c = 1
			out = out "  "
			i += 2
		} else if (substr(line, i, 2) == "//") {
			while (i++ <= n)
				out = out " "
		} else {
			out = out substr(line, i, 1)
			i++
		}
	}
	return out
}
'

# Print "line<TAB>column<TAB>length<TAB>token<TAB>is_define<TAB>context" for
# every numeric literal. Identifiers are matched as a whole first, so the
# digits in __u64, __x86_64__ or VTL0 are never taken for numbers.
list_numbers()
{
	awk "$awk_mask"'
	{
		m = mask($0)
		ctx = m
		gsub(/[ \t]+/, " ", ctx)
		sub(/^ /, "", ctx)
		sub(/ $/, "", ctx)
		if (length(ctx) > 64)
			ctx = substr(ctx, 1, 61) "..."
		def = (m ~ /^[ \t]*#[ \t]*define/) ? 1 : 0
		pos = 1
		rest = m
		while (match(rest, /[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9A-Fa-f]+|[0-9]+/)) {
			tok = substr(rest, RSTART, RLENGTH)
			col = pos + RSTART - 1
			if (tok ~ /^[0-9]/)
				printf "%d\t%d\t%d\t%s\t%d\t%s\n", NR, col, RLENGTH, tok, def, ctx
			pos = col + RLENGTH
			rest = substr(rest, RSTART + RLENGTH)
		}
	}' "$1"
}

# Write "$header" with the token at line $1, column $2, length $3 replaced
# by $4 to "$mutant".
replace_token()
{
	awk -v L="$1" -v C="$2" -v N="$3" -v R="$4" '
	NR == L { $0 = substr($0, 1, C - 1) R substr($0, C + N) }
	{ print }' "$header" > "$mutant"
}

# Token plus one, in the same notation (hex keeps its digit count).
bump()
{
	local tok=$1 digits

	if [[ $tok == 0[xX]* ]]; then
		digits=$(( ${#tok} - 2 ))
		printf '0x%0*X' "$digits" $(( tok + 1 ))
	else
		printf '%d' $(( 10#$tok + 1 ))
	fi
}

# Build and run the test against "$mutant". Sets $verdict to "build",
# "run:<failed cases>" or "pass" (meaning the mutation went unnoticed).
# -Werror is left out: only a real error should count as a build failure.
verdict=
try_mutant()
{
	local out nfail

	if ! "$cc" -O0 -Wall -Wextra -I "$work/inc" -o "$work/t" "$test_src" \
		2> "$work/build.log"; then
		verdict=build
		return
	fi
	if out=$(timeout 20 "$work/t" 2>&1); then
		verdict=pass
		return
	fi
	nfail=$(grep -c '^not ok' <<< "$out" || true)
	verdict="run:$nfail"
}

# Non-numeric mutations: a description and a sed script each.
extra_desc=()
extra_sed=()
add_extra()
{
	extra_desc+=("$1")
	extra_sed+=("$2")
}

add_extra 'mshv_create_partition_v2 without packed attribute' \
	's/^} __attribute__((packed));/};/'
add_extra 'MSHV_ROOT_HVCALL _IOWR -> _IOW' \
	's/^\(#define MSHV_ROOT_HVCALL[[:space:]]*\)_IOWR(/\1_IOW(/'
add_extra 'MSHV_RUN_VP _IOR -> _IOWR' \
	's/^\(#define MSHV_RUN_VP[[:space:]]*\)_IOR(/\1_IOWR(/'
add_extra 'MSHV_INITIALIZE_PARTITION _IO -> _IOR(..., char)' \
	's/_IO(MSHV_IOCTL, 0x00)/_IOR(MSHV_IOCTL, 0x00, char)/'
add_extra 'MSHV_CREATE_PARTITION encodes the v2 size' \
	's/0x00, struct mshv_create_partition)/0x00, struct mshv_create_partition_v2)/'
add_extra 'MSHV_GET_VP_STATE takes mshv_root_hvcall' \
	's/0x01, struct mshv_get_set_vp_state)/0x01, struct mshv_root_hvcall)/'
add_extra 'MSHV_PT_FLAGS_MASK becomes unsigned' \
	's/((1 << MSHV_PT_BIT_COUNT) - 1)/((1U << MSHV_PT_BIT_COUNT) - 1)/'
add_extra 'mshv_user_irqfd.fd __s32 -> __u32' \
	'/^struct mshv_user_irqfd {/,/^};/s/__s32 fd;/__u32 fd;/'
add_extra 'mshv_root_hvcall.status __u16 -> __s16' \
	'/^struct mshv_root_hvcall {/,/^};/s/__u16 status;/__s16 status;/'
add_extra 'mshv_create_partition_v2.pt_flags __u64 -> __s64' \
	'/^struct mshv_create_partition_v2 {/,/^}/s/__u64 pt_flags;/__s64 pt_flags;/'
add_extra 'mshv_vtl_hvcall.status __u64 -> __s64' \
	'/^struct mshv_vtl_hvcall {/,/^};/s/__u64 status;/__s64 status;/'
add_extra 'mshv_user_irq_entry.address_lo and address_hi swapped' \
	'/^struct mshv_user_irq_entry {/,/^};/{
		s/address_lo;/address_xx;/
		s/address_hi;/address_lo;/
		s/address_xx;/address_hi;/
	}'
add_extra 'mshv_user_irq_table.entries[] -> entries[1]' \
	's/entries\[\];/entries[1];/'
add_extra 'pt_disabled_xsave only on __i386__' \
	's/defined(__x86_64__)/defined(__i386__)/'
add_extra 'mshv_user_ioeventfd.rsvd __u8 -> char' \
	'/^struct mshv_user_ioeventfd {/,/^};/s/__u8 rsvd\[/char rsvd[/'

mapfile -t numbers < <(list_numbers "$header")
total=$(( 1 + ${#numbers[@]} + ${#extra_desc[@]} + 1 ))

echo "TAP version 13"
echo "1..$total"

n=0
caught=0
missed=0
by_build=0
by_run=0

report()
{
	local desc=$1

	n=$(( n + 1 ))
	case "$verdict" in
	build)
		caught=$(( caught + 1 ))
		by_build=$(( by_build + 1 ))
		echo "ok $n - $desc: caught (test does not build)"
		grep -m1 'error:' "$work/build.log" | sed 's/^/#   /' || true
		;;
	run:*)
		caught=$(( caught + 1 ))
		by_run=$(( by_run + 1 ))
		echo "ok $n - $desc: caught (failing test cases: ${verdict#run:})"
		;;
	*)
		missed=$(( missed + 1 ))
		echo "not ok $n - $desc: NOT caught # test still passes"
		;;
	esac
}

# The unmodified header must pass, or every "caught" below would be void.
cp "$header" "$mutant"
try_mutant
n=$(( n + 1 ))
if [[ $verdict != pass ]]; then
	echo "not ok $n - unmodified header passes the ABI test # $verdict"
	sed 's/^/# /' "$work/build.log"
	echo "Bail out! the ABI test fails on the real header"
	exit 1
fi
echo "ok $n - unmodified header passes the ABI test"

declare -A define_lines=()
declare -A define_caught=()

for entry in "${numbers[@]}"; do
	IFS=$'\t' read -r line col len tok is_def ctx <<< "$entry"
	new=$(bump "$tok")
	replace_token "$line" "$col" "$len" "$new"
	try_mutant
	report "line $line col $col '$ctx': $tok -> $new"
	if [[ $is_def == 1 ]]; then
		define_lines[$line]=$ctx
		[[ $verdict == pass ]] || define_caught[$line]=1
	fi
done

for i in "${!extra_desc[@]}"; do
	desc=${extra_desc[$i]}
	sed -e "${extra_sed[$i]}" "$header" > "$mutant"
	if cmp -s "$header" "$mutant"; then
		n=$(( n + 1 ))
		missed=$(( missed + 1 ))
		echo "not ok $n - $desc # mutation did not apply; update this script"
		continue
	fi
	try_mutant
	report "$desc"
done

# Every "#define NAME <number>" (and every ioctl #define) must have been hit.
uncovered=()
while IFS= read -r line; do
	[[ -n ${define_caught[$line]:-} ]] || uncovered+=("$line")
done < <(awk "$awk_mask"'
	{ m = mask($0) }
	m ~ /^[ \t]*#[ \t]*define/ && m ~ /(^|[^A-Za-z0-9_])[0-9]/ { print NR }' "$header")
n=$(( n + 1 ))
if (( ${#uncovered[@]} == 0 )); then
	echo "ok $n - all ${#define_lines[@]} numeric #define lines mutated and caught"
else
	missed=$(( missed + 1 ))
	echo "not ok $n - numeric #define lines not caught # lines ${uncovered[*]}"
fi

mutations=$(( ${#numbers[@]} + ${#extra_desc[@]} ))
echo "# mutations: $mutations (${#numbers[@]} numeric, ${#extra_desc[@]} other)"
echo "# caught: $caught ($by_run by failing test cases, $by_build by build failure)"
echo "# missed: $missed"
(( missed == 0 ))
