import { MeshError, errorMessage } from '../../errors.js';
import { EMPTY_FLUSH, addFlushReports, type FlushReport, type Transport } from './Transport.js';

export interface CompositeTransportOptions {
  readonly transports: readonly Transport[];
  /**
   * When one transport fails, still give the event to the others (default true, as in the official
   * clients). The failure is reported either way: `emit` rejects once every transport has had its turn.
   */
  readonly continueOnFailure?: boolean;
}

/** One event to several transports, in order. */
export function createCompositeTransport(options: CompositeTransportOptions): Transport {
  const continueOnFailure = options.continueOnFailure ?? true;
  const children = options.transports;
  return {
    kind: 'composite',
    async emit(event, json = JSON.stringify(event)) {
      const failures: { kind: string; error: unknown }[] = [];
      for (const child of children) {
        try {
          await child.emit(event, json);
        } catch (error) {
          if (!continueOnFailure) throw error;
          failures.push({ kind: child.kind, error });
        }
      }
      if (failures.length === 1) throw failures[0]!.error;
      if (failures.length > 1) {
        const detail = failures.map((f) => `${f.kind}: ${errorMessage(f.error)}`).join('; ');
        throw new MeshError((failures[0]!.error as MeshError).code ?? 'INTERNAL', `${failures.length} transports failed: ${detail}`, { cause: failures[0]!.error });
      }
    },
    async flush(): Promise<FlushReport> {
      let report = EMPTY_FLUSH;
      for (const child of children) if (child.flush) report = addFlushReports(report, await child.flush());
      return report;
    },
    async close() {
      const errors: unknown[] = [];
      for (const child of children) {
        try {
          await child.close?.();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw errors[0];
    },
  };
}
