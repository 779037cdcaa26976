import type { SqlClient } from '../db/SqlClient.js';

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
 * - `pg_temp.mesh_row_errors(values, types, names)` does it for a whole row: null when every value converts,
 *   else `[{field, keyword: 'type', message}]`.
 *
 * They serve the slow path of a load only. On PostgreSQL 16 and later they ask `pg_input_error_info`, which
 * costs no subtransaction. Before 16 a failed cast can only be caught by an exception block, which costs one
 * subtransaction each time it is entered: `mesh_row_errors` then tries the whole row in one block and looks
 * at single values only in the rare row that fails.
 */
export async function sessionSetup(tx: SqlClient): Promise<void> {
  const version = (await tx.query<{ v: number }>("select current_setting('server_version_num')::int as v")).rows[0]!.v;
  await tx.exec(`
set local time zone 'UTC';
set local standard_conforming_strings = on;
create or replace function pg_temp.mesh_reject(message text) returns text language plpgsql volatile as $fn$
begin
  raise exception using errcode = '${REJECT_SQLSTATE}', message = message;
end
$fn$;
create or replace function pg_temp.mesh_cast(value text, type text) returns void language plpgsql volatile as $fn$
declare
  n numeric;
begin
  case type
    when 'integer' then
      n := value::numeric;
      if n <> trunc(n) then
        raise exception using errcode = '${REJECT_SQLSTATE}', message = format('%s is not a whole number', value);
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
end
$fn$;
${version >= 160000 ? CAST_ERROR_16 : CAST_ERROR_12}
create or replace function pg_temp.mesh_row_errors(vals text[], types text[], names text[]) returns jsonb language plpgsql volatile as $fn$
declare
  errors jsonb := '[]';
  message text;
begin
  ${version >= 160000 ? '' : ROW_FAST_12}
  for i in 1 .. coalesce(array_length(vals, 1), 0) loop
    message := pg_temp.mesh_cast_error(vals[i], types[i]);
    if message is not null then
      errors := errors || jsonb_build_object('field', names[i], 'keyword', 'type', 'message', message);
    end if;
  end loop;
  return case when errors = '[]' then null else errors end;
end
$fn$;
`);
}

/**
 * PostgreSQL 16+: no exception block, no subtransaction. `pg_input_error_info` caches the type it parsed per
 * call site, so each type has its own call with a constant type name.
 */
const CAST_ERROR_16 = `
create or replace function pg_temp.mesh_cast_error(value text, type text) returns text language plpgsql volatile as $fn$
declare
  n numeric;
begin
  if value is null then
    return null;
  end if;
  case type
    when 'integer' then
      if not pg_input_is_valid(value, 'numeric') then
        return (pg_input_error_info(value, 'numeric')).message;
      end if;
      n := value::numeric;
      if n <> trunc(n) then
        return format('%s is not a whole number', value);
      end if;
      return (pg_input_error_info(n::text, 'bigint')).message;
    when 'bigint' then return (pg_input_error_info(value, 'bigint')).message;
    when 'numeric' then return (pg_input_error_info(value, 'numeric')).message;
    when 'boolean' then return (pg_input_error_info(value, 'boolean')).message;
    when 'date' then return (pg_input_error_info(value, 'date')).message;
    when 'timestamptz' then return (pg_input_error_info(value, 'timestamptz')).message;
    when 'jsonb' then return (pg_input_error_info(value, 'jsonb')).message;
    else return null;
  end case;
end
$fn$;`;

/** Before PostgreSQL 16: the cast in an exception block. */
const CAST_ERROR_12 = `
create or replace function pg_temp.mesh_cast_error(value text, type text) returns text language plpgsql volatile as $fn$
begin
  if value is null then
    return null;
  end if;
  perform pg_temp.mesh_cast(value, type);
  return null;
exception when others then
  return sqlerrm;
end
$fn$;`;

/** Before PostgreSQL 16: the whole row in one exception block; single values only when it fails. */
const ROW_FAST_12 = `begin
    for i in 1 .. coalesce(array_length(vals, 1), 0) loop
      if vals[i] is not null then
        perform pg_temp.mesh_cast(vals[i], types[i]);
      end if;
    end loop;
    return null;
  exception when others then
    null;
  end;`;
