import { decimalParts, isMultipleOf as rationalMultipleOf, toRational } from '../util/rational.js';

/**
 * Whether `value` is a multiple of `divisor`, exactly, on the numbers as JSON writes them: 111853.43 is a
 * multiple of 0.01 although 111853.43 / 0.01 is 11185343.000000002 in binary floating point. Safe integers take
 * the fast path; other numbers are compared as exact rationals of their shortest decimal spellings.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (Number.isSafeInteger(value) && Number.isSafeInteger(divisor)) return divisor > 0 && value % divisor === 0;
  const v = toRational(value);
  const d = toRational(divisor);
  return v !== undefined && d !== undefined && d.n > 0n && rationalMultipleOf(v, d);
}

/** Integers below this have at most 15 digits, which a double keeps exactly through any decimal spelling. */
const EXACT_DIGITS = 1e15;

/**
 * `isMultipleOf(·, divisor)` for one divisor, which is read once: a validator calls it for every value.
 *
 * For a divisor `s * 10^-k` (k from 1 to 15), a value whose scaled `round(value * 10^k)` = r has at most 15
 * digits and comes back exactly (`r / 10^k === value`, a correctly rounded division) is the double nearest
 * `r * 10^-k`, and that decimal is its shortest spelling: another spelling within the double's rounding
 * interval would differ from it by less than 10^-k, so it has more digits. Then the value is a multiple iff
 * `r % s === 0`, in exact integers. Other values take the exact rational path.
 */
export function multipleOfTest(divisor: number): (value: number) => boolean {
  const parts = decimalParts(divisor);
  if (parts === undefined || parts.digits <= 0n || parts.exponent >= 0 || parts.exponent < -15 || parts.digits >= BigInt(EXACT_DIGITS)) {
    return (value) => isMultipleOf(value, divisor);
  }
  const scale = 10 ** -parts.exponent; // exact: powers of ten up to 1e22 are doubles
  const step = Number(parts.digits);
  return (value) => {
    const scaled = Math.round(value * scale);
    if (Math.abs(scaled) < EXACT_DIGITS && scaled / scale === value) return scaled % step === 0;
    return isMultipleOf(value, divisor);
  };
}
