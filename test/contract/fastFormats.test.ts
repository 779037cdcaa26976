import fc from 'fast-check';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createContractAjv } from '../../platform/contract/createContractAjv.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const reference = new Ajv2020();
addFormats(reference);
const fast = createContractAjv();

type Check = { validate: (s: string) => boolean };
const verdict = (ajv: Ajv2020, name: string, s: string) => (ajv.formats[name] as Check).validate(s);

// Pieces of RFC 3339 strings, right and wrong, so that random strings fall near both verdicts.
const piece = fc.constantFrom(
  '2026', '2024', '1900', '2000', '0000', '9999', '-', '01', '02', '12', '13', '00', '28', '29', '30', '31', '32',
  'T', 't', ' ', ':', '23', '24', '59', '60', '.', '5', '123456', 'Z', 'z', '+', '-', '+02:00', '-23:59', '+24:00', '+0200', '+02', 'x', '',
);
const nearDate = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
const wellFormed = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('', '.1', '.999999', '.'), fc.constantFrom('Z', 'z', '+01:30', '-12:00', '+23:60', ''))
  .map(([y, mo, d, h, mi, s, f, z]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${f}${z}`;
  });

describe('fast date and date-time formats', () => {
  it.each(['date', 'date-time'])('%s gives ajv-formats\' verdict on random strings', (name) => {
    fc.assert(
      fc.property(fc.oneof(nearDate, wellFormed, wellFormed.map((s) => s.slice(0, 10))), (s) => {
        expect(verdict(fast, name, s)).toBe(verdict(reference, name, s));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2024-02-29T23:59:59.5+01:00', true],
    ['2023-02-29T00:00:00Z', false],
    ['2026-11-01t10:00:00z', true],
    ['2026-11-01 10:00:00Z', true],
    ['2026-06-30T23:59:60Z', true],
    ['2026-11-01T10:00:00', false],
  ])('%s is %s, as ajv-formats says', (s, valid) => {
    expect(verdict(fast, 'date-time', s)).toBe(valid);
    expect(verdict(reference, 'date-time', s)).toBe(valid);
  });
});
