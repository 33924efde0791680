# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Sourced by the test scripts: numbered TAP cases.
#   check DESCRIPTION CMD...   one case, ok when CMD succeeds
#   skip DESCRIPTION REASON    one case, skipped
#   tap_passed                 status 0 when no case failed
# The script prints "TAP version 13" and its plan itself.

tap_n=0
tap_fails=0

check() {
	local d=$1

	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $d"
	else
		tap_fails=$((tap_fails + 1))
		echo "not ok $tap_n - $d"
	fi
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

tap_passed() {
	[ "$tap_fails" -eq 0 ]
}
