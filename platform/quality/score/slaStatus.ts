import type { Sla } from '../../manifest/DataProductManifest.js';
import type { SlaState, SlaStatus } from '../QualityReport.js';
import { formatSeconds, parseDuration } from './parseDuration.js';
import type { RunRecord } from './RunRecord.js';

/**
 * Share of an SLA's allowance (the freshness budget `max`, or the error budget `100 - target` of a
 * percentage) beyond which a promise that still holds is AT_RISK rather than MET.
 */
export const AT_RISK_FROM = 0.75;

export interface SlaInputs {
  readonly sla: Sla | undefined;
  readonly now: Date;
  /** The newest value of the freshness column, ISO; undefined when there is none (or no column). */
  readonly newest: string | undefined;
  /** Why the newest value is unknown, when the SLA names a column. */
  readonly newestUnknown?: string;
  readonly records: number;
  readonly valid: number;
  /** Past runs, newest last or in any order; undefined when no run history is known. */
  readonly runs: readonly RunRecord[] | undefined;
}

/**
 * The SLA status of a port. Freshness: the lag of the newest record (the SLA's `column`) or else of the last
 * successful run, against `max`. Completeness: the share of valid records against `completeness`.
 * Availability: the share of successful runs against `availability`. Each is MET, AT_RISK (more than
 * `AT_RISK_FROM` of the allowance used), BREACHED, or UNKNOWN (no promise, or nothing to measure).
 */
export function slaStatus(inputs: SlaInputs): SlaStatus {
  return { freshness: freshness(inputs), completeness: completeness(inputs), availability: availability(inputs) };
}

function freshness({ sla, now, newest, newestUnknown, runs }: SlaInputs): SlaStatus['freshness'] {
  const unknown = (detail: string, maxSeconds: number | null = null) =>
    ({ status: 'UNKNOWN', lagSeconds: null, maxSeconds, measuredFrom: null, newest: null, detail }) as const;
  if (!sla?.freshness) return unknown('no freshness SLA');
  const maxSeconds = parseDuration(sla.freshness.max);
  if (maxSeconds === undefined) return unknown(`freshness max ${sla.freshness.max} is not an ISO-8601 duration`);
  let from: 'column' | 'last_run';
  let stamp: string | undefined;
  if (sla.freshness.column !== undefined) {
    from = 'column';
    stamp = newest;
    if (stamp === undefined) return unknown(newestUnknown ?? `no value in ${sla.freshness.column}`, maxSeconds);
  } else {
    from = 'last_run';
    const successes = (runs ?? []).filter((r) => r.state === 'COMPLETE').map((r) => r.endedAt).sort((a, b) => Date.parse(a) - Date.parse(b));
    stamp = successes[successes.length - 1];
    if (stamp === undefined) return unknown(runs === undefined ? 'no freshness column and no run history' : 'no successful run yet', maxSeconds);
  }
  const time = Date.parse(stamp);
  if (Number.isNaN(time)) return unknown(`${stamp} is not a date-time`, maxSeconds);
  const lagSeconds = Math.max(0, (now.getTime() - time) / 1000);
  const status = graded(lagSeconds, maxSeconds);
  const source = from === 'column' ? `newest ${sla.freshness.column}` : 'last successful run';
  return {
    status,
    lagSeconds: round(lagSeconds),
    maxSeconds,
    measuredFrom: from,
    newest: stamp,
    detail: `${source} ${stamp} is ${formatSeconds(lagSeconds)} old; max ${sla.freshness.max} (${formatSeconds(maxSeconds)})`,
  };
}

function completeness({ sla, records, valid }: SlaInputs): SlaStatus['completeness'] {
  const target = sla?.completeness ?? null;
  if (target === null) return { status: 'UNKNOWN', percent: records > 0 ? percent(valid, records) : null, target, detail: 'no completeness SLA' };
  if (records === 0) return { status: 'UNKNOWN', percent: null, target, detail: 'no records' };
  const actual = percent(valid, records);
  return { status: gradedShare((100 * valid) / records, target), percent: actual, target, detail: `${valid} of ${records} records valid (${actual}%); target ${target}%` };
}

function availability({ sla, runs }: SlaInputs): SlaStatus['availability'] {
  const target = sla?.availability ?? null;
  if (target === null) return { status: 'UNKNOWN', percent: null, target, detail: 'no availability SLA' };
  if (runs === undefined || runs.length === 0) return { status: 'UNKNOWN', percent: null, target, detail: runs === undefined ? 'no run history given' : 'no runs yet' };
  const ok = runs.filter((r) => r.state === 'COMPLETE').length;
  const actual = percent(ok, runs.length);
  return { status: gradedShare((100 * ok) / runs.length, target), percent: actual, target, detail: `${ok} of ${runs.length} runs succeeded (${actual}%); target ${target}%` };
}

/** A quantity that must stay at or under `limit`. */
function graded(value: number, limit: number): SlaState {
  if (value > limit) return 'BREACHED';
  return value > AT_RISK_FROM * limit ? 'AT_RISK' : 'MET';
}

/** A percentage that must stay at or above `target`: the allowance is `100 - target`. */
function gradedShare(actual: number, target: number): SlaState {
  if (actual < target) return 'BREACHED';
  return graded(100 - actual, 100 - target);
}

function percent(part: number, whole: number): number {
  return round((100 * part) / whole, 3);
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
