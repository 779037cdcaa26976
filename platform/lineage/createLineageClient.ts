import { InputError, UsageError } from '../errors.js';
import { runEmitHooks } from './emitHooks.js';
import type { OpenLineageEvent } from './OpenLineageEvent.js';
import { OpenLineageValidator } from './OpenLineageValidator.js';
import type { LineageConfig } from './resolveLineageConfig.js';
import { createNoopTransport } from './transports/createNoopTransport.js';
import { createTransport, type TransportContext } from './transports/createTransport.js';
import { EMPTY_FLUSH, type FlushReport, type Transport, type Warn } from './transports/Transport.js';

/** The small API `mesh run`, `mesh test` and `mesh publish` emit through. */
export interface LineageClient {
  readonly config: LineageConfig;
  readonly transport: Transport;
  /** Emits one event; resolves once it is delivered or safely spooled. */
  emit(event: OpenLineageEvent): Promise<void>;
  /** Sends what the transports hold back (the http spool). */
  flush(): Promise<FlushReport>;
  /** Waits for pending work and releases files and sockets. */
  close(): Promise<void>;
}

export interface LineageClientOptions {
  /** Streams of the console transport (the CLI passes its own; default the process's). */
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  /** Where delivery trouble is reported (an event spooled, a spool drained). */
  readonly warn?: Warn;
  /** A transport to use instead of the configured one (still off when the configuration is disabled). */
  readonly transport?: Transport;
  readonly http?: TransportContext['http'];
}

/**
 * A client for a resolved configuration (`resolveLineageConfig`). Every event goes through the installed
 * emit hooks first (the test suite validates each against the spec there), then to the transport. Each event
 * is serialized once, whatever the number of transports.
 */
export function createLineageClient(config: LineageConfig, options: LineageClientOptions = {}): LineageClient {
  const transport = config.disabled
    ? createNoopTransport()
    : (options.transport ??
      createTransport(config.transport, {
        spoolDir: config.spoolDir,
        stdout: options.stdout ?? process.stdout,
        stderr: options.stderr ?? process.stderr,
        ...(options.warn ? { warn: options.warn } : {}),
        ...(options.http ? { http: options.http } : {}),
      }));
  let closed = false;
  let validator: OpenLineageValidator | undefined;
  return {
    config,
    transport,
    async emit(event) {
      if (closed) throw new UsageError('the lineage client is closed');
      const json = JSON.stringify(event);
      runEmitHooks(event, json);
      if (config.validate) {
        const violations = (validator ??= OpenLineageValidator.forMesh()).validate(JSON.parse(json));
        if (violations.length > 0) {
          throw new InputError(`not a valid OpenLineage event:\n${violations.map((v) => `  ${v.pointer}: ${v.message} (${v.schema})`).join('\n')}`);
        }
      }
      await transport.emit(event, json);
    },
    async flush() {
      return transport.flush ? transport.flush() : EMPTY_FLUSH;
    },
    async close() {
      if (closed) return;
      closed = true;
      await transport.close?.();
    },
  };
}
