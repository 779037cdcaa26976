import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../platform/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mesh` in process (fast), with the given working directory and environment. */
export async function runCli(argv: readonly string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd: options.cwd,
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL('../../dist/platform/cli/bin.js', import.meta.url));

/** Runs the built `mesh` binary in a child process (what users run; needs `npm run build` first). */
export function runBin(argv: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], { cwd: options.cwd, env: options.env ?? { PATH: process.env['PATH'] }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
