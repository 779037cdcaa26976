import { availableParallelism, loadavg } from 'node:os';

/**
 * How many threads mesh works in by default: every core (at most 4), unless the machine is saturated (a
 * 1-minute load of twice its cores), where a worker only adds its start and finishes no sooner. A lower load is
 * no reason to hold back: it counts mesh's own work of the last minute too.
 */
export function defaultThreads(): number {
  const cores = availableParallelism();
  return loadavg()[0]! >= 2 * cores ? 1 : Math.min(cores, 4);
}
