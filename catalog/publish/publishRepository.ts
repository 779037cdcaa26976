import { ForbiddenError } from '../../platform/errors.js';
import type { Repository } from '../../platform/repo/Repository.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import type { Principal } from '../store/Principal.js';
import type { PublishedItem, PublishOutcome } from '../store/publishProducts.js';
import type { CatalogClient } from './CatalogClient.js';
import { buildPublishBundle, type BundleOptions, type PublishBundle } from './PublishBundle.js';

/** Above this many bytes of JSON, a publication goes to the server in several requests. */
export const MAX_REQUEST_BYTES = 24 << 20;

/** Where a publication goes. */
export type PublishDestination =
  | { readonly kind: 'http'; readonly client: CatalogClient }
  | { readonly kind: 'store'; readonly store: CatalogStore; readonly principal: Principal };

/**
 * Publishes a checked repository (no errors) to a catalog server or a store. Over HTTP, the token's team is
 * checked against every product's owner before anything is sent, so that a refused publication stores nothing
 * even when it takes several requests; a publication larger than `MAX_REQUEST_BYTES` is sent in parts of whole
 * products (each part atomic).
 */
export async function publishRepository(repository: Repository, destination: PublishDestination, options: BundleOptions = {}): Promise<{ bundle: PublishBundle; outcome: PublishOutcome }> {
  const bundle = buildPublishBundle(repository, options);
  if (destination.kind === 'store') return { bundle, outcome: await destination.store.publish(bundle, destination.principal) };

  const { team } = await destination.client.whoami();
  const foreign = bundle.products.filter((p) => (p.manifest as { owner?: { team?: string } }).owner?.team !== team);
  if (foreign.length > 0) {
    const ids = foreign.slice(0, 5).map((p) => (p.manifest as { id: string }).id).join(', ');
    throw new ForbiddenError(
      `the token of team ${team} publishes only that team's products; ${foreign.length} of ${bundle.products.length} belong to other teams (${ids}${foreign.length > 5 ? ', ...' : ''}); use --team ${team} to publish only its own`,
    );
  }
  const size = Buffer.byteLength(JSON.stringify(bundle));
  if (size <= MAX_REQUEST_BYTES) return { bundle, outcome: await destination.client.publish(bundle) };

  const ids = bundle.products.map((p) => (p.manifest as { id: string }).id);
  const parts = Math.ceil((size / MAX_REQUEST_BYTES) * 1.25);
  const per = Math.ceil(ids.length / parts);
  const products: PublishedItem[] = [];
  const contracts = new Map<string, PublishedItem>();
  const warnings: string[] = [];
  for (let i = 0; i < ids.length; i += per) {
    const part = buildPublishBundle(repository, { ...options, products: ids.slice(i, i + per) });
    const outcome = await destination.client.publish(part);
    products.push(...outcome.products);
    // A contract shared by products of two parts is reported once, by its first change.
    for (const c of outcome.contracts) if (!contracts.has(c.id) || contracts.get(c.id)!.action === 'unchanged') contracts.set(c.id, c);
    warnings.push(...outcome.warnings);
  }
  return { bundle, outcome: { products, contracts: [...contracts.values()], warnings } };
}
