import { InputError } from '../../platform/errors.js';

/**
 * Opaque page cursors: base64url of `o:<offset>` into the ordered result. Clients must not build them; a
 * cursor that does not decode is refused with `BAD_USER_INPUT`.
 */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

/** The offset after the row a cursor names; 0 without a cursor. */
export function decodeCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InputError(`"${cursor.slice(0, 40)}" is not a cursor this catalog gave out; pass an endCursor or cursor from a previous page`);
  return Number(match[1]) + 1;
}
