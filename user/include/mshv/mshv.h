/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libmshv: a small C library over the /dev/mshv uapi (uapi/linux/mshv.h).
 *
 * Conventions: every function that can fail returns 0 (or a non-negative
 * value such as an fd) on success and -errno on failure; errno is left as
 * the failing system call set it.  The library never exits or aborts; the
 * asserting wrappers live in the selftests' own library.
 *
 * Objects:
 *   struct mshv_vm  - a partition fd plus the guest memory regions the
 *                     library mapped into it (for GPA -> HVA translation);
 *   struct mshv_vp  - a VP fd plus its mmapped register page, if any.
 */
#ifndef MSHV_USER_MSHV_H
#define MSHV_USER_MSHV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/mshv.h>
#include <mshv/hvdef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MSHV_DEV_PATH	"/dev/mshv"

struct mshv_vm;
struct mshv_vp;

/* ---- raw layer ---- */

/* ioctl(): returns its non-negative result, or -errno. */
int __mshv_ioctl(int fd, unsigned long cmd, void *arg);

/* open(MSHV_DEV_PATH, flags | O_CLOEXEC): fd or -errno. */
int mshv_open_dev(int flags);

/*
 * MSHV_ROOT_HVCALL on @fd (partition, VP or /dev/mshv).  @args->status and
 * @args->reps are written back by the kernel.  Returns 0 or -errno.
 */
int mshv_root_hvcall(int fd, struct mshv_root_hvcall *args);

/*
 * Convenience: a hypercall with @in_sz bytes at @in (the first 8 bytes are
 * the partition id, which the kernel overwrites) and @out_sz bytes of output.
 * @status (optional) receives the hypervisor status.
 */
int mshv_hvcall(int fd, __u16 code, __u16 reps, const void *in, __u16 in_sz,
		void *out, __u16 out_sz, __u16 *status);

/* ---- partitions ---- */

struct mshv_vm_config {
	__u64 pt_flags;		/* MSHV_PT_BIT_* flags */
	__u64 pt_isolation;
	bool v2;		/* use mshv_create_partition_v2 (sets bit 3) */
	__u64 disabled_fbanks[2];	/* v2 only */
	__u64 disabled_xsave;		/* v2 only */
	bool no_initialize;	/* leave the partition uninitialized */
};

/* The pt_flags most VMMs pass: LAPIC | X2APIC | GPA_SUPER_PAGES. */
#define MSHV_DEFAULT_PT_FLAGS	((1ULL << MSHV_PT_BIT_LAPIC) | \
				 (1ULL << MSHV_PT_BIT_X2APIC) | \
				 (1ULL << MSHV_PT_BIT_GPA_SUPER_PAGES))

/* MSHV_CREATE_PARTITION on @devfd; @arg may be v1 or v2.  fd or -errno. */
int __mshv_create_partition(int devfd, void *arg);

/*
 * Open /dev/mshv, create (and unless cfg->no_initialize, initialize) a
 * partition.  @cfg NULL means v1 with MSHV_DEFAULT_PT_FLAGS.
 */
int mshv_vm_create(const struct mshv_vm_config *cfg, struct mshv_vm **out);
int mshv_vm_initialize(struct mshv_vm *vm);
/* Close every VP and the partition, unmap and free library-owned memory. */
void mshv_vm_free(struct mshv_vm *vm);
int mshv_vm_fd(const struct mshv_vm *vm);
int mshv_vm_dev_fd(const struct mshv_vm *vm);

int mshv_vm_get_property(struct mshv_vm *vm, __u32 code, __u64 *value);
int mshv_vm_set_property(struct mshv_vm *vm, __u32 code, __u64 value);
/* HvInstallIntercept: @access_mask HV_INTERCEPT_ACCESS_MASK_*. */
int mshv_vm_install_intercept(struct mshv_vm *vm, __u32 access_mask,
			      __u32 type, __u64 parameter);

/* ---- guest memory ---- */

#define MSHV_MEM_THP	0x1	/* 2 MiB aligned, MADV_HUGEPAGE */

/* Anonymous private memory, zeroed.  NULL on failure (errno set). */
void *mshv_alloc_guest_mem(size_t size, unsigned int flags);
void mshv_free_guest_mem(void *mem, size_t size);

/* MSHV_SET_GUEST_MEMORY with the given struct: 0 or -errno. */
int __mshv_set_guest_memory(int vmfd, const struct mshv_user_mem_region *r);

/*
 * Map [hva, hva+size) at @gpa with MSHV_SET_MEM_BIT_* @flags and record the
 * region for mshv_gpa_to_hva().  The memory stays owned by the caller.
 */
int mshv_vm_map(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size,
		__u8 flags);
int mshv_vm_unmap(struct mshv_vm *vm, __u64 gpa, void *hva, __u64 size);
/* Allocate (MSHV_MEM_* @mflags), map and record; the library frees it. */
int mshv_vm_add_memory(struct mshv_vm *vm, __u64 gpa, __u64 size,
		       __u8 flags, unsigned int mflags, void **hva);
/* Host address of @gpa in a recorded region, or NULL. */
void *mshv_gpa_to_hva(const struct mshv_vm *vm, __u64 gpa);

/* ---- VPs ---- */

int __mshv_create_vp(int vmfd, __u32 vp_index);
int mshv_vp_create(struct mshv_vm *vm, __u32 vp_index, struct mshv_vp **out);
void mshv_vp_free(struct mshv_vp *vp);
int mshv_vp_fd(const struct mshv_vp *vp);
__u32 mshv_vp_index(const struct mshv_vp *vp);
struct mshv_vm *mshv_vp_vm(const struct mshv_vp *vp);
/* The mmapped register page, or NULL when the kernel has none (ENODEV). */
struct hv_vp_register_page *mshv_vp_reg_page(const struct mshv_vp *vp);

/* HVCALL_GET/SET_VP_REGISTERS on the VP fd; @n up to 128 per call. */
int mshv_vp_get_regs(struct mshv_vp *vp, const __u32 *names,
		     union hv_register_value *values, unsigned int n);
int mshv_vp_set_regs(struct mshv_vp *vp, const __u32 *names,
		     const union hv_register_value *values, unsigned int n);
int mshv_vp_get_reg(struct mshv_vp *vp, __u32 name, __u64 *value);
int mshv_vp_set_reg(struct mshv_vp *vp, __u32 name, __u64 value);

/*
 * Register page access (valid while the VP is stopped in an intercept):
 * GPRs, RIP and RFLAGS by register name; a set marks the page dirty so the
 * hypervisor loads it on the next run.  -ENODEV without a page, -EAGAIN if
 * the page is not valid, -EINVAL for a name the page does not hold.
 */
int mshv_vp_page_get_reg(struct mshv_vp *vp, __u32 name, __u64 *value);
int mshv_vp_page_set_reg(struct mshv_vp *vp, __u32 name, __u64 value);
int mshv_vp_page_get_rip(struct mshv_vp *vp, __u64 *rip);
int mshv_vp_page_set_rip(struct mshv_vp *vp, __u64 rip);

/* ---- running ---- */

enum mshv_exit_reason {
	MSHV_EXIT_UNKNOWN = 0,
	MSHV_EXIT_IO,
	MSHV_EXIT_MEMORY,		/* UNMAPPED_GPA / GPA_INTERCEPT */
	MSHV_EXIT_HALT,
	MSHV_EXIT_CPUID,
	MSHV_EXIT_MSR,
	MSHV_EXIT_EXCEPTION,
	MSHV_EXIT_HYPERCALL,
	MSHV_EXIT_UNRECOVERABLE,
	MSHV_EXIT_INVALID_REGISTER_VALUE,
	MSHV_EXIT_UNSUPPORTED_FEATURE,
	MSHV_EXIT_APIC_EOI,
	MSHV_EXIT_INTERRUPTION_DELIVERABLE,
};

struct mshv_exit {
	enum mshv_exit_reason reason;
	__u32 msg_type;		/* HVMSG_* */
	__u8 payload_size;
	__u64 sender;

	/* common intercept header (when has_header) */
	bool has_header;
	__u32 vp_index;
	__u8 insn_len;
	__u8 cr8;
	__u8 access_type;	/* HV_INTERCEPT_ACCESS_* */
	__u16 exec_state;
	struct hv_x64_segment_register cs;
	__u64 rip;
	__u64 rflags;

	union {
		struct {
			__u16 port;
			__u8 size;	/* bytes: 1, 2 or 4 */
			bool is_write;	/* out/outs */
			bool string;
			bool rep;
			__u8 insn_byte_count;
			__u8 insn_bytes[16];
			__u64 rax, rcx, rsi, rdi;
			struct hv_x64_segment_register ds, es;
		} io;
		struct {
			__u64 gpa;
			__u64 gva;
			bool gva_valid;
			bool gva_gpa_valid;
			__u8 access_info;
			__u32 cache_type;
			__u8 insn_byte_count;
			__u8 insn_bytes[16];
		} mem;
		struct {
			__u64 rax, rcx, rdx, rbx;
			__u64 default_rax, default_rcx, default_rdx, default_rbx;
		} cpuid;
		struct {
			__u32 index;
			bool is_write;
			__u64 rdx, rax;
		} msr;
		struct {
			__u16 vector;
			bool error_code_valid;
			bool software;
			__u32 error_code;
			__u64 parameter;
			__u8 insn_byte_count;
			__u8 insn_bytes[16];
			__u64 gprs[16];	/* rax rcx rdx rbx rsp rbp rsi rdi r8-r15 */
		} exception;
		struct {
			__u64 rax, rbx, rcx, rdx, r8, rsi, rdi;
			bool isolated;
		} hypercall;
		struct {
			__u32 vp_index;
			__u32 vector;
		} eoi;
		struct {
			__u32 vp_index;
			__u32 feature_code;
			__u64 feature_parameter;
		} unsupported;
		struct {
			__u32 deliverable_type;
		} deliverable;
	};

	struct hv_message msg;	/* the raw message */
};

/* Decode a raw message (pure; no system calls).  0, or -EINVAL if short. */
int mshv_exit_decode(const struct hv_message *msg, struct mshv_exit *exit);
const char *mshv_exit_reason_str(enum mshv_exit_reason reason);
const char *mshv_msg_type_str(__u32 msg_type);
/* One-line description of an exit into @buf; returns @buf. */
char *mshv_exit_describe(const struct mshv_exit *exit, char *buf, size_t len);

/* MSHV_RUN_VP then decode.  0 or -errno (-EINTR on a signal). */
int mshv_vp_run(struct mshv_vp *vp, struct mshv_exit *exit);
/* Set RIP to exit->rip + exit->insn_len (the intercept model). */
int mshv_vp_skip_insn(struct mshv_vp *vp, const struct mshv_exit *exit);

/* ---- x86 guest setup (mshv/x86.h has the layout constants) ---- */
#include <mshv/x86.h>

/* ---- ucall ---- */
#include <mshv/ucall.h>

#ifdef __cplusplus
}
#endif

#endif /* MSHV_USER_MSHV_H */
