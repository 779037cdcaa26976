import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from '../problems/Problem.js';
import { contractCompiler } from './checkContracts.js';
import { ContractQueues } from './ContractQueues.js';
import type { FromWorker, ToWorker } from './ContractWorkers.js';
import { contractsFromTexts } from './loadContracts.js';

/**
 * A worker thread of `ContractWorkers`: rebuilds the contracts from their texts, takes compilations from the
 * shared queue, and answers with the problem of each contract it compiled.
 */
const { root } = workerData as { root: string };

parentPort!.on('message', (message: ToWorker) => {
  const loaded = { ...contractsFromTexts(root, message.sources), problems: [] };
  const broken = new Set(message.broken);
  const structure = loaded.contracts.map((_, i) => ({ problems: [], broken: broken.has(i) }));
  const compiler = contractCompiler(loaded, root, structure, message.options);
  const queues = new ContractQueues(message.tasks.length, 0, message.shared);
  queues.enter(message.index);
  const results: [number, Problem | undefined][] = [];
  for (let t = queues.take(); t !== undefined; t = queues.take()) results.push([message.tasks[t]!, compiler.compile(loaded.contracts[message.tasks[t]!]!)]);
  answer({ kind: 'compiled', results });
});

function answer(message: FromWorker): void {
  parentPort!.postMessage(message);
}

answer({ kind: 'ready' });
