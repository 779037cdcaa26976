import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalyzeRequest, AnalyzeResult } from './ShareAnalyzer.js';
import type { ContractVerdicts } from './../contract/checkContracts.js';

const WORKER_URL = new URL('./repositoryWorker.js', import.meta.url);

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** One worker thread running `ShareAnalyzer`, spoken to by request id. */
class ShareWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private dead: Error | undefined;

  constructor(root: string) {
    // No inherited flags: the parent's (--input-type, test runners' loaders) would break the worker's start.
    this.worker = new Worker(WORKER_URL, { workerData: { root }, execArgv: [] });
    this.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => this.failAll(new Error('worker exited')));
  }

  request<T>(method: 'analyze' | 'compile', request: unknown): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, method, request });
    });
  }

  private failAll(error: Error): void {
    this.dead ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Worker threads for the shares of a large repository beyond the main thread's own. Available only when
 * running from the build (`dist/`), where the worker's module exists as JavaScript.
 */
export class WorkerShares {
  private constructor(private readonly workers: ShareWorker[]) {}

  static available(): boolean {
    return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
  }

  static start(root: string, count: number): WorkerShares {
    return new WorkerShares(Array.from({ length: count }, () => new ShareWorker(root)));
  }

  get size(): number {
    return this.workers.length;
  }

  analyze(index: number, request: AnalyzeRequest): Promise<AnalyzeResult> {
    return this.workers[index]!.request('analyze', request);
  }

  compile(index: number, request: { broken: readonly string[]; contractShare: readonly string[] }): Promise<ContractVerdicts> {
    return this.workers[index]!.request('compile', request);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
