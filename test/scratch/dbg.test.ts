import { it } from 'vitest';
import { createPgliteClient } from '../../platform/warehouse/createPgliteClient.js';
import { sessionSetup } from '../../platform/pipeline/sessionSetup.js';
it('dbg', async () => {
  const c = await createPgliteClient();
  await c.transaction(async (tx) => {
    await sessionSetup(tx);
    console.log(JSON.stringify((await tx.query("select pg_temp.mesh_row_errors(array['1','1.5','true','2026-01-01T00:00:00Z']::text[], array['bigint','numeric','boolean','timestamptz']::text[], array['a','b','c','d']::text[]) e")).rows));
    console.log((await tx.query("select pg_temp.mesh_cast_error('1','bigint') e")).rows);
  });
});
