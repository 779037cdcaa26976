import { parentPort, workerData } from 'node:worker_threads';
import { createContractAjv } from '../../contract/createContractAjv.js';
import { scanFile, type ByteRange, type ScanResult, type ScanSetup } from './scanFile.js';

/** What the main thread hands a scanning worker: its range, and the contracts to build validators from. */
export interface ScanWorkerData {
  readonly setup: ScanSetup;
  readonly range: ByteRange;
  /** Every schema document of the repository's resolver, by URI. */
  readonly documents: readonly (readonly [string, unknown])[];
  readonly contractUri: string;
}

export type ScanWorkerMessage = { readonly kind: 'bytes'; readonly bytes: number } | { readonly kind: 'done'; readonly result: ScanResult } | { readonly kind: 'failed'; readonly error: string };

/** A worker thread of `measureFile`: scans one byte range of a JSON-lines file. */
const data = workerData as ScanWorkerData;
const post = (message: ScanWorkerMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);

function validator(allErrors: boolean) {
  // The main thread compiled these documents already: checking them against the meta-schema again (itself a
  // compile of the meta-schema) would only delay the start of this thread's range.
  const ajv = createContractAjv({ allErrors, checked: true });
  for (const [uri, document] of data.documents) {
    try {
      ajv.addSchema(document as object, uri);
    } catch {
      // As in ContractSet: a document Ajv refuses is left out; the contract itself compiled on the main thread.
    }
  }
  const validate = ajv.getSchema(data.contractUri);
  if (!validate) throw new Error(`contract ${data.contractUri} did not compile`);
  return validate;
}

try {
  const result = await scanFile(data.setup, { fast: validator(false), full: () => validator(true) }, data.range, (bytes) => post({ kind: 'bytes', bytes }));
  // The key counters' tables travel without a copy.
  const transfer = result.accumulators.flatMap((a) => (a.kind === 'keys' && a.keys.table ? [a.keys.table.slots.buffer as ArrayBuffer, a.keys.table.arena.buffer as ArrayBuffer] : []));
  post({ kind: 'done', result }, transfer);
} catch (error) {
  post({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
}
