import { open } from 'node:fs/promises';

/** Longest header line read; a header beyond this is not a header. */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * The column names in the first record of a CSV file, parsed as PostgreSQL's CSV mode reads it: fields split
 * by `delimiter`, double quotes around a field, `""` for a quote inside one, a quoted field spanning lines.
 * A UTF-8 byte-order mark is skipped. Returns `[]` for an empty file;
 * throws when the header is unterminated or longer than 1 MiB.
 */
export async function readCsvHeader(path: string, delimiter: string): Promise<string[]> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(MAX_HEADER_BYTES, 64 * 1024));
    let text = '';
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      text += buffer.toString('utf8', 0, bytesRead);
      const fields = parseFirstRecord(text, delimiter, false);
      if (fields) return fields;
      if (offset >= MAX_HEADER_BYTES) throw new Error(`the header line is longer than ${MAX_HEADER_BYTES} bytes`);
    }
    const fields = parseFirstRecord(text, delimiter, true);
    if (!fields) throw new Error('the header line has an unterminated quoted field');
    return fields;
  } finally {
    await handle.close();
  }
}

/**
 * The fields of the first record of `text`, or `undefined` when `text` ends before the record does: more text
 * may follow unless `atEnd`, and at the end an open quote is unterminated.
 */
export function parseFirstRecord(text: string, delimiter: string, atEnd: boolean): string[] | undefined {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (atEnd && text.length <= start) return [];
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (i + 1 === text.length && !atEnd) return undefined; // `""` may be split across reads
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      fields.push(field);
      return fields;
    } else field += c;
  }
  if (!atEnd || quoted) return undefined;
  fields.push(field);
  return fields;
}
