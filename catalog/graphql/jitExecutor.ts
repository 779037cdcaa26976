import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, Kind, printSchema, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface JitOptions {
  /** Most compiled operations kept (least recently used dropped first); default 500. */
  readonly cacheSize?: number;
  /**
   * The sighting of an operation at which it is compiled (default 2: the first run of a query text is
   * graphql-js's, the second compiles it). Compiling costs far more than running once (about 100 ms for 2,000
   * fields), so texts seen once (a client's one-off query, or a stream of distinct ones) are not compiled.
   */
  readonly compileAfter?: number;
  /** Most fields (fragments expanded) of an operation that is compiled (default 500); larger ones run on graphql-js. */
  readonly maxCompiledFields?: number;
}

/** Least recently used first out: a bounded map of operations (by query hash and operation name). */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting makes the entry the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: V): void {
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
  get count(): number {
    return this.entries.size;
  }
}

/**
 * Executes operations compiled by graphql-jit instead of interpreting them with graphql-js: an operation Apollo
 * has parsed, validated and let through its plugins (the query limits among them) is compiled, once it comes
 * again (`compileAfter`) and if it is not too large (`maxCompiledFields`), into a JavaScript function for its
 * selection, which resolves and completes its fields without graphql-js's generic per-field walk; until then, and
 * for the rest, graphql-js executes it. Resolvers, their errors (`extensions.code`), null propagation and introspection behave as with
 * graphql-js.
 *
 * Wired the way Apollo Server 5 documents a custom executor: the gateway interface (`gateway.load()` answers the
 * executor, and hands Apollo the schema it validates against). Nothing of federation is involved.
 *
 * Variable coercion errors are left to graphql-js, whose error nodes Apollo reads to answer 400 (graphql-jit
 * reports them without the variable's node): an operation whose variables graphql-jit refuses is executed again
 * by graphql-js, which refuses them with the error Apollo recognizes, before any resolver runs.
 */
export function jitGateway(schema: GraphQLSchema, options: JitOptions = {}): GatewayInterface & { readonly compiled: () => number } {
  const cacheSize = options.cacheSize ?? 500;
  const compileAfter = options.compileAfter ?? 2;
  const maxFields = options.maxCompiledFields ?? 500;
  const cache = new Lru<CompiledQuery>(cacheSize);
  /** Operations not compiled yet: how often each was seen (0: never to be compiled, too large). */
  const sightings = new Lru<number>(cacheSize * 4);
  const executor: GatewayExecutor = async (request) => {
    const operationName = request.operationName ?? undefined;
    const variables = request.request.variables ?? {};
    const interpreted = () => execute({ schema, document: request.document, contextValue: request.context, variableValues: variables, ...(operationName ? { operationName } : {}) }) as Promise<ExecutionResult>;
    const key = `${request.queryHash}\u0000${operationName ?? ''}`;
    let compiled = cache.get(key);
    if (compiled === undefined) {
      const seen = sightings.get(key) ?? (fieldsOf(request.document, request.operation.selectionSet, maxFields) > maxFields ? 0 : 1);
      if (seen === 0 || seen < compileAfter) {
        sightings.set(key, seen === 0 ? 0 : seen + 1);
        return interpreted();
      }
      const result = compileQuery(schema, request.document, operationName);
      if (!isCompiledQuery(result)) return result as ExecutionResult;
      compiled = result;
      cache.set(key, compiled);
    }
    const result = await compiled.query(undefined, request.context, variables);
    // Refused variables (nothing ran): graphql-js refuses them with the errors Apollo answers 400 to.
    if (result.data === undefined && result.errors?.length) return interpreted();
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async stop() {},
    compiled: () => cache.count,
  };
}

/** The fields an operation selects, fragments expanded (each fragment counted once, then reused), counted up to `cap`. */
function fieldsOf(document: DocumentNode, selectionSet: SelectionSetNode, cap: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const counted = new Map<string, number>();
  const count = (set: SelectionSetNode): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += 1 + (s.selectionSet ? count(s.selectionSet) : 0);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet);
      else {
        let m = counted.get(s.name.value);
        if (m === undefined) {
          // Validation has refused unknown fragments and cycles.
          const fragment = fragments.get(s.name.value);
          counted.set(s.name.value, (m = fragment ? count(fragment.selectionSet) : 0));
        }
        n += m;
      }
      if (n > cap) return n;
    }
    return n;
  };
  return count(selectionSet);
}

/**
 * graphql-jit's errors inherit from graphql-js's `GraphQLError` but are not built by its constructor: their
 * `extensions` is undefined unless the thrown error had some, where Apollo reads `extensions.code`. Each becomes a
 * graphql-js error with the same message, locations, path and original error (whose code `formatGraphQLError`
 * gives it).
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  if (error.constructor === GraphQLError) return error;
  const copy = new GraphQLError(error.message, { ...(error.path ? { path: error.path } : {}), ...(error.originalError ? { originalError: error.originalError } : {}) });
  if (error.locations) (copy as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}
