import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findSqlRefs } from '../../platform/pipeline/sqlRefs.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import type { Product } from '../../platform/repo/Repository.js';
import { fillGenerated } from '../support/readmeBlocks.js';
import { lineageDiagram, productTable } from './exampleTour.js';
import { generateSampleData } from './generateSampleData.js';
import { readSampleRecords, sampleLoads } from './sampleRecords.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repository = await loadRepository(ROOT);
const products = [...repository.products.values()];
const product = (id: string): Product => {
  const found = repository.products.get(id);
  if (!found) throw new Error(`no product ${id} in the example mesh`);
  return found;
};

/**
 * The dirty rows planted in the bronze sample files on purpose (README, "A tour of the example mesh"): the only
 * records that break their port's contract, with the Ajv keyword and the instance path of each failure. A
 * change to the data or the contracts that moves, removes or adds a fault breaks this table.
 */
const CONTRACT_FAULTS: readonly (readonly [file: string, line: number, keyword: string, path: string])[] = [
  ['products/finance/ecb_fx_rates/rates.jsonl', 624, 'exclusiveMinimum', '/rate'],
  ['products/finance/psp_transactions/transactions.jsonl', 670, 'exclusiveMinimum', '/amount'],
  ['products/finance/psp_transactions/transactions.jsonl', 866, 'required', ''],
  ['products/marketing/ad_spend/ad_spend.jsonl', 182, 'type', '/clicks'],
  ['products/marketing/ad_spend/ad_spend.jsonl', 251, 'minimum', '/spend'],
  ['products/marketing/ad_spend/ad_spend.jsonl', 424, 'pattern', '/currency'],
  ['products/marketing/campaign_plan/campaigns.csv', 11, 'type', '/budget'],
  ['products/marketing/web_events/events.jsonl', 169, 'enum', '/event_type'],
  ['products/marketing/web_events/events.jsonl', 330, 'required', ''],
  ['products/sales/crm_customers/customers.cdc.jsonl', 304, 'format', '/email'],
  ['products/sales/crm_customers/customers.cdc.jsonl', 342, 'type', '/country'],
  ['products/sales/crm_customers/customers.cdc.jsonl', 374, 'enum', '/segment'],
  ['products/sales/product_catalog/products.csv', 74, 'enum', '/category'],
  ['products/sales/shop_orders/order_lines.csv', 453, 'minimum', '/quantity'],
  ['products/sales/shop_orders/orders.csv', 90, 'minimum', '/shipping_amount'],
  ['products/sales/shop_orders/orders.csv', 471, 'enum', '/status'],
];

/** Planted duplicates of a port's primary key (valid records each; the uniqueness checks catch them). */
const DUPLICATE_KEYS: readonly (readonly [file: string, line: number, firstLine: number])[] = [
  ['products/finance/ecb_fx_rates/rates.jsonl', 546, 541],
  ['products/finance/psp_transactions/transactions.jsonl', 414, 413],
  ['products/marketing/web_events/events.jsonl', 209, 208],
  ['products/sales/shop_orders/orders.csv', 707, 706],
];

const loads = sampleLoads(repository);

describe('the example mesh', () => {
  it('validates with no errors and no warnings', () => {
    expect(repository.problems).toEqual([]);
  });

  it('has at least 12 products; each of sales, marketing and finance has bronze, silver and gold ones', () => {
    expect(products.length).toBeGreaterThanOrEqual(12);
    const layers = new Map<string, Set<string>>();
    for (const p of products) layers.set(p.manifest.domain, (layers.get(p.manifest.domain) ?? new Set()).add(p.manifest.layer));
    expect(Object.fromEntries([...layers].map(([d, l]) => [d, [...l].sort()]))).toEqual({
      sales: ['bronze', 'gold', 'silver'],
      marketing: ['bronze', 'gold', 'silver'],
      finance: ['bronze', 'gold', 'silver'],
    });
  });

  it('bronze products read external datasets and load files, in every integration pattern', () => {
    const bronze = products.filter((p) => p.manifest.layer === 'bronze');
    for (const p of bronze) {
      expect(p.manifest.inputs?.length, p.id).toBeGreaterThan(0);
      for (const input of p.manifest.inputs ?? []) expect(input.dataset, `${p.id} reads a dataset`).toBeDefined();
      for (const step of p.manifest.pipeline?.steps ?? []) expect(step.load, `${p.id} loads a file`).toBeDefined();
    }
    const patterns = new Set(bronze.map((p) => p.manifest.pattern));
    for (const pattern of ['file', 'cdc', 'streaming', 'api']) expect(patterns).toContain(pattern);
    expect(patterns.has('etl') || patterns.has('elt')).toBe(true);
    const cdc = bronze.filter((p) => p.manifest.pattern === 'cdc');
    expect(cdc.flatMap((p) => p.manifest.pipeline!.steps.map((s) => s.load?.cdc))).not.toContain(undefined);
  });

  it('silver and gold products are SQL transforms that read exactly their declared inputs by ref()', async () => {
    for (const p of products.filter((x) => x.manifest.layer !== 'bronze')) {
      const declared = new Set((p.manifest.inputs ?? []).map((i) => `${i.product}/${i.port}`));
      const referenced = new Set<string>();
      for (const step of p.manifest.pipeline!.steps) {
        expect(step.load, p.id).toBeUndefined();
        const sql = step.query ?? (await readFile(join(ROOT, p.dir, step.sql!), 'utf8'));
        for (const ref of findSqlRefs(sql)) referenced.add(`${ref.product}/${ref.port}`);
        // Ports are named, never physical tables.
        expect(sql, p.id).not.toMatch(/\b(analytics|bronze|silver|gold)\.[a-z_]+/i);
        if (step.materialized === 'incremental') expect([step.watermark, step.uniqueKey], p.id).not.toContain(undefined);
      }
      expect([...referenced].sort(), p.id).toEqual([...declared].sort());
    }
  });

  it('crosses domains: finance reads sales orders, marketing attribution reads sales orders and campaigns', () => {
    const reads = (id: string) => (product(id).manifest.inputs ?? []).map((i) => `${i.product}/${i.port}`);
    expect(reads('finance.revenue')).toContain('sales.orders/orders');
    expect(reads('marketing.attribution')).toEqual(expect.arrayContaining(['sales.orders/orders', 'marketing.campaigns/campaigns']));
    const crossing = repository.graph.order(repository.products.keys()).flatMap((id) =>
      repository.graph.inputs(id).filter((edge) => edge.producer.split('.')[0] !== id.split('.')[0]).map((edge) => `${edge.producer} -> ${id}`),
    );
    expect(crossing.sort()).toEqual(['finance.revenue -> marketing.campaign_performance', 'sales.orders -> finance.revenue', 'sales.orders -> marketing.attribution']);
  });

  it('lineage from finance revenue reaches bronze sources of two domains through silver, three hops and more', () => {
    const upstream = repository.graph.upstream('finance.revenue');
    const bronze = upstream.filter((r) => product(r.id).manifest.layer === 'bronze');
    expect(Object.fromEntries(bronze.map((r) => [r.id, r.distance]))).toEqual({
      'sales.shop_orders': 2,
      'sales.product_catalog': 3,
      'sales.crm_customers': 3,
      'finance.psp_transactions': 2,
      'finance.ecb_fx_rates': 2,
    });
    expect(upstream.filter((r) => product(r.id).manifest.layer === 'silver').map((r) => r.id).sort()).toEqual([
      'finance.fx_rates', 'finance.payments', 'sales.customers', 'sales.order_items',
    ]);
    // The longest path: revenue <- orders <- order_items <- product_catalog (and <- customers <- crm_customers).
    expect(Math.max(...upstream.map((r) => r.distance))).toBe(3);
  });

  it('every product has an owner, tags, an SLA and quality checks of several kinds; together they use every kind', () => {
    const kinds = new Set<string>();
    for (const p of products) {
      const { owner, tags, sla, quality } = p.manifest;
      expect(owner?.email, p.id).toMatch(/@acme-outdoor\.example$/);
      expect(tags?.length, p.id).toBeGreaterThan(0);
      expect(sla?.freshness && sla.availability !== undefined && sla.completeness !== undefined, p.id).toBe(true);
      const own = new Set((quality ?? []).map((q) => q.check));
      expect(own.size, p.id).toBeGreaterThanOrEqual(3);
      for (const k of own) kinds.add(k);
    }
    expect([...kinds].sort()).toEqual(['accepted_values', 'not_null', 'range', 'relationships', 'row_count', 'sql', 'unique']);
  });

  it('contracts mark personal data and share definitions across files', () => {
    let pii = 0;
    for (const p of products) {
      for (const output of p.manifest.outputs) {
        const contract = repository.contracts.get(output.contract)!;
        expect(contract.document.text, output.contract).toMatch(/"\$ref": "\.\.\/common\/(types|business)\.schema\.json#/);
        pii += (contract.document.text.match(/"x-pii": true/g) ?? []).length;
      }
    }
    expect(pii).toBeGreaterThanOrEqual(12);
  });

  it.each(loads.filter((l) => l.load.format === 'csv').map((l) => [l.file, l] as const))('%s: the header is the contract fields, in order', async (_, load) => {
    const { header } = await readSampleRecords(ROOT, load);
    expect(header).toEqual(load.fields.map((f) => f.name));
  });

  it.each(loads.map((l) => [l.file, l] as const))('%s: every record keeps the contract but the planted faults, within the completeness SLA', async (file, load) => {
    const validate = repository.contracts.validator(load.contract, { allErrors: true });
    const { records } = await readSampleRecords(ROOT, load);
    const failures: (readonly [string, number, string, string])[] = [];
    for (const { line, record } of records) {
      if (validate(record)) continue;
      // An if/then failure is reported twice by Ajv: by the keyword that failed and by "if"; the first says what.
      for (const error of validate.errors!.filter((e) => e.keyword !== 'if')) failures.push([file, line, error.keyword, error.instancePath]);
    }
    expect(failures).toEqual(CONTRACT_FAULTS.filter(([f]) => f === file));
    // A run fails when the rejected share exceeds 100 - completeness: every sample file must stay below it.
    const completeness = load.product.manifest.sla!.completeness!;
    expect((failures.length / records.length) * 100).toBeLessThan(100 - completeness);
    expect(records.length).toBeGreaterThanOrEqual(20);
  });

  it.each(loads.filter((l) => !l.load.cdc).map((l) => [l.file, l] as const))('%s: primary keys repeat only where a duplicate is planted', async (file, load) => {
    const contract = repository.contracts.get(load.contract)!;
    const key = contract.schema && typeof contract.schema === 'object' ? ((contract.schema as Record<string, unknown>)['x-primary-key'] as string[]) : [];
    const { records } = await readSampleRecords(ROOT, load);
    const first = new Map<string, number>();
    const repeats: (readonly [string, number, number])[] = [];
    for (const { line, record } of records) {
      const value = JSON.stringify(key.map((k) => record[k]));
      const seen = first.get(value);
      if (seen === undefined) first.set(value, line);
      else repeats.push([file, line, seen]);
    }
    expect(repeats).toEqual(DUPLICATE_KEYS.filter(([f]) => f === file));
  });

  it('a change log applies cleanly: every key starts with an insert or a snapshot read, sequences only grow', async () => {
    for (const load of loads.filter((l) => l.load.cdc)) {
      const { operation, key, sequence } = load.load.cdc!;
      const { records } = await readSampleRecords(ROOT, load);
      const seen = new Set<string>();
      let last = -Infinity;
      for (const { line, record } of records) {
        const id = JSON.stringify(key.map((k) => record[k]));
        if (!seen.has(id)) expect(['c', 'r'], `${load.file}:${line}`).toContain(record[operation]);
        seen.add(id);
        expect(record[sequence] as number, `${load.file}:${line}`).toBeGreaterThan(last);
        last = record[sequence] as number;
      }
      expect(records.filter((r) => r.record[operation] === 'd').length).toBeGreaterThan(0);
    }
  });

  // The README's tour: its product table and lineage diagram are generated from the manifests. Refresh with:
  // UPDATE_README=1 npx vitest run test/example/exampleMesh.test.ts
  it('the README tour shows the products and the lineage as the manifests declare them', async () => {
    const readme = new URL('../../README.md', import.meta.url);
    const text = await readFile(readme, 'utf8');
    const expected = fillGenerated(fillGenerated(text, 'example products', productTable(repository)), 'example lineage', lineageDiagram(repository));
    if (process.env['UPDATE_README'] === '1') return writeFile(readme, expected);
    expect(text).toBe(expected);
  });

  it('the README lists every planted fault at its line, and nothing else', async () => {
    const text = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const table = text.slice(text.indexOf('<!-- planted faults'), text.indexOf('<!-- end: planted faults -->'));
    const listed = [...table.matchAll(/^\| `(products\/[^`]+):([0-9]+)` \|/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(listed.sort()).toEqual(generateSampleData().faults.map((f) => `${f.file}:${f.line}`).sort());
  });
});
