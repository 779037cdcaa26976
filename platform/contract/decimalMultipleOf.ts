/**
 * Whether `value` is a multiple of `divisor`, exactly, on the numbers as JSON writes them: 111853.43 is a
 * multiple of 0.01 although 111853.43 / 0.01 is 11185343.000000002 in binary floating point. Integers take the
 * fast path; other numbers are compared on their shortest decimal representations with BigInt arithmetic.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(divisor) || divisor <= 0) return false;
  if (Number.isInteger(value) && Number.isInteger(divisor) && Number.isSafeInteger(value) && Number.isSafeInteger(divisor)) return value % divisor === 0;
  const [vm, ve] = decimal(value);
  const [dm, de] = decimal(divisor);
  // value = vm * 10^ve, divisor = dm * 10^de; value / divisor is an integer iff the scaled mantissas divide.
  return ve >= de ? (vm * 10n ** BigInt(ve - de)) % dm === 0n : vm % (dm * 10n ** BigInt(de - ve)) === 0n;
}

/** The base-10 exponent of `x`'s last significant digit: -2 for 0.01, 0 for 5 and for 500. */
export function decimalExponent(x: number): number {
  return decimal(x)[1];
}

/** `x` as mantissa and base-10 exponent from its shortest round-trip representation. */
function decimal(x: number): [bigint, number] {
  const [digits, exponentText] = String(x).split('e') as [string, string | undefined];
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const dot = digits.indexOf('.');
  const fraction = dot === -1 ? 0 : digits.length - dot - 1;
  return [BigInt(digits.replace('.', '')), exponent - fraction];
}
