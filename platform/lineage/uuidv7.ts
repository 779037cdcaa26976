import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;
const bytes = new Uint8Array(16);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by creation time,
 * which is what the official OpenLineage clients use for run ids. Within one millisecond a 12-bit counter
 * seeded at random keeps ids of this process increasing (RFC 9562, method 1); when it wraps, the timestamp
 * is moved on by one millisecond rather than going backwards.
 */
export function uuidv7(now: number = Date.now()): string {
  randomFillSync(bytes);
  let ms = now;
  if (ms > lastMs) {
    lastMs = ms;
    counter = ((bytes[6]! & 0x07) << 8) | bytes[7]!; // start in the lower half: room to count up
  } else {
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      ms = ++lastMs;
      counter = 0;
    }
  }
  // 48-bit big-endian timestamp; divisions rather than shifts, because shifts truncate to 32 bits.
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-';
    out += HEX[bytes[i]!];
  }
  return out;
}

/** The millisecond timestamp written in a UUID v7. */
export function uuidv7Time(uuid: string): number {
  return Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16);
}
