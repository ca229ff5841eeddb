/**
 * Breakpoints the program wrote itself, over DAP on testdata/hardbreak:
 * runtime.Breakpoint() stops every time (reason `breakpoint`, frame 0 the
 * caller at the return address, as under Delve), `continue` goes on past it,
 * user breakpoints and conditions beside it count as before, an int3 in
 * hand-written assembly stops on the instruction after it, several goroutines
 * hitting at once each stop, and a SIGTRAP sent by tgkill or kill is no breakpoint.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, before, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const dir = join(testdataDir, 'hardbreak');
const mainGo = join(dir, 'main.go');
let binary: string;
let c: StartedClient | undefined;

/** The line of main.go (or `file`) carrying the marker `HB:<name>`. */
function lineOf(name: string, file = mainGo): number {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(`HB:${name}`));
  if (i < 0) throw new Error(`no HB:${name} marker in ${file}`);
  return i + 1;
}

before(() => {
  binary = buildFixture('hardbreak');
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function launch(args: string[] = [], bps: DebugProtocol.SourceBreakpoint[] = []) {
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: binary, args } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const set = await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: bps });
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  return { dc, out, ids: set.body.breakpoints.map((b) => b.id!), first: stopped };
}

/** Asserts a stop at runtime.Breakpoint(): reason, description, no user breakpoint, frame 0 the caller. */
async function assertHardStop(dc: DebugClient, ev: DebugProtocol.StoppedEvent, fn: string, line: number): Promise<string[]> {
  assert.equal(ev.body.reason, 'breakpoint');
  assert.equal(ev.body.description, 'runtime.Breakpoint');
  assert.equal(ev.body.hitBreakpointIds, undefined, 'none of the user breakpoints');
  const fs = await frames(dc, tidOf(ev));
  assert.deepEqual(render(fs, 1), [`${fn} main.go:${line}`]);
  return fs.map((f) => f.name);
}

test('runtime.Breakpoint() stops every time at its caller; continue goes on; the program sees every counter and exits 0', async () => {
  const { dc, out, first } = await launch();
  const call = lineOf('call');
  let ev = await first;
  for (let i = 1; i <= 5; i++) {
    // << stopped(breakpoint, "runtime.Breakpoint"): main.main at the return address, on the line of the call
    const names = await assertHardStop(dc, ev, 'main.main', call);
    assert.deepEqual(names, ['main.main', 'runtime.main', 'runtime.goexit'], 'no runtime.breakpoint frame above main.main');
    // The program printed this iteration's counter before it stopped.
    assert.match(out.stdout(), new RegExp(`counter ${i}\\n$`));
    if (i === 5) break;
    // >> continue, << stopped at the next call
    ev = await stepAndWait(dc, 'continue', tidOf(ev));
  }
  // >> continue: the int3 in trap_amd64.s, then the exit
  ev = await stepAndWait(dc, 'continue', tidOf(ev));
  assert.equal(ev.body.reason, 'breakpoint');
  assert.equal(ev.body.description, 'hard-coded breakpoint in main.trap');
  // Stopped on the instruction after the int3 (the RET), called from main.main.
  const ret = lineOf('ret', join(dir, 'trap_amd64.s'));
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), [`main.trap trap_amd64.s:${ret}`, `main.main main.go:${lineOf('trap')}`]);
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exit, 0);
  assert.equal(out.stdout(), 'counter 1\ncounter 2\ncounter 3\ncounter 4\ncounter 5\ntotal 15\n');
});

test('a user breakpoint in the same function, a condition and a logpoint elsewhere count as before', async () => {
  const addcall = lineOf('addcall');
  const add = lineOf('add');
  const { dc, out, ids, first } = await launch([], [{ line: addcall }, { line: add, condition: 'i == 4' }, { line: lineOf('print'), logMessage: 'log {i}' }]);
  const [userId, condId] = ids;
  const seen: string[] = [];
  let ev = await first;
  // >> continue after each stop, until the int3 in main.trap
  for (let n = 0; n < 20; n++) {
    assert.equal(ev.body.reason, 'breakpoint');
    const f = (await frames(dc, tidOf(ev), 1))[0]!;
    const hitIds = ev.body.hitBreakpointIds ?? [];
    const desc = ev.body.description;
    const what =
      desc === 'runtime.Breakpoint'
        ? 'hard'
        : desc === 'hard-coded breakpoint in main.trap'
          ? 'asm'
          : hitIds.length === 1
            ? { [userId!]: 'user', [condId!]: 'cond' }[hitIds[0]!]
            : JSON.stringify(ev.body);
    seen.push(`${what} ${f.name}:${f.line}`);
    if (f.name === 'main.trap') break;
    ev = await stepAndWait(dc, 'continue', tidOf(ev));
  }
  const u = `user main.main:${addcall}`;
  const h = `hard main.main:${lineOf('call')}`;
  const k = `cond main.add:${add}`;
  const t = `asm main.trap:${lineOf('ret', join(dir, 'trap_amd64.s'))}`;
  // Every iteration: the user breakpoint, the condition only when i == 4, then runtime.Breakpoint().
  assert.deepEqual(seen, [u, h, u, h, u, h, u, k, h, u, h, t]);
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exit, 0);
  assert.equal(out.stdout(), 'counter 1\ncounter 2\ncounter 3\ncounter 4\ncounter 5\ntotal 15\n');
  assert.deepEqual(out.console().match(/^log \d+$/gm), ['log 1', 'log 2', 'log 3', 'log 4', 'log 5']);
});

test('a next over runtime.Breakpoint() stops there, as a breakpoint', async () => {
  const call = lineOf('call');
  const { dc, first } = await launch([], [{ line: lineOf('addcall') }]);
  const ev0 = await first;
  assert.deepEqual(render(await frames(dc, tidOf(ev0), 1)), [`main.main main.go:${lineOf('addcall')}`]);
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  // >> next (over add(i)), << stopped(step) on the call line
  let ev = await stepAndWait(dc, 'next', tidOf(ev0));
  assert.equal(ev.body.reason, 'step');
  assert.deepEqual(render(await frames(dc, tidOf(ev), 1)), [`main.main main.go:${call}`]);
  // >> next (over runtime.Breakpoint()), << stopped(breakpoint): the int3 ends the step
  ev = await stepAndWait(dc, 'next', tidOf(ev));
  await assertHardStop(dc, ev, 'main.main', call);
  // >> next from the return address, << stopped(step) on the loop header
  ev = await stepAndWait(dc, 'next', tidOf(ev));
  assert.equal(ev.body.reason, 'step');
  const f = (await frames(dc, tidOf(ev), 1))[0]!;
  assert.equal(f.name, 'main.main');
  assert.notEqual(f.line, call);
});

test('goroutines hitting runtime.Breakpoint() together each stop once; the program finishes', async () => {
  const { dc, out, first } = await launch(['many']);
  const goroutines = new Set<number>();
  let ev = await first;
  for (let n = 1; n <= 4; n++) {
    // The return address of runtime.Breakpoint() in main.worker begins the next line: frame 0 is there.
    await assertHardStop(dc, ev, 'main.worker', lineOf('worker') + 1);
    goroutines.add(tidOf(ev));
    if (n < 4) ev = await stepAndWait(dc, 'continue', tidOf(ev));
  }
  assert.equal(goroutines.size, 4, 'four different goroutines');
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exit, 0);
  const lines = out.stdout().trim().split('\n').sort();
  assert.deepEqual(lines, ['all workers done', ...[1, 2, 3, 4].map((id) => `worker ${id} past its breakpoint`)]);
});

test('a SIGTRAP sent by tgkill or kill is no breakpoint: no stop, the program goes on (alone it dies of it)', async () => {
  // Without a debugger the signal kills the program: Go's runtime throws on SIGTRAP.
  const alone = spawnSync(binary, ['kill'], { encoding: 'utf8' });
  assert.equal(alone.status, 2);
  assert.match(alone.stderr, /SIGTRAP: trace trap/);
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  let stops = 0;
  dc.on('stopped', () => stops++);
  const exit = waitExit(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary, args: ['kill'] });
  assert.equal(await exit, 0);
  assert.equal(stops, 0);
  assert.equal(out.stdout(), 'survived tgkill\nsurvived kill\n');
});

test('in an optimised build (runtime.Breakpoint inlined) frame 0 is the caller too, every time', async () => {
  const optimised = buildFixture('hardbreak', { flags: [] });
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  let ev = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: optimised });
  for (let i = 1; i <= 5; i++) {
    const stop = await ev;
    assert.equal(stop.body.description, 'runtime.Breakpoint');
    const fs = await frames(dc, tidOf(stop));
    // The inlined runtime.Breakpoint ends with two instructions after the call (X15 and R14
    // restored): stepped over too, so no frame of it is left.
    assert.equal(fs[0]!.name, 'main.main');
    assert.ok(!fs.some((f) => f.name.startsWith('runtime.breakpoint') || f.name === 'runtime.Breakpoint'), render(fs).join(', '));
    assert.match(out.stdout(), new RegExp(`counter ${i}\\n$`));
    // >> continue, << the next stop (after the fifth: the int3 in main.trap)
    ev = stepAndWait(dc, 'continue', tidOf(stop));
  }
  // The assembly int3, then the exit.
  const last = await ev;
  assert.equal(last.body.description, 'hard-coded breakpoint in main.trap');
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(last) });
  assert.equal(await exit, 0);
  assert.match(out.stdout(), /total 15\n$/);
});
