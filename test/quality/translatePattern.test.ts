import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContractAjv } from '../../platform/contract/createContractAjv.js';
import { translatePattern } from '../../platform/quality/contract/translatePattern.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { openTestWarehouses } from '../support/testWarehouses.js';

// The clients are closed, and the server database dropped, after the file's tests.
const { cases: warehouses } = await openTestWarehouses('regex');

describe('translatePattern', () => {
  it.each([
    ['^SO-[0-9]{6}$', '^SO\\u002d[\\u0030-\\u0039]{6}$'],
    ['^[A-Z]{3}$', '^[\\u0041-\\u005a]{3}$'],
    ['a|b', 'a|b'],
    ['(?:ab)+?', '(?:ab)+'],
    ['(?<year>\\d{4})', '(?:[\\u0030-\\u0039]{4})'],
    ['\\.', '\\u002e'],
    ['x{2,}', 'x{2,}'],
  ])('translates %s', (source, expected) => {
    expect(translatePattern(source)).toBe(expected);
  });

  it.each([
    ['a(?=b)', 'lookahead'],
    ['(?<!a)b', 'lookbehind'],
    ['(a)\\1', 'back-reference'],
    ['\\bword', 'word boundary'],
    ['\\p{L}+', 'Unicode property'],
    ['a{256}', 'a bound ARE cannot take'],
    ['[]', 'an empty class'],
    ['[^]', 'a class of everything'],
    ['\\cJ', 'a control escape'],
    ['\\0', 'NUL'],
    ['\\uD83D', 'a lone surrogate'],
    ['a{,2}', 'not a quantifier in u mode'],
    ['(', 'unbalanced'],
    ['('.repeat(100_000) + 'a' + ')'.repeat(100_000), 'nested deeper than the stack'],
  ])('refuses %s (%s)', (source) => {
    expect(translatePattern(source)).toBeUndefined();
  });

  it('refuses flags whose meaning differs (m, s, g) and case folding under u', () => {
    expect(translatePattern('a', 'um')).toBeUndefined();
    expect(translatePattern('a', 'us')).toBeUndefined();
    expect(translatePattern('a', 'ui')).toBeUndefined();
    expect(translatePattern('.', '')).toBeUndefined(); // `.` sees UTF-16 units without u
    expect(translatePattern('[^a]', 'i')).toBeUndefined();
    expect(translatePattern('ab', 'i')).toBe('[\\u0041\\u0061][\\u0042\\u0062]');
  });

  it('translates the email and uuid formats of ajv-formats', () => {
    const formats = createContractAjv().formats as Record<string, RegExp>;
    expect(translatePattern(formats['email']!.source, formats['email']!.flags)).toBeDefined();
    expect(translatePattern(formats['uuid']!.source, formats['uuid']!.flags)).toBeDefined();
  });
});

// The proof that matters: on random patterns of the subset and random strings (line breaks, non-ASCII,
// characters outside the BMP, case variants), PostgreSQL's `~` on the translation agrees with JavaScript.
describe.each(warehouses)('translated patterns on $name agree with ECMAScript', ({ enabled, get }) => {
  let client: SqlClient;
  beforeAll(async () => {
    if (!enabled) return;
    client = await get();
  });

  const ALPHABET = ['a', 'b', 'A', 'B', 'z', '0', '5', '9', '-', '.', '_', ' ', '\t', '\n', '\r', '\u2028', '\u00a0', 'é', 'K', 'ſ', 'K', '😀', '@'];
  const text = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 7 }).map((cs) => cs.join(''));
  const literal = fc.constantFrom('a', 'b', 'A', '0', '\\-', '\\.', '_', ' ', 'é', '😀', '@', '\\n', '\\u00e9', '\\x41', '\\u{1F600}');
  const classItem = fc.constantFrom('a', 'b-z', 'A-Z', '0-9', '\\d', '\\w', '\\s', '\\D', '\\W', '\\S', '\\-', '.', 'é', '😀', '\\n', '\\u2028', '_', 'K');
  const charClass = fc.tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 3 })).map(([neg, items]) => `[${neg ? '^' : ''}${items.join('')}]`);
  const { pattern } = fc.letrec<{ pattern: string; term: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      charClass,
      fc.constantFrom('.', '\\d', '\\w', '\\s', '\\D', '\\S'),
      tie('pattern').map((p) => `(?:${p})`),
      tie('pattern').map((p) => `(${p})`),
    ),
    term: fc.oneof(
      tie('atom'),
      fc.tuple(tie('atom'), fc.constantFrom('*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '??', '{2,4}?')).map(([a, q]) => a + q),
    ),
    pattern: fc
      .tuple(fc.boolean(), fc.array(tie('term'), { maxLength: 4 }), fc.boolean(), fc.option(fc.array(tie('term'), { maxLength: 3 }), { nil: undefined }))
      .map(([start, terms, end, alt]) => `${start ? '^' : ''}${terms.join('')}${end ? '$' : ''}${alt ? `|${alt.join('')}` : ''}`),
  }));

  async function agree(source: string, flags: string, strings: string[]): Promise<void> {
    const are = translatePattern(source, flags);
    if (are === undefined) return;
    const js = strings.map((s) => new RegExp(source, flags).test(s));
    const { rows } = await client.query<{ m: boolean[] }>('select array_agg(s ~ $2 order by i) as m from unnest($1::text[]) with ordinality as u(s, i)', [strings, are]);
    expect({ source, are, verdicts: rows[0]!.m }).toEqual({ source, are, verdicts: js });
  }

  it.skipIf(!enabled)('on random patterns and strings', async () => {
    let translated = 0;
    await fc.assert(
      fc.asyncProperty(pattern, fc.array(text, { minLength: 1, maxLength: 12 }), async (source, strings) => {
        try {
          new RegExp(source, 'u');
        } catch {
          return; // not a pattern at all
        }
        if (translatePattern(source) !== undefined) translated++;
        await agree(source, 'u', strings);
      }),
      { numRuns: 300 },
    );
    // The subset is most of what the generator makes: the property is not vacuous.
    expect(translated).toBeGreaterThan(120);
  });

  it.skipIf(!enabled)('on the email and uuid formats, case variants included', async () => {
    const formats = createContractAjv().formats as Record<string, RegExp>;
    const local = fc.array(fc.constantFrom('a', 'Z', '0', '.', '-', '+', '_', 'K', 'ſ', 'é', '!', '~'), { minLength: 0, maxLength: 5 }).map((c) => c.join(''));
    const email = fc.tuple(local, fc.constantFrom('@', '@@', ''), local, fc.constantFrom('.com', '.C', '-.x', '', '.ſ')).map((p) => p.join(''));
    const uuid = fc.tuple(fc.constantFrom('', 'urn:uuid:', 'URN:UUID:'), fc.stringMatching(/^[0-9a-fA-FgK]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{11,13}$/)).map((p) => p.join(''));
    await fc.assert(fc.asyncProperty(fc.array(email, { minLength: 5, maxLength: 20 }), (s) => agree(formats['email']!.source, formats['email']!.flags, s)), { numRuns: 60 });
    await fc.assert(fc.asyncProperty(fc.array(uuid, { minLength: 5, maxLength: 20 }), (s) => agree(formats['uuid']!.source, formats['uuid']!.flags, s)), { numRuns: 30 });
  });
});
