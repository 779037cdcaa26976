import type { SqlClient } from '../../platform/db/SqlClient.js';

/**
 * Runs `work` while a trigger on `runs` refuses the run of one job: a real fault in the middle of an ingestion
 * statement, to show that a write failing part-way stores nothing. The trigger is dropped afterwards.
 */
export async function withRefusingTrigger<T>(sql: SqlClient, job: string, work: () => Promise<T>): Promise<T> {
  const name = `mesh_test_refuse_${Math.random().toString(36).slice(2, 10)}`;
  await sql.exec(`
    create function ${name}() returns trigger language plpgsql as $$
    begin
      if new.job_key = '${job.replace(/'/g, "''")}' then raise exception 'refused by test trigger'; end if;
      return new;
    end $$;
    create trigger ${name} before insert on runs for each row execute function ${name}();`);
  try {
    return await work();
  } finally {
    await sql.exec(`drop trigger ${name} on runs; drop function ${name}();`);
  }
}
