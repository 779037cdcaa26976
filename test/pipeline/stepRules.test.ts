import { describe, expect, it } from 'vitest';
import { lineOf, summarize, validateFiles } from '../support/validateRepo.js';
import { pipelineRepo } from './pipelineFixture.js';

const ORDERS = 'products/shop/orders/product.yaml';
const HISTORY = 'products/shop/order_history/product.yaml';
const ACCOUNTS = 'products/shop/accounts/product.yaml';

/** The fixture with one manifest's text edited. */
function edited(file: string, from: string, to: string) {
  const files = pipelineRepo();
  const text = files[file]!;
  if (!text.includes(from)) throw new Error(`"${from}" not in ${file}`);
  return { files: { ...files, [file]: text.replace(from, to) }, text: text.replace(from, to) };
}

describe('mesh validate: pipeline steps that cannot be built', () => {
  it('accepts the fixture mesh', async () => {
    expect((await validateFiles(pipelineRepo())).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it.each([
    { name: 'a file load materialized as a view', file: ORDERS, from: 'load: { file: orders.jsonl, format: jsonl }', to: 'load: { file: orders.jsonl, format: jsonl }\n      materialized: view', at: 'materialized: view', pointer: '/pipeline/steps/0/materialized' },
    { name: 'change events materialized as a view', file: ACCOUNTS, from: 'sequence: lsn } }', to: 'sequence: lsn } }\n      materialized: view', at: 'materialized: view', pointer: '/pipeline/steps/0/materialized' },
    { name: 'an incremental step without watermark or key', file: HISTORY, from: '      watermark: updated_at\n      uniqueKey: [order_id]\n', to: '', at: 'materialized: incremental', pointer: '/pipeline/steps/0/materialized' },
    { name: 'a watermark on a table step', file: HISTORY, from: 'materialized: incremental', to: 'materialized: table', at: 'watermark: updated_at', pointer: '/pipeline/steps/0/watermark' },
    { name: 'a CDC key that the contract does not have', file: ACCOUNTS, from: 'key: [account_id]', to: 'key: [account]', at: 'key: [account]', pointer: '/pipeline/steps/0/load/cdc/key/0' },
  ])('reports $name at its line', async ({ file, from, to, at, pointer }) => {
    const { files, text } = edited(file, from, to);
    const problems = summarize((await validateFiles(files)).filter((p) => p.severity === 'error'));
    expect(problems).toEqual([{ code: 'PIPELINE_STEP_INVALID', file, line: lineOf(text, at), pointer }]);
  });
});
