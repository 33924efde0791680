/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the hvsim x86 interpreter unit tests (x86_unit*.c): the test
 * environment, the checks, and the per-file test tables.
 */
#ifndef HVX86_UNIT_H
#define HVX86_UNIT_H

#include "test_env.h"

extern struct test_env env;
extern bool failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("#   %s:%d: CHECK(%s) failed\n",		\
			       __FILE__, __LINE__, #cond);		\
			failed = true;					\
		}							\
	} while (0)

#define CHECK_EQ(actual, expected)					\
	do {								\
		unsigned long long _a = (actual), _e = (expected);	\
		if (_a != _e) {						\
			printf("#   %s:%d: %s = 0x%llx, expected 0x%llx\n", \
			       __FILE__, __LINE__, #actual, _a, _e);	\
			failed = true;					\
		}							\
	} while (0)

#define REG(r)	(env.vcpu.regs.gpr[HVX86_##r])
#define FLAGS	(env.vcpu.regs.rflags)
#define RUN(budget)	hvx86_run(&env.vcpu, (budget))
#define LOAD(code)	env_load(&env, TEST_CODE, (code), sizeof(code))
#define ARITH(f)	(FLAGS & HVX86_FLAGS_ARITH & (f))
#define CF HVX86_FLAG_CF
#define PF HVX86_FLAG_PF
#define AF HVX86_FLAG_AF
#define ZF HVX86_FLAG_ZF
#define SF HVX86_FLAG_SF
#define OF HVX86_FLAG_OF

struct test_case {
	const char *name;
	void (*fn)(void);
};

#define T(fn) { #fn, fn }

extern const struct test_case x86_unit_real_tests[];
extern const unsigned int x86_unit_real_count;
extern const struct test_case x86_unit_prot_long_tests[];
extern const unsigned int x86_unit_prot_long_count;
extern const struct test_case x86_unit_system_tests[];
extern const unsigned int x86_unit_system_count;

#endif /* HVX86_UNIT_H */
