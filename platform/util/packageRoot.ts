import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of mesh's own package.json, found from this module's location, so that shipped data files
 * (schemas, the vendored OpenLineage spec) are found both from sources (tests) and from `dist/`.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the mesh package root');
    dir = parent;
  }
  return (root = dir);
}
