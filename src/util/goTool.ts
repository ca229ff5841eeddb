/** Locating the Go toolchain: `go` on PATH, else the standard install at /usr/local/go/bin. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const FALLBACKS = ['/usr/local/go/bin', '/usr/lib/go/bin'];

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the `go` command, or undefined when none is found. */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const d of [...dirs, ...FALLBACKS]) {
    const p = join(d, 'go');
    if (executable(p)) return p;
  }
  return undefined;
}
