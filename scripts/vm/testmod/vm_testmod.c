// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_testmod - misbehaves on request, to prove that scripts/vm-run.sh
 * notices.  Used only by scripts/vm/selftest.sh, never by the driver tests.
 *
 * mode=0  load and unload cleanly
 * mode=1  WARN_ON() during init (taints W), then load
 * mode=2  NULL pointer write during init (oops, taints D)
 */
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int mode;
/* Read at run time, so the compiler cannot see the NULL write coming. */
static int *vm_testmod_target;
module_param(mode, int, 0444);
MODULE_PARM_DESC(mode, "0 = clean, 1 = WARN_ON in init, 2 = NULL dereference in init");

static int __init vm_testmod_init(void)
{
	pr_info("vm_testmod: init, mode=%d\n", mode);
	switch (mode) {
	case 0:
		break;
	case 1:
		WARN_ON(1);
		break;
	case 2:
		WRITE_ONCE(*READ_ONCE(vm_testmod_target), 1);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static void __exit vm_testmod_exit(void)
{
	pr_info("vm_testmod: exit\n");
}

module_init(vm_testmod_init);
module_exit(vm_testmod_exit);

MODULE_DESCRIPTION("scripts/vm harness self-test module");
MODULE_LICENSE("GPL");
