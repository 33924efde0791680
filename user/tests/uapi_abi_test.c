// SPDX-License-Identifier: GPL-2.0-only
/*
 * uapi_abi_test - pin the /dev/mshv ABI of uapi/linux/mshv.h
 *
 * VMMs compile against upstream's include/uapi/linux/mshv.h and then talk to
 * mshv-dkms, so our header must agree with upstream (Linux 7.2) on every
 * number and every byte of every struct. This test compares the header's
 * values, as the compiler sees them, against literal numbers written below.
 * The literals come from the upstream 7.2 header and the project's ABI
 * reference (upstream-abi.md section 1); they are never derived from the
 * header under test, otherwise a wrong header would agree with itself.
 *
 * Checked: every ioctl number (whole encoded value), every constant, bit and
 * enum value, the int type of the *_FLAGS_MASK macros (their complement must
 * sign-extend when masked against a __u64), the size and alignment of every
 * struct, and the offset, size and type of every field.
 *
 * Output is TAP 13; the exit status is 0 only if every case passes.
 * Build from the top of the tree with
 *   gcc -O2 -Wall -Wextra -Werror -I uapi -o build/user/uapi_abi_test <this .c>
 * scripts/uapi-selfcheck.sh mutates the header to prove these checks bite.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ioctl.h>
#include <linux/types.h>

#include <linux/mshv.h>
/* A second include must be a no-op (include guard). */
#include <linux/mshv.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * 1 if type @t is exactly @want (char, signed char and unsigned char are
 * three different types here). Usable in static initializers.
 */
#define IS_TYPE(t, want)	__builtin_types_compatible_p(t, want)

/* ---- TAP output, buffered so that the plan can come first ---- */

static FILE *tap_body;
static char *tap_buf;
static size_t tap_len;
static unsigned int tap_count;
static unsigned int tap_failed;

static void tap_init(void)
{
	tap_body = open_memstream(&tap_buf, &tap_len);
	if (!tap_body) {
		perror("open_memstream");
		exit(2);
	}
}

/* Record one case; @diag (printf format) explains a failure. */
static void tap_case(int pass, const char *desc, const char *diag, ...)
{
	va_list ap;

	tap_count++;
	if (pass) {
		fprintf(tap_body, "ok %u - %s\n", tap_count, desc);
		return;
	}
	tap_failed++;
	fprintf(tap_body, "not ok %u - %s # ", tap_count, desc);
	va_start(ap, diag);
	vfprintf(tap_body, diag, ap);
	va_end(ap);
	fputc('\n', tap_body);
}

static int tap_finish(void)
{
	fclose(tap_body);
	printf("TAP version 13\n");
	printf("1..%u\n", tap_count);
	fwrite(tap_buf, 1, tap_len, stdout);
	printf("# %u/%u passed, %u failed\n", tap_count - tap_failed, tap_count,
	       tap_failed);
	free(tap_buf);
	return tap_failed ? 1 : 0;
}

/* ---- Constants: macros, bit numbers and enum values ---- */

struct const_case {
	const char *name;
	long long got;
	long long want;
};

#define K(name, want)	{ #name, (long long)(name), (want) }

static const struct const_case const_cases[] = {
	K(MSHV_IOCTL, 0xB8),

	/* /dev/mshv */
	K(MSHV_PT_BIT_LAPIC, 0),
	K(MSHV_PT_BIT_X2APIC, 1),
	K(MSHV_PT_BIT_GPA_SUPER_PAGES, 2),
	K(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES, 3),
	K(MSHV_PT_BIT_NESTED_VIRTUALIZATION, 4),
	K(MSHV_PT_BIT_SMT_ENABLED_GUEST, 5),
	K(MSHV_PT_BIT_COUNT, 6),
	K(MSHV_PT_FLAGS_MASK, 0x3F),
	K(MSHV_PT_ISOLATION_NONE, 0),
	K(MSHV_PT_ISOLATION_COUNT, 1),
	K(MSHV_NUM_CPU_FEATURES_BANKS, 2),

	/* partition fd */
	K(MSHV_SET_MEM_BIT_WRITABLE, 0),
	K(MSHV_SET_MEM_BIT_EXECUTABLE, 1),
	K(MSHV_SET_MEM_BIT_UNMAP, 2),
	K(MSHV_SET_MEM_BIT_COUNT, 3),
	K(MSHV_SET_MEM_FLAGS_MASK, 0x7),
	K(MSHV_HV_PAGE_SIZE, 0x1000),
	K(MSHV_IRQFD_BIT_DEASSIGN, 0),
	K(MSHV_IRQFD_BIT_RESAMPLE, 1),
	K(MSHV_IRQFD_BIT_COUNT, 2),
	K(MSHV_IRQFD_FLAGS_MASK, 0x3),
	K(MSHV_IOEVENTFD_BIT_DATAMATCH, 0),
	K(MSHV_IOEVENTFD_BIT_PIO, 1),
	K(MSHV_IOEVENTFD_BIT_DEASSIGN, 2),
	K(MSHV_IOEVENTFD_BIT_COUNT, 3),
	K(MSHV_IOEVENTFD_FLAGS_MASK, 0x7),
	K(MSHV_GPAP_ACCESS_TYPE_ACCESSED, 0),
	K(MSHV_GPAP_ACCESS_TYPE_DIRTY, 1),
	K(MSHV_GPAP_ACCESS_TYPE_COUNT, 2),
	K(MSHV_GPAP_ACCESS_OP_NOOP, 0),
	K(MSHV_GPAP_ACCESS_OP_CLEAR, 1),
	K(MSHV_GPAP_ACCESS_OP_SET, 2),
	K(MSHV_GPAP_ACCESS_OP_COUNT, 3),

	/* VP fd */
	K(MSHV_RUN_VP_BUF_SZ, 256),
	K(MSHV_VP_MMAP_OFFSET_REGISTERS, 0),
	K(MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE, 1),
	K(MSHV_VP_MMAP_OFFSET_GHCB, 2),
	K(MSHV_VP_MMAP_OFFSET_COUNT, 3),
	K(MSHV_VP_STATE_LAPIC, 0),
	K(MSHV_VP_STATE_XSAVE, 1),
	K(MSHV_VP_STATE_SIMP, 2),
	K(MSHV_VP_STATE_SIEFP, 3),
	K(MSHV_VP_STATE_SYNTHETIC_TIMERS, 4),
	K(MSHV_VP_STATE_COUNT, 5),

	/* mshv_vtl */
	K(MSHV_CAP_CORE_API_STABLE, 0x0),
	K(MSHV_CAP_REGISTER_PAGE, 0x1),
	K(MSHV_CAP_VTL_RETURN_ACTION, 0x2),
	K(MSHV_CAP_DR6_SHARED, 0x3),
	K(MSHV_MAX_RUN_MSG_SIZE, 256),
};

static void check_consts(void)
{
	char desc[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(const_cases); i++) {
		const struct const_case *c = &const_cases[i];

		snprintf(desc, sizeof(desc), "%s == %lld", c->name, c->want);
		tap_case(c->got == c->want, desc, "got %lld (0x%llx) want %lld (0x%llx)",
			 c->got, c->got, c->want, c->want);
	}
}

/*
 * Upstream's masks are plain int expressions. The kernel tests
 * "flags & ~MASK" on __u64 fields, which only covers the high 32 bits if ~MASK
 * is a negative int that sign-extends; an unsigned mask would silently
 * accept bits 32..63. So pin the type and the 64-bit complement.
 */
struct mask_case {
	const char *name;
	int is_int;
	__u64 complement;
	__u64 want_complement;
};

#define MASK(name, want) \
	{ #name, IS_TYPE(__typeof__(name), int), (__u64)~(name), (want) }

static const struct mask_case mask_cases[] = {
	MASK(MSHV_PT_FLAGS_MASK, 0xFFFFFFFFFFFFFFC0ULL),
	MASK(MSHV_SET_MEM_FLAGS_MASK, 0xFFFFFFFFFFFFFFF8ULL),
	MASK(MSHV_IRQFD_FLAGS_MASK, 0xFFFFFFFFFFFFFFFCULL),
	MASK(MSHV_IOEVENTFD_FLAGS_MASK, 0xFFFFFFFFFFFFFFF8ULL),
};

static void check_masks(void)
{
	char desc[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mask_cases); i++) {
		const struct mask_case *m = &mask_cases[i];

		snprintf(desc, sizeof(desc), "%s has type int", m->name);
		tap_case(m->is_int, desc, "got another type, want int");
		snprintf(desc, sizeof(desc), "(__u64)~%s == 0x%llx", m->name,
			 (unsigned long long)m->want_complement);
		tap_case(m->complement == m->want_complement, desc,
			 "got 0x%llx want 0x%llx",
			 (unsigned long long)m->complement,
			 (unsigned long long)m->want_complement);
	}
}

/* ---- Ioctl numbers: the full encoded value ---- */

struct ioctl_case {
	const char *name;
	unsigned long got;
	unsigned long want;
};

#define IOC(name, want)	{ #name, (unsigned long)(name), (want) }

static const struct ioctl_case ioctl_cases[] = {
	/* /dev/mshv */
	IOC(MSHV_CREATE_PARTITION, 0x4010B800UL),

	/* partition fd; MSHV_ROOT_HVCALL also on /dev/mshv and the VP fd */
	IOC(MSHV_INITIALIZE_PARTITION, 0x0000B800UL),
	IOC(MSHV_CREATE_VP, 0x4004B801UL),
	IOC(MSHV_SET_GUEST_MEMORY, 0x4020B802UL),
	IOC(MSHV_IRQFD, 0x4010B803UL),
	IOC(MSHV_IOEVENTFD, 0x4020B804UL),
	IOC(MSHV_SET_MSI_ROUTING, 0x4008B805UL),
	IOC(MSHV_GET_GPAP_ACCESS_BITMAP, 0xC020B806UL),
	IOC(MSHV_ROOT_HVCALL, 0xC020B807UL),

	/* VP fd */
	IOC(MSHV_RUN_VP, 0x8100B800UL),
	IOC(MSHV_GET_VP_STATE, 0xC010B801UL),
	IOC(MSHV_SET_VP_STATE, 0xC010B802UL),

	/* mshv_vtl: /dev/mshv, VTL fd, /dev/mshv_sint, /dev/mshv_hvcall */
	IOC(MSHV_CHECK_EXTENSION, 0x4004B800UL),
	IOC(MSHV_CREATE_VTL, 0x8001B81DUL),
	IOC(MSHV_GET_VP_REGISTERS, 0xC010B805UL),
	IOC(MSHV_SET_VP_REGISTERS, 0x4010B806UL),
	IOC(MSHV_ADD_VTL0_MEMORY, 0x4010B821UL),
	IOC(MSHV_SET_POLL_FILE, 0x4008B825UL),
	IOC(MSHV_RETURN_TO_LOWER_VTL, 0x0000B827UL),
	IOC(MSHV_SINT_SIGNAL_EVENT, 0x4008B822UL),
	IOC(MSHV_SINT_POST_MESSAGE, 0x4018B823UL),
	IOC(MSHV_SINT_SET_EVENTFD, 0x4008B824UL),
	IOC(MSHV_SINT_PAUSE_MESSAGE_STREAM, 0x4008B825UL),
	IOC(MSHV_HVCALL_SETUP, 0x4010B81EUL),
	IOC(MSHV_HVCALL, 0xC030B81FUL),
};

static void check_ioctls(void)
{
	char desc[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ioctl_cases); i++) {
		const struct ioctl_case *c = &ioctl_cases[i];

		snprintf(desc, sizeof(desc), "%s == 0x%08lX", c->name, c->want);
		tap_case(c->got == c->want, desc,
			 "got 0x%08lX (dir %lu type 0x%lX nr 0x%02lX size %lu) want 0x%08lX (dir %lu type 0x%lX nr 0x%02lX size %lu)",
			 c->got, _IOC_DIR(c->got), _IOC_TYPE(c->got), _IOC_NR(c->got),
			 _IOC_SIZE(c->got), c->want, _IOC_DIR(c->want),
			 _IOC_TYPE(c->want), _IOC_NR(c->want), _IOC_SIZE(c->want));
	}
}

/*
 * The driver dispatches with switch statements, so the numbers must be
 * integer constant expressions and distinct per fd type; a collision fails
 * the build right here.
 */
static int root_dev_ioctl_slot(unsigned long cmd)
{
	switch (cmd) {
	case MSHV_CREATE_PARTITION:
		return 0;
	case MSHV_ROOT_HVCALL:
		return 1;
	}
	return -1;
}

static int partition_ioctl_slot(unsigned long cmd)
{
	switch (cmd) {
	case MSHV_INITIALIZE_PARTITION:
		return 0;
	case MSHV_CREATE_VP:
		return 1;
	case MSHV_SET_GUEST_MEMORY:
		return 2;
	case MSHV_IRQFD:
		return 3;
	case MSHV_IOEVENTFD:
		return 4;
	case MSHV_SET_MSI_ROUTING:
		return 5;
	case MSHV_GET_GPAP_ACCESS_BITMAP:
		return 6;
	case MSHV_ROOT_HVCALL:
		return 7;
	}
	return -1;
}

static int vp_ioctl_slot(unsigned long cmd)
{
	switch (cmd) {
	case MSHV_RUN_VP:
		return 0;
	case MSHV_GET_VP_STATE:
		return 1;
	case MSHV_SET_VP_STATE:
		return 2;
	case MSHV_ROOT_HVCALL:
		return 7;
	}
	return -1;
}

static void check_ioctl_dispatch(void)
{
	tap_case(root_dev_ioctl_slot(0x4010B800UL) == 0 &&
		 root_dev_ioctl_slot(0xC020B807UL) == 1,
		 "/dev/mshv ioctls usable as case labels",
		 "a literal number did not reach its case");
	tap_case(partition_ioctl_slot(0x0000B800UL) == 0 &&
		 partition_ioctl_slot(0x4004B801UL) == 1 &&
		 partition_ioctl_slot(0x4020B802UL) == 2 &&
		 partition_ioctl_slot(0x4010B803UL) == 3 &&
		 partition_ioctl_slot(0x4020B804UL) == 4 &&
		 partition_ioctl_slot(0x4008B805UL) == 5 &&
		 partition_ioctl_slot(0xC020B806UL) == 6 &&
		 partition_ioctl_slot(0xC020B807UL) == 7,
		 "partition fd ioctls usable as case labels",
		 "a literal number did not reach its case");
	tap_case(vp_ioctl_slot(0x8100B800UL) == 0 &&
		 vp_ioctl_slot(0xC010B801UL) == 1 &&
		 vp_ioctl_slot(0xC010B802UL) == 2 &&
		 vp_ioctl_slot(0xC020B807UL) == 7,
		 "VP fd ioctls usable as case labels",
		 "a literal number did not reach its case");
}

/* ---- Structs: size and alignment ---- */

struct struct_case {
	const char *name;
	size_t size, want_size;
	size_t align, want_align;
};

#define STRUCT(type, size, align) \
	{ #type, sizeof(struct type), (size), __alignof__(struct type), (align) }

static const struct struct_case struct_cases[] = {
	STRUCT(mshv_create_partition, 16, 8),
	STRUCT(mshv_create_partition_v2, 64, 1),	/* __packed */
	STRUCT(mshv_create_vp, 4, 4),
	STRUCT(mshv_user_mem_region, 32, 8),
	STRUCT(mshv_user_irqfd, 16, 4),
	STRUCT(mshv_user_ioeventfd, 32, 8),
	STRUCT(mshv_user_irq_entry, 16, 4),
	STRUCT(mshv_user_irq_table, 8, 4),		/* header only */
	STRUCT(mshv_gpap_access_bitmap, 32, 8),
	STRUCT(mshv_root_hvcall, 32, 8),
	STRUCT(mshv_run_vp, 256, 1),
	STRUCT(mshv_get_set_vp_state, 16, 8),
	STRUCT(mshv_vp_registers, 16, 8),
	STRUCT(mshv_vtl_set_eventfd, 8, 4),
	STRUCT(mshv_vtl_signal_event, 8, 4),
	STRUCT(mshv_vtl_sint_post_msg, 24, 8),
	STRUCT(mshv_vtl_ram_disposition, 16, 8),
	STRUCT(mshv_vtl_set_poll_file, 8, 4),
	STRUCT(mshv_vtl_hvcall_setup, 16, 8),
	STRUCT(mshv_vtl_hvcall, 48, 8),
	STRUCT(mshv_sint_mask, 8, 1),
};

static void check_structs(void)
{
	char desc[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(struct_cases); i++) {
		const struct struct_case *s = &struct_cases[i];

		snprintf(desc, sizeof(desc), "sizeof(struct %s) == %zu", s->name,
			 s->want_size);
		tap_case(s->size == s->want_size, desc, "got %zu want %zu", s->size,
			 s->want_size);
		snprintf(desc, sizeof(desc), "__alignof__(struct %s) == %zu", s->name,
			 s->want_align);
		tap_case(s->align == s->want_align, desc, "got %zu want %zu", s->align,
			 s->want_align);
	}
}

/* ---- Fields: offset, size and type ---- */

enum type_code {
	T_OTHER,	/* anything else, e.g. an array where a scalar belongs */
	T_U8,
	T_S8,
	T_CHAR,
	T_U16,
	T_S16,
	T_U32,
	T_S32,
	T_U64,
	T_S64,
	T_IRQ_ENTRY,	/* struct mshv_user_irq_entry */
};

static const char * const type_names[] = {
	[T_OTHER] = "(other type)",
	[T_U8] = "__u8",
	[T_S8] = "__s8",
	[T_CHAR] = "char",
	[T_U16] = "__u16",
	[T_S16] = "__s16",
	[T_U32] = "__u32",
	[T_S32] = "__s32",
	[T_U64] = "__u64",
	[T_S64] = "__s64",
	[T_IRQ_ENTRY] = "struct mshv_user_irq_entry",
};

#define TYPE_CODE(type)						\
	(IS_TYPE(type, __u8) ? T_U8 :					\
	 IS_TYPE(type, __s8) ? T_S8 :					\
	 IS_TYPE(type, char) ? T_CHAR :					\
	 IS_TYPE(type, __u16) ? T_U16 :					\
	 IS_TYPE(type, __s16) ? T_S16 :					\
	 IS_TYPE(type, __u32) ? T_U32 :					\
	 IS_TYPE(type, __s32) ? T_S32 :					\
	 IS_TYPE(type, __u64) ? T_U64 :					\
	 IS_TYPE(type, __s64) ? T_S64 :					\
	 IS_TYPE(type, struct mshv_user_irq_entry) ? T_IRQ_ENTRY :	\
	 T_OTHER)

/*
 * One object holding every struct, each union member named after its struct
 * tag. All union members start at offset 0, so the distance from the union to
 * a field is that field's offsetof() within its own struct. This lets each
 * table entry below name the field once, as abi.<struct tag>.<field>.
 */
static union {
	struct mshv_create_partition mshv_create_partition;
	struct mshv_create_partition_v2 mshv_create_partition_v2;
	struct mshv_create_vp mshv_create_vp;
	struct mshv_user_mem_region mshv_user_mem_region;
	struct mshv_user_irqfd mshv_user_irqfd;
	struct mshv_user_ioeventfd mshv_user_ioeventfd;
	struct mshv_user_irq_entry mshv_user_irq_entry;
	struct mshv_user_irq_table mshv_user_irq_table;
	struct mshv_gpap_access_bitmap mshv_gpap_access_bitmap;
	struct mshv_root_hvcall mshv_root_hvcall;
	struct mshv_run_vp mshv_run_vp;
	struct mshv_get_set_vp_state mshv_get_set_vp_state;
	struct mshv_vp_registers mshv_vp_registers;
	struct mshv_vtl_set_eventfd mshv_vtl_set_eventfd;
	struct mshv_vtl_signal_event mshv_vtl_signal_event;
	struct mshv_vtl_sint_post_msg mshv_vtl_sint_post_msg;
	struct mshv_vtl_ram_disposition mshv_vtl_ram_disposition;
	struct mshv_vtl_set_poll_file mshv_vtl_set_poll_file;
	struct mshv_vtl_hvcall_setup mshv_vtl_hvcall_setup;
	struct mshv_vtl_hvcall mshv_vtl_hvcall;
	struct mshv_sint_mask mshv_sint_mask;
} abi;

#define ABI_OFFSET(m)	((size_t)((const char *)&(m) - (const char *)&abi))

struct field_case {
	const char *name;	/* "abi.<struct tag>.<field>" */
	size_t off, want_off;
	/* whole member; for a flexible array, one element */
	size_t size, want_size;
	/* scalar: its type and count 0; array: element type and count */
	int type, want_type;
	size_t count, want_count;
};

/*
 * FIELD is for scalars (an array member has array type and shows up as
 * T_OTHER), ARRAY for fixed-size arrays, FLEX for a flexible array member.
 * @m is abi.<struct tag>.<field>.
 */
#define FIELD(m, off, size, tc)						\
	{ #m, ABI_OFFSET(m), (off), sizeof(m), (size),			\
	  TYPE_CODE(__typeof__(m)), (tc), 0, 0 }

#define ARRAY(m, off, size, tc, count)					\
	{ #m, ABI_OFFSET(m), (off), sizeof(m), (size),			\
	  TYPE_CODE(__typeof__((m)[0])), (tc),				\
	  sizeof(m) / sizeof((m)[0]), (count) }

#define FLEX(m, off, tc, elem_size)					\
	{ #m, ABI_OFFSET(m), (off), sizeof((m)[0]), (elem_size),	\
	  TYPE_CODE(__typeof__((m)[0])), (tc), 0, 0 }

/* "__u8[6]" for an array, "__u32" for a scalar */
static const char *type_str(char *buf, size_t len, int code, size_t count)
{
	const char *name = "(bad type code)";

	if (code >= 0 && (size_t)code < ARRAY_SIZE(type_names))
		name = type_names[code];
	if (count)
		snprintf(buf, len, "%s[%zu]", name, count);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

/* "abi.mshv_x.field" -> "mshv_x" in @strct and "field" in @field */
static void split_name(const char *name, char *strct, size_t len,
		       const char **field)
{
	const char *tag = strchr(name, '.') + 1;
	const char *dot = strchr(tag, '.');

	snprintf(strct, len, "%.*s", (int)(dot - tag), tag);
	*field = dot + 1;
}

static void check_fields(void)
{
	/*
	 * Built at run time: the offsets are address differences, which are
	 * not integer constant expressions.
	 */
	const struct field_case field_cases[] = {
		FIELD(abi.mshv_create_partition.pt_flags, 0, 8, T_U64),
		FIELD(abi.mshv_create_partition.pt_isolation, 8, 8, T_U64),

		FIELD(abi.mshv_create_partition_v2.pt_flags, 0, 8, T_U64),
		FIELD(abi.mshv_create_partition_v2.pt_isolation, 8, 8, T_U64),
		FIELD(abi.mshv_create_partition_v2.pt_num_cpu_fbanks, 16, 2, T_U16),
		ARRAY(abi.mshv_create_partition_v2.pt_rsvd, 18, 6, T_U8, 6),
		ARRAY(abi.mshv_create_partition_v2.pt_cpu_fbanks, 24, 16, T_U64, 2),
		ARRAY(abi.mshv_create_partition_v2.pt_rsvd1, 40, 16, T_U64, 2),
#if defined(__x86_64__)
		FIELD(abi.mshv_create_partition_v2.pt_disabled_xsave, 56, 8, T_U64),
#else
		FIELD(abi.mshv_create_partition_v2.pt_rsvd2, 56, 8, T_U64),
#endif

		FIELD(abi.mshv_create_vp.vp_index, 0, 4, T_U32),

		FIELD(abi.mshv_user_mem_region.size, 0, 8, T_U64),
		FIELD(abi.mshv_user_mem_region.guest_pfn, 8, 8, T_U64),
		FIELD(abi.mshv_user_mem_region.userspace_addr, 16, 8, T_U64),
		FIELD(abi.mshv_user_mem_region.flags, 24, 1, T_U8),
		ARRAY(abi.mshv_user_mem_region.rsvd, 25, 7, T_U8, 7),

		FIELD(abi.mshv_user_irqfd.fd, 0, 4, T_S32),
		FIELD(abi.mshv_user_irqfd.resamplefd, 4, 4, T_S32),
		FIELD(abi.mshv_user_irqfd.gsi, 8, 4, T_U32),
		FIELD(abi.mshv_user_irqfd.flags, 12, 4, T_U32),

		FIELD(abi.mshv_user_ioeventfd.datamatch, 0, 8, T_U64),
		FIELD(abi.mshv_user_ioeventfd.addr, 8, 8, T_U64),
		FIELD(abi.mshv_user_ioeventfd.len, 16, 4, T_U32),
		FIELD(abi.mshv_user_ioeventfd.fd, 20, 4, T_S32),
		FIELD(abi.mshv_user_ioeventfd.flags, 24, 4, T_U32),
		ARRAY(abi.mshv_user_ioeventfd.rsvd, 28, 4, T_U8, 4),

		FIELD(abi.mshv_user_irq_entry.gsi, 0, 4, T_U32),
		FIELD(abi.mshv_user_irq_entry.address_lo, 4, 4, T_U32),
		FIELD(abi.mshv_user_irq_entry.address_hi, 8, 4, T_U32),
		FIELD(abi.mshv_user_irq_entry.data, 12, 4, T_U32),

		FIELD(abi.mshv_user_irq_table.nr, 0, 4, T_U32),
		FIELD(abi.mshv_user_irq_table.rsvd, 4, 4, T_U32),
		FLEX(abi.mshv_user_irq_table.entries, 8, T_IRQ_ENTRY, 16),

		FIELD(abi.mshv_gpap_access_bitmap.access_type, 0, 1, T_U8),
		FIELD(abi.mshv_gpap_access_bitmap.access_op, 1, 1, T_U8),
		ARRAY(abi.mshv_gpap_access_bitmap.rsvd, 2, 6, T_U8, 6),
		FIELD(abi.mshv_gpap_access_bitmap.page_count, 8, 8, T_U64),
		FIELD(abi.mshv_gpap_access_bitmap.gpap_base, 16, 8, T_U64),
		FIELD(abi.mshv_gpap_access_bitmap.bitmap_ptr, 24, 8, T_U64),

		FIELD(abi.mshv_root_hvcall.code, 0, 2, T_U16),
		FIELD(abi.mshv_root_hvcall.reps, 2, 2, T_U16),
		FIELD(abi.mshv_root_hvcall.in_sz, 4, 2, T_U16),
		FIELD(abi.mshv_root_hvcall.out_sz, 6, 2, T_U16),
		FIELD(abi.mshv_root_hvcall.status, 8, 2, T_U16),
		ARRAY(abi.mshv_root_hvcall.rsvd, 10, 6, T_U8, 6),
		FIELD(abi.mshv_root_hvcall.in_ptr, 16, 8, T_U64),
		FIELD(abi.mshv_root_hvcall.out_ptr, 24, 8, T_U64),

		ARRAY(abi.mshv_run_vp.msg_buf, 0, 256, T_U8, 256),

		FIELD(abi.mshv_get_set_vp_state.type, 0, 1, T_U8),
		ARRAY(abi.mshv_get_set_vp_state.rsvd, 1, 3, T_U8, 3),
		FIELD(abi.mshv_get_set_vp_state.buf_sz, 4, 4, T_U32),
		FIELD(abi.mshv_get_set_vp_state.buf_ptr, 8, 8, T_U64),

		FIELD(abi.mshv_vp_registers.count, 0, 4, T_U32),
		FIELD(abi.mshv_vp_registers.reserved, 4, 4, T_U32),
		FIELD(abi.mshv_vp_registers.regs_ptr, 8, 8, T_U64),

		FIELD(abi.mshv_vtl_set_eventfd.fd, 0, 4, T_S32),
		FIELD(abi.mshv_vtl_set_eventfd.flag, 4, 4, T_U32),

		FIELD(abi.mshv_vtl_signal_event.connection_id, 0, 4, T_U32),
		FIELD(abi.mshv_vtl_signal_event.flag, 4, 4, T_U32),

		FIELD(abi.mshv_vtl_sint_post_msg.message_type, 0, 8, T_U64),
		FIELD(abi.mshv_vtl_sint_post_msg.connection_id, 8, 4, T_U32),
		FIELD(abi.mshv_vtl_sint_post_msg.payload_size, 12, 4, T_U32),
		FIELD(abi.mshv_vtl_sint_post_msg.payload_ptr, 16, 8, T_U64),

		FIELD(abi.mshv_vtl_ram_disposition.start_pfn, 0, 8, T_U64),
		FIELD(abi.mshv_vtl_ram_disposition.last_pfn, 8, 8, T_U64),

		FIELD(abi.mshv_vtl_set_poll_file.cpu, 0, 4, T_U32),
		FIELD(abi.mshv_vtl_set_poll_file.fd, 4, 4, T_U32),

		FIELD(abi.mshv_vtl_hvcall_setup.bitmap_array_size, 0, 8, T_U64),
		FIELD(abi.mshv_vtl_hvcall_setup.allow_bitmap_ptr, 8, 8, T_U64),

		FIELD(abi.mshv_vtl_hvcall.control, 0, 8, T_U64),
		FIELD(abi.mshv_vtl_hvcall.input_size, 8, 8, T_U64),
		FIELD(abi.mshv_vtl_hvcall.input_ptr, 16, 8, T_U64),
		FIELD(abi.mshv_vtl_hvcall.status, 24, 8, T_U64),
		FIELD(abi.mshv_vtl_hvcall.output_size, 32, 8, T_U64),
		FIELD(abi.mshv_vtl_hvcall.output_ptr, 40, 8, T_U64),

		FIELD(abi.mshv_sint_mask.mask, 0, 1, T_U8),
		ARRAY(abi.mshv_sint_mask.reserved, 1, 7, T_U8, 7),
	};
	char desc[160], got[64], want[64], strct[64];
	const char *field;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(field_cases); i++) {
		const struct field_case *f = &field_cases[i];

		split_name(f->name, strct, sizeof(strct), &field);
		snprintf(desc, sizeof(desc), "offsetof(struct %s, %s) == %zu",
			 strct, field, f->want_off);
		tap_case(f->off == f->want_off, desc, "got %zu want %zu", f->off,
			 f->want_off);

		snprintf(desc, sizeof(desc), "sizeof(%s.%s%s) == %zu", strct,
			 field, f->want_type == T_IRQ_ENTRY ? "[0]" : "",
			 f->want_size);
		tap_case(f->size == f->want_size, desc, "got %zu want %zu", f->size,
			 f->want_size);

		type_str(got, sizeof(got), f->type, f->count);
		type_str(want, sizeof(want), f->want_type, f->want_count);
		snprintf(desc, sizeof(desc), "%s.%s is %s", strct, field, want);
		tap_case(f->type == f->want_type && f->count == f->want_count, desc,
			 "got %s want %s", got, want);
	}
}

/* ---- Miscellaneous ---- */

static void check_misc(void)
{
#ifdef _UAPI_LINUX_MSHV_H
	tap_case(1, "include guard _UAPI_LINUX_MSHV_H defined", "defined");
#else
	tap_case(0, "include guard _UAPI_LINUX_MSHV_H defined", "not defined");
#endif
}

int main(void)
{
	tap_init();
	check_misc();
	check_consts();
	check_masks();
	check_ioctls();
	check_ioctl_dispatch();
	check_structs();
	check_fields();
	return tap_finish();
}
