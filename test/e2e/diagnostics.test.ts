/**
 * Why a line breakpoint does not bind, over DAP on testdata/diagnose: a
 * function the linker dropped, lines without code (with where the code is),
 * files the build leaves out by name or by `//go:build`, a file the program
 * does not have (and the -trimpath variant); and the one-time warning when a
 * source file is newer than the binary.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure } from '../support/dap.js';
import { buildFixture, DEBUG_GCFLAGS, goBin, testdataDir } from '../support/goBuild.js';

const dir = join(testdataDir, 'diagnose');
const mainGo = join(dir, 'main.go');
const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

/** launch (exec, stopOnEntry: nothing runs past the entry) → setBreakpoints per file; the answers and the console. */
async function breakpointsIn(binary: string, files: { path: string; lines: number[] }[]) {
  const c = await startAdapterClient();
  clients.push(c);
  const out = collectOutput(c.dc);
  const answers = await configure(c.dc, 'launch', { mode: 'exec', program: binary, stopOnEntry: true }, files);
  return { dc: c.dc, answers, out };
}

const shape = (b: DebugProtocol.Breakpoint) => [b.verified, b.reason, b.message];

test('a line in a function nothing calls, and lines between or after the code, say where the code is', async () => {
  const { answers } = await breakpointsIn(buildFixture('diagnose'), [{ path: mainGo, lines: [15, 12, 22, 19, 9, 18] }]);
  assert.deepEqual(answers[0]!.map(shape), [
    [false, 'failed', 'No code at line 15 of main.go: function unused is not in the program (the linker leaves out functions that nothing calls)'],
    [false, 'failed', 'No code at line 12 of main.go: the nearest lines with code are 9 and 18'],
    [false, 'failed', 'No code at line 22 of main.go: it is past the last line with code (line 20)'],
    [true, undefined, undefined],
    [true, undefined, undefined],
    [true, undefined, undefined],
  ]);
  // The lines named are where breakpoints do bind (line 10, used's closing brace, has no statement of its own).
  assert.deepEqual(
    answers[0]!.slice(3).map((b) => b.line),
    [19, 9, 18],
  );
});

test('files the build leaves out say why: a GOOS file name, a //go:build tag; a file the program does not have', async () => {
  const { answers } = await breakpointsIn(buildFixture('diagnose'), [
    { path: join(dir, 'sys_windows.go'), lines: [5] },
    { path: join(dir, 'extra.go'), lines: [7] },
    { path: join(dir, 'nothere.go'), lines: [3] },
    { path: join(dir, 'main_test.go'), lines: [3] },
  ]);
  assert.deepEqual(
    answers.map((a) => shape(a[0]!)),
    [
      [false, 'failed', 'sys_windows.go is not in the program: its name ends in _windows, so it is built only for GOOS=windows (this program is linux/amd64)'],
      [
        false,
        'failed',
        `extra.go is not in the program: its build constraint \`//go:build integration\` excludes it from this build (linux/amd64, ${goVersionOf()}) (if it needs the tag "integration", add -tags=integration to buildFlags and rebuild)`,
      ],
      [false, 'failed', 'No code for nothere.go in the program being debugged: the program has no file of that name (is it part of the built package?)'],
      [false, 'failed', 'main_test.go is not in the program: test files are only in a test binary (debug it with mode "test")'],
    ],
  );
});

test('a -trimpath binary: the message says the program records import paths and how to map them', async () => {
  const binary = buildFixture('diagnose', { flags: ['-trimpath', DEBUG_GCFLAGS] });
  const { answers } = await breakpointsIn(binary, [{ path: join(dir, 'nothere.go'), lines: [3] }]);
  const b = answers[0]![0]!;
  assert.equal(b.verified, false);
  assert.match(
    b.message ?? '',
    /^No code for nothere\.go in the program: it was built with -trimpath, so it records import paths \(such as example\.com\/testdata\/diagnose\/main\.go\)/,
  );
});

test('a source file newer than the binary: one warning in the console, breakpoints still set', async () => {
  // A copy of the program, built, then its main.go touched a minute later than the binary.
  const tmp = mkdtempSync(join(tmpdir(), 'gda-stale-'));
  copyFileSync(mainGo, join(tmp, 'main.go'));
  writeFileSync(join(tmp, 'go.mod'), 'module example.com/stale\n\ngo 1.22\n');
  const binary = join(tmp, 'stale');
  execFileSync(goBin(), ['build', DEBUG_GCFLAGS, '-o', binary, '.'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(tmp, 'main.go'), later, later);
  const { dc, answers, out } = await breakpointsIn(binary, [{ path: join(tmp, 'main.go'), lines: [19] }]);
  assert.equal(answers[0]![0]!.verified, true);
  // >> setBreakpoints again: no second warning
  await dc.setBreakpointsRequest({ source: { path: join(tmp, 'main.go') }, breakpoints: [{ line: 9 }] });
  const warnings = out.console().match(/Warning: main\.go was modified after the program was built/g) ?? [];
  assert.equal(warnings.length, 1, out.console());
  assert.match(out.console(), /Rebuild the program\./);
});

function goVersionOf(): string {
  return execFileSync(goBin(), ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
}
