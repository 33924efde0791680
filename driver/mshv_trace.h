/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of mshv_root (TRACE_SYSTEM mshv), on the events upstream 7.1
 * traces: partition create/destroy, hypercalls, VP run entry/exit, guest
 * memory map/unmap.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mshv

#if !defined(_MSHV_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _MSHV_TRACE_H_

#include <linux/tracepoint.h>

/* Partition created (ret 0) or creation failed. */
TRACE_EVENT(mshv_create_partition,
	    TP_PROTO(u64 pt_id, u64 creation_flags, int ret),
	    TP_ARGS(pt_id, creation_flags, ret),
	    TP_STRUCT__entry(__field(u64, pt_id)
			     __field(u64, creation_flags)
			     __field(int, ret)),
	    TP_fast_assign(__entry->pt_id = pt_id;
			   __entry->creation_flags = creation_flags;
			   __entry->ret = ret;),
	    TP_printk("pt_id=%llu flags=%#llx ret=%d",
		      __entry->pt_id, __entry->creation_flags, __entry->ret)
);

/* Last reference gone: partition torn down. */
TRACE_EVENT(mshv_destroy_partition,
	    TP_PROTO(u64 pt_id),
	    TP_ARGS(pt_id),
	    TP_STRUCT__entry(__field(u64, pt_id)),
	    TP_fast_assign(__entry->pt_id = pt_id;),
	    TP_printk("pt_id=%llu",
		      __entry->pt_id)
);

/* One hypercall: code, status, reps asked and completed. */
TRACE_EVENT(mshv_hvcall,
	    TP_PROTO(u16 code, u16 status, u16 reps, u16 reps_done),
	    TP_ARGS(code, status, reps, reps_done),
	    TP_STRUCT__entry(__field(u16, code)
			     __field(u16, status)
			     __field(u16, reps)
			     __field(u16, reps_done)),
	    TP_fast_assign(__entry->code = code;
			   __entry->status = status;
			   __entry->reps = reps;
			   __entry->reps_done = reps_done;),
	    TP_printk("code=%#06x status=%#06x reps=%u done=%u",
		      __entry->code, __entry->status, __entry->reps, __entry->reps_done)
);

/* VP created (ret 0) or creation failed. */
TRACE_EVENT(mshv_create_vp,
	    TP_PROTO(u64 pt_id, u32 vp_index, int ret),
	    TP_ARGS(pt_id, vp_index, ret),
	    TP_STRUCT__entry(__field(u64, pt_id)
			     __field(u32, vp_index)
			     __field(int, ret)),
	    TP_fast_assign(__entry->pt_id = pt_id;
			   __entry->vp_index = vp_index;
			   __entry->ret = ret;),
	    TP_printk("pt_id=%llu vp=%u ret=%d",
		      __entry->pt_id, __entry->vp_index, __entry->ret)
);

/* MSHV_RUN_VP starts. */
TRACE_EVENT(mshv_run_vp_entry,
	    TP_PROTO(u64 pt_id, u32 vp_index),
	    TP_ARGS(pt_id, vp_index),
	    TP_STRUCT__entry(__field(u64, pt_id)
			     __field(u32, vp_index)),
	    TP_fast_assign(__entry->pt_id = pt_id;
			   __entry->vp_index = vp_index;),
	    TP_printk("pt_id=%llu vp=%u",
		      __entry->pt_id, __entry->vp_index)
);

/* MSHV_RUN_VP returns: message type or error. */
TRACE_EVENT(mshv_run_vp_exit,
	    TP_PROTO(u64 pt_id, u32 vp_index, u32 msg_type, long ret),
	    TP_ARGS(pt_id, vp_index, msg_type, ret),
	    TP_STRUCT__entry(__field(u64, pt_id)
			     __field(u32, vp_index)
			     __field(u32, msg_type)
			     __field(long, ret)),
	    TP_fast_assign(__entry->pt_id = pt_id;
			   __entry->vp_index = vp_index;
			   __entry->msg_type = msg_type;
			   __entry->ret = ret;),
	    TP_printk("pt_id=%llu vp=%u msg_type=%#x ret=%ld",
		      __entry->pt_id, __entry->vp_index, __entry->msg_type, __entry->ret)
);

/* Guest memory region mapped or unmapped. */
TRACE_EVENT(mshv_map_memory,
	    TP_PROTO(u64 pt_id, u64 gfn, u64 nr_pages, u64 uaddr, u32 hv_flags,
		     bool unmap, int ret),
	    TP_ARGS(pt_id, gfn, nr_pages, uaddr, hv_flags, unmap, ret),
	    TP_STRUCT__entry(__field(u64, pt_id)
			     __field(u64, gfn)
			     __field(u64, nr_pages)
			     __field(u64, uaddr)
			     __field(u32, hv_flags)
			     __field(bool, unmap)
			     __field(int, ret)),
	    TP_fast_assign(__entry->pt_id = pt_id;
			   __entry->gfn = gfn;
			   __entry->nr_pages = nr_pages;
			   __entry->uaddr = uaddr;
			   __entry->hv_flags = hv_flags;
			   __entry->unmap = unmap;
			   __entry->ret = ret;),
	    TP_printk("pt_id=%llu %s gfn=%#llx pages=%llu uaddr=%#llx flags=%#x ret=%d",
		      __entry->pt_id, __entry->unmap ? "unmap" : "map", __entry->gfn,
		      __entry->nr_pages, __entry->uaddr, __entry->hv_flags, __entry->ret)
);

#endif /* _MSHV_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mshv_trace
#include <trace/define_trace.h>
