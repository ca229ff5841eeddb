/**
 * The Go version matrix: testdata/smoke built by every supported toolchain
 * (Go 1.22 → 1.27, the newest patch of each that the module proxy serves,
 * fetched with GOTOOLCHAIN into the module cache) and every build variant it
 * has (DWARF 4 / 5, Swiss tables / classic buckets; -buildmode=pie with the
 * oldest and the newest toolchain), each passing the same smoke scenario over
 * DAP (smokeScenario.ts). One test per version × variant.
 *
 * Before the scenario each test checks that the binary is the variant it is
 * named for, by tools that are not ours: `go version -m` (the toolchain and
 * GOEXPERIMENT that built it), readelf (the DWARF version of every compile
 * unit; a PIE's ELF type is DYN) and `go tool nm` (runtime.hashGrow exists
 * only in the classic map implementation). The builds run two at a time in
 * the background while the first tests run. A test skips, saying why, only
 * when the module proxy cannot be reached; any other failure to fetch fails.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { buildFixtureAsync, DEBUG_GCFLAGS, goBin, testdataDir, toolchainProblem } from '../support/goBuild.js';
import { smokeScenario } from './smokeScenario.js';

const execFileAsync = promisify(execFile);

/** The installed toolchain (Go 1.26 here). */
const LOCAL = execFileSync(goBin(), ['env', 'GOVERSION'], { cwd: testdataDir, env: { ...process.env, GOTOOLCHAIN: 'local' }, encoding: 'utf8' }).trim();

type Maps = 'Swiss tables' | 'classic buckets';

interface Variant {
  /** GOTOOLCHAIN's value: a go1.X.Y fetched through the proxy, or the installed one. */
  go: string;
  experiment?: 'noswissmap' | 'nodwarf5';
  dwarf: 4 | 5;
  maps: Maps;
  /** Built with -buildmode=pie: an ELF ET_DYN image the kernel loads at an address of its choosing. */
  pie?: boolean;
}

// Go 1.22 and 1.23 know neither experiment; 1.24 has noswissmap but writes DWARF 4 only;
// 1.25 has both; from 1.26 noswissmap is gone (checked below) and nodwarf5 remains.
const MATRIX: Variant[] = [
  { go: 'go1.22.12', dwarf: 4, maps: 'classic buckets' },
  { go: 'go1.22.12', dwarf: 4, maps: 'classic buckets', pie: true },
  { go: 'go1.23.12', dwarf: 4, maps: 'classic buckets' },
  { go: 'go1.24.13', dwarf: 4, maps: 'Swiss tables' },
  { go: 'go1.24.13', experiment: 'noswissmap', dwarf: 4, maps: 'classic buckets' },
  { go: 'go1.25.14', dwarf: 5, maps: 'Swiss tables' },
  { go: 'go1.25.14', experiment: 'noswissmap', dwarf: 5, maps: 'classic buckets' },
  { go: 'go1.25.14', experiment: 'nodwarf5', dwarf: 4, maps: 'Swiss tables' },
  { go: LOCAL, dwarf: 5, maps: 'Swiss tables' },
  { go: LOCAL, experiment: 'nodwarf5', dwarf: 4, maps: 'Swiss tables' },
  { go: 'go1.27.4', dwarf: 5, maps: 'Swiss tables' },
  { go: 'go1.27.4', experiment: 'nodwarf5', dwarf: 4, maps: 'Swiss tables' },
  { go: 'go1.27.4', dwarf: 5, maps: 'Swiss tables', pie: true },
];

function envOf(v: Variant): Record<string, string> {
  return { GOTOOLCHAIN: v.go === LOCAL ? 'local' : v.go, ...(v.experiment ? { GOEXPERIMENT: v.experiment } : {}) };
}

function label(v: Variant): string {
  const exp = v.experiment ? ` GOEXPERIMENT=${v.experiment}` : '';
  return `${v.go}${v.go === LOCAL ? ' (installed)' : ''}${exp}${v.pie ? ' -buildmode=pie' : ''}: DWARF ${v.dwarf}, ${v.maps}`;
}

/** At most two `go build`s at once (the toolchain itself builds in parallel). */
const slots: (() => void)[] = [];
let running = 0;
async function inSlot<T>(f: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => slots.push(resolve));
  running++;
  try {
    return await f();
  } finally {
    running--;
    slots.shift()?.();
  }
}

type Built = { binary: string } | { skip: string };

const GOPROXY = execFileSync(goBin(), ['env', 'GOPROXY'], { cwd: testdataDir, encoding: 'utf8' }).trim();

/**
 * True when a failed toolchain fetch says the module proxy could not be
 * reached (what go prints for a refused connection, an unknown host, a
 * timeout, or GOPROXY=off, where it says "toolchain not available" without
 * asking anyone). Any other failure — the proxy answered that it has no such
 * toolchain, say — is a failure of the matrix, not a skip.
 */
function proxyUnreachable(problem: string): boolean {
  if (GOPROXY === 'off') return true;
  return /dial tcp|no such host|i\/o timeout|TLS handshake|connection (refused|reset)|network is unreachable|proxyconnect|deadline exceeded|timed out|ETIMEDOUT|SIGTERM/.test(
    problem,
  );
}

const fetched = new Map<string, Promise<string | undefined>>();
function fetchOnce(go: string): Promise<string | undefined> {
  if (go === LOCAL) return Promise.resolve(undefined);
  let p = fetched.get(go);
  if (!p) fetched.set(go, (p = toolchainProblem(go)));
  return p;
}

// Every build starts now; each test waits only for its own.
const builds = MATRIX.map(async (v): Promise<Built> => {
  const problem = await fetchOnce(v.go);
  if (problem && proxyUnreachable(problem)) return { skip: `${problem} (GOPROXY=${GOPROXY})` };
  if (problem) throw new Error(problem);
  const flags = v.pie ? [DEBUG_GCFLAGS, '-buildmode=pie'] : undefined;
  return { binary: await inSlot(() => buildFixtureAsync('smoke', { env: envOf(v), flags })) };
});
// A failed build is reported by its own test, not as an unhandled rejection.
for (const b of builds) b.catch(() => undefined);

/** What tools other than ours say the binary is. */
async function variantOf(binary: string): Promise<{ go: string; experiment?: string; dwarf: number[]; maps: Maps; pie?: boolean }> {
  const { stdout: info } = await execFileAsync(goBin(), ['version', '-m', binary], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const go = /^\S+: (go[\d.]+)/.exec(info)![1]!;
  const experiment = /^\s*build\s+GOEXPERIMENT=(\S+)$/m.exec(info)?.[1];
  const { stdout: units } = await execFileAsync('readelf', ['--debug-dump=info', '--dwarf-depth=1', binary], { maxBuffer: 64 << 20 });
  const dwarf = [...new Set([...units.matchAll(/^\s*Version:\s+(\d+)$/gm)].map((m) => Number(m[1])))];
  const { stdout: syms } = await execFileAsync(goBin(), ['tool', 'nm', binary], { maxBuffer: 64 << 20, env: { ...process.env, GOTOOLCHAIN: 'local' } });
  const maps = / T runtime\.hashGrow$/m.test(syms) ? 'classic buckets' : 'Swiss tables';
  const { stdout: header } = await execFileAsync('readelf', ['--file-header', binary]);
  const type = /^\s*Type:\s+(\w+)/m.exec(header)?.[1];
  return { go, experiment, dwarf, maps, ...(type === 'DYN' ? { pie: true } : {}) };
}

MATRIX.forEach((v, i) => {
  test(label(v), async (t) => {
    const t0 = performance.now();
    const built = await builds[i]!;
    if ('skip' in built) {
      // Only a toolchain the proxy cannot deliver skips; a failed build fails.
      t.skip(built.skip);
      return;
    }
    const waited = performance.now() - t0;
    assert.deepEqual(await variantOf(built.binary), { go: v.go, experiment: v.experiment, dwarf: [v.dwarf], maps: v.maps, ...(v.pie ? { pie: true } : {}) });
    const t1 = performance.now();
    const notes = await smokeScenario(built.binary);
    t.diagnostic(
      `${label(v)}: waited ${(waited / 1000).toFixed(1)} s for the build, scenario ${((performance.now() - t1) / 1000).toFixed(1)} s; ` +
        `captured variable at the closure entry: ${notes.capturedAtEntry}`,
    );
  });
});

test('GOEXPERIMENT=noswissmap is gone from Go 1.26: those toolchains build Swiss tables only', async (t) => {
  for (const go of [LOCAL, 'go1.27.4']) {
    const problem = await fetchOnce(go);
    if (problem && proxyUnreachable(problem)) {
      t.skip(`${go} could not be fetched: ${problem}`);
      return;
    }
    assert.equal(problem, undefined);
    const r = execFileAsync(goBin(), ['env', 'GOEXPERIMENT'], {
      cwd: testdataDir,
      env: { ...process.env, GOTOOLCHAIN: go === LOCAL ? 'local' : go, GOEXPERIMENT: 'noswissmap' },
    });
    await assert.rejects(r, (e: { stderr?: string }) => /unknown GOEXPERIMENT swissmap/.test(e.stderr ?? ''), go);
  }
});
