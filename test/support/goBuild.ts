/**
 * Builds testdata Go programs with the real toolchain, cached by a hash of the
 * sources, flags and toolchain, so repeated test runs reuse the binary.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findGo } from '../../src/util/goTool.js';

/** Repository root (tests run from out/test/...). */
export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const testdataDir = join(repoRoot, 'testdata');
export const cacheDir = process.env.GDA_TEST_CACHE ?? join(tmpdir(), 'go-debug-adapter-test-cache');

const execFileAsync = promisify(execFile);

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

interface FixtureBuild {
  /** Where the cached binary is (exists once built). */
  out: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The cache path of `testdata/<name>` built with `opts`, and the `go` command that builds it to `tmp`. */
function planBuild(name: string, opts: BuildOptions): FixtureBuild & { tmp: string } {
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
  const tmp = `${out}.tmp${process.pid}.${++tmpSerial}`;
  const pkg = `./${name}`;
  const args = opts.test ? ['test', '-c', ...flags, '-o', tmp, pkg] : ['build', ...flags, '-o', tmp, pkg];
  const env = { ...process.env, PATH: `${dirname(goBin())}:${process.env.PATH ?? ''}`, ...opts.env };
  return { out, tmp, args, env };
}
let tmpSerial = 0;

/**
 * Builds `testdata/<name>` (a directory holding a main package, or a .go file)
 * and returns the binary path. Cached by content hash.
 */
export function buildFixture(name: string, opts: BuildOptions = {}): string {
  const b = planBuild(name, opts);
  if (existsSync(b.out)) return b.out;
  mkdirSync(cacheDir, { recursive: true });
  execFileSync(goBin(), b.args, { cwd: testdataDir, env: b.env, stdio: ['ignore', 'pipe', 'pipe'] });
  renameSync(b.tmp, b.out);
  return b.out;
}

/**
 * buildFixture without blocking the event loop, so several builds (e.g. one
 * per toolchain) run side by side while tests run. Rejects with go's stderr.
 */
export async function buildFixtureAsync(name: string, opts: BuildOptions = {}): Promise<string> {
  const b = planBuild(name, opts);
  if (existsSync(b.out)) return b.out;
  mkdirSync(cacheDir, { recursive: true });
  try {
    await execFileAsync(goBin(), b.args, { cwd: testdataDir, env: b.env, maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`go ${b.args.join(' ')} (${JSON.stringify(opts.env ?? {})}) failed: ${(err.stderr || err.message).trim()}`);
  }
  renameSync(b.tmp, b.out);
  return b.out;
}

/**
 * Undefined when `GOTOOLCHAIN=<version>` runs that toolchain (downloading it
 * through the module proxy into the module cache the first time); else why
 * not, for a test to skip with.
 */
export async function toolchainProblem(version: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(goBin(), ['env', 'GOVERSION'], {
      cwd: testdataDir,
      env: { ...process.env, GOTOOLCHAIN: version },
      timeout: 300_000,
    });
    return stdout.trim() === version ? undefined : `GOTOOLCHAIN=${version} ran ${stdout.trim()}`;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return `GOTOOLCHAIN=${version} could not be fetched through the module proxy: ${(err.stderr || err.message).trim().split('\n').slice(-2).join(' ')}`;
  }
}
