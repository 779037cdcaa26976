import { resolveCatalogConfig } from '../../../catalog/config/resolveCatalogConfig.js';
import { DEFAULT_CONTRACT_DIFFER } from '../../../catalog/publish/ContractDiffer.js';
import { CatalogServer } from '../../../catalog/server/CatalogServer.js';
import { openCatalogStore } from '../../../catalog/store/openCatalogStore.js';
import { UsageError } from '../../errors.js';
import { flagOption, stringOption, type Command } from '../Command.js';
import { EXIT_OK } from '../exitCodes.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the catalog server: OpenLineage ingestion at /api/v1/lineage, publishing, /healthz.',
  usage: 'serve [--port 4000] [--host 127.0.0.1] [--db <postgres url> | --data-dir <dir>] [--auth-reads] [--format text|json]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    'data-dir': { type: 'string' },
    'auth-reads': { type: 'boolean' },
  },
  maxPositionals: 0,
  formats: ['text', 'json'],
  async run(args, io) {
    const config = resolveCatalogConfig(
      {
        port: stringOption(args, 'port'),
        host: stringOption(args, 'host'),
        db: stringOption(args, 'db'),
        dataDir: stringOption(args, 'data-dir'),
        authReads: flagOption(args, 'auth-reads'),
      },
      io.env,
      io.cwd,
    );
    if (!io.waitForStop) throw new UsageError('mesh serve runs until it is stopped, and needs a process that can be stopped');
    const store = await openCatalogStore(config.database, { contractDiffer: DEFAULT_CONTRACT_DIFFER });
    let server: CatalogServer | undefined;
    try {
      server = new CatalogServer({ store, authReads: config.server.authReads, log: (line) => io.stderr.write(`${line}\n`) });
      const { url, port } = await server.listen(config.server.port, config.server.host);
      if (args.format === 'json') {
        io.stdout.write(JSON.stringify({ url, port, database: store.sql.location, authReads: config.server.authReads }) + '\n');
      } else {
        io.stdout.write(`mesh catalog listening on ${url} (${store.sql.location}${config.server.authReads ? ', reads need a token' : ''})\n`);
      }
      const signal = await io.waitForStop();
      io.stderr.write(`mesh serve: ${signal}: finishing requests in flight\n`);
      await server.close();
      return EXIT_OK;
    } finally {
      await server?.close();
      await store.close();
    }
  },
};
