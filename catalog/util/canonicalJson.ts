import { createHash } from 'node:crypto';

/**
 * The canonical JSON text of a parsed JSON value: object keys sorted by UTF-16 code units, no whitespace,
 * numbers and strings as `JSON.stringify` writes them (the JSON Canonicalization Scheme, RFC 8785, for values
 * that came from `JSON.parse`). Two documents that differ only in key order or spacing have the same text.
 * The caller bounds the depth (`inspectValue`); this recursion goes as deep as the value.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out += (i > 0 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(object[key]);
  }
  return out + '}';
}

/** Hex sha-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The content hash of a JSON value: sha-256 of its canonical text. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
