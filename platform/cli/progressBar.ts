import type { CliIo } from './CliIo.js';

/** Redraws at most this often. */
const INTERVAL_MS = 100;
const WIDTH = 24;

/** A one-line progress display on a terminal. */
export interface ProgressBar {
  /** Shows `label` with `done` of `total` (a bar when the total is known, a count otherwise). */
  update(label: string, done: number, total: number | undefined, unit: 'bytes' | 'rows' | 'steps'): void;
  /** Clears the line. */
  done(): void;
}

/**
 * A progress bar on stderr when it is a terminal; nothing otherwise (CI logs, pipes, tests), so that output
 * that is not a TTY never carries carriage returns.
 */
export function progressBarFor(stream: CliIo['stderr'], env: CliIo['env']): ProgressBar {
  if (stream.isTTY !== true || env['TERM'] === 'dumb') return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(label, done, total, unit) {
      const now = Date.now();
      if (now - last < INTERVAL_MS && !(total !== undefined && done >= total)) return;
      last = now;
      shown = true;
      const amount = total !== undefined ? `${format(done, unit)}/${format(total, unit)}` : format(done, unit);
      const bar = total !== undefined && total > 0 ? `[${'#'.repeat(Math.round((WIDTH * Math.min(done, total)) / total)).padEnd(WIDTH, '.')}] ${Math.floor((100 * Math.min(done, total)) / total)}% ` : '';
      stream.write(`\r\u001b[2K${label} ${bar}${amount}`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}

function format(n: number, unit: 'bytes' | 'rows' | 'steps'): string {
  if (unit !== 'bytes') return unit === 'rows' ? `${n.toLocaleString('en-US')} rows` : String(n);
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(0)} KiB`;
}
