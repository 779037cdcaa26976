#!/usr/bin/env node
import { main } from './main.js';

let stop: Promise<string> | undefined;
const waitForStop = () =>
  (stop ??= new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  }));

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  waitForStop,
});
