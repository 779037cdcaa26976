import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineObserver } from '../../platform/pipeline/PipelineObserver.js';
import { createPgliteClient } from '../../platform/db/createPgliteClient.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { writeRepo, writeTempRepo } from '../support/fixtureRepo.js';
import { pipelineRepo } from './pipelineFixture.js';
import { runMesh } from './pipelineSupport.js';

// The seam for OpenLineage: what a run tells its observer, in order, with the ids that tie events together.
describe('the run observer', () => {
  let client: SqlClient;
  let repo: { root: string; cleanup(): Promise<void> };
  beforeAll(async () => {
    client = await createPgliteClient();
    repo = await writeTempRepo(pipelineRepo());
  });
  afterAll(async () => {
    await client.close();
    await repo.cleanup();
  });

  function recorder() {
    const events: { hook: string; event: Record<string, unknown> }[] = [];
    const observer: PipelineObserver = Object.fromEntries(
      (['runStarted', 'runEnded', 'productStarted', 'productEnded', 'stepStarted', 'stepRetrying', 'stepEnded'] as const).map((hook) => [
        hook,
        async (event: Record<string, unknown>) => {
          await new Promise((r) => setTimeout(r, 1)); // an async hook: the run waits for it
          events.push({ hook, event });
        },
      ]),
    );
    return { events, observer };
  }

  it('announces the run, each product and each step, start before end, with parent run ids', async () => {
    const { events, observer } = recorder();
    const summary = await runMesh(repo.root, client, ['shop.orders', 'shop.customers', 'shop.revenue'], { observer });
    expect(events.map((e) => `${e.hook}${e.event['product'] ? ` ${e.event['product'] as string}` : ''}`)).toEqual([
      'runStarted',
      'productStarted shop.customers',
      'stepStarted shop.customers',
      'stepEnded shop.customers',
      'productEnded shop.customers',
      'productStarted shop.orders',
      'stepStarted shop.orders',
      'stepEnded shop.orders',
      'productEnded shop.orders',
      'productStarted shop.revenue',
      'stepStarted shop.revenue',
      'stepEnded shop.revenue',
      'productEnded shop.revenue',
      'runEnded',
    ]);
    const runId = events[0]!.event['runId'];
    expect(runId).toBe(summary.runId);
    const revenueStart = events.find((e) => e.hook === 'productStarted' && e.event['product'] === 'shop.revenue')!.event;
    expect(revenueStart['parentRunId']).toBe(runId);
    const step = events.find((e) => e.hook === 'stepEnded' && e.event['product'] === 'shop.revenue')!.event as Record<string, any>;
    expect(step['parentRunId']).toBe(revenueStart['runId']);
    expect(step['output']).toBe('gold.shop_revenue');
    expect(step['inputs']).toEqual([
      { kind: 'port', product: 'shop.orders', port: 'orders', table: 'bronze.shop_orders' },
      { kind: 'port', product: 'shop.customers', port: 'customers', table: 'bronze.shop_customers' },
    ]);
    expect(step['sql'].text).toContain("{{ ref('shop.orders', 'orders') }}");
    expect(step['sql'].compiled).toContain('"bronze"."shop_orders"');
    expect(step['summary']).toMatchObject({ status: 'completed', rowsOut: 2 });
    expect(step['summary'].columnLineage.revenue).toEqual([{ product: 'shop.orders', port: 'orders', field: 'total', transformation: 'AGGREGATION' }]);
    expect(step['quality'].records).toBe(2);
    expect(step['error']).toBeUndefined();
    const load = events.find((e) => e.hook === 'stepStarted' && e.event['product'] === 'shop.orders')!.event;
    expect(load['inputs']).toEqual([{ kind: 'file', path: `${repo.root}/products/shop/orders/orders.jsonl`, format: 'jsonl' }]);
  });

  it('ends a failing step with its error, and ends skipped products without starting them', async () => {
    await writeRepo(repo.root, { 'products/shop/orders/orders.jsonl': '{"order_id": "O1"}\n' });
    const { events, observer } = recorder();
    await runMesh(repo.root, client, ['shop.orders', 'shop.open_orders'], { observer });
    const ended = events.find((e) => e.hook === 'stepEnded' && e.event['product'] === 'shop.orders')!.event as Record<string, any>;
    expect(ended['summary'].status).toBe('failed');
    expect((ended['error'] as Error).message).toBe(ended['summary'].error);
    expect(ended['error'].message).toMatch(/^1 of 1 record \(100%\) rejected/);
    expect(events.filter((e) => e.event['product'] === 'shop.open_orders').map((e) => e.hook)).toEqual(['productEnded']);
    expect((events.find((e) => e.hook === 'productEnded' && e.event['product'] === 'shop.open_orders')!.event as Record<string, any>)['summary']).toMatchObject({
      status: 'skipped',
      reason: 'upstream product shop.orders failed in this run',
    });
  });

  it('stops the run when a hook throws, even one called between attempts', async () => {
    await expect(runMesh(repo.root, client, ['shop.customers'], { observer: { stepStarted: () => { throw new Error('hook broke'); } } })).rejects.toThrow('hook broke');

    await client.exec(`create sequence if not exists public.observer_seq;
      create or replace function public.observer_flaky() returns int language plpgsql volatile as $$
      begin
        if nextval('public.observer_seq') = 1 then raise exception 'conflict' using errcode = '40001'; end if;
        return 1;
      end $$;`);
    await writeRepo(repo.root, { 'products/shop/customers/customers.csv': 'customer_id;email;country;signed_up\nC1;a@x.org;DE;2026-01-05T10:00:00Z\n' });
    await runMesh(repo.root, client, ['shop.customers', 'shop.orders']).catch(() => undefined);
    await writeRepo(repo.root, { 'products/shop/revenue/revenue.sql': "select 'ALL' as country, count(*) as orders, 0 as revenue from {{ ref('shop.customers') }} where public.observer_flaky() = 1" });
    await expect(runMesh(repo.root, client, ['shop.revenue'], { observer: { stepRetrying: () => { throw new Error('retry hook broke'); } } })).rejects.toThrow('retry hook broke');
  });
});
