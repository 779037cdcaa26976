import { Transform, type TransformCallback } from 'node:stream';

const CR = 0x0d;
const LF = 0x0a;
/** SUB, the substitute character: stands in for bytes that COPY cannot carry. */
const SUB = 0x1a;
/** The bytes used as COPY's quote and delimiter for JSON lines (see `JSON_LINES_COPY_OPTIONS`), and NUL. */
const RESERVED = [0x00, 0x01, 0x02];

/**
 * COPY options that read each line of a JSON-lines file as one text value: CSV mode with a quote and a
 * delimiter that valid JSON never contains raw (control characters must be escaped in JSON), so nothing in
 * the line is interpreted (the text format would eat JSON's backslashes).
 */
export const JSON_LINES_COPY_OPTIONS = "format csv, delimiter e'\\x02', quote e'\\x01'";

/**
 * Makes a JSON-lines stream safe for `JSON_LINES_COPY_OPTIONS`: CRLF line ends become LF, and the bytes COPY
 * would choke on (NUL, the quote and delimiter bytes, a CR inside a line) become SUB. Valid JSON holds none of them
 * raw, so valid lines pass unchanged and invalid lines stay invalid (and are rejected with their errors)
 * instead of aborting the whole COPY. Chunks without such bytes are passed through untouched.
 */
export function jsonLinesForCopy(): Transform {
  let pendingCr = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let data = chunk;
      if (pendingCr) {
        data = Buffer.concat([Buffer.from([CR]), data]);
        pendingCr = false;
      }
      if (!RESERVED.some((b) => data.includes(b)) && !data.includes(CR)) return done(null, data);
      const out = Buffer.allocUnsafe(data.length);
      let n = 0;
      for (let i = 0; i < data.length; i++) {
        const b = data[i]!;
        if (b === CR) {
          if (i + 1 === data.length) {
            pendingCr = true; // decided by the next chunk
            continue;
          }
          if (data[i + 1] === LF) continue;
          out[n++] = SUB;
        } else out[n++] = RESERVED.includes(b) ? SUB : b;
      }
      done(null, out.subarray(0, n));
    },
    flush(done: TransformCallback) {
      done(); // a CR at the very end closes the last line
    },
  });
}

/** Drops a UTF-8 byte-order mark at the start of a stream (COPY would read it as data). */
export function stripBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (first) {
        first = false;
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return done(null, chunk.subarray(3));
      }
      done(null, chunk);
    },
  });
}
