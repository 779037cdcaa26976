import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemAt, type SourceDocument } from '../source/SourceDocument.js';
import { childPointer, getAtPointer, parsePointer } from '../util/jsonPointer.js';
import { isObject } from '../util/guards.js';
import { closest } from '../util/closest.js';
import productSchema from './product.schema.json' with { type: 'json' };
import type { DataProductManifest } from './DataProductManifest.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** The JSON Schema of `mesh/v1` manifests, as shipped. */
export const PRODUCT_SCHEMA: object = productSchema;

let validator: ValidateFunction<DataProductManifest> | undefined;

function manifestValidator(): ValidateFunction<DataProductManifest> {
  if (!validator) {
    // Unoptimized code compiles in half the time and validates a thousand manifests as fast: this validator is
    // built once per process, and a process validates one repository. The shipped schema is not checked against
    // the meta-schema at every start (compiling the meta-schema costs more than the manifest's own validator):
    // test/manifest/manifestTypes.test.ts checks it once, where a change to it is made.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false, discriminator: true, verbose: true, validateSchema: false, code: { optimize: false } });
    addFormats(ajv);
    validator = ajv.compile<DataProductManifest>(productSchema);
  }
  return validator;
}

/**
 * Checks a parsed manifest against the shipped JSON Schema and turns every Ajv error into a located problem
 * with a stable code. Returns the typed manifest when there is no problem.
 */
export function checkManifestShape(document: SourceDocument): { manifest: DataProductManifest | undefined; problems: Problem[] } {
  const validate = manifestValidator();
  if (validate(document.value)) return { manifest: document.value, problems: [] };
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(document, error);
    if (!problem) continue;
    const key = `${problem.code}|${problem.pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  if (problems.length === 0) {
    problems.push(problemAt(document, ProblemCode.MANIFEST_INVALID, 'error', '', 'the manifest does not match the mesh/v1 schema'));
  }
  return { manifest: undefined, problems };
}

function toProblem(document: SourceDocument, error: ErrorObject): Problem | undefined {
  const at = error.instancePath;
  const field = describeField(at);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      // The branch's own errors explain it; "must match then schema" adds nothing.
      return undefined;
    case 'required': {
      const missing = String(params['missingProperty']);
      const pointer = childPointer(at, missing);
      // Conditional requirements (then/else branches) carry a description that says what is really needed.
      const why = /\/(then|else)\/required$/.test(error.schemaPath) && isObject(error.parentSchema) ? error.parentSchema['description'] : undefined;
      const message = typeof why === 'string' ? `${describeField(pointer)} is required: ${why}` : `${describeField(pointer)} is required`;
      return problemAt(document, ProblemCode.MANIFEST_FIELD_MISSING, 'error', pointer, message);
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const known = isObject(error.parentSchema) && isObject(error.parentSchema['properties']) ? Object.keys(error.parentSchema['properties']) : [];
      const suggestion = closest(extra, known);
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : known.length > 0 ? ` (known: ${known.join(', ')})` : '';
      return problemAt(document, ProblemCode.MANIFEST_FIELD_UNKNOWN, 'error', childPointer(at, extra), `unknown field "${extra}" in ${field}${hint}`, 'key');
    }
    case 'false schema': {
      const segments = parsePointer(at);
      const name = segments[segments.length - 1] ?? '';
      return problemAt(document, ProblemCode.MANIFEST_FIELD_UNKNOWN, 'error', at, `"${name}" is not allowed together with the fields beside it`, 'key');
    }
    case 'type':
      return problemAt(document, ProblemCode.MANIFEST_TYPE, 'error', at, `${field} must be ${article(String(params['type']))}, not ${kindOf(getAtPointer(document.value, at))}`);
    case 'const':
      return problemAt(document, ProblemCode.MANIFEST_VALUE_NOT_ALLOWED, 'error', at, `${field} must be ${JSON.stringify(params['allowedValue'])}`);
    case 'enum':
      return problemAt(document, ProblemCode.MANIFEST_VALUE_NOT_ALLOWED, 'error', at, `${field} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`);
    case 'discriminator': {
      const branches = isObject(error.parentSchema) && Array.isArray(error.parentSchema['oneOf']) ? error.parentSchema['oneOf'] : [];
      const kinds = branches.map((b) => (isObject(b) && isObject(b['properties']) && isObject(b['properties']['check']) ? b['properties']['check']['const'] : undefined)).filter((k) => k !== undefined);
      const tag = String(params['tag']);
      return problemAt(document, ProblemCode.MANIFEST_VALUE_NOT_ALLOWED, 'error', childPointer(at, tag), `${describeField(childPointer(at, tag))} must be one of ${kinds.map((k) => JSON.stringify(k)).join(', ')}`);
    }
    case 'pattern':
      return problemAt(document, ProblemCode.MANIFEST_FORMAT, 'error', at, `${field} ${JSON.stringify(getAtPointer(document.value, at))} is not well formed: ${patternHint(error)}`);
    case 'format':
      return problemAt(document, ProblemCode.MANIFEST_FORMAT, 'error', at, `${field} must be a valid ${String(params['format'])}`);
    case 'propertyNames':
      return problemAt(document, ProblemCode.MANIFEST_FORMAT, 'error', childPointer(at, String(params['propertyName'])), `name "${String(params['propertyName'])}" in ${field} is not well formed`, 'key');
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return problemAt(document, ProblemCode.MANIFEST_OUT_OF_RANGE, 'error', at, `${field} ${error.message ?? 'is out of range'}`);
    case 'uniqueItems':
      return problemAt(document, ProblemCode.MANIFEST_VALUE_NOT_ALLOWED, 'error', at, `${field} lists the same value twice (items ${String(params['j'])} and ${String(params['i'])})`);
    default:
      return problemAt(document, ProblemCode.MANIFEST_INVALID, 'error', at, `${field} ${error.message ?? 'is invalid'}`);
  }
}

function patternHint(error: ErrorObject): string {
  const description = isObject(error.parentSchema) ? error.parentSchema['description'] : undefined;
  return typeof description === 'string' ? description : `must match ${String((error.params as { pattern?: string }).pattern)}`;
}

function describeField(pointer: string): string {
  if (pointer === '') return 'the manifest';
  return `"${parsePointer(pointer).map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('')}"`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', null: 'null' };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}
