import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { DeadLetter } from '../QualityReport.js';

/** Characters of the input kept when a record cannot be serialized. */
const RAW_KEPT = 1000;
/** Characters buffered before a write. */
const BATCH = 256 * 1024;

/** Where the dead letters of a file go by default: beside it, `<input>.rejected.jsonl`. */
export function deadLetterFileFor(input: string): string {
  return `${input}.rejected.jsonl`;
}

/**
 * The dead letters of a file: JSON lines `{ "line", "record" | "raw", "errors" }` in `<input>.rejected.jsonl`
 * beside the input. Lines are written in batches to a `.partial` file, renamed into place at the end; a run
 * without rejects removes the file of an earlier run, so that the file always belongs to the last test.
 */
export class DeadLetterFile {
  private stream: WriteStream | undefined;
  private buffer: string[] = [];
  private buffered = 0;
  private written = 0;
  private failure: Error | undefined;

  constructor(readonly path: string) {}

  get count(): number {
    return this.written;
  }

  /** Adds a letter; `raw` (the input line) stands in for a record too deeply nested to serialize. */
  add(letter: DeadLetter, raw?: string): void {
    let text: string;
    try {
      text = JSON.stringify(letter);
    } catch {
      const { record: _record, ...rest } = letter;
      text = JSON.stringify({ ...rest, raw: (raw ?? '').slice(0, RAW_KEPT) });
    }
    const line = text + '\n';
    this.buffer.push(line);
    this.buffered += line.length;
    this.written++;
  }

  /** Writes what is buffered once there is enough of it; resolves when the stream can take more. */
  async drain(force = false): Promise<void> {
    if (this.buffered === 0 || (!force && this.buffered < BATCH)) return;
    if (!this.stream) {
      this.stream = createWriteStream(`${this.path}.partial`);
      // Recorded, not thrown from an event: the next drain or finish reports it.
      this.stream.on('error', (error) => (this.failure ??= error));
    }
    this.throwIfFailed();
    const text = this.buffer.join('');
    this.buffer = [];
    this.buffered = 0;
    // `once` settles on 'drain' or rejects on 'error', and removes its listeners either way.
    if (!this.stream.write(text)) await once(this.stream, 'drain').catch(() => {});
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw new Error(`cannot write dead letters to ${this.path}.partial: ${this.failure.message}`, { cause: this.failure });
  }

  /** Puts the file in place (or removes a stale one when nothing was rejected). */
  async finish(): Promise<void> {
    await this.drain(true);
    if (!this.stream) {
      await rm(this.path, { force: true });
      return;
    }
    await this.close();
    this.throwIfFailed();
    await rename(`${this.path}.partial`, this.path);
  }

  /** Abandons the file after a failure. */
  async abort(): Promise<void> {
    if (this.stream) await this.close().catch(() => {});
    await rm(`${this.path}.partial`, { force: true });
  }

  private close(): Promise<void> {
    const stream = this.stream!;
    return new Promise((resolve) => {
      stream.once('error', () => resolve());
      stream.end(() => resolve());
    });
  }
}
