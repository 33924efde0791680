#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run a command inside a throw-away QEMU (TCG) VM booted with a Debian
# kernel, and report the outcome as TAP 13.
#
# Usage: scripts/vm-run.sh [options] -- COMMAND [ARGS...]
#
#   --kernel KVER        kernel release to boot; default: the one Debian's
#                        linux-image-amd64 depends on (scripts/vm/kver.sh)
#   --kernel-root DIR    boot DIR/boot/vmlinuz-KVER with the modules of
#                        DIR/lib/modules/KVER, a kernel unpacked from its
#                        packages rather than installed; in the guest that
#                        directory is bind-mounted on /lib/modules/KVER.
#                        Default: /, or build/kernels/KVER/root when
#                        /boot/vmlinuz-KVER does not exist but that does
#                        (scripts/matrix/fetch.sh unpacks kernels there)
#   --timeout SEC        wall-clock limit for the whole VM, boot included (300)
#   --smp N              virtual CPUs (2)
#   --mem SIZE           guest memory, QEMU syntax (1G)
#   --cpu MODEL          QEMU CPU model (qemu64), e.g. max or qemu64,+svm
#   --insmod PATH.ko[:PARAMS]
#                        load this module before COMMAND; repeatable, loaded
#                        in the given order; PARAMS are blank-separated
#                        (--insmod drv.ko:"a=1 b=2")
#   --name NAME          results go to build/vm/run-NAME/ (default: the
#                        command's base name; a suffix is added if a run of
#                        that name is in progress)
#   --append ARGS        extra kernel command line words (vmrun_root=bind:
#                        read-only root with tmpfs /tmp instead of the overlay)
#   -v, --verbose        copy the VM console to stderr while it runs
#   -h, --help           this text
#
# The VM (q35, -accel tcg; never KVM) boots the uncompressed vmlinux through
# PVH with a small initramfs (built once per kernel under build/vm/KVER/).
# The host's / is its read-only root, made writable by a tmpfs overlay, so
# host binaries and files are used in place; build/vm/run-NAME/ is a
# writable share at the same path.  In the guest the modules are insmodded,
# then COMMAND runs as root in the repository's top directory (a relative
# COMMAND path is taken from there), with stdin /dev/null and VM_RUN_DIR set
# to the share; whatever it leaves running is killed when it returns.  Its
# output goes to the console and to run-NAME/cmd.out.  The kernel runs with
# loglevel=5, oops=panic and panic=-1 (an oops ends the VM at once).
# debugfs, tracefs, devpts and /dev/shm are mounted.
#
# Output (stdout) is TAP 13.  The cases are: one per --insmod; the command's
# exit status (0 ok, 4 skip, else fail; a failed case in its own TAP fails
# it too), preceded by its output as a nested subtest indented four
# spaces; the kernel taint after the command has no
# W (bit 9) or D (bit 7) (other flags, e.g. O and E of out-of-tree modules,
# are ignored); no BUG/Oops/WARNING/panic/Call Trace in the kernel log; and
# the VM finished before the timeout.  On failure the console log's path and
# its last 40 lines follow as "# |" comments.  The last line is always
#   # vm-run: PASS=N FAIL=N SKIP=N
# counting the harness cases plus the nested command's top-level TAP cases.
# Exit status: 0 if nothing failed, 1 if something did, 2 on usage or setup
# errors (a setup error after option parsing still prints a one-case TAP
# with that summary line).
set -euo pipefail

usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0"
}

# Errors before the VM starts.  Once the arguments are understood, the
# error is also reported as a failed TAP case, so a summariser counts it.
parsed=0
die() {
	echo "vm-run: $*" >&2
	if [ "$parsed" -eq 1 ]; then
		printf 'TAP version 13\n1..1\nnot ok 1 - vm-run setup: %s\n' "${*//#/\\#}"
		echo "# vm-run: PASS=0 FAIL=1 SKIP=0"
	fi
	exit 2
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vmdir="$repo/scripts/vm"
build="$repo/build/vm"

kver=""
kroot=""
timeout_s=300
smp=2
mem=1G
cpu=qemu64
name=""
append=""
verbose=0
insmods=()

need() {
	[ $# -ge 2 ] || die "$1 needs a value (see --help)"
}

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) need "$@"; kver=$2; shift 2 ;;
	--kernel-root) need "$@"; kroot=$2; shift 2 ;;
	--timeout) need "$@"; timeout_s=$2; shift 2 ;;
	--smp) need "$@"; smp=$2; shift 2 ;;
	--mem) need "$@"; mem=$2; shift 2 ;;
	--cpu) need "$@"; cpu=$2; shift 2 ;;
	--insmod) need "$@"; insmods+=("$2"); shift 2 ;;
	--name) need "$@"; name=$2; shift 2 ;;
	--append) need "$@"; append=$2; shift 2 ;;
	-v|--verbose) verbose=1; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	*) die "unknown argument '$1' (COMMAND goes after --; see --help)" ;;
	esac
done
[ $# -gt 0 ] || die "no COMMAND given (usage: scripts/vm-run.sh [options] -- COMMAND...)"
cmd=("$@")
parsed=1

[[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout wants whole seconds, not '$timeout_s'"
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp wants a number, not '$smp'"

# Paths travel on the kernel command line, which has no quoting to speak of.
plain_path() {
	[[ "$1" =~ ^/[A-Za-z0-9._/+-]*$ ]] ||
		die "path '$1' has characters the harness cannot pass to the guest"
}
plain_path "$repo"

# --- modules to load ------------------------------------------------------
ko_paths=()
ko_params=()
for spec in "${insmods[@]}"; do
	if [[ "$spec" =~ ^(.*\.ko(\.(xz|gz|zst))?):(.*)$ ]]; then
		path=${BASH_REMATCH[1]}
		params=${BASH_REMATCH[4]}
	else
		path=$spec
		params=""
	fi
	[ -f "$path" ] || die "--insmod: no such file '$path'"
	path=$(realpath "$path")
	ko_paths+=("$path")
	ko_params+=("$params")
done

# --- kernel ----------------------------------------------------------------
if [ -z "$kver" ]; then
	kver=$("$vmdir/kver.sh") || die "no kernel to boot"
else
	echo "vm-run: kernel $kver (--kernel)" >&2
fi
if [ -z "$kroot" ] && ! [ -e "/boot/vmlinuz-$kver" ] &&
   [ -e "$repo/build/kernels/$kver/root/boot/vmlinuz-$kver" ]; then
	kroot=$repo/build/kernels/$kver/root
fi
if [ -n "$kroot" ]; then
	[ -d "$kroot" ] || die "--kernel-root: no directory '$kroot'"
	kroot=$(realpath "$kroot")
	[ "$kroot" != / ] || kroot=""
fi
if [ -n "$kroot" ]; then
	echo "vm-run: kernel $kver from $kroot" >&2
	plain_path "$kroot"
fi
[ -e "$kroot/boot/vmlinuz-$kver" ] || die "$kroot/boot/vmlinuz-$kver missing"
[ -d "$kroot/lib/modules/$kver" ] || die "$kroot/lib/modules/$kver missing"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 missing: run scripts/install-deps.sh vm"

prep_start=$(date +%s%N)
kernel_img=$("$vmdir/vmlinux.sh" --build-dir "$build" --root "$kroot" "$kver") ||
	die "kernel image preparation failed"
initrd=$("$vmdir/initramfs.sh" --build-dir "$build" --root "$kroot" "$kver") ||
	die "initramfs preparation failed"
prep_ns=$(($(date +%s%N) - prep_start))

# --- run directory -----------------------------------------------------------
if [ -z "$name" ]; then
	name=$(basename -- "${cmd[0]}")
fi
name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
mkdir -p "$build/.locks"
base=$name
for try in $(seq 1 50); do
	[ "$try" -eq 1 ] || name="$base.$try"
	exec 7>"$build/.locks/run-$name"
	flock -n 7 && break
	exec 7>&-
	[ "$try" -lt 50 ] || die "too many runs named '$base' in progress"
done
run="$build/run-$name"
plain_path "$run"
rm -rf "$run"
mkdir -p "$run"

{
	echo "# Written by scripts/vm-run.sh; read by scripts/vm/guest-run.sh"
	echo "# and scripts/vm/report.sh."
	VM_REPO=$repo
	VM_NAME=$name
	VM_KVER=$kver
	VM_INSMOD=("${ko_paths[@]}")
	VM_INSMOD_PARAMS=("${ko_params[@]}")
	VM_CMD=("${cmd[@]}")
	declare -p VM_REPO VM_NAME VM_KVER VM_INSMOD VM_INSMOD_PARAMS VM_CMD
} >"$run/job.sh"

# --- boot --------------------------------------------------------------------
kcmd="console=ttyS0 quiet loglevel=5 panic=-1 oops=panic"
kcmd+=" vmrun_out=$run vmrun_guest=$vmdir/guest-run.sh"
[ -z "$kroot" ] || kcmd+=" vmrun_moddir=$kroot/lib/modules/$kver"
[ -z "$append" ] || kcmd+=" $append"

qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
	-machine q35 -accel tcg -cpu "$cpu" -smp "$smp" -m "$mem"
	-kernel "$kernel_img" -initrd "$initrd" -append "$kcmd"
	-chardev "file,id=console,path=$run/console.log" -serial chardev:console
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$run,mount_tag=vmout,security_model=none,multidevs=remap")

# timeout(1) puts itself in its own process group, so signals sent to ours
# would not reach QEMU: pass them on, then let the report run.
vm_pid=""
follow_pid=""
stop_vm() {
	[ -z "$vm_pid" ] || kill -TERM "$vm_pid" 2>/dev/null || true
}
trap 'stop_vm; trap - INT; kill -INT $$' INT
trap 'stop_vm; exit 143' TERM HUP

printf '%q ' "${qemu[@]}" >"$run/qemu.cmd"
echo >>"$run/qemu.cmd"
t0=$(date +%s%N)
timeout -k 5 "$timeout_s" "${qemu[@]}" </dev/null >"$run/qemu.log" 2>&1 &
vm_pid=$!
if [ "$verbose" -eq 1 ]; then
	tail -n +1 -F --pid="$vm_pid" "$run/console.log" >&2 2>/dev/null &
	follow_pid=$!
fi
qemu_rc=0
wait "$vm_pid" || qemu_rc=$?
t1=$(date +%s%N)
vm_pid=""
[ -z "$follow_pid" ] || wait "$follow_pid" 2>/dev/null || true

{
	echo "qemu_rc=$qemu_rc"
	echo "timeout_s=$timeout_s"
	echo "elapsed_ms=$(((t1 - t0) / 1000000))"
	echo "prep_ms=$((prep_ns / 1000000))"
	echo "kernel_img=$kernel_img"
} >"$run/host.status"

exec "$vmdir/report.sh" "$run"
