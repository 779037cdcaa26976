import type { SqlClient } from '../../db/SqlClient.js';
import { splitLines } from '../file/readJsonLines.js';

/** Rows a cursor fetches at a time on PGlite. */
const FETCH = 5000;

/**
 * Streams the single text column of `select` in bounded memory, calling `onLine` for each row. On a
 * PostgreSQL server it is one `COPY ... TO STDOUT` in CSV form with a quote and a delimiter that never occur
 * in the lines (JSON text escapes control characters), so each output line is the value as is. PGlite
 * gathers a COPY in memory, so there a cursor fetches the rows in pages, inside a transaction (a savepoint
 * when the caller is already in one).
 */
export async function streamLines(
  client: SqlClient,
  select: string,
  onLine: (line: string) => void,
  afterBatch: () => Promise<void> | void,
): Promise<void> {
  if (client.kind === 'postgres') {
    await splitLines(client.copyTo(`copy (${select}) to stdout with (format csv, delimiter e'\\x02', quote e'\\x01')`), {
      onLine,
      onOversized() {
        throw new Error('a row is too long to validate');
      },
      afterChunk: afterBatch,
    });
    return;
  }
  await client.transaction(async (tx) => {
    // On failure the rollback (to the savepoint) closes the cursor.
    await tx.exec(`declare mesh_quality_rows no scroll cursor for ${select}`);
    for (;;) {
      const { rows } = await tx.query<{ line: string }>(`fetch forward ${FETCH} from mesh_quality_rows`);
      for (const row of rows) onLine(row.line);
      await afterBatch();
      if (rows.length < FETCH) break;
    }
    await tx.exec('close mesh_quality_rows');
  });
}
