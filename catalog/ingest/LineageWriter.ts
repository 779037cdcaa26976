import { TransientError } from '../../platform/errors.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import { KnownLineage } from './KnownLineage.js';
import { IngestBatch, type EventOutcome, type IngestRequest } from './IngestBatch.js';

export interface LineageWriterOptions {
  /** Most events written by one statement (default 2,000). A request is never split. */
  readonly maxBatchEvents?: number;
  /**
   * Writes in flight at once (default 1; `CatalogServer` uses 2 on PostgreSQL). More lets a PostgreSQL server
   * overlap the commits (each waits for its WAL flush) of several batches; PGlite runs one statement at a time.
   */
  readonly concurrency?: number;
  /** Most events waiting; beyond, new requests are refused with a retryable error (default 100,000). */
  readonly maxQueuedEvents?: number;
}

interface Pending {
  readonly request: IngestRequest;
  readonly resolve: (outcomes: EventOutcome[]) => void;
  readonly reject: (error: unknown) => void;
  /** Written in a statement of its own: set after a shared statement failed, to find the request at fault. */
  readonly alone: boolean;
}

/**
 * Group commit for ingestion. Requests wait in a queue while a statement is in flight; the next statement takes
 * all that waited (up to `maxBatchEvents`), so a busy server writes many requests per round trip while an idle
 * one writes each at once. A request's promise settles only after the statement holding it has committed:
 * every acknowledged event is durable. When a shared statement fails, its requests are written again one by one,
 * so that one request's failure (a constraint, a trigger) never fails the others.
 */
export class LineageWriter {
  private readonly queue: Pending[] = [];
  private queuedEvents = 0;
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly maxBatchEvents: number;
  private readonly concurrency: number;
  private readonly maxQueuedEvents: number;
  /** Lineage rows known to be stored, so that repeated jobs, datasets, fields and edges are not sent again. */
  readonly known = new KnownLineage();

  constructor(
    private readonly store: Pick<CatalogStore, 'ingestLineage'>,
    options: LineageWriterOptions = {},
  ) {
    this.maxBatchEvents = options.maxBatchEvents ?? 2_000;
    this.concurrency = options.concurrency ?? 1;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 100_000;
  }

  /** Writes a request's events together; resolves, once committed, with what became of each. */
  write(request: IngestRequest): Promise<EventOutcome[]> {
    if (request.events.length === 0) return Promise.resolve([]);
    if (this.queuedEvents > 0 && this.queuedEvents + request.events.length > this.maxQueuedEvents) {
      return Promise.reject(new TransientError(`the catalog is behind on writing lineage (${this.queuedEvents} events waiting); retry shortly`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject, alone: false });
      this.queuedEvents += request.events.length;
      this.pump();
    });
  }

  /** Resolves when nothing waits and nothing is in flight (graceful shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const taken: Pending[] = [];
      let events = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0]!;
        if (taken.length > 0 && (next.alone || events + next.request.events.length > this.maxBatchEvents)) break;
        this.queue.shift();
        taken.push(next);
        events += next.request.events.length;
        if (next.alone) break;
      }
      this.queuedEvents -= events;
      this.inFlight++;
      void this.flush(taken).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.queue.length === 0 && this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
  }

  private async flush(taken: readonly Pending[]): Promise<void> {
    const batch = new IngestBatch(this.known);
    for (const pending of taken) batch.add(pending.request);
    try {
      const stored = await this.store.ingestLineage(batch);
      const outcomes = batch.outcomes(stored);
      taken.forEach((pending, i) => pending.resolve(outcomes[i]!));
    } catch (error) {
      if (taken.length === 1) {
        taken[0]!.reject(error);
        return;
      }
      this.queue.unshift(...taken.map((p) => ({ ...p, alone: true })));
      for (const p of taken) this.queuedEvents += p.request.events.length;
    }
  }
}
