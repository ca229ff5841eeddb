// The attach picker's process list: running Go programs found through /proc,
// their Go version checked against `go version` (the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasGoBuildInfoSection, listGoProcesses, readGoBinaryInfo } from '../../extension/goProcesses.js';
import { goBin } from '../support/goBuild.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-picker-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Builds a Go program that waits for stdin to close; `-s -w` variant too (no symbols, no DWARF). */
function buildWaiter(name: string, ldflags: string): string {
  const src = join(dir, name);
  execFileSync('mkdir', ['-p', src]);
  writeFileSync(join(src, 'go.mod'), `module example.com/${name}\n\ngo 1.22\n`);
  writeFileSync(join(src, 'main.go'), 'package main\n\nimport (\n\t"io"\n\t"os"\n)\n\nfunc main() { io.Copy(io.Discard, os.Stdin) }\n');
  const out = join(dir, `${name}.bin`);
  execFileSync(goBin(), ['build', '-o', out, ...(ldflags ? [`-ldflags=${ldflags}`] : []), '.'], { cwd: src, env: { ...process.env, GOFLAGS: '' } });
  return out;
}

test('listGoProcesses finds running Go programs with their Go version and main package, and skips others', async () => {
  const plain = buildWaiter('pickplain', '');
  const stripped = buildWaiter('pickstripped', '-s -w');
  // Oracle: `go version BINARY` prints "BINARY: goX.Y.Z".
  const expectedVersion = execFileSync(goBin(), ['version', plain], { encoding: 'utf8' }).trim().split(': ').pop();
  const procs = [spawn(plain, ['--flag', 'x']), spawn(stripped), spawn(process.execPath, ['-e', 'process.stdin.resume()'])];
  try {
    await Promise.all(procs.map((p) => new Promise((resolve, reject) => p.once('spawn', resolve).once('error', reject))));
    const list = listGoProcesses();
    const byPid = new Map(list.map((p) => [p.pid, p]));
    const a = byPid.get(procs[0].pid!);
    assert.ok(a, `plain Go program ${procs[0].pid} listed; got ${list.map((p) => p.pid).join(',')}`);
    assert.equal(a.goVersion, expectedVersion);
    assert.equal(a.mainPath, 'example.com/pickplain');
    assert.equal(a.exe, plain);
    assert.equal(a.commandLine, `${plain} --flag x`);
    const b = byPid.get(procs[1].pid!);
    assert.ok(b, 'stripped (-s -w) Go program listed');
    assert.equal(b.mainPath, 'example.com/pickstripped');
    assert.equal(byPid.get(procs[2].pid!), undefined, 'a node process is not a Go program');
    assert.deepEqual(
      list.map((p) => p.pid),
      [...list.map((p) => p.pid)].sort((x, y) => x - y),
      'sorted by pid',
    );
  } finally {
    for (const p of procs) p.kill();
  }
});

test('readGoBinaryInfo / hasGoBuildInfoSection on non-Go files', () => {
  const fd = openSync(process.execPath, 'r');
  try {
    assert.equal(hasGoBuildInfoSection(fd), false, 'node is not a Go binary');
  } finally {
    closeSync(fd);
  }
  const text = join(dir, 'not-elf');
  writeFileSync(text, 'hello');
  assert.equal(readGoBinaryInfo(text), undefined);
  assert.equal(readGoBinaryInfo(join(dir, 'missing')), undefined);
  assert.equal(readGoBinaryInfo(dir), undefined, 'a directory');
});
