import { AuthenticationError } from '../../platform/errors.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import type { Principal } from '../store/Principal.js';
import type { TokenPrincipal } from '../store/tokens.js';
import type { CatalogServer, RequestContext, Route } from './CatalogServer.js';

/**
 * The catalog's JSON endpoints:
 * - `GET /healthz`: the server and its database answer;
 * - `POST /api/v1/lineage`: one OpenLineage event, as Marquez takes it (201; 400 not JSON or not an object;
 *   422 not conforming, with the failing pointers); `POST /api/v1/lineage/batch`: an array, results per event;
 * - `POST /api/v1/publish`: a `PublishBundle` from `mesh publish`;
 * - `POST /api/v1/quality-results`, `POST /api/v1/sla-status`: what `mesh test` measured;
 * - `GET /api/v1/whoami`: the team of the token presented.
 */
export function catalogRoutes(server: CatalogServer, store: CatalogStore): Route[] {
  const { limits } = server;
  return [
    {
      method: 'GET',
      path: '/healthz',
      access: 'open',
      async handle() {
        await store.sql.query('select 1', []);
        return { status: 200, body: { status: 'ok', database: store.sql.kind } };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/lineage',
      access: 'token',
      async handle(context) {
        const event = await context.readJson(limits.event);
        const { event: id, outcome } = await server.ingestor.ingestOne(event, principalOf(context));
        return { status: 201, body: { event: id, duplicate: outcome === 'duplicate' } };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/lineage/batch',
      access: 'token',
      async handle(context) {
        const events = await context.readJson(limits.batch);
        const report = await server.ingestor.ingestMany(events, principalOf(context));
        // 201 when every event is stored (or was already); 422 when none could be; 207 for a mix.
        const accepted = report.stored + report.duplicates;
        const status = report.invalid === 0 ? 201 : accepted === 0 ? 422 : 207;
        return { status, body: report };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/publish',
      access: 'token',
      async handle(context) {
        const bundle = await context.readJson(limits.publish);
        return { status: 200, body: await store.publish(bundle, principalOf(context)) };
      },
    },
    recordRoute('/api/v1/quality-results', limits.other, (input, principal) => store.recordQualityResult(input, principal)),
    recordRoute('/api/v1/sla-status', limits.other, (input, principal) => store.recordSlaStatus(input, principal)),
    {
      method: 'GET',
      path: '/api/v1/whoami',
      access: 'token',
      async handle(context) {
        const principal = principalOf(context) as TokenPrincipal;
        return { status: 200, body: { team: principal.team, token: principal.tokenId } };
      },
    },
  ];
}

/** A POST that records one checked result and answers 201 with its id. */
function recordRoute(path: string, limit: number, record: (input: unknown, principal: Principal) => Promise<number>): Route {
  return {
    method: 'POST',
    path,
    access: 'token',
    async handle(context) {
      const id = await record(await context.readJson(limit), principalOf(context));
      return { status: 201, body: { id } };
    },
  };
}

function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw new AuthenticationError('this endpoint needs a bearer token');
  return context.principal;
}
