#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host side: run the mshv selftests and the hvsim model test against
# mshv_root + mshv_hvsim in the QEMU TCG VM, once per hypervisor model:
#   root privileges + root scheduler, root + core scheduler,
#   L1VH + core scheduler, L1VH + integrated (root) scheduler,
# each with fault injection (1 rep per call, periodic INSUFFICIENT_*MEMORY)
# and hvsim's leak checks.  Prints vm-run's TAP; exit 0 if all passed.
#
#   driver/hvsim/tests/hvsim-matrix.sh [--quick]
# --quick: only the first model, no fault injection.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"

make -s modules >/dev/null
make -s -C user >/dev/null
make -s -C selftests/mshv >/dev/null
make -s -C driver/hvsim/tests >/dev/null

tests=$(ls build/selftests/*_test build/selftests/x86/*_test 2>/dev/null | tr '\n' ' ')
tests="$tests build/hvsim-tests/hvsim_model_test"

models=("scheduler=root" "scheduler=core" "privilege=l1vh scheduler=core"
	"privilege=l1vh scheduler=root sched_signal=bitset")
inject=("-r 1 -o 7" "-r 1 -o 5 -s 0x75" "-a -r 2 -o 6" "-r 1 -o 4 -s 0x0b")
if [ "${1:-}" = --quick ]; then
	models=("${models[0]}")
	inject=("")
fi

rc=0
for i in "${!models[@]}"; do
	p=${models[$i]}
	echo "# hvsim model: $p; injection: ${inject[$i]:-none}"
	scripts/vm-run.sh --timeout 900 --name "hvsim-$i" \
		--insmod driver/mshv_root.ko \
		--insmod "driver/hvsim/mshv_hvsim.ko:$p" -- \
		driver/hvsim/tests/hvsim-selftests.sh ${inject[$i]} $tests || rc=1
done
exit $rc
