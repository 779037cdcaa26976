import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, errorMessage } from '../../errors.js';
import type { Transport } from './Transport.js';

export interface FileTransportOptions {
  /** The JSON-lines file; created with its folder when missing, appended to otherwise. */
  readonly path: string;
}

/** Lines written together in one `write`: small enough that appends from other processes never split a line. */
const BATCH_BYTES = 256 * 1024;

interface Pending {
  readonly line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends each event to a file as one JSON line (`O_APPEND`, so several processes may share the file).
 * `emit` resolves once its line is written. Events emitted while a write is under way are written together
 * in the next one, which is what makes a burst of unawaited emits cheap.
 */
export function createFileTransport(options: FileTransportOptions): Transport {
  let handle: Promise<FileHandle> | undefined;
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;
  let closed = false;

  const file = (): Promise<FileHandle> =>
    (handle ??= mkdir(dirname(options.path), { recursive: true })
      .then(() => open(options.path, 'a'))
      .catch((error: unknown) => {
        handle = undefined;
        throw new InputError(`cannot open the lineage file ${options.path}: ${errorMessage(error)}`, { cause: error });
      }));

  async function writeAll(fh: FileHandle, text: string): Promise<void> {
    let buffer = Buffer.from(text, 'utf8');
    while (buffer.length > 0) {
      const { bytesWritten } = await fh.write(buffer);
      buffer = buffer.subarray(bytesWritten);
    }
  }

  async function pump(): Promise<void> {
    while (queue.length > 0) {
      const batch: Pending[] = [];
      let bytes = 0;
      while (queue.length > 0 && (batch.length === 0 || bytes + queue[0]!.line.length <= BATCH_BYTES)) {
        const next = queue.shift()!;
        bytes += next.line.length;
        batch.push(next);
      }
      try {
        await writeAll(await file(), batch.map((p) => p.line).join(''));
        for (const p of batch) p.resolve();
      } catch (error) {
        const failure = error instanceof InputError ? error : new InputError(`cannot write to the lineage file ${options.path}: ${errorMessage(error)}`, { cause: error });
        for (const p of batch) p.reject(failure);
      }
    }
    writing = undefined;
  }

  return {
    kind: 'file',
    emit(event, json = JSON.stringify(event)) {
      if (closed) return Promise.reject(new InputError('the file transport is closed'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ line: json + '\n', resolve, reject });
        writing ??= pump();
      });
    },
    async close() {
      closed = true;
      await writing;
      if (handle) {
        const fh = await handle.catch(() => undefined);
        handle = undefined;
        await fh?.close();
      }
      queue = [];
    },
  };
}
