import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON, or `undefined`. */
  readonly json: any;
}

/** One request with `node:http`, a fresh connection each time (no agent), the body sent whole. */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs JSON with a bearer token. */
export function postJson(url: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return send(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/**
 * Streams a large body in 64 KiB chunks, honouring back-pressure, and stops as soon as the response arrives.
 * Returns the response and how many bytes had been written by then, to show that the server answered without
 * reading the whole body. With `declare`, sends that Content-Length up front; otherwise chunked.
 */
export function streamLarge(url: string, total: number, headers: Record<string, string>, declare: boolean): Promise<{ result: HttpResult; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, ...(declare ? { 'Content-Length': String(total) } : {}) }, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ result: { status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text) }, written });
        req.destroy();
      });
    });
    // Writes after the server closed its side fail with EPIPE or ECONNRESET: expected here.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && written >= total) req.end();
    };
    pump();
  });
}
