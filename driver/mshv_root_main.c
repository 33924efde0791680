// SPDX-License-Identifier: GPL-2.0-only
/*
 * mshv_root: /dev/mshv, the Microsoft Hypervisor partition interface of
 * upstream Linux 7.2, for kernels that predate the in-tree driver.
 *
 * Module entry, backend registration, /dev/mshv and partition fds.
 *
 * On load we look at CPUID 0x40000003: a root partition (CreatePartitions
 * and CpuManagement) or an L1VH VM (CreatePartitions without CpuManagement)
 * gets the real hypervisor backend registered right away.  Anywhere else
 * the module logs one line and waits for a backend (the hvsim simulator)
 * to call mshv_backend_register(); /dev/mshv exists only while a backend
 * is registered.
 *
 * Design choices, per file:
 *  - hv/hv_call.c: our own per-CPU hypercall pages (old kernels give L1VH
 *    none), the only issue path; mshv_root_hv_call.c wraps each hypercall.
 *  - mshv_vector.c: the SINTs get a vector of their own from a hierarchical
 *    irq domain on x86_vector_domain (no hook on the VMBus vector).
 *  - mshv_vp_run.c: both scheduler models; the type is read at registration
 *    (HvGetSystemProperty on root, core scheduler on L1VH unless the
 *    integrated scheduler is offered and enabled).
 *  - Counters for tests are read-only module parameters (pinned_pages,
 *    deposited_pages, self_deposited_pages under /sys/module/mshv_root/).
 *  - SET_MSI_ROUTING, IRQFD and IOEVENTFD: mshv_eventfd.c;
 *    GET_GPAP_ACCESS_BITMAP: mshv_dirty.c; unknown ioctls -ENOTTY.
 *  - On L1VH, hv_vmbus must be loaded first: it owns SIMP/SIEFP/SCONTROL,
 *    which we only map (7.1-rc8 makes that a module dependency).  No
 *    MODULE_SOFTDEP: hv_vmbus fails to load off Hyper-V, and a failing
 *    pre-dependency would make modprobe refuse mshv_root there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/hashtable.h>
#include <linux/rwsem.h>
#include <linux/uaccess.h>
#include <linux/crash_dump.h>
#include <linux/moduleparam.h>
#include <linux/bitfield.h>
#include <asm/processor.h>
#include <asm/cpufeature.h>

#include <linux/mshv.h>

#include "mshv_root.h"
#include "hv/hv_status.h"
#include "hv/hv_backend_real.h"
#include "mshv_trace.h"
#include "mshv_netlink.h"

u32 mshv_scheduler_type;
u64 mshv_vmm_caps;
bool mshv_dispatch_injection;
atomic64_t mshv_pinned_pages = ATOMIC64_INIT(0);
atomic64_t mshv_region_bytes = ATOMIC64_INIT(0);

/* Serializes backend (un)registration against /dev/mshv ioctls. */
static DECLARE_RWSEM(mshv_backend_rwsem);
static atomic_t mshv_partition_count = ATOMIC_INIT(0);

#define MSHV_PARTITIONS_HASH_BITS	9
static DEFINE_HASHTABLE(mshv_pt_htable, MSHV_PARTITIONS_HASH_BITS);
static DEFINE_SPINLOCK(mshv_pt_lock);

/*
 * Counters for tests, read-only module parameters so that they need no
 * debugfs mount: /sys/module/mshv_root/parameters/{pinned,deposited,
 * self_deposited}_pages.
 */
static int mshv_param_get_counter(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%lld\n", atomic64_read(kp->arg));
}

static const struct kernel_param_ops mshv_counter_ops = {
	.get = mshv_param_get_counter,
};

module_param_cb(pinned_pages, &mshv_counter_ops, &mshv_pinned_pages, 0444);
MODULE_PARM_DESC(pinned_pages, "Guest pages pinned by all partitions (read-only)");
module_param_cb(region_bytes, &mshv_counter_ops, &mshv_region_bytes, 0444);
MODULE_PARM_DESC(region_bytes, "Driver memory held by guest memory regions (read-only)");
module_param_cb(deposited_pages, &mshv_counter_ops, &mshv_deposited_pages, 0444);
MODULE_PARM_DESC(deposited_pages, "Pages deposited into child partitions, not yet withdrawn (read-only)");
module_param_cb(self_deposited_pages, &mshv_counter_ops, &mshv_self_deposited_pages, 0444);
MODULE_PARM_DESC(self_deposited_pages, "Pages deposited into the parent's own pool (read-only)");

enum mshv_partition_kind {
	MSHV_KIND_NONE,		/* no Microsoft Hypervisor underneath */
	MSHV_KIND_GUEST,	/* a hypervisor, but no right to create partitions */
	MSHV_KIND_ROOT,		/* root partition: creates partitions, manages CPUs */
	MSHV_KIND_L1VH,		/* Azure nested: creates partitions, no CPU management */
};

static const char * const mshv_kind_names[] = {
	[MSHV_KIND_NONE] = "no Microsoft Hypervisor",
	[MSHV_KIND_GUEST] = "guest without partition-creation privilege",
	[MSHV_KIND_ROOT] = "root partition",
	[MSHV_KIND_L1VH] = "L1VH partition",
};

typedef void (*mshv_cpuid_fn)(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);

static void mshv_native_cpuid(u32 leaf, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	cpuid(leaf, eax, ebx, ecx, edx);
}

/* Classify the partition from the hypervisor's CPUID leaves (6.18 rules). */
static enum mshv_partition_kind mshv_identify_partition(mshv_cpuid_fn get_cpuid)
{
	u32 eax, ebx, ecx, edx;

	get_cpuid(HYPERV_CPUID_VENDOR_AND_MAX_FUNCTIONS, &eax, &ebx, &ecx, &edx);
	if (ebx != HYPERV_CPUID_SIGNATURE_EBX || ecx != HYPERV_CPUID_SIGNATURE_ECX ||
	    edx != HYPERV_CPUID_SIGNATURE_EDX || eax < HYPERV_CPUID_FEATURES)
		return MSHV_KIND_NONE;

	get_cpuid(HYPERV_CPUID_FEATURES, &eax, &ebx, &ecx, &edx);
	if (!(ebx & HV_CREATE_PARTITIONS) || (ebx & HV_ISOLATION))
		return MSHV_KIND_GUEST;

	return (ebx & HV_CPU_MANAGEMENT) ? MSHV_KIND_ROOT : MSHV_KIND_L1VH;
}

/* ---------------------------------------------------------------------- */
/* Partitions                                                             */
/* ---------------------------------------------------------------------- */

struct mshv_partition *mshv_partition_find(u64 pt_id)
{
	struct mshv_partition *partition;

	hash_for_each_possible_rcu(mshv_pt_htable, partition, pt_hnode, pt_id)
		if (partition->pt_id == pt_id)
			return partition;
	return NULL;
}

/* RCU held: the @n-th partition in hash order, NULL past the last (netlink). */
struct mshv_partition *mshv_partition_nth(unsigned long n)
{
	struct mshv_partition *partition;
	unsigned int bkt;

	hash_for_each_rcu(mshv_pt_htable, bkt, partition, pt_hnode)
		if (!n--)
			return partition;
	return NULL;
}

unsigned int mshv_partition_total(void)
{
	return atomic_read(&mshv_partition_count);
}

struct mshv_partition *mshv_partition_get(struct mshv_partition *partition)
{
	if (refcount_inc_not_zero(&partition->pt_ref_count))
		return partition;
	return NULL;
}

/* Make the partition unreachable from the ISR; waits for readers. */
static void mshv_partition_unpublish(struct mshv_partition *partition)
{
	if (!partition->pt_in_table)
		return;
	spin_lock(&mshv_pt_lock);
	hash_del_rcu(&partition->pt_hnode);
	spin_unlock(&mshv_pt_lock);
	partition->pt_in_table = false;
	synchronize_rcu();
}

/*
 * Teardown order (upstream 2.11): stop the VPs, unmap their state pages,
 * finalize, make the partition unreachable, drop guest memory, withdraw
 * the deposited pages, delete.  VP structs are freed only once the ISR can
 * no longer find the partition.
 */
static void mshv_partition_destroy(struct mshv_partition *partition)
{
	struct mshv_vp *vp;
	int i;

	trace_mshv_destroy_partition(partition->pt_id);
	mshv_nl_notify_partition(partition, false);

	if (partition->pt_initialized && mshv_scheduler_type == HV_SCHEDULER_TYPE_ROOT)
		for (i = 0; i < MSHV_MAX_VPS; i++)
			if (partition->pt_vp_array[i])
				mshv_vp_suspend_for_teardown(partition->pt_vp_array[i]);

	for (i = 0; i < MSHV_MAX_VPS; i++)
		if (partition->pt_vp_array[i])
			mshv_vp_unmap_state_pages(partition->pt_vp_array[i]);

	if (partition->pt_initialized) {
		hv_call_finalize_partition(partition->pt_id);
		partition->pt_initialized = false;
	}

	mshv_partition_unpublish(partition);

	for (i = 0; i < MSHV_MAX_VPS; i++) {
		vp = partition->pt_vp_array[i];
		if (!vp)
			continue;
		WRITE_ONCE(partition->pt_vp_array[i], NULL);
		mshv_vp_destroy(vp);
	}

	mshv_partition_destroy_regions(partition);
	hv_call_withdraw_memory(U64_MAX, NUMA_NO_NODE, partition->pt_id);
	hv_call_delete_partition(partition->pt_id);
	mshv_eventfd_partition_destroy(partition);

	module_put(partition->pt_backend_owner);
	atomic_dec(&mshv_partition_count);
	put_pid(partition->pt_owner);
	kfree(partition);
}

void mshv_partition_put(struct mshv_partition *partition)
{
	if (refcount_dec_and_test(&partition->pt_ref_count))
		mshv_partition_destroy(partition);
}

static long mshv_partition_ioctl_initialize(struct mshv_partition *partition)
{
	int ret;

	if (partition->pt_initialized)
		return 0;

	ret = hv_call_initialize_partition(partition->pt_id);
	if (ret) {
		/* Give back the pre-deposit and whatever followed it. */
		hv_call_withdraw_memory(U64_MAX, NUMA_NO_NODE, partition->pt_id);
		return ret;
	}
	partition->pt_initialized = true;
	return 0;
}

static long mshv_partition_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	struct mshv_partition *partition = filp->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (mutex_lock_killable(&partition->pt_mutex))
		return -EINTR;

	switch (ioctl) {
	case MSHV_INITIALIZE_PARTITION:
		ret = mshv_partition_ioctl_initialize(partition);
		break;
	case MSHV_CREATE_VP:
		ret = mshv_partition_ioctl_create_vp(partition, uarg);
		break;
	case MSHV_SET_GUEST_MEMORY:
		ret = mshv_partition_ioctl_set_memory(partition, uarg);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_ioctl_passthru_hvcall(partition, true, false, uarg);
		break;
	case MSHV_SET_MSI_ROUTING:
		ret = mshv_partition_ioctl_set_msi_routing(partition, uarg);
		break;
	case MSHV_IRQFD:
		ret = mshv_partition_ioctl_irqfd(partition, uarg);
		break;
	case MSHV_IOEVENTFD:
		ret = mshv_partition_ioctl_ioeventfd(partition, uarg);
		break;
	case MSHV_GET_GPAP_ACCESS_BITMAP:
		ret = mshv_partition_ioctl_get_gpap_access_bitmap(partition, uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}

	mutex_unlock(&partition->pt_mutex);
	return ret;
}

static int mshv_partition_release(struct inode *inode, struct file *filp)
{
	mshv_eventfd_partition_release(filp->private_data);
	mshv_partition_put(filp->private_data);
	return 0;
}

static const struct file_operations mshv_partition_fops = {
	.owner = THIS_MODULE,
	.release = mshv_partition_release,
	.unlocked_ioctl = mshv_partition_ioctl,
	.llseek = noop_llseek,
};

/* pt_flags bit -> hypervisor creation flag */
static const u64 mshv_pt_bit_to_creation_flag[MSHV_PT_BIT_COUNT] = {
	[MSHV_PT_BIT_LAPIC] = HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED,
	[MSHV_PT_BIT_X2APIC] = HV_PARTITION_CREATION_FLAG_X2APIC_CAPABLE,
	[MSHV_PT_BIT_GPA_SUPER_PAGES] = HV_PARTITION_CREATION_FLAG_GPA_SUPER_PAGES_ENABLED,
	[MSHV_PT_BIT_NESTED_VIRTUALIZATION] =
		HV_PARTITION_CREATION_FLAG_NESTED_VIRTUALIZATION_CAPABLE,
	[MSHV_PT_BIT_SMT_ENABLED_GUEST] = HV_PARTITION_CREATION_FLAG_SMT_ENABLED_GUEST,
};

static int mshv_check_create_args(u64 pt_flags, u64 pt_isolation)
{
	if (pt_flags & ~(u64)MSHV_PT_FLAGS_MASK) {
		pr_info_ratelimited("create partition: unknown pt_flags %#llx\n", pt_flags);
		return -EINVAL;
	}
	if (pt_isolation >= MSHV_PT_ISOLATION_COUNT) {
		pr_info_ratelimited("create partition: bad isolation %llu\n", pt_isolation);
		return -EINVAL;
	}
	return 0;
}

static long mshv_ioctl_create_partition(void __user *uarg)
{
	struct mshv_create_partition_v2 args = {};
	u64 disabled_features[HV_PARTITION_PROCESSOR_FEATURES_BANKS] = {};
	u64 disabled_xsave = 0, creation_flags;
	struct mshv_partition *partition;
	struct file *file;
	unsigned int bit;
	int fd, ret;

	BUILD_BUG_ON(sizeof(struct mshv_create_partition) != 16);
	BUILD_BUG_ON(sizeof(struct mshv_create_partition_v2) != 64);
	BUILD_BUG_ON(MSHV_NUM_CPU_FEATURES_BANKS != HV_PARTITION_PROCESSOR_FEATURES_BANKS);

	/* v1 first; the flags say whether the caller passed v2 (6.19+). */
	if (copy_from_user(&args, uarg, sizeof(struct mshv_create_partition)))
		return -EFAULT;
	ret = mshv_check_create_args(args.pt_flags, args.pt_isolation);
	if (ret)
		return ret;

	if (args.pt_flags & BIT_ULL(MSHV_PT_BIT_CPU_AND_XSAVE_FEATURES)) {
		if (copy_from_user(&args, uarg, sizeof(args)))
			return -EFAULT;
		/* Re-validate: userspace may have changed the first 16 bytes. */
		ret = mshv_check_create_args(args.pt_flags, args.pt_isolation);
		if (ret)
			return ret;
		if (args.pt_num_cpu_fbanks != MSHV_NUM_CPU_FEATURES_BANKS ||
		    memchr_inv(args.pt_rsvd, 0, sizeof(args.pt_rsvd)) ||
		    memchr_inv(args.pt_rsvd1, 0, sizeof(args.pt_rsvd1))) {
			pr_info_ratelimited("create partition: bad v2 banks/reserved fields\n");
			return -EINVAL;
		}
		memcpy(disabled_features, args.pt_cpu_fbanks, sizeof(disabled_features));
		disabled_xsave = args.pt_disabled_xsave;
	}

	creation_flags = HV_PARTITION_CREATION_FLAG_EXO_PARTITION |
			 HV_PARTITION_CREATION_FLAG_INTERCEPT_MESSAGE_PAGE_ENABLED;
	for (bit = 0; bit < MSHV_PT_BIT_COUNT; bit++)
		if (args.pt_flags & BIT_ULL(bit))
			creation_flags |= mshv_pt_bit_to_creation_flag[bit];

	partition = kzalloc(sizeof(*partition), GFP_KERNEL);
	if (!partition)
		return -ENOMEM;
	refcount_set(&partition->pt_ref_count, 1);
	mutex_init(&partition->pt_mutex);
	spin_lock_init(&partition->pt_regions_lock);
	mutex_init(&partition->pt_fault_mutex);
	INIT_HLIST_HEAD(&partition->pt_mem_regions);
	init_completion(&partition->async_hypercall);
	ret = mshv_eventfd_partition_init(partition);
	if (ret) {
		kfree(partition);
		return ret;
	}

	/* The backend module stays while the partition lives. */
	if (!try_module_get(mshv_hv->owner)) {
		ret = -ENODEV;
		goto free_partition;
	}
	partition->pt_backend_owner = mshv_hv->owner;

	ret = hv_call_create_partition(creation_flags, disabled_features, disabled_xsave,
				       HV_PARTITION_ISOLATION_TYPE_NONE, &partition->pt_id);
	trace_mshv_create_partition(partition->pt_id, creation_flags, ret);
	if (ret)
		goto put_module;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto delete_partition;
	}
	file = anon_inode_getfile("mshv_partition", &mshv_partition_fops, partition, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto put_fd;
	}

	/* Publish, then hand out the fd: nothing can fail after this. */
	partition->pt_flags = args.pt_flags;
	partition->pt_owner = get_task_pid(current, PIDTYPE_TGID);
	partition->pt_created_ns = ktime_get_real_ns();
	atomic_inc(&mshv_partition_count);
	spin_lock(&mshv_pt_lock);
	hash_add_rcu(mshv_pt_htable, &partition->pt_hnode, partition->pt_id);
	spin_unlock(&mshv_pt_lock);
	partition->pt_in_table = true;
	fd_install(fd, file);
	mshv_nl_notify_partition(partition, true);
	return fd;

put_fd:
	put_unused_fd(fd);
delete_partition:
	hv_call_withdraw_memory(U64_MAX, NUMA_NO_NODE, partition->pt_id);
	hv_call_delete_partition(partition->pt_id);
put_module:
	module_put(partition->pt_backend_owner);
free_partition:
	mshv_eventfd_partition_destroy(partition);
	kfree(partition);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* MSHV_ROOT_HVCALL                                                       */
/* ---------------------------------------------------------------------- */

static const u16 mshv_passthru_partition_codes[] = {
	HVCALL_GET_PARTITION_PROPERTY,
	HVCALL_GET_PARTITION_PROPERTY_EX,
	HVCALL_SET_PARTITION_PROPERTY,
	HVCALL_INSTALL_INTERCEPT,
	HVCALL_GET_VP_REGISTERS,
	HVCALL_SET_VP_REGISTERS,
	HVCALL_TRANSLATE_VIRTUAL_ADDRESS,
	HVCALL_CLEAR_VIRTUAL_INTERRUPT,
	HVCALL_REGISTER_INTERCEPT_RESULT,
	HVCALL_ASSERT_VIRTUAL_INTERRUPT,
	HVCALL_GET_GPA_PAGES_ACCESS_STATES,
	HVCALL_SIGNAL_EVENT_DIRECT,
	HVCALL_POST_MESSAGE_DIRECT,
	HVCALL_GET_VP_CPUID_VALUES,
};

/* On /dev/mshv, about the parent itself (6.19+). */
static const u16 mshv_passthru_self_codes[] = {
	HVCALL_GET_PARTITION_PROPERTY,
	HVCALL_GET_PARTITION_PROPERTY_EX,
};

static bool mshv_passthru_allowed(u16 code, bool on_device)
{
	const u16 *codes = on_device ? mshv_passthru_self_codes : mshv_passthru_partition_codes;
	size_t i, n = on_device ? ARRAY_SIZE(mshv_passthru_self_codes) :
				  ARRAY_SIZE(mshv_passthru_partition_codes);

	for (i = 0; i < n; i++)
		if (codes[i] == code)
			return true;
	return false;
}

/*
 * @partition NULL: issued on /dev/mshv, for HV_PARTITION_ID_SELF.
 * @partition_locked: issued on the partition fd (pt_mutex held), the only
 * fd that may start an asynchronous call.
 */
long mshv_ioctl_passthru_hvcall(struct mshv_partition *partition, bool partition_locked,
				bool on_device, void __user *user_args)
{
	u64 pt_id = partition ? partition->pt_id : HV_PARTITION_ID_SELF;
	struct mshv_root_hvcall args;
	void *in = NULL, *out = NULL;
	int deposit_err, ret;
	bool is_async;
	u64 status;

	BUILD_BUG_ON(sizeof(args) != 32);
	if (copy_from_user(&args, user_args, sizeof(args)))
		return -EFAULT;

	if (args.status || !args.in_ptr || args.in_sz < sizeof(u64) ||
	    args.in_sz > HV_HYP_PAGE_SIZE || memchr_inv(args.rsvd, 0, sizeof(args.rsvd)) ||
	    (args.out_ptr && (!args.out_sz || args.out_sz > HV_HYP_PAGE_SIZE)) ||
	    args.reps > HV_HYPERCALL_REP_MAX) {
		pr_info_ratelimited("root hvcall %#x: bad arguments\n", args.code);
		return -EINVAL;
	}
	if (!mshv_passthru_allowed(args.code, on_device)) {
		pr_info_ratelimited("root hvcall %#x: not allowed here\n", args.code);
		return -EINVAL;
	}

	is_async = args.code == HVCALL_SET_PARTITION_PROPERTY;
	if (is_async) {
		if (!partition_locked)
			return -EINVAL;
		/* An unconsumed completion: another async call is in flight. */
		if (completion_done(&partition->async_hypercall))
			return -EPERM;
	}

	in = kmalloc(args.in_sz, GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	if (copy_from_user(in, u64_to_user_ptr(args.in_ptr), args.in_sz)) {
		ret = -EFAULT;
		goto free_bufs;
	}
	if (args.out_ptr) {
		out = kzalloc(args.out_sz, GFP_KERNEL);
		if (!out) {
			ret = -ENOMEM;
			goto free_bufs;
		}
	}

	for (;;) {
		status = hv_call_passthru(pt_id, args.code, args.reps, in, args.in_sz,
					  out, args.out_ptr ? args.out_sz : 0, &deposit_err);
		if (hv_result_status(status) != HV_STATUS_CALL_PENDING)
			break;
		if (!is_async) {
			ret = -EBADFD;
			goto copy_status;
		}
		wait_for_completion(&partition->async_hypercall);
		status = (status & ~HV_HYPERCALL_RESULT_MASK) |
			 hv_result_status(partition->async_hypercall_status);
		reinit_completion(&partition->async_hypercall);
		/* A completion that asks for memory: deposit and call again (7.2). */
		if (!hv_result_needs_memory(status))
			break;
		deposit_err = hv_deposit_memory(pt_id, status);
		if (deposit_err)
			break;
	}

	if (hv_result_success(status))
		ret = 0;
	else
		ret = deposit_err ?: hv_result_to_errno(status);

copy_status:
	/* Status and reps go back even when the call failed. */
	args.status = hv_result_status(status);
	args.reps = args.reps ? hv_result_reps(status) : 0;
	if (copy_to_user(user_args, &args, sizeof(args))) {
		ret = -EFAULT;
		goto free_bufs;
	}
	if (!ret && out && copy_to_user(u64_to_user_ptr(args.out_ptr), out, args.out_sz))
		ret = -EFAULT;

free_bufs:
	kfree(out);
	kfree(in);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* /dev/mshv                                                              */
/* ---------------------------------------------------------------------- */

static long mshv_dev_ioctl(struct file *filp, unsigned int ioctl, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long ret;

	down_read(&mshv_backend_rwsem);
	if (!mshv_hv) {
		/* The backend went away while this fd stayed open. */
		ret = -ENODEV;
		goto unlock;
	}
	switch (ioctl) {
	case MSHV_CREATE_PARTITION:
		ret = mshv_ioctl_create_partition(uarg);
		break;
	case MSHV_ROOT_HVCALL:
		ret = mshv_ioctl_passthru_hvcall(NULL, false, true, uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
unlock:
	up_read(&mshv_backend_rwsem);
	return ret;
}

static const struct file_operations mshv_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = mshv_dev_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice mshv_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mshv",
	.fops = &mshv_dev_fops,
	.mode = 0600,
};

/* ---------------------------------------------------------------------- */
/* Backend registration                                                   */
/* ---------------------------------------------------------------------- */

static const char *mshv_scheduler_name(u32 type)
{
	switch (type) {
	case HV_SCHEDULER_TYPE_LP:
		return "LP";
	case HV_SCHEDULER_TYPE_LP_SMT:
		return "LP-SMT";
	case HV_SCHEDULER_TYPE_CORE_SMT:
		return "core-SMT";
	case HV_SCHEDULER_TYPE_ROOT:
		return "root";
	}
	return "unknown";
}

/*
 * Scheduler type (upstream 3.7): asked from the hypervisor on a root
 * partition; core scheduler on L1VH unless the hypervisor offers and
 * enabled the integrated scheduler (7.0), which runs VPs like root.
 */
static int mshv_retrieve_scheduler_type(void)
{
	struct hv_partition_property_vmm_capabilities caps = {};
	u64 integrated = 0;
	int ret;

	ret = hv_call_get_partition_property_ex(HV_PARTITION_ID_SELF,
						HV_PARTITION_PROPERTY_VMM_CAPABILITIES, 0,
						&caps, sizeof(caps));
	if (!ret && caps.bank_count)
		mshv_vmm_caps = caps.bank0;
	else
		pr_info("VMM capabilities unavailable (%d); assuming none\n", ret);

	if (mshv_is_root) {
		ret = hv_call_get_scheduler_type(&mshv_scheduler_type);
		if (ret)
			return ret;
	} else {
		u32 prop = HV_PARTITION_PROPERTY_INTEGRATED_SCHEDULER_ENABLED;

		mshv_scheduler_type = HV_SCHEDULER_TYPE_CORE_SMT;
		if ((mshv_vmm_caps & HV_VMM_CAP_VMM_ENABLE_INTEGRATED_SCHEDULER) &&
		    !hv_call_get_partition_property(HV_PARTITION_ID_SELF, prop, &integrated) &&
		    integrated)
			mshv_scheduler_type = HV_SCHEDULER_TYPE_ROOT;
	}

	switch (mshv_scheduler_type) {
	case HV_SCHEDULER_TYPE_LP:
	case HV_SCHEDULER_TYPE_LP_SMT:
	case HV_SCHEDULER_TYPE_CORE_SMT:
	case HV_SCHEDULER_TYPE_ROOT:
		return 0;
	}
	pr_err("unsupported scheduler type %u\n", mshv_scheduler_type);
	return -EOPNOTSUPP;
}

static u32 mshv_log_hypervisor_version(const struct mshv_backend *backend)
{
	u32 build, ebx, ecx, edx;

	backend->cpuid(HYPERV_CPUID_VERSION, &build, &ebx, &ecx, &edx);
	pr_info("hypervisor %u.%u build %u via backend %s\n",
		(u32)FIELD_GET(HV_VERSION_MAJOR, ebx), (u32)FIELD_GET(HV_VERSION_MINOR, ebx),
		build, backend->name);
	return build;
}

/*
 * Upstream's lines, on the misc device ("misc mshv: ..."): test tools
 * such as LISA parse them.  Like upstream, only a warning.
 */
static void mshv_check_hypervisor_build(u32 build)
{
	if (build >= MSHV_HV_MIN_VERSION && build <= MSHV_HV_MAX_VERSION)
		return;
	dev_err(mshv_dev.this_device, "Running on unvalidated Hyper-V version\n");
	dev_err(mshv_dev.this_device, "Versions: current: %u  min: %u  max: %u\n",
		build, MSHV_HV_MIN_VERSION, MSHV_HV_MAX_VERSION);
}

int mshv_backend_register(const struct mshv_backend *backend)
{
	enum mshv_partition_kind kind;
	u32 eax, ebx, ecx, edx, build;
	int ret;

	if (!backend || !backend->hypercall || !backend->hypercall_fast ||
	    !backend->read_msr || !backend->write_msr || !backend->cpuid)
		return -EINVAL;

	down_write(&mshv_backend_rwsem);
	if (mshv_hv) {
		ret = -EBUSY;
		goto unlock;
	}

	kind = mshv_identify_partition(backend->cpuid);
	if (kind != MSHV_KIND_ROOT && kind != MSHV_KIND_L1VH) {
		pr_err("backend %s presents a %s; not a parent partition\n",
		       backend->name, mshv_kind_names[kind]);
		ret = -ENODEV;
		goto unlock;
	}

	mshv_hv = backend;
	mshv_is_root = kind == MSHV_KIND_ROOT;
	mshv_self_partition_id = HV_PARTITION_ID_SELF;
	mshv_vmm_caps = 0;
	build = mshv_log_hypervisor_version(backend);

	ret = hv_call_pages_init();
	if (ret)
		goto clear_backend;

	backend->cpuid(HYPERV_CPUID_FEATURES, &eax, &ebx, &ecx, &edx);
	mshv_dispatch_injection = ecx & HV_VP_DISPATCH_INTERRUPT_INJECTION_AVAILABLE;
	if (mshv_is_root && (ebx & HV_ACCESS_PARTITION_ID)) {
		ret = hv_call_get_partition_id(&mshv_self_partition_id);
		if (ret)
			goto free_pages;
	}

	ret = mshv_vector_init(mshv_isr);
	if (ret)
		goto free_pages;
	ret = mshv_synic_init();
	if (ret)
		goto free_vectors;
	ret = mshv_retrieve_scheduler_type();
	if (ret)
		goto synic_exit;

	ret = misc_register(&mshv_dev);
	if (ret)
		goto synic_exit;
	mshv_check_hypervisor_build(build);

	pr_info("%s, %s scheduler: /dev/mshv ready\n", mshv_kind_names[kind],
		mshv_scheduler_name(mshv_scheduler_type));
	up_write(&mshv_backend_rwsem);
	return 0;

synic_exit:
	mshv_synic_exit();
free_vectors:
	mshv_vector_exit();
free_pages:
	hv_call_pages_exit();
clear_backend:
	mshv_hv = NULL;
unlock:
	up_write(&mshv_backend_rwsem);
	return ret;
}
EXPORT_SYMBOL_GPL(mshv_backend_register);

void mshv_backend_unregister(const struct mshv_backend *backend)
{
	down_write(&mshv_backend_rwsem);
	if (WARN_ON(!backend || backend != mshv_hv))
		goto unlock;
	/* Each partition holds a reference on backend->owner. */
	WARN_ON(atomic_read(&mshv_partition_count));

	misc_deregister(&mshv_dev);
	/*
	 * A simulator gets back what we put into the parent's own pool, so
	 * that nothing of ours outlives it.  The real hypervisor's pool also
	 * holds the kernel's boot-time deposits and is left alone (upstream
	 * never withdraws from it either).
	 */
	if (backend != mshv_backend_real_get() && atomic64_read(&mshv_self_deposited_pages))
		hv_call_withdraw_memory(atomic64_read(&mshv_self_deposited_pages), NUMA_NO_NODE,
					mshv_self_partition_id);
	mshv_synic_exit();
	mshv_vector_exit();
	hv_call_pages_exit();
	mshv_hv = NULL;
	pr_info("backend %s unregistered; /dev/mshv removed\n", backend->name);
unlock:
	up_write(&mshv_backend_rwsem);
}
EXPORT_SYMBOL_GPL(mshv_backend_unregister);

/* ---------------------------------------------------------------------- */
/* Module                                                                 */
/* ---------------------------------------------------------------------- */

static const struct mshv_backend *mshv_real_backend;

static int __init mshv_root_init(void)
{
	enum mshv_partition_kind kind = MSHV_KIND_NONE;
	const struct mshv_backend *real;
	int ret;

	hv_tlfs_check_layout();
	ret = mshv_eventfd_wq_init();
	if (ret)
		return ret;
	ret = mshv_netlink_init();
	if (ret) {
		mshv_eventfd_wq_exit();
		return ret;
	}

	if (boot_cpu_has(X86_FEATURE_HYPERVISOR))
		kind = mshv_identify_partition(mshv_native_cpuid);

	if (kind != MSHV_KIND_ROOT && kind != MSHV_KIND_L1VH) {
		pr_info("mshv-dkms %s: %s; /dev/mshv waits for a backend\n",
			MSHV_DKMS_VERSION, mshv_kind_names[kind]);
		return 0;
	}
	if (is_kdump_kernel()) {
		pr_info("mshv-dkms %s: kdump kernel; /dev/mshv not created\n",
			MSHV_DKMS_VERSION);
		return 0;
	}
	real = mshv_backend_real_get();
	if (!real) {
		pr_info("mshv-dkms %s: %s but no hypercall page; /dev/mshv waits for a backend\n",
			MSHV_DKMS_VERSION, mshv_kind_names[kind]);
		return 0;
	}
	/* The module stays loaded either way; the log says why. */
	ret = mshv_backend_register(real);
	if (ret) {
		pr_err("mshv-dkms %s: %s, but the hypervisor cannot be driven (%d); /dev/mshv not created\n",
		       MSHV_DKMS_VERSION, mshv_kind_names[kind], ret);
		return 0;
	}
	mshv_real_backend = real;
	return 0;
}

static void __exit mshv_root_exit(void)
{
	if (mshv_real_backend)
		mshv_backend_unregister(mshv_real_backend);
	mshv_netlink_exit();
	mshv_eventfd_wq_exit();
}

module_init(mshv_root_init);
module_exit(mshv_root_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mshv-dkms developers");
MODULE_DESCRIPTION("Microsoft Hypervisor root partition interface (/dev/mshv), DKMS backport");
MODULE_VERSION(MSHV_DKMS_VERSION);
