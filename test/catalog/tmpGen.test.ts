import { it } from 'vitest';
import { planCatalog, generateCatalog, BENCH_SCALE } from '../support/generateCatalog.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { createTestDatabase } from '../support/postgres.js';
it('gen', async () => {
  const scale = process.env['SCALE'] === 'full' ? BENCH_SCALE : { products: 200, domains: 5, teams: 15, datasets: 1000, edges: 4000 };
  let t = performance.now();
  const plan = planCatalog(scale);
  console.log('plan', (performance.now() - t) / 1000, plan.longestChain.length);
  const db = await createTestDatabase('mesh_keep');
  const store = await openCatalogStore({ kind: 'postgres', url: db.url });
  try {
    const g = await generateCatalog(store, scale);
    console.log(g.seconds, await store.counts());
  } finally { await store.close(); if (!process.env['KEEP']) await db.drop(); else console.log(db.url); }
}, 600000);
