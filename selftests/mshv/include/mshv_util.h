/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Asserting wrappers over libmshv for the mshv selftests, in the style of
 * KVM's kvm_util.h: __x() returns -errno (that is libmshv itself), x()
 * asserts success and reports the failing call, errno and file:line.
 */
#ifndef SELFTEST_MSHV_UTIL_H
#define SELFTEST_MSHV_UTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mshv/mshv.h>

#ifndef BIT
#define BIT(nr)		(1UL << (nr))
#endif

/* Exit code of a failed TEST_ASSERT (the harness reports it as a failure). */
#define MSHV_TEST_ASSERT_EXIT	254

void __mshv_test_assert(bool ok, const char *expr, const char *file,
			unsigned int line, const char *fmt, ...);

#define TEST_ASSERT(e, fmt, ...) \
	__mshv_test_assert(!!(e), #e, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define TEST_ASSERT_EQ(a, b) do {					\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	__mshv_test_assert(__a == __b, #a " == " #b, __FILE__, __LINE__, \
			   "%#llx != %#llx", __a, __b);			\
} while (0)

#define TEST_FAIL(fmt, ...) TEST_ASSERT(false, fmt, ##__VA_ARGS__)

/* Call a libmshv function returning -errno and assert it succeeded. */
#define MSHV_CHECK(call) ({						\
	int __r = (call);						\
	TEST_ASSERT(__r >= 0, "%s failed: %d (%s)", #call, __r, strerror(-__r)); \
	__r;								\
})

/* ---- devices and partitions ---- */

/* Open /dev/mshv or exit with KSFT_SKIP if it is absent/inaccessible. */
int open_mshv_dev_or_skip(int flags);
/* True if /dev/mshv can be opened (without the side effect of exiting). */
bool mshv_dev_usable(int *err);

struct mshv_vm *vm_create(const struct mshv_vm_config *cfg);
struct mshv_vm *vm_create_default(void);
/*
 * A long-mode VM (default RAM) with VP 0 entering @guest_code, or with no
 * entry point yet when @guest_code is NULL.
 */
struct mshv_vm *vm_create_with_one_vp(struct mshv_vp **vp, void *guest_code);
struct mshv_vp *vm_add_vp(struct mshv_vm *vm, __u32 index, void *guest_code);
/* A VM with 1 MiB of RAM at GPA 0 and VP 0 in real mode at 0:@ip. */
struct mshv_vm *vm_create_real_mode(struct mshv_vp **vp, const void *code,
				    size_t len, __u16 ip, void **ram);

int vm_fd(struct mshv_vm *vm);
void vm_map(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size, __u8 flags);
/* The raw ioctls on a partition fd, for error cases: 0 or -errno. */
int __set_mem(int vmfd, __u64 gpa, void *hva, __u64 size, __u8 flags);
int __irqfd(int vmfd, int fd, int resamplefd, __u32 gsi, __u32 flags);
int __ioeventfd(int vmfd, int fd, __u64 addr, __u32 len, __u64 datamatch, __u32 flags);

/* ---- VPs ---- */

void vp_run(struct mshv_vp *vp, struct mshv_exit *exit);
/* vp_run() and assert the exit is @reason, printing the exit otherwise. */
void vp_run_expect(struct mshv_vp *vp, struct mshv_exit *exit,
		   enum mshv_exit_reason reason);
__u64 vp_get_reg(struct mshv_vp *vp, __u32 name);
void vp_set_reg(struct mshv_vp *vp, __u32 name, __u64 value);
void vp_skip_insn(struct mshv_vp *vp, const struct mshv_exit *exit);
/*
 * Run until the next ucall, handling nothing else: any other exit fails the
 * test with a description of it.  A GUEST_ASSERT fails with its file:line.
 * Returns the ucall cmd (UCALL_SYNC or UCALL_DONE), RIP advanced.
 */
__u64 vp_run_ucall(struct mshv_vp *vp, struct mshv_ucall_info *uc);
/* Run the guest to GUEST_DONE, failing on anything but SYNC/PRINT. */
void vp_run_to_done(struct mshv_vp *vp);

/* Copy a global into / out of the guest's copy of it. */
void sync_to_guest(struct mshv_vm *vm, void *host_addr, size_t size);
void sync_from_guest(struct mshv_vm *vm, void *host_addr, size_t size);
#define sync_global_to_guest(vm, g)	sync_to_guest(vm, &(g), sizeof(g))
#define sync_global_from_guest(vm, g)	sync_from_guest(vm, &(g), sizeof(g))

#endif /* SELFTEST_MSHV_UTIL_H */
