// The closed-loop HTTP load clients of the benchmarks, in plain JavaScript so that a worker thread can run them
// as they are (`loadFor` in loadClients.ts): load clients that share the server's event loop delay its answers
// by their own HTTP work, which a real load tool (wrk, autocannon, k6) never does. Types: loadDriver.d.mts.
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Runs `options.clients` keep-alive clients, each posting the next body until `nextBody` returns undefined. */
export async function drive(url, nextBody, options) {
  const { headers = {}, expected = 201, check } = options;
  let failed = 0;
  let firstFailure;
  const latencies = [];
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
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
  return { seconds, requests: latencies.length, failed, throughput: latencies.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), firstFailure };
}

function post(url, agent, headers, body) {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', (e) => resolve({ status: 0, text: e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, text: e.message }));
    req.end(body);
  });
}

// As a worker: the bodies round and round for `seconds`; an answer containing `failOn` counts as failed.
if (!isMainThread && workerData?.kind === 'loadFor') {
  const { url, bodies, seconds, clients, headers, expected, failOn } = workerData;
  const buffers = bodies.map((b) => Buffer.from(b));
  const until = performance.now() + seconds * 1000;
  let next = 0;
  const check = failOn === undefined ? undefined : (text) => (text.includes(failOn) ? text.slice(0, 300) : undefined);
  const result = await drive(url, () => (performance.now() < until ? buffers[next++ % buffers.length] : undefined), { clients, headers, expected, check });
  parentPort.postMessage(result);
}
