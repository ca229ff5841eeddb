/**
 * Breakpoints and steps where Delve (dlv dap 1.27) and Go's semantics say a
 * stop belongs, on programs written as users write them (testdata/forline,
 * deferstep, rangestep): a `for` header's breakpoint stops once per execution
 * of the line, a bare hit count means "the Nth hit", a `next` over a panic
 * stops in the deferred call that runs, a step in at a return enters its
 * deferred function, steps in range-over-func loop bodies stay in the loop,
 * a step into a leaf closure of optimised code stops at its first statement.
 * The expected stops were checked against dlv dap at the same places.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, frames, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

function source(name: string): { path: string; line: (text: string) => number } {
  const path = join(testdataDir, name, 'main.go');
  const lines = readFileSync(path, 'utf8').split('\n');
  return {
    path,
    line: (text) => {
      const i = lines.findIndex((l) => l.includes(text));
      assert.ok(i >= 0, `${text} in ${path}`);
      return i + 1;
    },
  };
}

async function launch(program: string, path: string, bps: DebugProtocol.SourceBreakpoint[]) {
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const set = await dc.setBreakpointsRequest({ source: { path }, breakpoints: bps });
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  return { dc, out, set: set.body.breakpoints, ev: await stopped };
}

async function top(dc: StartedClient['dc'], ev: DebugProtocol.StoppedEvent): Promise<string> {
  const [f] = await frames(dc, tidOf(ev), 1);
  return `${f!.name}:${f!.line}`;
}

test('a breakpoint on a for header stops once per execution of the line, not at each iteration', async () => {
  const src = source('forline');
  const forLine = src.line('// BP for');
  const after = src.line('// BP after');
  const { dc, out, set, ev } = await launch(buildFixture('forline'), src.path, [{ line: forLine }, { line: after }]);
  assert.deepEqual(
    set.map((b) => [b.verified, b.line]),
    [
      [true, forLine],
      [true, after],
    ],
  );
  assert.equal(ev.body.reason, 'breakpoint');
  assert.equal(await top(dc, ev), `main.main:${forLine}`);
  // The loop's condition and post statement run three more times on that line: no stop there.
  const next = await stepAndWait(dc, 'continue', tidOf(ev));
  assert.equal(next.body.reason, 'breakpoint');
  assert.equal(await top(dc, next), `main.main:${after}`);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(next) });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /^sum 30$/m);
});

test('a bare number as hit condition stops at that hit only, as in Delve', async () => {
  const src = source('forline');
  const call = src.line('// BP call');
  const { dc, out, set, ev } = await launch(buildFixture('forline'), src.path, [{ line: call, hitCondition: '2' }]);
  assert.equal(set[0]!.verified, true);
  assert.equal(await top(dc, ev), `main.main:${call}`);
  const st = await dc.stackTraceRequest({ threadId: tidOf(ev), startFrame: 0, levels: 1 });
  // Second call: the closure of i = 0 has added 0; the one of i = 1 is about to add 10.
  const sum = await dc.evaluateRequest({ expression: 'sum', frameId: st.body.stackFrames[0]!.id, context: 'watch' });
  assert.equal(sum.body.result, '0');
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0, 'no stop at the third hit');
  assert.match(out.stdout(), /^sum 30$/m);
});

test('optimised code: a step into a leaf closure stops at its first statement, not on its func line', async () => {
  const src = source('forline');
  const call = src.line('// BP call');
  const { dc, ev } = await launch(buildFixture('forline', { flags: [] }), src.path, [{ line: call }]);
  assert.equal(await top(dc, ev), `main.main:${call}`);
  const s = await stepAndWait(dc, 'stepIn', tidOf(ev));
  assert.equal(s.body.reason, 'step');
  assert.equal(await top(dc, s), `main.main.func1:${src.line('// BP closure')}`);
});

test('next over a panic stops in the deferred function that recovers it, in the caller', async () => {
  const src = source('deferstep');
  const { dc, out, ev } = await launch(buildFixture('deferstep'), src.path, [{ line: src.line('// BP panic') }]);
  assert.equal(await top(dc, ev), `main.mayPanic:${src.line('// BP panic')}`);
  await dc.setBreakpointsRequest({ source: { path: src.path }, breakpoints: [] });
  const s = await stepAndWait(dc, 'next', tidOf(ev));
  assert.equal(s.body.reason, 'step');
  assert.equal(await top(dc, s), `main.safe.func1:${src.line('defer func() {')}`);
  const s2 = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s2), `main.safe.func1:${src.line('// BP recover')}`);
  // The program goes on from the recovery: safe(3) answers -1 and the panic's text.
  const end = await stepAndWait(dc, 'continue', tidOf(s2));
  assert.equal(end.body.reason, 'exception', 'the nil map write at the end of main');
  assert.match(out.stdout(), /^-1 too big: 3$/m);
});

test('next at the end of a function steps over its deferred call; step in there enters a deferred closure', async () => {
  const src = source('deferstep');
  const work = src.line('// BP work');
  const { dc, out, ev } = await launch(buildFixture('deferstep'), src.path, [{ line: work }, { line: src.line('// BP call') }]);
  assert.equal(await top(dc, ev), `main.work:${work}`);
  const seen: string[] = [];
  let t = tidOf(ev);
  for (let i = 0; i < 5; i++) {
    const s = await stepAndWait(dc, 'next', t);
    t = tidOf(s);
    seen.push(await top(dc, s));
  }
  // `defer cleanup(name)` runs at the return without a stop in it (Delve: the same five stops).
  assert.deepEqual(seen, [
    `main.work:${work + 1}`,
    `main.work:${work + 2}`,
    `main.work:${work + 1}`,
    `main.work:${work + 2}`,
    `main.main:${src.line('fmt.Println(work("abc"))')}`,
  ]);
  assert.match(out.stdout(), /^cleanup abc$/m);
  // On to safe(1): step in at its closing brace enters the deferred function literal.
  const atCall = await stepAndWait(dc, 'continue', t);
  assert.equal(await top(dc, atCall), `main.safe:${src.line('// BP call')}`);
  await dc.setBreakpointsRequest({ source: { path: src.path }, breakpoints: [] });
  let s = await stepAndWait(dc, 'next', tidOf(atCall));
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.safe:${src.line('// BP call') + 2}`);
  s = await stepAndWait(dc, 'stepIn', tidOf(s));
  assert.equal(await top(dc, s), `main.safe.func1:${src.line('defer func() {')}`);
});

test('range-over-func: next stays in the loop, enters the next loop body; step out leaves the function', async () => {
  const src = source('rangestep');
  const body = src.line('// BP body');
  const header = src.line('for v := range Count(4)');
  const { dc, ev } = await launch(buildFixture('rangestep'), src.path, [{ line: body }]);
  assert.equal(await top(dc, ev), `main.main-range1:${body}`);
  await dc.setBreakpointsRequest({ source: { path: src.path }, breakpoints: [] });
  const seen: string[] = [];
  let t = tidOf(ev);
  for (let i = 0; i < 15; i++) {
    const s = await stepAndWait(dc, 'next', t);
    t = tidOf(s);
    seen.push(await top(dc, s));
  }
  const inBody = (l: number) => `main.main-range1:${l}`;
  // The iterator (main.Count.func1) is stepped over; after v == 3 breaks the loop, main goes on.
  assert.deepEqual(seen, [
    inBody(body + 1),
    inBody(header),
    inBody(header + 1),
    inBody(body),
    inBody(body + 1),
    inBody(header),
    inBody(header + 1),
    inBody(body),
    inBody(body + 1),
    inBody(header),
    inBody(header + 1),
    inBody(header + 2),
    `main.main:${body + 1}`,
    `main.main:${src.line('range Pairs(order)')}`,
    `main.main-range2:${src.line('// BP pairs')}`,
  ]);
  // Step out of a loop body is step out of main.main (Delve: runtime.main).
  const out = await stepAndWait(dc, 'stepOut', t);
  assert.equal((await top(dc, out)).split(':')[0], 'runtime.main');
});

test('step in to a function without arguments stops on its func line, where DWARF ends the prologue (Delve)', async () => {
  const src = source('deferstep');
  const { dc, out, ev } = await launch(buildFixture('deferstep'), src.path, [{ line: src.line('// BP banner') }]);
  const fnLine = src.line('func banner() {');
  let s = await stepAndWait(dc, 'stepIn', tidOf(ev));
  assert.equal(await top(dc, s), `main.banner:${fnLine}`);
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.banner:${fnLine + 1}`);
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.banner:${fnLine + 2}`);
  assert.match(out.stdout(), /^start$/m);
});

test('optimised code: step out of an inlined call stops in its caller; step in enters a leaf at its entry', async () => {
  const src = source('inlinestep');
  const { dc, out, ev } = await launch(buildFixture('inlinestep', { flags: [] }), src.path, [{ line: src.line('// BP scale') }]);
  const [inl, caller] = await frames(dc, tidOf(ev), 2);
  assert.deepEqual([inl!.name, caller!.name], ['main.scale', 'main.main'], 'scale is inlined into main: a frame of its own');
  await dc.setBreakpointsRequest({ source: { path: src.path }, breakpoints: [] });
  // The inlined call returns into the same physical frame: the step ends there (Delve: the same stop),
  // not in main's caller.
  let s = await stepAndWait(dc, 'stepOut', tidOf(ev));
  assert.equal(s.body.reason, 'step');
  assert.equal(await top(dc, s), `main.main:${src.line('// BP first')}`);
  // leaf (noinline) has no prologue and its entry is its one statement: the step in stops there at once.
  s = await stepAndWait(dc, 'stepIn', tidOf(s));
  assert.equal(await top(dc, s), `main.leaf:${src.line('// BP leaf')}`);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(s) });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /^scaled 13 21$/m);
});

test('step in over a library call that ends its line stops at the next line; step in at a panic enters the deferred call', async () => {
  const src = source('deferstep');
  const cleanup = src.line('// BP cleanup');
  const { dc, ev } = await launch(buildFixture('deferstep'), src.path, [{ line: cleanup }, { line: src.line('// BP panic') }]);
  assert.equal(await top(dc, ev), `main.cleanup:${cleanup}`);
  // Just My Code runs fmt.Println to its return, which is the first instruction of the next line.
  let s = await stepAndWait(dc, 'stepIn', tidOf(ev));
  assert.equal(s.body.reason, 'step');
  assert.equal(await top(dc, s), `main.cleanup:${cleanup + 1}`);
  s = await stepAndWait(dc, 'continue', tidOf(s));
  assert.equal(await top(dc, s), `main.mayPanic:${src.line('// BP panic')}`);
  // fmt.Sprintf is stepped over; runtime.gopanic runs the recovering closure of safe first.
  s = await stepAndWait(dc, 'stepIn', tidOf(s));
  assert.equal(await top(dc, s), `main.safe.func1:${src.line('defer func() {')}`);
});

test('next at a return goes over the deferred function literal to the caller (Delve: the same stop)', async () => {
  const src = source('deferstep');
  const call = src.line('// BP call');
  const { dc, out, ev } = await launch(buildFixture('deferstep'), src.path, [{ line: call }]);
  await dc.setBreakpointsRequest({ source: { path: src.path }, breakpoints: [] });
  let s = await stepAndWait(dc, 'next', tidOf(ev));
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.safe:${call + 2}`);
  // After runtime.deferreturn the results are stored on the return statement's line, then the brace.
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.safe:${call + 1}`);
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.safe:${call + 2}`);
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.main:${src.line('// BP loop')}`);
  s = await stepAndWait(dc, 'next', tidOf(s));
  assert.equal(await top(dc, s), `main.main:${src.line('// BP loop') + 1}`);
  const st = await dc.stackTraceRequest({ threadId: tidOf(s), startFrame: 0, levels: 1 });
  const r = await dc.evaluateRequest({ expression: 'r', frameId: st.body.stackFrames[0]!.id, context: 'watch' });
  assert.equal(r.body.result, '2', 'safe(1) returned 1 * 2 after its deferred call');
  assert.doesNotMatch(out.stdout(), /too big/);
});
