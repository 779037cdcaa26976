import type { IncomingMessage } from 'node:http';
import { AuthenticationError } from '../../platform/errors.js';
import type { CatalogStore } from '../store/CatalogStore.js';
import type { TokenPrincipal } from '../store/tokens.js';
import { hashToken } from '../store/tokens.js';

/**
 * What a route needs: `open` (health checks), `read` (open unless the server runs with `--auth-reads`), or
 * `token` (every write: publishing, ingestion, mutations).
 */
export type Access = 'open' | 'read' | 'token';

export interface AuthenticatorOptions {
  /** Whether reads need a token too (`mesh serve --auth-reads`). */
  readonly authReads: boolean;
  /** How long a token lookup is remembered, in ms (default 10 s): a revoked token works at most this long. */
  readonly cacheMs?: number;
}

const MAX_CACHED = 10_000;

/**
 * Bearer-token authentication for every route and mounted handler. A request that presents a token must present
 * a valid one, even where none is needed: a wrong token is a misconfiguration worth a 401, not a silent
 * anonymous read. Lookups are cached briefly (by the token's hash), so that a busy ingestion endpoint does not
 * query the token table per event.
 */
export class Authenticator {
  private readonly cache = new Map<string, { principal: TokenPrincipal | undefined; until: number }>();
  private readonly cacheMs: number;

  constructor(
    private readonly store: Pick<CatalogStore, 'authenticate'>,
    private readonly options: AuthenticatorOptions,
  ) {
    this.cacheMs = options.cacheMs ?? 10_000;
  }

  /** The request's principal, as `access` requires: throws `AuthenticationError` (401) otherwise. */
  async authorize(req: IncomingMessage, access: Access): Promise<TokenPrincipal | undefined> {
    if (access === 'open') return undefined;
    const header = req.headers['authorization'];
    if (header === undefined) {
      if (access === 'token' || this.options.authReads) throw new AuthenticationError('this endpoint needs a bearer token (Authorization: Bearer <token>; see mesh token create)');
      return undefined;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
    const principal = await this.lookup(match[1]!);
    if (!principal) throw new AuthenticationError('the bearer token is not valid (unknown or revoked)');
    return principal;
  }

  private async lookup(token: string): Promise<TokenPrincipal | undefined> {
    const key = hashToken(token);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.principal;
    const principal = await this.store.authenticate(token);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { principal, until: now + this.cacheMs });
    return principal;
  }
}
