// Installed as users install it: `npm pack` the checkout, `npm install -g --prefix` the
// tarball into an empty directory, and debug a program through the installed
// `go-debug-adapter` (dist/adapter.cjs) over stdio and over `--listen`, with no checkout on PATH or as cwd.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildFixture, repoRoot, testdataDir } from '../support/goBuild.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { removeTree } from '../support/removeTree.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-install-'));
test.after(() => removeTree(dir));
const prefix = join(dir, 'prefix');
const installed = join(prefix, 'bin', 'go-debug-adapter');
/** No checkout anywhere: node and the system's tools only, run from the empty directory. */
const env = { HOME: process.env.HOME ?? dir, PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin` };

const helloSrc = join(testdataDir, 'hello', 'main.go');
const PRINT_LINE = 29; // fmt.Println("total", total, p)

test('npm pack ships dist/adapter.cjs, its bundle and out/src, nothing else of the checkout; npm install -g installs it', () => {
  // `prepack` builds out/src and dist afresh for a user packing a checkout (no compiled file of a moved
  // source left in). Here the suite has just built it, and a second tsc run would rewrite
  // out/test/ under the test files running beside this one.
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(manifest.scripts.prepack, 'rm -rf out/src && npm run build');
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(pack.status, 0, pack.stderr);
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  const { filename, size, unpackedSize, files } = info[0]!;
  const paths = files.map((f) => f.path);
  console.log(`npm pack: ${filename} ${size} bytes (${unpackedSize} unpacked), ${paths.length} files`);
  assert.deepEqual(
    paths.filter((p) => !p.startsWith('out/src/')).sort(),
    ['CHANGELOG.md', 'README.md', 'dist/adapter.cjs', 'dist/adapterMain.cjs', 'dist/adapterRest.cjs', 'dist/adapterSession.cjs', 'package.json']
      .filter((p) => paths.includes(p))
      .sort(),
  );
  // dist/adapter.cjs is the `bin`: the bundle with its code cache (written at its first exit).
  for (const f of [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'dist/adapter.cjs',
    'dist/adapterMain.cjs',
    'dist/adapterSession.cjs',
    'dist/adapterRest.cjs',
    'out/src/adapter/main.js',
    'out/src/engine/inferior.js',
  ]) {
    assert.ok(paths.includes(f), `${f} in the tarball`);
  }
  assert.deepEqual(
    paths.filter((p) => /\.(ts|map)$|^out\/src\/demo\//.test(p)),
    [],
    'no sources, declaration files, source maps or the demo',
  );
  assert.ok(size < 1_000_000, `tarball ${size} bytes`);

  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, filename)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...env, npm_config_cache: process.env.npm_config_cache ?? join(env.HOME, '.npm') },
  });
  assert.equal(install.status, 0, `${install.stdout}\n${install.stderr}`);
  // A copy, not a link back into the checkout.
  const main = realpathSync(installed);
  assert.ok(main.startsWith(realpathSync(prefix)), main);
});

test('the installed go-debug-adapter answers --version and --help', () => {
  const run = (arg: string) => spawnSync(installed, [arg], { cwd: dir, env, encoding: 'utf8', timeout: 10_000 });
  const v = run('--version');
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^go-debug-adapter 0\.\d+\.\d+\nGo binaries: linux\/amd64, built by Go 1\.18 or later\n/);
  const h = run('--help');
  assert.equal(h.status, 0, h.stderr);
  assert.match(h.stdout, /^Usage: go-debug-adapter \[--listen HOST:PORT/);
});

/** Breakpoint, a variable, continue, exit code and output: one session on `dc`. */
async function debugHello(dc: DebugClient): Promise<void> {
  const out = collectOutput(dc);
  const program = buildFixture('hello');
  const stopped = waitStopped(dc, 60_000);
  const [bps] = await configure(dc, 'launch', { mode: 'exec', program, cwd: dir }, [{ path: helloSrc, lines: [PRINT_LINE] }]);
  assert.equal(bps![0]!.verified, true);
  const ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint');
  const st = await dc.stackTraceRequest({ threadId: tidOf(ev), startFrame: 0, levels: 1 });
  const top = st.body.stackFrames[0]!;
  assert.equal(top.name, 'main.main');
  assert.equal(top.line, PRINT_LINE);
  // total = 0 + 0 + 1 + 2 after the loop.
  const total = await dc.evaluateRequest({ expression: 'total', frameId: top.id, context: 'watch' });
  assert.equal(total.body.result, '3');
  const exited = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 3, 'os.Exit(3)');
  assert.equal(out.stdout(), 'total 3 {1 2}\n');
  assert.equal(out.stderr(), 'fact 120\n');
}

/** DebugClient's own connect(), to speak over streams we opened. */
function clientOn(readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream): DebugClient {
  const dc = new DebugClient('', '', 'go-debug');
  (dc as unknown as { connect(r: NodeJS.ReadableStream, w: NodeJS.WritableStream): void }).connect(readable, writable);
  return dc;
}

function ended(proc: ChildProcess): Promise<number | null> {
  return proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve(proc.exitCode) : new Promise((r) => proc.once('exit', (code) => r(code)));
}

test('the installed adapter debugs a program over stdio', async () => {
  const proc = spawn(installed, [], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  try {
    const dc = clientOn(proc.stdout!, proc.stdin!);
    await debugHello(dc);
    await dc.disconnectRequest({});
    // A stdio adapter ends after its one session.
    assert.equal(await ended(proc), 0, err);
  } finally {
    proc.kill('SIGKILL');
  }
});

test('the installed adapter debugs a program over --listen', async () => {
  const proc = spawn(installed, ['--listen', '127.0.0.1:0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      proc.once('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
      proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^listening at: 127\.0\.0\.1:(\d+)$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
    });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
    const dc = clientOn(socket, socket);
    await debugHello(dc);
    await dc.disconnectRequest({});
    socket.end();
    assert.equal(proc.exitCode, null, 'the server lives on after a session');
    assert.doesNotMatch(err, /uncaught|unhandled|warning/, err);
  } finally {
    proc.kill('SIGTERM');
    await ended(proc);
  }
});
