import type { OpenLineageEvent } from '../OpenLineageEvent.js';

/** What a flush did: events delivered, events refused for good (kept aside), events still waiting. */
export interface FlushReport {
  readonly delivered: number;
  readonly rejected: number;
  readonly remaining: number;
}

export const EMPTY_FLUSH: FlushReport = { delivered: 0, rejected: 0, remaining: 0 };

export function addFlushReports(a: FlushReport, b: FlushReport): FlushReport {
  return { delivered: a.delivered + b.delivered, rejected: a.rejected + b.rejected, remaining: a.remaining + b.remaining };
}

/**
 * Where events go. A plain object made by a factory (`createHttpTransport(options)`), composed by
 * `createCompositeTransport`. `emit` resolves once the event is delivered or safely kept for later (the http
 * transport's spool); it rejects only when the event is lost to this transport (an unwritable file, an event
 * the endpoint refuses as malformed).
 */
export interface Transport {
  /** `console`, `file`, `http`, `composite` or `noop`. */
  readonly kind: string;
  /** `json` is the event serialized once by the client, so composites do not serialize it again. */
  emit(event: OpenLineageEvent, json?: string): Promise<void>;
  /** Delivers what the transport holds back (the http spool). */
  flush?(): Promise<FlushReport>;
  /** Releases files and sockets; emitting after `close` is an error. */
  close?(): Promise<void>;
}

/** Where transports report what they cannot throw: a delivery that failed and was spooled, and the like. */
export type Warn = (message: string) => void;
