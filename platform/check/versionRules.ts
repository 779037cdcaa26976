import { SEMVER_PATTERN } from '../contract/vocabulary.js';

/** How far a version moved, or must move. */
export type Bump = 'none' | 'patch' | 'minor' | 'major';

const ORDER: readonly Bump[] = ['none', 'patch', 'minor', 'major'];

/** What a contract change amounts to, from its diff. */
export type ChangeLevel = 'breaking' | 'schema' | 'metadata' | 'none';

interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly string[];
}

export function parseSemver(text: string | undefined): Semver | undefined {
  if (text === undefined) return undefined;
  const m = SEMVER_PATTERN.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split('.') : [] };
}

/** Semantic-version precedence: negative when `a` comes before `b`. */
export function compareSemver(a: Semver, b: Semver): number {
  for (const key of ['major', 'minor', 'patch'] as const) if (a[key] !== b[key]) return a[key] - b[key];
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i]!;
    const y = b.prerelease[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.prerelease.length - b.prerelease.length;
}

/**
 * How far a version moved: `major` when the major number grew (or, below 1.0.0, the minor number: semver
 * lets anything change in 0.y.z, so a minor step there is how a break is announced), `minor`, `patch`
 * (any other step forward, pre-releases included), `none` when equal, `decreased` when it went back.
 */
export function bumpBetween(before: string, after: string): Bump | 'decreased' | undefined {
  const a = parseSemver(before);
  const b = parseSemver(after);
  if (!a || !b) return undefined;
  const order = compareSemver(a, b);
  if (order === 0) return 'none';
  if (order > 0) return 'decreased';
  if (b.major > a.major) return 'major';
  if (b.minor > a.minor) return a.major === 0 ? 'major' : 'minor';
  return 'patch';
}

/** The bump a contract change needs: breaking → major, other schema change → minor, metadata → patch. */
export function requiredBump(level: ChangeLevel): Bump {
  switch (level) {
    case 'breaking':
      return 'major';
    case 'schema':
      return 'minor';
    case 'metadata':
      return 'patch';
    case 'none':
      return 'none';
  }
}

export function atLeast(actual: Bump, required: Bump): boolean {
  return ORDER.indexOf(actual) >= ORDER.indexOf(required);
}

export function largest(bumps: Iterable<Bump>): Bump {
  let out: Bump = 'none';
  for (const b of bumps) if (!atLeast(out, b)) out = b;
  return out;
}

/** The smallest version that makes a bump, for messages: 1.4.2 + major → 2.0.0 (0.4.2 + major → 0.5.0). */
export function nextVersion(before: string, bump: Bump): string {
  const v = parseSemver(before);
  if (!v || bump === 'none') return before;
  if (bump === 'major') return v.major === 0 ? `0.${v.minor + 1}.0` : `${v.major + 1}.0.0`;
  if (bump === 'minor') return `${v.major}.${v.minor + 1}.0`;
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

/** An ISO-8601 duration (PnYnMnWnDTnHnMnS) in seconds; months and years at 30 and 365 days. */
export function durationSeconds(text: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return ((((y! * 365 + mo! * 30 + w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60) + s!;
}
