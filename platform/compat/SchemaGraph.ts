import type { SchemaResolver } from '../contract/SchemaResolver.js';
import { rebase } from '../contract/schemaKeywords.js';
import { SchemaNode } from './SchemaNode.js';

/** Which contract a schema belongs to. */
export type Side = 'old' | 'new';

/** A keyword the checker could not read: reported as an input problem by `mesh diff`. */
export interface SchemaInputProblem {
  readonly documentUri: string;
  readonly pointer: string;
  readonly message: string;
}

let nextId = 1;

/**
 * The schemas of one side of a comparison: one node per location, created on demand and shared by every
 * question the checker asks, with `$ref`s resolved through the contract resolver.
 */
export class SchemaGraph {
  /** Nodes by document, then by pointer. */
  private readonly nodes = new Map<string, Map<string, SchemaNode>>();
  readonly problems: SchemaInputProblem[] = [];
  private readonly reported = new Set<string>();

  constructor(
    readonly side: Side,
    readonly resolver: SchemaResolver,
  ) {}

  /** The node of a document's root; the document is loaded through the resolver when needed. */
  root(uri: string, schema?: unknown): SchemaNode {
    const value = schema ?? this.resolver.document(uri);
    return this.node(uri, '', value, rebase(uri, value));
  }

  node(documentUri: string, pointer: string, schema: unknown, baseUri: string): SchemaNode {
    let inDocument = this.nodes.get(documentUri);
    if (!inDocument) this.nodes.set(documentUri, (inDocument = new Map()));
    let node = inDocument.get(pointer);
    if (!node) {
      node = new SchemaNode(this, nextId++, documentUri, pointer, schema, baseUri);
      inDocument.set(pointer, node);
    }
    return node;
  }

  /** The target of a `$ref` written in `from`, or `undefined` when it does not resolve. */
  resolve(from: SchemaNode, ref: string): SchemaNode | undefined {
    const target = this.resolver.resolve(ref, from.baseUri);
    return target ? this.node(target.documentUri, target.pointer, target.schema, target.baseUri) : undefined;
  }

  report(documentUri: string, pointer: string, message: string): void {
    const key = `${documentUri}#${pointer}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.problems.push({ documentUri, pointer, message });
  }
}
