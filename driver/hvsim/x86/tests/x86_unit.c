// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the hvsim x86 interpreter.  Each test loads hand-assembled
 * bytes into a flat memory model, runs them in real, 32-bit protected or
 * 64-bit long mode and checks registers, memory and exit fields.  The tests
 * are in x86_unit_*.c; this file runs them.
 * Output is TAP 13; the exit status is 0 iff every test passed.
 */
#include "x86_unit.h"

struct test_env env;
bool failed;

int main(void)
{
	const struct {
		const struct test_case *tests;
		unsigned int count;
	} groups[] = {
		{ x86_unit_real_tests, x86_unit_real_count },
		{ x86_unit_prot_long_tests, x86_unit_prot_long_count },
		{ x86_unit_system_tests, x86_unit_system_count },
	};
	unsigned int g, i, n = 0, count = 0, failures = 0;

	for (g = 0; g < ARRAY_SIZE(groups); g++)
		count += groups[g].count;
	printf("TAP version 13\n1..%u\n", count);
	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (i = 0; i < groups[g].count; i++) {
			const struct test_case *t = &groups[g].tests[i];

			failed = false;
			t->fn();
			printf("%sok %u - %s\n", failed ? "not " : "", ++n, t->name);
			if (failed)
				failures++;
		}
	}
	printf("# %u passed, %u failed\n", count - failures, failures);
	free(env.mem);
	return failures ? 1 : 0;
}
