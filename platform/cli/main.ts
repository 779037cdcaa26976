import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { CliIo } from './CliIo.js';
import type { Command, OutputFormat } from './Command.js';
import { COMMANDS, type CommandEntry } from './commands/index.js';
import { EXIT_FAILURE, EXIT_OK, reportError } from './exitCodes.js';

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'markdown', 'github'];

/**
 * Runs `mesh` with `argv` (without the node and script paths) and returns the exit code. Every error ends
 * here and is mapped once: usage and input errors to 2 with a message, never a stack trace (unless MESH_DEBUG).
 */
export async function main(argv: readonly string[], io: CliIo, commands: readonly (CommandEntry | Command)[] = COMMANDS): Promise<number> {
  const verbose = io.env['MESH_DEBUG'] !== undefined && io.env['MESH_DEBUG'] !== '' && io.env['MESH_DEBUG'] !== '0';
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(helpText(await Promise.all(commands.map(loadCommand))));
      return name === undefined ? EXIT_FAILURE : EXIT_OK;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    }
    const entry = commands.find((c) => c.name === name);
    if (!entry) throw new UsageError(`unknown command "${name}"; run mesh --help`);
    const command = await loadCommand(entry);
    return await runCommand(command, rest, io, `mesh ${command.name}`);
  } catch (error) {
    return reportError(error, io, verbose);
  }
}

/** Commands are loaded by name, or handed in whole (tests). */
function loadCommand(entry: CommandEntry | Command): Promise<Command> {
  return 'load' in entry ? entry.load() : Promise.resolve(entry);
}

async function runCommand(command: Command, argv: readonly string[], io: CliIo, path: string): Promise<number> {
  if (command.subcommands) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout.write(`${command.summary}\n\n${command.subcommands.map((s) => `  ${path} ${s.usage}\n      ${s.summary}\n`).join('')}`);
      return sub === undefined ? EXIT_FAILURE : EXIT_OK;
    }
    const chosen = command.subcommands.find((s) => s.name === sub);
    if (!chosen) throw new UsageError(`unknown command "${path} ${sub}"; run ${path} --help`);
    return runCommand(chosen, rest, io, `${path} ${chosen.name}`);
  }
  // A sub-command's usage starts at its own name (`flush ...` under `mesh lineage`), as the group's help lists it.
  const usage = `${path.slice(0, path.lastIndexOf(' '))} ${command.usage}`;
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`usage: ${usage}\n\n${command.summary}\n`);
    return EXIT_OK;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...command.options, format: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
  if (parsed.positionals.length > command.maxPositionals) {
    throw new UsageError(`too many arguments: ${parsed.positionals.slice(command.maxPositionals).join(' ')}\nusage: ${usage}`);
  }
  const requested = parsed.values['format'];
  const format = (requested ?? command.formats[0]) as OutputFormat;
  if (typeof format !== 'string' || !FORMATS.includes(format) || !command.formats.includes(format)) {
    throw new UsageError(`--format must be one of ${command.formats.join(', ')}`);
  }
  return command.run({ values: parsed.values, positionals: parsed.positionals, format }, io);
}

function helpText(commands: readonly Command[]): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `mesh ${version()}: data products, contracts, lineage and a catalog for a data mesh

usage: mesh <command> [options]

commands:
${lines.join('\n')}

Every command takes --format text|json; exit codes: 0 ok, 1 problems found, 2 usage or internal error.
Run mesh <command> --help for its options.
`;
}

function version(): string {
  const require = createRequire(import.meta.url);
  for (const path of ['../../../package.json', '../../package.json']) {
    try {
      return (require(path) as { version: string }).version;
    } catch {
      // try the next layout (source vs dist)
    }
  }
  return 'unknown';
}
