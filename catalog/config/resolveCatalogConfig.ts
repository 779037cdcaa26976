import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../../platform/errors.js';

/** Which database the catalog uses: a PostgreSQL server, or embedded PGlite (a data directory, or memory). */
export type DatabaseConfig =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined };

/** Where `mesh publish` sends a publication: a catalog server over HTTP, or the database directly. */
export type PublishTarget = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'database' };

/** Command-line values, as parsed (strings). */
export interface CatalogConfigInput {
  readonly db?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly catalog?: string | undefined;
  readonly token?: string | undefined;
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly authReads?: boolean | undefined;
}

export interface CatalogConfig {
  readonly database: DatabaseConfig;
  readonly publishTarget: PublishTarget;
  /** Bearer token for writes: `--token`, else `MESH_TOKEN`. */
  readonly token: string | undefined;
  readonly server: { readonly port: number; readonly host: string; readonly authReads: boolean };
}

/** Where the embedded catalog keeps its files, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.mesh/catalog';
export const DEFAULT_PORT = 4000;
export const DEFAULT_HOST = '127.0.0.1';
/** `--data-dir memory://` keeps the embedded catalog in memory (demos, tests). */
export const MEMORY_DATA_DIR = 'memory://';

/**
 * The one place where catalog settings are resolved, flags first, then the environment:
 * - database: `--db <postgres url>`, else `--data-dir <dir>`, else `DATABASE_URL`, else PGlite in
 *   `.mesh/catalog` (`--data-dir memory://` for memory);
 * - publish target: `--catalog <url>` (HTTP), else `--db`/`--data-dir` (direct), else `MESH_CATALOG_URL`, else
 *   the database above;
 * - token: `--token`, else `MESH_TOKEN`; server: `--port` (4000), `--host` (127.0.0.1), `--auth-reads`.
 */
export function resolveCatalogConfig(input: CatalogConfigInput, env: Readonly<Record<string, string | undefined>>, cwd: string): CatalogConfig {
  const db = nonEmpty(input.db);
  const dataDir = nonEmpty(input.dataDir);
  const catalog = nonEmpty(input.catalog);
  if (db !== undefined && dataDir !== undefined) throw new UsageError('--db and --data-dir both name a database; give one');
  if (catalog !== undefined && (db !== undefined || dataDir !== undefined)) {
    throw new UsageError('--catalog sends to a catalog server, --db and --data-dir write to a database; give one');
  }

  let database: DatabaseConfig;
  if (db !== undefined) database = { kind: 'postgres', url: postgresUrl(db, '--db') };
  else if (dataDir !== undefined) database = pglite(dataDir, cwd);
  else if (nonEmpty(env['DATABASE_URL']) !== undefined) database = { kind: 'postgres', url: postgresUrl(env['DATABASE_URL']!, 'DATABASE_URL') };
  else database = pglite(DEFAULT_DATA_DIR, cwd);

  let publishTarget: PublishTarget = { kind: 'database' };
  if (catalog !== undefined) publishTarget = { kind: 'http', url: httpUrl(catalog, '--catalog') };
  else if (db === undefined && dataDir === undefined && nonEmpty(env['MESH_CATALOG_URL']) !== undefined) {
    publishTarget = { kind: 'http', url: httpUrl(env['MESH_CATALOG_URL']!, 'MESH_CATALOG_URL') };
  }

  return {
    database,
    publishTarget,
    token: nonEmpty(input.token) ?? nonEmpty(env['MESH_TOKEN']),
    server: { port: port(input.port), host: nonEmpty(input.host) ?? DEFAULT_HOST, authReads: input.authReads === true },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function pglite(dir: string, cwd: string): DatabaseConfig {
  if (dir === MEMORY_DATA_DIR) return { kind: 'pglite', dataDir: undefined };
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : resolve(cwd, dir) };
}

function postgresUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${source} must be a PostgreSQL URL (postgres://user@host:5432/db), not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError(`${source} must be a postgres:// or postgresql:// URL, not ${url.protocol}//...`);
  }
  return value;
}

function httpUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${source} must be the catalog server's URL (http://host:4000), not ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${source} must be an http:// or https:// URL`);
  return url.href.replace(/\/+$/, '');
}

function port(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n > 65535) throw new UsageError(`--port must be a port number (0 to 65535), not ${JSON.stringify(value)}`);
  return n;
}
