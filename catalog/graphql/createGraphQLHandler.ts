import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MountedHandler, RequestContext } from '../server/CatalogServer.js';
import { errorHeaders, sendJson, statusFor } from '../server/httpErrors.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import { codeFor, formatGraphQLError, GRAPHQL_CODES } from './graphqlErrors.js';
import { jitGateway, type JitOptions } from './jitExecutor.js';
import { DEFAULT_QUERY_LIMITS, queryLimitsPlugin, type QueryLimits } from './limits.js';
import { Loaders } from './loaders.js';
import { CatalogReadModel, type ReadModelOptions } from './readModel/CatalogReadModel.js';
import { resolvers, type GraphQLContext } from './resolvers.js';
import { typeDefs } from './typeDefs.js';

export interface GraphQLHandlerOptions {
  readonly store: CatalogStore;
  /** Bounds on every operation (default `DEFAULT_QUERY_LIMITS`). */
  readonly limits?: Partial<QueryLimits>;
  /** Most bytes of a request body (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Where internal errors are reported. */
  readonly log?: (line: string) => void;
  /**
   * The in-memory read models for discovery, lineage and impact (`CatalogReadModel`): on by default; `false`
   * answers every query on the database.
   */
  readonly readModel?: boolean | ReadModelOptions;
  /**
   * What executes operations: `jit` (default) compiles each validated operation once with graphql-jit and runs the
   * compiled function (`jitExecutor.ts`); `graphql-js` interprets every operation with graphql-js, as Apollo does
   * by itself.
   */
  readonly executor?: 'jit' | 'graphql-js';
  /** When operations are compiled, and how many are kept (`jitExecutor.ts`). */
  readonly jit?: JitOptions;
}

/** Most lexical tokens in a query document: parsing stops there, before validation sees a huge document. */
const MAX_TOKENS = 15_000;

/**
 * The catalog's GraphQL endpoint: Apollo Server 5 on the catalog's own HTTP server (no framework), through
 * `executeHTTPGraphQLRequest`. The server authenticates first (reads are open unless `--auth-reads`; a token,
 * when sent, must be valid); mutations need that token and act within its team's scope, as the REST endpoints
 * do. Each request gets its own loaders. Errors carry `extensions.code` (`graphqlErrors.ts`).
 */
export async function createGraphQLHandler(options: GraphQLHandlerOptions): Promise<MountedHandler & { readonly readModel: CatalogReadModel | undefined; stop(): Promise<void> }> {
  const limits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  const apollo = new ApolloServer<GraphQLContext>({
    ...(options.executor === 'graphql-js' ? { schema } : { gateway: jitGateway(schema, options.jit) }),
    introspection: true,
    // mesh serve stops on signals itself, letting requests in flight finish; Apollo's own handler would
    // re-raise the signal and end the process before that.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    formatError: formatGraphQLError(options.log),
    // The catalog sets no cache hints, and Apollo's cache-control plugin, on by default, would wrap every field
    // resolver of every request to compute a policy nobody reads (a tenth of a lineage query's CPU).
    plugins: [queryLimitsPlugin(limits), ApolloServerPluginCacheControlDisabled()],
    logger: { debug() {}, info() {}, warn: (m) => options.log?.(`graphql: ${String(m)}`), error: (m) => options.log?.(`graphql: ${String(m)}`) },
  });
  await apollo.start();
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const { store } = options;
  const readModel = options.readModel === false ? undefined : new CatalogReadModel(store.sql, { ...(options.log ? { log: options.log } : {}), ...(typeof options.readModel === 'object' ? options.readModel : {}) });
  const unsubscribe = readModel ? store.onChange((change) => readModel.changed(change)) : undefined;
  // Built in the background from the start; until then queries run on the database.
  readModel?.searchIndex();
  readModel?.lineageGraph();
  readModel?.productPage('');
  return {
    access: 'read',
    async handle(req: IncomingMessage, res: ServerResponse, context: RequestContext) {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const request: HTTPGraphQLRequest = {
        method,
        headers,
        search: context.url.search,
        body: method === 'POST' ? await context.readJson(maxBody) : undefined,
      };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: async () => ({ store, sql: store.sql, readModel, loaders: new Loaders(store.sql), principal: context.principal }),
      });
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    },
    // What fails before Apollo runs (a missing or wrong token, a body too large or not JSON) answers as GraphQL
    // clients expect: {errors: [{message, extensions: {code}}]}, with the HTTP status the REST endpoints use.
    sendError(res: ServerResponse, error: unknown) {
      const status = statusFor(error);
      const code = codeFor(error) ?? (status === 500 ? GRAPHQL_CODES.internal : 'BAD_REQUEST');
      const message = status === 500 ? 'internal error; the server log has the details' : (error as Error).message;
      sendJson(res, status, { errors: [{ message, extensions: { code } }] }, errorHeaders(error));
    },
    readModel,
    async stop() {
      unsubscribe?.();
      await readModel?.close();
      await apollo.stop();
    },
  };
}
