import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../platform/manifest/loadManifest.js';
import { ORDERS_MANIFEST } from '../support/fixtureRepo.js';
import { replaceLine } from '../support/validateRepo.js';

const FILE = 'products/sales/orders/product.yaml';

interface Case {
  readonly name: string;
  /** 1-based line of ORDERS_MANIFEST to replace (or delete with `null`). */
  readonly line: number;
  readonly with: string | null;
  readonly code: string;
  readonly pointer: string;
  /** Expected line of the problem (defaults to the edited line). */
  readonly at?: number;
  readonly message?: RegExp;
  /** Problems expected in all, when one edit breaks two rules (default 1). */
  readonly count?: number;
}

// One valid manifest, one field broken per case: the problem's code, pointer and line are the contract with users.
const CASES: readonly Case[] = [
  { name: 'wrong apiVersion', line: 1, with: 'apiVersion: mesh/v2', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/apiVersion', message: /"mesh\/v1"/ },
  { name: 'wrong kind', line: 2, with: 'kind: Dataset', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/kind' },
  { name: 'id not domain.name', line: 3, with: 'id: Sales Orders', code: 'MANIFEST_FORMAT', pointer: '/id' },
  { name: 'empty name', line: 4, with: 'name: ""', code: 'MANIFEST_OUT_OF_RANGE', pointer: '/name' },
  { name: 'domain with upper case', line: 5, with: 'domain: Sales', code: 'MANIFEST_FORMAT', pointer: '/domain' },
  { name: 'version read as a number', line: 6, with: 'version: 2.1', code: 'MANIFEST_TYPE', pointer: '/version', message: /must be a string, not number 2.1/ },
  { name: 'version not semver', line: 6, with: 'version: "2.1"', code: 'MANIFEST_FORMAT', pointer: '/version' },
  { name: 'unknown status', line: 7, with: 'status: live', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/status', message: /"draft", "active", "deprecated", "retired"/ },
  { name: 'description missing', line: 8, with: null, code: 'MANIFEST_FIELD_MISSING', pointer: '/description', at: 1 },
  { name: 'owner email malformed', line: 9, with: 'owner: { team: sales-analytics, email: not-an-email }', code: 'MANIFEST_FORMAT', pointer: '/owner/email' },
  { name: 'owner without team', line: 9, with: 'owner: { email: sales@example.com }', code: 'MANIFEST_FIELD_MISSING', pointer: '/owner/team' },
  { name: 'owner with unknown field', line: 9, with: 'owner: { team: sales, email: s@example.com, pager: x }', code: 'MANIFEST_FIELD_UNKNOWN', pointer: '/owner/pager' },
  { name: 'misspelt field', line: 10, with: 'tag: [orders]', code: 'MANIFEST_FIELD_UNKNOWN', pointer: '/tag', message: /did you mean "tags"/ },
  { name: 'duplicate tag', line: 10, with: 'tags: [orders, orders]', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/tags' },
  { name: 'tag with spaces', line: 10, with: 'tags: [Orders Revenue]', code: 'MANIFEST_FORMAT', pointer: '/tags/0' },
  { name: 'tags not a list', line: 10, with: 'tags: orders', code: 'MANIFEST_TYPE', pointer: '/tags', message: /a list/ },
  { name: 'unknown layer', line: 11, with: 'layer: platinum', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/layer' },
  { name: 'unknown pattern', line: 12, with: 'pattern: batch', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/pattern' },
  { name: 'input without port', line: 14, with: '  - { product: sales.customers }', code: 'MANIFEST_FIELD_MISSING', pointer: '/inputs/0/port' },
  { name: 'input with product and dataset', line: 15, with: '  - { product: sales.customers, dataset: { namespace: x, name: y } }', code: 'MANIFEST_FIELD_UNKNOWN', pointer: '/inputs/1/product' },
  { name: 'input dataset without name', line: 15, with: '  - { dataset: { namespace: "postgres://crm:5432" } }', code: 'MANIFEST_FIELD_MISSING', pointer: '/inputs/1/dataset/name' },
  { name: 'contract outside contracts/', line: 18, with: '    contract: orders.json', code: 'MANIFEST_FORMAT', pointer: '/outputs/0/contract' },
  { name: 'unknown compatibility mode', line: 19, with: '    compatibility: sideways', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/outputs/0/compatibility' },
  { name: 'port name with dash', line: 17, with: '  - port: order-lines', code: 'MANIFEST_FORMAT', pointer: '/outputs/0/port' },
  { name: 'freshness not ISO-8601', line: 22, with: '  freshness: { max: 24h, column: updated_at }', code: 'MANIFEST_FORMAT', pointer: '/sla/freshness/max' },
  { name: 'availability above 100', line: 23, with: '  availability: 150', code: 'MANIFEST_OUT_OF_RANGE', pointer: '/sla/availability' },
  { name: 'availability as text', line: 23, with: '  availability: high', code: 'MANIFEST_TYPE', pointer: '/sla/availability' },
  { name: 'unique check without field', line: 26, with: '  - { check: unique }', code: 'MANIFEST_FIELD_MISSING', pointer: '/quality/0/field' },
  { name: 'accepted values empty', line: 27, with: '  - { check: accepted_values, field: status, values: [] }', code: 'MANIFEST_OUT_OF_RANGE', pointer: '/quality/1/values' },
  { name: 'unknown check kind', line: 28, with: '  - { check: row_count_between, min: 1 }', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/quality/2/check', message: /"unique", "not_null"/ },
  { name: 'row count with unknown field', line: 28, with: '  - { check: row_count, minimum: 1 }', code: 'MANIFEST_FIELD_UNKNOWN', pointer: '/quality/2/minimum', message: /did you mean "min"/, count: 2 },
  { name: 'row count without bounds', line: 28, with: '  - { check: row_count }', code: 'MANIFEST_FIELD_MISSING', pointer: '/quality/2/min', message: /Give min, max, or both/ },
  { name: 'sql check without expectation', line: 29, with: '  - { check: sql, name: x, query: "select 1" }', code: 'MANIFEST_FIELD_MISSING', pointer: '/quality/3/mustBe', message: /mustBe, min or max/ },
  { name: 'pipeline step without a source', line: 33, with: null, code: 'MANIFEST_FIELD_MISSING', pointer: '/pipeline/steps/0/query', at: 32, message: /load.*sql.*query/ },
  { name: 'pipeline step with sql and query', line: 34, with: '      query: select 1', code: 'MANIFEST_FIELD_UNKNOWN', pointer: '/pipeline/steps/0/query' },
  { name: 'unknown materialization', line: 34, with: '      materialized: snapshot', code: 'MANIFEST_VALUE_NOT_ALLOWED', pointer: '/pipeline/steps/0/materialized' },
];

describe('manifest shape: one broken field per case', () => {
  it('the base manifest is valid', () => {
    expect(parseManifest(FILE, ORDERS_MANIFEST).problems).toEqual([]);
  });

  it.each(CASES)('$name -> $code at $pointer', (c) => {
    const { problems, manifest } = parseManifest(FILE, replaceLine(ORDERS_MANIFEST, c.line, c.with));
    expect(manifest).toBeUndefined();
    const found = problems.find((p) => p.pointer === c.pointer);
    expect(found, JSON.stringify(problems, null, 2)).toBeDefined();
    expect(found!.code).toBe(c.code);
    expect(found!.line).toBe(c.at ?? c.line);
    expect(found!.file).toBe(FILE);
    expect(found!.severity).toBe('error');
    if (c.message) expect(found!.message).toMatch(c.message);
    // One fault, one problem: no noise from the schema's combinators.
    expect(problems).toHaveLength(c.count ?? 1);
  });

  it('reports every fault of a manifest in one pass', () => {
    let text = ORDERS_MANIFEST;
    text = replaceLine(text, 7, 'status: live');
    text = replaceLine(text, 11, 'layer: platinum');
    text = replaceLine(text, 23, '  availability: 150');
    const { problems } = parseManifest(FILE, text);
    expect(problems.map((p) => [p.pointer, p.line])).toEqual([
      ['/status', 7],
      ['/layer', 11],
      ['/sla/availability', 23],
    ]);
  });

  it('locates a problem at its column', () => {
    const { problems } = parseManifest(FILE, replaceLine(ORDERS_MANIFEST, 9, 'owner: { team: sales-analytics, email: nope }'));
    expect(problems[0]).toMatchObject({ line: 9, column: 40, pointer: '/owner/email' });
  });
});
