import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import type { JsonType } from '../../contract/recordFields.js';
import { MAX_LINE_LENGTH } from './readJsonLines.js';

/** CSV dialect: the manifest's `load` options of the port, or the defaults (comma, a header, empty = null). */
export interface CsvOptions {
  readonly delimiter?: string;
  readonly header?: boolean;
  readonly nullValue?: string;
}

/** A contract field as a CSV column reads it. */
export interface CsvField {
  readonly name: string;
  readonly type: JsonType | undefined;
  /** How the null text reads: as JSON null, or as an absent property. */
  readonly nullAs: 'null' | 'absent';
}

export interface CsvHandlers {
  onRecord(record: Record<string, unknown>, line: number): void;
  /** A row the parser could not read, or with a number of cells other than the header's. */
  onBadRow(line: number, message: string, raw: string | undefined): void;
  afterChunk(bytesRead: number): Promise<void> | void;
}

const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Reads a CSV file record by record with csv-parse, in bounded memory, and gives each cell the JSON type its
 * contract field declares: integers and numbers in JSON number syntax become numbers, `true`/`false`
 * booleans, `{...}`/`[...]` JSON; a cell that does not read as its type stays a string, for the contract to
 * reject. Columns the contract does not name stay strings. The null text (default empty) is null, or absent
 * for an optional field that does not admit null.
 */
export async function readCsvRecords(path: string, fields: readonly CsvField[], options: CsvOptions, handlers: CsvHandlers): Promise<{ bytes: number; header: string[] }> {
  const nullValue = options.nullValue ?? '';
  const byName = new Map(fields.map((f) => [f.name, f]));
  let columns: { name: string; field: CsvField | undefined }[] | undefined =
    options.header === false ? fields.map((f) => ({ name: f.name, field: f })) : undefined;
  let bytes = 0;
  const input = createReadStream(path, { highWaterMark: 1 << 16 });
  input.on('data', (chunk) => (bytes += chunk.length));
  const parser = input.pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_LINE_LENGTH,
      on_skip: (error: CsvError | undefined, raw: string | undefined) => {
        handlers.onBadRow(Number((error as { lines?: number } | undefined)?.lines ?? 0), error?.message ?? 'unreadable row', raw?.slice(0, 200));
        return undefined;
      },
    }),
  );
  input.on('error', (error) => parser.destroy(error));
  let seen = 0;
  for await (const { record: cells, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!columns) {
      columns = cells.map((name) => ({ name, field: byName.get(name) }));
      continue;
    }
    if (cells.length !== columns.length) {
      handlers.onBadRow(info.lines, `row has ${cells.length} cells, the header ${columns.length}`, cells.join(options.delimiter ?? ',').slice(0, 200));
    } else {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const { name, field } = columns[i]!;
        const cell = cells[i]!;
        if (cell === nullValue && field?.nullAs === 'absent') continue;
        const value = cell === nullValue ? null : field ? coerce(cell, field.type) : cell;
        // A column named __proto__ is data, not the record's prototype.
        if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
        else record[name] = value;
      }
      handlers.onRecord(record, info.lines);
    }
    if (++seen % 1024 === 0) await handlers.afterChunk(bytes);
  }
  await handlers.afterChunk(bytes);
  return { bytes, header: (columns ?? []).map((c) => c.name) };
}

function coerce(cell: string, type: JsonType | undefined): unknown {
  switch (type) {
    case 'integer':
      return INTEGER.test(cell) ? Number(cell) : cell;
    case 'number':
      return NUMBER.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const lower = cell.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : cell;
    }
    case 'object':
    case 'array':
      if (cell.startsWith(type === 'object' ? '{' : '[')) {
        try {
          return JSON.parse(cell) as unknown;
        } catch {
          return cell;
        }
      }
      return cell;
    default:
      return cell;
  }
}
