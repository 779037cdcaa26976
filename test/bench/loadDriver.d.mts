import type { LoadResult } from './loadClients.js';

export interface DriveOptions {
  readonly clients: number;
  readonly headers?: Record<string, string>;
  readonly expected?: number;
  readonly check?: ((text: string) => string | undefined) | undefined;
}

/** Runs `options.clients` keep-alive clients, each posting the next body until `nextBody` returns undefined. */
export function drive(url: string, nextBody: () => Buffer | undefined, options: DriveOptions): Promise<LoadResult>;
