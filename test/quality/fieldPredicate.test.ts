import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSet } from '../../platform/contract/ContractSet.js';
import { loadContracts } from '../../platform/contract/loadContracts.js';
import { analyzeContract } from '../../platform/quality/contract/analyzeContract.js';
import type { ColumnKind } from '../../platform/quality/table/describeTable.js';
import { jsonValueSql, nextDouble, valuePredicate } from '../../platform/quality/table/fieldPredicate.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { quoteIdent } from '../../platform/db/SqlClient.js';
import { openTestWarehouses } from '../support/testWarehouses.js';

// The clients are closed, and the server database dropped, after the file's tests.
const { cases: warehouses } = await openTestWarehouses('predicates');

/** Column types, the JSON Schema keywords that make sense on them, and values near every edge. */
const KINDS: Record<string, { sql: string; kind: ColumnKind; values: string[] }> = {
  numeric: {
    sql: 'numeric',
    kind: 'numeric',
    values: ['0', '-0', '0.1', '0.3', '0.30000000000000004', '1.10', '10.555', '10.55', '-5', '1e-7', '123456789.01', '99999.99', '1e300', '1e301', '9007199254740993', 'NaN', 'Infinity', '-Infinity', '0.1000000000000000055511151231257827', '2.5', '3', '1000'],
  },
  bigint: { sql: 'bigint', kind: 'integer', values: ['0', '1', '-1', '3', '1000', '9007199254740993', '9223372036854775807', '-9223372036854775808'] },
  float8: { sql: 'float8', kind: 'float', values: ['0', '0.1', '0.30000000000000004', '1e308', '5e-324', '-0', 'NaN', 'Infinity', '-Infinity', '2.5', '1000'] },
  text: { sql: 'text', kind: 'text', values: ['', 'a', 'abc', 'a@b.co', 'A@B.CO', 'not-an-email', 'SO-123456', 'SO-12', 'é', '😀😀', ' ', 'a\nb', '550e8400-e29b-41d4-a716-446655440000', 'EUR', 'eur', '2026-01-01'] },
  boolean: { sql: 'boolean', kind: 'boolean', values: ['true', 'false'] },
  timestamptz: { sql: 'timestamptz', kind: 'timestamptz', values: ['2026-01-01T00:00:00Z', '2026-06-30T23:59:59.123456+02:00', 'infinity', '-infinity', '0044-03-15 BC', '10000-01-01', '0001-01-01 00:00:00+00', '9999-12-31 23:59:59.999999+00'] },
  timestamp: { sql: 'timestamp', kind: 'timestamp', values: ['2026-01-01 00:00:00', 'infinity', '9999-12-31 23:59:59'] },
  date: { sql: 'date', kind: 'date', values: ['2026-02-28', '2024-02-29', 'infinity', '0001-01-01', '9999-12-31', '10000-01-01', '0044-03-15 BC'] },
};

const number = fc.constantFrom(0, 0.1, 1, 2.5, 3, 10.55, 1000, -1, 1e-7, 0.3, 9007199254740993);
const numberKeywords = fc.record(
  {
    type: fc.constantFrom('number', 'integer', ['number', 'null'], 'string'),
    minimum: number,
    maximum: number,
    exclusiveMinimum: number,
    exclusiveMaximum: number,
    multipleOf: fc.constantFrom(0.01, 0.1, 0.5, 3, 1),
    enum: fc.array(fc.oneof(number, fc.constantFrom('a', true, null)), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const stringKeywords = fc.record(
  {
    type: fc.constantFrom('string', ['string', 'null'], 'number'),
    minLength: fc.constantFrom(0, 1, 2, 3),
    maxLength: fc.constantFrom(1, 2, 3, 10),
    pattern: fc.constantFrom('^SO-[0-9]{6}$', '^[A-Z]{3}$', 'b', '^.$', '\\s', '^[^@]+@', '^\\w+$'),
    format: fc.constantFrom('email', 'uuid', 'date', 'date-time', 'iso-date-time', 'uri', 'password', 'int32'),
    enum: fc.array(fc.constantFrom('a', 'abc', 'EUR', 'é', '2026-01-01', 1), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const schema = fc.oneof(numberKeywords, stringKeywords, fc.constant({ type: 'boolean' }), fc.constant({ enum: [true] })).chain((s) =>
  fc.oneof(fc.constant(s as object), fc.constant({ anyOf: [s, { type: 'null' }] }), fc.constant({ allOf: [s, { minimum: 1 }] })),
);
const field = fc.record({ schema, column: fc.constantFrom(...Object.keys(KINDS)) });

// Soundness, the property the table engine stands on: when a field's SQL predicate is true for a value, Ajv
// accepts the JSON that value serializes to. (The converse may fail: such rows are merely streamed.)
describe.each(warehouses)('SQL predicates on $name never accept what Ajv rejects', ({ enabled, get }) => {
  let client: SqlClient;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesh-predicates-'));
    if (!enabled) return;
    client = await get();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(!enabled)('on random schemas, column types and edge values', async () => {
    let run = 0;
    let decided = 0;
    let exact = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(field, { minLength: 1, maxLength: 6 }), async (fields) => {
        run++;
        const properties = Object.fromEntries(fields.map((f, i) => [`f${i}`, f.schema]));
        await writeFile(join(dir, `c${run}.schema.json`), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', 'x-version': '1.0.0', type: 'object', properties }));
        const { contracts, resolver } = await loadContracts(dir, [`c${run}.schema.json`]);
        const set = new ContractSet(dir, contracts, resolver, new Set());
        let analysis;
        try {
          analysis = analyzeContract(set, contracts[0]!);
          set.ajv().getSchema(contracts[0]!.uri);
        } catch {
          return; // a schema Ajv's strict mode refuses is not a contract
        }
        const table = `t${run}`;
        await client.exec(`create table ${table} (${fields.map((f, i) => `f${i} ${KINDS[f.column]!.sql}`).join(', ')})`);
        const depth = Math.max(...fields.map((f) => KINDS[f.column]!.values.length));
        const columns = fields.map((f) => Array.from({ length: depth }, (_v, r) => KINDS[f.column]!.values[r % KINDS[f.column]!.values.length]!));
        await client.query(
          `insert into ${table} select ${fields.map((f, i) => `c${i}::${KINDS[f.column]!.sql}`).join(', ')} from unnest(${fields.map((_f, i) => `$${i + 1}::text[]`).join(', ')}) as u(${fields.map((_f, i) => `c${i}`).join(', ')})`,
          columns,
        );
        const context = { textPushdown: true, regexOk: () => true };
        for (const [i, f] of fields.entries()) {
          const fa = analysis.fields[i]!;
          if (!fa.constraints) continue;
          const kind = KINDS[f.column]!.kind;
          const col = quoteIdent(`f${i}`);
          const predicate = valuePredicate(fa.constraints, col, kind, context);
          if (predicate === undefined) continue;
          decided++;
          const { rows } = await client.query<{ p: boolean | null; j: string }>(`select (${predicate}) as p, json_build_object('v', ${jsonValueSql(col, kind)})::text as j from ${table} where ${col} is not null`);
          const validate = set.ajv().compile({ $ref: `${contracts[0]!.uri}#/properties/f${i}` });
          for (const row of rows) {
            total++;
            const value = (JSON.parse(row.j) as { v: unknown }).v;
            const ajv = validate(value) === true;
            expect(row.p, `${JSON.stringify(f.schema)} on ${f.column}: predicate is never null`).not.toBeNull();
            if (row.p) expect(ajv, `${JSON.stringify(f.schema)} on ${f.column} accepted ${JSON.stringify(value)} in SQL: ${predicate}`).toBe(true);
            if (row.p === ajv) exact++;
          }
        }
        await client.exec(`drop table ${table}`);
      }),
      { numRuns: 120 },
    );
    // Not vacuous: most fields were decided in SQL, and SQL agreed with Ajv on almost every value.
    expect(decided).toBeGreaterThan(150);
    expect(exact / total).toBeGreaterThan(0.9);
  });

  // Exactness where it is expected: on these boundary values the pushed-down predicate gives Ajv's verdict,
  // both ways (elsewhere it may only be more cautious, as above).
  const EXACT: { schema: object; column: keyof typeof KINDS; values: string[] }[] = [
    // JSON Schema counts code points, and so does char_length in UTF-8: a non-BMP character is one.
    { schema: { type: 'string', maxLength: 2 }, column: 'text', values: ['', 'a', 'ab', 'abc', '😀', '😀😀', '😀😀😀', 'é', 'éé', 'ééé'] },
    { schema: { type: 'string', minLength: 2 }, column: 'text', values: ['', 'a', 'ab', '😀', '😀😀', 'é', 'éé'] },
    { schema: { type: 'number', exclusiveMaximum: 10 }, column: 'numeric', values: ['9.99', '10', '10.000000000000002', '9.999999999999998', '9.9999999999999999', '-1'] },
    { schema: { type: 'number', exclusiveMinimum: 0 }, column: 'float8', values: ['0', '5e-324', '-0', '1'] },
    { schema: { type: 'number', minimum: 0, maximum: 1 }, column: 'numeric', values: ['0', '-0', '1', '1.0', '-0.01', '1.01', 'NaN', 'Infinity'] },
    { schema: { type: 'integer' }, column: 'numeric', values: ['1', '1.0', '1.5', '-3', 'NaN'] },
    { schema: { type: 'number', multipleOf: 0.01 }, column: 'numeric', values: ['10.1', '111853.43', '1.005', '1.10', '0', '-0.75', '99999999999.99', '0.001'] },
    { schema: { type: 'number', multipleOf: 0.05 }, column: 'numeric', values: ['0.15', '0.151', '10.1', '10.05', '-0.05'] },
    // ECMAScript's \d and \w are ASCII only, even with the u flag; PostgreSQL's follow the locale.
    { schema: { type: 'string', pattern: '^\\d{2}$' }, column: 'text', values: ['12', '１２', '٣٤', '1', '123', '1\n'] },
    { schema: { type: 'string', pattern: '^\\w+$' }, column: 'text', values: ['abc_1', 'é', 'a-b', 'ǅ'] },
    { schema: { type: 'string', pattern: '^SO-[0-9]{6,8}$' }, column: 'text', values: ['SO-123456', 'SO-12345678', 'SO-12345', 'SO-123456789', 'so-123456', 'SO-123456\n'] },
    { schema: { type: 'string', format: 'email' }, column: 'text', values: ['a@b.co', 'A@B.CO', 'a@b', 'a..b@c.de', '.a@b.co', 'a@-b.co', 'a@b-.co', 'a.b+c@d-e.fg', 'a@b.co ', 'é@b.co'] },
    { schema: { type: 'string', format: 'date-time' }, column: 'timestamptz', values: ['2026-01-01T00:00:00Z', '2026-06-30T23:59:59.123456+02:00', 'infinity', '0001-01-01 00:00:00+00', '0044-03-15 BC'] },
    { schema: { type: 'string', format: 'date' }, column: 'date', values: ['2024-02-29', '0001-01-01', 'infinity', '10000-01-01'] },
    { schema: { enum: ['open', 'é'] }, column: 'text', values: ['open', 'Open', 'open ', 'é', 'é'] },
  ];

  it.skipIf(!enabled).each(EXACT.map((c, i) => ({ ...c, i, label: `${JSON.stringify(c.schema)} on ${c.column}` })))('gives Ajv\'s verdict: $label', async ({ schema, column, values, i }) => {
    const file = `exact${i}.schema.json`;
    await writeFile(join(dir, file), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', 'x-version': '1.0.0', type: 'object', properties: { v: schema } }));
    const { contracts, resolver } = await loadContracts(dir, [file]);
    const set = new ContractSet(dir, contracts, resolver, new Set());
    const fa = analyzeContract(set, contracts[0]!).fields[0]!;
    const { sql, kind } = KINDS[column]!;
    const predicate = valuePredicate(fa.constraints!, 'v', kind, { textPushdown: true, regexOk: () => true });
    expect(predicate, 'decided in SQL').toBeDefined();
    const { rows } = await client.query<{ p: boolean; j: string; t: string }>(
      `select (${predicate}) as p, json_build_object('v', ${jsonValueSql('v', kind)})::text as j, v::text as t from (select unnest($1::text[])::${sql} as v) as u`,
      [values],
    );
    const validate = set.ajv().compile({ $ref: `${contracts[0]!.uri}#/properties/v` });
    const verdicts = rows.map((r) => [r.t, r.p, validate((JSON.parse(r.j) as { v: unknown }).v) === true]);
    expect(verdicts).toEqual(rows.map((r) => [r.t, r.p, r.p]));
  });
});

describe('nextDouble', () => {
  it.each([
    [1, 1, 1.0000000000000002],
    [1, -1, 0.9999999999999999],
    [-1, 1, -0.9999999999999999],
    [0, 1, Number.MIN_VALUE],
    [0.1, -1, 0.09999999999999999],
  ])('next of %d towards %d is %d', (n, direction, next) => {
    expect(nextDouble(n, direction as 1 | -1)).toBe(next);
  });
});
