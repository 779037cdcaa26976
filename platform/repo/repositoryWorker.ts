import { parentPort, workerData } from 'node:worker_threads';
import { ShareAnalyzer } from './ShareAnalyzer.js';

/** A worker thread of `loadRepository`: answers `analyze` and `compile` requests for its share. */
const analyzer = new ShareAnalyzer((workerData as { root: string }).root);

parentPort!.on('message', async (message: { id: number; method: 'analyze' | 'compile'; request: never }) => {
  try {
    const result = message.method === 'analyze' ? await analyzer.analyze(message.request) : analyzer.compile(message.request);
    parentPort!.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
