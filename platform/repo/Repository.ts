import type { ContractSet } from '../contract/ContractSet.js';
import type { DataProductManifest } from '../manifest/DataProductManifest.js';
import type { LoadedManifest } from '../manifest/loadManifest.js';
import type { Problem } from '../problems/Problem.js';
import type { SourceDocument } from '../source/SourceDocument.js';
import type { ProductGraph } from './ProductGraph.js';

/** A product whose manifest matches the schema. */
export interface Product {
  readonly id: string;
  /** Repository-relative manifest path. */
  readonly file: string;
  /** Repository-relative folder of the manifest (its pipeline files live here). */
  readonly dir: string;
  readonly document: SourceDocument;
  readonly manifest: DataProductManifest;
}

/** A repository read from disk: every manifest, every contract, the product graph and every problem found. */
export interface Repository {
  /** Absolute path of the repository root. */
  readonly root: string;
  /** Every manifest file found, valid or not. */
  readonly manifests: readonly LoadedManifest[];
  /** Valid products by id (the first one when an id is duplicated). */
  readonly products: ReadonlyMap<string, Product>;
  readonly contracts: ContractSet;
  /** Every file under `products/` and `contracts/`, repository-relative. */
  readonly files: ReadonlySet<string>;
  readonly graph: ProductGraph;
  readonly problems: readonly Problem[];
}
