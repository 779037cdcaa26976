import { spawn } from 'node:child_process';

/**
 * The V8 flags `mesh serve` runs with. A young generation of 64 MiB semi-spaces (V8's default here: 16 MiB): a
 * server answering a thousand GraphQL requests a second allocates faster than a small young generation turns
 * over, so objects of requests still in flight get copied and promoted, and the old generation (hundreds of MB of
 * read models) is collected more often. Measured on the GraphQL benchmark (same code, 15 s each): pauses in all
 * fell from 115-122 to 57-77 ms a second for search, lineage and impact, while they answered more requests.
 * V8 sizes its heap when the process starts (`v8.setFlagsFromString` later has no effect on it), so the flags are
 * given on the command line of a process of their own (`relaunchWithServeFlags`).
 */
export const SERVE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** Set in the relaunched process, so that it does not relaunch itself. */
const RELAUNCHED = 'MESH_SERVE_RELAUNCHED';

/**
 * Whether this process should run `mesh serve` again with `SERVE_V8_FLAGS`: the command is `serve`, it is not the
 * relaunched process already, and nobody chose a semi-space size (node flags or `NODE_OPTIONS`).
 */
export function needsServeFlags(args: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  if (args[0] !== 'serve' || env[RELAUNCHED] === '1') return false;
  const chosen = (flag: string) => flag.startsWith('--max-semi-space-size') || flag.startsWith('--semi-space');
  return !execArgv.some(chosen) && !(env['NODE_OPTIONS'] ?? '').split(/\s+/).some(chosen);
}

/**
 * Runs this command again in a child process with `SERVE_V8_FLAGS`, the same arguments, environment and standard
 * streams, and resolves with its exit code. The child is a process group of its own, so that a Ctrl-C in a
 * terminal reaches it once, through this process, which passes on SIGINT, SIGTERM and SIGHUP: `mesh serve` then
 * finishes its requests in flight as when it runs alone. If this process dies without passing on a signal, the
 * child sees its IPC channel close and stops the same way (`stopWhenOrphaned`).
 */
export function relaunchWithServeFlags(script: string, args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...SERVE_V8_FLAGS, script, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAUNCHED]: '1' },
    detached: true,
  });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolve(code ?? (signal === null ? 1 : 128 + (SIGNAL_NUMBERS[signal] ?? 0)));
    });
  });
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** In the relaunched process: stop as on SIGTERM when the launching process is gone (its IPC channel closed). */
export function stopWhenOrphaned(stop: () => void): void {
  if (process.env[RELAUNCHED] !== '1' || !process.connected) return;
  process.once('disconnect', stop);
  // The channel must not keep the process alive once the server has stopped.
  process.channel?.unref();
}
