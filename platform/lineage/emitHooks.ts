import type { OpenLineageEvent } from './OpenLineageEvent.js';

/**
 * Called with every event a lineage client emits, before its transport sees it. A hook that throws stops the
 * emission: the test suite installs one that validates each event against the spec, so no test can emit a
 * non-conforming event unnoticed.
 */
export type EmitHook = (event: OpenLineageEvent, json: string) => void;

// On globalThis, so that every copy of this module (sources and `dist/`, loaded side by side in tests) shares
// one list.
const KEY = Symbol.for('mesh.lineage.emitHooks');
const registry = globalThis as { [KEY]?: EmitHook[] };

function hooks(): EmitHook[] {
  return (registry[KEY] ??= []);
}

/** Installs a hook; returns the function that removes it. */
export function addEmitHook(hook: EmitHook): () => void {
  hooks().push(hook);
  return () => {
    const list = hooks();
    const i = list.indexOf(hook);
    if (i !== -1) list.splice(i, 1);
  };
}

/** How many hooks are installed (the conformance suite checks its own is). */
export function emitHookCount(): number {
  return hooks().length;
}

export function runEmitHooks(event: OpenLineageEvent, json: string): void {
  const list = registry[KEY];
  if (list === undefined || list.length === 0) return;
  for (const hook of list) hook(event, json);
}
