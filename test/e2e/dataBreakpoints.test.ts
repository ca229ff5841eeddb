/**
 * Data breakpoints over real DAP on testdata/watch (built -N -l): hardware
 * watchpoints on a global written by goroutines (a condition that never holds
 * costs no stop; its cost per hit is measured), a heap object's field (stops
 * on every write after the hit condition, old and new value in the
 * description), a stack variable whose frame returns (the watch ends with a
 * console note), a goroutine's stack variable that the runtime moves while its
 * stack grows, and a write from an OS thread created after the watch was set;
 * a fifth watch is refused. In attach mode the watch is hit, then the adapter
 * detaches: the program runs on (a debug register left set would kill it with
 * SIGTRAP at its next write) and its code equals the file's.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { assertRunsOn, assertTextRestored, serviceSource, startService, WORK_LINE, type Service } from './service.js';

const mainGo = join(testdataDir, 'watch', 'main.go');
const source = readFileSync(mainGo, 'utf8').split('\n');
/** The 1-based line holding `marker`. */
const lineOf = (marker: string): number => {
  const i = source.findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, marker);
  return i + 1;
};

const clients: StartedClient[] = [];
const services: Service[] = [];
after(async () => {
  for (const c of clients) await c.close();
  for (const s of services) s.kill();
});

type InfoBody = DebugProtocol.DataBreakpointInfoResponse['body'];

async function info(dc: DebugClient, args: DebugProtocol.DataBreakpointInfoArguments): Promise<InfoBody> {
  return ((await dc.customRequest('dataBreakpointInfo', args)) as DebugProtocol.DataBreakpointInfoResponse).body;
}

async function setData(dc: DebugClient, breakpoints: DebugProtocol.DataBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
  return ((await dc.customRequest('setDataBreakpoints', { breakpoints })) as DebugProtocol.SetDataBreakpointsResponse).body.breakpoints;
}

async function frame0(dc: DebugClient, tid: number): Promise<number> {
  return (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0]!.id;
}

/** dataBreakpointInfo of an expression in frame 0 of `tid`: a dataId, or the test fails. */
async function watchable(dc: DebugClient, tid: number, name: string): Promise<{ dataId: string; description: string }> {
  const b = await info(dc, { frameId: await frame0(dc, tid), name });
  assert.ok(b.dataId, `${name}: ${b.description}`);
  return { dataId: b.dataId, description: b.description };
}

async function cont(dc: DebugClient, tid: number): Promise<DebugProtocol.StoppedEvent> {
  const stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  return stopped;
}

async function evalIn(dc: DebugClient, tid: number, expr: string): Promise<string> {
  return (await dc.evaluateRequest({ expression: expr, frameId: await frame0(dc, tid), context: 'repl' })).body.result;
}

function tasksOf(pid: number): Set<number> {
  return new Set(readdirSync(`/proc/${pid}/task`).map(Number));
}

test('initialize advertises data breakpoints (the tests below are why)', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  // >> initialize, << capabilities
  const caps = await c.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(caps.body?.supportsDataBreakpoints, true);
});

test('data breakpoints: globals, heap, stack variables that return or move, new threads, at most four', async (t) => {
  const binary = buildFixture('watch');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const marks = ['// phase counter', '// heap loop', '// local write', '// grower deep', '// phase threads'];
  // >> initialize, launch, setBreakpoints(each phase), configurationDone; << stopped(breakpoint) at "phase counter"
  const ev = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: marks.map(lineOf) }]);
  let stop = await ev;
  assert.equal(stop.body.reason, 'breakpoint');
  let tid = tidOf(stop);
  const pid = Number(/pid (\d+)/.exec(out.stdout())![1]);

  // ── a global written by four goroutines, watched with a condition that never holds
  // >> dataBreakpointInfo(frameId, "counter"), << dataId, accessTypes write + readWrite
  const counter = await info(dc, { frameId: await frame0(dc, tid), name: 'counter' });
  assert.ok(counter.dataId, counter.description);
  assert.deepEqual(counter.accessTypes, ['write', 'readWrite']);
  assert.match(counter.description, /counter \(int64, 8 bytes at 0x[0-9a-f]+\)/);
  // >> setDataBreakpoints(counter, condition false), << verified
  let set = await setData(dc, [{ dataId: counter.dataId, accessType: 'write', condition: 'counter < 0' }]);
  assert.equal(set[0]!.verified, true, set[0]!.message);
  // >> continue, << stopped(breakpoint) at "phase heap": 8000 writes and no stop
  stop = await cont(dc, tid);
  assert.equal(stop.body.reason, 'breakpoint', JSON.stringify(stop.body));
  assert.equal((await frames(dc, tidOf(stop)))[0]!.line, lineOf('// heap loop'));
  tid = tidOf(stop);
  const base = Number(/unwatched 8000 writes (\d+) ns/.exec(out.stdout())![1]);
  const watchedRun = /watched 8000 writes (\d+) ns counter (\d+)/.exec(out.stdout());
  assert.ok(watchedRun, out.stdout());
  assert.equal(Number(watchedRun[2]), 16000, 'every write happened');
  t.diagnostic(
    `a data-breakpoint hit that does not stop (false condition): ${((Number(watchedRun[1]) - base) / 8000 / 1000).toFixed(1)} µs (8000 hits: ${(Number(watchedRun[1]) / 1e6).toFixed(1)} ms watched, ${(base / 1e6).toFixed(1)} ms unwatched)`,
  );

  // ── a heap object's field, through the Variables view: h → val; stops from the 2nd write on
  // >> setBreakpoints(without "heap loop": that line runs at each iteration)
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: marks.filter((m) => m !== '// heap loop').map((m) => ({ line: lineOf(m) })) });
  const fr = await frame0(dc, tid);
  const locals = (await dc.scopesRequest({ frameId: fr })).body.scopes[0]!.variablesReference;
  const h = (await dc.variablesRequest({ variablesReference: locals })).body.variables.find((v) => v.name === 'h')!;
  assert.ok(h.variablesReference > 0, 'h has children');
  const hKids = (await dc.variablesRequest({ variablesReference: h.variablesReference })).body.variables;
  const holder = hKids.find((v) => v.name === 'val') ? h.variablesReference : hKids[0]!.variablesReference;
  // >> dataBreakpointInfo(variablesReference of *h, "name"): a string is 16 bytes, its first word is watched, and it says so
  const name = await info(dc, { variablesReference: holder, name: 'name' });
  assert.match(name.description, /first 8 bytes of .*name.*16 bytes/);
  const val = await info(dc, { variablesReference: holder, name: 'val' });
  assert.ok(val.dataId, val.description);
  set = await setData(dc, [{ dataId: val.dataId, hitCondition: '>= 2' }]);
  assert.equal(set[0]!.verified, true, set[0]!.message);
  // >> continue ×2, << stopped(data breakpoint) with the old and the new value, each time
  for (const [from, to] of [
    [10, 20],
    [20, 30],
  ]) {
    stop = await cont(dc, tid);
    assert.equal(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
    assert.deepEqual(stop.body.hitBreakpointIds, [set[0]!.id]);
    assert.match(stop.body.description ?? '', new RegExp(`val changed from ${from} to ${to}`));
    assert.equal((await frames(dc, tidOf(stop)))[0]!.name, 'main.main');
    assert.equal(await evalIn(dc, tidOf(stop), 'h.val'), String(to), 'the write has happened when the stop is reported');
  }
  await setData(dc, []);

  // ── a stack variable of a function that returns
  // >> continue, << stopped(breakpoint) at "local write"
  stop = await cont(dc, tid);
  assert.equal((await frames(dc, tidOf(stop)))[0]!.line, lineOf('// local write'));
  tid = tidOf(stop);
  const x = await watchable(dc, tid, 'x');
  assert.match(x.description, /main\.local/);
  set = await setData(dc, [{ dataId: x.dataId }]);
  assert.equal(set[0]!.verified, true, set[0]!.message);
  for (const [from, to] of [
    [1, 2],
    [2, 3],
  ]) {
    stop = await cont(dc, tid);
    assert.equal(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
    assert.match(stop.body.description ?? '', new RegExp(`x changed from ${from} to ${to}`));
  }
  // >> continue, << (console) the watch ended as main.local returned; stopped(breakpoint) at "grower deep"
  stop = await cont(dc, tid);
  assert.equal(stop.body.reason, 'breakpoint', JSON.stringify(stop.body));
  assert.match(out.console(), new RegExp(`Data breakpoint ${set[0]!.id} \\(x\\) ended: the frame of main\\.local returned`));
  assert.match(out.stdout(), /local 3/);

  // ── a goroutine's stack variable; the stack grows (deep recursion) and the runtime moves it
  tid = tidOf(stop);
  assert.equal((await frames(dc, tid))[0]!.name, 'main.growInner');
  const before = await evalIn(dc, tid, '&v');
  const v = await watchable(dc, tid, 'v');
  set = await setData(dc, [{ dataId: v.dataId }]);
  assert.equal(set[0]!.verified, true, set[0]!.message);
  // >> continue, << stopped(data breakpoint) at v = 11, v now elsewhere
  stop = await cont(dc, tid);
  assert.equal(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
  assert.match(stop.body.description ?? '', /v changed from 10 to 11/);
  assert.equal((await frames(dc, tidOf(stop)))[0]!.name, 'main.growInner');
  const moved = await evalIn(dc, tidOf(stop), '&v');
  assert.notEqual(moved, before, 'the stack was copied: v lives at a new address');
  // >> continue, << (console) ended as main.growInner returned; stopped(breakpoint) at "phase threads"
  stop = await cont(dc, tidOf(stop));
  assert.equal(stop.body.reason, 'breakpoint', JSON.stringify(stop.body));
  assert.match(out.console(), new RegExp(`Data breakpoint ${set[0]!.id} \\(v\\) ended: the frame of main\\.growInner returned`));
  assert.match(out.stdout(), /grower 11/);

  // ── a write from a thread that did not exist when the watch was set; a fifth watch is refused
  tid = tidOf(stop);
  const threadsBefore = tasksOf(pid);
  const ids = [];
  for (const e of ['threadWrites', 'counter', 'msg[0]', 'msg[2]', 'msg[4]']) ids.push((await watchable(dc, tid, e)).dataId);
  set = await setData(
    dc,
    ids.map((dataId) => ({ dataId })),
  );
  assert.deepEqual(
    set.map((b) => b.verified),
    [true, true, true, true, false],
  );
  assert.match(set[4]!.message ?? '', /Only 4 data breakpoints can be active at once/);
  // >> continue ×12, << stopped(data breakpoint) for each goroutine's write of its own thread id
  const writers = new Set<number>();
  for (let k = 0; k < 12; k++) {
    stop = await cont(dc, tid);
    assert.equal(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
    const writer = Number(/threadWrites changed from \d+ to (\d+)/.exec(stop.body.description ?? '')?.[1]);
    assert.match(out.stdout(), new RegExp(`tid ${writer}\\n`), `write ${k}: ${stop.body.description}`);
    writers.add(writer);
    tid = tidOf(stop);
  }
  assert.equal(writers.size, 12, 'twelve threads wrote');
  const born = [...writers].filter((w) => !threadsBefore.has(w));
  assert.ok(born.length > 0, `some writes came from threads created after the watch was set (threads then: ${[...threadsBefore].join(' ')})`);
  t.diagnostic(`${born.length} of 12 writes came from threads created after the watch was set`);
  const writer = [...writers].at(-1)!;

  // ── readWrite: a read stops too (the program reads msg to print it), and says the value is unchanged
  const m0 = await watchable(dc, tid, 'msg[0]');
  assert.match(m0.description, /msg\[0\] \(uint8, 1 bytes at/);
  set = await setData(dc, [{ dataId: m0.dataId, accessType: 'readWrite' }]);
  assert.equal(set[0]!.verified, true, set[0]!.message);
  stop = await cont(dc, tid);
  assert.equal(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
  assert.equal(stop.body.description, 'msg[0] read or written: 104 (unchanged)');
  assert.doesNotMatch(out.stdout(), /msg hello/, 'stopped at the read, before the print');
  tid = tidOf(stop);
  await setData(dc, []);

  // >> continue, << the program ends normally with what it computed
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(stop) });
  assert.equal(await exit, 0);
  assert.match(out.stdout(), new RegExp(`threadWrites ${writer}\\n`));
});

test('attach: a watch hit, then detach: the program runs on, its code is the file', async () => {
  const s = await startService();
  services.push(s);
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  // >> attach, setBreakpoints(work), configurationDone; << stopped(breakpoint) in work
  const ev = waitStopped(dc);
  await configure(dc, 'attach', { processId: s.pid }, [{ path: serviceSource, lines: [WORK_LINE] }]);
  let stop = await ev;
  const tid = tidOf(stop);
  const done = await watchable(dc, tid, 'done');
  const set = await setData(dc, [{ dataId: done.dataId }]);
  assert.equal(set[0]!.verified, true, set[0]!.message);
  // >> setBreakpoints([]), continue; << stopped(data breakpoint): done.Add(1)
  await dc.setBreakpointsRequest({ source: { path: serviceSource }, breakpoints: [] });
  stop = await cont(dc, tid);
  assert.equal(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
  assert.match(stop.body.description ?? '', /done changed from/);
  // >> disconnect(terminateDebuggee false): every thread keeps running without a debug register
  await dc.disconnectRequest({ terminateDebuggee: false });
  assertTextRestored(s);
  await assertRunsOn(s);
});
