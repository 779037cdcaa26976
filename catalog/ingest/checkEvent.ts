import { InputError } from '../../platform/errors.js';
import { OpenLineageValidator, vendoredSpecDir } from '../../platform/lineage/OpenLineageValidator.js';
import { isObject } from '../../platform/util/guards.js';
import { sha256Hex } from '../util/canonicalJson.js';
import { inspectJson, jsonTextUnstorable } from '../util/inspectJson.js';
import { InvalidContentError, type Violation } from '../errors.js';
import type { NormalizedEvent } from './LineageRows.js';
import { normalizeEvent } from './normalizeEvent.js';

/** Deepest nesting accepted in an event; the spec's own shapes need fewer than 12 levels. */
export const MAX_EVENT_DEPTH = 64;

/**
 * Turns one parsed value into an event ready to store, or throws why not: `InputError` (HTTP 400) when it is
 * not a JSON object, `InvalidContentError` (422) with located violations when it does not conform to the
 * OpenLineage spec (core schema, then each facet by key and place), nests too deeply, carries a `__proto__`
 * key, or holds text PostgreSQL cannot store. The validator is compiled once, when the checker is made.
 * Identity is the sha-256 of the event re-serialized as parsed: retries and replays of an event (the same JSON,
 * however spaced) are recognised; a producer that reorders keys makes a new event.
 */
export class EventChecker {
  constructor(private readonly validator: OpenLineageValidator) {}

  /** A checker for the vendored spec, plus extra facet schemas (mesh's own data-product facet). */
  static create(extraFacetSchemas: readonly object[] = []): EventChecker {
    return new EventChecker(OpenLineageValidator.fromDirectory(vendoredSpecDir(), extraFacetSchemas));
  }

  check(value: unknown): NormalizedEvent {
    if (!isObject(value)) {
      throw new InputError(`an OpenLineage event is a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`);
    }
    // Depth and keys first (what could hurt the code that reads further); the text of strings is checked once
    // on the serialized event below, and only a finding walks the value again, for every finding with its pointer.
    if (inspectJson(value, MAX_EVENT_DEPTH, { text: false }).length > 0) throw refused(inspectJson(value, MAX_EVENT_DEPTH));
    // The event's identity: the sha-256 of its JSON as received, re-serialized (insignificant whitespace does
    // not count; key order does, as the producer wrote it). The same text is what the store keeps.
    const text = JSON.stringify(value);
    if (jsonTextUnstorable(text)) throw refused(inspectJson(value, MAX_EVENT_DEPTH));
    const violations = this.validator.validate(value);
    if (violations.length > 0) throw refused(violations);
    return normalizeEvent(value, sha256Hex(text), text);
  }
}

function refused(violations: readonly Violation[]): InvalidContentError {
  const first = violations[0];
  const summary = first ? `: ${first.pointer} ${first.message}` : '';
  return new InvalidContentError(`the event does not conform to the OpenLineage spec${summary}`, violations);
}
