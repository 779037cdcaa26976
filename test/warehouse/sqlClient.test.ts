import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { openTestWarehouses } from '../support/testWarehouses.js';

// The clients are closed, and the server database dropped, after the file's tests.
const { cases: warehouses } = await openTestWarehouses('sqlclient');

// One suite, both adapters: what passes on PGlite must pass on a PostgreSQL server, and the reverse.
describe.each(warehouses)('SqlClient on $name', ({ enabled, get }) => {
  let client: SqlClient;
  beforeAll(async () => {
    if (!enabled) return;
    client = await get();
    await client.exec('create schema gold; create table gold.t (id bigint primary key, amount numeric, at timestamptz, note text)');
  });

  it.skipIf(!enabled)('takes parameters and returns int8 as a number, numeric as exact text', async () => {
    await client.query('insert into gold.t values ($1, $2, $3, $4)', [1, '10.10', '2026-11-01T10:00:00Z', "O'Brien; drop table gold.t"]);
    const { rows } = await client.query<{ n: number; total: string; note: string }>('select count(*) as n, sum(amount) as total, max(note) as note from gold.t');
    expect(rows).toEqual([{ n: 1, total: '10.10', note: "O'Brien; drop table gold.t" }]);
  });

  it.skipIf(!enabled)('rolls a failed transaction back entirely', async () => {
    await expect(
      client.transaction(async (tx) => {
        await tx.query('insert into gold.t (id) values (2)');
        await tx.query('insert into gold.t (id) values (2)'); // unique violation
      }),
    ).rejects.toThrow(/duplicate key/);
    expect((await client.query('select id from gold.t order by id')).rows).toEqual([{ id: 1 }]);
  });

  it.skipIf(!enabled)('undoes only the inner work of a nested transaction', async () => {
    await client.transaction(async (tx) => {
      await tx.query('insert into gold.t (id) values (3)');
      await expect(tx.transaction((inner) => inner.query('insert into gold.t (id) values (3)'))).rejects.toThrow();
      await tx.query('insert into gold.t (id) values (4)');
    });
    expect((await client.query('select id from gold.t order by id')).rows).toEqual([{ id: 1 }, { id: 3 }, { id: 4 }]);
  });

  it.skipIf(!enabled)('copies CSV in and out', async () => {
    const csv = 'id,amount,at,note\n10,1.5,2026-01-01T00:00:00Z,"a, quoted"\n11,,2026-01-02T00:00:00Z,\n';
    const copied = await client.copyFrom('copy gold.t (id, amount, at, note) from stdin with (format csv, header true)', Readable.from([csv]));
    expect(copied).toBe(2);
    let out = '';
    for await (const chunk of client.copyTo('copy (select id, note from gold.t where id >= 10 order by id) to stdout with (format csv)')) out += Buffer.from(chunk).toString();
    expect(out).toBe('10,"a, quoted"\n11,\n');
  });
});
