import { isMultipleOf as rationalMultipleOf, toRational } from '../util/rational.js';

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
