import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { InputError, TransientError, UsageError, errorMessage } from '../../errors.js';
import type { SendOutcome, Spool } from '../Spool.js';
import { EMPTY_FLUSH, type FlushReport, type Transport, type Warn } from './Transport.js';

const gzip = promisify(gzipCallback);

/** How failed attempts are retried: exponential backoff, `backoffMs * 2^(n-1)` before retry n, capped. */
export interface RetryOptions {
  /** Retries after the first attempt (default 5, as the official Python client). */
  readonly total?: number;
  /** Delay before the first retry (default 300 ms). */
  readonly backoffMs?: number;
  /** Longest delay between two attempts (default 10 s); a longer `Retry-After` is cut to it. */
  readonly maxBackoffMs?: number;
  /** Share of each delay taken off at random, so that clients retrying together spread out (default 0.2). */
  readonly jitter?: number;
}

export interface HttpTransportOptions {
  /** Base URL of the OpenLineage endpoint, e.g. `http://localhost:4000`. */
  readonly url: string;
  /** Path under `url` (default `api/v1/lineage`). */
  readonly endpoint?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  readonly compression?: 'gzip';
  /** Limit for one attempt, from connecting to the end of the response (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly retry?: RetryOptions;
  /** Where events go that cannot be delivered; without a spool such an emit rejects. */
  readonly spool?: Spool;
  /**
   * After a delivery fails for good, how long emits go straight to the spool without trying the network
   * (default 5000 ms), so that a run does not wait out every retry for every event while the endpoint is down.
   */
  readonly breakerMs?: number;
  /** How often to look whether other processes spooled events, to send them along (default 1000 ms). */
  readonly spoolCheckMs?: number;
  readonly warn?: Warn;
}

export const DEFAULT_ENDPOINT = 'api/v1/lineage';
export const DEFAULT_TIMEOUT_MS = 5000;

/** Statuses worth another attempt: the request timed out, too many requests, server errors. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Statuses that refuse the event itself: sending it again cannot succeed. */
function rejectingStatus(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

interface Response {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

class AttemptTimeout extends Error {}

/** The endpoint's full URL: `url` and `endpoint` joined by exactly one slash. */
export function endpointUrl(url: string, endpoint: string = DEFAULT_ENDPOINT): URL {
  let parsed: URL;
  try {
    parsed = new URL(`${url.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`);
  } catch {
    throw new UsageError(`the OpenLineage url ${JSON.stringify(url)} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`the OpenLineage url ${url} must start with http:// or https://`);
  return parsed;
}

/**
 * POSTs each event to an OpenLineage endpoint (Marquez, the mesh catalog): `Authorization: Bearer`, optional
 * gzip, a timeout per attempt, retries with exponential backoff on 5xx, 408, 429, timeouts and network
 * errors, none on other 4xx. An event it cannot deliver goes to the spool; before it sends a new event it
 * sends what the spool holds, oldest first, so order is kept, and when it cannot, the new event is spooled
 * behind them. Events the endpoint refuses as malformed (400, 413, 422) are kept in the spool's `rejected/`
 * and `emit` rejects.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const target = endpointUrl(options.url, options.endpoint);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: 16 });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const total = options.retry?.total ?? 5;
  const backoffMs = options.retry?.backoffMs ?? 300;
  const maxBackoffMs = options.retry?.maxBackoffMs ?? 10_000;
  const jitter = Math.min(Math.max(options.retry?.jitter ?? 0.2, 0), 1);
  const breakerMs = options.breakerMs ?? 5000;
  const spoolCheckMs = options.spoolCheckMs ?? 1000;
  const spool = options.spool;
  const warn = options.warn ?? (() => undefined);
  const headers: Record<string, string> = {
    ...options.headers,
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...(options.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
  };

  let closed = false;
  let downUntil = 0;
  let warnedDown = false;
  let spoolPending: boolean | undefined;
  let spoolCheckedAt = 0;
  let draining: Promise<FlushReport> | undefined;

  function post(body: Buffer): Promise<Response> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const request = client.request(target, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < 4096) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          settle(() =>
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: response.headers['retry-after'],
              body: Buffer.concat(chunks).toString('utf8').slice(0, 1000),
            }),
          ),
        );
        response.on('error', (error) => settle(() => reject(error)));
      });
      const timer = setTimeout(() => request.destroy(new AttemptTimeout(`no response within ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (error) => settle(() => reject(error)));
      request.end(body);
    });
  }

  function delayBefore(retry: number, retryAfter: string | undefined): number {
    let delay = Math.min(maxBackoffMs, backoffMs * 2 ** (retry - 1));
    delay -= delay * jitter * Math.random();
    const asked = retryAfterMs(retryAfter);
    if (asked !== undefined) delay = Math.max(delay, Math.min(asked, maxBackoffMs));
    return delay;
  }

  /** One event, with every retry it deserves. */
  async function deliver(json: string): Promise<SendOutcome> {
    const body = options.compression === 'gzip' ? await gzip(json) : Buffer.from(json, 'utf8');
    let reason = '';
    for (let attempt = 0; attempt <= total; attempt++) {
      let retryAfter: string | undefined;
      try {
        const response = await post(body);
        if (response.status >= 200 && response.status < 300) return { kind: 'delivered' };
        reason = `${target.href} answered ${response.status}${response.body ? `: ${response.body.trim()}` : ''}`;
        if (rejectingStatus(response.status)) return { kind: 'rejected', reason };
        if (!retryableStatus(response.status)) return { kind: 'failed', reason };
        retryAfter = response.retryAfter;
      } catch (error) {
        reason = error instanceof AttemptTimeout ? `${target.href}: ${error.message}` : `${target.href}: ${errorMessage(error)}`;
      }
      if (attempt < total) await sleep(delayBefore(attempt + 1, retryAfter));
    }
    return { kind: 'failed', reason: `${reason} (after ${total + 1} attempts)` };
  }

  async function hasSpooled(): Promise<boolean> {
    if (!spool) return false;
    const now = Date.now();
    if (spoolPending === undefined || (!spoolPending && now - spoolCheckedAt >= spoolCheckMs)) {
      spoolPending = (await spool.count()) > 0;
      spoolCheckedAt = now;
    }
    return spoolPending;
  }

  function drainSpool(): Promise<FlushReport> {
    if (!spool) return Promise.resolve(EMPTY_FLUSH);
    return (draining ??= spool
      .drain(deliver)
      .then((report) => {
        spoolPending = report.remaining > 0;
        spoolCheckedAt = Date.now();
        if (report.remaining > 0) markDown();
        if (report.delivered > 0 && report.remaining === 0) warnedDown = false;
        return report;
      })
      .finally(() => {
        draining = undefined;
      }));
  }

  function markDown(): void {
    downUntil = Date.now() + breakerMs;
  }

  async function keep(json: string, reason: string): Promise<void> {
    await spool!.put(json);
    spoolPending = true;
    if (!warnedDown) {
      warnedDown = true;
      warn(`OpenLineage: could not deliver an event (${reason}); it is spooled in ${spool!.dir} and will be re-sent (mesh lineage flush)`);
    }
  }

  /** One event: spooled ones first, then this one, spooled in its turn when it cannot go. */
  async function send(json: string): Promise<void> {
    if (spool) {
      const down = Date.now() < downUntil;
      if (await hasSpooled()) {
        if (down) return keep(json, 'the endpoint was unreachable moments ago');
        const report = await drainSpool();
        if (report.remaining > 0) return keep(json, 'earlier events are still waiting');
      } else if (down) {
        return keep(json, 'the endpoint was unreachable moments ago');
      }
    }
    const outcome = await deliver(json);
    if (outcome.kind === 'delivered') return;
    if (outcome.kind === 'rejected') {
      const kept = spool ? await spool.putRejected(json, outcome.reason) : undefined;
      throw new InputError(`the OpenLineage endpoint refused an event: ${outcome.reason}${kept ? `; the event is kept in ${kept}` : ''}`);
    }
    markDown();
    if (!spool) throw new TransientError(`could not deliver an OpenLineage event: ${outcome.reason}`);
    return keep(json, outcome.reason);
  }

  const inFlight = new Set<Promise<void>>();
  return {
    kind: 'http',
    emit(event, json = JSON.stringify(event)) {
      if (closed) return Promise.reject(new UsageError('the http transport is closed'));
      const sending = send(json);
      inFlight.add(sending);
      const forget = () => inFlight.delete(sending);
      sending.then(forget, forget);
      return sending;
    },
    flush: drainSpool,
    async close() {
      closed = true;
      // Emits still under way finish (delivered or spooled) before the sockets go.
      await Promise.allSettled([...inFlight]);
      await draining;
      agent.destroy();
    },
  };
}

/** `Retry-After` as milliseconds: either seconds or an HTTP date. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
