/**
 * Stepping over DAP on testdata/steps: next over calls (recursive ones too),
 * stepIn into user functions, stepOut back to *this* activation, deep stacks.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, before, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, frames, render, stepAndWait, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const dir = join(testdataDir, 'steps');
const mainGo = join(dir, 'main.go');
const utilGo = join(dir, 'util.go');
let binary: string;
let c: StartedClient | undefined;

before(() => {
  binary = buildFixture('steps');
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function startAt(path: string, line: number) {
  c = await startAdapterClient();
  const { dc } = c;
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path, lines: [line] }]);
  const ev = await stopped;
  return { dc, tid: tidOf(ev) };
}

test('next steps over calls, line by line, through a loop', async () => {
  const { dc, tid } = await startAt(mainGo, 29);
  // Clear the breakpoint so only the steps stop.
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  const lines: number[] = [];
  let t = tid;
  for (let i = 0; i < 12; i++) {
    const ev = await stepAndWait(dc, 'next', t);
    assert.equal(ev.body.reason, 'step');
    t = tidOf(ev);
    const f = await frames(dc, t, 1);
    assert.equal(f[0]!.name, 'main.main');
    lines.push(f[0]!.line);
  }
  // 29 → 30 → 31 → for header 32 → body 33 → 32 (post) → … → 35 → 36 → 39: the closure call
  // `}(5)` comes before the assignment on line 37 (go tool objdump shows the same order).
  assert.deepEqual(lines, [30, 31, 32, 33, 32, 33, 32, 33, 32, 35, 36, 39]);
});

test('next over a recursive call stays in the same activation', async () => {
  const { dc, tid } = await startAt(mainGo, 16);
  const before = await frames(dc, tid);
  assert.deepEqual(render(before, 2), ['main.fib main.go:16', 'main.main main.go:35']);
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  let ev = await stepAndWait(dc, 'next', tid);
  let after = await frames(dc, tidOf(ev));
  assert.deepEqual(render(after, 2), ['main.fib main.go:17', 'main.main main.go:35']);
  assert.equal(after.length, before.length);
  ev = await stepAndWait(dc, 'next', tidOf(ev));
  after = await frames(dc, tidOf(ev));
  assert.deepEqual(render(after, 2), ['main.fib main.go:18', 'main.main main.go:35']);
});

test('stepOut returns to the calling activation of a recursive function', async () => {
  // Line 14 is `return n`: reached first at the bottom of fib(6)'s leftmost descent.
  const { dc, tid } = await startAt(mainGo, 14);
  const deep = await frames(dc, tid);
  const fibDepth = deep.filter((f) => f.name === 'main.fib').length;
  assert.equal(fibDepth, 6, 'fib(6) → fib(5) → … → fib(1)');
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  const ev = await stepAndWait(dc, 'stepOut', tid);
  assert.equal(ev.body.reason, 'step');
  const out = await frames(dc, tidOf(ev));
  assert.equal(out.filter((f) => f.name === 'main.fib').length, fibDepth - 1);
  assert.deepEqual(render(out, 1), ['main.fib main.go:16']);
});

test('stepIn enters user functions and methods, stepOut comes back to the call line', async () => {
  const { dc, tid } = await startAt(mainGo, 33);
  let ev = await stepAndWait(dc, 'stepIn', tid);
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), ['main.twice util.go:5', 'main.main main.go:33']);
  ev = await stepAndWait(dc, 'next', tidOf(ev));
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['main.twice util.go:6']);
  ev = await stepAndWait(dc, 'stepOut', tidOf(ev));
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['main.main main.go:33']);
});

test('stepIn over a line without user calls behaves like next (Just My Code steps over the standard library and the runtime)', async () => {
  const { dc, tid } = await startAt(mainGo, 31);
  const ev = await stepAndWait(dc, 'stepIn', tid);
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['main.main main.go:32']);
});

test('a 1,000-frame stack is complete, paged, and ends at runtime.goexit', async () => {
  const { dc, tid } = await startAt(utilGo, 12);
  const first = await dc.stackTraceRequest({ threadId: tid, startFrame: 0, levels: 20 });
  const total = first.body.totalFrames!;
  // leaf + depth(1000..0) = 1001 frames + main.main + runtime.main + runtime.goexit
  assert.equal(total, 1 + 1001 + 3);
  assert.equal(first.body.stackFrames.length, 20);
  const last = await dc.stackTraceRequest({ threadId: tid, startFrame: total - 3, levels: 20 });
  assert.deepEqual(
    last.body.stackFrames.map((f) => f.name),
    ['main.main', 'runtime.main', 'runtime.goexit'],
  );
  assert.equal(last.body.stackFrames[1]!.presentationHint, 'subtle');
  // Without levels a stackTrace returns stackTraceDepth frames (default 50); the whole stack takes levels: total.
  assert.equal((await dc.stackTraceRequest({ threadId: tid })).body.stackFrames.length, 50);
  const all = await dc.stackTraceRequest({ threadId: tid, levels: total });
  assert.equal(all.body.stackFrames.length, total);
  assert.equal(all.body.stackFrames.filter((f) => f.name === 'main.depth').length, 1001);
  assert.ok(all.body.stackFrames.every((f, i) => i >= total - 2 || f.source?.path?.startsWith(dir)));
});
