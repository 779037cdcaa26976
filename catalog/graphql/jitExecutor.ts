import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, printSchema, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface JitOptions {
  /** Most compiled operations kept (least recently used dropped first); default 500. */
  readonly cacheSize?: number;
}

/** The compiled operations of one schema, by query hash and operation name, least recently used first out. */
class CompiledCache {
  private readonly entries = new Map<string, CompiledQuery>();
  constructor(private readonly size: number) {}
  get(key: string): CompiledQuery | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting makes the entry the most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: CompiledQuery): void {
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
  get count(): number {
    return this.entries.size;
  }
}

/**
 * Executes operations compiled by graphql-jit instead of interpreting them with graphql-js: each operation
 * Apollo has parsed, validated and let through its plugins (the query limits among them) is compiled once into a
 * JavaScript function for its selection, which resolves and completes its fields without graphql-js's generic
 * per-field walk. Resolvers, their errors (`extensions.code`), null propagation and introspection behave as with
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
  const cache = new CompiledCache(options.cacheSize ?? 500);
  const executor: GatewayExecutor = async (request) => {
    const operationName = request.operationName ?? undefined;
    const key = `${request.queryHash}\u0000${operationName ?? ''}`;
    let compiled = cache.get(key);
    if (compiled === undefined) {
      const result = compileQuery(schema, request.document, operationName);
      if (!isCompiledQuery(result)) return result as ExecutionResult;
      compiled = result;
      cache.set(key, compiled);
    }
    const variables = request.request.variables ?? {};
    const result = await compiled.query(undefined, request.context, variables);
    if (result.data === undefined && result.errors?.length) {
      // Refused variables (nothing ran): graphql-js refuses them with the errors Apollo answers 400 to.
      return execute({ schema, document: request.document, contextValue: request.context, variableValues: variables, ...(operationName ? { operationName } : {}) }) as Promise<ExecutionResult>;
    }
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
