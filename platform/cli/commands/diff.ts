import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../errors.js';
import { COMPATIBILITY_MODES, POLICIES, diffContracts, type Change, type CompatibilityMode, type Policy } from '../../compat/diffContracts.js';
import { loadRevision } from '../../compat/loadRevision.js';
import { renderDiffMarkdown, renderDiffText, type Locate } from '../../compat/renderChanges.js';
import { stringOption, type Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { styleFor } from '../style.js';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two contracts by the values they accept; exit 1 when the change breaks the mode.',
  usage: 'diff <old.json> <new.json> [--mode backward|forward|full] [--policy strict|lenient] [--format text|json|markdown]',
  options: { mode: { type: 'string' }, policy: { type: 'string' } },
  maxPositionals: 2,
  formats: ['text', 'json', 'markdown'],
  async run(args, io) {
    const [oldPath, newPath] = args.positionals;
    if (oldPath === undefined || newPath === undefined) throw new UsageError(`two contract files are needed\nusage: mesh ${this.usage}`);
    const mode = choice(stringOption(args, 'mode') ?? 'forward', COMPATIBILITY_MODES, '--mode') as CompatibilityMode;
    const policy = choice(stringOption(args, 'policy') ?? 'strict', POLICIES, '--policy') as Policy;
    const display = (uri: string) => relative(io.cwd, fileURLToPath(uri)) || uri;
    // Each file's `$ref`s resolve against its own neighbours: old against old's, new against new's.
    const before = await loadRevision(resolve(io.cwd, oldPath), oldPath);
    const after = await loadRevision(resolve(io.cwd, newPath), newPath);
    const result = diffContracts(before, after, { mode, policy, fileName: (uri) => (uri.startsWith('file:') ? display(uri) : uri) });

    const locate: Locate = (change: Change) =>
      change.file === undefined ? { file: oldPath, position: before.document.position(change.pointer) } : { file: change.file, position: undefined };
    if (args.format === 'json') {
      io.stdout.write(JSON.stringify({ compatible: result.compatible, mode: result.mode, policy: result.policy, changes: result.changes }, null, 2) + '\n');
    } else if (args.format === 'markdown') {
      io.stdout.write(renderDiffMarkdown(result, oldPath, newPath, locate));
    } else {
      io.stdout.write(renderDiffText(result, `${oldPath} → ${newPath}`, locate, styleFor(io.stdout, io.env)));
    }
    return result.compatible ? EXIT_OK : EXIT_PROBLEMS;
  },
};

function choice(value: string, allowed: readonly string[], flag: string): string {
  if (!allowed.includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  return value;
}
