import { randomUUID } from 'node:crypto';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import type { CatalogChange } from './CatalogStore.js';

/** The PostgreSQL notification channel on which every store tells the others what it committed. */
export const CHANGES_CHANNEL = 'mesh_catalog_changes';

/** Largest payload sent as it is (PostgreSQL's limit is 8,000 bytes); a larger change is sent as `unknown`. */
const MAX_PAYLOAD_BYTES = 7_000;

/**
 * Tells other processes on the same PostgreSQL database what this process's store committed, and hears what
 * theirs did: `NOTIFY` on `CHANGES_CHANNEL` after each committed write (PostgreSQL delivers a notification only
 * once its transaction commits, and it is sent after the write's own, so it never holds the write's commit),
 * `LISTEN` on a connection of its own while someone listens to the store's changes. Each notifier has an origin
 * of its own, so that a process ignores what it sent itself (it announced that already, synchronously).
 *
 * Lineage writes come by the hundred a second: their notifications are coalesced, one at most every
 * `coalesceMs`, the last one always sent. A change too large for a notification (a publish of thousands of
 * products naming them all) goes as `unknown`: everything may have changed. A lost listening connection is
 * opened again, and the listeners get `unknown` then too, for what may have been missed. Without a `listen`
 * (PGlite, owned by one process) there is nobody else to tell, and nothing is sent.
 */
export class ChangeNotifier {
  readonly origin = randomUUID();
  private lineageTimer: NodeJS.Timeout | undefined;
  private lastLineage = Number.NEGATIVE_INFINITY;
  private readonly inFlight = new Set<Promise<void>>();
  private listening: Promise<(() => Promise<void>) | undefined> | undefined;

  constructor(
    private readonly sql: SqlClient,
    private readonly coalesceMs = 200,
  ) {}

  /** Whether other processes can write to this database, and so hear and be heard. */
  get shared(): boolean {
    return this.sql.listen !== undefined;
  }

  /** Sends a committed change to the other processes; resolves once sent (coalesced lineage: once scheduled). A failure to send is not the write's. */
  announce(change: CatalogChange): Promise<void> {
    if (!this.shared) return Promise.resolve();
    if (change.kind !== 'lineage') return this.send(change);
    if (this.lineageTimer) return Promise.resolve();
    const wait = this.lastLineage + this.coalesceMs - performance.now();
    if (wait <= 0) {
      this.lastLineage = performance.now();
      return this.send(change);
    }
    this.lineageTimer = setTimeout(() => {
      this.lineageTimer = undefined;
      this.lastLineage = performance.now();
      void this.send(change);
    }, wait);
    return Promise.resolve();
  }

  /** Starts hearing the other processes' changes (once); `hear` gets each of them, never this notifier's own. */
  listen(hear: (change: CatalogChange) => void): Promise<boolean> {
    if (!this.sql.listen) return Promise.resolve(false);
    this.listening ??= this.sql
      .listen(CHANGES_CHANNEL, {
        message: (payload) => {
          const change = this.decode(payload);
          if (change) hear(change);
        },
        reset: () => hear({ kind: 'unknown' }),
      })
      .catch(() => undefined);
    return this.listening.then((stop) => stop !== undefined);
  }

  /** Stops listening, and sends what is still to send. */
  async close(): Promise<void> {
    if (this.lineageTimer) {
      clearTimeout(this.lineageTimer);
      this.lineageTimer = undefined;
      void this.send({ kind: 'lineage' });
    }
    const stop = await this.listening;
    this.listening = undefined;
    await Promise.all([stop?.(), ...this.inFlight]);
  }

  /** The change a payload carries, unless this notifier sent it or it is not one of ours. */
  decode(payload: string): CatalogChange | undefined {
    let message: { o?: unknown; c?: { kind?: unknown; products?: unknown; contracts?: unknown; upstreams?: unknown } };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return undefined;
    }
    if (message === null || typeof message !== 'object' || message.o === this.origin) return undefined;
    const change = message.c;
    const names = (value: unknown): value is string[] => Array.isArray(value) && value.every((p) => typeof p === 'string');
    switch (change?.kind) {
      case 'lineage':
      case 'unknown':
        return { kind: change.kind };
      case 'publish':
        return names(change.products) && names(change.contracts) && names(change.upstreams)
          ? { kind: 'publish', products: change.products, contracts: change.contracts, upstreams: change.upstreams }
          : { kind: 'unknown' };
      case 'quality':
      case 'sla':
        return names(change.products) ? { kind: change.kind, products: change.products } : { kind: 'unknown' };
      default:
        return undefined;
    }
  }

  private send(change: CatalogChange): Promise<void> {
    let payload = JSON.stringify({ o: this.origin, c: change });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) payload = JSON.stringify({ o: this.origin, c: { kind: 'unknown' } });
    const sent = this.sql
      .query('select pg_notify($1, $2)', [CHANGES_CHANNEL, payload], { name: 'mesh_notify_change' })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
    return sent;
  }
}
