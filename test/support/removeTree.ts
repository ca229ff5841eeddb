/**
 * Removes a temporary directory that an adapter ran from. An adapter that has
 * been sent SIGTERM may still be writing its V8 code caches next to its bundle
 * (scripts/adapterLoader.cjs, at exit) while the directory is removed: Node's
 * rmSync then fails with ENOTEMPTY (it removes the children once and retries
 * only the rmdir). Here the whole removal is tried again until the writer is gone.
 */
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export async function removeTree(dir: string, attempts = 50): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || i >= attempts) throw e;
      await sleep(100);
    }
  }
}
