/**
 * stepInTargets and stepIn with a targetId over DAP on testdata/navigate:
 * the calls of `r := f(g(x), h())` come in the order they run (g, h, f) with
 * their columns in the source; stepping into h runs g to its end without
 * stopping in it, and stops inside h; the program's output shows the line
 * computed what it always does.
 */
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { frames, render, stepAndWait, tidOf, waitExit } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { columnOf, lineOf, stopAtMarker } from '../support/navigateFixture.js';

let binary: string;
let c: StartedClient | undefined;

before(() => {
  binary = buildFixture('navigate');
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** Launches, stops at the NV:<marker> line, and clears the breakpoint so only what the test does stops. */
async function stopAt(marker: string) {
  const s = await stopAtMarker(binary, marker);
  c = s.client;
  return { ...s, dc: s.client.dc };
}

async function targets(dc: StartedClient['dc'], frameId: number): Promise<DebugProtocol.StepInTarget[]> {
  const r = (await dc.send('stepInTargets', { frameId })) as DebugProtocol.StepInTargetsResponse;
  return r.body.targets;
}

test('initialize declares stepInTargets', async () => {
  c = await startAdapterClient();
  const r = await c.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(r.body?.supportsStepInTargetsRequest, true);
});

test('the calls of f(g(x), h()) in the order they run, with their columns', async () => {
  const { dc, frameId } = await stopAt('calls');
  const line = lineOf('calls');
  // >> stepInTargets(frame 0) << g, h, f
  const ts = await targets(dc, frameId);
  assert.deepEqual(
    ts.map((t) => [t.label, t.line, t.column]),
    [
      ['main.g', line, columnOf(line, 'g(x)')],
      ['main.h', line, columnOf(line, 'h()')],
      ['main.f', line, columnOf(line, 'f(g')],
    ],
  );
  // endColumn: just after each call's closing parenthesis.
  assert.equal(ts[0]!.endColumn, columnOf(line, 'g(x)') + 'g(x)'.length);
  assert.equal(new Set(ts.map((t) => t.id)).size, 3, 'ids are distinct');
});

test('stepIn with the target h stops inside h, not in g; the line then completes as usual', async () => {
  const { dc, tid, frameId, out } = await stopAt('calls');
  const h = (await targets(dc, frameId)).find((t) => t.label === 'main.h')!;
  // A breakpoint-free step into h: g runs to its end on the way (no stop there).
  // >> stepIn(targetId h), << stopped(step) in main.h
  const ev = await stepAndWait(dc, 'stepIn', tid, { targetId: h.id });
  assert.equal(ev.body.reason, 'step');
  const fs = await frames(dc, tidOf(ev), 2);
  // As a plain stepIn does, it stops after h's prologue, on its `func` line.
  assert.deepEqual(render(fs), [`main.h main.go:${lineOf('h') - 1}`, `main.main main.go:${lineOf('calls')}`]);
  // >> continue, the program prints r = f(g(3), h()) = 6 + 7.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /^r 13$/m);
});

test('stepIn with the last target (f) runs g and h first and stops in f', async () => {
  const { dc, tid, frameId } = await stopAt('calls');
  const f = (await targets(dc, frameId)).at(-1)!;
  assert.equal(f.label, 'main.f');
  const ev = await stepAndWait(dc, 'stepIn', tid, { targetId: f.id });
  const fs = await frames(dc, tidOf(ev), 1);
  assert.deepEqual(render(fs), [`main.f main.go:${lineOf('f') - 1}`]);
  // The arguments g and h computed are there: a = g(3) = 6, b = h() = 7.
  const sc = await dc.scopesRequest({ frameId: (await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 })).body.stackFrames[0]!.id });
  const vars = await dc.variablesRequest({ variablesReference: sc.body.scopes[0]!.variablesReference });
  const byName = Object.fromEntries(vars.body.variables.map((v) => [v.name, v.value]));
  assert.equal(byName.a, '6');
  assert.equal(byName.b, '7');
});

test('calls of func values (closures) are targets named as the source calls them', async () => {
  const { dc, tid, frameId } = await stopAt('closurecalls');
  const line = lineOf('closurecalls');
  const ts = await targets(dc, frameId);
  // fmt.Println runs last: its arguments inc(1) and dec(1) come first.
  assert.deepEqual(
    ts.map((t) => [t.label, t.column]),
    [
      ['inc (func value)', columnOf(line, 'inc(1)')],
      ['dec (func value)', columnOf(line, 'dec(1)')],
      ['fmt.Println', columnOf(line, 'fmt.Println')],
    ],
  );
  // >> stepIn(targetId dec) << stopped in the second literal, main.main.func2
  const ev = await stepAndWait(dc, 'stepIn', tid, { targetId: ts[1]!.id });
  const fs = await frames(dc, tidOf(ev), 1);
  assert.deepEqual(render(fs), [`main.main.func2 main.go:${lineOf('closures')}`]);
});

test('a made-up targetId and a caller frame are refused before anything runs', async () => {
  const { dc, tid } = await stopAt('g');
  const st = await dc.stackTraceRequest({ threadId: tid, startFrame: 0, levels: 2 });
  // >> stepInTargets(frame 1) << error: frame 0 only
  await assert.rejects(dc.send('stepInTargets', { frameId: st.body.stackFrames[1]!.id }), /top frame/);
  // >> stepIn(targetId 12345) << error, and the goroutine is still where it was
  await assert.rejects(dc.send('stepIn', { threadId: tid, targetId: 12345 }), /No call at 0x3039/);
  const fs = await frames(dc, tid, 1);
  assert.deepEqual(render(fs), [`main.g main.go:${lineOf('g')}`]);
});

test('back on the line from g (stepOut), the targets are the calls still to come: h, f', async () => {
  const { dc, tid, frameId } = await stopAt('calls');
  const g = (await targets(dc, frameId))[0]!;
  let ev = await stepAndWait(dc, 'stepIn', tid, { targetId: g.id });
  assert.deepEqual(render(await frames(dc, tidOf(ev), 1)), [`main.g main.go:${lineOf('g') - 1}`]);
  // >> stepOut << stopped on the calls line again, after the call of g
  ev = await stepAndWait(dc, 'stepOut', tidOf(ev));
  const st = await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 });
  assert.equal(st.body.stackFrames[0]!.line, lineOf('calls'));
  const rest = await targets(dc, st.body.stackFrames[0]!.id);
  assert.deepEqual(
    rest.map((t) => t.label),
    ['main.h', 'main.f'],
  );
  // >> stepIn(targetId f) << in f, h having run on the way
  ev = await stepAndWait(dc, 'stepIn', tidOf(ev), { targetId: rest[1]!.id });
  assert.deepEqual(render(await frames(dc, tidOf(ev), 1)), [`main.f main.go:${lineOf('f') - 1}`]);
});
