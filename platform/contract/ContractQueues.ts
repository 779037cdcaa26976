/** The two kinds of work on contracts, in order: structural checks and lint, then Ajv compilation. */
export type Phase = 'structure' | 'compile';

const PHASES: readonly Phase[] = ['structure', 'compile'];

/**
 * Work queues that threads share through a `SharedArrayBuffer`: for each phase, a counter of the next task (a
 * contract index, or an index into the compile order) that every thread takes from with an atomic add, so that
 * each task is taken by exactly one thread and a faster thread takes more; and for each worker, whether it has
 * entered the phase. A worker sets its flag before it takes its first task; the main thread, once the counter
 * is spent, waits only for the workers whose flag is set: any task that a worker took, it took after setting
 * its flag and before the main thread found the counter spent.
 */
export class ContractQueues {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  constructor(
    /** Tasks of the structure phase: one per contract. */
    private readonly contracts: number,
    workers: number,
    buffer?: SharedArrayBuffer,
  ) {
    this.buffer = buffer ?? new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * PHASES.length * (1 + workers));
    this.slots = new Int32Array(this.buffer);
  }

  /** The next task of a phase for this thread, or `undefined` when all are taken. */
  take(phase: Phase, total = this.contracts): number | undefined {
    const task = Atomics.add(this.slots, PHASES.indexOf(phase), 1);
    return task < total ? task : undefined;
  }

  /** A worker's mark that it takes tasks of a phase from now on. */
  enter(phase: Phase, worker: number): void {
    Atomics.store(this.slots, this.flag(phase, worker), 1);
  }

  entered(phase: Phase, worker: number): boolean {
    return Atomics.load(this.slots, this.flag(phase, worker)) === 1;
  }

  private flag(phase: Phase, worker: number): number {
    return PHASES.length + worker * PHASES.length + PHASES.indexOf(phase);
  }
}
