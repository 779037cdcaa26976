import { findRefCycles } from '../contract/checkContract.js';
import type { SchemaResolver } from '../contract/SchemaResolver.js';
import { walkSchemas } from '../contract/schemaKeywords.js';
import { ChangeCode, isMetadataCode } from './ChangeCode.js';
import { compareStructure } from './compareStructure.js';
import { full } from './Conjunction.js';
import { deepEqual } from './evaluateValue.js';
import { SchemaGraph, type SchemaInputProblem } from './SchemaGraph.js';
import { expandedConstraintText, type SchemaNode } from './SchemaNode.js';
import { ComplexityError, SubsetChecker, type Finding, type Policy } from './SubsetChecker.js';

export type { Policy } from './SubsetChecker.js';

/** Which direction a port promises: see DESIGN.md, "Compatibility". */
export type CompatibilityMode = 'backward' | 'forward' | 'full' | 'none';

export const COMPATIBILITY_MODES: readonly CompatibilityMode[] = ['backward', 'forward', 'full', 'none'];
export const POLICIES: readonly Policy[] = ['strict', 'lenient'];

/** One change between two contracts, as data. */
export interface Change {
  readonly code: ChangeCode;
  /** JSON pointer into the old contract (into `file` when set); it may end in a keyword only the new one has. */
  readonly pointer: string;
  /** Whether the new contract still accepts every value the old one accepted, as far as this change goes. */
  readonly backward: boolean;
  /** Whether the old contract accepts every value the new one accepts, as far as this change goes. */
  readonly forward: boolean;
  readonly message: string;
  /** The document holding `pointer` when it is not the old contract itself (a file its `$ref`s reach). */
  readonly file?: string;
}

export interface DiffResult {
  readonly compatible: boolean;
  readonly mode: CompatibilityMode;
  readonly policy: Policy;
  readonly changes: Change[];
}

/** One revision of a contract: its schema, the URI its relative `$ref`s resolve against, and a resolver. */
export interface ContractRevision {
  readonly schema: unknown;
  readonly uri: string;
  readonly resolver: SchemaResolver;
}

export interface DiffOptions {
  readonly mode?: CompatibilityMode;
  readonly policy?: Policy;
  /** Step budget of each direction's proof; past it that direction is reported incompatible (`TOO_COMPLEX`). */
  readonly maxSteps?: number;
  /** How a document other than the old contract is named in `Change.file`; its URI by default. */
  readonly fileName?: (documentUri: string) => string;
}

/**
 * Real contracts take a few hundred sub-proofs (a 500-property contract with nested combinators: about 250 per
 * direction); the budget stops schemas built to explode long before they cost seconds.
 */
const DEFAULT_MAX_STEPS = 20_000;

/**
 * Compares two contracts by the values they accept. `backward` holds when the new contract accepts every
 * value the old one does (new readers, old data), `forward` when the old one accepts every value of the new
 * one (old readers, new data). The verdict is sound: it is never `compatible` when a value exists that breaks
 * the mode; when the checker cannot prove a direction, that direction is incompatible.
 *
 * Changes come from two places that use the same codes and locations: the proofs of both directions (every
 * reason a proof failed) and a side-by-side walk of the schemas (every change a reader would see, metadata
 * included). A change's `backward`/`forward` say whether the proof of that direction failed on it.
 */
export function diffContracts(oldContract: ContractRevision, newContract: ContractRevision, options: DiffOptions = {}): DiffResult {
  const mode = options.mode ?? 'forward';
  const policy = options.policy ?? 'strict';
  const oldGraph = new SchemaGraph('old', oldContract.resolver);
  const newGraph = new SchemaGraph('new', newContract.resolver);
  const oldRoot = oldGraph.root(oldContract.uri, oldContract.schema);
  const newRoot = newGraph.root(newContract.uri, newContract.schema);
  const subsetOptions = { policy, maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS };
  const backward = new SubsetChecker('old', oldRoot, subsetOptions);
  const forward = new SubsetChecker('new', oldRoot, subsetOptions);
  backward.reverse = forward;
  forward.reverse = backward;

  const prove = (checker: SubsetChecker, sub: SchemaNode, sup: SchemaNode): readonly Finding[] => {
    try {
      return checker.subset([full(sub)], sup);
    } catch (error) {
      if (!(error instanceof ComplexityError)) throw error;
      const direction = checker.sub === 'old' ? 'backward' : 'forward';
      return [{ code: ChangeCode.TOO_COMPLEX, documentUri: oldRoot.documentUri, pointer: '', detail: direction, message: `the ${direction} proof exceeded its budget of ${subsetOptions.maxSteps} steps; treated as a break` }];
    }
  };
  // The same schema over the same documents accepts the same values, whatever the checker can prove.
  const identical = sameRevision(oldContract, newContract);
  const backwardFindings = identical ? [] : prove(backward, oldRoot, newRoot);
  const forwardFindings = identical ? [] : prove(forward, newRoot, oldRoot);
  const structural = compareStructure(oldRoot, newRoot);

  const key = (f: Finding) => `${f.code}|${f.documentUri}|${f.pointer}|${f.detail}`;
  const breaksBackward = new Set(backwardFindings.map(key));
  const breaksForward = new Set(forwardFindings.map(key));
  const merged = new Map<string, Finding>();
  for (const f of [...backwardFindings, ...forwardFindings, ...structural]) if (!merged.has(key(f))) merged.set(key(f), f);

  const backwardOk = backwardFindings.length === 0;
  const forwardOk = forwardFindings.length === 0;
  if (!identical && ![...merged.values()].some((f) => !isMetadataCode(f.code))) {
    const before = expandedConstraintText(oldRoot);
    const after = expandedConstraintText(newRoot);
    if (before === undefined || after === undefined || before !== after) {
      const f: Finding = { code: ChangeCode.SCHEMA_RESTRUCTURED, documentUri: oldRoot.documentUri, pointer: '', detail: '', message: 'the constraints are spelled differently but accept the same values' };
      merged.set(key(f), f);
    }
  }

  const fileName = options.fileName ?? ((uri: string) => uri);
  const changes = [...merged.values()]
    .sort((a, b) => order(a, b, oldRoot.documentUri))
    .map((f): Change => {
      const change = {
        code: f.code,
        pointer: f.pointer,
        backward: !breaksBackward.has(key(f)),
        forward: !breaksForward.has(key(f)),
        message: f.message,
      };
      return f.documentUri === oldRoot.documentUri ? change : { ...change, file: fileName(f.documentUri) };
    });
  const compatible = mode === 'none' || ((mode === 'forward' || backwardOk) && (mode === 'backward' || forwardOk));
  return { compatible, mode, policy, changes };
}

/**
 * Whether two revisions are the same text of the same schemas: equal roots, and the documents their `$ref`s
 * reach equal too, at the same places relative to each root.
 */
function sameRevision(a: ContractRevision, b: ContractRevision): boolean {
  if (!deepEqual(a.schema, b.schema)) return false;
  const reachedA = reachedDocuments(a);
  const reachedB = reachedDocuments(b);
  if (!reachedA || !reachedB || reachedA.size !== reachedB.size) return false;
  for (const [relative, document] of reachedA) {
    if (!reachedB.has(relative) || !deepEqual(document, reachedB.get(relative))) return false;
  }
  return true;
}

/** Documents reachable by `$ref` from a revision, keyed by their URI relative to the root; `undefined` past 200. */
function reachedDocuments(revision: ContractRevision): Map<string, unknown> | undefined {
  const out = new Map<string, unknown>();
  const pending = [revision.uri];
  const seen = new Set(pending);
  while (pending.length > 0) {
    const uri = pending.pop()!;
    const document = uri === revision.uri ? revision.schema : revision.resolver.document(uri);
    if (uri !== revision.uri) out.set(relativeUri(revision.uri, uri), document);
    if (document === undefined || seen.size > 200) return seen.size > 200 ? undefined : out;
    walkSchemas(document, uri, ({ schema, baseUri }) => {
      if (schema === null || typeof schema !== 'object') return;
      for (const keyword of ['$ref', '$dynamicRef']) {
        const ref = (schema as Record<string, unknown>)[keyword];
        if (typeof ref !== 'string') continue;
        const target = revision.resolver.resolve(ref, baseUri);
        if (target && !seen.has(target.documentUri)) {
          seen.add(target.documentUri);
          pending.push(target.documentUri);
        }
      }
    });
  }
  return out;
}

function relativeUri(from: string, to: string): string {
  const a = from.split('/');
  const b = to.split('/');
  let i = 0;
  while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
  return [...Array(a.length - 1 - i).fill('..'), ...b.slice(i)].join('/');
}

function order(a: Finding, b: Finding, root: string): number {
  const fileA = a.documentUri === root ? '' : a.documentUri;
  const fileB = b.documentUri === root ? '' : b.documentUri;
  return cmp(fileA, fileB) || cmp(a.pointer, b.pointer) || cmp(a.code, b.code) || cmp(a.detail, b.detail);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What keeps a revision from being compared: keywords with values of the wrong shape, `$ref`s that do not
 * resolve, and `$ref` cycles that never reach a value. Reads the contract and every document its `$ref`s
 * reach; draft-07 spellings are accepted.
 */
export function checkRevision(revision: ContractRevision): SchemaInputProblem[] {
  const graph = new SchemaGraph('old', revision.resolver);
  const problems: SchemaInputProblem[] = [];
  const pending = [revision.uri];
  const done = new Set<string>();
  while (pending.length > 0) {
    const uri = pending.pop()!;
    if (done.has(uri)) continue;
    done.add(uri);
    const schema = uri === revision.uri ? revision.schema : revision.resolver.document(uri);
    if (schema === undefined) continue;
    // Read every schema of the document through the graph, so that its keywords are checked once.
    const root = graph.root(uri, schema);
    const stack = [root];
    const seen = new Set<number>();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      const k = node.k;
      if (k.ref && k.ref.documentUri !== uri) pending.push(k.ref.documentUri);
      for (const child of children(node)) if (child.documentUri === uri) stack.push(child);
    }
    for (const cycle of findRefCycles(schema, uri, revision.resolver)) {
      problems.push({ documentUri: uri, pointer: cycle.pointer, message: `$ref cycle that never reaches a value: ${cycle.path.join(' -> ')}` });
    }
  }
  return [...graph.problems, ...problems];
}

function children(node: SchemaNode): SchemaNode[] {
  const k = node.k;
  return [
    ...k.properties.values(),
    ...k.patternProperties.map((p) => p.node),
    ...[k.additionalProperties, k.propertyNames, k.unevaluatedProperties, k.items, k.contains, k.unevaluatedItems, k.not, k.if, k.then, k.else].filter((n) => n !== undefined),
    ...k.dependentSchemas.values(),
    ...k.prefixItems,
    ...k.allOf,
    ...(k.anyOf ?? []),
    ...(k.oneOf ?? []),
    ...defs(node),
  ];
}

/** `$defs` and `definitions` entries: not constraints, but read so that their problems are reported. */
function defs(node: SchemaNode): SchemaNode[] {
  const s = node.schema;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return [];
  const out = [];
  for (const keyword of ['$defs', 'definitions']) {
    const map = (s as Record<string, unknown>)[keyword];
    if (map !== null && typeof map === 'object' && !Array.isArray(map)) for (const name of Object.keys(map)) out.push(node.child(keyword, name));
  }
  return out;
}
