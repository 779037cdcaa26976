import { describe, expect, it } from 'vitest';
import { resolveCatalogConfig, type CatalogConfigInput } from '../../catalog/config/resolveCatalogConfig.js';
import { UsageError } from '../../platform/errors.js';

const cwd = '/work/repo';
const pg = 'postgres://mesh:secret@db:5432/catalog';

describe('resolveCatalogConfig', () => {
  it.each<[string, CatalogConfigInput, Record<string, string>, unknown]>([
    ['the default: PGlite in .mesh/catalog', {}, {}, { database: { kind: 'pglite', dataDir: '/work/repo/.mesh/catalog' }, publishTarget: { kind: 'database' } }],
    ['--db selects PostgreSQL', { db: pg }, {}, { database: { kind: 'postgres', url: pg } }],
    ['DATABASE_URL selects PostgreSQL', {}, { DATABASE_URL: pg }, { database: { kind: 'postgres', url: pg } }],
    ['--data-dir wins over DATABASE_URL', { dataDir: 'cat' }, { DATABASE_URL: pg }, { database: { kind: 'pglite', dataDir: '/work/repo/cat' } }],
    ['--data-dir memory:// keeps it in memory', { dataDir: 'memory://' }, {}, { database: { kind: 'pglite', dataDir: undefined } }],
    ['--catalog publishes over HTTP', { catalog: 'http://cat:4000/' }, {}, { publishTarget: { kind: 'http', url: 'http://cat:4000' } }],
    ['MESH_CATALOG_URL publishes over HTTP', {}, { MESH_CATALOG_URL: 'https://cat.example.com' }, { publishTarget: { kind: 'http', url: 'https://cat.example.com' } }],
    ['--db wins over MESH_CATALOG_URL', { db: pg }, { MESH_CATALOG_URL: 'https://cat.example.com' }, { publishTarget: { kind: 'database' } }],
    ['--token wins over MESH_TOKEN', { token: 'mesh_a' }, { MESH_TOKEN: 'mesh_b' }, { token: 'mesh_a' }],
    ['MESH_TOKEN', {}, { MESH_TOKEN: 'mesh_b' }, { token: 'mesh_b' }],
    ['server defaults', {}, {}, { server: { port: 4000, host: '127.0.0.1', authReads: false } }],
    ['server flags', { port: '0', host: '0.0.0.0', authReads: true }, {}, { server: { port: 0, host: '0.0.0.0', authReads: true } }],
  ])('%s', (_name, input, env, expected) => {
    expect(resolveCatalogConfig(input, env, cwd)).toMatchObject(expected as object);
  });

  it.each<[string, CatalogConfigInput, Record<string, string>, RegExp]>([
    ['--db and --data-dir', { db: pg, dataDir: 'x' }, {}, /give one/],
    ['--catalog and --db', { catalog: 'http://x', db: pg }, {}, /give one/],
    ['a --db that is not PostgreSQL', { db: 'mysql://x/y' }, {}, /postgres:\/\//],
    ['a DATABASE_URL that is not a URL', {}, { DATABASE_URL: 'nope' }, /DATABASE_URL must be a PostgreSQL URL/],
    ['a --catalog that is not http', { catalog: 'ftp://x' }, {}, /http:\/\//],
    ['a port that is not a number', { port: '80a' }, {}, /--port/],
    ['a port out of range', { port: '70000' }, {}, /--port/],
  ])('refuses %s', (_name, input, env, message) => {
    expect(() => resolveCatalogConfig(input, env, cwd)).toThrow(UsageError);
    expect(() => resolveCatalogConfig(input, env, cwd)).toThrow(message);
  });
});
