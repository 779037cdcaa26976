import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { packageRoot } from '../util/packageRoot.js';

let template: Promise<Blob | undefined> | undefined;

/**
 * A freshly initialized PGlite data directory, as a gzipped tarball, for new databases to start from. Without it
 * every new PGlite database runs `initdb`, which is most of the seconds PGlite takes to start; with it a new
 * database only unpacks. The tarball is made once per PGlite version and kept in `node_modules/.cache/mesh/`
 * (`npm install` makes it, see `prepare`); when that folder cannot be written, it is made once per process.
 */
export function pgliteTemplate(): Promise<Blob | undefined> {
  template ??= (async () => {
    const file = templateFile();
    try {
      return new Blob([await readFile(file)], { type: 'application/x-gzip' });
    } catch {
      // Not made yet: make it below.
    }
    try {
      const db = await PGlite.create();
      const dump = await db.dumpDataDir('gzip');
      await db.close();
      await saveTemplate(file, dump).catch(() => {});
      return dump;
    } catch {
      return undefined; // start every database with initdb, as PGlite does by default
    }
  })();
  return template;
}

function templateFile(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@electric-sql/pglite');
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // keyed by "unknown": still correct within one installation
  }
  return join(packageRoot(), 'node_modules', '.cache', 'mesh', `pglite-${version}-template.tar.gz`);
}

async function saveTemplate(file: string, dump: Blob): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file); // atomic: a concurrent reader sees the whole tarball or none
}
