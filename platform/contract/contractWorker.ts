import { parentPort, workerData } from 'node:worker_threads';
import type { Problem } from '../problems/Problem.js';
import { checkStructure, contractCompiler, type StructureVerdict } from './checkContracts.js';
import { ContractQueues } from './ContractQueues.js';
import { compileOrder, type FromWorker, type ToWorker } from './ContractWorkers.js';
import { contractsFromTexts, type LoadedContracts } from './loadContracts.js';

/**
 * A worker thread of `ContractWorkers`: rebuilds the contracts from their texts, takes structure checks from
 * the shared queue, then, once told which contracts are broken (everybody's verdicts), compilations; it
 * answers each phase with its verdicts by contract index.
 */
const { root } = workerData as { root: string };
let state: { loaded: LoadedContracts; queues: ContractQueues; index: number } | undefined;

parentPort!.on('message', (message: ToWorker) => {
  if (message.kind === 'contracts') {
    const loaded = { ...contractsFromTexts(root, message.sources), problems: [] };
    const queues = new ContractQueues(loaded.contracts.length, 0, message.shared);
    state = { loaded, queues, index: message.index };
    queues.enter('structure', message.index);
    const results: [number, StructureVerdict][] = [];
    for (let i = queues.take('structure'); i !== undefined; i = queues.take('structure')) results.push([i, checkStructure(loaded.contracts[i]!, loaded.resolver)]);
    answer({ kind: 'structure', results });
    return;
  }
  if (!state) throw new Error('contracts first');
  const { loaded, queues, index } = state;
  const broken = new Set(message.broken);
  const structure = loaded.contracts.map((_, i) => ({ problems: [], broken: broken.has(i) }));
  const compiler = contractCompiler(loaded, root, structure, message.options);
  const order = compileOrder(loaded.contracts.length, message.broken);
  queues.enter('compile', index);
  const results: [number, Problem | undefined][] = [];
  for (let t = queues.take('compile', order.length); t !== undefined; t = queues.take('compile', order.length)) results.push([order[t]!, compiler.compile(loaded.contracts[order[t]!]!)]);
  answer({ kind: 'compile', results });
});

function answer(message: FromWorker): void {
  parentPort!.postMessage(message);
}

answer({ kind: 'ready' });
