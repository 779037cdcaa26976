import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Repository } from '../../platform/repo/Repository.js';
import { referencedDocuments } from './referencedDocuments.js';

/** A product's manifest as `mesh publish` sends it. */
export interface BundledProduct {
  /** Repository path of the manifest, e.g. `products/sales/orders/product.yaml`. */
  readonly file: string;
  readonly manifest: unknown;
}

/** A contract, or a document of shared definitions a contract refers to. */
export interface BundledDocument {
  /** Repository path, e.g. `contracts/sales/orders.schema.json`. */
  readonly file: string;
  readonly schema: unknown;
}

/**
 * What `mesh publish` sends to a catalog (the body of `POST /api/v1/publish`), or hands to the store directly:
 * the manifests, the contracts of their output ports, and every document those contracts refer to.
 */
export interface PublishBundle {
  readonly products: readonly BundledProduct[];
  readonly contracts: readonly BundledDocument[];
}

export interface BundleOptions {
  /** Only the products this team owns (a monorepo published team by team). */
  readonly team?: string;
  /** Only these products. */
  readonly products?: readonly string[];
}

/** The bundle of a loaded repository (checked by `loadRepository`, without errors). */
export function buildPublishBundle(repository: Repository, options: BundleOptions = {}): PublishBundle {
  const wanted = options.products ? new Set(options.products) : undefined;
  const products = [...repository.products.values()]
    .filter((p) => (options.team === undefined || p.manifest.owner?.team === options.team) && (wanted === undefined || wanted.has(p.id)))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const documents = new Map<string, unknown>();
  const { resolver } = repository.contracts;
  for (const product of products) {
    for (const output of product.manifest.outputs) {
      const contract = repository.contracts.get(output.contract);
      if (!contract || documents.has(contract.file)) continue;
      documents.set(contract.file, contract.schema);
      for (const uri of referencedDocuments(contract.uri, resolver)) {
        const file = repositoryPath(repository.root, uri);
        if (file !== undefined && !documents.has(file)) documents.set(file, resolver.document(uri));
      }
    }
  }
  return {
    products: products.map((p) => ({ file: p.file, manifest: p.manifest })),
    contracts: [...documents].map(([file, schema]) => ({ file, schema })),
  };
}

/** The repository path of a `file:` URI inside the repository. */
function repositoryPath(root: string, uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const path = relative(root, fileURLToPath(uri));
  if (path.startsWith('..') || path === '') return undefined;
  return path.split(sep).join('/');
}
