/**
 * Exact rational numbers for the numeric keywords. JSON numbers are read through their shortest decimal
 * spelling, so `0.1` is exactly one tenth here and `0.3` is a multiple of `0.1`, which floating point division
 * gets wrong.
 */
export interface Rational {
  /** Numerator; carries the sign. */
  readonly n: bigint;
  /** Denominator, always positive; the fraction is in lowest terms. */
  readonly d: bigint;
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };

/** Exponents beyond this are refused: `1e308` would build a 300-digit integer, `1e-400` is not a double. */
const MAX_EXPONENT = 400;

/** A finite number as `digits * 10^exponent`, from its shortest round-trip spelling (`0.01` is `1 * 10^-2`). */
export function decimalParts(value: number): { readonly digits: bigint; readonly exponent: number } | undefined {
  if (!Number.isFinite(value)) return undefined;
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText) - fraction.length;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const digits = BigInt(whole! + fraction);
  return { digits: sign === '-' ? -digits : digits, exponent };
}

/** The exact value of a finite JSON number as written in its shortest round-trip spelling. */
export function toRational(value: number): Rational | undefined {
  const parts = decimalParts(value);
  if (!parts) return undefined;
  return parts.exponent >= 0 ? make(parts.digits * 10n ** BigInt(parts.exponent), 1n) : make(parts.digits, 10n ** BigInt(-parts.exponent));
}

export function make(n: bigint, d: bigint): Rational {
  if (d === 0n) throw new RangeError('zero denominator');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n < 0n ? -n : n, d);
  return g === 1n ? { n, d } : { n: n / g, d: d / g };
}

export function compare(a: Rational, b: Rational): number {
  const left = a.n * b.d;
  const right = b.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}

export function isInteger(a: Rational): boolean {
  return a.d === 1n;
}

export function add(a: Rational, b: Rational): Rational {
  return make(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function subtract(a: Rational, b: Rational): Rational {
  return make(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function multiply(a: Rational, b: Rational): Rational {
  return make(a.n * b.n, a.d * b.d);
}

export function divide(a: Rational, b: Rational): Rational {
  return make(a.n * b.d, a.d * b.n);
}

/** Whether `a` is an integer multiple of the positive `step`. */
export function isMultipleOf(a: Rational, step: Rational): boolean {
  return step.n !== 0n && isInteger(divide(a, step));
}

/** Least common multiple of two positive rationals: lcm(p1/q1, p2/q2) = lcm(p1, p2) / gcd(q1, q2). */
export function lcm(a: Rational, b: Rational): Rational {
  const numerator = (a.n / gcd(a.n, b.n)) * b.n;
  return make(numerator < 0n ? -numerator : numerator, gcd(a.d, b.d));
}

/** The smallest multiple of `step` that is `>= value` (or `> value` when `strict`). */
export function ceilToMultiple(value: Rational, step: Rational, strict: boolean): Rational {
  const q = divide(value, step);
  const floor = floorDiv(q.n, q.d);
  const exact = floor * q.d === q.n;
  return multiply(make(exact && !strict ? floor : floor + 1n, 1n), step);
}

/** The largest multiple of `step` that is `<= value` (or `< value` when `strict`). */
export function floorToMultiple(value: Rational, step: Rational, strict: boolean): Rational {
  const q = divide(value, step);
  let k = floorDiv(q.n, q.d);
  if (strict && k * q.d === q.n) k -= 1n;
  return multiply(make(k, 1n), step);
}

/** How many multiples of `step` lie in `[low, high]`; both ends are multiples of `step`. */
export function multiplesBetween(low: Rational, high: Rational, step: Rational): bigint {
  if (compare(low, high) > 0) return 0n;
  return divide(subtract(high, low), step).n + 1n;
}

/** A JS number close to the rational, for messages and for generated values. */
export function toNumber(a: Rational): number {
  return Number(a.n) / Number(a.d);
}

/** Decimal spelling for messages: exact when the denominator divides a power of ten, else a fraction. */
export function format(a: Rational): string {
  if (a.d === 1n) return a.n.toString();
  let d = a.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${a.n}/${a.d}`;
  const digits = Math.max(twos, fives);
  const scaled = (a.n * 10n ** BigInt(digits)) / a.d;
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}
