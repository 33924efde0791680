#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "make check": install what is missing (as root), build everything, run the
# static checks, the userspace unit tests and the VM tests, and finish with
# the line "N passed, N failed" (", N skipped" when tests skipped).
#
#   scripts/check.sh [STEP...]      run only the named steps (see --list)
#
# Every step prints TAP; its full output is kept in build/check/STEP.log.
# Environment: KVER (kernel to build for and boot; default scripts/pick-kernel.sh),
# MSHV_KERNELS=all also runs the kernel matrix (scripts/kernel-matrix.sh),
# MSHV_CHECK_VERBOSE=1 prints each step's whole log.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
logdir=$top/build/check
mkdir -p "$logdir"

total_pass=0
total_fail=0
total_skip=0
failed_steps=()

# Count one step's results.  VM runs report "# vm-run: PASS=n FAIL=n SKIP=n"
# (their nested TAP is already included); other steps are counted from
# their top-level TAP lines.
count_results() {	# count_results LOG -> "pass fail skip"
	local log=$1

	if grep -q '^# vm-run: PASS=' "$log"; then
		awk '/^# vm-run: PASS=/ {
			for (i = 3; i <= NF; i++) { split($i, kv, "="); c[kv[1]] += kv[2] }
		} END { printf "%d %d %d\n", c["PASS"], c["FAIL"], c["SKIP"] }' "$log"
		return
	fi
	awk '/^ok / { if ($0 ~ /# [Ss][Kk][Ii][Pp]/) s++; else p++ }
	     /^not ok / { if ($0 ~ /# TODO/) p++; else f++ }
	     /^1\.\.0 # [Ss][Kk][Ii][Pp]/ { s++ }
	     END { printf "%d %d %d\n", p, f, s }' "$log"
}

run_step() {	# run_step NAME CMD...
	local name=$1 log=$logdir/$1.log start rc pass fail skip
	shift
	start=$(date +%s.%N)
	mkdir -p "$logdir"
	"$@" > "$log" 2>&1 < /dev/null
	rc=$?
	[ -f "$log" ] || echo "not ok - step '$name' lost its log" > "$log"
	read -r pass fail skip <<<"$(count_results "$log")"
	# Exit status 4 is the kselftest "skipped" (counted from its TAP).
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ] && [ "$fail" -eq 0 ]; then
		echo "not ok - step '$name' exited with status $rc" >> "$log"
		fail=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	total_skip=$((total_skip + skip))
	printf '== %-16s %4d passed, %d failed, %d skipped  (%.1f s)\n' "$name" \
		"$pass" "$fail" "$skip" "$(echo "$(date +%s.%N) - $start" | bc)"
	if [ "${MSHV_CHECK_VERBOSE:-0}" = 1 ]; then
		sed 's/^/   | /' "$log"
	elif [ "$fail" -ne 0 ]; then
		failed_steps+=("$name")
		grep -E '^(not ok|#)|^ +not ok' "$log" | grep -v '^# vm-run:' | head -n 40 | sed 's/^/   | /'
		echo "   | (full log: $log)"
	fi
}

# --- the steps --------------------------------------------------------------

step_deps() {
	echo "TAP version 13"
	echo "1..1"
	if scripts/install-deps.sh build vm user dkms; then
		echo "ok 1 - build, VM and DKMS dependencies present"
	else
		echo "not ok 1 - missing packages (run make check as root to install them)"
	fi
}

step_build() {
	local out warnings

	echo "TAP version 13"
	echo "1..3"
	# A clean kbuild tree, so that every file is compiled and checked
	# ("make modules-clean", not kbuild's clean with M=$top: that also
	# deletes the *.ko of the unpacked kernels in build/kernels/).
	if out=$(make -s modules-clean KVER="$KVER" 2>&1 &&
		 make modules KVER="$KVER" W=1 C=1 2>&1); then
		echo "ok 1 - modules build against $KVER"
	else
		echo "not ok 1 - modules build against $KVER"
	fi
	printf '%s\n' "$out" | sed 's/^/# /'
	warnings=$(echo "$out" | grep -cE 'warning:|error:|sparse:' || true)
	if [ "$warnings" -eq 0 ]; then
		echo "ok 2 - W=1 and sparse (C=1) report no warnings"
	else
		echo "not ok 2 - W=1/sparse reported $warnings warnings"
	fi
	if out=$(make user 2>&1); then
		echo "ok 3 - userspace builds with -Werror"
	else
		echo "not ok 3 - userspace build"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}

step_static() {
	local n=0 stray missing

	echo "TAP version 13"
	echo "1..2"
	stray=$(grep -rlE 'LINUX_VERSION_CODE|KERNEL_VERSION\(' driver --include='*.[ch]' |
		grep -v '^driver/compat/' || true)
	n=$((n + 1))
	if [ -z "$stray" ]; then
		echo "ok $n - kernel version checks only in driver/compat/"
	else
		echo "not ok $n - version checks outside driver/compat/: $stray"
	fi
	missing=$(git ls-files | grep -vE '(^|/)(\.gitignore|VERSION|README.*|[^/]*\.txt|[^/]*\.md|settings|config)$' |
		  while read -r f; do
			  [ -f "$f" ] || continue
			  head -n 3 "$f" | grep -q 'SPDX-License-Identifier' || echo "$f"
		  done)
	n=$((n + 1))
	if [ -z "$missing" ]; then
		echo "ok $n - every source file has an SPDX line"
	else
		echo "not ok $n - files without SPDX: $(echo "$missing" | tr '\n' ' ')"
	fi
}

step_uapi() {
	build/user/uapi_abi_test
}

step_vm_module() {
	scripts/vm-run.sh --kernel "$KVER" --name module-load \
		--insmod driver/mshv_root.ko -- scripts/guest/module-load.sh
}

# Both modules, hvsim with the given parameters; 4G so that the 1 GiB
# mapping test runs.
vm_run_hvsim() {	# vm_run_hvsim NAME HVSIM_PARAMS -- CMD...
	local name=$1 params=$2
	shift 3
	scripts/vm-run.sh --kernel "$KVER" --name "$name" --timeout 900 --mem 4G \
		--insmod driver/mshv_root.ko --insmod driver/hvsim/mshv_hvsim.ko:"$params" -- "$@"
}

# hvsim's x86 interpreter in userspace: unit tests, then random instruction
# sequences compared with a KVM vCPU (skips where /dev/kvm is unusable).
step_x86_unit() {
	make -s -C driver/hvsim/x86/tests check O="$top/build/x86"
}

step_x86_kvm_diff() {
	make -s -C driver/hvsim/x86/tests kvm-diff O="$top/build/x86" DIFF_COUNT=100000
}

step_selftests_host() {
	# No /dev/mshv on the build machine: every test must skip cleanly.
	build/user/runner/mshv-run --expect-skip
}

# The whole selftest suite, then hvsim's and the driver's leak counters
# after every program (no partition, mapping, pin or deposit left).
step_vm_selftests_root() {
	vm_run_hvsim selftests-root "scheduler=root" -- scripts/guest/selftests-with-leak-check.sh
}

step_vm_selftests_core() {
	vm_run_hvsim selftests-core "scheduler=core" -- scripts/guest/selftests-with-leak-check.sh
}

step_vm_hello() {
	vm_run_hvsim hello-guest "" -- scripts/guest/hello.sh -q
}

step_vm_hotplug() {
	vm_run_hvsim cpu-hotplug "scheduler=core" -- scripts/guest/cpu-hotplug.sh
}

step_vm_hvsim_reload() {
	vm_run_hvsim hvsim-reload "" -- scripts/guest/hvsim-reload.sh
}

step_vm_tracepoints() {
	vm_run_hvsim tracepoints "" -- scripts/guest/tracepoints.sh
}

# MSHV_KERNELS=all (or a list, see scripts/matrix/kernels.conf) adds the
# kernel matrix: build, VM tests and DKMS on every listed kernel.
step_kernel_matrix() {
	scripts/kernel-matrix.sh --kernels "$MSHV_KERNELS" --table
}

step_dkms() {
	scripts/test-dkms.sh "$KVER"
}

all_steps=(deps build static compat-range checkpatch uapi uapi-mutation libmshv-unit
	   x86-unit x86-kvm-diff selftests-host vm-harness vm-module vm-hello
	   vm-selftests-root vm-selftests-core vm-hvsim-faults vm-hotplug vm-hvsim-reload
	   vm-tracepoints dkms)
[ -z "${MSHV_KERNELS:-}" ] || all_steps+=(kernel-matrix)
all_steps+=(tlfs-constants)	# last: the matrix fetches the 7.2 headers it needs

step_fn() {
	case "$1" in
	deps|build|static|uapi|dkms) echo "step_$1" ;;
	compat-range) echo scripts/check-compat-range.sh ;;
	tlfs-constants) echo scripts/check-tlfs-constants.sh ;;
	checkpatch) echo scripts/checkpatch.sh ;;
	uapi-mutation) echo scripts/uapi-selfcheck.sh ;;
	vm-harness) echo scripts/vm/selftest.sh ;;
	vm-module) echo step_vm_module ;;
	kernel-matrix) echo step_kernel_matrix ;;
	# Four hypervisor models (root/L1VH x root/core scheduler), each with
	# 1-2 reps per call, periodic INSUFFICIENT_*MEMORY and leak checks.
	vm-hvsim-faults) echo driver/hvsim/tests/hvsim-matrix.sh ;;
	libmshv-unit) echo build/user/tests/libmshv_unit_test ;;
	selftests-host) echo step_selftests_host ;;
	x86-unit) echo step_x86_unit ;;
	x86-kvm-diff) echo step_x86_kvm_diff ;;
	vm-hello) echo step_vm_hello ;;
	vm-selftests-root) echo step_vm_selftests_root ;;
	vm-selftests-core) echo step_vm_selftests_core ;;
	vm-hotplug) echo step_vm_hotplug ;;
	vm-hvsim-reload) echo step_vm_hvsim_reload ;;
	vm-tracepoints) echo step_vm_tracepoints ;;
	*) return 1 ;;
	esac
}

case "${1:-}" in
-h|--help)
	sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//'
	exit 0 ;;
--list)
	printf '%s\n' "${all_steps[@]}"
	exit 0 ;;
esac

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=("${all_steps[@]}")

# Packages first, so that picking the kernel below finds the headers.
if [ "$(id -u)" -eq 0 ]; then
	scripts/install-deps.sh build vm user dkms || echo "check: package installation failed" >&2
fi
KVER=${KVER:-$(scripts/pick-kernel.sh)}
export KVER
echo "mshv-dkms check: kernel $KVER, $(nproc) CPUs"

for s in "${steps[@]}"; do
	fn=$(step_fn "$s") || { echo "check: unknown step '$s' (see --list)" >&2; exit 2; }
	# shellcheck disable=SC2086
	run_step "$s" $fn
done

echo
[ ${#failed_steps[@]} -eq 0 ] || echo "failed steps: ${failed_steps[*]}"
line="$total_pass passed, $total_fail failed"
[ "$total_skip" -eq 0 ] || line="$line, $total_skip skipped"
echo "$line"
[ "$total_fail" -eq 0 ]
