import { join, resolve } from 'node:path';

/** Where the warehouse lives: a PostgreSQL server, or an embedded PGlite data directory. */
export type WarehouseConfig = { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string | undefined };

/**
 * The warehouse, resolved once: `--warehouse <url>`, else `MESH_WAREHOUSE_URL`, else embedded PGlite in
 * `--warehouse-dir`, else `<repository>/.mesh/warehouse`. `memory` as the directory keeps it in memory.
 */
export function resolveWarehouseConfig(
  input: { url?: string | undefined; dataDir?: string | undefined; root: string },
  env: Readonly<Record<string, string | undefined>>,
): WarehouseConfig {
  const url = input.url ?? env['MESH_WAREHOUSE_URL'];
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`the warehouse URL must start with postgres:// (got ${JSON.stringify(url.split('@').pop())})`);
    return { kind: 'postgres', url };
  }
  const dataDir = input.dataDir ?? join(input.root, '.mesh', 'warehouse');
  return { kind: 'pglite', dataDir: dataDir === 'memory' ? undefined : resolve(input.root, dataDir) };
}
