import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { UnreachableCaseError } from '../../util/guards.js';
import type { HttpTransportConfig, TransportConfig } from '../resolveLineageConfig.js';
import { Spool } from '../Spool.js';
import { createCompositeTransport } from './createCompositeTransport.js';
import { createConsoleTransport } from './createConsoleTransport.js';
import { createFileTransport } from './createFileTransport.js';
import { createHttpTransport, endpointUrl } from './createHttpTransport.js';
import { createNoopTransport } from './createNoopTransport.js';
import type { Transport, Warn } from './Transport.js';

type Stream = { write(text: string): unknown };

/** What transports built from configuration need from their surroundings. */
export interface TransportContext {
  /** Folder holding one spool per http endpoint. */
  readonly spoolDir: string;
  readonly stdout: Stream;
  readonly stderr: Stream;
  readonly warn?: Warn;
  /** Tuning of the http transport that configuration files do not carry (tests shorten it). */
  readonly http?: { readonly breakerMs?: number; readonly spoolCheckMs?: number; readonly jitter?: number };
}

/**
 * The spool folder of one http endpoint: `<spoolDir>/<host>_<port>-<hash of the full endpoint URL>`, so that
 * each endpoint of a composite keeps its own events, and a changed URL never sends old events elsewhere.
 */
export function spoolDirFor(spoolDir: string, http: Pick<HttpTransportConfig, 'url' | 'endpoint'>): string {
  const target = endpointUrl(http.url, http.endpoint);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const host = target.hostname.replace(/[^A-Za-z0-9.-]/g, '_');
  const hash = createHash('sha256').update(target.href).digest('hex').slice(0, 12);
  return join(spoolDir, `${host}_${port}-${hash}`);
}

export function spoolFor(spoolDir: string, http: Pick<HttpTransportConfig, 'url' | 'endpoint'>): Spool {
  return new Spool(spoolDirFor(spoolDir, http), { url: endpointUrl(http.url, http.endpoint).href });
}

/** Builds the transport a resolved configuration describes. */
export function createTransport(config: TransportConfig, context: TransportContext): Transport {
  switch (config.type) {
    case 'console':
      return createConsoleTransport({ stream: config.stream === 'stdout' ? context.stdout : context.stderr });
    case 'file':
      return createFileTransport({ path: config.path });
    case 'noop':
      return createNoopTransport();
    case 'composite':
      return createCompositeTransport({
        transports: config.transports.map((t) => createTransport(t.transport, context)),
        continueOnFailure: config.continueOnFailure,
      });
    case 'http':
      return createHttpTransport({
        url: config.url,
        endpoint: config.endpoint,
        ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}),
        ...(config.compression !== undefined ? { compression: config.compression } : {}),
        timeoutMs: config.timeoutMs,
        headers: config.headers,
        retry: { ...config.retry, ...(context.http?.jitter !== undefined ? { jitter: context.http.jitter } : {}) },
        spool: spoolFor(context.spoolDir, config),
        ...(context.http?.breakerMs !== undefined ? { breakerMs: context.http.breakerMs } : {}),
        ...(context.http?.spoolCheckMs !== undefined ? { spoolCheckMs: context.http.spoolCheckMs } : {}),
        ...(context.warn ? { warn: context.warn } : {}),
      });
    default:
      throw new UnreachableCaseError(config);
  }
}
