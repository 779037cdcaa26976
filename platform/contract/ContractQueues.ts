/**
 * A work queue that threads share through a `SharedArrayBuffer`: a counter of the next task that every thread
 * takes from with an atomic add, so that each task is taken by exactly one thread and a faster thread takes
 * more; and for each worker, whether it has started taking. A worker sets its flag before it takes its first
 * task; the main thread, once the counter is spent, waits only for the workers whose flag is set: any task that
 * a worker took, it took after setting its flag and before the main thread found the counter spent.
 */
export class ContractQueues {
  readonly buffer: SharedArrayBuffer;
  private readonly slots: Int32Array;

  constructor(
    private readonly tasks: number,
    workers: number,
    buffer?: SharedArrayBuffer,
  ) {
    this.buffer = buffer ?? new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + workers));
    this.slots = new Int32Array(this.buffer);
  }

  /** The next task for this thread, or `undefined` when all are taken. */
  take(): number | undefined {
    const task = Atomics.add(this.slots, 0, 1);
    return task < this.tasks ? task : undefined;
  }

  /** A worker's mark that it takes tasks from now on. */
  enter(worker: number): void {
    Atomics.store(this.slots, 1 + worker, 1);
  }

  entered(worker: number): boolean {
    return Atomics.load(this.slots, 1 + worker) === 1;
  }
}
