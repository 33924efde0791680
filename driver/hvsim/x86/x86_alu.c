// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvsim x86 interpreter: arithmetic and the status flags.
 *
 * Flags are computed eagerly.  Where the SDM leaves a flag undefined the
 * value chosen here is documented next to the computation; the KVM
 * differential tester masks exactly those flags.
 */
#include "x86_internal.h"

static bool parity_even(u64 value)
{
	u8 byte = (u8)value;

	byte ^= byte >> 4;
	byte ^= byte >> 2;
	byte ^= byte >> 1;
	return !(byte & 1);
}

static void set_flags(struct hvx86_vcpu *vcpu, u64 mask, u64 values)
{
	vcpu->regs.rflags = (vcpu->regs.rflags & ~mask) | (values & mask);
}

static u64 szp(u64 result, unsigned int size)
{
	u64 flags = 0;

	result &= hvx86_size_mask(size);
	if (!result)
		flags |= HVX86_FLAG_ZF;
	if (result & hvx86_sign_bit(size))
		flags |= HVX86_FLAG_SF;
	if (parity_even(result))
		flags |= HVX86_FLAG_PF;
	return flags;
}

void hvx86_set_szp(struct hvx86_vcpu *vcpu, u64 result, unsigned int size)
{
	set_flags(vcpu, HVX86_FLAG_ZF | HVX86_FLAG_SF | HVX86_FLAG_PF,
		  szp(result, size));
}

static u64 add_flags(u64 a, u64 b, u64 result, unsigned int size)
{
	u64 sign = hvx86_sign_bit(size);
	u64 flags = szp(result, size);

	if (((a & b) | ((a ^ b) & ~result)) & sign)
		flags |= HVX86_FLAG_CF;
	if ((a ^ result) & (b ^ result) & sign)
		flags |= HVX86_FLAG_OF;
	if ((a ^ b ^ result) & 0x10)
		flags |= HVX86_FLAG_AF;
	return flags;
}

static u64 sub_flags(u64 a, u64 b, u64 result, unsigned int size)
{
	u64 sign = hvx86_sign_bit(size);
	u64 flags = szp(result, size);

	if (((~a & b) | (~(a ^ b) & result)) & sign)
		flags |= HVX86_FLAG_CF;
	if ((a ^ b) & (a ^ result) & sign)
		flags |= HVX86_FLAG_OF;
	if ((a ^ b ^ result) & 0x10)
		flags |= HVX86_FLAG_AF;
	return flags;
}

/* add/or/adc/sbb/and/sub/xor/cmp; returns the result (cmp: a - b). */
u64 hvx86_alu(struct hvx86_vcpu *vcpu, unsigned int op, u64 a, u64 b,
	      unsigned int size)
{
	u64 mask = hvx86_size_mask(size);
	u64 carry = vcpu->regs.rflags & HVX86_FLAG_CF;
	u64 result;

	a &= mask;
	b &= mask;
	switch (op) {
	case HVX86_ALU_ADD:
	case HVX86_ALU_ADC:
		if (op == HVX86_ALU_ADD)
			carry = 0;
		result = (a + b + carry) & mask;
		set_flags(vcpu, HVX86_FLAGS_ARITH, add_flags(a, b, result, size));
		return result;
	case HVX86_ALU_SUB:
	case HVX86_ALU_SBB:
	case HVX86_ALU_CMP:
		if (op != HVX86_ALU_SBB)
			carry = 0;
		result = (a - b - carry) & mask;
		set_flags(vcpu, HVX86_FLAGS_ARITH, sub_flags(a, b, result, size));
		return result;
	case HVX86_ALU_OR:
		result = a | b;
		break;
	case HVX86_ALU_AND:
		result = a & b;
		break;
	default:
		result = a ^ b;
		break;
	}
	/* logic ops: CF=OF=0; AF undefined, cleared here (as Intel does) */
	set_flags(vcpu, HVX86_FLAGS_ARITH, szp(result, size));
	return result;
}

u64 hvx86_inc_dec(struct hvx86_vcpu *vcpu, u64 a, bool dec, unsigned int size)
{
	u64 mask = hvx86_size_mask(size);
	u64 result, flags;

	a &= mask;
	if (dec) {
		result = (a - 1) & mask;
		flags = sub_flags(a, 1, result, size);
	} else {
		result = (a + 1) & mask;
		flags = add_flags(a, 1, result, size);
	}
	set_flags(vcpu, HVX86_FLAGS_ARITH & ~HVX86_FLAG_CF, flags);
	return result;
}

/*
 * Shifts and rotates.  Undefined by the SDM and chosen here: OF when the
 * masked count is not 1 (computed with the count-1 formula); CF of SHL/SHR
 * when the count is >= the operand width (8/16-bit forms: last bit shifted
 * out of a wide shift, i.e. 0); AF after shifts (cleared).
 */
u64 hvx86_shift(struct hvx86_vcpu *vcpu, unsigned int op, u64 a,
		unsigned int count, unsigned int size)
{
	unsigned int bits = size * 8;
	u64 mask = hvx86_size_mask(size);
	u64 sign = hvx86_sign_bit(size);
	u64 result, cf, of, flags;
	unsigned int i, n;

	a &= mask;
	count &= size == 8 ? 0x3f : 0x1f;
	if (!count)
		return a;
	cf = vcpu->regs.rflags & HVX86_FLAG_CF;

	switch (op) {
	case HVX86_SHIFT_ROL:
		n = count % bits;
		result = n ? ((a << n) | (a >> (bits - n))) & mask : a;
		cf = result & 1;
		of = !!(result & sign) ^ cf;
		set_flags(vcpu, HVX86_FLAG_CF | HVX86_FLAG_OF,
			  (cf ? HVX86_FLAG_CF : 0) | (of ? HVX86_FLAG_OF : 0));
		return result;
	case HVX86_SHIFT_ROR:
		n = count % bits;
		result = n ? ((a >> n) | (a << (bits - n))) & mask : a;
		cf = !!(result & sign);
		of = cf ^ !!(result & (sign >> 1));
		set_flags(vcpu, HVX86_FLAG_CF | HVX86_FLAG_OF,
			  (cf ? HVX86_FLAG_CF : 0) | (of ? HVX86_FLAG_OF : 0));
		return result;
	case HVX86_SHIFT_RCL:
		n = size == 1 ? count % 9 : (size == 2 ? count % 17 : count);
		result = a;
		cf = !!cf;
		for (i = 0; i < n; i++) {
			u64 out = !!(result & sign);

			result = ((result << 1) | cf) & mask;
			cf = out;
		}
		of = !!(result & sign) ^ cf;
		set_flags(vcpu, HVX86_FLAG_CF | HVX86_FLAG_OF,
			  (cf ? HVX86_FLAG_CF : 0) | (of ? HVX86_FLAG_OF : 0));
		return result;
	case HVX86_SHIFT_RCR:
		n = size == 1 ? count % 9 : (size == 2 ? count % 17 : count);
		result = a;
		cf = !!cf;
		of = !!(a & sign) ^ cf;
		for (i = 0; i < n; i++) {
			u64 out = result & 1;

			result = (result >> 1) | (cf ? sign : 0);
			cf = out;
		}
		if (n != 1)
			of = !!(result & sign) ^ !!(result & (sign >> 1));
		set_flags(vcpu, HVX86_FLAG_CF | HVX86_FLAG_OF,
			  (cf ? HVX86_FLAG_CF : 0) | (of ? HVX86_FLAG_OF : 0));
		return result;
	case HVX86_SHIFT_SHL:
	case HVX86_SHIFT_SAL:
		result = count < bits ? (a << count) & mask : 0;
		cf = count <= bits ? (a >> (bits - count)) & 1 : 0;
		of = !!(result & sign) ^ cf;
		break;
	case HVX86_SHIFT_SHR:
		result = count < bits ? a >> count : 0;
		cf = count <= bits ? (a >> (count - 1)) & 1 : 0;
		of = !!(a & sign);
		break;
	default: {
		s64 value = (s64)hvx86_sign_extend(a, size);

		n = count < bits ? count : bits - 1;
		result = (u64)(value >> n) & mask;
		cf = count <= bits - 1 ? ((u64)(value >> (count - 1)) & 1) :
					 !!(a & sign);
		of = 0;
		break;
	}
	}
	flags = szp(result, size);
	if (cf)
		flags |= HVX86_FLAG_CF;
	if (of)
		flags |= HVX86_FLAG_OF;
	set_flags(vcpu, HVX86_FLAGS_ARITH, flags);
	return result;
}

bool hvx86_condition(const struct hvx86_vcpu *vcpu, unsigned int cc)
{
	u64 f = vcpu->regs.rflags;
	bool cf = f & HVX86_FLAG_CF, zf = f & HVX86_FLAG_ZF;
	bool sf = f & HVX86_FLAG_SF, of = f & HVX86_FLAG_OF;
	bool pf = f & HVX86_FLAG_PF;
	bool result;

	switch (cc >> 1) {
	case 0:
		result = of;
		break;
	case 1:
		result = cf;
		break;
	case 2:
		result = zf;
		break;
	case 3:
		result = cf || zf;
		break;
	case 4:
		result = sf;
		break;
	case 5:
		result = pf;
		break;
	case 6:
		result = sf != of;
		break;
	default:
		result = zf || sf != of;
		break;
	}
	return (cc & 1) ? !result : result;
}

/* 64 x 64 -> 128 unsigned multiply, without compiler helpers. */
static void mul_64x64(u64 a, u64 b, u64 *low, u64 *high)
{
	u64 a_lo = a & 0xffffffffULL, a_hi = a >> 32;
	u64 b_lo = b & 0xffffffffULL, b_hi = b >> 32;
	u64 p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo;
	u64 p3 = a_hi * b_hi;
	u64 middle = (p0 >> 32) + (p1 & 0xffffffffULL) + (p2 & 0xffffffffULL);

	*low = (p0 & 0xffffffffULL) | (middle << 32);
	*high = p3 + (p1 >> 32) + (p2 >> 32) + (middle >> 32);
}

/* 128 / 64 unsigned division; false if the quotient does not fit 64 bits. */
static bool div_128by64(u64 high, u64 low, u64 divisor, u64 *quotient,
			u64 *remainder)
{
	u64 q = 0, r = high;
	int i;

	if (high >= divisor)
		return false;
	for (i = 63; i >= 0; i--) {
		bool top = r >> 63;

		r = (r << 1) | ((low >> i) & 1);
		if (top || r >= divisor) {
			r -= divisor;
			q |= 1ULL << i;
		}
	}
	*quotient = q;
	*remainder = r;
	return true;
}

static void signed_mul(u64 a, u64 b, unsigned int size, u64 *low, u64 *high)
{
	s64 sa = (s64)hvx86_sign_extend(a, size), sb = (s64)hvx86_sign_extend(b, size);
	u64 lo, hi;

	if (size < 8) {
		s64 product = sa * sb;

		*low = (u64)product;
		*high = (u64)(product >> 63);
		return;
	}
	mul_64x64((u64)sa, (u64)sb, &lo, &hi);
	if (sa < 0)
		hi -= (u64)sb;
	if (sb < 0)
		hi -= (u64)sa;
	*low = lo;
	*high = hi;
}

/*
 * Two/three-operand IMUL: truncated product; CF=OF=1 if it does not fit.
 * SF/ZF/PF are undefined: set from the truncated result; AF cleared.
 */
u64 hvx86_imul(struct hvx86_vcpu *vcpu, u64 a, u64 b, unsigned int size)
{
	u64 low, high, result, flags;
	bool overflow;

	signed_mul(a, b, size, &low, &high);
	result = low & hvx86_size_mask(size);
	if (size < 8)
		overflow = hvx86_sign_extend(result, size) != low;
	else
		overflow = high != (u64)((s64)low >> 63);
	flags = szp(result, size);
	if (overflow)
		flags |= HVX86_FLAG_CF | HVX86_FLAG_OF;
	set_flags(vcpu, HVX86_FLAGS_ARITH, flags);
	return result;
}

static void write_pair(struct hvx86_vcpu *vcpu, unsigned int size, u64 low,
		       u64 high)
{
	if (size == 1) {
		hvx86_reg_write(vcpu, HVX86_RAX, 2, false,
				(low & 0xff) | ((high & 0xff) << 8));
		return;
	}
	hvx86_reg_write(vcpu, HVX86_RAX, size, false, low);
	hvx86_reg_write(vcpu, HVX86_RDX, size, false, high);
}

/*
 * F6/F7 /4../7: mul, imul, div, idiv of rDX:rAX (or AX) by @src.
 * MUL/IMUL: CF=OF, SF/ZF/PF from the low half, AF cleared (undefined).
 * DIV/IDIV: all six flags undefined; left unchanged.
 */
int hvx86_mul_div(struct hvx86_vcpu *vcpu, unsigned int op, u64 src,
		  unsigned int size)
{
	u64 mask = hvx86_size_mask(size);
	u64 rax = vcpu->regs.gpr[HVX86_RAX], rdx = vcpu->regs.gpr[HVX86_RDX];
	u64 low, high, quotient, remainder, flags;
	bool overflow;

	src &= mask;
	if (op == 4 || op == 5) {
		if (op == 4) {
			if (size < 8) {
				u64 product = (rax & mask) * src;

				low = product & mask;
				high = (product >> (size * 8)) & mask;
			} else {
				mul_64x64(rax, src, &low, &high);
			}
			overflow = high != 0;
		} else {
			signed_mul(rax, src, size, &low, &high);
			if (size < 8) {
				u64 full = low;

				low = full & mask;
				high = (full >> (size * 8)) & mask;
				overflow = hvx86_sign_extend(low, size) != full;
			} else {
				overflow = high != (u64)((s64)low >> 63);
			}
		}
		write_pair(vcpu, size, low, high);
		flags = szp(low, size);
		if (overflow)
			flags |= HVX86_FLAG_CF | HVX86_FLAG_OF;
		set_flags(vcpu, HVX86_FLAGS_ARITH, flags);
		return HVX86_OK;
	}

	if (!src)
		return hvx86_raise(vcpu, HVX86_VEC_DE, false, 0);
	if (size == 1) {
		low = rax & 0xffff;
		high = 0;
	} else {
		low = rax & mask;
		high = rdx & mask;
	}
	if (op == 6) {
		if (size < 8) {
			u64 dividend = size == 1 ? low :
				       (high << (size * 8)) | low;

			quotient = dividend / src;
			remainder = dividend % src;
			if (quotient > mask)
				return hvx86_raise(vcpu, HVX86_VEC_DE, false, 0);
		} else if (!div_128by64(high, low, src, &quotient, &remainder)) {
			return hvx86_raise(vcpu, HVX86_VEC_DE, false, 0);
		}
	} else {
		bool negative_dividend, negative_divisor;
		u64 abs_high, abs_low, abs_src;

		if (size == 1) {
			abs_low = hvx86_sign_extend(low, 2);
			abs_high = (u64)((s64)abs_low >> 63);
		} else if (size < 8) {
			abs_low = hvx86_sign_extend((high << (size * 8)) | low,
						    size * 2);
			abs_high = (u64)((s64)abs_low >> 63);
		} else {
			abs_low = low;
			abs_high = high;
		}
		negative_dividend = abs_high >> 63;
		if (negative_dividend) {
			abs_low = ~abs_low + 1;
			abs_high = ~abs_high + (abs_low == 0);
		}
		abs_src = hvx86_sign_extend(src, size);
		negative_divisor = abs_src >> 63;
		if (negative_divisor)
			abs_src = ~abs_src + 1;
		if (!div_128by64(abs_high, abs_low, abs_src, &quotient,
				 &remainder))
			return hvx86_raise(vcpu, HVX86_VEC_DE, false, 0);
		if (negative_dividend != negative_divisor) {
			if (quotient > hvx86_sign_bit(size))
				return hvx86_raise(vcpu, HVX86_VEC_DE, false, 0);
			quotient = ~quotient + 1;
		} else if (quotient >= hvx86_sign_bit(size)) {
			return hvx86_raise(vcpu, HVX86_VEC_DE, false, 0);
		}
		if (negative_dividend)
			remainder = ~remainder + 1;
	}
	write_pair(vcpu, size, quotient & mask, remainder & mask);
	return HVX86_OK;
}
