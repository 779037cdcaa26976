import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContractAjv } from '../../platform/contract/createContractAjv.js';
import { isMultipleOf, multipleOfTest } from '../../platform/contract/decimalMultipleOf.js';

describe('exact multipleOf', () => {
  it.each([
    [10.1, 0.01, true],
    [111853.43, 0.01, true],
    [9999999.99, 0.01, true],
    [123456789012.34, 0.01, true],
    [0.3, 0.1, true],
    [1.005, 0.01, false],
    [10.001, 0.01, false],
    [7, 0.5, true],
    [7.25, 0.5, false],
    [1e21, 1, true],
    [1.5e-7, 5e-8, true],
    [2e-7, 3e-8, false],
    [12, 4, true],
    [13, 4, false],
    [-0.75, 0.25, true],
    [0, 0.01, true],
  ])('%s multiple of %s: %s', (value, divisor, expected) => {
    expect(isMultipleOf(value, divisor)).toBe(expected);
  });

  it('replaces Ajv multipleOf in validators, with its usual error', () => {
    const validate = createContractAjv({ allErrors: true }).compile({ type: 'object', properties: { amount: { type: 'number', multipleOf: 0.01 } } });
    expect(validate({ amount: 111853.43 })).toBe(true);
    expect(validate({ amount: 'x' })).toBe(false);
    expect(validate({ amount: 1.005 })).toBe(false);
    expect(validate.errors).toEqual([expect.objectContaining({ keyword: 'multipleOf', instancePath: '/amount', params: { multipleOf: 0.01 }, message: 'must be multiple of 0.01' })]);
  });

  // The precomputed test takes a shortcut through doubles for most values; it must agree with the exact one.
  const divisors = [0.01, 0.05, 0.25, 0.1, 0.3, 2.5, 1e-7, 5e-8, 0.001, 1.5, 123.45, 1e-15, 7e-16, 0.5, 3];
  const decimals = fc.tuple(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), fc.integer({ min: 0, max: 18 })).map(([n, k]) => Number(`${n}e-${k}`));
  it.each(divisors)('multipleOfTest(%s) agrees with the exact test on random numbers', (divisor) => {
    const test = multipleOfTest(divisor);
    fc.assert(
      fc.property(fc.oneof(decimals, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer().map((i) => i * divisor)), (value) => {
        expect(test(value)).toBe(isMultipleOf(value, divisor));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    [111853.43, 0.01, true],
    [1.005, 0.01, false],
    [0.3, 0.1, true],
    [-0, 0.01, true],
    [1e15 + 0.5, 0.5, true],
    [99999999999999.99, 0.01, true],
    [0.15, 0.05, true],
    [0.151, 0.05, false],
  ])('multipleOfTest: %s multiple of %s: %s', (value, divisor, expected) => {
    expect(multipleOfTest(divisor)(value)).toBe(expected);
  });
});
