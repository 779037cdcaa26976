import { MEMORY_DATA_DIR, resolveCatalogConfig } from '../../../catalog/config/resolveCatalogConfig.js';
import { formatDemoSummary, runDemo } from '../demo/runDemo.js';
import { DEFAULT_CONTRACT_DIFFER } from '../../../catalog/publish/ContractDiffer.js';
import { createGraphQLHandler } from '../../../catalog/graphql/createGraphQLHandler.js';
import { CatalogServer } from '../../../catalog/server/CatalogServer.js';
import { facetSchemaRoutes } from '../../../catalog/server/facetSchemaRoutes.js';
import { meshFacetSchemas } from '../../lineage/meshFacets.js';
import { openCatalogStore } from '../../../catalog/store/openCatalogStore.js';
import { UsageError } from '../../errors.js';
import { flagOption, stringOption, type Command } from '../Command.js';
import { EXIT_OK } from '../exitCodes.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the catalog server: GraphQL at /graphql, OpenLineage ingestion at /api/v1/lineage, publishing, /healthz; --demo runs the example mesh into it.',
  usage: 'serve [--port 4000] [--host 127.0.0.1] [--db <postgres url> | --data-dir <dir>] [--auth-reads] [--demo] [--format text|json]',
  options: {
    demo: { type: 'boolean' },
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    'data-dir': { type: 'string' },
    'auth-reads': { type: 'boolean' },
  },
  maxPositionals: 0,
  formats: ['text', 'json'],
  async run(args, io) {
    const demo = flagOption(args, 'demo');
    const config = resolveCatalogConfig(
      {
        port: stringOption(args, 'port'),
        host: stringOption(args, 'host'),
        db: stringOption(args, 'db'),
        // The demo starts from an empty catalog in memory unless a database is named.
        dataDir: stringOption(args, 'data-dir') ?? (demo && stringOption(args, 'db') === undefined ? MEMORY_DATA_DIR : undefined),
        authReads: flagOption(args, 'auth-reads'),
      },
      io.env,
      io.cwd,
    );
    if (!io.waitForStop) throw new UsageError('mesh serve runs until it is stopped, and needs a process that can be stopped');
    const store = await openCatalogStore(config.database, { contractDiffer: DEFAULT_CONTRACT_DIFFER });
    let server: CatalogServer | undefined;
    let graphql: Awaited<ReturnType<typeof createGraphQLHandler>> | undefined;
    try {
      const log = (line: string) => io.stderr.write(`${line}\n`);
      server = new CatalogServer({ store, authReads: config.server.authReads, extraFacetSchemas: meshFacetSchemas(), log });
      for (const route of facetSchemaRoutes()) server.route(route);
      graphql = await createGraphQLHandler({ store, log });
      server.mount('/graphql', graphql);
      const { url, port } = await server.listen(config.server.port, config.server.host);
      const outcome = demo ? await runDemo(io, io.cwd, store, url) : undefined;
      if (args.format === 'json') {
        io.stdout.write(JSON.stringify({ url, port, graphql: `${url}/graphql`, database: store.sql.location, authReads: config.server.authReads, ...(outcome ? { demo: { seconds: outcome.seconds, products: outcome.products, run: outcome.run.totals, ports: outcome.reports.map((r) => ({ product: r.product, port: r.port, records: r.records, invalid: r.invalid, score: r.score.score, grade: r.score.grade, sla: { freshness: r.sla.freshness.status, completeness: r.sla.completeness.status, availability: r.sla.availability.status } })) } } : {}) }) + '\n');
      } else {
        io.stdout.write(`mesh catalog listening on ${url} (${store.sql.location}${config.server.authReads ? ', reads need a token' : ''})\n`);
        if (outcome) io.stdout.write(formatDemoSummary(outcome, `${url.replace('127.0.0.1', 'localhost')}/graphql`) + '\n');
      }
      const signal = await io.waitForStop();
      io.stderr.write(`mesh serve: ${signal}: finishing requests in flight\n`);
      await server.close();
      return EXIT_OK;
    } finally {
      await server?.close();
      await graphql?.stop();
      await store.close();
    }
  },
};
