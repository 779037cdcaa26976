import type { RecordField } from '../../contract/recordFields.js';

const enum Kind {
  Other = 0,
  Number = 1,
  DateTime = 2,
  Date = 3,
}

/**
 * Per-field metrics of streamed records: nulls (null or absent), and the smallest and largest value of
 * numeric and date/date-time fields. It runs on every record, so it keeps plain arrays indexed by field and
 * compares date-times as strings while they share one layout (`YYYY-MM-DDTHH:MM:SS[.f]Z` of one length, on a
 * valid record), which orders them by time; other spellings go through `Date.parse`.
 */
export class RecordProfiler {
  private readonly names: string[];
  private readonly kinds: Kind[];
  readonly nulls: number[];
  private readonly minNumber: number[];
  private readonly maxNumber: number[];
  /** Canonical track: strings of one layout, compared as strings. */
  private readonly minText: (string | undefined)[];
  private readonly maxText: (string | undefined)[];
  private readonly textLength: number[];
  /** General track: `Date.parse` milliseconds and the text they came from. */
  private readonly minTime: number[];
  private readonly maxTime: number[];
  private readonly minTimeText: (string | undefined)[];
  private readonly maxTimeText: (string | undefined)[];
  records = 0;

  /** Whether a valid record proves the field's layout (its format is date or date-time). */
  private readonly checked: boolean[];

  /** `freshnessColumn` is ordered by time whatever its declared format, for the freshness SLA. */
  constructor(fields: readonly RecordField[], freshnessColumn?: string) {
    this.names = fields.map((f) => f.name);
    this.kinds = fields.map((f) =>
      f.type === 'integer' || f.type === 'number'
        ? Kind.Number
        : f.format === 'date'
          ? Kind.Date
          : f.format === 'date-time' || f.name === freshnessColumn
            ? Kind.DateTime
            : Kind.Other,
    );
    this.checked = fields.map((f) => f.format === 'date' || f.format === 'date-time');
    const n = fields.length;
    this.nulls = new Array<number>(n).fill(0);
    this.minNumber = new Array<number>(n).fill(Infinity);
    this.maxNumber = new Array<number>(n).fill(-Infinity);
    this.minText = new Array<string | undefined>(n).fill(undefined);
    this.maxText = new Array<string | undefined>(n).fill(undefined);
    this.textLength = new Array<number>(n).fill(-1);
    this.minTime = new Array<number>(n).fill(Infinity);
    this.maxTime = new Array<number>(n).fill(-Infinity);
    this.minTimeText = new Array<string | undefined>(n).fill(undefined);
    this.maxTimeText = new Array<string | undefined>(n).fill(undefined);
    this.add = this.compile();
  }

  /** Profiles one record (null or absent fields of a non-object count as nulls). */
  readonly add: (record: unknown, valid: boolean) => void;

  /**
   * The body of `add`, written out field by field with each name as a literal: a loop reading
   * `record[names[i]]` makes V8's property lookups megamorphic, and costs several times as much on millions
   * of records. Names enter the code only through `JSON.stringify`, as string literals.
   */
  private compile(): (record: unknown, valid: boolean) => void {
    const lines = this.names.map((name, i) => {
      const read = `v = record[${JSON.stringify(name)}];\n  if (v === null || v === undefined) nulls[${i}]++;`;
      switch (this.kinds[i]) {
        case Kind.Number:
          return `${read}\n  else if (typeof v === 'number') { if (v < minNumber[${i}]) minNumber[${i}] = v; if (v > maxNumber[${i}]) maxNumber[${i}] = v; }`;
        case Kind.DateTime:
        case Kind.Date:
          return `${read}\n  else if (typeof v === 'string') addTime(${i}, v, valid);`;
        default:
          return read;
      }
    });
    const body = `return function add(record, valid) {
  self.records++;
  if (typeof record !== 'object' || record === null) { for (let i = 0; i < nulls.length; i++) nulls[i]++; return; }
  let v;
  ${lines.join('\n  ')}
};`;
    const make = new Function('self', 'nulls', 'minNumber', 'maxNumber', 'addTime', body) as (...args: unknown[]) => (record: unknown, valid: boolean) => void;
    return make(this, this.nulls, this.minNumber, this.maxNumber, (i: number, value: string, valid: boolean) => this.addTime(i, value, valid));
  }

  private addTime(i: number, value: string, valid: boolean): void {
    const canonical =
      valid &&
      this.checked[i] === true &&
      (this.kinds[i] === Kind.Date || (value.charCodeAt(value.length - 1) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */)) &&
      (this.textLength[i] === -1 || this.textLength[i] === value.length);
    if (canonical) {
      this.textLength[i] = value.length;
      if (this.minText[i] === undefined || value < this.minText[i]!) this.minText[i] = value;
      if (this.maxText[i] === undefined || value > this.maxText[i]!) this.maxText[i] = value;
      return;
    }
    const time = Date.parse(value);
    if (Number.isNaN(time)) return;
    if (time < this.minTime[i]!) {
      this.minTime[i] = time;
      this.minTimeText[i] = value;
    }
    if (time > this.maxTime[i]!) {
      this.maxTime[i] = time;
      this.maxTimeText[i] = value;
    }
  }

  /** What the profiler found, as plain data: to carry from a worker thread, and to merge. */
  state(): ProfileState {
    return {
      nulls: this.nulls,
      ranges: this.names.map((_n, i) => this.range(i)),
    };
  }

  /** The smallest and largest value of field `i`, or undefined for fields without an order or without values. */
  private range(i: number): FieldRange | undefined {
    if (this.kinds[i] === Kind.Number) return this.minNumber[i] === Infinity ? undefined : { min: this.minNumber[i]!, max: this.maxNumber[i]! };
    if (this.kinds[i] === Kind.Other) return undefined;
    const min = earliest([this.minText[i], this.minTimeText[i]], (a, b) => a < b);
    const max = earliest([this.maxText[i], this.maxTimeText[i]], (a, b) => a > b);
    return min === undefined || max === undefined ? undefined : { min, max };
  }
}

export interface FieldRange {
  readonly min: number | string;
  readonly max: number | string;
}

/** Per field: nulls, and the range of ordered fields. */
export interface ProfileState {
  readonly nulls: readonly number[];
  readonly ranges: readonly (FieldRange | undefined)[];
}

/** The profile of a whole input from the profiles of its parts. */
export function mergeProfiles(states: readonly ProfileState[]): ProfileState {
  if (states.length === 1) return states[0]!;
  const fields = states[0]?.nulls.length ?? 0;
  const nulls = Array.from({ length: fields }, (_v, i) => states.reduce((sum, s) => sum + s.nulls[i]!, 0));
  const ranges = Array.from({ length: fields }, (_v, i) => {
    const parts = states.map((s) => s.ranges[i]).filter((r): r is FieldRange => r !== undefined);
    if (parts.length === 0) return undefined;
    const order = (v: number | string) => (typeof v === 'number' ? v : Date.parse(v));
    const pick = (values: (number | string)[], better: (a: number, b: number) => boolean) => values.reduce((best, v) => (better(order(v), order(best)) ? v : best));
    return { min: pick(parts.map((p) => p.min), (a, b) => a < b), max: pick(parts.map((p) => p.max), (a, b) => a > b) };
  });
  return { nulls, ranges };
}

/** The first of the candidates by `before` on their times. */
function earliest(candidates: (string | undefined)[], before: (a: number, b: number) => boolean): string | undefined {
  let best: string | undefined;
  for (const c of candidates) {
    if (c === undefined) continue;
    if (best === undefined || before(Date.parse(c), Date.parse(best))) best = c;
  }
  return best;
}
