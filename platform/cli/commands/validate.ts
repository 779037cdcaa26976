import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { hasErrors } from '../../problems/Problem.js';
import { loadRepository } from '../../repo/loadRepository.js';
import type { CliIo } from '../CliIo.js';
import type { Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { countBySeverity, formatProblemsText, plural } from '../formatProblems.js';
import { styleFor } from '../style.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Validate every manifest and contract under a directory; report all problems.',
  usage: 'validate [dir] [--format text|json]',
  options: {},
  maxPositionals: 1,
  formats: ['text', 'json'],
  async run(args, io) {
    const root = resolve(io.cwd, args.positionals[0] ?? '.');
    await requireDirectory(root);
    const threads = threadsOption(io.env);
    const repository = await loadRepository(root, threads === undefined ? {} : { threads });
    const { problems } = repository;
    if (args.format === 'json') {
      io.stdout.write(JSON.stringify({ products: repository.manifests.length, contracts: repository.contracts.size, problems }, null, 2) + '\n');
    } else {
      const style = styleFor(io.stdout, io.env);
      io.stdout.write(formatProblemsText(problems, style));
      const { errors, warnings } = countBySeverity(problems);
      const summary = `${plural(repository.manifests.length, 'product')}, ${plural(repository.contracts.size, 'contract')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
      io.stdout.write((errors > 0 ? style.red(summary) : style.green(summary)) + '\n');
    }
    return hasErrors(problems) ? EXIT_PROBLEMS : EXIT_OK;
  },
};

/** `MESH_THREADS` from the environment, when it is a positive integer: caps the threads of a command (data files read, contracts checked). */
export function threadsOption(env: CliIo['env']): number | undefined {
  const threads = Number(env['MESH_THREADS']);
  return Number.isInteger(threads) && threads >= 1 ? threads : undefined;
}

export async function requireDirectory(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${path} is not a directory`);
}
