import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Problem } from '../problems/Problem.js';
import type { ContractCompiler, CompileOptions } from './checkContracts.js';
import type { LoadedContracts } from './loadContracts.js';
import { ContractQueues } from './ContractQueues.js';

const WORKER_URL = new URL('./contractWorker.js', import.meta.url);

/** What the main thread gives a worker: the contracts (by text), which are broken, which to compile. */
export interface ToWorker {
  readonly shared: SharedArrayBuffer;
  readonly index: number;
  readonly sources: readonly { file: string; text: string }[];
  readonly broken: readonly number[];
  /** Contract indices, taken from the shared queue by position. */
  readonly tasks: readonly number[];
  readonly options: CompileOptions;
}

/** What a worker answers: that it has loaded its modules, then the problems of the contracts it compiled. */
export type FromWorker = { readonly kind: 'ready' } | { readonly kind: 'compiled'; readonly results: readonly [number, Problem | undefined][] };

/** One worker thread, with a mailbox per kind of answer. */
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

  answer<K extends FromWorker['kind']>(kind: K): Promise<Extract<FromWorker, { kind: K }>> {
    const ready = this.answers.get(kind);
    if (ready) return Promise.resolve(ready as Extract<FromWorker, { kind: K }>);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.set(kind, { resolve: resolve as (answer: FromWorker) => void, reject }));
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Worker threads that compile contracts with Ajv beside the main thread, for repositories where many
 * contracts need Ajv (those `CompileProof` does not prove). Each worker rebuilds the contracts from their
 * texts (no file is read twice, and all threads see the same documents in the same order), and takes
 * compilations from the same queue as the main thread (see `ContractQueues`), so that a worker that starts
 * late only leaves more to the others. The problems are put together by contract: any number of threads gives
 * the answer of one, problem for problem.
 */
export class ContractWorkers {
  /** Compilations that the workers did in the last `compile`: for diagnostics. */
  workerTasks = 0;

  private constructor(private readonly workers: ContractWorker[]) {}

  /** Whether workers can run: from the build (`dist/`), where the worker's module exists as JavaScript. */
  static available(): boolean {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  }

  static start(root: string, count: number): ContractWorkers {
    return new ContractWorkers(Array.from({ length: count }, () => new ContractWorker(root)));
  }

  /** Resolves when every worker has loaded its modules. */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.answer('ready')));
  }

  /**
   * Compiles the contracts `tasks` (indices into `loaded.contracts`) in this thread with `compiler` and in
   * the workers, and gives the problem of each that does not compile. The workers are closed afterwards; if one
   * fails, this thread compiles every task itself.
   */
  async compile(loaded: LoadedContracts, broken: readonly number[], tasks: readonly number[], compiler: ContractCompiler, options: CompileOptions): Promise<Map<number, Problem>> {
    const queues = new ContractQueues(tasks.length, this.workers.length);
    const sources = loaded.contracts.map((c) => ({ file: c.file, text: c.document.text }));
    this.workers.forEach((worker, index) => worker.post({ shared: queues.buffer, index, sources, broken, tasks, options }));
    this.workerTasks = 0;
    const compiled = new Map<number, Problem>();
    try {
      for (let t = queues.take(); t !== undefined; t = queues.take()) {
        const problem = compiler.compile(loaded.contracts[tasks[t]!]!);
        if (problem) compiled.set(tasks[t]!, problem);
      }
      for (const [index, worker] of this.workers.entries()) {
        if (!queues.entered(index)) continue;
        const { results } = await worker.answer('compiled');
        this.workerTasks += results.length;
        for (const [i, problem] of results) if (problem) compiled.set(i, problem);
      }
      return compiled;
    } catch {
      // A worker that failed took its share of the verdicts with it.
      compiled.clear();
      for (const i of tasks) {
        const problem = compiler.compile(loaded.contracts[i]!);
        if (problem) compiled.set(i, problem);
      }
      return compiled;
    } finally {
      await Promise.all(this.workers.map((w) => w.close()));
    }
  }
}
