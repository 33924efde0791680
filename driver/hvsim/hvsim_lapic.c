// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal local APIC for partitions created with LAPIC_ENABLED: the
 * hypervisor, not the VMM, owns the xAPIC page and the x2APIC MSRs.
 *
 * Modelled: ID, version, TPR (= CR8 << 4), PPR, EOI, LDR, DFR, SVR, ISR,
 * TMR, IRR, ESR, ICR, the LVT and timer registers as plain
 * storage.  The register values live in the VP's LAPIC state page, so
 * HvGet/SetVpState(LAPIC) and the guest see the same APIC; pending
 * interrupts are kept in vp->irr and copied in and out of that page.
 * Interrupts are accepted (IRR -> ISR) when handed to the x86 core, only if
 * their priority class is above the PPR.  An EOI of a level-triggered
 * vector sends HVMSG_X64_APIC_EOI to the parent's SINT0 (resample irqfds).
 *
 * IPIs through the ICR reach other VPs when the sender's slice ends.
 * Not modelled: the APIC timer, the SVR
 * software-disable state (interrupts are accepted regardless), LVT
 * interrupts, error reporting.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "hvsim.h"

#define APIC_BASE_ENABLE	BIT_ULL(11)
#define APIC_BASE_X2APIC	BIT_ULL(10)
#define APIC_BASE_ADDR_MASK	GENMASK_ULL(51, 12)

#define APIC_REG_ID		0x020
#define APIC_REG_VERSION	0x030
#define APIC_REG_TPR		0x080
#define APIC_REG_APR		0x090
#define APIC_REG_PPR		0x0a0
#define APIC_REG_EOI		0x0b0
#define APIC_REG_LDR		0x0d0
#define APIC_REG_DFR		0x0e0
#define APIC_REG_SVR		0x0f0
#define APIC_REG_ISR		0x100
#define APIC_REG_TMR		0x180
#define APIC_REG_IRR		0x200
#define APIC_REG_ESR		0x280
#define APIC_REG_LVT_CMCI	0x2f0
#define APIC_REG_ICR_LOW	0x300
#define APIC_REG_ICR_HIGH	0x310
#define APIC_REG_LVT_TIMER	0x320
#define APIC_REG_LVT_THERMAL	0x330
#define APIC_REG_LVT_PERFMON	0x340
#define APIC_REG_LVT_LINT0	0x350
#define APIC_REG_LVT_LINT1	0x360
#define APIC_REG_LVT_ERROR	0x370
#define APIC_REG_TIMER_ICR	0x380
#define APIC_REG_TIMER_CCR	0x390
#define APIC_REG_TIMER_DCR	0x3e0
#define APIC_REG_SELF_IPI	0x3f0	/* x2APIC only */

#define APIC_ICR_SHORTHAND	GENMASK(19, 18)
#define APIC_ICR_SHORTHAND_SELF	1
#define APIC_ICR_DELIVERY_MODE	GENMASK(10, 8)
#define APIC_ICR_DEST_LOGICAL	BIT(11)
#define APIC_ICR_LEVEL_TRIGGER	BIT(15)

#define X2APIC_MSR_BASE		0x800
#define X2APIC_MSR_LAST		0x8ff

static struct hv_local_interrupt_controller_state *lapic(struct hvsim_vp *vp)
{
	return vp->lapic_state;
}

bool hvsim_lapic_present(struct hvsim_vp *vp)
{
	return (vp->pt->creation_flags & HV_PARTITION_CREATION_FLAG_LAPIC_ENABLED) &&
	       (vp->apic_base & APIC_BASE_ENABLE) && vp->lapic_state;
}

static bool hvsim_bit(const u32 *words, u32 vec)
{
	return words[vec / 32] & BIT(vec % 32);
}

static void hvsim_set(u32 *words, u32 vec, bool on)
{
	if (on)
		words[vec / 32] |= BIT(vec % 32);
	else
		words[vec / 32] &= ~BIT(vec % 32);
}

static int hvsim_highest(const u32 *words)
{
	int i;

	for (i = 7; i >= 0; i--)
		if (words[i])
			return i * 32 + __fls(words[i]);
	return -1;
}

static u32 hvsim_ppr(struct hvsim_vp *vp)
{
	u32 tpr = (vp->cpu.regs.cr8 & 0xf) << 4;
	int isr = hvsim_highest(lapic(vp)->apic_isr);
	u32 isrv = isr < 0 ? 0 : isr & 0xf0;

	return (tpr & 0xf0) >= isrv ? tpr : isrv;
}

/*
 * Hand the highest pending interrupt to the core if its class beats the
 * PPR (vp->run_lock held).  Without a LAPIC every vector is taken.
 */
void hvsim_lapic_inject(struct hvsim_vp *vp)
{
	int vec;

	if (hvx86_interrupt_pending(&vp->cpu))
		return;
	vec = find_last_bit(vp->irr, 256);
	if (vec >= 256)
		return;
	if (hvsim_lapic_present(vp)) {
		if ((vec & 0xf0) <= (hvsim_ppr(vp) & 0xf0))
			return;
		if (!hvx86_inject_interrupt(&vp->cpu, vec))
			return;
		hvsim_set(lapic(vp)->apic_isr, vec, true);
	} else if (!hvx86_inject_interrupt(&vp->cpu, vec)) {
		return;
	}
	clear_bit(vec, vp->irr);
}

/* Interrupt @vec asserted with @level trigger (vp->run_lock held). */
void hvsim_lapic_accept(struct hvsim_vp *vp, u32 vec, bool level)
{
	if (vp->lapic_state)
		hvsim_set(lapic(vp)->apic_tmr, vec, level);
	set_bit(vec, vp->irr);
}

static void hvsim_lapic_eoi(struct hvsim_vp *vp)
{
	struct hv_x64_apic_eoi_message *p;
	struct hv_message msg = {};
	int vec = hvsim_highest(lapic(vp)->apic_isr);

	if (vec < 0)
		return;
	hvsim_set(lapic(vp)->apic_isr, vec, false);
	if (!hvsim_bit(lapic(vp)->apic_tmr, vec))
		return;
	hvsim_set(lapic(vp)->apic_tmr, vec, false);
	msg.header.message_type = HVMSG_X64_APIC_EOI;
	msg.header.payload_size = sizeof(*p);
	msg.header.sender = vp->pt->id;
	p = (void *)msg.u.payload;
	p->vp_index = vp->index;
	p->interrupt_vector = vec;
	if (hvsim_post_message(hvsim_pick_cpu(vp->notify_cpu),
			       HV_SYNIC_INTERCEPTION_SINT_INDEX, &msg))
		hvsim_count(HVSIM_CNT_APIC_EOI, 1);
}

/*
 * An ICR write.  A fixed self-IPI is accepted at once; anything addressed
 * to other VPs is queued and delivered by hvsim_lapic_flush_ipis() when the
 * slice ends (other VPs cannot be locked from inside this one's slice).
 * Delivery-mode numbers equal the HV_X64_INTERRUPT_TYPE_* values.
 */
static void hvsim_lapic_icr(struct hvsim_vp *vp, u32 low)
{
	u32 dest = vp->apic_base & APIC_BASE_X2APIC ? lapic(vp)->apic_icr_high :
		   lapic(vp)->apic_icr_high >> 24;

	if (FIELD_GET(APIC_ICR_SHORTHAND, low) == APIC_ICR_SHORTHAND_SELF &&
	    !FIELD_GET(APIC_ICR_DELIVERY_MODE, low)) {
		hvsim_lapic_accept(vp, low & 0xff, false);
		return;
	}
	if (vp->nr_ipi >= ARRAY_SIZE(vp->ipi)) {
		lapic(vp)->apic_esr |= BIT(5);	/* send illegal vector: "lost" */
		return;
	}
	vp->ipi[vp->nr_ipi].icr_low = low;
	vp->ipi[vp->nr_ipi].dest = dest;
	vp->nr_ipi++;
}

/* Deliver the IPIs @vp queued during its slice (no VP lock held). */
void hvsim_lapic_flush_ipis(struct hvsim_vp *vp)
{
	struct { u32 icr_low, dest; } ipi[ARRAY_SIZE(vp->ipi)];
	unsigned long flags;
	u32 n, i;

	if (!READ_ONCE(vp->nr_ipi))
		return;
	spin_lock_irqsave(&vp->run_lock, flags);
	n = vp->nr_ipi;
	memcpy(ipi, vp->ipi, n * sizeof(ipi[0]));
	vp->nr_ipi = 0;
	spin_unlock_irqrestore(&vp->run_lock, flags);

	spin_lock_irqsave(&hvsim_lock, flags);
	if (!vp->dead)
		for (i = 0; i < n; i++)
			hvsim_deliver(vp->pt, vp, FIELD_GET(APIC_ICR_DELIVERY_MODE, ipi[i].icr_low),
				      ipi[i].icr_low & 0xff, ipi[i].dest,
				      ipi[i].icr_low & APIC_ICR_DEST_LOGICAL,
				      ipi[i].icr_low & APIC_ICR_LEVEL_TRIGGER,
				      FIELD_GET(APIC_ICR_SHORTHAND, ipi[i].icr_low));
	spin_unlock_irqrestore(&hvsim_lock, flags);
}

static u32 *hvsim_lapic_reg(struct hvsim_vp *vp, u32 off)
{
	struct hv_local_interrupt_controller_state *l = lapic(vp);

	switch (off) {
	case APIC_REG_LDR:		return &l->apic_ldr;
	case APIC_REG_DFR:		return &l->apic_dfr;
	case APIC_REG_SVR:		return &l->apic_spurious;
	case APIC_REG_ESR:		return &l->apic_esr;
	case APIC_REG_LVT_CMCI:		return &l->apic_lvt_cmci;
	case APIC_REG_ICR_HIGH:		return &l->apic_icr_high;
	case APIC_REG_LVT_TIMER:	return &l->apic_lvt_timer;
	case APIC_REG_LVT_THERMAL:	return &l->apic_lvt_thermal;
	case APIC_REG_LVT_PERFMON:	return &l->apic_lvt_perfmon;
	case APIC_REG_LVT_LINT0:	return &l->apic_lvt_lint0;
	case APIC_REG_LVT_LINT1:	return &l->apic_lvt_lint1;
	case APIC_REG_LVT_ERROR:	return &l->apic_lvt_error;
	case APIC_REG_TIMER_ICR:	return &l->apic_initial_count;
	case APIC_REG_TIMER_DCR:	return &l->apic_divide_configuration;
	default:			return NULL;
	}
}

static u32 hvsim_lapic_read(struct hvsim_vp *vp, u32 off)
{
	struct hv_local_interrupt_controller_state *l = lapic(vp);
	u32 *reg;

	switch (off) {
	case APIC_REG_ID:
		return vp->apic_base & APIC_BASE_X2APIC ? vp->index : vp->index << 24;
	case APIC_REG_VERSION:
		return HVSIM_LAPIC_VERSION;
	case APIC_REG_TPR:
		return (vp->cpu.regs.cr8 & 0xf) << 4;
	case APIC_REG_PPR:
		return hvsim_ppr(vp);
	case APIC_REG_ISR ... APIC_REG_ISR + 0x70:
		return l->apic_isr[(off - APIC_REG_ISR) >> 4];
	case APIC_REG_TMR ... APIC_REG_TMR + 0x70:
		return l->apic_tmr[(off - APIC_REG_TMR) >> 4];
	case APIC_REG_IRR ... APIC_REG_IRR + 0x70:
		return ((u32 *)vp->irr)[(off - APIC_REG_IRR) >> 4];
	case APIC_REG_ICR_LOW:
		return l->apic_icr_low;
	case APIC_REG_TIMER_CCR:
		return 0;
	default:
		reg = hvsim_lapic_reg(vp, off);
		return reg ? *reg : 0;
	}
}

static void hvsim_lapic_write(struct hvsim_vp *vp, u32 off, u32 val)
{
	u32 *reg;

	switch (off) {
	case APIC_REG_TPR:
		vp->cpu.regs.cr8 = (val >> 4) & 0xf;
		return;
	case APIC_REG_EOI:
		hvsim_lapic_eoi(vp);
		return;
	case APIC_REG_ICR_LOW:
		lapic(vp)->apic_icr_low = val;
		hvsim_lapic_icr(vp, val);
		return;
	case APIC_REG_SELF_IPI:
		hvsim_lapic_accept(vp, val & 0xff, false);
		return;
	case APIC_REG_ID:
	case APIC_REG_VERSION:
	case APIC_REG_PPR:
	case APIC_REG_TIMER_CCR:
		return;		/* read-only */
	default:
		reg = hvsim_lapic_reg(vp, off);
		if (reg)
			*reg = val;
	}
}

/* A guest-physical access to the xAPIC page (vp->run_lock held). */
bool hvsim_lapic_mmio(struct hvsim_vp *vp, u64 gpa, void *buf, u32 len, bool write)
{
	u64 base = vp->apic_base & APIC_BASE_ADDR_MASK;
	u32 off, val;

	if (!hvsim_lapic_present(vp) || (vp->apic_base & APIC_BASE_X2APIC) ||
	    gpa < base || gpa >= base + HV_HYP_PAGE_SIZE)
		return false;
	off = gpa - base;
	/* registers are 32 bits at 16-byte strides; other bytes read 0 */
	if (write) {
		if (len == 4 && !(off & 0xf))
			hvsim_lapic_write(vp, off, *(u32 *)buf);
		return true;
	}
	val = hvsim_lapic_read(vp, off & ~0xfU);
	memset(buf, 0, len);
	if ((off & 0xf) < 4)
		memcpy(buf, (u8 *)&val + (off & 3), min_t(u32, len, 4 - (off & 3)));
	return true;
}

/* x2APIC MSRs 0x800-0x8ff; false if not in x2APIC mode or not an APIC MSR. */
bool hvsim_lapic_msr(struct hvsim_vp *vp, u32 msr, u64 *val, bool write)
{
	u32 off = (msr - X2APIC_MSR_BASE) << 4;

	if (msr < X2APIC_MSR_BASE || msr > X2APIC_MSR_LAST ||
	    !hvsim_lapic_present(vp) || !(vp->apic_base & APIC_BASE_X2APIC))
		return false;
	if (!write) {
		*val = hvsim_lapic_read(vp, off);
		if (off == APIC_REG_ICR_LOW)
			*val |= (u64)lapic(vp)->apic_icr_high << 32;
		return true;
	}
	if (off == APIC_REG_ICR_LOW)
		lapic(vp)->apic_icr_high = *val >> 32;
	hvsim_lapic_write(vp, off, (u32)*val);
	return true;
}

/* LAPIC VP state out/in: pending interrupts travel in apic_irr. */
void hvsim_lapic_save_irr(struct hvsim_vp *vp)
{
	memcpy(lapic(vp)->apic_irr, vp->irr, sizeof(lapic(vp)->apic_irr));
}

void hvsim_lapic_load_irr(struct hvsim_vp *vp)
{
	memcpy(vp->irr, lapic(vp)->apic_irr, sizeof(lapic(vp)->apic_irr));
}
