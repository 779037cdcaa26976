import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotFoundError, TransientError, UsageError } from '../../platform/errors.js';
import { EventChecker } from '../ingest/checkEvent.js';
import { LineageIngestor } from '../ingest/LineageIngestor.js';
import { LineageWriter, type LineageWriterOptions } from '../ingest/LineageWriter.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import type { TokenPrincipal } from '../store/tokens.js';
import { Authenticator, type Access } from './Authenticator.js';
import { MethodError, sendError, sendJson, statusFor } from './httpErrors.js';
import { parseJsonBody, readBody, requireJson } from './readBody.js';
import { catalogRoutes } from './catalogRoutes.js';

/** Body size limits per kind of endpoint, in bytes. */
export interface BodyLimits {
  /** One OpenLineage event (default 8 MiB). */
  readonly event: number;
  /** A batch of events (default 32 MiB). */
  readonly batch: number;
  /** A publication (default 64 MiB). */
  readonly publish: number;
  /** Anything else (default 1 MiB). */
  readonly other: number;
}

/** Why a server could not listen, in the words of its flags. */
const LISTEN_FAILURES: Readonly<Record<string, (port: number, host: string) => string>> = {
  EADDRINUSE: (port, host) => `port ${port} on ${host} is in use; choose another with --port`,
  EACCES: (port) => `port ${port} needs privileges; choose one above 1023 with --port`,
  EADDRNOTAVAIL: (_port, host) => `${host} is not an address of this machine; see --host`,
  ENOTFOUND: (_port, host) => `host ${host} is unknown; see --host`,
};

export const DEFAULT_BODY_LIMITS: BodyLimits = { event: 8 << 20, batch: 32 << 20, publish: 64 << 20, other: 1 << 20 };

/** What a route handler gets. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  /** The authenticated caller, when the request carried a token. */
  readonly principal: TokenPrincipal | undefined;
  /** Reads and parses the JSON body within `limit` bytes (400, 413, 415 as due). */
  readJson(limit: number): Promise<unknown>;
}

/** A JSON endpoint: the server authenticates, calls `handle`, and sends what it returns (or the error it throws). */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly access: Access;
  handle(context: RequestContext): Promise<{ status: number; body: unknown }>;
}

/**
 * A handler that owns a path prefix and writes its own response: Apollo Server at `/graphql`, the data-product
 * facet schema. The server authenticates (per `access`), counts it as in flight for graceful shutdown, and
 * maps what it throws before responding.
 */
export interface MountedHandler {
  readonly access: Access;
  handle(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void>;
  /** Answers an error the server caught (authentication included) in the handler's own format; JSON otherwise. */
  sendError?(res: ServerResponse, error: unknown): void;
}

export interface CatalogServerOptions {
  readonly store: CatalogStore;
  /** Reads need a token too (`--auth-reads`). */
  readonly authReads?: boolean;
  readonly limits?: Partial<BodyLimits>;
  /** Facet schemas beyond the OpenLineage standard ones (mesh's own data-product facet). */
  readonly extraFacetSchemas?: readonly object[];
  readonly writer?: LineageWriterOptions;
  /** Token lookups are cached this long, in ms (default 10 s). */
  readonly tokenCacheMs?: number;
  /** Where the server reports internal errors (default: nowhere). */
  readonly log?: (line: string) => void;
}

/**
 * The catalog's HTTP server on `node:http`: JSON routes (`/healthz`, OpenLineage ingestion, publishing) and
 * mounted handlers, bearer-token authentication, body limits, JSON errors, and a graceful `close()` that stops
 * accepting, lets requests in flight finish and their writes commit.
 */
export class CatalogServer {
  readonly http: Server;
  readonly writer: LineageWriter;
  readonly ingestor: LineageIngestor;
  readonly auth: Authenticator;
  readonly limits: BodyLimits;
  private readonly routes = new Map<string, Route>();
  private readonly mounts: { prefix: string; handler: MountedHandler }[] = [];
  private inFlight = 0;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(private readonly options: CatalogServerOptions) {
    this.limits = { ...DEFAULT_BODY_LIMITS, ...options.limits };
    // On PostgreSQL, two writes in flight: one executes while the other waits for its commit's WAL flush, and
    // the server parses the next requests meanwhile. Measured on two cores with the COPY path and the known-rows
    // memory, 8 clients: +17% one event per request, +28% in batches of 500, for about the same CPU per event
    // (with the heavier single-statement path, one at a time had been faster). PGlite runs one statement at a time.
    const concurrency = options.writer?.concurrency ?? (options.store.sql.kind === 'postgres' ? 2 : 1);
    this.writer = new LineageWriter(options.store, { ...options.writer, concurrency });
    this.ingestor = new LineageIngestor(EventChecker.create(options.extraFacetSchemas), this.writer);
    this.auth = new Authenticator(options.store, { authReads: options.authReads ?? false, ...(options.tokenCacheMs === undefined ? {} : { cacheMs: options.tokenCacheMs }) });
    this.http = createServer({ requestTimeout: 120_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, (req, res) => void this.dispatch(req, res));
    for (const route of catalogRoutes(this, options.store)) this.route(route);
  }

  get store(): CatalogStore {
    return this.options.store;
  }

  /** Adds a JSON route. */
  route(route: Route): void {
    this.routes.set(`${route.method} ${route.path}`, route);
  }

  /** Gives every path under `prefix` (e.g. `/graphql`) to a handler. */
  mount(prefix: string, handler: MountedHandler): void {
    this.mounts.push({ prefix: prefix.replace(/\/+$/, ''), handler });
  }

  /** Starts listening; resolves with the URL (port 0 picks a free port). */
  listen(port: number, host: string): Promise<{ url: string; port: number }> {
    return new Promise((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) => {
        const reason = LISTEN_FAILURES[error.code ?? '']?.(port, host);
        reject(reason === undefined ? error : new UsageError(reason, { cause: error }));
      };
      this.http.once('error', failed);
      this.http.listen(port, host, () => {
        this.http.off('error', failed);
        const address = this.http.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({ url: `http://${shownHost}:${address.port}`, port: address.port });
      });
    });
  }

  /**
   * Graceful shutdown: stops accepting connections, answers requests that arrive on open connections with 503,
   * waits for requests in flight (and so for their writes to commit), then closes every connection. After
   * `timeoutMs` the remaining connections are cut. The store is the caller's to close.
   */
  close(timeoutMs = 15_000): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      this.http.closeIdleConnections();
      const drained = this.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.drained = resolve));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([drained.then(() => this.writer.idle()), timeout]);
      this.http.closeAllConnections();
      await Promise.race([closed, timeout]);
      clearTimeout(timer);
    })();
    return this.closing;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    let mounted: { prefix: string; handler: MountedHandler } | undefined;
    try {
      if (this.closing) {
        res.setHeader('Connection', 'close');
        throw new TransientError('the catalog is shutting down; retry on another instance or after restart');
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      mounted = this.mounts.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
      if (mounted) {
        const context = await this.context(req, url, mounted.handler.access);
        await mounted.handler.handle(req, res, context);
        return;
      }
      const route = this.routes.get(`${req.method} ${url.pathname}`);
      if (!route) {
        const allow = [...this.routes.values()].filter((r) => r.path === url.pathname).map((r) => r.method);
        if (allow.length > 0) throw new MethodError(`${req.method} is not served at ${url.pathname}; use ${allow.join(' or ')}`, allow);
        throw new NotFoundError(`no endpoint at ${url.pathname}`);
      }
      const context = await this.context(req, url, route.access);
      const { status, body } = await route.handle(context);
      sendJson(res, status, body);
    } catch (error) {
      if (statusFor(error) === 500) this.options.log?.(`internal error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
      if (mounted?.handler.sendError && !res.headersSent) mounted.handler.sendError(res, error);
      else sendError(res, error);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  private async context(req: IncomingMessage, url: URL, access: Access): Promise<RequestContext> {
    const principal = await this.auth.authorize(req, access);
    return {
      req,
      url,
      principal,
      async readJson(limit) {
        requireJson(req);
        return parseJsonBody(await readBody(req, limit));
      },
    };
  }
}
