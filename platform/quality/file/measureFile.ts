import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import type { SqlClient } from '../../db/SqlClient.js';
import { measureKey, type Observation } from '../checks/Measure.js';
import type { MeasurePlan, Measurements } from '../Measurements.js';
import type { FieldMetrics } from '../QualityReport.js';
import type { ScanWorkerData, ScanWorkerMessage } from './fileScanWorker.js';
import type { CsvOptions } from './readCsvRecords.js';
import { mergeProfiles } from './RecordProfiler.js';
import { observe } from './recordAccumulators.js';
import { scanFile, type ByteRange, type ScanResult, type ScanSetup } from './scanFile.js';

/** A data file to test: JSON lines or CSV. */
export interface FileSource {
  readonly kind: 'file';
  readonly path: string;
  readonly format: 'jsonl' | 'csv';
  readonly csv?: CsvOptions;
}

/** Keys the key counters of one file may hold in memory together, before spilling to disk. */
export const KEY_BUDGET = 1_000_000;
/** Smallest JSON-lines file read by several threads: below it, starting them costs more than it saves. */
export const PARALLEL_FROM_BYTES = 32 * 1024 * 1024;

const WORKER_URL = new URL('./fileScanWorker.js', import.meta.url);
/** Young generation of a scanning worker: as fast as V8's default (16 MiB semi-spaces) here, and far smaller. */
const WORKER_YOUNG_MB = 12;

/**
 * Measures a file in one streaming pass in bounded memory (see `scanFile`). A large JSON-lines file is cut
 * into byte ranges read by `threads` worker threads, each with its own validators and accumulators, whose
 * results merge exactly: counts add up, key counters merge their tables (or spill files), dead letters are
 * joined in line order with their line numbers shifted.
 */
export async function measureFile(
  plan: MeasurePlan,
  source: FileSource,
  deadLetterPath: string | undefined,
  warehouse: SqlClient | undefined,
  { threads, parallelFromBytes }: { threads: number; parallelFromBytes: number },
): Promise<Measurements> {
  const info = await stat(source.path).catch((error: Error) => {
    throw new InputError(`cannot read ${source.path}: ${error.message}`, { cause: error });
  });
  if (!info.isFile()) throw new InputError(`${source.path} is not a file`);
  const { analysis, contracts } = plan;
  const fields = analysis.shape.fields;
  const keyMeasures = Math.max(1, plan.measures.filter((m) => m.kind === 'duplicates').length);
  const parts = threads > 1 && source.format === 'jsonl' && info.size >= parallelFromBytes && workersAvailable() ? threads : 1;
  const expected = await estimateRecords(source.path, info.size);
  const budget = KEY_BUDGET / keyMeasures;
  const setup: ScanSetup = {
    path: source.path,
    format: source.format,
    csv: source.csv,
    fields,
    nullAs: analysis.fields.map((f) => f.nullAs),
    freshnessColumn: plan.freshnessColumn,
    measures: plan.measures,
    // When the keys will fit (the estimate, with a margin), each part holds its share without spilling;
    // when they will not, the parts share the budget and spill early, so that memory stays bounded.
    keyBudget: Math.max(10_000, Math.floor(expected <= budget * 1.25 ? Math.min(budget, (expected / parts) * 1.25) : budget / parts)),
    expectedRecords: Math.ceil(expected / parts),
    deadLetterPath,
  };
  const progress = (bytes: number) => plan.onProgress?.({ phase: 'read', done: bytes, total: info.size, unit: 'bytes' });

  const validators = { fast: contracts.validator(analysis.contract.file), full: () => contracts.validator(analysis.contract.file, { allErrors: true }) };
  let results: ScanResult[];
  if (parts === 1) {
    results = [await scanFile(setup, validators, undefined, progress, plan.signal)];
  } else {
    results = await scanInParallel(plan, setup, validators, info.size, parts, progress);
    if (deadLetterPath !== undefined) await joinDeadLetters(deadLetterPath, results);
  }

  plan.onProgress?.({ phase: 'checks', done: 0, total: plan.measures.length, unit: 'steps' });
  const observations = new Map<string, Observation>();
  for (const [i, measure] of plan.measures.entries()) {
    observations.set(
      measureKey(measure),
      await observe(
        measure,
        results.map((r) => r.accumulators[i]!),
        KEY_BUDGET / keyMeasures,
        warehouse,
      ),
    );
  }
  const records = results.reduce((sum, r) => sum + r.records, 0);
  const invalid = results.reduce((sum, r) => sum + r.invalid, 0);
  const deadLetters = results.reduce((sum, r) => sum + r.deadLetters, 0);
  const profile = mergeProfiles(results.map((r) => r.profile));
  const metrics: FieldMetrics[] = fields.map((field, i) => {
    const range = profile.ranges[i];
    return {
      name: field.name,
      count: records - profile.nulls[i]!,
      nulls: profile.nulls[i]!,
      invalid: results.reduce((sum, r) => sum + r.invalidByField[i]!, 0),
      ...(range ? { min: range.min, max: range.max } : {}),
    };
  });
  const freshnessIndex = plan.freshnessColumn === undefined ? -1 : fields.findIndex((f) => f.name === plan.freshnessColumn);
  const newestValue = freshnessIndex === -1 ? undefined : profile.ranges[freshnessIndex]?.max;
  const newest = typeof newestValue === 'string' ? newestValue : undefined;
  const header = results[0]!.header;
  const missing = header ? fields.map((f) => f.name).filter((n) => !header.includes(n)) : [];
  return {
    records,
    invalid,
    fields: metrics,
    observations,
    newest,
    newestUnknown: plan.freshnessColumn !== undefined && newest === undefined ? `no date-time value in ${plan.freshnessColumn}` : undefined,
    deadLetter: deadLetterPath !== undefined && deadLetters > 0 ? { kind: 'file', path: deadLetterPath, count: deadLetters } : null,
    source: { kind: 'file', path: source.path, format: source.format, bytes: info.size },
    method: {
      scans: 1,
      pushedDown: [],
      streamedFields: [
        {
          field: '(record)',
          reason: `a ${source.format === 'csv' ? 'CSV' : 'JSON-lines'} file is validated record by record${parts > 1 ? ` in ${parts} threads` : ''}${missing.length ? `; header lacks ${missing.join(', ')}` : ''}`,
        },
      ],
      streamed: records,
    },
  };
}

/** Records in a file, guessed from the length of its first lines (64 KiB of them). */
async function estimateRecords(path: string, size: number): Promise<number> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size, 64 * 1024));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    let lines = 0;
    for (let i = buffer.indexOf(10); i !== -1 && i < bytesRead; i = buffer.indexOf(10, i + 1)) lines++;
    return lines === 0 ? 1 : Math.ceil((size * lines) / bytesRead);
  } finally {
    await file.close();
  }
}

/** Workers run from the build only, where their module exists as JavaScript. */
function workersAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * The first range is read here, on the calling thread, whose validators are compiled already; each other
 * range by a worker thread of its own.
 */
async function scanInParallel(
  plan: MeasurePlan,
  setup: ScanSetup,
  validators: Parameters<typeof scanFile>[1],
  size: number,
  parts: number,
  progress: (bytes: number) => void,
): Promise<ScanResult[]> {
  const ranges: ByteRange[] = Array.from({ length: parts }, (_v, i) => ({ start: Math.floor((size * i) / parts), end: Math.floor((size * (i + 1)) / parts) }));
  const partSetup = (i: number): ScanSetup => ({ ...setup, deadLetterPath: setup.deadLetterPath === undefined ? undefined : partPath(setup.deadLetterPath, i) });
  const documents = [...plan.contracts.resolver.documents()];
  const read = new Array<number>(parts).fill(0);
  const workers: Worker[] = [];
  const abort = () => {
    for (const w of workers) void w.terminate();
  };
  plan.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await Promise.all(
      ranges.map((range, i) =>
        i === 0
          ? scanFile(partSetup(0), validators, range, (bytes) => {
              read[0] = bytes;
              progress(read.reduce((a, b) => a + b, 0));
            }, plan.signal)
          : new Promise<ScanResult>((resolve, reject) => {
            const data: ScanWorkerData = {
              setup: partSetup(i),
              range,
              documents,
              contractUri: plan.analysis.contract.uri,
            };
            // No inherited flags: a test runner's loaders would break the worker's start. A small young
            // generation: records die young, and each thread's heap counts towards the process's memory.
            const worker = new Worker(WORKER_URL, { workerData: data, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
            workers.push(worker);
            let settled = false;
            worker.on('message', (message: ScanWorkerMessage) => {
              if (message.kind === 'bytes') {
                read[i] = message.bytes;
                progress(read.reduce((a, b) => a + b, 0));
              } else {
                settled = true;
                if (message.kind === 'done') resolve(message.result);
                else reject(new Error(`reading ${setup.path}: ${message.error}`));
              }
            });
            worker.on('error', (error) => {
              settled = true;
              reject(error);
            });
            worker.on('exit', () => {
              if (!settled) reject(plan.signal?.aborted ? (plan.signal.reason ?? new Error('aborted')) : new Error('a scanning worker stopped'));
            });
          }),
      ),
    );
  } catch (error) {
    abort();
    for (let i = 0; i < parts; i++) if (setup.deadLetterPath !== undefined) await rm(partPath(setup.deadLetterPath, i), { force: true });
    throw error;
  } finally {
    plan.signal?.removeEventListener('abort', abort);
  }
}

function partPath(path: string, i: number): string {
  return `${path}.part${i}`;
}

/**
 * Joins the dead-letter files of the ranges in order, adding to each letter's line the lines of the ranges
 * before it (every letter starts with `{"line":N`); removes a stale file when nothing was rejected.
 */
async function joinDeadLetters(path: string, results: readonly ScanResult[]): Promise<void> {
  if (results.every((r) => r.deadLetters === 0)) {
    await rm(path, { force: true });
    return;
  }
  const out = createWriteStream(`${path}.partial`);
  let failure: Error | undefined;
  out.on('error', (error) => (failure ??= error));
  let offset = 0;
  for (const [i, result] of results.entries()) {
    if (result.deadLetters > 0) {
      for await (const line of createInterface({ input: createReadStream(partPath(path, i)), crlfDelay: Infinity })) {
        const shifted = offset === 0 ? line : line.replace(/^\{"line":(\d+)/, (_m, n: string) => `{"line":${Number(n) + offset}`);
        if (!out.write(shifted + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await rm(partPath(path, i), { force: true });
    }
    offset += result.lines;
  }
  await new Promise<void>((resolve) => out.end(resolve));
  if (failure) throw new Error(`cannot write dead letters to ${path}: ${failure.message}`, { cause: failure });
  await rename(`${path}.partial`, path);
}
