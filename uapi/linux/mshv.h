/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * /dev/mshv user ABI, as shipped by mshv-dkms.
 *
 * This is our own rendering of the Linux 7.2 uapi header of the same name.
 * VMMs (rust-vmm mshv, QEMU, Cloud Hypervisor) are built against upstream's
 * copy and must work unchanged with this module, so every macro, enum and
 * struct name, every number and every struct layout here has to match
 * upstream exactly. user/tests/uapi_abi_test.c pins all of them against
 * literal values; run scripts/uapi-selfcheck.sh after touching this file.
 *
 * Never put compat code or non-upstream ioctls in here.
 *
 * Layout: the ioctl magic first, then one block per file descriptor type
 * (/dev/mshv, partition fd, VP fd), then the mshv_vtl block that upstream has
 * carried in the same header since 6.19. Each block lists its constants, its
 * argument structs and finally its ioctl numbers.
 */
#ifndef _UAPI_LINUX_MSHV_H
#define _UAPI_LINUX_MSHV_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Shared by every mshv device and fd. Registered for mshv in
 * Documentation/userspace-api/ioctl/ioctl-number.rst (numbers 0x01-0x02 are
 * also used by the Marvell CN10K DPI driver).
 */
#define MSHV_IOCTL	0xB8

/* ---- /dev/mshv: creating partitions ---- */

/*
 * Bit numbers for mshv_create_partition.pt_flags; the flag is
 * (1 << MSHV_PT_BIT_x). Values are spelled out because they are ABI.
 */
enum {
	MSHV_PT_BIT_LAPIC			= 0,
	MSHV_PT_BIT_X2APIC			= 1,
	MSHV_PT_BIT_GPA_SUPER_PAGES		= 2,
	/* Since 6.19: the argument is struct mshv_create_partition_v2. */
	MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES	= 3,
	/* Since 7.0 */
	MSHV_PT_BIT_NESTED_VIRTUALIZATION	= 4,
	MSHV_PT_BIT_SMT_ENABLED_GUEST		= 5,
	MSHV_PT_BIT_COUNT			= 6,
};

/* Every pt_flags bit the kernel accepts; anything else is -EINVAL. */
#define MSHV_PT_FLAGS_MASK ((1 << MSHV_PT_BIT_COUNT) - 1)

/* Values of pt_isolation. Upstream knows no isolated partition type. */
enum {
	MSHV_PT_ISOLATION_NONE	= 0,
	MSHV_PT_ISOLATION_COUNT	= 1,
};

/**
 * struct mshv_create_partition - argument of MSHV_CREATE_PARTITION (v1)
 * @pt_flags: OR of (1 << MSHV_PT_BIT_*)
 * @pt_isolation: one of MSHV_PT_ISOLATION_*
 *
 * The ioctl returns a partition fd. The partition then exists but is not yet
 * initialized, which is the window in which "early" partition properties can
 * be set (through MSHV_ROOT_HVCALL); MSHV_INITIALIZE_PARTITION ends it.
 */
struct mshv_create_partition {
	__u64 pt_flags;
	__u64 pt_isolation;
};

/* Number of processor feature banks in mshv_create_partition_v2. */
#define MSHV_NUM_CPU_FEATURES_BANKS 2

/**
 * struct mshv_create_partition_v2 - extended argument of MSHV_CREATE_PARTITION
 * @pt_flags: as in v1; must include (1 << MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)
 *            or the kernel reads only the v1 part
 * @pt_isolation: as in v1
 * @pt_num_cpu_fbanks: must be MSHV_NUM_CPU_FEATURES_BANKS
 * @pt_rsvd: must be zero
 * @pt_cpu_fbanks: processor features to *disable*, one u64 per bank
 * @pt_rsvd1: must be zero
 * @pt_disabled_xsave: (x86_64) xsave features to *disable*
 * @pt_rsvd2: (other architectures) must be zero
 *
 * Same ioctl number as v1 (it encodes the v1 size). The feature words go to
 * the hypervisor untouched. Returns a partition fd, like v1.
 *
 * Packed, so its alignment is 1 as upstream's. Upstream writes __packed and
 * relies on headers_install to rewrite it; this copy is used as is by
 * userspace, hence the plain attribute.
 */
struct mshv_create_partition_v2 {
	__u64 pt_flags;
	__u64 pt_isolation;
	__u16 pt_num_cpu_fbanks;
	__u8 pt_rsvd[6];
	__u64 pt_cpu_fbanks[MSHV_NUM_CPU_FEATURES_BANKS];
	__u64 pt_rsvd1[2];
#if defined(__x86_64__)
	__u64 pt_disabled_xsave;
#else
	__u64 pt_rsvd2;
#endif
} __attribute__((packed));

#define MSHV_CREATE_PARTITION	_IOW(MSHV_IOCTL, 0x00, struct mshv_create_partition)

/* ---- Partition fd (returned by MSHV_CREATE_PARTITION) ---- */

/**
 * struct mshv_create_vp - argument of MSHV_CREATE_VP
 * @vp_index: index of the new virtual processor
 *
 * Returns a VP fd.
 */
struct mshv_create_vp {
	__u32 vp_index;
};

/* Bit numbers for mshv_user_mem_region.flags */
enum {
	MSHV_SET_MEM_BIT_WRITABLE	= 0,
	MSHV_SET_MEM_BIT_EXECUTABLE	= 1,
	/* Remove the mapping instead; the other bits are then ignored. */
	MSHV_SET_MEM_BIT_UNMAP		= 2,
	MSHV_SET_MEM_BIT_COUNT		= 3,
};

#define MSHV_SET_MEM_FLAGS_MASK ((1 << MSHV_SET_MEM_BIT_COUNT) - 1)

/* Page size of the hypervisor, independent of the kernel's PAGE_SIZE. */
#define MSHV_HV_PAGE_SIZE	0x1000

/**
 * struct mshv_user_mem_region - argument of MSHV_SET_GUEST_MEMORY
 * @size: length in bytes, a multiple of MSHV_HV_PAGE_SIZE
 * @guest_pfn: first guest page frame (MSHV_HV_PAGE_SIZE units)
 * @userspace_addr: start of the backing memory in the caller, aligned to
 *                  MSHV_HV_PAGE_SIZE
 * @flags: OR of (1 << MSHV_SET_MEM_BIT_*)
 * @rsvd: must be zero
 *
 * Maps (or, with MSHV_SET_MEM_BIT_UNMAP, unmaps) caller memory at a guest
 * physical range. Regions may not overlap in guest physical space. An unmap
 * must describe an existing region exactly.
 */
struct mshv_user_mem_region {
	__u64 size;
	__u64 guest_pfn;
	__u64 userspace_addr;
	__u8 flags;
	__u8 rsvd[7];
};

/* Bit numbers for mshv_user_irqfd.flags */
enum {
	MSHV_IRQFD_BIT_DEASSIGN	= 0,
	MSHV_IRQFD_BIT_RESAMPLE	= 1,
	MSHV_IRQFD_BIT_COUNT	= 2,
};

#define MSHV_IRQFD_FLAGS_MASK	((1 << MSHV_IRQFD_BIT_COUNT) - 1)

/**
 * struct mshv_user_irqfd - argument of MSHV_IRQFD
 * @fd: eventfd that injects the interrupt when signalled
 * @resamplefd: eventfd signalled on EOI (with MSHV_IRQFD_BIT_RESAMPLE)
 * @gsi: routing entry (see MSHV_SET_MSI_ROUTING) to inject
 * @flags: OR of (1 << MSHV_IRQFD_BIT_*)
 */
struct mshv_user_irqfd {
	__s32 fd;
	__s32 resamplefd;
	__u32 gsi;
	__u32 flags;
};

/* Bit numbers for mshv_user_ioeventfd.flags */
enum {
	MSHV_IOEVENTFD_BIT_DATAMATCH	= 0,
	MSHV_IOEVENTFD_BIT_PIO		= 1,
	MSHV_IOEVENTFD_BIT_DEASSIGN	= 2,
	MSHV_IOEVENTFD_BIT_COUNT	= 3,
};

#define MSHV_IOEVENTFD_FLAGS_MASK	((1 << MSHV_IOEVENTFD_BIT_COUNT) - 1)

/**
 * struct mshv_user_ioeventfd - argument of MSHV_IOEVENTFD
 * @datamatch: value a write must carry (with MSHV_IOEVENTFD_BIT_DATAMATCH)
 * @addr: guest MMIO (or port I/O) address
 * @len: access width in bytes: 1, 2, 4 or 8 (0 matches any)
 * @fd: eventfd to signal
 * @flags: OR of (1 << MSHV_IOEVENTFD_BIT_*)
 * @rsvd: must be zero
 */
struct mshv_user_ioeventfd {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u8 rsvd[4];
};

/**
 * struct mshv_user_irq_entry - one MSI route
 * @gsi: number irqfds use to name this route
 * @address_lo: MSI address, low 32 bits
 * @address_hi: MSI address, high 32 bits
 * @data: MSI data
 */
struct mshv_user_irq_entry {
	__u32 gsi;
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
};

/**
 * struct mshv_user_irq_table - argument of MSHV_SET_MSI_ROUTING
 * @nr: number of @entries; 0 empties the table
 * @rsvd: must be zero
 * @entries: the routes; the whole table replaces the previous one
 *
 * The ioctl number encodes only this 8-byte header.
 */
struct mshv_user_irq_table {
	__u32 nr;
	__u32 rsvd;
	struct mshv_user_irq_entry entries[];
};

/* mshv_gpap_access_bitmap.access_type: which per-page bit to report */
enum {
	MSHV_GPAP_ACCESS_TYPE_ACCESSED	= 0,
	MSHV_GPAP_ACCESS_TYPE_DIRTY	= 1,
	MSHV_GPAP_ACCESS_TYPE_COUNT	= 2,
};

/* mshv_gpap_access_bitmap.access_op: what to do to the bits once read */
enum {
	MSHV_GPAP_ACCESS_OP_NOOP	= 0,
	MSHV_GPAP_ACCESS_OP_CLEAR	= 1,
	MSHV_GPAP_ACCESS_OP_SET		= 2,
	MSHV_GPAP_ACCESS_OP_COUNT	= 3,
};

/**
 * struct mshv_gpap_access_bitmap - argument of MSHV_GET_GPAP_ACCESS_BITMAP
 * @access_type: one of MSHV_GPAP_ACCESS_TYPE_*
 * @access_op: one of MSHV_GPAP_ACCESS_OP_*, applied to the whole range after
 *             the current state has been read
 * @rsvd: must be zero
 * @page_count: number of guest pages in the range
 * @gpap_base: first guest page frame of the range
 * @bitmap_ptr: caller buffer of at least (page_count + 7) / 8 bytes; bit i
 *              describes page gpap_base + i
 */
struct mshv_gpap_access_bitmap {
	__u8 access_type;
	__u8 access_op;
	__u8 rsvd[6];
	__u64 page_count;
	__u64 gpap_base;
	__u64 bitmap_ptr;
};

/**
 * struct mshv_root_hvcall - argument of MSHV_ROOT_HVCALL
 * @code: hypercall code; only an allow-list is passed through
 * @reps: in: rep count, 0 for a simple call; out: reps completed
 * @in_sz: bytes at @in_ptr including rep elements, at most MSHV_HV_PAGE_SIZE
 * @out_sz: bytes at @out_ptr, at most MSHV_HV_PAGE_SIZE; zero without @out_ptr
 * @status: in: must be zero; out: hypervisor status code of the call
 * @rsvd: must be zero
 * @in_ptr: hypercall input; the kernel overwrites the leading partition id
 * @out_ptr: hypercall output buffer, or 0
 */
struct mshv_root_hvcall {
	__u16 code;
	__u16 reps;
	__u16 in_sz;
	__u16 out_sz;
	__u16 status;
	__u8 rsvd[6];
	__u64 in_ptr;
	__u64 out_ptr;
};

#define MSHV_INITIALIZE_PARTITION	_IO(MSHV_IOCTL, 0x00)
#define MSHV_CREATE_VP			_IOW(MSHV_IOCTL, 0x01, struct mshv_create_vp)
#define MSHV_SET_GUEST_MEMORY		_IOW(MSHV_IOCTL, 0x02, struct mshv_user_mem_region)
#define MSHV_IRQFD			_IOW(MSHV_IOCTL, 0x03, struct mshv_user_irqfd)
#define MSHV_IOEVENTFD			_IOW(MSHV_IOCTL, 0x04, struct mshv_user_ioeventfd)
#define MSHV_SET_MSI_ROUTING		_IOW(MSHV_IOCTL, 0x05, struct mshv_user_irq_table)
#define MSHV_GET_GPAP_ACCESS_BITMAP	_IOWR(MSHV_IOCTL, 0x06, struct mshv_gpap_access_bitmap)
/*
 * One number for all three fd types: on a partition or VP fd the call targets
 * that partition, on /dev/mshv (6.19+) the caller's own partition.
 */
#define MSHV_ROOT_HVCALL		_IOWR(MSHV_IOCTL, 0x07, struct mshv_root_hvcall)

/* ---- VP fd (returned by MSHV_CREATE_VP) ---- */

/* One hypervisor message (header plus payload). */
#define MSHV_RUN_VP_BUF_SZ	256

/*
 * Per-VP pages that can be mmap()ed from the VP fd. The mmap offset is the
 * value below times the *system* page size (sysconf(_SC_PAGE_SIZE)); each
 * mapping covers one MSHV_HV_PAGE_SIZE page and must be MAP_SHARED.
 */
enum {
	MSHV_VP_MMAP_OFFSET_REGISTERS		= 0,
	MSHV_VP_MMAP_OFFSET_INTERCEPT_MESSAGE	= 1,
	MSHV_VP_MMAP_OFFSET_GHCB		= 2,
	MSHV_VP_MMAP_OFFSET_COUNT		= 3,
};

/**
 * struct mshv_run_vp - argument of MSHV_RUN_VP
 * @msg_buf: filled with the intercept message that stopped the VP; decode it
 *           with the hypervisor's message definitions
 */
struct mshv_run_vp {
	__u8 msg_buf[MSHV_RUN_VP_BUF_SZ];
};

/* mshv_get_set_vp_state.type */
enum {
	MSHV_VP_STATE_LAPIC		= 0,	/* interrupt controller (any arch) */
	MSHV_VP_STATE_XSAVE		= 1,	/* compacted XSAVE area (x86_64) */
	MSHV_VP_STATE_SIMP		= 2,
	MSHV_VP_STATE_SIEFP		= 3,
	MSHV_VP_STATE_SYNTHETIC_TIMERS	= 4,
	MSHV_VP_STATE_COUNT		= 5,
};

/**
 * struct mshv_get_set_vp_state - argument of MSHV_GET_VP_STATE and
 *                                MSHV_SET_VP_STATE
 * @type: one of MSHV_VP_STATE_*
 * @rsvd: must be zero
 * @buf_sz: in: size of the buffer, a non-zero multiple of 4 KiB;
 *          out: size the state needs (also written when the call fails with
 *          EINVAL because the buffer was too small)
 * @buf_ptr: 4 KiB aligned buffer
 */
struct mshv_get_set_vp_state {
	__u8 type;
	__u8 rsvd[3];
	__u32 buf_sz;
	__u64 buf_ptr;
};

#define MSHV_RUN_VP			_IOR(MSHV_IOCTL, 0x00, struct mshv_run_vp)
#define MSHV_GET_VP_STATE		_IOWR(MSHV_IOCTL, 0x01, struct mshv_get_set_vp_state)
#define MSHV_SET_VP_STATE		_IOWR(MSHV_IOCTL, 0x02, struct mshv_get_set_vp_state)
/* MSHV_ROOT_HVCALL (0x07, defined above) also works on a VP fd. */

/*
 * ---- mshv_vtl (6.19+) ----
 *
 * Used by the VTL2 paravisor driver, which is never built together with
 * mshv_root and is not implemented by mshv-dkms. Kept so this header offers
 * everything upstream's does. Note that its numbers overlap with the
 * mshv_root ones; they are issued on different devices.
 */

/* Capabilities queried with MSHV_CHECK_EXTENSION */
#define MSHV_CAP_CORE_API_STABLE	0x0
#define MSHV_CAP_REGISTER_PAGE		0x1
#define MSHV_CAP_VTL_RETURN_ACTION	0x2
#define MSHV_CAP_DR6_SHARED		0x3

#define MSHV_MAX_RUN_MSG_SIZE		256

/**
 * struct mshv_vp_registers - argument of MSHV_GET/SET_VP_REGISTERS
 * @count: number of registers; only 1 is supported
 * @reserved: padding
 * @regs_ptr: address of the hypervisor register name/value pair(s)
 */
struct mshv_vp_registers {
	__u32 count;
	__u32 reserved;
	__u64 regs_ptr;
};

/**
 * struct mshv_vtl_set_eventfd - argument of MSHV_SINT_SET_EVENTFD
 * @fd: eventfd to bind, or negative to unbind
 * @flag: event flag number (below the hypervisor's event flag count)
 */
struct mshv_vtl_set_eventfd {
	__s32 fd;
	__u32 flag;
};

/**
 * struct mshv_vtl_signal_event - argument of MSHV_SINT_SIGNAL_EVENT
 * @connection_id: hypervisor connection to signal
 * @flag: event flag number
 */
struct mshv_vtl_signal_event {
	__u32 connection_id;
	__u32 flag;
};

/**
 * struct mshv_vtl_sint_post_msg - argument of MSHV_SINT_POST_MESSAGE
 * @message_type: hypervisor message type
 * @connection_id: hypervisor connection to post to
 * @payload_size: bytes at @payload_ptr, at most one message payload
 * @payload_ptr: address of the payload
 */
struct mshv_vtl_sint_post_msg {
	__u64 message_type;
	__u32 connection_id;
	__u32 payload_size;
	__u64 payload_ptr;
};

/**
 * struct mshv_vtl_ram_disposition - argument of MSHV_ADD_VTL0_MEMORY
 * @start_pfn: first page frame of the range
 * @last_pfn: end of the range, exclusive
 */
struct mshv_vtl_ram_disposition {
	__u64 start_pfn;
	__u64 last_pfn;
};

/**
 * struct mshv_vtl_set_poll_file - argument of MSHV_SET_POLL_FILE
 * @cpu: CPU whose lower-VTL run the file can interrupt
 * @fd: file to poll
 */
struct mshv_vtl_set_poll_file {
	__u32 cpu;
	__u32 fd;
};

/**
 * struct mshv_vtl_hvcall_setup - argument of MSHV_HVCALL_SETUP
 * @bitmap_array_size: size of the allow bitmap, in bytes
 * @allow_bitmap_ptr: address of the bitmap of permitted hypercall codes
 */
struct mshv_vtl_hvcall_setup {
	__u64 bitmap_array_size;
	__u64 allow_bitmap_ptr;
};

/**
 * struct mshv_vtl_hvcall - argument of MSHV_HVCALL
 * @control: hypercall control word
 * @input_size: bytes at @input_ptr
 * @input_ptr: hypercall input
 * @status: out: hypercall result
 * @output_size: bytes at @output_ptr
 * @output_ptr: hypercall output buffer
 */
struct mshv_vtl_hvcall {
	__u64 control;
	__u64 input_size;
	__u64 input_ptr;
	__u64 status;
	__u64 output_size;
	__u64 output_ptr;
};

/**
 * struct mshv_sint_mask - argument of MSHV_SINT_PAUSE_MESSAGE_STREAM
 * @mask: non-zero pauses the message stream, zero resumes it
 * @reserved: padding
 */
struct mshv_sint_mask {
	__u8 mask;
	__u8 reserved[7];
};

/* /dev/mshv when mshv_vtl is loaded */
#define MSHV_CHECK_EXTENSION		_IOW(MSHV_IOCTL, 0x00, __u32)
#define MSHV_CREATE_VTL			_IOR(MSHV_IOCTL, 0x1D, char)

/* VTL fd (returned by MSHV_CREATE_VTL) */
#define MSHV_GET_VP_REGISTERS		_IOWR(MSHV_IOCTL, 0x05, struct mshv_vp_registers)
#define MSHV_SET_VP_REGISTERS		_IOW(MSHV_IOCTL, 0x06, struct mshv_vp_registers)
#define MSHV_ADD_VTL0_MEMORY		_IOW(MSHV_IOCTL, 0x21, struct mshv_vtl_ram_disposition)
#define MSHV_SET_POLL_FILE		_IOW(MSHV_IOCTL, 0x25, struct mshv_vtl_set_poll_file)
#define MSHV_RETURN_TO_LOWER_VTL	_IO(MSHV_IOCTL, 0x27)

/* /dev/mshv_sint (VMBus relay) */
#define MSHV_SINT_SIGNAL_EVENT		_IOW(MSHV_IOCTL, 0x22, struct mshv_vtl_signal_event)
#define MSHV_SINT_POST_MESSAGE		_IOW(MSHV_IOCTL, 0x23, struct mshv_vtl_sint_post_msg)
#define MSHV_SINT_SET_EVENTFD		_IOW(MSHV_IOCTL, 0x24, struct mshv_vtl_set_eventfd)
#define MSHV_SINT_PAUSE_MESSAGE_STREAM	_IOW(MSHV_IOCTL, 0x25, struct mshv_sint_mask)

/* /dev/mshv_hvcall */
#define MSHV_HVCALL_SETUP		_IOW(MSHV_IOCTL, 0x1E, struct mshv_vtl_hvcall_setup)
#define MSHV_HVCALL			_IOWR(MSHV_IOCTL, 0x1F, struct mshv_vtl_hvcall)

#endif /* _UAPI_LINUX_MSHV_H */
