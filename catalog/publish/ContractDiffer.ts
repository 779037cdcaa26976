/**
 * The seam where the compatibility engine (`platform/compat/`, built on its own branch) plugs into publishing.
 * When the store is opened with a `ContractDiffer`, every new contract version stores the classified changes
 * from the version before it (`contract_versions.changes`); without one, `changes` stays `null`, meaning "not
 * computed" (never "no changes"). The lead wires the engine where stores are opened (`openCatalogStore`).
 */
export type ContractDiffer = (previous: ContractSnapshot, next: ContractSnapshot) => readonly ContractChange[] | Promise<readonly ContractChange[]>;

/** One version of a contract, with the documents its `$ref`s reach, by repository path. */
export interface ContractSnapshot {
  readonly path: string;
  readonly version: string | null;
  readonly schema: unknown;
  readonly documents: Readonly<Record<string, unknown>>;
}

/** A classified change, as DESIGN.md fixes it. */
export interface ContractChange {
  readonly code: string;
  /** JSON pointer into the old contract. */
  readonly pointer: string;
  /** Whether the change keeps backward compatibility (new readers, old data). */
  readonly backward: boolean;
  /** Whether the change keeps forward compatibility (old readers, new data). */
  readonly forward: boolean;
  readonly message: string;
}

/**
 * The differ `mesh publish` and `mesh serve` open their stores with. `undefined` until the compatibility engine
 * is merged: then this becomes the adapter from `platform/compat` to `ContractDiffer`, and nothing else changes.
 */
export const DEFAULT_CONTRACT_DIFFER: ContractDiffer | undefined = undefined;
