import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { InputError, LimitError } from '../../platform/errors.js';
import { MediaTypeError } from './httpErrors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body of at most `limit` bytes (after decompression). A declared `Content-Length` above the
 * limit is refused before anything is read; a body that grows past it is refused as soon as it does, and the
 * rest is discarded without being kept. `Content-Encoding: gzip` is accepted (the OpenLineage HTTP transport
 * compresses); the limit then applies to both the compressed and the decompressed size.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    discard(req);
    throw tooLarge(limit, Number(declared));
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    discard(req);
    throw new MediaTypeError(`Content-Encoding ${encoding} is not supported; send identity or gzip`);
  }
  let source: NodeJS.ReadableStream = req;
  if (encoding === 'gzip') {
    const gunzip = createGunzip();
    // pipe() does not pass on the source's failure: a client that goes away must end the read, not hang it.
    req.once('error', (error) => gunzip.destroy(error));
    req.once('close', () => {
      if (!req.complete) gunzip.destroy(new InputError('the client closed the connection before the body was complete'));
    });
    source = req.pipe(gunzip);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let wire = 0;
  if (encoding === 'gzip') req.on('data', (chunk: Buffer) => (wire += chunk.length));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit || wire > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (error) {
    discard(req);
    if (error instanceof LimitError) throw error;
    if (encoding === 'gzip' && !req.destroyed) throw new InputError(`the gzip body does not decompress: ${(error as Error).message}`);
    throw error;
  }
  return Buffer.concat(chunks, size);
}

/** Parses a UTF-8 JSON body; `InputError` (400) for anything that is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    throw new InputError('the body is not valid UTF-8');
  }
  if (text.trim() === '') throw new InputError('the body is empty; send JSON');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`malformed JSON: ${(error as Error).message}`);
  }
}

/** Checks that a request says it sends JSON (or says nothing). */
export function requireJson(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined) return;
  const media = type.split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json' && !media.endsWith('+json')) {
    discard(req);
    throw new MediaTypeError(`Content-Type ${media} is not accepted; send application/json`);
  }
}

/** Lets the rest of a refused body flow past without keeping it; the response closes the connection. */
function discard(req: IncomingMessage): void {
  req.unpipe();
  req.removeAllListeners('data');
  req.resume();
}

function tooLarge(limit: number, declared?: number): LimitError {
  const size = declared === undefined ? 'more than that' : `${declared} bytes`;
  return new LimitError(`the body is larger than this endpoint accepts (${limit} bytes; this one is ${size})`);
}
