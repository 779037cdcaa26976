import { InputError } from '../../platform/errors.js';
import { OpenLineageValidator, vendoredSpecDir } from '../../platform/lineage/OpenLineageValidator.js';
import { inspectValue } from '../../platform/source/inspectValue.js';
import { isObject } from '../../platform/util/guards.js';
import { canonicalJson, sha256Hex } from '../util/canonicalJson.js';
import { findUnstorableText } from '../util/findUnstorableText.js';
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
    const findings = inspectValue(value, { maxDepth: MAX_EVENT_DEPTH });
    if (findings.length > 0) {
      throw refused(
        findings.map((f) => ({
          pointer: f.pointer,
          message: f.kind === 'unsafe-key' ? 'the key "__proto__" is not allowed' : `nesting deeper than ${MAX_EVENT_DEPTH} levels`,
        })),
      );
    }
    const violations = this.validator.validate(value);
    if (violations.length > 0) throw refused(violations);
    const unstorable = findUnstorableText(value);
    if (unstorable !== undefined) {
      throw refused([{ pointer: unstorable, message: 'text with a NUL character or an unpaired surrogate cannot be stored' }]);
    }
    return normalizeEvent(value, sha256Hex(canonicalJson(value)));
  }
}

function refused(violations: readonly Violation[]): InvalidContentError {
  const first = violations[0];
  const summary = first ? `: ${first.pointer} ${first.message}` : '';
  return new InvalidContentError(`the event does not conform to the OpenLineage spec${summary}`, violations);
}
