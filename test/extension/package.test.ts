// `vsce package`: the .vsix holds the bundled extension and adapter, the grammar
// and koffi with its prebuilt linux-x64 module, and they work from there
// (koffi loads from inside the unpacked extension; the bundled adapter speaks DAP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { repoRoot } from '../support/goBuild.js';
import { removeTree } from '../support/removeTree.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-vsix-'));
// maxRetries: the bundled adapter writes its code cache next to itself as it exits, maybe while this runs.
test.after(() => removeTree(dir));
const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
const vsix = join(dir, `go-debug-adapter-${version}.vsix`);
const unpacked = join(dir, 'unpacked');
const ext = join(unpacked, 'extension');

test('npm run package builds a .vsix with the extension, the adapter, the grammar and koffi', () => {
  // `npm run package -- --out FILE` runs vscode:prepublish (the esbuild bundle), then vsce.
  const r = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of [
    'extension/package.json',
    'extension/dist/extension.cjs',
    'extension/dist/adapter.cjs',
    'extension/dist/adapterMain.cjs',
    'extension/dist/adapterSession.cjs',
    'extension/dist/adapterRest.cjs',
    'extension/syntaxes/go-asm.tmLanguage.json',
    'extension/extension/icon.png',
    'extension/node_modules/koffi/package.json',
    'extension/node_modules/koffi/index.cjs',
    'extension/node_modules/koffi/src/koffi/index.cjs',
    'extension/node_modules/@koromix/koffi-linux-x64/index.js',
    'extension/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node',
  ]) {
    assert.ok(listing.includes(f), `${f} in the .vsix`);
  }
  // Nothing that should stay home: sources, tests, maps, other node_modules, koffi's C++ sources.
  const unwanted = listing.filter((f) =>
    /^extension\/(src|test|out|scripts|testdata|\.vscode)\/|\.map$|\.ts$|\.cc$|\.hh$|node_modules\/(?!koffi\/|@koromix\/koffi-linux-x64\/)/.test(f),
  );
  assert.deepEqual(unwanted, []);
  execFileSync('unzip', ['-q', vsix, '-d', unpacked]);
});

test('the bundled extension needs only vscode, koffi and Node built-ins at run time', () => {
  const code = readFileSync(join(ext, 'dist', 'extension.cjs'), 'utf8');
  const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
  const foreign = [...required].filter((m) => m !== 'vscode' && m !== 'koffi' && !m.startsWith('node:') && !/^[a-z_]+$/.test(m));
  assert.deepEqual(foreign, [], `requires: ${[...required].join(', ')}`);
  assert.ok(!/\bimport\.meta\b/.test(code), 'no import.meta left in the CommonJS bundle');
  assert.ok(required.has('vscode'));
});

test('koffi loads from inside the unpacked extension and calls libc', () => {
  // Resolve exactly as dist/extension.cjs would.
  const req = createRequire(join(ext, 'dist', 'extension.cjs'));
  const resolved = req.resolve('koffi');
  assert.ok(resolved.startsWith(join(ext, 'node_modules', 'koffi')), resolved);
  // In a separate process, so this test process's own koffi (from the repository) is not reused.
  const script = `const k = require(${JSON.stringify(resolved)});
    const getpid = k.load('libc.so.6').func('int getpid()');
    process.stdout.write(String(getpid() === process.pid));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.stdout, 'true', r.stderr);
});

test('the bundled adapter (dist/adapter.cjs) runs from the unpacked extension and answers initialize', async () => {
  const adapter = join(ext, 'dist', 'adapter.cjs');
  const v = spawnSync(process.execPath, [adapter, '--version'], { encoding: 'utf8' });
  assert.equal(v.stdout.split('\n')[0], `go-debug-adapter ${version}`, v.stderr);
  const dc = new DebugClient(process.execPath, adapter, 'go-debug', { cwd: dir }, true);
  await dc.start();
  try {
    // >> initialize  << initialize response
    const init = await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.equal(init.success, true);
  } finally {
    await dc.stop();
  }
});
