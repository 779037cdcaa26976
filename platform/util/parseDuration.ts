/** Milliseconds per unit of an ISO-8601 duration; years and months use their average length. */
const UNIT_MS = {
  Y: 365.2425 * 86_400_000,
  M: 30.436875 * 86_400_000,
  W: 7 * 86_400_000,
  D: 86_400_000,
  H: 3_600_000,
  m: 60_000,
  S: 1000,
} as const;

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO-8601 duration (`PT24H`, `P1D`, `PT0.5S`) in milliseconds, as the manifest schema spells them. Years
 * and months, which have no fixed length, count as their average (365.2425 and 30.44 days).
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`"${text}" is not an ISO-8601 duration (e.g. PT24H, P1D, PT15M)`);
  const [, y, mo, w, d, h, mi, s] = match;
  const parts: [string | undefined, number][] = [
    [y, UNIT_MS.Y],
    [mo, UNIT_MS.M],
    [w, UNIT_MS.W],
    [d, UNIT_MS.D],
    [h, UNIT_MS.H],
    [mi, UNIT_MS.m],
    [s, UNIT_MS.S],
  ];
  return Math.round(parts.reduce((total, [value, unit]) => total + (value === undefined ? 0 : Number(value) * unit), 0));
}
