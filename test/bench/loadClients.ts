import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly seconds: number;
  readonly requests: number;
  readonly failed: number;
  /** Per-request latency percentiles in ms. */
  readonly p50: number;
  readonly p99: number;
  /** The first failure, to say why. */
  readonly firstFailure: string | undefined;
}

/**
 * Sends every body once, from `clients` concurrent clients with a keep-alive connection each, as fast as the
 * server answers. Bodies are prepared beforehand, so that the clients cost little CPU.
 */
export async function loadClients(url: string, bodies: readonly Buffer[], clients: number, headers: Record<string, string>, expected = 201): Promise<LoadResult> {
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const latencies = new Float64Array(bodies.length);
  const started = performance.now();
  const client = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (next < bodies.length) {
      const i = next++;
      const t = performance.now();
      const { status, text } = await post(url, agent, headers, bodies[i]!);
      latencies[i] = performance.now() - t;
      if (status !== expected) {
        failed++;
        firstFailure ??= `${status} ${text.slice(0, 300)}`;
      }
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { seconds, requests: bodies.length, failed, p50: sorted[Math.floor(sorted.length * 0.5)]!, p99: sorted[Math.floor(sorted.length * 0.99)]!, firstFailure };
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
