import { resolve } from 'node:path';
import { CatalogClient } from '../../../catalog/publish/CatalogClient.js';
import type { PublishListener } from '../../../catalog/publish/PublishListener.js';
import { publishRepository, type PublishDestination } from '../../../catalog/publish/publishRepository.js';
import { resolveCatalogConfig } from '../../../catalog/config/resolveCatalogConfig.js';
import { DEFAULT_CONTRACT_DIFFER } from '../../../catalog/publish/ContractDiffer.js';
import { InvalidContentError } from '../../../catalog/errors.js';
import { openCatalogStore } from '../../../catalog/store/openCatalogStore.js';
import type { Principal } from '../../../catalog/store/Principal.js';
import type { CatalogStore } from '../../../catalog/store/CatalogStore.js';
import { AuthenticationError, UsageError } from '../../errors.js';
import { hasErrors } from '../../problems/Problem.js';
import { loadRepository } from '../../repo/loadRepository.js';
import { stringOption, type Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { countBySeverity, formatProblemsText, plural } from '../formatProblems.js';
import { styleFor } from '../style.js';
import { requireDirectory } from './validate.js';

/** `mesh publish`, with the listeners to call after a publication (the OpenLineage emission seam). */
export function createPublishCommand(listeners: readonly PublishListener[]): Command {
  return {
    name: 'publish',
    summary: 'Publish the manifests and contracts to the catalog (a server over HTTP, or a database); unchanged products add no version.',
    usage: 'publish [dir] [--catalog <url> --token <t> | --db <url> | --data-dir <dir>] [--team <team>] [--format text|json]',
    options: {
      catalog: { type: 'string' },
      db: { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      team: { type: 'string' },
    },
    maxPositionals: 1,
    formats: ['text', 'json'],
    async run(args, io) {
      const root = resolve(io.cwd, args.positionals[0] ?? '.');
      const config = resolveCatalogConfig(
        { catalog: stringOption(args, 'catalog'), db: stringOption(args, 'db'), dataDir: stringOption(args, 'data-dir'), token: stringOption(args, 'token') },
        io.env,
        io.cwd,
      );
      await requireDirectory(root);
      const style = styleFor(io.stdout, io.env);
      const repository = await loadRepository(root);
      if (hasErrors(repository.problems)) {
        const errors = repository.problems.filter((p) => p.severity === 'error');
        if (args.format === 'json') io.stdout.write(JSON.stringify({ published: false, problems: errors }, null, 2) + '\n');
        else io.stdout.write(formatProblemsText(errors, style) + style.red(`refusing to publish: ${plural(countBySeverity(errors).errors, 'error')}; run mesh validate`) + '\n');
        return EXIT_PROBLEMS;
      }
      const team = stringOption(args, 'team');
      const options = team === undefined ? {} : { team };

      let store: CatalogStore | undefined;
      try {
        let destination: PublishDestination;
        if (config.publishTarget.kind === 'http') {
          if (config.token === undefined) throw new UsageError('publishing to a catalog server needs a token: --token <t> or MESH_TOKEN (see mesh token create)');
          destination = { kind: 'http', client: new CatalogClient(config.publishTarget.url, config.token) };
        } else {
          store = await openCatalogStore(config.database, { contractDiffer: DEFAULT_CONTRACT_DIFFER });
          let principal: Principal = { kind: 'direct', name: io.env['USER'] ?? io.env['USERNAME'] ?? 'local' };
          if (config.token !== undefined) {
            const authenticated = await store.authenticate(config.token);
            if (!authenticated) throw new AuthenticationError('the token is not valid for this catalog (unknown or revoked)');
            principal = authenticated;
          }
          destination = { kind: 'store', store, principal };
        }
        let published;
        try {
          published = await publishRepository(repository, destination, options);
        } catch (error) {
          if (!(error instanceof InvalidContentError)) throw error;
          // The catalog refused the content: report each violation as a problem would be reported.
          const lines = error.violations.map((v) => `${v.pointer}  ${style.red('error')}  ${v.message}\n`).join('');
          if (args.format === 'json') io.stdout.write(JSON.stringify({ published: false, error: error.message, violations: error.violations }, null, 2) + '\n');
          else io.stdout.write(lines + style.red(`the catalog refused the publication: ${error.message}`) + '\n');
          return EXIT_PROBLEMS;
        }
        const { outcome } = published;
        for (const listener of listeners) await listener({ repository, ...published }, io);
        if (args.format === 'json') {
          io.stdout.write(JSON.stringify({ published: true, ...outcome }, null, 2) + '\n');
        } else {
          for (const item of [...outcome.contracts, ...outcome.products]) {
            if (item.action === 'unchanged') continue;
            io.stdout.write(`${item.action === 'created' ? style.green('created') : style.yellow('updated')}  ${item.id}  ${item.version ?? ''} (revision ${item.seq})\n`);
          }
          for (const warning of outcome.warnings) io.stderr.write(`${style.yellow('warning')}: ${warning}\n`);
          const count = (action: string) => outcome.products.filter((p) => p.action === action).length;
          io.stdout.write(`${plural(outcome.products.length, 'product')}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged\n`);
        }
        return EXIT_OK;
      } finally {
        await store?.close();
      }
    },
  };
}
