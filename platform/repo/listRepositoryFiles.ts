import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemInFile } from '../source/SourceDocument.js';

export interface RepositoryFiles {
  /** `products/<domain>/<name>/product.yaml` files. */
  readonly manifests: string[];
  /** `contracts/**\/*.schema.json` files. */
  readonly contracts: string[];
  /** Every regular file under `products/` and `contracts/`. */
  readonly all: Set<string>;
  readonly problems: Problem[];
}

const MANIFEST = /^products\/[^/]+\/[^/]+\/product\.yaml$/;

/**
 * Lists the repository's files under `products/` and `contracts/`, sorted. Symbolic links, hidden folders and
 * `node_modules` are skipped, so that a hostile link cannot lead the walk out of the repository. Synchronous:
 * one folder per product, and a thread-pool round trip per folder doubled the listing's time.
 */
export async function listRepositoryFiles(root: string): Promise<RepositoryFiles> {
  const all = new Set<string>();
  for (const top of ['products', 'contracts']) {
    let entries;
    try {
      entries = readdirSync(join(root, top), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
      if (path.split('/').some((s) => s.startsWith('.') || s === 'node_modules')) continue;
      all.add(path);
    }
  }
  const sorted = [...all].sort();
  const manifests: string[] = [];
  const contracts: string[] = [];
  const problems: Problem[] = [];
  for (const file of sorted) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (file.startsWith('products/') && (base === 'product.yaml' || base === 'product.yml')) {
      if (MANIFEST.test(file)) manifests.push(file);
      else problems.push(problemInFile(file, ProblemCode.PRODUCT_OUTSIDE_LAYOUT, 'error', 'a manifest lives at products/<domain>/<name>/product.yaml; this one is not read'));
    } else if (file.startsWith('contracts/') && base.endsWith('.schema.json')) {
      contracts.push(file);
      if (file.split('/').length < 3) {
        problems.push(problemInFile(file, ProblemCode.CONTRACT_OUTSIDE_LAYOUT, 'warning', 'contracts live at contracts/<domain>/<name>.schema.json (shared definitions in contracts/common/)'));
      }
    }
  }
  return { manifests, contracts, all, problems };
}
