import { diffContracts, type ContractRevision } from '../../platform/compat/diffContracts.js';
import { SchemaResolver } from '../../platform/contract/SchemaResolver.js';

/**
 * The seam where the compatibility engine plugs into publishing. When the store is opened with a
 * `ContractDiffer`, every new contract version stores the classified changes from the version before it
 * (`contract_versions.changes`); without one, `changes` stays `null`, meaning "not computed" (never "no
 * changes").
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
  /** The document holding `pointer` when it is not the contract itself (a file its `$ref`s reach). */
  readonly file?: string;
}

/** Where a snapshot's documents live for `$ref` resolution: a root no real repository has. */
const SNAPSHOT_ROOT = 'file:///mesh-catalog/';

/** A snapshot as the engine reads it: the contract and the documents it refers to, by repository path. */
function revisionOf(snapshot: ContractSnapshot): ContractRevision {
  const uri = SNAPSHOT_ROOT + snapshot.path;
  const resolver = new SchemaResolver((documentUri) => (documentUri.startsWith(SNAPSHOT_ROOT) ? snapshot.documents[documentUri.slice(SNAPSHOT_ROOT.length)] : undefined));
  resolver.addDocument(uri, snapshot.schema);
  return { schema: snapshot.schema, uri, resolver };
}

/**
 * The differ `mesh publish` and `mesh serve` open their stores with: `platform/compat`'s engine in full mode, so
 * that each change says both whether it keeps backward and whether it keeps forward compatibility, whatever
 * mode the port promises. Pointers into other documents name them by repository path.
 */
export const DEFAULT_CONTRACT_DIFFER: ContractDiffer = (previous, next) =>
  diffContracts(revisionOf(previous), revisionOf(next), {
    mode: 'full',
    fileName: (uri) => (uri.startsWith(SNAPSHOT_ROOT) ? uri.slice(SNAPSHOT_ROOT.length) : uri),
  }).changes.map(({ code, pointer, backward, forward, message, file }) => ({ code, pointer, backward, forward, message, ...(file === undefined ? {} : { file }) }));
