/**
 * Orders strings as PostgreSQL's C collation does (the catalog's databases and PGlite use C or C.UTF-8): by
 * code point, which is UTF-16 code unit order except where a surrogate pair meets a character above U+D7FF.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}
