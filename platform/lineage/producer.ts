import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/packageRoot.js';

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** mesh's version, from its package.json. */
export const MESH_VERSION = readVersion();

/**
 * The `producer` of mesh's events and the `_producer` of its facets: the source of the client at this
 * version, in the form the official clients use (`.../tree/<version>/client/python`).
 */
export const MESH_PRODUCER = `https://github.com/mesh-data/mesh/tree/v${MESH_VERSION}/platform/lineage`;
