import { Worker } from 'node:worker_threads';
import { drive } from './loadDriver.mjs';

export interface LoadResult {
  readonly seconds: number;
  readonly requests: number;
  readonly failed: number;
  /** Requests answered per second. */
  readonly throughput: number;
  /** Per-request latency percentiles in ms. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  /** The first failure, to say why. */
  readonly firstFailure: string | undefined;
}

export interface LoadOptions {
  readonly clients: number;
  readonly headers?: Record<string, string>;
  /** The status a request must answer with (default 201). */
  readonly expected?: number;
  /** Text whose presence in an answer with the expected status still makes it a failure (a GraphQL `"errors":[`). */
  readonly failOn?: string;
}

/**
 * Sends every body once, from `clients` concurrent clients with a keep-alive connection each, as fast as the
 * server answers. Bodies are prepared beforehand, so that the clients cost little CPU.
 */
export function loadClients(url: string, bodies: readonly Buffer[], clients: number, headers: Record<string, string>, expected = 201): Promise<LoadResult> {
  let next = 0;
  return drive(url, () => (next < bodies.length ? bodies[next++] : undefined), { clients, headers, expected });
}

/**
 * Sends the bodies round and round for `seconds`, from `clients` concurrent keep-alive clients: a load test of
 * fixed duration, whatever the speed of the server. The clients run in a worker thread, with an event loop of
 * their own, as a separate load tool would: in the server's event loop their HTTP work would delay its answers.
 */
export function loadFor(url: string, bodies: readonly Buffer[], seconds: number, options: LoadOptions): Promise<LoadResult> {
  const worker = new Worker(new URL('./loadDriver.mjs', import.meta.url), {
    workerData: { kind: 'loadFor', url, bodies: bodies.map((b) => new Uint8Array(b)), seconds, clients: options.clients, headers: options.headers ?? {}, expected: options.expected ?? 201, failOn: options.failOn },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load worker exited (${code}) before it reported`)));
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
