import { InputError, LimitError, MeshError } from '../../platform/errors.js';
import { InvalidContentError, type Violation } from '../errors.js';
import type { Principal } from '../store/Principal.js';
import type { EventChecker } from './checkEvent.js';
import type { EventOutcome } from './IngestBatch.js';
import type { NormalizedEvent } from './LineageRows.js';
import type { LineageWriter } from './LineageWriter.js';

/** Most events in one batch request. */
export const MAX_BATCH_EVENTS = 10_000;

/** The result of one event of a batch. */
export interface BatchEventResult {
  readonly index: number;
  readonly status: EventOutcome | 'invalid';
  /** The event's identity (hex sha-256 of its canonical JSON), for stored and duplicate events. */
  readonly event?: string;
  readonly error?: { readonly code: string; readonly message: string; readonly violations?: readonly Violation[] };
}

export interface BatchReport {
  readonly stored: number;
  readonly duplicates: number;
  readonly invalid: number;
  readonly results: readonly BatchEventResult[];
}

/**
 * OpenLineage ingestion as Marquez offers it, independent of HTTP: one event, or a batch whose valid events are
 * written together (all or none) while invalid ones are reported one by one.
 */
export class LineageIngestor {
  constructor(
    private readonly checker: EventChecker,
    private readonly writer: LineageWriter,
  ) {}

  /** Checks and stores one event; throws `InputError` or `InvalidContentError` for a bad one. */
  async ingestOne(value: unknown, principal: Principal): Promise<{ event: string; outcome: EventOutcome }> {
    const event = this.checker.check(value);
    const [outcome] = await this.writer.write({ principal, target: targetOf(event), events: [event] });
    return { event: event.hash, outcome: outcome! };
  }

  /** Checks every event of a batch, then stores the valid ones in one atomic write. */
  async ingestMany(values: unknown, principal: Principal): Promise<BatchReport> {
    if (!Array.isArray(values)) throw new InputError('a batch is a JSON array of OpenLineage events');
    if (values.length > MAX_BATCH_EVENTS) throw new LimitError(`a batch holds at most ${MAX_BATCH_EVENTS} events, not ${values.length}`);
    const results: BatchEventResult[] = new Array(values.length);
    const valid: { index: number; event: NormalizedEvent }[] = [];
    values.forEach((value, index) => {
      try {
        valid.push({ index, event: this.checker.check(value) });
      } catch (error) {
        if (!(error instanceof MeshError)) throw error;
        const violations = error instanceof InvalidContentError ? { violations: error.violations } : {};
        results[index] = { index, status: 'invalid', error: { code: error.code, message: error.message, ...violations } };
      }
    });
    const outcomes = await this.writer.write({ principal, target: 'batch', events: valid.map((v) => v.event) });
    valid.forEach(({ index, event }, i) => (results[index] = { index, status: outcomes[i]!, event: event.hash }));
    let stored = 0;
    let duplicates = 0;
    for (const r of results) {
      if (r.status === 'stored') stored++;
      else if (r.status === 'duplicate') duplicates++;
    }
    return { stored, duplicates, invalid: values.length - stored - duplicates, results };
  }
}

function targetOf(event: NormalizedEvent): string {
  return event.jobKey ?? event.datasetKey ?? 'lineage';
}
