import type { SqlClient } from '../warehouse/SqlClient.js';

/** The SQLSTATE `pg_temp.mesh_reject` raises: class 22 (data exception), like a failed cast. */
export const REJECT_SQLSTATE = '22023';

/**
 * Prepares a step's transaction: settings that make a run's result independent of the server's defaults
 * (UTC, so that a timestamp without offset means the same everywhere; standard strings, which `quoteLiteral`
 * relies on), and the helper functions of file loads, as temporary functions that vanish with the session
 * and never touch the warehouse's schemas.
 *
 * - `pg_temp.mesh_reject(message)` raises a data exception: a conversion expression's way to abandon the fast
 *   path of a load as soon as one value does not fit.
 * - `pg_temp.mesh_cast_error(value, type)` is null when `value` converts to `type` (a column type, or
 *   `integer` for a JSON number that must be whole and fit a bigint), else the message PostgreSQL gives.
 *   It is what the slow path of a load calls per value; `pg_input_error_info` would do on PostgreSQL 16+,
 *   but the function works from 12 on.
 */
export async function sessionSetup(tx: SqlClient): Promise<void> {
  await tx.exec(`
set local time zone 'UTC';
set local standard_conforming_strings = on;
create or replace function pg_temp.mesh_reject(message text) returns text language plpgsql volatile as $fn$
begin
  raise exception using errcode = '${REJECT_SQLSTATE}', message = message;
end
$fn$;
create or replace function pg_temp.mesh_cast_error(value text, type text) returns text language plpgsql volatile as $fn$
declare
  n numeric;
begin
  if value is null then
    return null;
  end if;
  case type
    when 'integer' then
      n := value::numeric;
      if n <> trunc(n) then
        return format('%s is not a whole number', value);
      end if;
      perform n::bigint;
    when 'bigint' then perform value::bigint;
    when 'numeric' then perform value::numeric;
    when 'boolean' then perform value::boolean;
    when 'date' then perform value::date;
    when 'timestamptz' then perform value::timestamptz;
    when 'jsonb' then perform value::jsonb;
    else null;
  end case;
  return null;
exception when others then
  return sqlerrm;
end
$fn$;
`);
}
