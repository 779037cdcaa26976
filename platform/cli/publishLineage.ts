import type { PublishListener } from '../../catalog/publish/PublishListener.js';
import { openLineage } from './openLineage.js';

/**
 * After `mesh publish`: the static lineage (a DatasetEvent per output port, a JobEvent per product pipeline) of
 * the products the publication created or changed. Republishing an unchanged repository emits nothing.
 */
export const publishLineage: PublishListener = async ({ repository, outcome }, io) => {
  const changed = outcome.products.filter((p) => p.action !== 'unchanged').map((p) => p.id);
  if (changed.length === 0) return;
  const { lineage, client } = openLineage(io, repository);
  try {
    for (const event of await lineage.publishEvents({ products: changed })) await client.emit(event);
  } finally {
    await client.close();
  }
};
