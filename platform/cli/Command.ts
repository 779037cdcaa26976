import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './CliIo.js';

export type OutputFormat = 'text' | 'json' | 'markdown' | 'github';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
  readonly format: OutputFormat;
}

/** One `mesh` sub-command. `run` returns the exit code: 0 ok, 1 problems found, 2 usage or internal failure. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line(s) after `mesh `, e.g. `validate [dir] [--format text|json]`. */
  readonly usage: string;
  readonly options: OptionSpec;
  /** Most positional arguments accepted. */
  readonly maxPositionals: number;
  /** Output formats accepted by `--format`; the first is the default. */
  readonly formats: readonly OutputFormat[];
  /** Commands grouped under this one (`mesh token create`). */
  readonly subcommands?: readonly Command[];
  run(args: CommandArgs, io: CliIo): Promise<number>;
}

export function stringOption(args: CommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flagOption(args: CommandArgs, name: string): boolean {
  return args.values[name] === true;
}
