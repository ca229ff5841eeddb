/**
 * Builds testdata Go programs with the real toolchain, cached by a hash of the
 * sources, flags and toolchain, so repeated test runs reuse the binary.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findGo } from '../../src/util/goTool.js';

/** Repository root (tests run from out/test/...). */
export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const testdataDir = join(repoRoot, 'testdata');
export const cacheDir = process.env.GDA_TEST_CACHE ?? join(tmpdir(), 'go-debug-adapter-test-cache');

export const DEBUG_GCFLAGS = '-gcflags=all=-N -l';

export function goBin(): string {
  const go = findGo();
  if (!go) throw new Error('Go toolchain not found: put `go` on PATH or install it at /usr/local/go');
  return go;
}

let goRootCache: string | undefined;
export function goRoot(): string {
  goRootCache ??= execFileSync(goBin(), ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  return goRootCache;
}

export function goToolBinary(name: string): string {
  return join(goRoot(), 'pkg', 'tool', 'linux_amd64', name);
}

function hashTree(h: ReturnType<typeof createHash>, dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) hashTree(h, p);
    else if (/\.(go|mod|sum|s)$/.test(name)) {
      h.update(p.slice(testdataDir.length));
      h.update(readFileSync(p));
    }
  }
}

export interface BuildOptions {
  /** Extra `go build` flags (default: the debug gcflags). */
  flags?: string[];
  /** Extra environment, e.g. { GOTOOLCHAIN: 'go1.22.12' } or { GOEXPERIMENT: 'nodwarf5' }. */
  env?: Record<string, string>;
  /** Build with `go test -c` instead of `go build`. */
  test?: boolean;
}

/**
 * Builds `testdata/<name>` (a directory holding a main package, or a .go file)
 * and returns the binary path. Cached by content hash.
 */
export function buildFixture(name: string, opts: BuildOptions = {}): string {
  const src = join(testdataDir, name);
  if (!existsSync(src)) throw new Error(`no fixture ${src}`);
  const flags = opts.flags ?? [DEBUG_GCFLAGS];
  const h = createHash('sha256');
  h.update(JSON.stringify({ name, flags, env: opts.env ?? {}, test: !!opts.test }));
  h.update(readFileSync(join(testdataDir, 'go.mod')));
  if (statSync(src).isDirectory()) hashTree(h, src);
  else h.update(readFileSync(src));
  h.update(goRoot());
  // The binary records absolute source paths: a checkout elsewhere needs its own build.
  h.update(testdataDir);
  const key = h.digest('hex').slice(0, 16);
  const out = join(cacheDir, `${name.replace(/[\\/]/g, '_').replace(/\.go$/, '')}-${key}`);
  if (existsSync(out)) return out;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.tmp${process.pid}`;
  const pkg = statSync(src).isDirectory() ? `./${name}` : `./${name}`;
  const args = opts.test ? ['test', '-c', ...flags, '-o', tmp, pkg] : ['build', ...flags, '-o', tmp, pkg];
  execFileSync(goBin(), args, {
    cwd: testdataDir,
    env: { ...process.env, PATH: `${dirname(goBin())}:${process.env.PATH ?? ''}`, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  renameSync(tmp, out);
  return out;
}
