import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { NOT_PLAIN, parsePlainYaml } from '../../platform/source/parsePlainYaml.js';
import { parseYaml } from '../../platform/source/parseYaml.js';

// The library's verdict on a text, read as manifests are read: `undefined` when it reports any error or warning.
function library(text: string): { value: unknown } | undefined {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) };
  } catch {
    return undefined;
  }
}

/** The property every text must have: the fast reader declines, or the library accepts it with the same value. */
function agrees(text: string): boolean {
  const fast = parsePlainYaml(text);
  if (fast === NOT_PLAIN) return true;
  const reference = library(text);
  return reference !== undefined && isDeepStrictEqual(reference.value, fast);
}

// Plain scalars whose resolution the core schema decides (nulls, booleans, numbers in every spelling), words
// that YAML 1.1 but not 1.2 reads as something else, and spellings with indicators, quotes, colons and hashes.
const SCALARS = [
  'null', 'Null', 'NULL', 'nULL', '~', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', 'yes', 'no', 'on', 'off', 'y', 'n',
  '0', '1', '-1', '+1', '007', '-007', '0o17', '0o8', '0x1F', '0X1F', '0xg', '1e3', '1E-3', '+1.5e+3', '1.5', '.5', '1.', '-.5',
  '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', 'nan', 'inf', '1_000', '12:30', '2024-01-01', '99999999999999999999',
  '1.0.0', 'PT24H', 'a', 'ab c', 'a:b', 'a: b', 'a:', 'a #b', 'a#b', '#a', '-a', '- a', '-', '?a', '? a', ':a', '@a', '`a',
  '%a', '&a', '*a', '!a', '!!str a', '|', '>', '|-', '>-', 'a,b', '[a]', '{a}', 'a]', 'a}', "it's", '"q"', "'q'", 'x y',
  'é', '\u00a0nbsp', 'nbsp\u00a0', 'a\\b', 'https://example.com:8080/x?y=1#z', 'postgres://h:5432', 'sales.orders',
  '"a\\nb"', '"tab\\there"', '"\\u0041"', '"\\x41"', '"bad \\q"', "'it''s'", "''", '""', '"a" b', "'a'b", '"unclosed', "'unclosed",
  '__proto__', 'constructor', 'toString', '<<', '"a": b',
];
const KEYS = ['a', 'b', 'id', 'name', 'sales.orders', 'x-y', 'a/b', '_k', 'true', 'null', 'Yes', '1', '"q"', "'q'", 'a b', '__proto__', 'constructor', '<<', '? a', '-k', 'k:'];

// Mostly what manifests hold, so that many documents are plain, and the tricky spellings often enough.
const PLAIN_SCALARS = ['a', 'ab c', 'sales.orders', 'PT24H', '1.0.0', '0', '12', '-3', '99.5', 'true', 'null', '"quoted"', "'single'", 'a:b', 'x-y_z', 'select count(*) from {table}'];
const scalar = fc.oneof({ arbitrary: fc.constantFrom(...PLAIN_SCALARS), weight: 6 }, { arbitrary: fc.constantFrom(...SCALARS), weight: 1 });
const key = fc.oneof({ arbitrary: fc.constantFrom('a', 'b', 'id', 'name', 'sales.orders', 'x-y', 'a/b', '_k', 'port', 'fields'), weight: 8 }, { arbitrary: fc.constantFrom(...KEYS), weight: 1 });
const comment = fc.constantFrom('', '', '', '', '', ' # note', '  #x', '#tight');

/** A flow collection on one line, with random spacing. */
const flow: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('seq'), tie('map')),
  seq: fc.array(tie('node'), { maxLength: 4 }).chain((items) => fc.constantFrom(', ', ',', ' , ', ',  ').map((sep) => `[${items.join(sep)}]`)),
  map: fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).chain((pairs) => fc.constantFrom(' ', '').map((pad) => `{${pad}${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}${pad}}`)),
})).node as fc.Arbitrary<string>;

/** A block scalar's header and lines (some blank, some more indented). */
const blockScalar = fc
  .tuple(fc.constantFrom('|', '>', '|-', '>-', '|+', '>2', '|-1'), fc.array(fc.constantFrom('text', 'more words', 'text', 'more words', '', ' indented', '# not a comment', 'a: b', 'trailing '), { minLength: 0, maxLength: 5 }))
  .map(([header, lines]) => ({ header, lines }));

type Block = { kind: 'map'; pairs: [string, Value][] } | { kind: 'seq'; items: Value[] };
type Value = { kind: 'inline'; text: string } | { kind: 'scalar'; header: string; lines: string[] } | Block;

const block: fc.Arbitrary<Block> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((text) => ({ kind: 'inline', text }) as Value),
    flow.map((text) => ({ kind: 'inline', text }) as Value),
    blockScalar.map(({ header, lines }) => ({ kind: 'scalar', header, lines }) as Value),
    tie('block'),
  ),
  block: fc.oneof(
    fc.array(fc.tuple(key, tie('value')), { minLength: 1, maxLength: 4 }).map((pairs) => ({ kind: 'map', pairs }) as Block),
    fc.array(tie('value'), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'seq', items }) as Block),
  ),
})).block as fc.Arbitrary<Block>;

/** Writes a block at `indent`, with a random step and comments; `sameIndentSeq` writes a mapping's sequence flush. */
function emit(node: Block, indent: number, step: number, comments: string[], c = { i: 0 }): string[] {
  const pad = ' '.repeat(indent);
  const note = () => comments[c.i++ % comments.length] ?? '';
  const out: string[] = [];
  const valueLines = (prefix: string, value: Value, childIndent: number): void => {
    if (value.kind === 'inline') out.push(`${prefix} ${value.text}${note()}`);
    else if (value.kind === 'scalar') {
      out.push(`${prefix} ${value.header}${note()}`);
      for (const line of value.lines) out.push(line === '' ? '' : ' '.repeat(childIndent) + line);
    } else {
      out.push(`${prefix}${note()}`);
      out.push(...emit(value, childIndent, step, comments, c));
    }
  };
  if (node.kind === 'map') {
    for (const [k, v] of node.pairs) valueLines(`${pad}${k}:`, v, v.kind === 'seq' && step === 3 ? indent : indent + step);
  } else {
    for (const item of node.items) {
      if (item.kind === 'map' && step !== 3) {
        // Compact form: the mapping's first key on the dash's line.
        const inner = emit(item, indent + 2, step, comments, c);
        out.push(`${pad}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
      } else {
        valueLines(`${pad}-`, item, indent + step);
      }
    }
  }
  return out;
}

const documents = fc
  .tuple(block, fc.constantFrom(1, 2, 3, 4), fc.array(comment, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '', '\n\n', '\n# end\n'))
  .map(([node, step, comments, end]) => emit(node, 0, step, comments).join('\n') + end);

/** A document with one random edit: characters inserted, deleted or replaced where YAML is most sensitive. */
const edited = fc
  .tuple(documents, fc.nat(), fc.constantFrom('', ' ', '  ', ':', ': ', '-', '- ', '#', ' #', '\n', '\n ', '"', "'", '[', '{', ']', '}', ',', '&a ', '*a', '!x ', '|', '>', '\t', '\r', '---\n', '\u00a0'), fc.nat({ max: 3 }))
  .map(([text, at, insert, remove]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + insert + text.slice(i + remove);
  });

describe('parsePlainYaml', () => {
  it.each([
    ['a: 1\nb: x\n', { a: 1, b: 'x' }],
    ['id: sales.orders\nversion: 2.1.0\nratio: 99.50\nflag: True\nnothing:\nhex: 0x1F\n', { id: 'sales.orders', version: '2.1.0', ratio: 99.5, flag: true, nothing: null, hex: 31 }],
    ['owner: { team: t, email: "t@example.com" }  # who\ntags: [a, b c, "d, e"]\n', { owner: { team: 't', email: 't@example.com' }, tags: ['a', 'b c', 'd, e'] }],
    ['inputs:\n- product: a.b\n  port: p\n  fields: [x]\n- { dataset: { name: n } }\nnext: 1\n', { inputs: [{ product: 'a.b', port: 'p', fields: ['x'] }, { dataset: { name: 'n' } }], next: 1 }],
    ['d: >-\n  one\n  two\n\n  three\nl: |\n  x\n  # kept\n\ne: 1\n', { d: 'one two\nthree', l: 'x\n# kept\n', e: 1 }],
    ['q: \'it\'\'s\'\nu: "a\\"b\\\\c"\nurl: https://x.example/a#b\nk: # nothing here\n', { q: "it's", u: 'a"b\\c', url: 'https://x.example/a#b', k: null }],
  ])('reads %j', (text, expected) => {
    expect(parsePlainYaml(text)).toEqual(expected);
    expect(library(text)?.value).toEqual(expected);
  });

  it.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['a quoted key', '"a": 1\n'],
    ['a document marker', '---\na: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['keep chomping', 'a: |+\n  x\n\n'],
    ['a block scalar at the end without a line break', 'a: |\n  x'],
    ['a nested mapping on a key line', 'a: b: c\n'],
    ['a bad indentation', 'a:\n    b: 1\n  c: 2\n'],
  ])('leaves %s to the library', (_name, text) => {
    expect(parsePlainYaml(text)).toBe(NOT_PLAIN);
  });

  it('agrees with the yaml library on generated documents', () => {
    fc.assert(fc.property(documents, (text) => agrees(text)), { numRuns: 20_000 });
  });

  it('agrees with the yaml library on generated documents with one random edit', () => {
    fc.assert(fc.property(edited, (text) => agrees(text)), { numRuns: 20_000 });
  });

  it('reads generated documents (the generator is not all refusals)', () => {
    const sample = fc.sample(documents, { numRuns: 2_000, seed: 1 });
    expect(sample.filter((text) => parsePlainYaml(text) !== NOT_PLAIN).length).toBeGreaterThan(200);
  });

  it("agrees with the yaml library on every YAML file of this repository, and reads the example's manifests", () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const files: string[] = [];
    for (const top of ['products', 'test', '.github']) {
      for (const entry of readdirSync(join(root, top), { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(join(entry.parentPath, entry.name));
      }
    }
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) expect(agrees(readFileSync(file, 'utf8')), file).toBe(true);
    for (const file of files.filter((f) => f.endsWith('product.yaml') && f.includes(`${root}products`))) {
      expect(parsePlainYaml(readFileSync(file, 'utf8')), file).not.toBe(NOT_PLAIN);
    }
  });
});

describe('parseYaml on plain YAML', () => {
  it('locates problems in a document read without a syntax tree, as the library would', () => {
    const text = 'apiVersion: mesh/v1\nowner:\n  team: t\n  emails: [a@x, b@x]\ninputs:\n  - { product: a.b, port: p }\n';
    expect(parsePlainYaml(text)).not.toBe(NOT_PLAIN);
    const { document, problems } = parseYaml('p.yaml', text);
    expect(problems).toEqual([]);
    expect(document.position('/owner/emails/1')).toEqual({ line: 4, column: 17 });
    expect(document.position('/owner/team', 'key')).toEqual({ line: 3, column: 3 });
    expect(document.position('/inputs/0/port')).toEqual({ line: 6, column: 27 });
    expect(document.position('/missing/deeper')).toEqual({ line: 1, column: 1 });
  });

  it('still reports a __proto__ key and a document nested too deep, located', () => {
    expect(parseYaml('p.yaml', 'a:\n  __proto__: 1\n').problems.map((p) => [p.code, p.line, p.column])).toEqual([['UNSAFE_KEY', 2, 3]]);
    const deep = `a: ${'['.repeat(40)}1${']'.repeat(40)}\n`;
    expect(parseYaml('p.yaml', deep, { maxDepth: 10 }).problems.map((p) => p.code)).toEqual(['DOCUMENT_TOO_DEEP']);
  });
});
