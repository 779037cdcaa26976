/** JSON Pointer (RFC 6901) helpers. Segments are kept as strings; array indexes are decimal strings. */

export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Builds a pointer from segments: `["a", 0, "b/c"]` becomes `/a/0/b~1c`. */
export function toPointer(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += '/' + escapeSegment(s);
  return out;
}

/** Splits a pointer into unescaped segments. `""` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`Not a JSON pointer: ${JSON.stringify(pointer)}`);
  return pointer.slice(1).split('/').map(unescapeSegment);
}

/** Appends one segment to a pointer. */
export function childPointer(pointer: string, segment: string | number): string {
  return pointer + '/' + escapeSegment(segment);
}

/** Reads the value at a pointer, or `undefined` when the path does not exist. Own properties only. */
export function getAtPointer(root: unknown, pointer: string | readonly string[]): unknown {
  const segments = typeof pointer === 'string' ? parsePointer(pointer) : pointer;
  let node: unknown = root;
  for (const s of segments) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(s)) return undefined;
      node = node[Number(s)];
    } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, s)) {
      node = (node as Record<string, unknown>)[s];
    } else {
      return undefined;
    }
  }
  return node;
}
