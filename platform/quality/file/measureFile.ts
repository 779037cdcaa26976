import { stat } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { SqlClient } from '../../db/SqlClient.js';
import { measureKey, type Observation } from '../checks/Measure.js';
import type { DeadLetterFile } from '../deadLetter/DeadLetterFile.js';
import type { MeasurePlan, Measurements } from '../Measurements.js';
import type { DeadLetterError, FieldMetrics } from '../QualityReport.js';
import { RecordValidator } from '../validate/RecordValidator.js';
import { readCsvRecords, type CsvOptions } from './readCsvRecords.js';
import { MAX_LINE_LENGTH, readJsonLines } from './readJsonLines.js';
import { RecordProfiler } from './RecordProfiler.js';
import { accumulatorFor, type RecordAccumulator } from './recordAccumulators.js';

/** A data file to test: JSON lines or CSV. */
export interface FileSource {
  readonly kind: 'file';
  readonly path: string;
  readonly format: 'jsonl' | 'csv';
  readonly csv?: CsvOptions;
}

/** Keys the key counters of one file may hold in memory together, before spilling to disk. */
export const KEY_BUDGET = 1_000_000;
/** Characters of an unreadable line kept in its dead letter. */
const RAW_KEPT = 1000;

/**
 * Measures a file in one streaming pass and bounded memory: every record through the contract's validator
 * (the fast one, then the full one for rejects, which become dead letters), the profiler (nulls, min, max),
 * and the accumulators of the checks (key counters spill to disk past `KEY_BUDGET` keys).
 */
export async function measureFile(plan: MeasurePlan, source: FileSource, deadLetters: DeadLetterFile | undefined, warehouse: SqlClient | undefined): Promise<Measurements> {
  const info = await stat(source.path).catch((error: Error) => {
    throw new InputError(`cannot read ${source.path}: ${error.message}`, { cause: error });
  });
  if (!info.isFile()) throw new InputError(`${source.path} is not a file`);
  const { analysis, contracts } = plan;
  const fields = analysis.shape.fields;
  const names = fields.map((f) => f.name);
  const validator = new RecordValidator(contracts, analysis.contract.file, names);
  const profiler = new RecordProfiler(fields, plan.freshnessColumn);
  const fieldIndex = new Map(names.map((n, i) => [n, i]));
  const context = {
    keyBudget: Math.max(10_000, Math.floor(KEY_BUDGET / Math.max(1, plan.measures.filter((m) => m.kind === 'duplicates').length))),
    nullsOf: (field: string) => (fieldIndex.has(field) ? profiler.nulls[fieldIndex.get(field)!] : undefined),
    warehouse,
  };
  const accumulators: RecordAccumulator[] = [];
  const pending = new Map<string, RecordAccumulator | Observation>();
  for (const measure of plan.measures) {
    const made = accumulatorFor(measure, context);
    pending.set(measureKey(measure), made);
    if ('add' in made) accumulators.push(made);
  }

  let records = 0;
  let invalid = 0;
  const reject = (letter: { line: number; record?: unknown; raw?: string; errors: readonly DeadLetterError[] }, raw?: string) => {
    invalid++;
    deadLetters?.add(letter, raw);
  };
  const take = (record: unknown, line: number, raw?: string) => {
    records++;
    const valid = validator.isValid(record);
    if (!valid) reject({ line, record, errors: validator.explain(record) }, raw);
    profiler.add(record, valid);
    if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
      for (let i = 0; i < accumulators.length; i++) accumulators[i]!.add(record as Record<string, unknown>);
    }
  };
  const unreadable = (line: number, message: string, raw: string | undefined) => {
    records++;
    profiler.add(undefined, false);
    reject({ line, ...(raw !== undefined ? { raw: raw.slice(0, RAW_KEPT) } : {}), errors: [{ instancePath: '', schemaPath: '', keyword: source.format === 'csv' ? 'csv' : 'json', params: {}, message }] });
  };
  const afterChunk = async (bytes: number) => {
    if (plan.signal?.aborted) throw plan.signal.reason ?? new Error('aborted');
    await deadLetters?.drain();
    plan.onProgress?.({ phase: 'read', done: bytes, total: info.size, unit: 'bytes' });
  };

  let header: string[] | undefined;
  try {
    if (source.format === 'jsonl') {
      await readJsonLines(source.path, {
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
      });
    } else {
      const csvFields = analysis.fields.map((f) => ({ name: f.field.name, type: f.field.type, nullAs: f.nullAs }));
      ({ header } = await readCsvRecords(source.path, csvFields, source.csv ?? {}, {
        onRecord: (record, line) => take(record, line),
        onBadRow: (line, message, raw) => unreadable(line, `unreadable CSV row: ${message}`, raw),
        afterChunk,
      }));
    }
    await deadLetters?.finish();
  } catch (error) {
    for (const accumulator of accumulators) accumulator.dispose();
    await deadLetters?.abort();
    throw error;
  }

  plan.onProgress?.({ phase: 'checks', done: 0, total: pending.size, unit: 'steps' });
  const observations = new Map<string, Observation>();
  for (const [key, made] of pending) observations.set(key, 'add' in made ? await made.observe(records) : made);

  const metrics: FieldMetrics[] = fields.map((field, i) => {
    const range = profiler.range(i);
    return {
      name: field.name,
      count: records - profiler.nulls[i]!,
      nulls: profiler.nulls[i]!,
      invalid: validator.invalidByField[i]!,
      ...(range ? { min: range.min, max: range.max } : {}),
    };
  });
  const newest = plan.freshnessColumn === undefined ? undefined : profiler.newest();
  const missing = header ? names.filter((n) => !header!.includes(n)) : [];
  return {
    records,
    invalid,
    fields: metrics,
    observations,
    newest,
    newestUnknown: plan.freshnessColumn !== undefined && newest === undefined ? `no date-time value in ${plan.freshnessColumn}` : undefined,
    deadLetter: deadLetters && deadLetters.count > 0 ? { kind: 'file', path: deadLetters.path, count: deadLetters.count } : null,
    source: { kind: 'file', path: source.path, format: source.format, bytes: info.size },
    method: {
      scans: 1,
      pushedDown: [],
      streamedFields: [{ field: '(record)', reason: `a ${source.format === 'csv' ? 'CSV' : 'JSON-lines'} file is validated record by record${missing.length ? `; header lacks ${missing.join(', ')}` : ''}` }],
      streamed: records,
    },
  };
}
