/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The real Microsoft Hypervisor behind the backend interface.  Kept apart
 * from everything else because its implementation is the one translation
 * unit that includes the kernel's own Hyper-V headers.
 */
#ifndef _MSHV_HV_BACKEND_REAL_H_
#define _MSHV_HV_BACKEND_REAL_H_

#include "hv_backend.h"

/*
 * The backend that drives the hypervisor this kernel runs on, or NULL when
 * the kernel has no hypercall page (not on Hyper-V, or built without
 * CONFIG_HYPERV).  Whether the partition may create partitions is the
 * caller's question; ask backend->cpuid().
 */
const struct mshv_backend *mshv_backend_real_get(void);

#endif /* _MSHV_HV_BACKEND_REAL_H_ */
