import type { Transport } from './Transport.js';

/** Drops every event: what `OPENLINEAGE_DISABLED=true` selects. */
export function createNoopTransport(): Transport {
  return {
    kind: 'noop',
    async emit() {
      // Emission is disabled on purpose.
    },
  };
}
