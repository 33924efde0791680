// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSHV_RUN_VP: the two run-loop models (upstream 3.7).
 *
 * Hypervisor scheduler (LP, LP-SMT, core; L1VH by default): clear the
 * suspend registers, sleep until the ISR kicks us with an opaque intercept,
 * copy the intercept message page out.  On a signal the VP is suspended
 * explicitly; if an intercept raced with that, its message is waited for
 * and returned instead of -EINTR.
 *
 * Root scheduler (root partitions; L1VH with the integrated scheduler):
 * the VP runs inside HvDispatchVp on this thread.  Before every dispatch
 * pending signals end the ioctl with -EINTR and a pending reschedule is
 * honoured.  Kernels before 6.18 export no entry-virt helper (6.1 has only
 * the KVM one, which dereferences a kvm_vcpu), so the loop is open-coded.
 * TIF_NOTIFY_RESUME work cannot be run from a module on these kernels
 * (resume_user_mode_work's callees are not exported); it stays pending and
 * runs when the ioctl returns.  Returning -EINTR for it instead would hand
 * VMMs a spurious -EINTR after nearly every preemption, since glibc's rseq
 * registration makes the scheduler set the flag.  Task work queued with
 * TWA_SIGNAL still ends the ioctl: signal_pending() sees TIF_NOTIFY_SIGNAL.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <linux/mshv.h>

#include "mshv_root.h"
#include "mshv_trace.h"

static int mshv_vp_set_regs(struct mshv_vp *vp, struct hv_register_assoc *regs, u16 count)
{
	return hv_call_set_vp_registers(vp->vp_index, vp->vp_partition->pt_id, count, 0, regs);
}

static int mshv_vp_get_reg(struct mshv_vp *vp, u32 name, u64 *value)
{
	struct hv_register_assoc reg = { .name = name };
	int ret;

	ret = hv_call_get_vp_registers(vp->vp_index, vp->vp_partition->pt_id, 1, 0, &reg);
	if (!ret)
		*value = reg.value.reg64;
	return ret;
}

static int mshv_vp_set_reg(struct mshv_vp *vp, u32 name, u64 value)
{
	struct hv_register_assoc reg = { .name = name, .value.reg64 = value };

	return mshv_vp_set_regs(vp, &reg, 1);
}

static struct hv_message *mshv_vp_msg(struct mshv_vp *vp)
{
	return page_address(vp->vp_intercept_msg_page);
}

/* ---------------------------------------------------------------------- */
/* Hypervisor scheduler                                                   */
/* ---------------------------------------------------------------------- */

static long mshv_run_vp_with_hyp_scheduler(struct mshv_vp *vp)
{
	/* Intercept suspend first: the reverse order could lose a new one. */
	struct hv_register_assoc resume[2] = {
		{ .name = HV_REGISTER_INTERCEPT_SUSPEND },
		{ .name = HV_REGISTER_EXPLICIT_SUSPEND },
	};
	u64 intercept_suspend, t;
	int ret;

	ret = mshv_vp_set_regs(vp, resume, ARRAY_SIZE(resume));
	if (ret)
		return ret;

	t = mshv_stats_clock();
	ret = wait_event_interruptible(vp->run.suspend_queue,
				       READ_ONCE(vp->run.kicked_by_hv));
	mshv_stats_vp_guest_since(vp, t);
	if (ret) {
		/* Stop the VP, then see whether an intercept beat us to it. */
		ret = mshv_vp_set_reg(vp, HV_REGISTER_EXPLICIT_SUSPEND,
				      HV_SUSPEND_REGISTER_SUSPENDED);
		if (ret)
			return ret;
		ret = mshv_vp_get_reg(vp, HV_REGISTER_INTERCEPT_SUSPEND, &intercept_suspend);
		if (ret)
			return ret;
		if (!(intercept_suspend & HV_SUSPEND_REGISTER_SUSPENDED))
			return -EINTR;
		/* Its message is on the way: collect it. */
		wait_event(vp->run.suspend_queue, READ_ONCE(vp->run.kicked_by_hv));
	}
	WRITE_ONCE(vp->run.kicked_by_hv, false);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Root scheduler                                                         */
/* ---------------------------------------------------------------------- */

static bool mshv_vp_interrupt_pending(struct mshv_vp *vp)
{
	struct hv_vp_register_page *regs;

	if (!vp->vp_register_page)
		return false;
	regs = page_address(vp->vp_register_page);
	return READ_ONCE(regs->interrupt_vectors.as_uint64) != 0;
}

/*
 * The hypervisor still considers the dispatch thread blocked: counter
 * RootDispatchThreadBlocked of either stats area is non-zero.
 */
static bool mshv_vp_dispatch_thread_blocked(struct mshv_vp *vp)
{
	int area;
	u64 *stats;

	for (area = HV_STATS_AREA_SELF; area <= HV_STATS_AREA_PARENT; area++) {
		if (!vp->vp_stats_pages[area])
			continue;
		stats = page_address(vp->vp_stats_pages[area]);
		if (READ_ONCE(stats[HV_VP_COUNTER_ROOT_DISPATCH_THREAD_BLOCKED]))
			return true;
	}
	return false;
}

static int mshv_vp_wait_for_hv_kick(struct mshv_vp *vp)
{
	if (wait_event_interruptible(vp->run.suspend_queue,
				     (READ_ONCE(vp->run.kicked_by_hv) &&
				      !mshv_vp_dispatch_thread_blocked(vp)) ||
				     mshv_vp_interrupt_pending(vp)))
		return -EINTR;
	vp->run.root_sched_blocked = false;
	WRITE_ONCE(vp->run.kicked_by_hv, false);
	return 0;
}

/* Work the kernel must do before the thread may enter the guest. */
static int mshv_pre_guest_mode_work(void)
{
	for (;;) {
		if (signal_pending(current))
			return -EINTR;
		if (!need_resched())
			return 0;
		schedule();
	}
}

static long mshv_run_vp_with_root_scheduler(struct mshv_vp *vp)
{
	struct hv_output_dispatch_vp output;
	u32 flags;
	int ret;
	u64 t;

	if (vp->run.root_sched_blocked) {
		ret = mshv_vp_wait_for_hv_kick(vp);
		if (ret)
			return ret;
	}

	do {
		ret = mshv_pre_guest_mode_work();
		if (ret)
			return ret;

		flags = 0;
		if (vp->run.intercept_suspend)
			flags |= HV_DISPATCH_VP_FLAG_CLEAR_INTERCEPT_SUSPEND;
		if (mshv_vp_interrupt_pending(vp))
			flags |= HV_DISPATCH_VP_FLAG_SCAN_INTERRUPT_INJECTION;

		t = mshv_stats_clock();
		ret = hv_call_dispatch_vp(vp->vp_partition->pt_id, vp->vp_index, flags,
					  &output);
		mshv_stats_vp_guest_since(vp, t);
		if (ret)
			return ret;
		vp->run.intercept_suspend = false;

		if (output.dispatch_state == HV_VP_DISPATCH_STATE_BLOCKED) {
			if (output.dispatch_event == HV_VP_DISPATCH_EVENT_SUSPEND) {
				/* New or explicitly suspended VP: release it. */
				ret = mshv_vp_set_reg(vp, HV_REGISTER_EXPLICIT_SUSPEND, 0);
				if (ret)
					return ret;
			} else {
				vp->run.root_sched_blocked = true;
			}
			ret = mshv_vp_wait_for_hv_kick(vp);
			if (ret)
				return ret;
		} else if (output.dispatch_event == HV_VP_DISPATCH_EVENT_INTERCEPT) {
			vp->run.intercept_suspend = true;
		}
	} while (!vp->run.intercept_suspend);

	/* The intercept arrives in the page; no kick to wait for. */
	WRITE_ONCE(vp->run.kicked_by_hv, false);
	return 0;
}

/*
 * Root scheduler, partition teardown: keep the hypervisor from dispatching
 * the VP again and wait until every signal it sent has reached the ISR.
 */
int mshv_vp_suspend_for_teardown(struct mshv_vp *vp)
{
	u64 hv_count;
	int ret, tries;

	ret = mshv_vp_set_reg(vp, HV_REGISTER_DISPATCH_SUSPEND, HV_SUSPEND_REGISTER_SUSPENDED);
	if (ret)
		return ret;
	for (tries = 0; tries < 10; tries++) {
		ret = mshv_vp_get_reg(vp, HV_REGISTER_VP_ROOT_SIGNAL_COUNT, &hv_count);
		if (ret)
			return ret;
		if (wait_event_timeout(vp->run.suspend_queue,
				       (u64)atomic64_read(&vp->run.signaled_count) >= hv_count,
				       HZ / 10))
			return 0;
	}
	pr_warn("vp %u: signals still in flight at teardown\n", vp->vp_index);
	return -ETIMEDOUT;
}

long mshv_vp_ioctl_run_vp(struct mshv_vp *vp, void __user *ret_msg)
{
	struct hv_message *msg;
	u32 msg_type;
	u64 begin;
	long ret;

	BUILD_BUG_ON(sizeof(struct hv_message) != MSHV_RUN_VP_BUF_SZ);
	BUILD_BUG_ON(sizeof(struct mshv_run_vp) != MSHV_RUN_VP_BUF_SZ);

	if (!vp->vp_intercept_msg_page)
		return -ENODEV;
	trace_mshv_run_vp_entry(vp->vp_partition->pt_id, vp->vp_index);
	begin = mshv_stats_vp_run_begin(vp);

	msg = mshv_vp_msg(vp);
	do {
		if (mshv_scheduler_type == HV_SCHEDULER_TYPE_ROOT)
			ret = mshv_run_vp_with_root_scheduler(vp);
		else
			ret = mshv_run_vp_with_hyp_scheduler(vp);
		/* A fault on movable guest RAM is resolved here, not in userspace. */
	} while (!ret && mshv_region_resolve_gpa_intercept(vp->vp_partition, msg));

	msg_type = ret ? 0 : READ_ONCE(msg->header.message_type);
	trace_mshv_run_vp_exit(vp->vp_partition->pt_id, vp->vp_index, msg_type, ret);
	mshv_stats_vp_run_end(vp, begin, ret, msg_type);
	if (ret)
		return ret;
	if (copy_to_user(ret_msg, msg, sizeof(*msg)))
		return -EFAULT;
	return 0;
}
