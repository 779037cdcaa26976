import type { Measure, Observation } from '../checks/Measure.js';
import type { SqlClient } from '../../db/SqlClient.js';
import { quoteIdent, quoteTable } from '../../db/SqlClient.js';
import { KeyCounter, type KeyCounterState } from './KeyCounter.js';

/** Distinct values a `relationships` check collects from a file before it gives up (memory). */
export const MAX_LOOKUP_VALUES = 1_000_000;
const LOOKUP_BATCH = 10_000;

/**
 * A measure taken while records stream by. Its state is plain data, so that the parts of a file read by
 * several worker threads merge into one observation (`observe`).
 */
export interface RecordAccumulator {
  add(record: Record<string, unknown>): void;
  state(): AccumulatorState;
  dispose(): void;
}

export type AccumulatorState =
  | { readonly kind: 'count'; readonly n: number }
  | { readonly kind: 'keys'; readonly keys: KeyCounterState }
  /** Records per value; null once there were too many values. */
  | { readonly kind: 'values'; readonly values: Map<string, number> | null }
  | { readonly kind: 'fixed'; readonly observation: Observation };

/**
 * The accumulator of a measure; `keyBudget` is the keys a key counter may hold before it spills to disk,
 * `expected` about how many records will come.
 */
export function accumulatorFor(measure: Measure, keyBudget: number, expected = 0): RecordAccumulator {
  switch (measure.kind) {
    case 'rows':
      return counting(() => 1);
    case 'nulls': {
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
      return keyAccumulator(measure.fields, keyBudget, expected);
    case 'orphans':
      return valueAccumulator(measure.field);
    case 'sql':
      return fixed({ skipped: 'a file has no table to run SQL on; test the table in the warehouse' });
  }
}

/** The observation of a measure from the states of its accumulators over every part of the input. */
export async function observe(measure: Measure, states: readonly AccumulatorState[], keyBudget: number, warehouse: SqlClient | undefined): Promise<Observation> {
  const first = states[0]!;
  switch (first.kind) {
    case 'fixed':
      return first.observation;
    case 'count':
      return { value: states.reduce((sum, s) => sum + (s as { n: number }).n, 0) };
    case 'keys': {
      const { count, distinct, examples } = KeyCounter.merge(
        states.map((s) => (s as { keys: KeyCounterState }).keys),
        keyBudget,
      );
      return { value: count - distinct, examples, keys: { count, distinct, enforced: false } };
    }
    case 'values':
      return lookUp(measure as Extract<Measure, { kind: 'orphans' }>, states as Extract<AccumulatorState, { kind: 'values' }>[], warehouse);
  }
}

function fixed(observation: Observation): RecordAccumulator {
  return { add() {}, state: () => ({ kind: 'fixed', observation }), dispose() {} };
}

function counting(count: (record: Record<string, unknown>) => number): RecordAccumulator {
  let n = 0;
  return {
    add(record) {
      n += count(record);
    },
    state: () => ({ kind: 'count', n }),
    dispose() {},
  };
}

function keyAccumulator(fields: readonly string[], budget: number, expected: number): RecordAccumulator {
  const counter = new KeyCounter(budget, expected);
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
    state: () => ({ kind: 'keys', keys: counter.state() }),
    dispose: () => counter.dispose(),
  };
}

function valueAccumulator(field: string): RecordAccumulator {
  // Records per value, so that the count is of records, as in a table.
  let values: Map<string, number> | null = new Map();
  return {
    add(record) {
      const v = record[field];
      if (v === null || v === undefined || values === null) return;
      const key = typeof v === 'string' ? v : JSON.stringify(v);
      values.set(key, (values.get(key) ?? 0) + 1);
      if (values.size > MAX_LOOKUP_VALUES) values = null;
    },
    state: () => ({ kind: 'values', values }),
    dispose() {},
  };
}

async function lookUp(measure: Extract<Measure, { kind: 'orphans' }>, states: readonly Extract<AccumulatorState, { kind: 'values' }>[], warehouse: SqlClient | undefined): Promise<Observation> {
  const { to } = measure;
  const values = new Map<string, number>();
  for (const state of states) {
    if (state.values === null) return tooMany();
    for (const [k, n] of state.values) values.set(k, (values.get(k) ?? 0) + n);
    if (values.size > MAX_LOOKUP_VALUES) return tooMany();
  }
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
      for (const row of rows) {
        missing += values.get(row.v) ?? 0;
        if (examples.length < 5) examples.push(row.v);
      }
    }
  } catch (error) {
    return { error: `looking up ${to.port}.${to.field} in ${quoteTable(to.table)}: ${(error as Error).message}` };
  }
  return { value: missing, examples };
}

function tooMany(): Observation {
  return { skipped: `more than ${MAX_LOOKUP_VALUES} distinct values to look up; test the table in the warehouse instead` };
}
