/**
 * gotoTargets and goto (set next statement) over DAP on testdata/navigate,
 * built with -N -l: a jump backwards re-runs `count++` and a jump forwards
 * skips it, as the program's own output shows; a jump that would bring a
 * variable into scope without its declaration having run, or leave the
 * function, is refused with the reason and moves nothing.
 */
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { frames, render, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { lineOf, mainGo, stopAtMarker } from '../support/navigateFixture.js';

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

async function gotoTargets(dc: StartedClient['dc'], line: number): Promise<DebugProtocol.GotoTarget[]> {
  const r = (await dc.send('gotoTargets', { source: { path: mainGo }, line })) as DebugProtocol.GotoTargetsResponse;
  return r.body.targets;
}

/** >> goto, then the response comes before the stopped(goto) event. */
async function jump(dc: StartedClient['dc'], tid: number, target: DebugProtocol.GotoTarget): Promise<DebugProtocol.StoppedEvent> {
  const order: string[] = [];
  const stopped = waitStopped(dc).then((ev) => {
    order.push('stopped');
    return ev;
  });
  await dc.send('goto', { threadId: tid, targetId: target.id });
  order.push('response');
  const ev = await stopped;
  assert.deepEqual(order, ['response', 'stopped']);
  return ev;
}

async function finish(dc: StartedClient['dc'], tid: number): Promise<void> {
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
}

test('initialize declares gotoTargets', async () => {
  c = await startAdapterClient();
  const r = await c.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(r.body?.supportsGotoTargetsRequest, true);
});

test('a backward jump re-runs count++: the program prints count 2', async () => {
  const { dc, tid, out } = await stopAt('print');
  // >> gotoTargets(line of count++) << one target on that line
  const ts = await gotoTargets(dc, lineOf('incr'));
  assert.equal(ts.length, 1);
  assert.equal(ts[0]!.line, lineOf('incr'));
  assert.match(ts[0]!.instructionPointerReference ?? '', /^0x[0-9a-f]+$/);
  const ev = await jump(dc, tid, ts[0]!);
  assert.equal(ev.body.reason, 'goto');
  assert.equal(tidOf(ev), tid);
  assert.deepEqual(render(await frames(dc, tid, 1)), [`main.main main.go:${lineOf('incr')}`]);
  await finish(dc, tid);
  assert.match(out.stdout(), /^count 2$/m);
  assert.doesNotMatch(out.stdout(), /^count 1$/m);
});

test('a forward jump skips count++: the program prints count 0', async () => {
  const { dc, tid, out } = await stopAt('incr');
  const [t] = await gotoTargets(dc, lineOf('print'));
  const ev = await jump(dc, tid, t!);
  assert.equal(ev.body.reason, 'goto');
  assert.deepEqual(render(await frames(dc, tid, 1)), [`main.main main.go:${lineOf('print')}`]);
  await finish(dc, tid);
  assert.match(out.stdout(), /^count 0$/m);
  // count is 0, so the if block is skipped too.
  assert.doesNotMatch(out.stdout(), /^inner/m);
});

test('a jump into a block past its declaration, or over one, is refused and moves nothing', async () => {
  const { dc, tid, out } = await stopAt('incr');
  // `inner` is declared in the if block: at its use it would hold no value.
  await assert.rejects(gotoTargets(dc, lineOf('useinner')), /skip the declaration of inner/);
  // inc and dec are declared on the closures line: jumping past it leaves them unset.
  await assert.rejects(gotoTargets(dc, lineOf('closurecalls')), /skip the declaration of (inc, dec|dec, inc) /);
  // A target id forged for that line is refused by goto itself.
  await assert.rejects(dc.send('goto', { threadId: tid, targetId: 1 }), /Cannot jump there/);
  assert.deepEqual(render(await frames(dc, tid, 1)), [`main.main main.go:${lineOf('incr')}`]);
  await finish(dc, tid);
  assert.match(out.stdout(), /^count 1$/m);
});

test('a line of another function is refused: goto does not leave the function', async () => {
  const { dc, tid } = await stopAt('incr');
  await assert.rejects(gotoTargets(dc, lineOf('g')), /line \d+ is in main\.g, not in main\.main/);
  // A line without code at all.
  await assert.rejects(gotoTargets(dc, 1), /no statement/);
  assert.deepEqual(render(await frames(dc, tid, 1)), [`main.main main.go:${lineOf('incr')}`]);
});

test('a backward jump out of a block is allowed: the statements before it run again', async () => {
  const { dc, tid, out } = await stopAt('useinner');
  const [t] = await gotoTargets(dc, lineOf('incr'));
  const ev = await jump(dc, tid, t!);
  assert.equal(ev.body.reason, 'goto');
  await finish(dc, tid);
  // count 1 was printed before the stop; then count++, its print and the block run again.
  assert.match(out.stdout(), /^count 1\ncount 2\ninner 20\n/m);
  assert.doesNotMatch(out.stdout(), /^inner 10$/m);
});
