import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impactOf } from '../../catalog/graphql/queries/impactOf.js';
import { walkLineage } from '../../catalog/graphql/queries/walkLineage.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { generateCatalog, type GeneratedCatalog } from '../support/generateCatalog.js';

/**
 * The GraphQL layer's two graph queries on a generated catalog, where they meet real fan-out: the cases the
 * benchmark's fixes (0004, the walk reading only the nodes it returns, the field start found by index) must
 * keep answering the same way.
 */
describe.each(CATALOG_ADAPTERS)('lineage and impact queries on a generated catalog ($name)', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;
  let catalog: GeneratedCatalog;

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    store = await openCatalogStore(db.config);
    catalog = await generateCatalog(store, { products: 60, domains: 3, teams: 6, datasets: 300, edges: 1_200, seed: 'queries' });
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it.skipIf(!adapter.available)('impact from a field id is the impact from its product, port and field named directly', async () => {
    let compared = 0;
    for (const product of catalog.products.filter((p) => p.layer !== 'gold')) {
      const port = product.ports[0]!;
      const byId = await impactOf(store.sql, { node: `field:${port.dataset.namespace}:${port.dataset.name}:customer_id` }, 10, 100);
      const named = await impactOf(store.sql, { product: product.id, port: port.name, field: 'customer_id' }, 10, 100);
      expect(byId, product.id).toEqual(named);
      if (byId.rows.length > 0) compared++;
    }
    expect(compared).toBeGreaterThan(5);
    // A field of a dataset no port publishes starts nowhere; so does a malformed id.
    expect((await impactOf(store.sql, { node: 'field:postgres://nowhere:5432:x.y:customer_id' }, 10, 100)).rows).toEqual([]);
    expect((await impactOf(store.sql, { node: 'field:' }, 10, 100)).rows).toEqual([]);
  });

  it.skipIf(!adapter.available)('a walk capped by first keeps the nearest nodes, says it was truncated, and carries no facets', async () => {
    const start = `product:${catalog.longestChain[Math.floor(catalog.longestChain.length / 2)]}`;
    const whole = await walkLineage(store.sql, start, 'BOTH', 5, 500);
    expect(whole.nodes.length).toBeGreaterThan(10);
    const capped = await walkLineage(store.sql, start, 'BOTH', 5, 10);
    expect(capped.nodes).toEqual(whole.nodes.slice(0, 10));
    expect(capped.truncated).toBe(true);
    expect(capped.nodes.every((n) => !('facets' in n))).toBe(true);
    const exact = await walkLineage(store.sql, start, 'BOTH', 5, whole.nodes.length);
    expect(exact.nodes).toEqual(whole.nodes);
    expect(exact.truncated).toBe(whole.truncated);
    const shallow = await walkLineage(store.sql, start, 'BOTH', 1, 500);
    expect(shallow.truncated).toBe(true); // depth cut it short: the graph goes on beyond one hop
    expect(shallow.nodes.every((n) => n.distance <= 1)).toBe(true);
  });
});
