import { MeshError } from '../errors.js';

export const EXIT_OK = 0;
/** Problems found, incompatible change, failed checks. */
export const EXIT_PROBLEMS = 1;
/** Usage error, unreadable input, internal failure. */
export const EXIT_FAILURE = 2;

/** The one place where errors become exit codes and messages. */
export function reportError(error: unknown, io: { stderr: { write(text: string): unknown } }, verbose: boolean): number {
  if (error instanceof MeshError) {
    io.stderr.write(`mesh: ${error.message}\n`);
    if (verbose && error.cause) io.stderr.write(`  caused by: ${String((error.cause as Error).stack ?? error.cause)}\n`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`mesh: internal error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write('  (set MESH_DEBUG=1 for a stack trace)\n');
  return EXIT_FAILURE;
}
