import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemAt } from '../source/SourceDocument.js';
import { toPointer } from '../util/jsonPointer.js';
import { isObject } from '../util/guards.js';
import type { Contract } from './Contract.js';
import { KNOWN_FORMATS } from './createContractAjv.js';
import { STANDARD_KEYWORDS, walkSchemas, directSubschemas, rebase } from './schemaKeywords.js';
import type { SchemaResolver } from './SchemaResolver.js';
import { MESH_KEYWORD_NAMES, SEMVER_PATTERN, CLASSIFICATIONS } from './vocabulary.js';
import { metaSchemaProblems } from './metaSchemaProblems.js';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Structural checks of one contract, each located at the keyword at fault: the meta-schema, unknown keywords
 * (strict mode), `$schema` dialect, regular expressions, formats, `$ref` targets, `$ref` cycles that never
 * consume data (they would recurse forever), and the mesh vocabulary's values.
 */
export function checkContract(contract: Contract, resolver: SchemaResolver): Problem[] {
  const { document, schema } = contract;
  const problems: Problem[] = [];
  const at = (code: Problem['code'], pointer: string, message: string, part: 'key' | 'value' = 'value') =>
    problems.push(problemAt(document, code, 'error', pointer, message, part));

  if (typeof schema !== 'boolean' && !isObject(schema)) {
    at(ProblemCode.CONTRACT_SCHEMA_INVALID, '', 'a contract must be a JSON Schema object');
    return problems;
  }
  if (isObject(schema) && schema['$schema'] !== undefined && schema['$schema'] !== DRAFT_2020_12 && schema['$schema'] !== DRAFT_2020_12 + '#') {
    at(ProblemCode.CONTRACT_DIALECT_UNSUPPORTED, '/$schema', `contracts use JSON Schema draft 2020-12 ("${DRAFT_2020_12}"), not ${JSON.stringify(schema['$schema'])}`);
  }
  problems.push(...metaSchemaProblems(document, schema));

  walkSchemas(schema, contract.uri, ({ schema: node, path, baseUri }) => {
    if (!isObject(node)) return;
    for (const keyword of Object.keys(node)) {
      if (!STANDARD_KEYWORDS.has(keyword) && !MESH_KEYWORD_NAMES.has(keyword)) {
        const hint = keyword.startsWith('x-') ? `; mesh knows ${[...MESH_KEYWORD_NAMES].join(', ')}` : '';
        at(ProblemCode.CONTRACT_KEYWORD_UNKNOWN, toPointer([...path, keyword]), `unknown keyword "${keyword}" (strict mode)${hint}`, 'key');
      }
    }
    if (typeof node['pattern'] === 'string') checkRegExp(node['pattern'], toPointer([...path, 'pattern']), 'value');
    if (isObject(node['patternProperties'])) {
      for (const key of Object.keys(node['patternProperties'])) checkRegExp(key, toPointer([...path, 'patternProperties', key]), 'key');
    }
    if (typeof node['format'] === 'string' && !KNOWN_FORMATS.has(node['format'])) {
      at(ProblemCode.CONTRACT_FORMAT_UNKNOWN, toPointer([...path, 'format']), `unknown format "${node['format']}"`);
    }
    for (const keyword of ['$ref', '$dynamicRef']) {
      const ref = node[keyword];
      if (typeof ref === 'string' && !resolver.resolve(ref, baseUri)) {
        at(ProblemCode.CONTRACT_REF_UNRESOLVED, toPointer([...path, keyword]), `cannot resolve ${keyword} "${ref}"`);
      }
    }
    checkMeshKeywords(node, path);
  });

  function checkRegExp(source: string, pointer: string, part: 'key' | 'value'): void {
    try {
      new RegExp(source, 'u');
    } catch (error) {
      at(ProblemCode.CONTRACT_PATTERN_INVALID, pointer, `invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`, part);
    }
  }

  function checkMeshKeywords(node: Record<string, unknown>, path: readonly string[]): void {
    const version = node['x-version'];
    if (version !== undefined && (typeof version !== 'string' || !SEMVER_PATTERN.test(version))) {
      at(ProblemCode.CONTRACT_SCHEMA_INVALID, toPointer([...path, 'x-version']), `x-version must be a semantic version such as "1.0.0", not ${JSON.stringify(version)}`);
    }
    for (const flag of ['x-pii', 'x-unique']) {
      if (node[flag] !== undefined && typeof node[flag] !== 'boolean') {
        at(ProblemCode.CONTRACT_SCHEMA_INVALID, toPointer([...path, flag]), `${flag} must be true or false`);
      }
    }
    const classification = node['x-classification'];
    if (classification !== undefined && !(CLASSIFICATIONS as readonly unknown[]).includes(classification)) {
      at(ProblemCode.CONTRACT_SCHEMA_INVALID, toPointer([...path, 'x-classification']), `x-classification must be one of ${CLASSIFICATIONS.join(', ')}`);
    }
    const key = node['x-primary-key'];
    if (key !== undefined) {
      const names = Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === 'string') ? (key as string[]) : undefined;
      if (!names || new Set(names).size !== names.length) {
        at(ProblemCode.CONTRACT_SCHEMA_INVALID, toPointer([...path, 'x-primary-key']), 'x-primary-key must be a non-empty list of distinct property names');
      } else {
        const properties = isObject(node['properties']) ? node['properties'] : {};
        names.forEach((name, i) => {
          if (!Object.prototype.hasOwnProperty.call(properties, name)) {
            at(ProblemCode.CONTRACT_PRIMARY_KEY_UNKNOWN, toPointer([...path, 'x-primary-key', String(i)]), `primary key field "${name}" is not a property of this object`);
          }
        });
      }
    }
  }

  for (const cycle of findRefCycles(schema, contract.uri, resolver)) {
    at(ProblemCode.CONTRACT_REF_CYCLE, cycle.pointer, `$ref cycle that never reaches a value: ${cycle.path.join(' -> ')}`);
  }
  return problems;
}

/** Keywords that apply their subschemas to the same value as the schema itself (no data consumed). */
const SAME_VALUE_APPLICATORS = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies']);

interface RefCycle {
  readonly pointer: string;
  readonly path: string[];
}

/**
 * Finds `$ref` cycles that apply to one and the same value: `a -> b -> a` through `$ref` and same-value
 * applicators only. Such schemas recurse forever at validation time; recursion through `properties` or
 * `items` consumes data and is fine. Reports each cycle once, at the `$ref` that closes it in this document.
 */
export function findRefCycles(root: unknown, rootUri: string, resolver: SchemaResolver): RefCycle[] {
  const cycles: RefCycle[] = [];
  const done = new Set<string>();
  const reported = new Set<string>();

  interface Node {
    readonly schema: unknown;
    readonly baseUri: string;
    readonly id: string;
    readonly local: string | undefined;
  }
  const edges = (node: Node): { target: Node; viaRef: boolean; at: string | undefined }[] => {
    const out: { target: Node; viaRef: boolean; at: string | undefined }[] = [];
    if (!isObject(node.schema)) return out;
    for (const keyword of ['$ref', '$dynamicRef']) {
      const ref = node.schema[keyword];
      if (typeof ref !== 'string') continue;
      const resolved = resolver.resolve(ref, node.baseUri);
      if (!resolved) continue;
      const local = resolved.documentUri === rootUri ? resolved.pointer : undefined;
      out.push({
        target: { schema: resolved.schema, baseUri: resolved.baseUri, id: resolved.documentUri + '#' + resolved.pointer, local },
        viaRef: true,
        at: node.local === undefined ? undefined : node.local + '/' + keyword,
      });
    }
    for (const child of directSubschemas(node.schema)) {
      if (!SAME_VALUE_APPLICATORS.has(child.path[0]!)) continue;
      const suffix = toPointer(child.path);
      const documentPart = node.id.slice(0, node.id.indexOf('#'));
      const pointerPart = node.id.slice(node.id.indexOf('#') + 1);
      out.push({
        target: {
          schema: child.schema,
          baseUri: rebase(node.baseUri, child.schema),
          id: documentPart + '#' + pointerPart + suffix,
          local: node.local === undefined ? undefined : node.local + suffix,
        },
        viaRef: false,
        at: undefined,
      });
    }
    return out;
  };

  // Iterative DFS with an explicit "on stack" set; starts from every schema of the document.
  walkSchemas(root, rootUri, ({ schema, path, baseUri }) => {
    const start: Node = { schema, baseUri, id: rootUri + '#' + toPointer(path), local: toPointer(path) };
    if (done.has(start.id)) return;
    const onStack = new Map<string, number>();
    const stack: { node: Node; next: ReturnType<typeof edges>; index: number; via: string | undefined }[] = [];
    const push = (node: Node, via: string | undefined) => {
      onStack.set(node.id, stack.length);
      stack.push({ node, next: edges(node), index: 0, via });
    };
    push(start, undefined);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.index >= top.next.length) {
        onStack.delete(top.node.id);
        done.add(top.node.id);
        stack.pop();
        continue;
      }
      const edge = top.next[top.index++]!;
      const back = onStack.get(edge.target.id);
      if (back !== undefined) {
        const members = stack.slice(back).map((f) => f.node.local ?? f.node.id);
        const closing = edge.at ?? stack.slice(back).map((f) => f.via).find((v) => v !== undefined);
        const key = [...members].sort().join('|');
        if (!reported.has(key)) {
          reported.add(key);
          cycles.push({ pointer: closing ?? members[0] ?? '', path: [...members, edge.target.local ?? edge.target.id] });
        }
        continue;
      }
      if (done.has(edge.target.id)) continue;
      push(edge.target, edge.at);
    }
  });
  return cycles;
}
