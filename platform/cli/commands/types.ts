import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { loadRepository } from '../../repo/loadRepository.js';
import { stringOption, type Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { formatProblemsText } from '../formatProblems.js';
import { styleFor } from '../style.js';
import { requireDirectory } from './validate.js';

export const typesCommand: Command = {
  name: 'types',
  summary: 'Generate TypeScript types for every valid contract (json-schema-to-typescript).',
  usage: 'types [dir] [--out dir] [--format text|json]',
  options: { out: { type: 'string' } },
  maxPositionals: 1,
  formats: ['text', 'json'],
  async run(args, io) {
    const root = resolve(io.cwd, args.positionals[0] ?? '.');
    await requireDirectory(root);
    const out = resolve(io.cwd, stringOption(args, 'out') ?? join(root, 'types'));
    const repository = await loadRepository(root);
    const files = repository.contracts.all().map((c) => c.file).filter((f) => repository.contracts.isCompilable(f));
    const skipped = repository.contracts.all().map((c) => c.file).filter((f) => !repository.contracts.isCompilable(f));
    // Loaded here: json-schema-to-typescript (and prettier) take half a second to import, which every other
    // command would otherwise pay at start-up.
    const { generateTypes } = await import('../../types/generateTypes.js');
    const modules = await generateTypes(repository.contracts, files);
    for (const module of modules) {
      const path = join(out, module.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, module.code);
    }
    const contractProblems = repository.problems.filter((p) => skipped.includes(p.file) && p.severity === 'error');
    if (args.format === 'json') {
      io.stdout.write(JSON.stringify({ out, modules: modules.map((m) => ({ contract: m.contract || null, path: m.path })), skipped, problems: contractProblems }, null, 2) + '\n');
    } else {
      io.stdout.write(formatProblemsText(contractProblems, styleFor(io.stdout, io.env)));
      io.stdout.write(`wrote ${modules.length - 1} modules and index.ts to ${relative(io.cwd, out) || '.'}${skipped.length ? `; skipped ${skipped.length} invalid contracts` : ''}\n`);
    }
    return skipped.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};
