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

  private readonly freshnessIndex: number;
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
    this.freshnessIndex = freshnessColumn === undefined ? -1 : this.names.indexOf(freshnessColumn);
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
  }

  add(record: unknown, valid: boolean): void {
    this.records++;
    const names = this.names;
    if (typeof record !== 'object' || record === null) {
      for (let i = 0; i < names.length; i++) this.nulls[i]!++;
      return;
    }
    const values = record as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) {
      const value = values[names[i]!];
      if (value === null || value === undefined) {
        this.nulls[i]!++;
        continue;
      }
      switch (this.kinds[i]) {
        case Kind.Number:
          if (typeof value === 'number') {
            if (value < this.minNumber[i]!) this.minNumber[i] = value;
            if (value > this.maxNumber[i]!) this.maxNumber[i] = value;
          }
          break;
        case Kind.DateTime:
        case Kind.Date:
          if (typeof value === 'string') this.addTime(i, value, valid);
          break;
        default:
      }
    }
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

  /** The newest value of the freshness column, as written in the data. */
  newest(): string | undefined {
    if (this.freshnessIndex === -1) return undefined;
    const max = this.range(this.freshnessIndex)?.max;
    return typeof max === 'string' ? max : undefined;
  }

  /** The smallest and largest value of field `i`, or undefined for fields without an order or without values. */
  range(i: number): { min: number | string; max: number | string } | undefined {
    if (this.kinds[i] === Kind.Number) return this.minNumber[i] === Infinity ? undefined : { min: this.minNumber[i]!, max: this.maxNumber[i]! };
    if (this.kinds[i] === Kind.Other) return undefined;
    const min = earliest([this.minText[i], this.minTimeText[i]], (a, b) => a < b);
    const max = earliest([this.maxText[i], this.maxTimeText[i]], (a, b) => a > b);
    return min === undefined || max === undefined ? undefined : { min, max };
  }
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
