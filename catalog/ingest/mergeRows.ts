import type { EdgeRow, FacetSource, NodeRow, RunRow, RunState } from './LineageRows.js';

/** START < RUNNING < the terminal states; OTHER reports facets only. */
export const RUN_STATE_RANK: Readonly<Record<RunState, number>> = { OTHER: 0, START: 1, RUNNING: 2, COMPLETE: 3, FAIL: 3, ABORT: 3 };

/**
 * Facets merged key by key, the greatest stamp winning: the rule `mesh_merge_facets` applies in SQL. It is
 * commutative, associative and idempotent, which makes ingestion independent of arrival order and repeats.
 */
export function mergeFacets(
  a: Record<string, unknown>,
  aStamps: Record<string, string>,
  b: Record<string, unknown>,
  bStamps: Record<string, string>,
): { facets: Record<string, unknown>; stamps: Record<string, string> } {
  const facets: Record<string, unknown> = { ...a };
  const stamps: Record<string, string> = { ...aStamps };
  for (const key of Object.keys(b)) {
    const incoming = bStamps[key] ?? '';
    if (!Object.hasOwn(a, key) || incoming > (aStamps[key] ?? '')) {
      facets[key] = b[key];
      stamps[key] = incoming;
    }
  }
  return { facets, stamps };
}

/** The source of the side whose facets the merge kept whole (same keys, same values), if any. */
function mergedSource(
  merged: Record<string, unknown>,
  a: { facets: Record<string, unknown>; source?: FacetSource | undefined },
  b: { facets: Record<string, unknown>; source?: FacetSource | undefined },
): FacetSource | undefined {
  const keys = Object.keys(merged);
  const whole = (side: Record<string, unknown>) => Object.keys(side).length === keys.length && keys.every((k) => Object.hasOwn(side, k) && side[k] === merged[k]);
  if (a.source && whole(a.facets)) return a.source;
  if (b.source && whole(b.facets)) return b.source;
  return undefined;
}

/**
 * Whether `x`'s facets alone are the merge of `x` and `y`: every facet `y` reports, `x` reports too with a
 * greater stamp (vacuously so when `y` reports none). The usual case: a node reported again by a later event,
 * or named bare (without facets) beside its full report. Then the merge is `x` as it is, with nothing copied.
 */
function dominates(x: { facets: Record<string, unknown>; stamps: Record<string, string> }, y: { stamps: Record<string, string> }): boolean {
  for (const key in y.stamps) {
    if (!Object.hasOwn(y.stamps, key)) continue;
    const stamp = x.stamps[key];
    if (stamp === undefined || !Object.hasOwn(x.facets, key) || !(stamp > y.stamps[key]!)) return false;
  }
  return true;
}

export function mergeNodeRows(a: NodeRow, b: NodeRow): NodeRow {
  if (dominates(b, a)) return b;
  if (dominates(a, b)) return a;
  const merged = mergeFacets(a.facets, a.stamps, b.facets, b.stamps);
  return { ...a, facets: merged.facets, stamps: merged.stamps, source: mergedSource(merged.facets, a, b) };
}

/** The earliest sighting of an edge keeps its detail. */
export function mergeEdgeRows(a: EdgeRow, b: EdgeRow): EdgeRow {
  return b.stamp < a.stamp ? b : a;
}

/**
 * Two views of one run merged, as the SQL upsert on `runs` merges a row with the stored one: the state of the
 * greater (rank, stamp) wins with its time, end and error message; start is the earliest START; first and last
 * event times widen; parent and nominal times are kept once known (the least, should events disagree); facets
 * merge key by key.
 */
export function mergeRunRows(a: RunRow, b: RunRow): RunRow {
  const winner = b.rank > a.rank || (b.rank === a.rank && b.stamp > a.stamp) ? b : a;
  const facets = mergeFacets(a.facets, a.stamps, b.facets, b.stamps);
  return {
    id: a.id,
    job: a.job,
    state: winner.state,
    rank: winner.rank,
    stamp: winner.stamp,
    stateTime: winner.stateTime,
    endedAt: winner.endedAt,
    errorMessage: winner.errorMessage,
    startedAt: least(a.startedAt, b.startedAt),
    firstEventAt: least(a.firstEventAt, b.firstEventAt)!,
    lastEventAt: a.lastEventAt > b.lastEventAt ? a.lastEventAt : b.lastEventAt,
    parentRunId: least(a.parentRunId, b.parentRunId),
    nominalStart: least(a.nominalStart, b.nominalStart),
    nominalEnd: least(a.nominalEnd, b.nominalEnd),
    facets: facets.facets,
    stamps: facets.stamps,
    source: mergedSource(facets.facets, a, b),
  };
}

/** The lesser of two ISO times (UTC, same width) or lower-case UUIDs, ignoring nulls as SQL's `least` does. */
function least(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
