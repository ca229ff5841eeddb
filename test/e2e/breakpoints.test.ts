/**
 * End to end over DAP on testdata/steps: breakpoints in several files and
 * packages, moved and unverified lines, function breakpoints, exit codes and output.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const dir = join(testdataDir, 'steps');
const mainGo = join(dir, 'main.go');
const utilGo = join(dir, 'util.go');
const geomGo = join(dir, 'geom', 'geom.go');
let binary: string;

before(() => {
  binary = buildFixture('steps');
});

describe('breakpoints', () => {
  let c: StartedClient;
  after(() => c?.close());

  test('stop in several files and packages, in program order, then exit with output', async () => {
    c = await startAdapterClient();
    const { dc } = c;
    const out = collectOutput(dc);
    // >> launch, << initialized, >> setBreakpoints ×3, >> configurationDone, << stopped
    const stopped = waitStopped(dc);
    const [m, u, g] = await configure(dc, 'launch', { mode: 'exec', program: binary, env: { STEPS_EXIT: '7' } }, [
      { path: mainGo, lines: [30, 33] },
      { path: utilGo, lines: [6] },
      { path: geomGo, lines: [8] },
    ]);
    assert.deepEqual(
      m!.map((b) => [b.verified, b.line]),
      [
        [true, 30],
        [true, 33],
      ],
    );
    assert.deepEqual(
      u!.map((b) => [b.verified, b.line]),
      [[true, 6]],
    );
    assert.deepEqual(
      g!.map((b) => [b.verified, b.line]),
      [[true, 8]],
    );
    let ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
    assert.deepEqual(ev.body.hitBreakpointIds, [m![0]!.id]);
    const seen: string[] = [];
    const tid = tidOf(ev);
    seen.push(render(await frames(dc, tid), 1)[0]!);
    // The method in the other package: its caller is main.main at line 30.
    ev = await stepAndWait(dc, 'continue', tid);
    const st = await frames(dc, tidOf(ev));
    assert.deepEqual(render(st, 2), ['example.com/testdata/steps/geom.Rect.Area geom.go:8', 'main.main main.go:30']);
    assert.equal(st[0]!.file, geomGo, 'absolute path of the file on disk');
    seen.push(render(st, 1)[0]!);
    for (let i = 0; i < 6; i++) {
      ev = await stepAndWait(dc, 'continue', tidOf(ev));
      seen.push(render(await frames(dc, tidOf(ev)), 1)[0]!);
    }
    assert.deepEqual(seen, [
      'main.main main.go:30',
      'example.com/testdata/steps/geom.Rect.Area geom.go:8',
      'main.main main.go:33',
      'main.twice util.go:6',
      'main.main main.go:33',
      'main.twice util.go:6',
      'main.main main.go:33',
      'main.twice util.go:6',
    ]);
    const exited = waitExit(dc);
    await dc.continueRequest({ threadId: tidOf(ev) });
    assert.equal(await exited, 7);
    assert.match(out.stdout(), /^area 12 sum 6 fib 8 depth 1008 sq 25\n$/);
    assert.equal(out.stderr(), 'done\n');
  });
});

describe('breakpoint placement', () => {
  let c: StartedClient;
  after(() => c?.close());

  test('a line without code moves to the next line with code; lines outside functions are unverified', async () => {
    c = await startAdapterClient();
    const { dc } = c;
    await dc.initializeRequest();
    const initialized = dc.waitForEvent('initialized');
    await dc.launchRequest({ mode: 'exec', program: binary } as never);
    await initialized;
    const r = await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [{ line: 15 }, { line: 27 }, { line: 2 }, { line: 13 }] });
    const got = r.body.breakpoints.map((b) => ({ verified: b.verified, line: b.line, hasMessage: !!b.message }));
    assert.deepEqual(got, [
      { verified: true, line: 16, hasMessage: false }, // `}` of the if: next code is line 16
      { verified: false, line: 27, hasMessage: true }, // blank line between functions
      { verified: false, line: 2, hasMessage: true }, // comment
      { verified: true, line: 13, hasMessage: false },
    ]);
    // A file that is not part of the program.
    const none = await dc.setBreakpointsRequest({ source: { path: '/nowhere/other.go' }, breakpoints: [{ line: 3 }] });
    assert.equal(none.body.breakpoints[0]!.verified, false);
    assert.match(none.body.breakpoints[0]!.message ?? '', /other\.go/);
  });
});

describe('function breakpoints', () => {
  let c: StartedClient;
  after(() => c?.close());

  test('full names, package-qualified and bare names, methods', async () => {
    c = await startAdapterClient();
    const { dc } = c;
    const stopped = waitStopped(dc);
    const res = await configure(dc, 'launch', { mode: 'exec', program: binary }, [], ['geom.Rect.Area', 'main.twice', 'leaf', 'main.nosuch']);
    const fb = res[0]!;
    assert.deepEqual(
      fb.map((b) => b.verified),
      [true, true, true, false],
    );
    assert.match(fb[3]!.message ?? '', /main\.nosuch/);
    assert.equal(fb[0]!.line, 7);
    assert.equal(fb[0]!.source?.path, geomGo);
    let ev = await stopped;
    assert.equal(ev.body.reason, 'function breakpoint');
    assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['example.com/testdata/steps/geom.Rect.Area geom.go:7']);
    ev = await stepAndWait(dc, 'continue', tidOf(ev));
    assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), ['main.twice util.go:5', 'main.main main.go:33']);
  });
});

describe('stop on entry', () => {
  let c: StartedClient;
  after(() => c?.close());

  test('stops at the start of main.main with reason entry', async () => {
    c = await startAdapterClient();
    const { dc } = c;
    const stopped = waitStopped(dc);
    await configure(dc, 'launch', { mode: 'exec', program: binary, stopOnEntry: true });
    const ev = await stopped;
    assert.equal(ev.body.reason, 'entry');
    assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['main.main main.go:29']);
  });
});
