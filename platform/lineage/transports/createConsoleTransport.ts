import type { Transport } from './Transport.js';

export interface ConsoleTransportOptions {
  /** Where each event is written as one JSON line. */
  readonly stream: { write(text: string): unknown };
}

/**
 * Writes each event as one JSON line. The default when nothing is configured; the CLI hands it standard
 * error, so that lineage never mixes with a command's own output on standard output.
 */
export function createConsoleTransport(options: ConsoleTransportOptions): Transport {
  return {
    kind: 'console',
    async emit(event, json = JSON.stringify(event)) {
      options.stream.write(json + '\n');
    },
  };
}
