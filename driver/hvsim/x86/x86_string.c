// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: string instructions and port I/O.
 *
 * A rep-prefixed string instruction executes one element per step and keeps
 * RIP on itself until it is done, so it is interruptible, budgeted and can
 * exit (IO, MEMORY) in the middle with rCX/rSI/rDI describing the progress.
 */
#include "x86_internal.h"

static void fill_string_io(struct hvx86_vcpu *vcpu, unsigned int seg,
			   u64 linear)
{
	const struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_exit_io *io = &vcpu->exit.io;

	io->is_string = true;
	io->rep = insn->rep != 0;
	io->segment = seg;
	io->gva = linear;
	io->count = insn->rep ? hvx86_reg_read(vcpu, HVX86_RCX, insn->addr_size,
					       true) : 1;
}

int hvx86_exec_string(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	unsigned int asize = insn->addr_size, size;
	unsigned int src_seg = insn->seg_override >= 0 ? insn->seg_override :
							 HVX86_SEG_DS;
	u64 amask = hvx86_size_mask(asize);
	u64 rsi = regs->gpr[HVX86_RSI] & amask, rdi = regs->gpr[HVX86_RDI] & amask;
	u64 count = regs->gpr[HVX86_RCX] & amask;
	u64 src = 0, dst = 0, linear, delta;
	u8 op = insn->opcode;
	bool uses_si = false, uses_di = false, compare = false, done;
	u16 port = (u16)regs->gpr[HVX86_RDX];
	int status;

	if (op <= 0x6f)
		size = (op & 1) ? (insn->op_size == 2 ? 2 : 4) : 1;
	else
		size = (op & 1) ? insn->op_size : 1;
	if (insn->rep && !count) {
		regs->rip = insn->next_rip;
		return HVX86_OK;
	}
	delta = (regs->rflags & HVX86_FLAG_DF) ? (u64)-(s64)size : size;

	switch (op) {
	case 0x6c: case 0x6d:		/* ins */
		HVX86_TRY(hvx86_linear(vcpu, HVX86_SEG_ES, rdi, size,
				       HVX86_ACCESS_WRITE, &linear));
		status = hvx86_port_io(vcpu, port, size, true, &src);
		if (status == HVX86_STOP)
			fill_string_io(vcpu, HVX86_SEG_ES, linear);
		HVX86_TRY(status);
		HVX86_TRY(hvx86_write_mem(vcpu, HVX86_SEG_ES, rdi, size, src));
		uses_di = true;
		break;
	case 0x6e: case 0x6f:		/* outs */
		HVX86_TRY(hvx86_read_mem(vcpu, src_seg, rsi, size, &src));
		HVX86_TRY(hvx86_linear(vcpu, src_seg, rsi, size, HVX86_ACCESS_READ,
				       &linear));
		status = hvx86_port_io(vcpu, port, size, false, &src);
		if (status == HVX86_STOP)
			fill_string_io(vcpu, src_seg, linear);
		HVX86_TRY(status);
		uses_si = true;
		break;
	case 0xa4: case 0xa5:		/* movs */
		HVX86_TRY(hvx86_read_mem(vcpu, src_seg, rsi, size, &src));
		HVX86_TRY(hvx86_write_mem(vcpu, HVX86_SEG_ES, rdi, size, src));
		uses_si = true;
		uses_di = true;
		break;
	case 0xa6: case 0xa7:		/* cmps */
		HVX86_TRY(hvx86_read_mem(vcpu, src_seg, rsi, size, &src));
		HVX86_TRY(hvx86_read_mem(vcpu, HVX86_SEG_ES, rdi, size, &dst));
		hvx86_alu(vcpu, HVX86_ALU_CMP, src, dst, size);
		uses_si = true;
		uses_di = true;
		compare = true;
		break;
	case 0xaa: case 0xab:		/* stos */
		HVX86_TRY(hvx86_write_mem(vcpu, HVX86_SEG_ES, rdi, size,
					  regs->gpr[HVX86_RAX]));
		uses_di = true;
		break;
	case 0xac: case 0xad:		/* lods */
		HVX86_TRY(hvx86_read_mem(vcpu, src_seg, rsi, size, &src));
		hvx86_reg_write(vcpu, HVX86_RAX, size, false, src);
		uses_si = true;
		break;
	default:			/* scas */
		HVX86_TRY(hvx86_read_mem(vcpu, HVX86_SEG_ES, rdi, size, &dst));
		hvx86_alu(vcpu, HVX86_ALU_CMP, regs->gpr[HVX86_RAX], dst, size);
		uses_di = true;
		compare = true;
		break;
	}
	if (uses_si)
		hvx86_reg_write(vcpu, HVX86_RSI, asize, true, rsi + delta);
	if (uses_di)
		hvx86_reg_write(vcpu, HVX86_RDI, asize, true, rdi + delta);
	if (!insn->rep) {
		regs->rip = insn->next_rip;
		return HVX86_OK;
	}
	count = (count - 1) & amask;
	hvx86_reg_write(vcpu, HVX86_RCX, asize, true, count);
	done = !count;
	if (compare) {
		bool zf = regs->rflags & HVX86_FLAG_ZF;

		if ((insn->rep == 0xf3 && !zf) || (insn->rep == 0xf2 && zf))
			done = true;
	}
	if (done)
		regs->rip = insn->next_rip;
	return HVX86_OK;
}

/* in/out with an imm8 or DX port */
int hvx86_exec_port(struct hvx86_vcpu *vcpu)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;
	struct hvx86_regs *regs = &vcpu->regs;
	u8 op = insn->opcode;
	unsigned int size = (op & 1) ? (insn->op_size == 2 ? 2 : 4) : 1;
	bool is_in = !(op & 2);
	u16 port = op >= 0xec ? (u16)regs->gpr[HVX86_RDX] : (u8)insn->imm;
	u64 data = is_in ? 0 : regs->gpr[HVX86_RAX];

	HVX86_TRY(hvx86_port_io(vcpu, port, size, is_in, &data));
	if (is_in)
		hvx86_reg_write(vcpu, HVX86_RAX, size, false, data);
	regs->rip = insn->next_rip;
	return HVX86_OK;
}
