import { isObject } from '../util/guards.js';
import { parsePointer } from '../util/jsonPointer.js';
import type { Contract } from './Contract.js';
import { multipleOfTest } from './decimalMultipleOf.js';
import { walkSchemas } from './schemaKeywords.js';
import type { SchemaResolver } from './SchemaResolver.js';

/**
 * The keywords of contracts whose Ajv compilation can only succeed once `checkStructure` has passed them (the
 * draft 2020-12 meta-schema, known keywords and formats, regular expressions compiled as Ajv compiles them,
 * resolvable `$ref`s, the mesh vocabulary's values). For each, what Ajv 8.20 does with it when compiling, in
 * strict mode with the options of `createContractAjv`:
 *
 * - validation keywords (`type`, `const`, the numeric and length limits, `required`, `uniqueItems`...): code
 *   generation only; the one value check Ajv adds to the meta-schema's is `enum`'s non-empty array (below);
 *   `required` and `type` have strict-mode checks (`strictRequired`, `strictTypes`) that mesh turns off.
 * - `multipleOf`: mesh's exact keyword, whose compilation is `multipleOfTest(divisor)` (called below).
 * - `pattern`: `new RegExp(pattern, "u")`, which `checkContract` runs itself.
 * - `format`: an error for a format Ajv does not know, which `checkContract` reports itself.
 * - `properties`, `additionalProperties`, `propertyNames`, `items`, `prefixItems`, `allOf`, `anyOf`, `oneOf`,
 *   `not`: their subschemas compiled in turn (all of them walked here); `prefixItems` has a strict-mode check
 *   (`strictTuples`) that mesh turns off. Left out: `patternProperties` (Ajv tests each pattern against the
 *   sibling property names without the "u" flag), `if`/`then`/`else`, `contains` with its limits,
 *   `dependentSchemas`, `dependencies`, `unevaluated*`: strict-mode checks of their own.
 * - annotations and the mesh vocabulary: nothing, but Ajv checks the mesh keywords' values against their
 *   meta-schemas, as `checkContract` does, except a primary key's names must not be empty (below).
 * - `$ref`: resolved by Ajv's own resolver, and the whole target document compiled. Proven only for the plain
 *   form, a relative path of plain characters and a JSON pointer along schema keywords, to a contract that is
 *   itself proven, in a repository whose path needs no percent-encoding, and with no `$id`, `$anchor` or
 *   `$dynamic*` anywhere: there Ajv's resolution and mesh's agree.
 *
 * Anything else (another keyword, a `$schema` below a document's root, nesting deeper than `MAX_DEPTH`) is not
 * proven, and Ajv compiles the contract as before. test/contract/compileProof.test.ts holds each point against
 * Ajv, compares the proof with Ajv's verdict on generated contracts, and pins the Ajv version this was read from.
 */
export const PROVEN_KEYWORDS: ReadonlySet<string> = new Set([
  'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'format', 'properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties', 'propertyNames', 'dependentRequired', 'items',
  'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', '$defs', 'definitions', 'title',
  'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'x-version', 'x-primary-key', 'x-unique', 'x-pii',
  'x-classification',
]);

/** The Ajv version whose compiler the list above was read from. */
export const PROVEN_FOR_AJV = '8.20';

/** Deeper schemas are left to Ajv, whose recursive compiler could run out of stack. */
const MAX_DEPTH = 32;

/** A repository path, and a relative `$ref` path, that no URI library encodes or normalizes differently. */
const PLAIN_FILE_URI = /^file:\/\/\/[A-Za-z0-9._\-/]+$/;
const PLAIN_REF = /^(?:[A-Za-z0-9._\-/]+)?(?:#(?:\/[A-Za-z0-9._\-$]+)*)?$/;

/** Keywords whose value is one subschema, and those whose value holds named or numbered subschemas. */
const SINGLE = new Set(['additionalProperties', 'propertyNames', 'items', 'not']);
const NAMED = new Set(['properties', '$defs', 'definitions']);
const NUMBERED = new Set(['prefixItems', 'allOf', 'anyOf', 'oneOf']);

/**
 * Which structurally valid contracts Ajv would compile, decided without compiling them: a contract is proven
 * when every schema it holds, and every document its `$ref`s reach, uses only `PROVEN_KEYWORDS` as above.
 * Unproven contracts are compiled by Ajv; a proof never says more than Ajv would.
 */
export class CompileProof {
  private readonly byUri = new Map<string, Contract>();
  /** Per document: whether its own schemas are proven, and the documents its `$ref`s reach. */
  private readonly local = new Map<string, { ok: boolean; references: readonly string[] }>();
  private readonly proven = new Map<string, boolean>();

  constructor(
    contracts: readonly Contract[],
    private readonly resolver: SchemaResolver,
    /** URIs of the contracts that failed their structural checks. */
    private readonly broken: ReadonlySet<string>,
  ) {
    for (const contract of contracts) this.byUri.set(contract.uri, contract);
  }

  /**
   * Whether Ajv compiles this (structurally valid) contract, proven without Ajv: the contract and every
   * document its references reach, directly or not, are proven on their own. None holds an `$id` or an
   * anchor anywhere in the repository: Ajv files documents under their `$id`s, which could take another's place.
   */
  proves(contract: Contract): boolean {
    if (this.resolver.declaresIds) return false;
    const known = this.proven.get(contract.uri);
    if (known !== undefined) return known;
    const seen = new Set<string>([contract.uri]);
    const pending = [contract.uri];
    while (pending.length > 0) {
      const uri = pending.pop()!;
      if (this.proven.get(uri) === true) continue;
      const own = this.ownVerdict(uri);
      if (!own.ok) {
        this.proven.set(contract.uri, false);
        return false;
      }
      for (const next of own.references) {
        if (!seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    // Everything this contract reaches is proven, and reaches no more than it does.
    for (const uri of seen) this.proven.set(uri, true);
    return true;
  }

  private ownVerdict(uri: string): { ok: boolean; references: readonly string[] } {
    let verdict = this.local.get(uri);
    if (!verdict) {
      const contract = this.byUri.get(uri);
      verdict = contract && !this.broken.has(uri) && PLAIN_FILE_URI.test(uri) ? this.schemas(contract) : { ok: false, references: [] };
      this.local.set(uri, verdict);
    }
    return verdict;
  }

  private schemas(contract: Contract): { ok: boolean; references: string[] } {
    let ok = true;
    const references: string[] = [];
    walkSchemas(contract.schema, contract.uri, ({ schema, path, baseUri }) => {
      if (!ok || !isObject(schema)) return;
      if (path.length > 2 * MAX_DEPTH) return (ok = false);
      for (const keyword of Object.keys(schema)) {
        if (!PROVEN_KEYWORDS.has(keyword) && !(keyword === '$schema' && path.length === 0)) return (ok = false);
      }
      if (Array.isArray(schema['enum']) && schema['enum'].length === 0) return (ok = false);
      const primaryKey = schema['x-primary-key'];
      if (Array.isArray(primaryKey) && primaryKey.includes('')) return (ok = false);
      if (typeof schema['multipleOf'] === 'number' && !compiles(() => multipleOfTest(schema['multipleOf'] as number))) return (ok = false);
      const ref = schema['$ref'];
      if (ref === undefined) return undefined;
      const target = typeof ref === 'string' ? this.reference(ref, baseUri) : undefined;
      if (target === undefined) return (ok = false);
      if (target !== contract.uri) references.push(target);
      return undefined;
    });
    return { ok, references };
  }

  /** The document of a `$ref` in the plain form, to a schema of a contract; `undefined` for any other. */
  private reference(ref: string, baseUri: string): string | undefined {
    if (!PLAIN_REF.test(ref) || ref.startsWith('//')) return undefined;
    const target = this.resolver.resolve(ref, baseUri);
    if (!target || (!isObject(target.schema) && typeof target.schema !== 'boolean')) return undefined;
    if (!alongSchemaKeywords(parsePointer(target.pointer))) return undefined;
    return this.byUri.has(target.documentUri) ? target.documentUri : undefined;
  }
}

/** Whether a JSON pointer from a document's root goes from schema to subschema at every step. */
function alongSchemaKeywords(segments: readonly string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const keyword = segments[i]!;
    if (SINGLE.has(keyword)) continue;
    if (NAMED.has(keyword) && i + 1 < segments.length) {
      i++;
      continue;
    }
    if (NUMBERED.has(keyword) && i + 1 < segments.length && /^(?:0|[1-9]\d*)$/.test(segments[i + 1]!)) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

function compiles(compile: () => unknown): boolean {
  try {
    compile();
    return true;
  } catch {
    return false;
  }
}
