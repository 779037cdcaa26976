import type { Command } from '../Command.js';
import { createPublishCommand } from './publish.js';
import { serveCommand } from './serve.js';
import { tokenCommand } from './token.js';
import { typesCommand } from './types.js';
import { validateCommand } from './validate.js';

/** Every `mesh` command, in the order `mesh --help` lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, typesCommand, createPublishCommand([]), serveCommand, tokenCommand];
