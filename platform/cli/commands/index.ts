import type { Command } from '../Command.js';

/**
 * A `mesh` command known by name and loaded when run: each command's module imports what it needs (PGlite,
 * `pg`, Apollo, the warehouse and lineage clients), and `mesh validate` must not pay for the others' at start-up.
 */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
}

/** Every `mesh` command, in the order `mesh --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'types', load: async () => (await import('./types.js')).typesCommand },
  { name: 'diff', load: async () => (await import('./diff.js')).diffCommand },
  { name: 'check', load: async () => (await import('./check.js')).checkCommand },
  { name: 'run', load: async () => (await import('./run.js')).runCommand },
  { name: 'test', load: async () => (await import('./test.js')).testCommand },
  {
    name: 'publish',
    load: async () => {
      const [{ createPublishCommand }, { publishLineage }] = await Promise.all([import('./publish.js'), import('../publishLineage.js')]);
      return createPublishCommand([publishLineage]);
    },
  },
  { name: 'serve', load: async () => (await import('./serve.js')).serveCommand },
  { name: 'token', load: async () => (await import('./token.js')).tokenCommand },
  { name: 'lineage', load: async () => (await import('./lineage.js')).lineageCommand },
];

