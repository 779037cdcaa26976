import { createReadStream } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import type { RecordField } from '../../contract/recordFields.js';
import type { Measure } from '../checks/Measure.js';
import { DeadLetterFile } from '../deadLetter/DeadLetterFile.js';
import type { DeadLetterError } from '../QualityReport.js';
import { RecordValidator } from '../validate/RecordValidator.js';
import { readCsvRecords, type CsvOptions } from './readCsvRecords.js';
import { MAX_LINE_LENGTH, splitLines } from './readJsonLines.js';
import { RecordProfiler, type ProfileState } from './RecordProfiler.js';
import { accumulatorFor, type AccumulatorState, type RecordAccumulator } from './recordAccumulators.js';

/** What a scan of a file (or of a byte range of it) needs; plain data, so that a worker thread can take it. */
export interface ScanSetup {
  readonly path: string;
  readonly format: 'jsonl' | 'csv';
  readonly csv: CsvOptions | undefined;
  readonly fields: readonly RecordField[];
  /** Per field, how an empty CSV cell reads. */
  readonly nullAs: readonly ('null' | 'absent')[];
  readonly freshnessColumn: string | undefined;
  readonly measures: readonly Measure[];
  readonly keyBudget: number;
  /** About how many records the scan will read, from the file's size and its first lines. */
  readonly expectedRecords: number;
  /** Where this scan's dead letters go; undefined for none. */
  readonly deadLetterPath: string | undefined;
}

/** Bytes `[start, end)` of a JSON-lines file; each line belongs to the range in which it starts. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What a scan found; plain data (typed arrays transfer), merged across the ranges of one file. */
export interface ScanResult {
  readonly records: number;
  readonly invalid: number;
  /** Lines of the range (blank ones included): the offset of the next range's line numbers. */
  readonly lines: number;
  readonly header: string[] | undefined;
  readonly profile: ProfileState;
  readonly invalidByField: number[];
  readonly accumulators: AccumulatorState[];
  readonly deadLetters: number;
}

/** Characters of an unreadable line kept in its dead letter. */
const RAW_KEPT = 1000;
const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * Reads every record of a file (or range) once: the contract's validator (the fast one, then the full one
 * for a reject, which becomes a dead letter), the profiler, and each measure's accumulator. Runs on the main
 * thread for small files and CSV, and in each worker thread for a range of a large JSON-lines file.
 */
export async function scanFile(
  setup: ScanSetup,
  validators: { fast: ValidateFunction; full: () => ValidateFunction },
  range: ByteRange | undefined,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<ScanResult> {
  const validator = new RecordValidator(validators.fast, validators.full, setup.fields.map((f) => f.name));
  const profiler = new RecordProfiler(setup.fields, setup.freshnessColumn);
  const accumulators: RecordAccumulator[] = setup.measures.map((m) => accumulatorFor(m, setup.keyBudget, setup.expectedRecords));
  const letters = setup.deadLetterPath === undefined ? undefined : new DeadLetterFile(setup.deadLetterPath);
  let records = 0;
  let invalid = 0;
  const feed = (record: Record<string, unknown>) => {
    for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(record);
  };
  const reject = (letter: { line: number; record?: unknown; raw?: string; errors: readonly DeadLetterError[] }, raw?: string) => {
    invalid++;
    letters?.add(letter, raw);
  };
  const take = (record: unknown, line: number, raw?: string) => {
    records++;
    const valid = validator.isValid(record);
    if (!valid) reject({ line, record, errors: validator.explain(record) }, raw);
    profiler.add(record, valid);
    feed(typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : EMPTY);
  };
  const unreadable = (line: number, message: string, raw: string | undefined) => {
    records++;
    profiler.add(undefined, false);
    feed(EMPTY);
    reject({ line, ...(raw !== undefined ? { raw: raw.slice(0, RAW_KEPT) } : {}), errors: [{ instancePath: '', schemaPath: '', keyword: setup.format === 'csv' ? 'csv' : 'json', params: {}, message }] });
  };
  const afterChunk = async (bytes: number) => {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await letters?.drain();
    onBytes(bytes);
  };

  let header: string[] | undefined;
  let lines = 0;
  try {
    if (setup.format === 'jsonl') {
      const chunks = range ? rangeChunks(setup.path, range) : createReadStream(setup.path, { highWaterMark: 1 << 16 });
      ({ lines } = await splitLines(chunks, {
        onLine(line, lineNumber) {
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch (error) {
            unreadable(lineNumber, `not JSON: ${(error as Error).message}`, line);
            return;
          }
          take(value, lineNumber, line);
        },
        onOversized: (lineNumber, head) => unreadable(lineNumber, `line longer than ${MAX_LINE_LENGTH} characters`, head),
        afterChunk,
      }));
    } else {
      ({ header } = await readCsvRecords(
        setup.path,
        setup.fields.map((f, i) => ({ name: f.name, type: f.type, nullAs: setup.nullAs[i]! })),
        setup.csv ?? {},
        { onRecord: (record, line) => take(record, line), onBadRow: (line, message, raw) => unreadable(line, `unreadable CSV row: ${message}`, raw), afterChunk },
      ));
    }
    await letters?.finish();
  } catch (error) {
    for (const a of accumulators) a.dispose();
    await letters?.abort();
    throw error;
  }
  return {
    records,
    invalid,
    lines,
    header,
    profile: profiler.state(),
    invalidByField: validator.invalidByField,
    accumulators: accumulators.map((a) => a.state()),
    deadLetters: letters?.count ?? 0,
  };
}

/**
 * The chunks of one range: from the byte before `start` (a range other than the first skips the line it
 * lands in, which the previous range finishes), up to the end of the line that holds byte `end - 1`.
 */
async function* rangeChunks(path: string, range: ByteRange): AsyncIterable<Uint8Array> {
  const from = Math.max(0, range.start - 1);
  let skipping = range.start > 0;
  let position = from;
  for await (const chunk of createReadStream(path, { start: from, highWaterMark: 1 << 16 })) {
    let data = chunk as Buffer;
    position += data.length;
    if (skipping) {
      const nl = data.indexOf(10);
      if (nl === -1) continue;
      skipping = false;
      data = data.subarray(nl + 1);
      if (position - data.length >= range.end) return; // one line spans the whole range: it is the previous range's
    }
    // Past the range: stop after the newline that ends the line holding byte end - 1.
    const limit = range.end - 1 - (position - data.length);
    if (limit < data.length) {
      const nl = data.indexOf(10, Math.max(0, limit));
      if (nl !== -1) {
        yield data.subarray(0, nl + 1);
        return;
      }
    }
    yield data;
  }
}
