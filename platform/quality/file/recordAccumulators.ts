import type { Measure, Observation } from '../checks/Measure.js';
import type { SqlClient } from '../../db/SqlClient.js';
import { quoteIdent, quoteTable } from '../../db/SqlClient.js';
import { KeyCounter } from './KeyCounter.js';

/** Distinct values a `relationships` check collects from a file before it gives up (memory). */
export const MAX_LOOKUP_VALUES = 1_000_000;
const LOOKUP_BATCH = 10_000;

/** A measure taken while records stream by. */
export interface RecordAccumulator {
  add(record: Record<string, unknown>): void;
  observe(records: number): Promise<Observation>;
  dispose(): void;
}

export interface AccumulatorContext {
  /** Keys a key counter may hold in memory before it spills to disk. */
  readonly keyBudget: number;
  /** Nulls of a contract field, from the profiler; undefined for other fields. */
  readonly nullsOf: (field: string) => number | undefined;
  /** The warehouse, for `relationships` checks of a file against an upstream table. */
  readonly warehouse: SqlClient | undefined;
}

/** The accumulator that takes `measure` on streamed records, or the observation when there is nothing to stream. */
export function accumulatorFor(measure: Measure, context: AccumulatorContext): RecordAccumulator | Observation {
  switch (measure.kind) {
    case 'rows':
      return counting(() => 0, (_n, records) => records);
    case 'nulls': {
      if (context.nullsOf(measure.field) !== undefined) return counting(() => 0, () => context.nullsOf(measure.field)!);
      const field = measure.field;
      return counting((r) => (r[field] === null || r[field] === undefined ? 1 : 0));
    }
    case 'notAccepted': {
      const field = measure.field;
      const accepted = new Set<unknown>(measure.values);
      return counting((r) => {
        const v = r[field];
        return v === null || v === undefined || accepted.has(v) ? 0 : 1;
      });
    }
    case 'outOfRange': {
      const { field, min, max } = measure;
      return counting((r) => {
        const v = r[field];
        return typeof v === 'number' && ((min !== undefined && v < min) || (max !== undefined && v > max)) ? 1 : 0;
      });
    }
    case 'duplicates':
      return keyAccumulator(measure.fields, context.keyBudget);
    case 'orphans':
      return lookupAccumulator(measure, context.warehouse);
    case 'sql':
      return { skipped: 'a file has no table to run SQL on; test the table in the warehouse' };
  }
}

function counting(count: (record: Record<string, unknown>) => number, total?: (n: number, records: number) => number): RecordAccumulator {
  let n = 0;
  return {
    add(record) {
      n += count(record);
    },
    observe: async (records) => ({ value: total ? total(n, records) : n }),
    dispose() {},
  };
}

function keyAccumulator(fields: readonly string[], budget: number): RecordAccumulator {
  const counter = new KeyCounter(budget);
  const single = fields.length === 1 ? fields[0]! : undefined;
  return {
    add(record) {
      if (single !== undefined) {
        const v = record[single];
        if (v !== null && v !== undefined) counter.add(v);
        return;
      }
      const values: unknown[] = [];
      for (const f of fields) {
        const v = record[f];
        if (v === null || v === undefined) return;
        values.push(v);
      }
      // An array is an object key to the counter: compared by its JSON, apart from strings.
      counter.add(values);
    },
    async observe() {
      const { count, distinct, examples } = counter.finish();
      return {
        value: count - distinct,
        examples,
        keys: { count, distinct, enforced: false },
      };
    },
    dispose: () => counter.dispose(),
  };
}

function lookupAccumulator(measure: Extract<Measure, { kind: 'orphans' }>, warehouse: SqlClient | undefined): RecordAccumulator {
  // Records per value, so that the count is of records, as in a table.
  const values = new Map<string, number>();
  let overflow = false;
  const { field, to } = measure;
  return {
    add(record) {
      if (overflow) return;
      const v = record[field];
      if (v === null || v === undefined) return;
      const key = typeof v === 'string' ? v : JSON.stringify(v);
      values.set(key, (values.get(key) ?? 0) + 1);
      if (values.size > MAX_LOOKUP_VALUES) {
        overflow = true;
        values.clear();
      }
    },
    async observe() {
      if (overflow) return { skipped: `more than ${MAX_LOOKUP_VALUES} distinct values to look up; test the table in the warehouse instead` };
      if (!warehouse) return { skipped: `needs the warehouse, where ${to.port} lives (${quoteTable(to.table)})` };
      const list = [...values.keys()];
      let missing = 0;
      const examples: string[] = [];
      try {
        for (let i = 0; i < list.length; i += LOOKUP_BATCH) {
          // Compared as text: the file's values against the upstream column's text form.
          const { rows } = await warehouse.query<{ v: string }>(
            `select v from unnest($1::text[]) as v where not exists (select 1 from ${quoteTable(to.table)} u where u.${quoteIdent(to.field)}::text = v)`,
            [list.slice(i, i + LOOKUP_BATCH)],
          );
          for (const row of rows) missing += values.get(row.v) ?? 0;
          for (const row of rows) if (examples.length < 5) examples.push(row.v);
        }
      } catch (error) {
        return { error: `looking up ${to.port}.${to.field} in ${quoteTable(to.table)}: ${(error as Error).message}` };
      }
      return { value: missing, examples };
    },
    dispose() {},
  };
}
