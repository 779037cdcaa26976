#!/usr/bin/env node
import { needsServeFlags, relaunchWithServeFlags, stopWhenOrphaned } from './serveFlags.js';

const args = process.argv.slice(2);

if (needsServeFlags(args, process.execArgv, process.env)) {
  // `mesh serve` runs in a process of its own with the V8 flags it is measured with (serveFlags.ts); this one
  // loads nothing else, so that it forwards signals from its first moments.
  process.exitCode = await relaunchWithServeFlags(process.argv[1]!, args);
} else {
  // Relaunched by the above: the launcher gone, stop as if it had passed on SIGTERM.
  stopWhenOrphaned(() => process.kill(process.pid, 'SIGTERM'));
  let stop: Promise<string> | undefined;
  const waitForStop = () =>
    (stop ??= new Promise<string>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
    }));

  const { main } = await import('./main.js');
  process.exitCode = await main(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    waitForStop,
  });
}
