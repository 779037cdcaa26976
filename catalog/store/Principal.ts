/**
 * Who performs a write. `token`: a bearer token scoped to a team (HTTP, or `--token` with `--db`); `direct`:
 * someone with the database's own credentials (`mesh publish --db` without a token, `mesh token create`), who
 * is trusted as an administrator. The audit log records both.
 */
export type Principal =
  | { readonly kind: 'token'; readonly team: string; readonly tokenId: number }
  | { readonly kind: 'direct'; readonly name: string };

/** How the audit log names a principal: `token:<id>` or `direct:<name>`. */
export function principalLabel(principal: Principal): string {
  return principal.kind === 'token' ? `token:${principal.tokenId}` : `direct:${principal.name}`;
}

/** The team a principal acts for; `null` for direct database access. */
export function principalTeam(principal: Principal): string | null {
  return principal.kind === 'token' ? principal.team : null;
}
