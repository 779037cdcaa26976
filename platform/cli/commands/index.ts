import type { Command } from '../Command.js';
import { checkCommand } from './check.js';
import { diffCommand } from './diff.js';
import { lineageCommand } from './lineage.js';
import { createPublishCommand } from './publish.js';
import { publishLineage } from '../publishLineage.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { testCommand } from './test.js';
import { tokenCommand } from './token.js';
import { typesCommand } from './types.js';
import { validateCommand } from './validate.js';

/** Every `mesh` command, in the order `mesh --help` lists them. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  typesCommand,
  diffCommand,
  checkCommand,
  runCommand,
  testCommand,
  createPublishCommand([publishLineage]),
  serveCommand,
  tokenCommand,
  lineageCommand,
];
