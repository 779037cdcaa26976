import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Problem } from '../problems/Problem.js';
import { assembleVerdicts, checkContracts, checkStructure, contractCompiler, type CheckedContracts, type CompileOptions, type StructureVerdict } from './checkContracts.js';
import type { LoadedContracts } from './loadContracts.js';
import { ContractQueues } from './ContractQueues.js';

const WORKER_URL = new URL('./contractWorker.js', import.meta.url);

/** What the main thread tells a worker: first the contracts (by text), then which ones may be compiled. */
export type ToWorker =
  | { readonly kind: 'contracts'; readonly shared: SharedArrayBuffer; readonly index: number; readonly sources: readonly { file: string; text: string }[] }
  | { readonly kind: 'compile'; readonly broken: readonly number[]; readonly options: CompileOptions };

/** What a worker answers: that it has loaded its modules, then per phase its verdicts by contract index. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'structure'; readonly results: readonly [number, StructureVerdict][] }
  | { readonly kind: 'compile'; readonly results: readonly [number, Problem | undefined][] };

/** One worker thread, with a mailbox per phase so that an answer the main thread no longer needs is dropped. */
class ContractWorker {
  private readonly worker: Worker;
  private readonly answers = new Map<FromWorker['kind'], FromWorker>();
  private readonly waiting = new Map<FromWorker['kind'], { resolve(answer: FromWorker): void; reject(error: Error): void }>();
  private failure: Error | undefined;

  constructor(root: string) {
    // No inherited flags: the parent's (--input-type, a test runner's loader) would break the worker's start.
    this.worker = new Worker(WORKER_URL, { workerData: { root }, execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (answer: FromWorker) => {
      const waiting = this.waiting.get(answer.kind);
      this.waiting.delete(answer.kind);
      if (waiting) waiting.resolve(answer);
      else this.answers.set(answer.kind, answer);
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiting of this.waiting.values()) waiting.reject(this.failure);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`contract worker exited (${code})`)));
  }

  post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  /** The worker's answer for a phase, or its `ready`. */
  answer(phase: FromWorker['kind']): Promise<FromWorker> {
    const ready = this.answers.get(phase);
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(phase, { resolve, reject }));
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Worker threads that check and compile contracts beside the main thread. They start before the contracts are
 * read, so that loading Ajv and the checks overlaps the main thread's reading; each rebuilds the contracts from
 * their texts and takes work from the same two queues as the main thread (see `ContractQueues`), so that a
 * worker that starts late, or never, only leaves more work to the others. Threads share nothing else: each
 * holds the same documents in the same order, and the verdicts are put together by contract, so that any
 * number of threads gives the answer of one, problem for problem.
 */
export class ContractWorkers {
  /** Tasks (structure checks and compilations) that the workers did in the last `check`: for diagnostics. */
  workerTasks = 0;

  private constructor(private readonly workers: ContractWorker[]) {}

  /** Resolves when every worker has loaded its modules and waits for contracts. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.answer('ready')));
  }

  /** Whether workers can run: from the build (`dist/`), where the worker's module exists as JavaScript. */
  static available(): boolean {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  }

  static start(root: string, count: number): ContractWorkers {
    return new ContractWorkers(Array.from({ length: count }, () => new ContractWorker(root)));
  }

  /**
   * Hands the contracts to the workers, which start on them at once; `finish` has the main thread join the
   * work, waits for the others and gives the verdicts of all.
   */
  check(loaded: LoadedContracts, root: string, options: CompileOptions = {}): { finish(): Promise<CheckedContracts> } {
    const queues = new ContractQueues(loaded.contracts.length, this.workers.length);
    const sources = loaded.contracts.map((c) => ({ file: c.file, text: c.document.text }));
    this.workers.forEach((worker, index) => worker.post({ kind: 'contracts', shared: queues.buffer, index, sources }));
    return {
      finish: async () => {
        try {
          return await this.finish(loaded, root, queues, options);
        } catch {
          // A worker that failed took its share of the verdicts with it: this thread reaches all of them again.
          return checkContracts(loaded, root, options);
        } finally {
          await Promise.all(this.workers.map((w) => w.close()));
        }
      },
    };
  }

  private async finish(loaded: LoadedContracts, root: string, queues: ContractQueues, options: CompileOptions): Promise<CheckedContracts> {
    this.workerTasks = 0;
    const { contracts, resolver } = loaded;
    const structure: StructureVerdict[] = new Array(contracts.length);
    for (let i = queues.take('structure'); i !== undefined; i = queues.take('structure')) structure[i] = checkStructure(contracts[i]!, resolver);
    for (const [index, worker] of this.workers.entries()) {
      if (!queues.entered('structure', index)) continue;
      const answer = (await worker.answer('structure')) as Extract<FromWorker, { kind: 'structure' }>;
      this.workerTasks += answer.results.length;
      for (const [i, verdict] of answer.results) structure[i] = verdict;
    }
    for (let i = 0; i < contracts.length; i++) if (structure[i] === undefined) throw new Error(`no structure verdict on ${contracts[i]!.file}`);

    const broken = structure.flatMap((v, i) => (v.broken ? [i] : []));
    for (const worker of this.workers) worker.post({ kind: 'compile', broken, options });
    const compiled = new Map<number, Problem>();
    const order = compileOrder(contracts.length, broken);
    const compiler = contractCompiler(loaded, root, structure, options);
    for (let t = queues.take('compile', order.length); t !== undefined; t = queues.take('compile', order.length)) {
      const problem = compiler.compile(contracts[order[t]!]!);
      if (problem) compiled.set(order[t]!, problem);
    }
    for (const [index, worker] of this.workers.entries()) {
      if (!queues.entered('compile', index)) continue;
      const answer = (await worker.answer('compile')) as Extract<FromWorker, { kind: 'compile' }>;
      this.workerTasks += answer.results.length;
      for (const [i, problem] of answer.results) if (problem) compiled.set(i, problem);
    }
    return assembleVerdicts(loaded, root, structure, compiled);
  }
}

/** The indices of the contracts to compile, in order: all but the broken ones. */
export function compileOrder(count: number, broken: readonly number[]): number[] {
  const skip = new Set(broken);
  const order: number[] = [];
  for (let i = 0; i < count; i++) if (!skip.has(i)) order.push(i);
  return order;
}
