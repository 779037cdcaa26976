/**
 * Installed for every test file (vitest `setupFiles`): every event any test emits through a lineage client
 * is validated against the OpenLineage spec (the upstream copy in ../shared when present, the vendored one
 * otherwise), core first, then each facet by key and place, mesh's own facets against their schemas. A
 * non-conforming event makes `emit` throw, and fails the test after it even when the code under test caught
 * that error. Child processes inherit `MESH_LINEAGE_VALIDATE=1`, so their clients validate each event too.
 * `test/lineage/conformance.test.ts` checks that all of this is in place and does its work.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { addEmitHook } from '../../platform/lineage/emitHooks.js';
import type { OpenLineageEvent } from '../../platform/lineage/OpenLineageEvent.js';
import { OpenLineageValidator, vendoredSpecDir, type EventViolation } from '../../platform/lineage/OpenLineageValidator.js';

export const SHARED_SPEC_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'openlineage', 'spec');

export interface ConformanceState {
  /** The spec directory events are checked against. */
  readonly specDir: string;
  readonly validator: () => OpenLineageValidator;
  /** Events checked in this test file so far. */
  checked: number;
  /** `place:key` of every facet seen on a checked event. */
  readonly facetsSeen: Set<string>;
  readonly violations: { event: string; violations: EventViolation[] }[];
}

const KEY = Symbol.for('mesh.test.lineageConformance');

export function conformanceState(): ConformanceState | undefined {
  return (globalThis as { [KEY]?: ConformanceState })[KEY];
}

// Commands that tests run in child processes inherit this and validate their own events (against the vendored
// spec, which a test keeps byte-identical to ../shared).
process.env['MESH_LINEAGE_VALIDATE'] = '1';

const specDir = existsSync(join(SHARED_SPEC_DIR, 'OpenLineage.json')) ? SHARED_SPEC_DIR : vendoredSpecDir();
let validator: OpenLineageValidator | undefined;
const state: ConformanceState = {
  specDir,
  validator: () => (validator ??= OpenLineageValidator.forMesh(specDir)),
  checked: 0,
  facetsSeen: new Set(),
  violations: [],
};
(globalThis as { [KEY]?: ConformanceState })[KEY] = state;

function recordFacets(event: Record<string, unknown>): void {
  const add = (place: string, facets: unknown) => {
    if (facets && typeof facets === 'object') for (const key of Object.keys(facets)) state.facetsSeen.add(`${place}:${key}`);
  };
  const e = event as { run?: { facets?: unknown }; job?: { facets?: unknown }; dataset?: { facets?: unknown }; inputs?: unknown[]; outputs?: unknown[] };
  add('run', e.run?.facets);
  add('job', e.job?.facets);
  add('dataset', e.dataset?.facets);
  for (const d of (e.inputs ?? []) as { facets?: unknown; inputFacets?: unknown }[]) {
    add('dataset', d.facets);
    add('inputDataset', d.inputFacets);
  }
  for (const d of (e.outputs ?? []) as { facets?: unknown; outputFacets?: unknown }[]) {
    add('dataset', d.facets);
    add('outputDataset', d.outputFacets);
  }
}

addEmitHook((_event: OpenLineageEvent, json: string) => {
  // What goes on the wire, not the object: undefined members vanish, Dates become strings.
  const wire = JSON.parse(json) as Record<string, unknown>;
  const violations = state.validator().validate(wire);
  state.checked++;
  recordFacets(wire);
  if (violations.length > 0) {
    state.violations.push({ event: json, violations });
    throw new Error(`non-conforming OpenLineage event:\n${violations.map((v) => `  ${v.pointer}: ${v.message} (${v.schema})`).join('\n')}`);
  }
});

afterEach(() => {
  if (state.violations.length === 0) return;
  const found = state.violations.splice(0);
  throw new Error(
    `${found.length} non-conforming OpenLineage event(s) were emitted during this test:\n` +
      found.map((f) => f.violations.map((v) => `  ${v.pointer}: ${v.message} (${v.schema})`).join('\n')).join('\n'),
  );
});
