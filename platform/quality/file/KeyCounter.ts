import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Buckets a spilled counter hashes its keys into; each is read back alone, so memory stays at 1/BUCKETS. */
const BUCKETS = 256;
/** Bytes a bucket buffers before writing. */
const BUCKET_BUFFER = 64 * 1024;
/** Repeated values kept as examples. */
const EXAMPLES = 5;

/** What counting the keys found. */
export interface KeyCount {
  /** Keys added (records whose key fields were all non-null). */
  readonly count: number;
  readonly distinct: number;
  readonly examples: unknown[];
}

/**
 * Counts distinct keys exactly in bounded memory. Keys are held in a `Set` until there are `budget` of them;
 * then every key is written to one of `BUCKETS` temporary files by hash, and at the end each file is read
 * back alone and counted: equal keys always land in the same file. Keys are primitives (a string, number or
 * boolean field) or strings (several fields, encoded by the caller); `"1"` and `1` are different keys.
 */
export class KeyCounter {
  private set = new Set<unknown>();
  /** Object values (JSON-encoded), apart so that they never meet strings. */
  private objects = new Set<string>();
  private count = 0;
  private opaque = 0;
  private readonly examples: unknown[] = [];
  private spill: Spill | undefined;

  constructor(private readonly budget: number) {}

  add(key: unknown): void {
    this.count++;
    const isObject = typeof key === 'object';
    if (isObject && !serializable(key)) {
      this.opaque++; // nested too deep to compare: counted as distinct
      return;
    }
    if (this.spill) {
      this.spill.add(isObject ? `o${JSON.stringify(key)}` : typeof key === 'string' ? JSON.stringify(key) : String(key));
      return;
    }
    const set = isObject ? this.objects : this.set;
    const before = set.size;
    set.add(isObject ? JSON.stringify(key) : key);
    if (set.size === before) {
      if (this.examples.length < EXAMPLES && !this.examples.includes(key)) this.examples.push(key);
    } else if (this.set.size + this.objects.size > this.budget) {
      this.spill = new Spill();
      for (const kept of this.set) this.spill.add(typeof kept === 'string' ? JSON.stringify(kept) : String(kept));
      for (const kept of this.objects) this.spill.add(`o${kept}`);
      this.set = new Set();
      this.objects = new Set();
    }
  }

  /** Counts and cleans up; the counter is spent afterwards. */
  finish(): KeyCount {
    if (!this.spill) return { count: this.count, distinct: this.set.size + this.objects.size + this.opaque, examples: this.examples };
    const { distinct, examples } = this.spill.finish(EXAMPLES - this.examples.length);
    return { count: this.count, distinct: distinct + this.opaque, examples: [...this.examples, ...examples] };
  }

  /** Removes temporary files when counting is abandoned. */
  dispose(): void {
    this.spill?.dispose();
  }
}

class Spill {
  private readonly dir = mkdtempSync(join(tmpdir(), 'mesh-keys-'));
  private readonly fds: number[] = [];
  private readonly buffers: string[][] = [];
  private readonly sizes: number[] = [];

  constructor() {
    for (let i = 0; i < BUCKETS; i++) {
      this.fds.push(openSync(join(this.dir, String(i)), 'w'));
      this.buffers.push([]);
      this.sizes.push(0);
    }
  }

  /** One line per key: a JSON string, `o` and JSON for an object, or a number or boolean as text. */
  add(line: string): void {
    const bucket = hash(line) % BUCKETS;
    this.buffers[bucket]!.push(line);
    this.sizes[bucket]! += line.length + 1;
    if (this.sizes[bucket]! >= BUCKET_BUFFER) this.flush(bucket);
  }

  finish(wanted: number): { distinct: number; examples: unknown[] } {
    let distinct = 0;
    const examples: unknown[] = [];
    try {
      for (let i = 0; i < BUCKETS; i++) this.flush(i);
      for (const fd of this.fds.splice(0)) closeSync(fd);
      for (let i = 0; i < BUCKETS; i++) {
        const seen = new Set<string>();
        const text = readFileSync(join(this.dir, String(i)), 'utf8');
        let start = 0;
        for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
          const line = text.slice(start, nl);
          start = nl + 1;
          const before = seen.size;
          seen.add(line);
          if (seen.size === before && examples.length < wanted && !examples.includes(decode(line))) examples.push(decode(line));
        }
        distinct += seen.size;
      }
    } finally {
      this.dispose();
    }
    return { distinct, examples };
  }

  dispose(): void {
    for (const fd of this.fds.splice(0)) closeSync(fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(bucket: number): void {
    if (this.buffers[bucket]!.length === 0) return;
    writeSync(this.fds[bucket]!, this.buffers[bucket]!.join('\n') + '\n');
    this.buffers[bucket] = [];
    this.sizes[bucket] = 0;
  }
}

function serializable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

function decode(line: string): unknown {
  if (line.startsWith('"')) return JSON.parse(line);
  if (line.startsWith('o')) return JSON.parse(line.slice(1));
  if (line === 'true' || line === 'false') return line === 'true';
  return Number(line);
}

/** FNV-1a over UTF-16 units: cheap, and spreads keys that differ in any character. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
