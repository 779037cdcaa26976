import { main } from '../../platform/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mesh` in process with captured output, from `cwd`, with only the environment given. */
export async function runCli(argv: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: { PATH: process.env['PATH'], HOME: cwd, ...env },
  });
  return { code, stdout, stderr };
}
