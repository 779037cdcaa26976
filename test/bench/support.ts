import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Runs a command `runs` times and returns the median wall time in milliseconds. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Runs a baseline and a variant alternately, `runs` times each, and returns each one's median wall time in
 * milliseconds: on a shared machine whose load drifts, both then see the same load, and their ratio means more
 * than that of two series measured minutes apart.
 */
export async function pairedMedianMs(runs: number, baseline: () => Promise<unknown>, variant: () => Promise<unknown>): Promise<{ baseline: number; variant: number }> {
  const times = { baseline: [] as number[], variant: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const [key, fn] of [['baseline', baseline], ['variant', variant]] as const) {
      const start = performance.now();
      await fn();
      times[key].push(performance.now() - start);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { baseline: median(times.baseline), variant: median(times.variant) };
}

/** Runs `node` with arguments in a child process, failing loudly on a non-zero exit. */
export async function node(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const { stdout } = await exec(process.execPath, args, { maxBuffer: 256 * 1024 * 1024, cwd: options.cwd, env: options.env ?? process.env });
  return stdout;
}

/** Prints a result table row by row, so that `npm run bench` output reads as a report. */
export function report(title: string, rows: Record<string, string | number>[]): void {
  const lines = [`\n## ${title}`];
  for (const row of rows) lines.push('  ' + Object.entries(row).map(([k, v]) => `${k}: ${typeof v === 'number' ? round(v) : v}`).join(' | '));
  console.log(lines.join('\n'));
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);
}
