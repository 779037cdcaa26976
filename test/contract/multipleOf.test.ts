import { describe, expect, it } from 'vitest';
import { createContractAjv } from '../../platform/contract/createContractAjv.js';
import { isMultipleOf } from '../../platform/contract/decimalMultipleOf.js';

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
});
