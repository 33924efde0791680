// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: segmentation, paging, guest-physical accesses
 * through the embedder's callbacks, instruction fetch, stack and port I/O.
 */
#include "x86_internal.h"

#define PAGE_SIZE_4K	4096ULL
#define PTE_P		0x001ULL
#define PTE_RW		0x002ULL
#define PTE_US		0x004ULL
#define PTE_A		0x020ULL
#define PTE_D		0x040ULL
#define PTE_PS		0x080ULL
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR64	0x000ffffffffff000ULL

/* Take the next replayed result if it matches this access. */
static bool replay_take(struct hvx86_vcpu *vcpu, unsigned int kind,
			u64 address, unsigned int size, u64 *value)
{
	struct hvx86_private *priv = &vcpu->priv;
	struct hvx86_replay *entry;

	if (priv->replay_used >= priv->replay_count)
		return false;
	entry = &priv->replay[priv->replay_used];
	if (entry->kind != kind || entry->address != address ||
	    entry->size != size)
		return false;
	priv->replay_used++;
	*value = entry->value;
	return true;
}

static u64 bytes_to_u64(const u8 *buf, unsigned int size)
{
	u64 value = 0;
	unsigned int i;

	for (i = 0; i < size && i < 8; i++)
		value |= (u64)buf[i] << (8 * i);
	return value;
}

static void u64_to_bytes(u8 *buf, u64 value, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		buf[i] = i < 8 ? (u8)(value >> (8 * i)) : 0;
}

static int memory_exit(struct hvx86_vcpu *vcpu, u64 gpa, u64 gva,
		       bool gva_valid, bool page_walk, enum hvx86_access access,
		       enum hvx86_mem_result result, unsigned int size, u64 data)
{
	struct hvx86_exit_memory *mem = &vcpu->exit.memory;

	memset(mem, 0, sizeof(*mem));
	mem->gpa = gpa;
	mem->gva = gva;
	mem->gva_valid = gva_valid;
	mem->page_walk = page_walk;
	mem->access = access;
	mem->status = result;
	mem->size = size;
	mem->data = data;
	return hvx86_stop(vcpu, HVX86_EXIT_MEMORY);
}

static int gpa_read(struct hvx86_vcpu *vcpu, u64 gpa, u64 gva, bool gva_valid,
		    bool page_walk, void *buf, unsigned int size,
		    enum hvx86_access access)
{
	enum hvx86_mem_result result;
	u64 value;

	if (access != HVX86_ACCESS_EXECUTE &&
	    replay_take(vcpu, HVX86_REPLAY_MEM_READ, gpa, size, &value)) {
		u64_to_bytes(buf, value, size);
		return HVX86_OK;
	}
	result = vcpu->cb->read_gpa(vcpu->opaque, gpa, buf, size, access);
	if (result == HVX86_MEM_OK)
		return HVX86_OK;
	return memory_exit(vcpu, gpa, gva, gva_valid, page_walk, access,
			   result, size, 0);
}

static int gpa_write(struct hvx86_vcpu *vcpu, u64 gpa, u64 gva, bool gva_valid,
		     bool page_walk, const void *buf, unsigned int size)
{
	enum hvx86_mem_result result;
	u64 value;

	if (replay_take(vcpu, HVX86_REPLAY_MEM_WRITE, gpa, size, &value))
		return HVX86_OK;
	result = vcpu->cb->write_gpa(vcpu->opaque, gpa, buf, size);
	if (result == HVX86_MEM_OK)
		return HVX86_OK;
	return memory_exit(vcpu, gpa, gva, gva_valid, page_walk,
			   HVX86_ACCESS_WRITE, result, size,
			   bytes_to_u64(buf, size));
}

static int page_fault(struct hvx86_vcpu *vcpu, u64 linear, u32 error)
{
	vcpu->priv.exc_cr2 = linear;
	return hvx86_raise(vcpu, HVX86_VEC_PF, true, error);
}

/*
 * Walk the guest page tables for @linear.  @commit: raise #PF on a fault
 * and set accessed/dirty bits; otherwise just report HVX86_EXC.
 */
int hvx86_walk(struct hvx86_vcpu *vcpu, u64 linear, enum hvx86_access access,
	       bool user, bool commit, u64 *gpa)
{
	const struct hvx86_regs *regs = &vcpu->regs;
	bool lma = regs->efer & HVX86_EFER_LMA;
	bool nxe = regs->efer & HVX86_EFER_NXE;
	bool wide = lma || (regs->cr4 & HVX86_CR4_PAE);
	unsigned int maxphy = vcpu->config.max_phys_addr_bits ?
			      vcpu->config.max_phys_addr_bits : 48;
	u64 rsvd_high = PTE_ADDR64 & ~((1ULL << maxphy) - 1);
	u64 entry_gpa[4], entries[4], table, entry = 0, page_mask = 0xfff;
	unsigned int level, levels, count = 0, entry_size = wide ? 8 : 4;
	bool writable = true, user_ok = true, no_exec = false;
	u32 error = 0;
	u8 buf[8];

	if (!(regs->cr0 & HVX86_CR0_PG)) {
		*gpa = lma ? linear : (linear & 0xffffffffULL);
		return HVX86_OK;
	}
	if (lma) {
		levels = 4;
		table = regs->cr3 & PTE_ADDR64;
	} else if (wide) {
		u64 pdpte_gpa = (regs->cr3 & 0xffffffe0ULL) +
				((linear >> 30) & 3) * 8;

		HVX86_TRY(gpa_read(vcpu, pdpte_gpa, linear, true, true, buf, 8,
				   HVX86_ACCESS_READ));
		entry = bytes_to_u64(buf, 8);
		if (!(entry & PTE_P))
			goto fault;
		if ((entry & rsvd_high) || (entry & 0x1e6ULL) || (entry >> 63)) {
			error |= HVX86_PF_RSVD | HVX86_PF_PRESENT;
			goto fault;
		}
		levels = 2;
		table = entry & PTE_ADDR64;
	} else {
		levels = 2;
		table = regs->cr3 & 0xfffff000ULL;
	}

	for (level = levels; level >= 1; level--) {
		unsigned int shift, index;
		bool leaf = level == 1;

		if (wide) {
			shift = 12 + 9 * (level - 1);
			index = (linear >> shift) & 511;
		} else {
			shift = 12 + 10 * (level - 1);
			index = (linear >> shift) & 1023;
		}
		entry_gpa[count] = table + index * entry_size;
		HVX86_TRY(gpa_read(vcpu, entry_gpa[count], linear, true, true, buf,
				   entry_size, HVX86_ACCESS_READ));
		entry = bytes_to_u64(buf, entry_size);
		entries[count++] = entry;
		if (!(entry & PTE_P))
			goto fault;
		if (wide) {
			bool rsvd = (entry & rsvd_high) ||
				    (!nxe && (entry & PTE_NX));

			if (level == 4 && (entry & PTE_PS))
				rsvd = true;
			if (level == 3 && (entry & PTE_PS) &&
			    (entry & 0x3fffe000ULL))
				rsvd = true;
			if (level == 2 && (entry & PTE_PS) &&
			    (entry & 0x1fe000ULL))
				rsvd = true;
			if (rsvd) {
				error |= HVX86_PF_RSVD | HVX86_PF_PRESENT;
				goto fault;
			}
			if (nxe && (entry & PTE_NX))
				no_exec = true;
			if ((level == 2 || level == 3) && (entry & PTE_PS))
				leaf = true;
		} else if (level == 2 && (entry & PTE_PS) &&
			   (regs->cr4 & HVX86_CR4_PSE)) {
			if (entry & (1ULL << 21)) {
				error |= HVX86_PF_RSVD | HVX86_PF_PRESENT;
				goto fault;
			}
			leaf = true;
		}
		if (!(entry & PTE_RW))
			writable = false;
		if (!(entry & PTE_US))
			user_ok = false;
		if (leaf) {
			page_mask = (1ULL << shift) - 1;
			break;
		}
		table = entry & (wide ? PTE_ADDR64 : 0xfffff000ULL);
	}

	if (user && !user_ok)
		goto protection;
	if (access == HVX86_ACCESS_WRITE && !writable &&
	    (user || (regs->cr0 & HVX86_CR0_WP)))
		goto protection;
	if (access == HVX86_ACCESS_EXECUTE && no_exec)
		goto protection;

	if (wide) {
		*gpa = (entry & PTE_ADDR64 & ~page_mask) | (linear & page_mask);
	} else if (page_mask != 0xfff) {
		*gpa = (entry & 0xffc00000ULL) | (((entry >> 13) & 0xff) << 32) |
		       (linear & page_mask);
	} else {
		*gpa = (entry & 0xfffff000ULL) | (linear & page_mask);
	}

	if (commit) {
		unsigned int i;

		for (i = 0; i < count; i++) {
			u8 low = (u8)entries[i];
			u8 want = low | PTE_A;

			if (i == count - 1 && access == HVX86_ACCESS_WRITE)
				want |= PTE_D;
			if (want != low)
				HVX86_TRY(gpa_write(vcpu, entry_gpa[i], linear,
						    true, true, &want, 1));
		}
	}
	return HVX86_OK;

protection:
	error |= HVX86_PF_PRESENT;
fault:
	if (!commit)
		return HVX86_EXC;
	if (access == HVX86_ACCESS_WRITE)
		error |= HVX86_PF_WRITE;
	if (user)
		error |= HVX86_PF_USER;
	if (access == HVX86_ACCESS_EXECUTE && nxe)
		error |= HVX86_PF_FETCH;
	return page_fault(vcpu, linear, error);
}

static bool is_canonical(u64 address)
{
	return (u64)((s64)(address << 16) >> 16) == address;
}

/* Segment translation with type and limit checks. */
int hvx86_linear(struct hvx86_vcpu *vcpu, unsigned int seg, u64 offset,
		 unsigned int size, enum hvx86_access access, u64 *linear)
{
	const struct hvx86_segment *s = &vcpu->regs.seg[seg];
	u8 vector = seg == HVX86_SEG_SS ? HVX86_VEC_SS : HVX86_VEC_GP;
	unsigned int type = s->attributes & HVX86_SEG_TYPE_MASK;
	u64 last = offset + size - 1;

	if (hvx86_is_long64(vcpu)) {
		u64 address = offset;

		if (seg == HVX86_SEG_FS || seg == HVX86_SEG_GS)
			address += s->base;
		if (!is_canonical(address) || !is_canonical(address + size - 1))
			return hvx86_raise(vcpu, vector, true, 0);
		*linear = address;
		return HVX86_OK;
	}
	if (hvx86_is_protected(vcpu) && seg != HVX86_SEG_CS) {
		if (!(s->attributes & HVX86_SEG_P))
			return hvx86_raise(vcpu, vector, true, 0);
		if (access == HVX86_ACCESS_WRITE &&
		    ((type & HVX86_SEG_TYPE_CODE) ||
		     !(type & HVX86_SEG_TYPE_WRITABLE)))
			return hvx86_raise(vcpu, vector, true, 0);
		if (access == HVX86_ACCESS_READ && (type & HVX86_SEG_TYPE_CODE) &&
		    !(type & HVX86_SEG_TYPE_WRITABLE))
			return hvx86_raise(vcpu, vector, true, 0);
	}
	if (hvx86_is_protected(vcpu) && !(type & HVX86_SEG_TYPE_CODE) &&
	    (type & HVX86_SEG_TYPE_EXPDOWN) && seg != HVX86_SEG_CS) {
		u64 upper = (s->attributes & HVX86_SEG_DB) ? 0xffffffffULL :
							   0xffffULL;

		if (offset <= s->limit || last > upper)
			return hvx86_raise(vcpu, vector, true, 0);
	} else if (last > s->limit) {
		return hvx86_raise(vcpu, vector, true, 0);
	}
	*linear = (s->base + offset) & 0xffffffffULL;
	return HVX86_OK;
}

/* Translate and access up to 16 bytes at @linear (split at pages). */
static int access_linear(struct hvx86_vcpu *vcpu, u64 linear, u8 *buf,
			 unsigned int size, enum hvx86_access access,
			 bool system, bool write)
{
	bool user = !system && hvx86_cpl(vcpu) == 3;
	u64 gpa[2], address[2];
	unsigned int chunk[2], parts = 0, i;
	u64 mask = (vcpu->regs.efer & HVX86_EFER_LMA) ? ~0ULL : 0xffffffffULL;

	while (size && parts < 2) {
		unsigned int room = PAGE_SIZE_4K - (linear & 0xfff);

		chunk[parts] = size < room ? size : room;
		address[parts] = linear;
		HVX86_TRY(hvx86_walk(vcpu, linear, access, user, true,
				     &gpa[parts]));
		size -= chunk[parts];
		linear = (linear + chunk[parts]) & mask;
		parts++;
	}
	for (i = 0; i < parts; i++) {
		if (write)
			HVX86_TRY(gpa_write(vcpu, gpa[i], address[i], true, false,
					    buf, chunk[i]));
		else
			HVX86_TRY(gpa_read(vcpu, gpa[i], address[i], true, false,
					   buf, chunk[i], access));
		buf += chunk[i];
	}
	return HVX86_OK;
}

int hvx86_read_linear(struct hvx86_vcpu *vcpu, u64 linear, void *buf,
		      unsigned int size, enum hvx86_access access, bool system)
{
	return access_linear(vcpu, linear, buf, size, access, system, false);
}

int hvx86_write_linear(struct hvx86_vcpu *vcpu, u64 linear, const void *buf,
		       unsigned int size, bool system)
{
	/* access_linear() does not modify the buffer when writing */
	return access_linear(vcpu, linear, (u8 *)buf, size, HVX86_ACCESS_WRITE,
			     system, true);
}

int hvx86_read_mem(struct hvx86_vcpu *vcpu, unsigned int seg, u64 offset,
		   unsigned int size, u64 *value)
{
	u64 linear;
	u8 buf[8];

	HVX86_TRY(hvx86_linear(vcpu, seg, offset, size, HVX86_ACCESS_READ, &linear));
	HVX86_TRY(hvx86_read_linear(vcpu, linear, buf, size, HVX86_ACCESS_READ,
				    false));
	*value = bytes_to_u64(buf, size);
	return HVX86_OK;
}

int hvx86_write_mem(struct hvx86_vcpu *vcpu, unsigned int seg, u64 offset,
		    unsigned int size, u64 value)
{
	u64 linear;
	u8 buf[8];

	HVX86_TRY(hvx86_linear(vcpu, seg, offset, size, HVX86_ACCESS_WRITE, &linear));
	u64_to_bytes(buf, value, size);
	return hvx86_write_linear(vcpu, linear, buf, size, false);
}

u64 hvx86_stack_mask(const struct hvx86_vcpu *vcpu)
{
	if (hvx86_is_long64(vcpu))
		return ~0ULL;
	if (vcpu->regs.seg[HVX86_SEG_SS].attributes & HVX86_SEG_DB)
		return 0xffffffffULL;
	return 0xffffULL;
}

int hvx86_push(struct hvx86_vcpu *vcpu, u64 value, unsigned int size)
{
	u64 mask = hvx86_stack_mask(vcpu);
	u64 rsp = vcpu->regs.gpr[HVX86_RSP];
	u64 new_sp = (rsp - size) & mask;

	HVX86_TRY(hvx86_write_mem(vcpu, HVX86_SEG_SS, new_sp, size, value));
	vcpu->regs.gpr[HVX86_RSP] = (rsp & ~mask) | new_sp;
	return HVX86_OK;
}

int hvx86_pop(struct hvx86_vcpu *vcpu, u64 *value, unsigned int size)
{
	u64 mask = hvx86_stack_mask(vcpu);
	u64 rsp = vcpu->regs.gpr[HVX86_RSP];

	HVX86_TRY(hvx86_read_mem(vcpu, HVX86_SEG_SS, rsp & mask, size, value));
	vcpu->regs.gpr[HVX86_RSP] = (rsp & ~mask) | ((rsp + size) & mask);
	return HVX86_OK;
}

/* Next instruction byte; fetches a page-bounded run of bytes at a time. */
int hvx86_fetch(struct hvx86_vcpu *vcpu, u8 *byte)
{
	struct hvx86_insn *insn = &vcpu->priv.insn;

	if (insn->len >= HVX86_INSN_MAX)
		return hvx86_raise_gp(vcpu, 0);
	if (insn->len >= insn->fetched) {
		const struct hvx86_segment *cs = &vcpu->regs.seg[HVX86_SEG_CS];
		u64 offset = vcpu->regs.rip + insn->fetched;
		unsigned int want = HVX86_INSN_MAX - insn->fetched, room;
		u64 linear;

		if (!hvx86_is_long64(vcpu)) {
			offset &= 0xffffffffULL;
			if (offset <= cs->limit && cs->limit - offset + 1 < want)
				want = cs->limit - offset + 1;
		}
		HVX86_TRY(hvx86_linear(vcpu, HVX86_SEG_CS, offset, 1,
				       HVX86_ACCESS_EXECUTE, &linear));
		room = PAGE_SIZE_4K - (linear & 0xfff);
		if (want > room)
			want = room;
		HVX86_TRY(hvx86_read_linear(vcpu, linear,
					    insn->bytes + insn->fetched, want,
					    HVX86_ACCESS_EXECUTE, false));
		insn->fetched += want;
	}
	*byte = insn->bytes[insn->len++];
	return HVX86_OK;
}

int hvx86_port_io(struct hvx86_vcpu *vcpu, u16 port, unsigned int size,
		  bool is_in, u64 *data)
{
	struct hvx86_exit_io *io = &vcpu->exit.io;
	u64 value;

	if (replay_take(vcpu, is_in ? HVX86_REPLAY_IO_IN : HVX86_REPLAY_IO_OUT,
			port, size, &value)) {
		if (is_in)
			*data = value & hvx86_size_mask(size);
		return HVX86_OK;
	}
	memset(io, 0, sizeof(*io));
	io->port = port;
	io->size = size;
	io->is_in = is_in;
	io->count = 1;
	io->addr_size = vcpu->priv.insn.addr_size;
	if (!is_in)
		io->data = *data & hvx86_size_mask(size);
	return hvx86_stop(vcpu, HVX86_EXIT_IO);
}

enum hvx86_translate_result hvx86_translate(struct hvx86_vcpu *vcpu, u64 linear, u64 *gpa)
{
	struct hvx86_exit saved_exit = vcpu->exit;
	u8 saved_used = vcpu->priv.replay_used;
	int status;

	vcpu->priv.replay_used = vcpu->priv.replay_count;
	status = hvx86_walk(vcpu, linear, HVX86_ACCESS_READ, false, false, gpa);
	vcpu->priv.replay_used = saved_used;
	vcpu->exit = saved_exit;
	if (status == HVX86_STOP)	/* a table read became a memory exit */
		return HVX86_TRANSLATE_TABLE_GPA;
	return status == HVX86_OK ? HVX86_TRANSLATE_OK : HVX86_TRANSLATE_FAULT;
}
