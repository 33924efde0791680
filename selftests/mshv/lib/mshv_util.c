// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asserting helpers for the mshv selftests (see include/mshv_util.h).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "mshv_util.h"

#define KSFT_SKIP_CODE	4

void __mshv_test_assert(bool ok, const char *expr, const char *file,
			unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	/* Messages carry strerror() of the failing call themselves. */
	fflush(stdout);
	fprintf(stderr, "# ==== Test Assertion Failure ====\n");
	fprintf(stderr, "#   %s:%u: %s (pid %d)\n#   ", file, line, expr, getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	exit(MSHV_TEST_ASSERT_EXIT);
}

bool mshv_dev_usable(int *err)
{
	int fd = mshv_open_dev(O_RDWR);

	if (fd < 0) {
		*err = -fd;
		return false;
	}
	close(fd);
	return true;
}

int open_mshv_dev_or_skip(int flags)
{
	int fd = mshv_open_dev(flags);

	if (fd == -ENOENT || fd == -EACCES || fd == -ENODEV || fd == -ENXIO) {
		printf("1..0 # SKIP %s: %s\n", MSHV_DEV_PATH, strerror(-fd));
		exit(KSFT_SKIP_CODE);
	}
	TEST_ASSERT(fd >= 0, "open(%s): %s", MSHV_DEV_PATH, strerror(-fd));
	return fd;
}

struct mshv_vm *vm_create(const struct mshv_vm_config *cfg)
{
	struct mshv_vm *vm = NULL;
	int ret = mshv_vm_create(cfg, &vm);

	TEST_ASSERT(!ret, "creating%s a partition (pt_flags %#llx%s) failed: %s",
		    cfg && cfg->no_initialize ? "" : " and initializing",
		    cfg ? (unsigned long long)cfg->pt_flags :
			  (unsigned long long)MSHV_DEFAULT_PT_FLAGS,
		    cfg && cfg->v2 ? ", v2" : "", strerror(-ret));
	return vm;
}

struct mshv_vm *vm_create_default(void)
{
	return vm_create(NULL);
}

int vm_fd(struct mshv_vm *vm)
{
	return mshv_vm_fd(vm);
}

void vm_map(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size, __u8 flags)
{
	int ret = mshv_vm_map(vm, gpa, hva, size, flags);

	TEST_ASSERT(!ret, "MSHV_SET_GUEST_MEMORY gpa %#llx size %#llx flags %#x: %s",
		    (unsigned long long)gpa, (unsigned long long)size, flags,
		    strerror(-ret));
}

int __set_mem(int vmfd, __u64 gpa, void *hva, __u64 size, __u8 flags)
{
	struct mshv_user_mem_region r = {
		.guest_pfn = gpa >> 12, .userspace_addr = (__u64)(uintptr_t)hva,
		.size = size, .flags = flags,
	};

	return __mshv_set_guest_memory(vmfd, &r);
}

int __irqfd(int vmfd, int fd, int resamplefd, __u32 gsi, __u32 flags)
{
	struct mshv_user_irqfd a = {
		.fd = fd, .resamplefd = resamplefd, .gsi = gsi, .flags = flags,
	};

	return __mshv_ioctl(vmfd, MSHV_IRQFD, &a);
}

int __ioeventfd(int vmfd, int fd, __u64 addr, __u32 len, __u64 datamatch, __u32 flags)
{
	struct mshv_user_ioeventfd a = {
		.fd = fd, .addr = addr, .len = len, .datamatch = datamatch,
		.flags = flags,
	};

	return __mshv_ioctl(vmfd, MSHV_IOEVENTFD, &a);
}

struct mshv_vp *vm_add_vp(struct mshv_vm *vm, __u32 index, void *guest_code)
{
	struct mshv_vp *vp = NULL;
	int ret = mshv_vp_create(vm, index, &vp);

	TEST_ASSERT(!ret, "MSHV_CREATE_VP %u: %s", index, strerror(-ret));
	if (guest_code) {
		ret = mshv_vp_setup_long_mode(vp, (__u64)(uintptr_t)guest_code, 0);
		TEST_ASSERT(!ret, "setting long-mode registers of VP %u: %s",
			    index, strerror(-ret));
	}
	return vp;
}

struct mshv_vm *vm_create_with_one_vp(struct mshv_vp **vp, void *guest_code)
{
	struct mshv_vm *vm = vm_create_default();
	int ret = mshv_vm_setup_long_mode(vm, 0);

	TEST_ASSERT(!ret, "setting up guest RAM, page tables and the test binary's image: %s%s",
		    strerror(-ret), ret == -ENOEXEC ?
		    " (the test binary must be linked -no-pie)" : "");
	*vp = vm_add_vp(vm, 0, guest_code);
	return vm;
}

struct mshv_vm *vm_create_real_mode(struct mshv_vp **vp, const void *code,
				    size_t len, __u16 ip, void **ram)
{
	struct mshv_vm *vm = vm_create_default();
	void *mem = NULL;
	int ret;

	ret = mshv_vm_add_memory(vm, 0, 0x100000,
				 (1 << MSHV_SET_MEM_BIT_WRITABLE) |
				 (1 << MSHV_SET_MEM_BIT_EXECUTABLE), 0, &mem);
	TEST_ASSERT(!ret, "mapping 1 MiB of guest RAM at GPA 0: %s", strerror(-ret));
	memcpy((char *)mem + ip, code, len);
	*vp = vm_add_vp(vm, 0, NULL);
	ret = mshv_vp_setup_real_mode(*vp, 0, ip, 0x7000);
	TEST_ASSERT(!ret, "setting real-mode registers: %s", strerror(-ret));
	if (ram)
		*ram = mem;
	return vm;
}

void sync_to_guest(struct mshv_vm *vm, void *host_addr, size_t size)
{
	void *g = mshv_gva_to_hva(vm, (__u64)(uintptr_t)host_addr);

	TEST_ASSERT(g, "global at %p is not in guest memory", host_addr);
	memcpy(g, host_addr, size);
}

void sync_from_guest(struct mshv_vm *vm, void *host_addr, size_t size)
{
	void *g = mshv_gva_to_hva(vm, (__u64)(uintptr_t)host_addr);

	TEST_ASSERT(g, "global at %p is not in guest memory", host_addr);
	memcpy(host_addr, g, size);
}

/* Like KVM's vcpu_run(): a VMM re-enters the guest after -EINTR. */
void vp_run(struct mshv_vp *vp, struct mshv_exit *exit)
{
	int ret;

	do {
		ret = mshv_vp_run(vp, exit);
	} while (ret == -EINTR);

	TEST_ASSERT(!ret, "MSHV_RUN_VP on VP %u failed: %s", mshv_vp_index(vp),
		    strerror(-ret));
}

void vp_run_expect(struct mshv_vp *vp, struct mshv_exit *exit,
		   enum mshv_exit_reason reason)
{
	char buf[256];

	vp_run(vp, exit);
	TEST_ASSERT(exit->reason == reason,
		    "MSHV_RUN_VP: expected an intercept of kind '%s', got %s",
		    mshv_exit_reason_str(reason),
		    mshv_exit_describe(exit, buf, sizeof(buf)));
}

__u64 vp_get_reg(struct mshv_vp *vp, __u32 name)
{
	__u64 v = 0;
	int ret = mshv_vp_get_reg(vp, name, &v);

	TEST_ASSERT(!ret, "HVCALL_GET_VP_REGISTERS(%#x) on VP %u: %s", name,
		    mshv_vp_index(vp), strerror(-ret));
	return v;
}

void vp_set_reg(struct mshv_vp *vp, __u32 name, __u64 value)
{
	int ret = mshv_vp_set_reg(vp, name, value);

	TEST_ASSERT(!ret, "HVCALL_SET_VP_REGISTERS(%#x = %#llx) on VP %u: %s",
		    name, (unsigned long long)value, mshv_vp_index(vp),
		    strerror(-ret));
}

void vp_skip_insn(struct mshv_vp *vp, const struct mshv_exit *exit)
{
	int ret = mshv_vp_skip_insn(vp, exit);

	TEST_ASSERT(!ret, "advancing RIP from %#llx by %u: %s",
		    (unsigned long long)exit->rip, exit->insn_len, strerror(-ret));
}

__u64 vp_run_ucall(struct mshv_vp *vp, struct mshv_ucall_info *uc)
{
	struct mshv_exit exit;
	char buf[256];
	int ret;

	for (;;) {
		vp_run(vp, &exit);
		ret = mshv_vp_get_ucall(vp, &exit, uc);
		TEST_ASSERT(ret >= 0, "decoding the guest's ucall (RDI %#llx): %s",
			    (unsigned long long)exit.io.rdi, strerror(-ret));
		TEST_ASSERT(ret != UCALL_NONE,
			    "expected a ucall (OUT to port %#x), got %s",
			    MSHV_UCALL_PORT, mshv_exit_describe(&exit, buf, sizeof(buf)));
		if (ret == UCALL_PRINT) {
			printf("# guest: %s\n", uc->expr);
			continue;
		}
		TEST_ASSERT(ret != UCALL_ABORT,
			    "guest assertion failed at %s:%llu: %s (values %#llx, %#llx)",
			    uc->file, (unsigned long long)uc->line, uc->expr,
			    (unsigned long long)uc->args[0],
			    (unsigned long long)uc->args[1]);
		return ret;
	}
}

void vp_run_to_done(struct mshv_vp *vp)
{
	struct mshv_ucall_info uc;

	while (vp_run_ucall(vp, &uc) != UCALL_DONE)
		;
}
