import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Buckets a spilled counter hashes its keys into; each is read back alone, so memory stays at 1/BUCKETS. */
const BUCKETS = 256;
/** Characters a bucket buffers before writing: small, or a spill of a million keys would hold them all. */
const BUCKET_BUFFER = 8 * 1024;
/** Keys after which the arena is sized, once, for the keys expected (their length is known by then). */
const SAMPLE = 1024;
/** UTF-16 units of keys held in memory at most (64 MiB), whatever their number: long keys spill sooner. */
const ARENA_LIMIT = 32 * 1024 * 1024;
/** Repeated values kept as examples. */
const EXAMPLES = 5;

const STRING = 1;
const NUMBER = 2;
const BOOLEAN = 3;
const OBJECT = 4;

/** What counting the keys found. */
export interface KeyCount {
  /** Keys added (records whose key fields were all non-null). */
  readonly count: number;
  readonly distinct: number;
  readonly examples: unknown[];
}

/** A counter's state, to carry from a worker thread to the counter that merges it (typed arrays transfer). */
export interface KeyCounterState {
  readonly count: number;
  readonly opaque: number;
  readonly examples: unknown[];
  /** Slots of four: hash, check hash, start and length of the key's units in the arena. */
  readonly table: { slots: Int32Array; entries: number; arena: Uint16Array } | undefined;
  /** The folder of a spilled counter's bucket files, left for the merge to read. */
  readonly spillDir: string | undefined;
}

/**
 * Counts distinct keys exactly, fast, in bounded memory.
 *
 * Up to `budget` distinct keys live in an open-addressing hash table over typed arrays: each key's UTF-16
 * units are copied into one growing arena, and equal hashes are confirmed by comparing the units, so the
 * count is exact and no JavaScript string is kept alive (a `Set` of a million fresh strings costs over a
 * microsecond per key, most of it in the garbage collector). Past the budget every key goes to one of
 * `BUCKETS` temporary files by hash, and at the end each file is counted alone: equal keys share a file.
 * Keys are primitives (a string, number or boolean field) or objects and arrays (several fields, compared
 * by their JSON); `"1"` and `1` are different keys. Counters of worker threads merge into one (`merge`).
 */
export class KeyCounter {
  private capacity = 1 << 12;
  /** Four int32 per slot, together so that a probe touches one cache line: hash (0 = empty), check, start, length. */
  private slots: Int32Array<ArrayBufferLike> = new Int32Array(this.capacity * 4);
  private arena: Uint16Array<ArrayBufferLike> = new Uint16Array(1 << 16);
  private used = 0;
  private entries = 0;
  private count = 0;
  private opaque = 0;
  private readonly expected: number;
  private examples: unknown[] = [];
  private spill: Spill | undefined;

  /** `expected`: about how many keys will come (sizes the table once rather than doubling it). */
  constructor(
    private readonly budget: number,
    expected = 0,
  ) {
    this.expected = Math.min(Math.max(expected, 0), budget);
    while (this.capacity < this.expected * 2) this.capacity *= 2;
    if (this.capacity > 1 << 12) this.slots = new Int32Array(this.capacity * 4);
  }

  add(key: unknown): void {
    this.count++;
    let text: string;
    let tag: number;
    switch (typeof key) {
      case 'string':
        text = key;
        tag = STRING;
        break;
      case 'number':
        text = String(key);
        tag = NUMBER;
        break;
      case 'boolean':
        text = key ? 't' : 'f';
        tag = BOOLEAN;
        break;
      default: {
        const json = serialize(key);
        if (json === undefined) {
          this.opaque++; // nested too deep to compare: counted as distinct
          return;
        }
        text = json;
        tag = OBJECT;
      }
    }
    if (this.spill) {
      this.spill.add(tag, text);
      return;
    }
    // Two 32-bit FNV-1a style hashes with different primes: one places the key, both filter comparisons.
    let h = 0x811c9dc5 ^ tag;
    let g = 0x9747b28c ^ tag;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      g = Math.imul(g ^ c, 0x5bd1e995);
    }
    h |= 1; // 0 marks an empty slot
    const slot = this.findSlot(h, g, n + 1, tag, text, undefined, 0);
    if (slot < 0) {
      this.noteRepeat(key);
      return;
    }
    const start = this.reserve(n + 1);
    this.arena[start] = tag;
    for (let i = 0; i < n; i++) this.arena[start + 1 + i] = text.charCodeAt(i);
    this.place(slot, h, g, start, n + 1);
  }

  /** Counts and cleans up; the counter is spent afterwards. */
  finish(): KeyCount {
    if (!this.spill) return { count: this.count, distinct: this.entries + this.opaque, examples: this.examples };
    const { distinct, examples } = this.spill.finish(EXAMPLES - this.examples.length);
    return { count: this.count, distinct: distinct + this.opaque, examples: [...this.examples, ...examples] };
  }

  /** The state to hand to `merge` (from a worker: transfer the table's buffers). Spill files are kept for it. */
  state(): KeyCounterState {
    const base = { count: this.count, opaque: this.opaque, examples: this.examples };
    if (this.spill) return { ...base, table: undefined, spillDir: this.spill.close() };
    return { ...base, table: { slots: this.slots, entries: this.entries, arena: this.arena.subarray(0, this.used) }, spillDir: undefined };
  }

  /** Merges the states of counters that counted parts of one input: exact across them. */
  static merge(states: readonly KeyCounterState[], budget: number): KeyCount {
    const only = states.length === 1 ? states[0]! : undefined;
    if (only?.table) return { count: only.count, distinct: only.table.entries + only.opaque, examples: only.examples };
    // The largest table becomes the merged one, as it is: only the others' keys are inserted.
    const spilled = states.map((s) => s.spillDir).filter((d): d is string => d !== undefined);
    const base = spilled.length > 0 ? undefined : states.reduce<KeyCounterState | undefined>((best, s) => (s.table && (!best || s.table.entries > best.table!.entries) ? s : best), undefined);
    const merged = new KeyCounter(budget);
    if (base?.table) {
      merged.capacity = base.table.slots.length / 4;
      merged.slots = base.table.slots;
      merged.arena = base.table.arena;
      merged.used = base.table.arena.length;
      merged.entries = base.table.entries;
    }
    for (const state of states) {
      merged.count += state.count;
      merged.opaque += state.opaque;
      for (const e of state.examples) if (merged.examples.length < EXAMPLES && !merged.examples.some((x) => sameKey(x, e))) merged.examples.push(e);
    }
    if (spilled.length > 0) merged.startSpill(spilled);
    for (const state of states) {
      const table = state.table;
      if (!table || state === base) continue;
      for (let at = 0; at < table.slots.length; at += 4) {
        if (table.slots[at] === 0) continue;
        merged.addUnits(table.slots[at]!, table.slots[at + 1]!, table.arena, table.slots[at + 2]!, table.slots[at + 3]!);
      }
    }
    return merged.finish();
  }

  /** Removes temporary files when counting is abandoned. */
  dispose(): void {
    this.spill?.dispose();
  }

  /** Adds a key already encoded (tag, then units) with its hashes: the merge path. */
  private addUnits(h: number, g: number, source: Uint16Array, from: number, length: number): void {
    if (this.spill) {
      this.spill.add(source[from]!, decodeUnits(source, from + 1, length - 1));
      return;
    }
    const slot = this.findSlot(h, g, length, 0, undefined, source, from);
    if (slot < 0) {
      this.noteRepeat(decodeKey(source[from]!, decodeUnits(source, from + 1, length - 1)));
      return;
    }
    const start = this.reserve(length);
    this.arena.set(source.subarray(from, from + length), start);
    this.place(slot, h, g, start, length);
  }

  /**
   * The empty slot where a key belongs, or `-1 - slot` where it already is. The key is `tag` and `text`, or
   * (merging) `length` units of `source` from `from`.
   */
  private findSlot(h: number, g: number, length: number, tag: number, text: string | undefined, source: Uint16Array | undefined, from: number): number {
    const slots = this.slots;
    const mask = this.capacity - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const at = slot * 4;
      const stored = slots[at]!;
      if (stored === 0) return slot;
      if (stored === h && slots[at + 1] === g && slots[at + 3] === length) {
        const same = text !== undefined ? this.equalText(slots[at + 2]!, tag, text) : this.equalUnits(slots[at + 2]!, source!, from, length);
        if (same) return -1 - slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private noteRepeat(key: unknown): void {
    if (this.examples.length < EXAMPLES && !this.examples.some((e) => sameKey(e, key))) this.examples.push(key);
  }

  private reserve(length: number): number {
    if (this.used + length > this.arena.length) {
      let size = Math.ceil(this.arena.length * 1.5);
      while (size < this.used + length) size = Math.ceil(size * 1.5);
      const next = new Uint16Array(size);
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    const start = this.used;
    this.used += length;
    return start;
  }

  private place(slot: number, h: number, g: number, start: number, length: number): void {
    const at = slot * 4;
    this.slots[at] = h;
    this.slots[at + 1] = g;
    this.slots[at + 2] = start;
    this.slots[at + 3] = length;
    if (++this.entries * 2 > this.capacity) this.growTable();
    if (this.entries === SAMPLE && this.expected > SAMPLE) {
      // Sized once from the keys seen so far: doubling a large arena would hold both copies at once.
      const size = Math.min(ARENA_LIMIT + 1, Math.ceil((this.used / SAMPLE) * this.expected * 1.1));
      if (size > this.arena.length) {
        const next = new Uint16Array(size);
        next.set(this.arena.subarray(0, this.used));
        this.arena = next;
      }
    }
    if (this.entries > this.budget || this.used > ARENA_LIMIT) this.startSpill([]);
  }

  private equalText(start: number, tag: number, text: string): boolean {
    const arena = this.arena;
    if (arena[start] !== tag) return false;
    for (let i = 0; i < text.length; i++) if (arena[start + 1 + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  private equalUnits(start: number, source: Uint16Array, from: number, length: number): boolean {
    const arena = this.arena;
    for (let i = 0; i < length; i++) if (arena[start + i] !== source[from + i]) return false;
    return true;
  }

  private growTable(): void {
    const old = this.slots;
    this.capacity *= 2;
    const slots = new Int32Array(this.capacity * 4);
    const mask = this.capacity - 1;
    for (let at = 0; at < old.length; at += 4) {
      const h = old[at]!;
      if (h === 0) continue;
      let slot = (h ^ (h >>> 15)) & mask;
      while (slots[slot * 4] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(at, at + 4), slot * 4);
    }
    this.slots = slots;
  }

  /** From now on keys go to bucket files; the ones in memory go first. `others`: spill folders to count too. */
  private startSpill(others: readonly string[]): void {
    if (this.spill) return;
    const spill = new Spill(others);
    for (let at = 0; at < this.slots.length; at += 4) {
      if (this.slots[at] === 0) continue;
      const start = this.slots[at + 2]!;
      spill.add(this.arena[start]!, decodeUnits(this.arena, start + 1, this.slots[at + 3]! - 1));
    }
    this.spill = spill;
    // Release the table and the arena.
    this.capacity = 1;
    this.slots = new Int32Array(4);
    this.arena = new Uint16Array(1);
    this.used = 0;
  }
}

class Spill {
  private readonly dir = mkdtempSync(join(tmpdir(), 'mesh-keys-'));
  private readonly fds: number[] = [];
  private readonly buffers: string[][] = [];
  private readonly sizes: number[] = [];

  /** `others`: folders of other spills whose buckets are counted with this one's (and removed). */
  constructor(private readonly others: readonly string[] = []) {
    for (let i = 0; i < BUCKETS; i++) {
      this.fds.push(openSync(join(this.dir, String(i)), 'w'));
      this.buffers.push([]);
      this.sizes.push(0);
    }
  }

  /** One line per key: its tag, then the text JSON-quoted (so that no key holds a line break). */
  add(tag: number, text: string): void {
    const line = `${tag}${JSON.stringify(text)}`;
    const bucket = hash(line) % BUCKETS;
    this.buffers[bucket]!.push(line);
    this.sizes[bucket]! += line.length + 1;
    if (this.sizes[bucket]! >= BUCKET_BUFFER) this.flush(bucket);
  }

  /** Writes what is buffered and closes the files, keeping them; returns the folder. */
  close(): string {
    for (let i = 0; i < this.fds.length; i++) this.flush(i);
    for (const fd of this.fds.splice(0)) closeSync(fd);
    return this.dir;
  }

  finish(wanted: number): { distinct: number; examples: unknown[] } {
    let distinct = 0;
    const examples: unknown[] = [];
    try {
      this.close();
      for (let i = 0; i < BUCKETS; i++) {
        const seen = new Set<string>();
        for (const dir of [this.dir, ...this.others]) {
          const path = join(dir, String(i));
          if (!existsSync(path)) continue;
          const text = readFileSync(path, 'utf8');
          let start = 0;
          for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
            const line = text.slice(start, nl);
            start = nl + 1;
            const before = seen.size;
            seen.add(line);
            if (seen.size === before && examples.length < wanted) {
              const key = decodeKey(Number(line[0]), JSON.parse(line.slice(1)) as string);
              if (!examples.some((e) => sameKey(e, key))) examples.push(key);
            }
          }
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
    for (const dir of [this.dir, ...this.others]) rmSync(dir, { recursive: true, force: true });
  }

  private flush(bucket: number): void {
    if (this.buffers[bucket]!.length === 0) return;
    writeSync(this.fds[bucket]!, this.buffers[bucket]!.join('\n') + '\n');
    this.buffers[bucket] = [];
    this.sizes[bucket] = 0;
  }
}

function serialize(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

function decodeUnits(units: Uint16Array, from: number, length: number): string {
  return Buffer.from(units.buffer, units.byteOffset + from * 2, length * 2).toString('utf16le');
}

function decodeKey(tag: number, text: string): unknown {
  if (tag === NUMBER) return Number(text);
  if (tag === BOOLEAN) return text === 't';
  if (tag === OBJECT) return JSON.parse(text) as unknown;
  return text;
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
