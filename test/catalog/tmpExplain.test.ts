import { it } from 'vitest';
import { openSqlClient } from '../../catalog/store/openCatalogStore.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { searchProducts } from '../../catalog/graphql/queries/searchProducts.js';
import { walkLineage } from '../../catalog/graphql/queries/walkLineage.js';
import { impactOf } from '../../catalog/graphql/queries/impactOf.js';
import { Loaders } from '../../catalog/graphql/loaders.js';

it('explain', async () => {
  const base = await openSqlClient({ kind: 'postgres', url: process.env['DB']! });
  const captured: { sql: string; params: readonly unknown[] }[] = [];
  const spy: SqlClient = { ...base, query: async (sql, params, options) => { captured.push({ sql, params: params ?? [] }); return base.query(sql, params, options); } } as SqlClient;
  const ids = (await base.query<{ id: string; layer: string }>(`select id, layer from products order by id`)).rows;
  const pick = (layer: string, k: number) => ids.filter((r) => r.layer === layer)[k]!.id;
  const port = (await base.query<{ k: string }>(`select dataset_key as k from ports where product_id = $1 and position = 0`, [pick('bronze', 7)])).rows[0]!.k;
  const cases: [string, () => Promise<unknown>][] = [
    ['search orders', () => searchProducts(spy, { query: 'orders' }, 20, 0)],
    ['search none', () => searchProducts(spy, {}, 20, 0)],
    ['lineage silver product', () => walkLineage(spy, `product:${pick('silver', 100)}`, 'BOTH', 5, 100)],
    ['lineage bronze port', () => walkLineage(spy, port, 'BOTH', 5, 100)],
    ['impact bronze product', () => impactOf(spy, { node: `product:${pick('bronze', 7)}` }, 10, 100)],
    ['impact bronze port', () => impactOf(spy, { node: port }, 10, 100)],
    ['impact field', () => impactOf(spy, { node: `field:${port.slice(8)}:customer_id` }, 10, 100)],
    ['runs', () => new Loaders(spy).runs(5).load(pick('silver', 100))],
    ['quality', () => new Loaders(spy).latestQuality.load(pick('silver', 100))],
  ];
  for (const [name, run] of cases) {
    captured.length = 0;
    let t = performance.now();
    await run();
    const total = performance.now() - t;
    console.log(`\n### ${name}: ${total.toFixed(1)} ms, ${captured.length} statements`);
    for (const c of captured) {
      const plan = (await base.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${c.sql}`, c.params)).rows.map((r) => r['QUERY PLAN']);
      if (process.env['FULL']?.includes(name.split(' ')[0]!)) console.log(plan.join('\n')); else console.log(plan.slice(-2).join('\n'));
    }
  }
  await base.close();
}, 600000);
