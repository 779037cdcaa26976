import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import type { FlushReport } from './transports/Transport.js';

/** What became of one attempt to deliver a spooled event. */
export type SendOutcome =
  | { readonly kind: 'delivered' }
  /** The endpoint refused the event itself (400, 413, 422): re-sending it cannot help. */
  | { readonly kind: 'rejected'; readonly reason: string }
  /** The endpoint could not take it now (down, 5xx, timeout, credentials): keep it and stop. */
  | { readonly kind: 'failed'; readonly reason: string };

/** Claims of the spool files this process holds right now, across every Spool instance in it. */
const liveClaims = new Set<string>();

const EVENT_SUFFIX = '.json';

/**
 * Events kept on disk until their endpoint takes them: one file per event, so nothing is ever rewritten in
 * place.
 *
 * - `tmp/`: a file is written and synced here first, then renamed into `pending/`; a crash mid-write leaves
 *   only a temporary file, never a torn event.
 * - `pending/`: waiting events. Names start with the time they were spooled, so sorting them gives the order.
 * - `claimed/`: an event being sent. A sender claims a file by renaming it here under its own name; a rename
 *   succeeds for one process only, so two processes never send the same spooled event. The file is deleted
 *   once delivered, or renamed back to `pending/` when the send fails. Claims of processes that died are
 *   returned to `pending/` by the next drain.
 * - `rejected/`: events the endpoint refused as malformed, with the reason beside each (`<name>.error.txt`);
 *   kept for inspection, never re-sent.
 *
 * Delivery is at least once: a process that dies between a successful send and the deletion of the claim
 * leaves the event to be sent again (the catalog ignores duplicate events).
 */
export class Spool {
  private readonly pendingDir: string;
  private readonly claimedDir: string;
  private readonly rejectedDir: string;
  private readonly tmpDir: string;
  private readonly token = randomBytes(6).toString('hex');
  private sequence = 0;
  private ready: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    /** Recorded in `target.json`, so that `mesh lineage flush` can say where orphaned events were going. */
    private readonly target?: Readonly<Record<string, unknown>>,
  ) {
    this.pendingDir = join(dir, 'pending');
    this.claimedDir = join(dir, 'claimed');
    this.rejectedDir = join(dir, 'rejected');
    this.tmpDir = join(dir, 'tmp');
  }

  /** Every spool under a root folder (one per endpoint), with where its events were going and how many wait. */
  static async list(root: string): Promise<{ dir: string; url: string | undefined; pending: number; rejected: number }[]> {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const out = [];
    for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const dir = join(root, entry.name);
      const target = await readFile(join(dir, 'target.json'), 'utf8').then((t) => JSON.parse(t) as { url?: unknown }, () => undefined);
      const spool = new Spool(dir);
      out.push({ dir, url: typeof target?.url === 'string' ? target.url : undefined, pending: await spool.count(), rejected: await spool.rejectedCount() });
    }
    return out;
  }

  private prepare(): Promise<void> {
    return (this.ready ??= (async () => {
      for (const d of [this.pendingDir, this.claimedDir, this.rejectedDir, this.tmpDir]) await mkdir(d, { recursive: true });
      if (this.target) {
        const path = join(this.dir, 'target.json');
        const existing = await readFile(path, 'utf8').catch(() => undefined);
        if (existing === undefined) await this.writeAtomically(path, JSON.stringify(this.target, null, 2) + '\n', false);
      }
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    }));
  }

  private nextName(): string {
    const time = String(Date.now()).padStart(15, '0');
    const pid = String(process.pid).padStart(7, '0');
    return `${time}-${pid}-${this.token}-${String(this.sequence++).padStart(9, '0')}${EVENT_SUFFIX}`;
  }

  /** Writes to `tmp/`, syncs, then renames to `path`: the file appears whole or not at all. */
  private async writeAtomically(path: string, text: string, sync = true): Promise<void> {
    const tmp = join(this.tmpDir, `${path.slice(path.lastIndexOf('/') + 1)}~${process.pid}~${this.token}`);
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text, 'utf8');
      if (sync) await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  }

  /** Keeps an event for later; resolves once it is on disk. Returns the spool file's name. */
  async put(json: string): Promise<string> {
    await this.prepare();
    const name = this.nextName();
    await this.writeAtomically(join(this.pendingDir, name), json);
    await syncDirectory(this.pendingDir);
    return name;
  }

  /** Keeps an event the endpoint refused, with the reason, in `rejected/`. */
  async putRejected(json: string, reason: string): Promise<string> {
    await this.prepare();
    const name = this.nextName();
    await this.writeAtomically(join(this.rejectedDir, name), json);
    await this.writeAtomically(join(this.rejectedDir, `${name}.error.txt`), reason + '\n', false);
    return join(this.rejectedDir, name);
  }

  /** Names of the waiting events, oldest first. */
  async pending(): Promise<string[]> {
    const names = await readdir(this.pendingDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    return names.filter((n) => n.endsWith(EVENT_SUFFIX)).sort();
  }

  async count(): Promise<number> {
    return (await this.pending()).length;
  }

  async rejectedCount(): Promise<number> {
    const names = await readdir(this.rejectedDir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith(EVENT_SUFFIX)).length;
  }

  /**
   * Sends waiting events oldest first, each claimed before it is sent. Stops at the first event that fails
   * (the endpoint is down: the rest would fail too, and order is kept). Rejected events move to `rejected/`
   * and the drain goes on.
   */
  async drain(send: (json: string) => Promise<SendOutcome>): Promise<FlushReport> {
    // Nothing was ever spooled here: do not create the folders just to find them empty.
    if ((await readdir(this.dir).catch(() => undefined)) === undefined) return { delivered: 0, rejected: 0, remaining: 0 };
    await this.prepare();
    await this.recoverStaleClaims();
    let delivered = 0;
    let rejected = 0;
    for (const name of await this.pending()) {
      const claim = await this.claim(name);
      if (claim === undefined) continue; // another process took it
      let outcome: SendOutcome;
      let json: string | undefined;
      try {
        json = await readFile(join(this.claimedDir, claim), 'utf8');
        outcome = await send(json);
      } catch (error) {
        outcome = { kind: 'failed', reason: errorMessage(error) };
      }
      if (outcome.kind === 'delivered') {
        await this.release(claim, () => unlink(join(this.claimedDir, claim)));
        delivered++;
      } else if (outcome.kind === 'rejected') {
        await this.release(claim, async () => {
          await this.writeAtomically(join(this.rejectedDir, `${name}.error.txt`), outcome.reason + '\n', false);
          await rename(join(this.claimedDir, claim), join(this.rejectedDir, name));
        });
        rejected++;
      } else {
        await this.release(claim, () => rename(join(this.claimedDir, claim), join(this.pendingDir, name)));
        break;
      }
    }
    return { delivered, rejected, remaining: await this.count() };
  }

  private async claim(name: string): Promise<string | undefined> {
    const claim = `${name}~${process.pid}~${this.token}`;
    liveClaims.add(claim);
    try {
      await rename(join(this.pendingDir, name), join(this.claimedDir, claim));
      return claim;
    } catch (error) {
      liveClaims.delete(claim);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async release(claim: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } finally {
      liveClaims.delete(claim);
    }
  }

  /** Returns to `pending/` the claims of processes that no longer run, and removes their unfinished writes. */
  private async recoverStaleClaims(): Promise<void> {
    for (const claim of await readdir(this.claimedDir)) {
      if (liveClaims.has(claim)) continue;
      const [name, pid] = claim.split('~');
      if (name === undefined || pid === undefined || !name.endsWith(EVENT_SUFFIX)) continue;
      // A claim with this process's id that no Spool here holds is from an earlier process with the same id.
      if (Number(pid) !== process.pid && processRuns(Number(pid))) continue;
      await rename(join(this.claimedDir, claim), join(this.pendingDir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // recovered by someone else meanwhile
      });
    }
    for (const tmp of await readdir(this.tmpDir)) {
      const pid = Number(tmp.split('~')[1]);
      if (!Number.isInteger(pid) || pid === process.pid || processRuns(pid)) continue;
      await unlink(join(this.tmpDir, tmp)).catch(() => undefined);
    }
  }
}

function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a rename durable: the directory entry itself is synced (where the platform allows it). */
async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Not every platform can open or sync a directory (Windows); the data itself is synced already.
  } finally {
    await fh?.close();
  }
}
