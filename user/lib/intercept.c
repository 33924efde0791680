// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmshv: decoding of the hv_message returned by MSHV_RUN_VP.  Pure code,
 * unit-tested on the host (user/tests/libmshv_unit_test.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void decode_header(const struct hv_x64_intercept_message_header *h,
			  struct mshv_exit *e)
{
	e->has_header = true;
	e->vp_index = h->vp_index;
	e->insn_len = h->insn_len_cr8 & 0xf;
	e->cr8 = h->insn_len_cr8 >> 4;
	e->access_type = h->intercept_access_type;
	e->exec_state = h->execution_state;
	e->cs = h->cs_segment;
	e->rip = h->rip;
	e->rflags = h->rflags;
}

static void copy_insn(__u8 *dst, __u8 *count, const __u8 *src, __u8 n)
{
	*count = n > 16 ? 16 : n;
	memcpy(dst, src, 16);
}

int mshv_exit_decode(const struct hv_message *msg, struct mshv_exit *e)
{
	const void *p = msg->bytes;
	__u32 type = msg->header.message_type;
	unsigned int need = 0;

	memset(e, 0, sizeof(*e));
	e->msg = *msg;
	e->msg_type = type;
	e->payload_size = msg->header.payload_size;
	e->sender = msg->header.sender;

	switch (type) {
	case HVMSG_X64_IO_PORT_INTERCEPT: {
		const struct hv_x64_io_port_intercept_message *m = p;

		need = sizeof(*m);
		e->reason = MSHV_EXIT_IO;
		decode_header(&m->header, e);
		e->io.port = m->port_number;
		e->io.size = m->access_info & HV_X64_IO_ACCESS_SIZE_MASK;
		e->io.string = !!(m->access_info & HV_X64_IO_STRING_OP);
		e->io.rep = !!(m->access_info & HV_X64_IO_REP_PREFIX);
		e->io.is_write = m->header.intercept_access_type == HV_INTERCEPT_ACCESS_WRITE;
		copy_insn(e->io.insn_bytes, &e->io.insn_byte_count,
			  m->instruction_bytes, m->instruction_byte_count);
		e->io.rax = m->rax;
		e->io.rcx = m->rcx;
		e->io.rsi = m->rsi;
		e->io.rdi = m->rdi;
		e->io.ds = m->ds_segment;
		e->io.es = m->es_segment;
		break;
	}
	case HVMSG_UNMAPPED_GPA:
	case HVMSG_GPA_INTERCEPT:
	case HVMSG_UNACCEPTED_GPA: {
		const struct hv_x64_memory_intercept_message *m = p;

		need = sizeof(*m);
		e->reason = MSHV_EXIT_MEMORY;
		decode_header(&m->header, e);
		e->mem.gpa = m->guest_physical_address;
		e->mem.gva = m->guest_virtual_address;
		e->mem.access_info = m->memory_access_info;
		e->mem.gva_valid = !!(m->memory_access_info & HV_X64_MEM_GVA_VALID);
		e->mem.gva_gpa_valid = !!(m->memory_access_info & HV_X64_MEM_GVA_GPA_VALID);
		e->mem.cache_type = m->cache_type;
		copy_insn(e->mem.insn_bytes, &e->mem.insn_byte_count,
			  m->instruction_bytes, m->instruction_byte_count);
		break;
	}
	case HVMSG_X64_HALT:
		need = sizeof(struct hv_x64_intercept_message_header);
		e->reason = MSHV_EXIT_HALT;
		decode_header(p, e);
		break;
	case HVMSG_UNRECOVERABLE_EXCEPTION:
		need = sizeof(struct hv_x64_intercept_message_header);
		e->reason = MSHV_EXIT_UNRECOVERABLE;
		decode_header(p, e);
		break;
	case HVMSG_X64_CPUID_INTERCEPT: {
		const struct hv_x64_cpuid_intercept_message *m = p;

		need = sizeof(*m);
		e->reason = MSHV_EXIT_CPUID;
		decode_header(&m->header, e);
		e->cpuid.rax = m->rax;
		e->cpuid.rcx = m->rcx;
		e->cpuid.rdx = m->rdx;
		e->cpuid.rbx = m->rbx;
		e->cpuid.default_rax = m->default_result_rax;
		e->cpuid.default_rcx = m->default_result_rcx;
		e->cpuid.default_rdx = m->default_result_rdx;
		e->cpuid.default_rbx = m->default_result_rbx;
		break;
	}
	case HVMSG_X64_MSR_INTERCEPT: {
		const struct hv_x64_msr_intercept_message *m = p;

		need = sizeof(*m);
		e->reason = MSHV_EXIT_MSR;
		decode_header(&m->header, e);
		e->msr.index = m->msr_number;
		e->msr.is_write = m->header.intercept_access_type == HV_INTERCEPT_ACCESS_WRITE;
		e->msr.rdx = m->rdx;
		e->msr.rax = m->rax;
		break;
	}
	case HVMSG_X64_EXCEPTION_INTERCEPT: {
		const struct hv_x64_exception_intercept_message *m = p;

		need = sizeof(*m);
		e->reason = MSHV_EXIT_EXCEPTION;
		decode_header(&m->header, e);
		e->exception.vector = m->exception_vector;
		e->exception.error_code_valid = !!(m->exception_info & HV_X64_EXC_ERROR_CODE_VALID);
		e->exception.software = !!(m->exception_info & HV_X64_EXC_SOFTWARE);
		e->exception.error_code = m->error_code;
		e->exception.parameter = m->exception_parameter;
		copy_insn(e->exception.insn_bytes, &e->exception.insn_byte_count,
			  m->instruction_bytes, m->instruction_byte_count);
		memcpy(e->exception.gprs, &m->rax, sizeof(e->exception.gprs));
		break;
	}
	case HVMSG_HYPERCALL_INTERCEPT: {
		const struct hv_x64_hypercall_intercept_message *m = p;

		need = sizeof(*m);
		e->reason = MSHV_EXIT_HYPERCALL;
		decode_header(&m->header, e);
		e->hypercall.rax = m->rax;
		e->hypercall.rbx = m->rbx;
		e->hypercall.rcx = m->rcx;
		e->hypercall.rdx = m->rdx;
		e->hypercall.r8 = m->r8;
		e->hypercall.rsi = m->rsi;
		e->hypercall.rdi = m->rdi;
		e->hypercall.isolated = m->flags & 1;
		break;
	}
	case HVMSG_INVALID_VP_REGISTER_VALUE:
		e->reason = MSHV_EXIT_INVALID_REGISTER_VALUE;
		e->vp_index = msg->payload[0] & 0xffffffff;
		need = 8;
		break;
	case HVMSG_UNSUPPORTED_FEATURE:
		e->reason = MSHV_EXIT_UNSUPPORTED_FEATURE;
		e->unsupported.vp_index = msg->payload[0] & 0xffffffff;
		e->unsupported.feature_code = msg->payload[0] >> 32;
		e->unsupported.feature_parameter = msg->payload[1];
		e->vp_index = e->unsupported.vp_index;
		need = 16;
		break;
	case HVMSG_X64_APIC_EOI:
		e->reason = MSHV_EXIT_APIC_EOI;
		e->eoi.vp_index = msg->payload[0] & 0xffffffff;
		e->eoi.vector = msg->payload[0] >> 32;
		e->vp_index = e->eoi.vp_index;
		need = 8;
		break;
	case HVMSG_X64_INTERRUPTION_DELIVERABLE:
		need = 48;
		e->reason = MSHV_EXIT_INTERRUPTION_DELIVERABLE;
		decode_header(p, e);
		e->deliverable.deliverable_type = msg->payload[5] & 0xffffffff;
		break;
	default:
		e->reason = MSHV_EXIT_UNKNOWN;
		return 0;
	}
	/* payload_size is informative; a short one means a broken message. */
	if (msg->header.payload_size && msg->header.payload_size < need &&
	    need <= HV_MESSAGE_PAYLOAD_BYTES)
		return -EINVAL;
	return 0;
}

const char *mshv_exit_reason_str(enum mshv_exit_reason reason)
{
	switch (reason) {
	case MSHV_EXIT_IO:			return "io";
	case MSHV_EXIT_MEMORY:			return "memory";
	case MSHV_EXIT_HALT:			return "halt";
	case MSHV_EXIT_CPUID:			return "cpuid";
	case MSHV_EXIT_MSR:			return "msr";
	case MSHV_EXIT_EXCEPTION:		return "exception";
	case MSHV_EXIT_HYPERCALL:		return "hypercall";
	case MSHV_EXIT_UNRECOVERABLE:		return "unrecoverable-exception";
	case MSHV_EXIT_INVALID_REGISTER_VALUE:	return "invalid-vp-register-value";
	case MSHV_EXIT_UNSUPPORTED_FEATURE:	return "unsupported-feature";
	case MSHV_EXIT_APIC_EOI:		return "apic-eoi";
	case MSHV_EXIT_INTERRUPTION_DELIVERABLE: return "interruption-deliverable";
	default:				return "unknown";
	}
}

const char *mshv_msg_type_str(__u32 t)
{
	switch (t) {
	case HVMSG_NONE:			return "HVMSG_NONE";
	case HVMSG_UNMAPPED_GPA:		return "HVMSG_UNMAPPED_GPA";
	case HVMSG_GPA_INTERCEPT:		return "HVMSG_GPA_INTERCEPT";
	case HVMSG_UNACCEPTED_GPA:		return "HVMSG_UNACCEPTED_GPA";
	case HVMSG_TIMER_EXPIRED:		return "HVMSG_TIMER_EXPIRED";
	case HVMSG_INVALID_VP_REGISTER_VALUE:	return "HVMSG_INVALID_VP_REGISTER_VALUE";
	case HVMSG_UNRECOVERABLE_EXCEPTION:	return "HVMSG_UNRECOVERABLE_EXCEPTION";
	case HVMSG_UNSUPPORTED_FEATURE:		return "HVMSG_UNSUPPORTED_FEATURE";
	case HVMSG_OPAQUE_INTERCEPT:		return "HVMSG_OPAQUE_INTERCEPT";
	case HVMSG_HYPERCALL_INTERCEPT:		return "HVMSG_HYPERCALL_INTERCEPT";
	case HVMSG_X64_IO_PORT_INTERCEPT:	return "HVMSG_X64_IO_PORT_INTERCEPT";
	case HVMSG_X64_MSR_INTERCEPT:		return "HVMSG_X64_MSR_INTERCEPT";
	case HVMSG_X64_CPUID_INTERCEPT:		return "HVMSG_X64_CPUID_INTERCEPT";
	case HVMSG_X64_EXCEPTION_INTERCEPT:	return "HVMSG_X64_EXCEPTION_INTERCEPT";
	case HVMSG_X64_APIC_EOI:		return "HVMSG_X64_APIC_EOI";
	case HVMSG_X64_LEGACY_FP_ERROR:		return "HVMSG_X64_LEGACY_FP_ERROR";
	case HVMSG_X64_HALT:			return "HVMSG_X64_HALT";
	case HVMSG_X64_INTERRUPTION_DELIVERABLE: return "HVMSG_X64_INTERRUPTION_DELIVERABLE";
	case HVMSG_X64_SIPI_INTERCEPT:		return "HVMSG_X64_SIPI_INTERCEPT";
	default:				return "HVMSG_(unknown)";
	}
}

static const char *access_str(__u8 a)
{
	switch (a) {
	case HV_INTERCEPT_ACCESS_READ:		return "read";
	case HV_INTERCEPT_ACCESS_WRITE:		return "write";
	case HV_INTERCEPT_ACCESS_EXECUTE:	return "execute";
	default:				return "access?";
	}
}

char *mshv_exit_describe(const struct mshv_exit *e, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%s (0x%08x)", mshv_msg_type_str(e->msg_type),
		     e->msg_type);
	if (n < 0 || (size_t)n >= len)
		return buf;
	if (e->has_header)
		n += snprintf(buf + n, len - n, " vp %u rip 0x%llx len %u",
			      e->vp_index, (unsigned long long)e->rip, e->insn_len);
	if (n < 0 || (size_t)n >= len)
		return buf;
	switch (e->reason) {
	case MSHV_EXIT_IO:
		snprintf(buf + n, len - n, " %s%s port 0x%x size %u%s rax 0x%llx",
			 e->io.is_write ? "out" : "in", e->io.string ? "s" : "",
			 e->io.port, e->io.size, e->io.rep ? " rep" : "",
			 (unsigned long long)e->io.rax);
		break;
	case MSHV_EXIT_MEMORY:
		snprintf(buf + n, len - n, " %s gpa 0x%llx gva 0x%llx%s",
			 access_str(e->access_type), (unsigned long long)e->mem.gpa,
			 (unsigned long long)e->mem.gva,
			 e->mem.gva_valid ? "" : " (gva invalid)");
		break;
	case MSHV_EXIT_CPUID:
		snprintf(buf + n, len - n, " leaf 0x%llx subleaf 0x%llx",
			 (unsigned long long)e->cpuid.rax,
			 (unsigned long long)e->cpuid.rcx);
		break;
	case MSHV_EXIT_MSR:
		snprintf(buf + n, len - n, " %s msr 0x%x",
			 e->msr.is_write ? "wrmsr" : "rdmsr", e->msr.index);
		break;
	case MSHV_EXIT_EXCEPTION:
		snprintf(buf + n, len - n, " vector %u error 0x%x%s",
			 e->exception.vector, e->exception.error_code,
			 e->exception.error_code_valid ? "" : " (none)");
		break;
	case MSHV_EXIT_HYPERCALL:
		snprintf(buf + n, len - n, " rcx 0x%llx",
			 (unsigned long long)e->hypercall.rcx);
		break;
	default:
		break;
	}
	return buf;
}
