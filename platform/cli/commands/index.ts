import type { Command } from '../Command.js';
import { lineageCommand } from './lineage.js';
import { runCommand } from './run.js';
import { testCommand } from './test.js';
import { typesCommand } from './types.js';
import { validateCommand } from './validate.js';

/** Every `mesh` command, in the order `mesh --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, typesCommand, runCommand, testCommand, lineageCommand];
