import { open, readFile, unlink } from 'node:fs/promises';
import { ConflictError } from '../errors.js';

/**
 * Takes an exclusive lock file holding this process's id, and returns the function that releases it. A lock
 * left by a process that no longer runs is taken over; one held by a live process is a `ConflictError`.
 */
export async function acquireDirectoryLock(path: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new ConflictError(`${what} is in use by process ${holder} (a running mesh serve?); stop it, or use a PostgreSQL server`);
      }
      if (holder === process.pid) throw new ConflictError(`${what} is already open in this process`);
      // Stale: its process is gone.
      await unlink(path).catch(() => {});
    }
  }
  throw new ConflictError(`cannot lock ${what} (${path})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
