import { Agent, request } from 'node:http';

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
  /** Why an answer with the expected status still failed (a GraphQL `errors` list), or `undefined`. */
  readonly check?: (text: string) => string | undefined;
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
 * fixed duration, whatever the speed of the server.
 */
export function loadFor(url: string, bodies: readonly Buffer[], seconds: number, options: LoadOptions): Promise<LoadResult> {
  const until = performance.now() + seconds * 1000;
  let next = 0;
  return drive(url, () => (performance.now() < until ? bodies[next++ % bodies.length] : undefined), options);
}

async function drive(url: string, nextBody: () => Buffer | undefined, options: LoadOptions): Promise<LoadResult> {
  const { headers = {}, expected = 201, check } = options;
  let failed = 0;
  let firstFailure: string | undefined;
  const latencies: number[] = [];
  const started = performance.now();
  const client = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let body = nextBody(); body !== undefined; body = nextBody()) {
      const t = performance.now();
      const { status, text } = await post(url, agent, headers, body);
      latencies.push(performance.now() - t);
      const failure = status !== expected ? `${status} ${text.slice(0, 300)}` : check?.(text);
      if (failure !== undefined) {
        failed++;
        firstFailure ??= failure;
      }
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
  return { seconds, requests: latencies.length, failed, throughput: latencies.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), firstFailure };
}

function post(url: string, agent: Agent, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (e) => resolve({ status: 0, text: e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, text: e.message }));
    req.end(body);
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
