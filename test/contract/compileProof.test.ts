import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkContracts, checkStructure, type CheckedContracts } from '../../platform/contract/checkContracts.js';
import { CompileProof, PROVEN_FOR_AJV, PROVEN_KEYWORDS } from '../../platform/contract/CompileProof.js';
import { createContractAjv, KNOWN_FORMATS } from '../../platform/contract/createContractAjv.js';
import { contractsFromTexts, type LoadedContracts } from '../../platform/contract/loadContracts.js';

// `mesh validate` lets Ajv compile only the contracts that CompileProof cannot prove Ajv compiles. These tests
// hold the proof to Ajv itself: a contract proven is one Ajv compiles, and the problems reported are exactly
// those of compiling every contract.
const ROOT = '/tmp/mesh-compile-proof';

function load(contracts: Record<string, unknown>, root = ROOT): LoadedContracts {
  const sources = Object.entries(contracts).map(([file, schema]) => ({ file, text: JSON.stringify(schema) }));
  return { ...contractsFromTexts(root, sources), problems: [] };
}

function proven(loaded: LoadedContracts): string[] {
  const structure = loaded.contracts.map((c) => checkStructure(c, loaded.resolver));
  const broken = new Set(loaded.contracts.filter((_, i) => structure[i]!.broken).map((c) => c.uri));
  const proof = new CompileProof(loaded.contracts, loaded.resolver, broken);
  return loaded.contracts.filter((c) => !broken.has(c.uri) && proof.proves(c)).map((c) => c.file);
}

function verdicts(checked: CheckedContracts, loaded: LoadedContracts): unknown {
  return { problems: checked.problems, compilable: loaded.contracts.map((c) => checked.contracts.isCompilable(c.file)) };
}

const base = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  'x-version': '1.0.0',
  description: 'A record.',
  type: 'object',
  properties,
  ...extra,
});
const COMMON = { $defs: { money: { type: 'number', multipleOf: 0.01, description: 'Money.' }, day: { type: 'string', format: 'date', description: 'A day.' } } };

describe('CompileProof', () => {
  it(`was read from Ajv ${PROVEN_FOR_AJV}: another Ajv version needs its compiler read again`, () => {
    const { version } = createRequire(import.meta.url)('ajv/package.json') as { version: string };
    expect(version.startsWith(`${PROVEN_FOR_AJV}.`), `CompileProof lists what Ajv ${PROVEN_FOR_AJV} does when it compiles; check each point against Ajv ${version}, then update PROVEN_FOR_AJV`).toBe(true);
  });

  it('proves only keywords that Ajv knows, and formats that Ajv has', () => {
    const ajv = createContractAjv();
    // The keywords Ajv's strict mode knows (`checkUnknownRules` reads RULES.keywords).
    for (const keyword of PROVEN_KEYWORDS) expect(ajv.RULES.keywords[keyword], keyword).toBeTruthy();
    for (const format of KNOWN_FORMATS) expect(ajv.formats[format], format).toBeDefined();
  });

  it('proves plain contracts and their references, which Ajv compiles', () => {
    const loaded = load({
      'contracts/common/types.schema.json': COMMON,
      'contracts/sales/orders.schema.json': base(
        { id: { type: 'string', pattern: '^O-[0-9]+$', description: 'Id.' }, total: { $ref: '../common/types.schema.json#/$defs/money' }, lines: { type: 'array', items: { $ref: '#/$defs/line' }, maxItems: 10 } },
        { required: ['id'], additionalProperties: false, 'x-primary-key': ['id'], $defs: { line: { type: 'object', properties: { day: { $ref: '../common/types.schema.json#/$defs/day' }, next: { $ref: '#/$defs/line' } } } } },
      ),
    });
    expect(proven(loaded)).toEqual(['contracts/common/types.schema.json', 'contracts/sales/orders.schema.json']);
    expect(checkContracts(loaded, ROOT, { compileAll: true }).problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  // Every way a contract that passes mesh's structural checks can still fail Ajv's compilation, and what the
  // proof leaves to Ajv besides: none is proven, and the problems are those of compiling every contract.
  it.each([
    ['an empty enum (the meta-schema allows it, Ajv does not)', { 'contracts/a.schema.json': base({ s: { enum: [], description: 'S.' } }) }, true],
    ['an empty primary key name (the mesh vocabulary says minLength 1)', { 'contracts/a.schema.json': base({ '': { type: 'string', description: 'E.' } }, { 'x-primary-key': [''] }) }, true],
    ['"if" without "then" or "else" (strict mode)', { 'contracts/a.schema.json': base({ s: { if: { type: 'string' }, description: 'S.' } }) }, true],
    ['"then" without "if" (strict mode)', { 'contracts/a.schema.json': base({ s: { then: { type: 'string' }, description: 'S.' } }) }, true],
    ['"minContains" without "contains" (strict mode)', { 'contracts/a.schema.json': base({ s: { type: 'array', minContains: 1, description: 'S.' } }) }, true],
    ['a property that matches a pattern property (strict mode, tested without the u flag)', { 'contracts/a.schema.json': base({ '😁': { type: 'string', description: 'S.' } }, { patternProperties: { '^[😀-😂]$': { type: 'string' } } }) }, true],
    ['a $ref into a value that is not a schema', { 'contracts/a.schema.json': base({ s: { enum: [{ type: 'string' }], description: 'S.' }, t: { $ref: '#/properties/s/enum/0', description: 'T.' } }) }, false],
    ['a $ref into a broken contract', { 'contracts/a.schema.json': base({ s: { $ref: 'b.schema.json#/properties/x', description: 'S.' } }), 'contracts/b.schema.json': base({ x: { type: 'strin', description: 'X.' } }) }, true],
    ['a $ref into a contract that does not compile', { 'contracts/a.schema.json': base({ s: { $ref: 'b.schema.json#/properties/x', description: 'S.' } }), 'contracts/b.schema.json': base({ x: { enum: [], description: 'X.' } }) }, true],
    ['a $dynamicRef that is not a fragment', { 'contracts/a.schema.json': base({ s: { $dynamicRef: 'b.schema.json#node', description: 'S.' } }), 'contracts/b.schema.json': base({}, { $dynamicAnchor: 'node' }) }, false],
    ['an $id that takes another contract\'s place', { 'contracts/a.schema.json': base({ s: { $ref: 'b.schema.json', description: 'S.' } }), 'contracts/c.schema.json': base({}, { $id: `file://${ROOT}/contracts/b.schema.json` }), 'contracts/b.schema.json': base({}) }, false],
    ['nesting deeper than the proof follows', { 'contracts/a.schema.json': base({ s: Array.from({ length: 40 }).reduce((inner: object) => ({ type: 'object', description: 'N.', properties: { n: inner } }), { type: 'string', description: 'L.' }) }) }, false],
    ['a repository path that URIs encode', { 'contracts/a.schema.json': base({ s: { type: 'string', description: 'S.' } }) }, false, `${ROOT}/with space`],
  ])('leaves %s to Ajv', (_name, contracts, ajvFails, root = ROOT) => {
    const loaded = load(contracts, root);
    const failing = Object.keys(contracts)[0]!;
    expect(proven(loaded)).not.toContain(failing);
    const all = checkContracts(loaded, root, { compileAll: true });
    if (ajvFails) expect(all.problems.map((p) => `${p.file} ${p.code}`)).toContain(`${failing} CONTRACT_COMPILE_FAILED`);
    expect(verdicts(checkContracts(loaded, root), loaded)).toEqual(verdicts(all, loaded));
  });
});

// Random contracts in a small repository: proven keywords and others, right and wrong values, references that
// resolve or not, to schemas or to values, across documents and in cycles.
const NAMES = ['a', 'b', 'id', 'x y', 'constructor', ''];
const REFS = [
  '#', '#/$defs/a', '#/$defs/missing', '#/properties/a', '#/properties/a/enum', '#/properties/a/enum/0', '#/$defs/a/properties/b', '#/x-primary-key',
  'c1.schema.json', 'c2.schema.json#/$defs/a', 'c2.schema.json#/properties/a', '../e/c3.schema.json#/$defs/a', 'nope.schema.json', '//evil/x', 'c1.schema.json#/$defs/b',
  '#/allOf/0', '#/items', 'c2.schema.json#/$defs/a/items', '#/%24defs/a', '#/$defs/a~0', '#/properties/x%20y',
];
const value = fc.oneof(fc.constantFrom(null, true, 0, -1, 1.5, 'text', ''), fc.constant([1, 2]), fc.constant({ type: 'string' }));
/** Mostly `good` values, sometimes one that is wrong in a way that matters. */
const mostly = <T,>(good: fc.Arbitrary<T>, ...bad: unknown[]) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });

const schema: fc.Arbitrary<unknown> = fc.letrec((tie) => {
  const sub = tie('schema');
  const keywords: Record<string, fc.Arbitrary<unknown>> = {
    type: mostly(fc.constantFrom('string', 'integer', 'number', 'object', 'array', 'boolean', 'null', ['string', 'null']), 'strin'),
    enum: mostly(fc.array(value, { minLength: 1, maxLength: 3 }), []),
    const: value,
    minimum: fc.constantFrom(0, -3, 2.5),
    exclusiveMaximum: fc.constantFrom(10, 1e300),
    multipleOf: mostly(fc.constantFrom(0.01, 2, 5e-324, 0.1, 1e21), 0, -1),
    maxLength: mostly(fc.constantFrom(0, 3), -1, 1.5),
    minItems: mostly(fc.constantFrom(0, 2), -1),
    pattern: mostly(fc.constantFrom('^a+$', '\\p{L}', 'a{2}', '\\d', '[😀-😂]'), '(', '\\q'),
    format: mostly(fc.constantFrom('email', 'date-time', 'uuid', 'date'), 'nope'),
    properties: fc.dictionary(fc.constantFrom(...NAMES), sub, { maxKeys: 3 }),
    required: fc.array(fc.constantFrom(...NAMES), { maxLength: 2 }),
    additionalProperties: sub,
    propertyNames: sub,
    dependentRequired: mostly(fc.constant({ a: ['b'] }), { a: 'b' }),
    items: mostly(sub, [true]),
    prefixItems: fc.array(sub, { minLength: 1, maxLength: 2 }),
    uniqueItems: fc.boolean(),
    allOf: mostly(fc.array(sub, { minLength: 1, maxLength: 2 }), []),
    anyOf: fc.array(sub, { minLength: 1, maxLength: 2 }),
    not: sub,
    $ref: fc.constantFrom(...REFS),
    $defs: fc.record({ a: sub, b: sub }, { requiredKeys: [] }),
    description: fc.constantFrom('A field.', ''),
    'x-pii': mostly(fc.boolean(), 'yes'),
    'x-classification': mostly(fc.constant('internal'), 'secret'),
    'x-primary-key': mostly(fc.constantFrom(['a'], ['id'], ['a', 'b']), [''], [], ['a', 'a']),
    'x-unique': fc.boolean(),
    // Keywords the proof leaves to Ajv, and Ajv's strict-mode checks of them.
    if: sub,
    then: sub,
    contains: sub,
    minContains: fc.constantFrom(0, 2),
    patternProperties: fc.dictionary(fc.constantFrom('^a', '^[😀-😂]$', '^c'), sub, { maxKeys: 1 }),
    unevaluatedProperties: fc.boolean(),
    $anchor: fc.constantFrom('node', '1bad'),
    $dynamicRef: fc.constantFrom('#node', 'c1.schema.json#node'),
    $dynamicAnchor: fc.constant('node'),
    $id: fc.constantFrom('c9.schema.json', 'c1.schema.json'),
    nullable: fc.boolean(),
  };
  const names = Object.keys(keywords);
  // A few keywords per schema, so that most schemas pass the structural checks and reach Ajv.
  const object = fc
    .subarray(names, { maxLength: 4 })
    .chain((chosen) => fc.tuple(...chosen.map((k) => keywords[k]!)).map((values) => Object.fromEntries(chosen.map((k, i) => [k, values[i]]))));
  return { schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: fc.boolean(), weight: 1 }, { arbitrary: object, weight: 4 }), object };
}).schema;

const contract = fc
  .tuple(schema, fc.constantFrom('1.0.0', '1.0.0', 'one'), fc.boolean())
  .map(([s, version, dialect]) => (typeof s === 'object' && s !== null ? { ...(dialect ? { $schema: 'https://json-schema.org/draft/2020-12/schema' } : {}), ...s, 'x-version': version } : s));

const repository = fc.tuple(contract, contract, contract).map(([c1, c2, c3]) => ({ 'contracts/d/c1.schema.json': c1, 'contracts/d/c2.schema.json': c2, 'contracts/e/c3.schema.json': c3 }));

describe('CompileProof against Ajv on generated contracts', () => {
  it('every contract proven compiles, and the problems are those of compiling every contract', () => {
    let provenCount = 0;
    let ajvOnly = 0;
    fc.assert(
      fc.property(repository, (contracts) => {
        const loaded = load(contracts);
        const all = checkContracts(loaded, ROOT, { compileAll: true });
        const failed = new Set(all.problems.filter((p) => p.code === 'CONTRACT_COMPILE_FAILED').map((p) => p.file));
        const proofs = proven(loaded);
        provenCount += proofs.length;
        ajvOnly += failed.size;
        for (const file of proofs) expect(failed.has(file), `${file} proven but Ajv does not compile it: ${JSON.stringify(contracts)}`).toBe(false);
        expect(verdicts(checkContracts(loaded, ROOT), loaded)).toEqual(verdicts(all, loaded));
      }),
      { numRuns: 1_500 },
    );
    // Not vacuous: many contracts are proven, and the generator reaches failures that only Ajv finds.
    expect(provenCount).toBeGreaterThan(500);
    expect(ajvOnly).toBeGreaterThan(30);
    console.log(`${provenCount} contracts proven, ${ajvOnly} that only Ajv refuses`);
  });
});
