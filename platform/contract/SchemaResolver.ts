import { rebase, stripFragment, walkSchemas } from './schemaKeywords.js';
import { parsePointer, toPointer } from '../util/jsonPointer.js';

/** A schema found by resolving a `$ref`. */
export interface ResolvedSchema {
  readonly schema: unknown;
  /** Absolute URI of the target, fragment included; stable identity for cycle detection. */
  readonly uri: string;
  /** Base URI in effect at the target, for resolving the target's own `$ref`s. */
  readonly baseUri: string;
  /** URI of the document that holds the target. */
  readonly documentUri: string;
  /** JSON pointer of the target inside its document. */
  readonly pointer: string;
}

/** Fetches a document that is not registered yet, e.g. from disk or from a git revision. */
export type SchemaLoader = (documentUri: string) => unknown | undefined;

interface Location {
  readonly documentUri: string;
  readonly segments: readonly string[];
  readonly schema: unknown;
  readonly baseUri: string;
}

/**
 * Resolves `$ref` the draft 2020-12 way across documents: embedded `$id` resources, `$anchor` and
 * `$dynamicAnchor` names, JSON-pointer fragments (percent-decoded), and documents fetched on demand.
 */
export class SchemaResolver {
  private readonly documentsByUri = new Map<string, unknown>();
  private readonly resources = new Map<string, Location>();
  private readonly anchors = new Map<string, Location>();
  /**
   * Whether a registered document holds a key `$id`, `$anchor` or `$dynamicAnchor` anywhere, in a schema or
   * not: Ajv files documents under the identifiers it finds, and it looks in more places than schemas.
   */
  declaresIds = false;
  /** `$ref`s and `$dynamicRef`s of registered documents, with their base URIs, not yet seen by `loadReferenced`. */
  private readonly unloadedRefs: [ref: string, baseUri: string][] = [];

  constructor(private readonly loader?: SchemaLoader) {}

  /** Registers a document under `uri`, and every `$id` resource and anchor inside it. */
  addDocument(uri: string, root: unknown): void {
    const documentUri = stripFragment(uri);
    if (this.documentsByUri.has(documentUri)) return;
    this.documentsByUri.set(documentUri, root);
    if (!this.declaresIds && holdsIds(root)) this.declaresIds = true;
    this.resources.set(documentUri, { documentUri, segments: [], schema: root, baseUri: rebase(documentUri, root) });
    walkSchemas(root, documentUri, ({ schema, path, baseUri }) => {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
      const s = schema as Record<string, unknown>;
      const location: Location = { documentUri, segments: path, schema, baseUri };
      if (typeof s['$id'] === 'string' && !this.resources.has(baseUri)) this.resources.set(baseUri, location);
      for (const keyword of ['$anchor', '$dynamicAnchor']) {
        const anchor = s[keyword];
        if (typeof anchor === 'string') this.anchors.set(`${baseUri}#${anchor}`, location);
      }
      if (this.loader) {
        for (const keyword of ['$ref', '$dynamicRef']) {
          const ref = s[keyword];
          if (typeof ref === 'string') this.unloadedRefs.push([ref, baseUri]);
        }
      }
    });
  }

  /**
   * Loads every document that a `$ref` of a registered document names and that is not registered yet, and the
   * documents those name, in a fixed order: documents in registration order, references in document order.
   * Afterwards the documents held no longer depend on which references were resolved first, so that threads
   * that check different contracts first still hold the same documents, in the same order.
   */
  loadReferenced(): void {
    for (let i = 0; i < this.unloadedRefs.length; i++) {
      const [ref, baseUri] = this.unloadedRefs[i]!;
      let resourceUri: string;
      try {
        resourceUri = stripFragment(new URL(ref, baseUri).href);
      } catch {
        continue;
      }
      if (!this.resources.has(resourceUri)) this.document(resourceUri);
    }
    this.unloadedRefs.length = 0;
  }

  /** Every registered document, in registration order. */
  documents(): IterableIterator<[string, unknown]> {
    return this.documentsByUri.entries();
  }

  hasDocument(uri: string): boolean {
    return this.documentsByUri.has(stripFragment(uri));
  }

  /** The registered document under `uri`, loading it if a loader is set. */
  document(uri: string): unknown | undefined {
    const documentUri = stripFragment(uri);
    if (!this.documentsByUri.has(documentUri) && this.loader) {
      const loaded = this.loader(documentUri);
      if (loaded !== undefined) this.addDocument(documentUri, loaded);
    }
    return this.documentsByUri.get(documentUri);
  }

  /** Resolves `ref` against `baseUri`; `undefined` when the target does not exist. */
  resolve(ref: string, baseUri: string): ResolvedSchema | undefined {
    let absolute: URL;
    try {
      absolute = new URL(ref, baseUri);
    } catch {
      return undefined;
    }
    const resourceUri = stripFragment(absolute.href);
    let resource = this.resources.get(resourceUri);
    if (!resource && this.document(resourceUri) !== undefined) resource = this.resources.get(resourceUri);
    if (!resource) return undefined;

    let fragment: string;
    try {
      fragment = decodeURIComponent(absolute.hash.slice(1));
    } catch {
      return undefined;
    }
    if (fragment === '') return located(resource, resourceUri);
    if (!fragment.startsWith('/')) {
      const anchored = this.anchors.get(`${resourceUri}#${fragment}`);
      return anchored ? located(anchored, `${resourceUri}#${fragment}`) : undefined;
    }
    let node = resource.schema;
    let base = resource.baseUri;
    for (const segment of parsePointer(fragment)) {
      if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
      base = rebase(base, node);
    }
    return {
      schema: node,
      uri: `${resourceUri}#${fragment}`,
      baseUri: base,
      documentUri: resource.documentUri,
      pointer: toPointer([...resource.segments, ...parsePointer(fragment)]),
    };
  }
}

/** Whether any object in a JSON value has an own key `$id`, `$anchor` or `$dynamicAnchor`. */
function holdsIds(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== 'object') continue;
    if (Array.isArray(next)) {
      for (const item of next) stack.push(item);
      continue;
    }
    for (const key of Object.keys(next)) {
      if (key === '$id' || key === '$anchor' || key === '$dynamicAnchor') return true;
      stack.push((next as Record<string, unknown>)[key]);
    }
  }
  return false;
}

function located(location: Location, uri: string): ResolvedSchema {
  return {
    schema: location.schema,
    uri,
    baseUri: location.baseUri,
    documentUri: location.documentUri,
    pointer: toPointer(location.segments),
  };
}
