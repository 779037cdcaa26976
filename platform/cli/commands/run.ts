import { resolve } from 'node:path';
import { errorMessage, UsageError } from '../../errors.js';
import { createStagingAudit } from '../../pipeline/createStagingAudit.js';
import { formatRunSummary } from '../../pipeline/formatRunSummary.js';
import { lineageObserver } from '../../pipeline/lineageObserver.js';
import { runPipelines } from '../../pipeline/runPipelines.js';
import { openLineage } from '../openLineage.js';
import { hasErrors } from '../../problems/Problem.js';
import { loadRepository } from '../../repo/loadRepository.js';
import { closest } from '../../util/closest.js';
import { openWarehouse } from '../../warehouse/openWarehouse.js';
import { resolveWarehouseConfig, type WarehouseConfig } from '../../warehouse/resolveWarehouseConfig.js';
import { flagOption, stringOption, type Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { countBySeverity, formatProblemsText, plural } from '../formatProblems.js';
import { styleFor } from '../style.js';
import { requireDirectory } from './validate.js';

export const runCommand: Command = {
  name: 'run',
  summary: "Run products' pipelines into the warehouse (write, audit, publish), in dependency order.",
  usage: 'run <product-id> | --all [--dir path] [--warehouse url] [--warehouse-dir dir] [--full-refresh] [--format text|json]',
  options: {
    all: { type: 'boolean' },
    dir: { type: 'string' },
    warehouse: { type: 'string' },
    'warehouse-dir': { type: 'string' },
    'full-refresh': { type: 'boolean' },
  },
  maxPositionals: 1,
  formats: ['text', 'json'],
  async run(args, io) {
    const all = flagOption(args, 'all');
    const id = args.positionals[0];
    if (all === (id !== undefined)) throw new UsageError(`name one product, or --all\nusage: mesh ${this.usage}`);
    const root = resolve(io.cwd, stringOption(args, 'dir') ?? '.');
    await requireDirectory(root);

    // A run builds from the repository as it is: it must be valid first.
    const repository = await loadRepository(root);
    const style = styleFor(io.stdout, io.env);
    if (hasErrors(repository.problems)) {
      const errors = repository.problems.filter((p) => p.severity === 'error');
      if (args.format === 'json') io.stdout.write(JSON.stringify({ status: 'invalid', problems: errors }, null, 2) + '\n');
      else {
        io.stdout.write(formatProblemsText(errors, style));
        io.stdout.write(style.red(`the repository has ${plural(countBySeverity(errors).errors, 'error')}; nothing was run (see mesh validate)`) + '\n');
      }
      return EXIT_PROBLEMS;
    }
    if (id !== undefined && !repository.products.has(id)) {
      const hint = closest(id, [...repository.products.keys()]);
      throw new UsageError(`no product ${id} in ${root}${hint ? ` (did you mean ${hint}?)` : ''}`);
    }

    let config: WarehouseConfig;
    try {
      config = resolveWarehouseConfig({ url: stringOption(args, 'warehouse'), dataDir: stringOption(args, 'warehouse-dir'), root }, io.env);
    } catch (error) {
      throw new UsageError(errorMessage(error), { cause: error });
    }
    const { lineage, client } = openLineage(io, repository, config);
    const warehouse = await openWarehouse(config).catch(async (error: unknown) => {
      await client.close();
      throw error;
    });
    try {
      const summary = await runPipelines({
        repository,
        warehouse,
        products: all ? 'all' : [id!],
        audit: createStagingAudit(),
        fullRefresh: flagOption(args, 'full-refresh'),
        observer: lineageObserver(lineage, client),
      });
      io.stdout.write(args.format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : formatRunSummary(summary, style));
      return summary.status === 'completed' ? EXIT_OK : EXIT_PROBLEMS;
    } finally {
      await warehouse.close();
      await client.close();
    }
  },
};
