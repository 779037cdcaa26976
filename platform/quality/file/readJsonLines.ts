import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Longest line accepted, in UTF-16 units; a longer one is rejected without being held in memory. */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

export interface LineHandlers {
  /** Called for every non-blank line, synchronously, in order; `line` has no line break. */
  onLine(line: string, lineNumber: number): void;
  /** A line longer than `MAX_LINE_LENGTH`: only its start is kept. */
  onOversized(lineNumber: number, head: string): void;
  /** After each chunk of the file (about 1 MiB): the place to wait for slower writers. */
  afterChunk(bytesRead: number): Promise<void> | void;
}

/**
 * Reads a JSON-lines file line by line in bounded memory: 1 MiB chunks, decoded as UTF-8 (a BOM is skipped,
 * `\r\n` accepted), split without a per-line stream or promise. Blank lines are skipped but counted.
 */
export function readJsonLines(path: string, handlers: LineHandlers, maxLineLength = MAX_LINE_LENGTH): Promise<{ lines: number; bytes: number }> {
  return splitLines(createReadStream(path, { highWaterMark: 1 << 16 }), handlers, maxLineLength);
}

/** Splits a stream of UTF-8 chunks into lines, as `readJsonLines` does for a file. */
export async function splitLines(chunks: AsyncIterable<Uint8Array>, handlers: LineHandlers, maxLineLength = MAX_LINE_LENGTH): Promise<{ lines: number; bytes: number }> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skipping = false;
  let lineNumber = 0;
  let bytes = 0;
  let first = true;
  const emit = (line: string) => {
    lineNumber++;
    const end = line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.length - 1 : line.length;
    const text = end === line.length ? line : line.slice(0, end);
    if (!isBlank(text)) handlers.onLine(text, lineNumber);
  };
  for await (const chunk of chunks) {
    bytes += chunk.length;
    let text = decoder.write(chunk as Buffer);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (skipping) {
        skipping = false;
        lineNumber++;
      } else {
        emit(carry.length > 0 ? carry + text.slice(start, nl) : text.slice(start, nl));
      }
      carry = '';
      start = nl + 1;
    }
    if (!skipping && start < text.length) {
      carry = carry.length > 0 ? carry + text.slice(start) : text.slice(start);
      if (carry.length > maxLineLength) {
        handlers.onOversized(lineNumber + 1, carry.slice(0, 200));
        skipping = true;
        carry = '';
      }
    }
    await handlers.afterChunk(bytes);
  }
  const rest = carry + decoder.end();
  if (skipping) lineNumber++;
  else if (rest.length > 0) emit(rest);
  return { lines: lineNumber, bytes };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
