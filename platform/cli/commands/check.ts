import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkPullRequest } from '../../check/checkPullRequest.js';
import { GitRepository } from '../../check/GitRepository.js';
import { renderCheckGithub, renderCheckMarkdown, renderCheckText } from '../../check/renderCheck.js';
import { resolveCheckConfig } from '../../check/resolveCheckConfig.js';
import { InputError, errorMessage } from '../../errors.js';
import { stringOption, type Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { styleFor } from '../style.js';
import { requireDirectory } from './validate.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'The pull-request check: validate, diff every changed contract against the base, enforce the version rules.',
  usage: 'check [dir] [--base <git-ref>] [--format text|json|markdown|github]',
  options: { base: { type: 'string' } },
  maxPositionals: 1,
  formats: ['text', 'json', 'markdown', 'github'],
  async run(args, io) {
    const root = resolve(io.cwd, args.positionals[0] ?? '.');
    await requireDirectory(root);
    const git = await GitRepository.open(root, io.env);
    const config = await resolveCheckConfig({ base: stringOption(args, 'base') }, io.env, git, new Date());
    const report = await checkPullRequest({ root, base: config.base, today: config.today, env: io.env, git });
    switch (args.format) {
      case 'json':
        io.stdout.write(JSON.stringify(report, null, 2) + '\n');
        break;
      case 'markdown':
        io.stdout.write(renderCheckMarkdown(report));
        break;
      case 'github':
        io.stdout.write(renderCheckGithub(report));
        if (config.stepSummary) {
          try {
            await appendFile(config.stepSummary, renderCheckMarkdown(report));
          } catch (error) {
            throw new InputError(`cannot write the step summary to ${config.stepSummary}: ${errorMessage(error)}`, { cause: error });
          }
        }
        break;
      default:
        io.stdout.write(renderCheckText(report, styleFor(io.stdout, io.env)));
    }
    return report.ok ? EXIT_OK : EXIT_PROBLEMS;
  },
};
