import { UsageError } from '../errors.js';
import type { GitRepository } from './GitRepository.js';

export interface CheckConfig {
  readonly base: string;
  readonly today: string;
  /** GitHub's step summary file, when the check runs in GitHub Actions. */
  readonly stepSummary: string | undefined;
}

/** Branches tried, in order, when neither `--base` nor GitHub names the base. */
const DEFAULT_BASES = ['origin/HEAD', 'origin/main', 'main', 'origin/master', 'master'];

/**
 * The one place the check reads its environment: `--base`, else `origin/$GITHUB_BASE_REF` in a pull-request
 * workflow, else the first of origin/HEAD, origin/main, main, origin/master, master that exists;
 * `MESH_TODAY` (YYYY-MM-DD) fixes the date sunsets are compared with; `GITHUB_STEP_SUMMARY` receives the
 * Markdown summary with `--format github`.
 */
export async function resolveCheckConfig(input: { base: string | undefined }, env: Readonly<Record<string, string | undefined>>, git: GitRepository, now: Date): Promise<CheckConfig> {
  let base = input.base;
  if (base === undefined && env['GITHUB_BASE_REF']) base = `origin/${env['GITHUB_BASE_REF']}`;
  if (base === undefined) {
    for (const candidate of DEFAULT_BASES) {
      if ((await git.resolveCommit(candidate)) !== undefined) {
        base = candidate;
        break;
      }
    }
  }
  if (base === undefined) throw new UsageError(`no base revision: none of ${DEFAULT_BASES.join(', ')} exists here; name one with --base <git-ref>`);
  const today = env['MESH_TODAY'] || now.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`MESH_TODAY must be a date YYYY-MM-DD, not "${today}"`);
  return { base, today, stepSummary: env['GITHUB_STEP_SUMMARY'] || undefined };
}
