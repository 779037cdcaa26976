import { join } from 'node:path';
import type { Problem } from '../problems/Problem.js';
import { parseYaml } from '../source/parseYaml.js';
import { FILE_LIMITS, readSource } from '../source/readSource.js';
import type { SourceDocument } from '../source/SourceDocument.js';
import { isObject } from '../util/guards.js';
import { checkManifestShape } from './checkManifestShape.js';
import type { DataProductManifest } from './DataProductManifest.js';

/** A manifest file, parsed and checked against the schema. */
export interface LoadedManifest {
  /** Repository-relative path, e.g. `products/sales/orders/product.yaml`. */
  readonly file: string;
  /** The document, when the file could be read (its value is `undefined` when it did not parse). */
  readonly document: SourceDocument | undefined;
  /** The typed manifest, only when it matches the schema. */
  readonly manifest: DataProductManifest | undefined;
  /** What can still be read from a manifest that does not match the schema, so that others can resolve it. */
  readonly id: string | undefined;
  readonly ports: readonly string[];
  /** Contract files named by output ports, read the same way. */
  readonly contracts: readonly string[];
  readonly problems: Problem[];
}

export async function loadManifest(root: string, file: string): Promise<LoadedManifest> {
  const read = readSource(join(root, file), file, FILE_LIMITS.manifest);
  if (!read.ok) return { file, document: undefined, manifest: undefined, id: undefined, ports: [], contracts: [], problems: [read.problem] };
  return parseManifest(file, read.text);
}

/** Parses and checks manifest text; `file` names it in problems. */
export function parseManifest(file: string, text: string): LoadedManifest {
  const parsed = parseYaml(file, text);
  if (parsed.problems.length > 0) {
    return { file, document: parsed.document, manifest: undefined, id: undefined, ports: [], contracts: [], problems: parsed.problems };
  }
  const { manifest, problems } = checkManifestShape(parsed.document);
  const value = parsed.document.value;
  const id = isObject(value) && typeof value['id'] === 'string' ? value['id'] : undefined;
  const outputs = isObject(value) && Array.isArray(value['outputs']) ? value['outputs'].filter(isObject) : [];
  const strings = (key: string) => outputs.map((o) => o[key]).filter((v): v is string => typeof v === 'string');
  return { file, document: parsed.document, manifest, id, ports: strings('port'), contracts: strings('contract'), problems };
}
