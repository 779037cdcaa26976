import { describe, expect, it } from 'vitest';
import { ceilToMultiple, compare, floorToMultiple, format, isMultipleOf, lcm, toRational } from '../../platform/util/rational.js';

const r = (x: number) => toRational(x)!;

describe('exact rationals', () => {
  it.each([
    [0.3, 0.1, true],
    [0.7, 0.1, true],
    [1.1, 0.1, true],
    [0.1, 0.01, true],
    [0.01, 0.1, false],
    [0.3, 0.2, false],
    [1e21, 7, false],
    [1e-7, 1e-8, true],
    [-4.5, 1.5, true],
  ])('%d is a multiple of %d: %s', (value, step, expected) => {
    expect(isMultipleOf(r(value), r(step))).toBe(expected);
  });

  it('reads shortest decimal spellings, exponents included', () => {
    expect(toRational(0.1)).toEqual({ n: 1n, d: 10n });
    expect(toRational(-2.5e-3)).toEqual({ n: -1n, d: 400n });
    expect(toRational(1.5e21)).toEqual({ n: 1500000000000000000000n, d: 1n });
    expect(toRational(Number.NaN)).toBeUndefined();
    expect(toRational(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('takes least common multiples of decimals', () => {
    expect(format(lcm(r(0.1), r(0.25)))).toBe('0.5');
    expect(format(lcm(r(4), r(6)))).toBe('12');
    expect(format(lcm(r(0.01), r(0.1)))).toBe('0.1');
  });

  it('rounds bounds to a step', () => {
    expect(format(ceilToMultiple(r(0.5), r(1), false))).toBe('1');
    expect(format(ceilToMultiple(r(1), r(1), true))).toBe('2');
    expect(format(floorToMultiple(r(-0.5), r(1), false))).toBe('-1');
    expect(format(floorToMultiple(r(10), r(1), true))).toBe('9');
    expect(format(ceilToMultiple(r(0.011), r(0.01), false))).toBe('0.02');
  });

  it('compares', () => {
    expect(compare(r(0.1), r(0.10000000000000002))).toBe(-1);
    expect(compare(r(-1), r(-1))).toBe(0);
  });
});
