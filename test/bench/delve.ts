/**
 * Delve for the comparison: installed by the benchmark itself with `go install`
 * into a cache folder (never a dependency of the adapter), reused when present.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { goBin } from '../support/goBuild.js';

/** Tried in order: the newest release that builds with our Go, then the one the issue names. */
export const DELVE_VERSIONS = ['v1.27.2', 'v1.27.1'];

export interface Delve {
  path: string;
  version: string;
}

/**
 * Returns a dlv binary: `override` when given, else `<cacheRoot>/dlv-<version>/dlv`,
 * running `go install github.com/go-delve/delve/cmd/dlv@<version>` with GOBIN set to
 * that folder when it is missing. Throws with the go output when no version builds.
 */
export function ensureDelve(cacheRoot: string, log: (m: string) => void, override?: string): Delve {
  if (override) {
    const out = execFileSync(override, ['version'], { encoding: 'utf8' });
    return { path: override, version: /Version:\s*(\S+)/.exec(out)?.[1] ?? 'unknown' };
  }
  const errors: string[] = [];
  for (const version of DELVE_VERSIONS) {
    const dir = join(cacheRoot, `dlv-${version}`);
    const path = join(dir, 'dlv');
    if (existsSync(path)) return { path, version };
    mkdirSync(dir, { recursive: true });
    log(`installing Delve ${version} into ${dir} (go install, once)…`);
    try {
      execFileSync(goBin(), ['install', `github.com/go-delve/delve/cmd/dlv@${version}`], {
        // Outside any module, so a go.mod around the cache cannot interfere.
        cwd: cacheRoot,
        env: { ...process.env, GOBIN: dir, PATH: `${dirname(goBin())}:${process.env.PATH ?? ''}` },
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      });
      if (existsSync(path)) return { path, version };
      errors.push(`${version}: go install succeeded but ${path} is missing`);
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      errors.push(`${version}: ${err.stderr?.toString().trim().split('\n').slice(-5).join('\n') || err.message}`);
    }
  }
  throw new Error(`could not install Delve:\n${errors.join('\n')}`);
}
