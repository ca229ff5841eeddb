/**
 * Defects a seeded DAP fuzzer found (a scratch one, run at every state against
 * real programs), each kept here as the case that showed it:
 * - an instruction breakpoint inside an instruction (offset 1 from a real
 *   instruction) was verified and its int3 corrupted the instruction: the
 *   attached program died of SIGSEGV;
 * - `variables` of the registers scope ignored `count` and `start`;
 * - a negative or fractional start, count, levels or instructionCount was taken;
 * - a disassemble far before the current function ran for tens of seconds;
 * - a second initialize changed the session's line base (a repeat that keeps it is still answered);
 * - terminate of an attached program (which detaches it) sent `exited` after `terminated`;
 * - launch and attach were taken before initialize, and a second launch sent
 *   while the first was being answered started a second program;
 * - a breakpoint on line 0 or -3 was answered with that line;
 * - a detach sent `exited` with exit code 0 (the program had not exited).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildFixture } from '../support/goBuild.js';
import { RawDap } from './rawDap.js';
import { assertRunsOn, assertTextRestored, exited, serviceSource, startService, WORK_LINE, type Service } from './service.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const ok = (r: DebugProtocol.Response) => assert.ok(r.success, `${r.command}: ${r.message}`);

/** initialize → attach → a breakpoint in work() → configurationDone → stopped there. */
async function attachedStopped(): Promise<{ dap: RawDap; s: Service; threadId: number; frameId: number; pc: number }> {
  const s = await startService();
  cleanups.push(() => s.kill());
  const dap = new RawDap();
  cleanups.push(() => dap.kill());
  ok(await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }));
  const initialized = dap.event('initialized', 60_000);
  ok(await dap.request('attach', { processId: s.pid }, 60_000));
  await initialized;
  ok(await dap.request('setBreakpoints', { source: { path: serviceSource }, breakpoints: [{ line: WORK_LINE }] }));
  const stopped = dap.event<DebugProtocol.StoppedEvent>('stopped');
  ok(await dap.request('configurationDone'));
  const threadId = (await stopped).body.threadId!;
  const st = await dap.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId, levels: 1 });
  ok(st);
  const top = st.body.stackFrames[0]!;
  return { dap, s, threadId, frameId: top.id, pc: Number(top.instructionPointerReference) };
}

/** Detaches: `terminated` and no `exited` (it did not exit); the program's code is the file's again and it runs on. */
async function detachAndCheck(dap: RawDap, s: Service): Promise<void> {
  ok(await dap.request('disconnect', { terminateDebuggee: false }));
  await exited(dap.adapter);
  const names = dap.events.map((e) => e.event);
  assert.ok(names.includes('terminated'), names.join(', '));
  assert.ok(!names.includes('exited'), `a detach is no exit: ${names.join(', ')}`);
  assertTextRestored(s);
  await assertRunsOn(s);
}

test('an instruction breakpoint inside an instruction is refused; the attached program lives', async () => {
  const { dap, s, threadId, pc } = await attachedStopped();
  // The instructions of work() from the stop on: their starts, by our decoder, and one byte into each.
  const dis = await dap.request<DebugProtocol.DisassembleResponse>('disassemble', { memoryReference: `0x${pc.toString(16)}`, instructionCount: 8 });
  ok(dis);
  const multi = dis.body!.instructions.filter((i) => (i.instructionBytes?.replace(/ /g, '').length ?? 0) > 2);
  assert.ok(multi.length >= 2, 'work() has instructions of more than one byte');
  const inside = multi.slice(0, 2).map((i) => ({ instructionReference: i.address, offset: 1 }));
  const start = { instructionReference: multi[0]!.address };
  const r = await dap.request<DebugProtocol.SetInstructionBreakpointsResponse>('setInstructionBreakpoints', { breakpoints: [...inside, start] });
  ok(r);
  const [a, b, c] = r.body.breakpoints;
  for (const x of [a, b]) {
    assert.equal(x?.verified, false, JSON.stringify(x));
    assert.match(x?.message ?? '', /inside the instruction at 0x[0-9a-f]+ \(main\.work\+\d+\)/);
  }
  assert.equal(c?.verified, true, 'the start of an instruction takes a breakpoint');
  // Only the verified one is hit: the program runs work() on and stops at the instruction's start.
  ok(await dap.request('setBreakpoints', { source: { path: serviceSource }, breakpoints: [] }));
  const stopped = dap.event<DebugProtocol.StoppedEvent>('stopped');
  ok(await dap.request('continue', { threadId }));
  const ev = await stopped;
  assert.equal(ev.body.reason, 'instruction breakpoint');
  const st = await dap.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: ev.body.threadId, levels: 1 });
  assert.equal(Number(st.body.stackFrames[0]!.instructionPointerReference), Number(multi[0]!.address));
  // The two refused ones again, then run on without any breakpoint: no SIGSEGV from a split instruction.
  ok(await dap.request('setInstructionBreakpoints', { breakpoints: inside }));
  ok(await dap.request('continue', { threadId: ev.body.threadId }));
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(s.exit(), undefined, `the program died: ${JSON.stringify(s.exit())}`);
  const paused = dap.event<DebugProtocol.StoppedEvent>('stopped');
  ok(await dap.request('pause', { threadId: ev.body.threadId }));
  await paused;
  await detachAndCheck(dap, s);
});

test('paging, counts and indexes: registers honour start and count; a negative or fractional one is refused', async () => {
  const { dap, s, threadId, frameId, pc } = await attachedStopped();
  const sc = await dap.request<DebugProtocol.ScopesResponse>('scopes', { frameId });
  const regs = sc.body.scopes.find((x) => /register/i.test(x.name));
  assert.ok(regs, `a registers scope among ${sc.body.scopes.map((x) => x.name)}`);
  const all = await dap.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: regs.variablesReference });
  ok(all);
  assert.ok(all.body.variables.length > 10);
  const page = await dap.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: regs.variablesReference, start: 3, count: 4 });
  assert.deepEqual(
    page.body.variables.map((v) => v.name),
    all.body.variables.slice(3, 7).map((v) => v.name),
  );
  const refused: [string, unknown][] = [
    ['variables', { variablesReference: regs.variablesReference, start: -1 }],
    ['variables', { variablesReference: regs.variablesReference, count: 2.5 }],
    ['stackTrace', { threadId, levels: -1 }],
    ['stackTrace', { threadId, startFrame: 0.5 }],
    ['readMemory', { memoryReference: `0x${pc.toString(16)}`, count: -1 }],
    ['disassemble', { memoryReference: `0x${pc.toString(16)}`, instructionCount: -999999 }],
  ];
  for (const [command, args] of refused) {
    const r = await dap.request(command, args);
    assert.equal(r.success, false, `${command} ${JSON.stringify(args)}`);
    assert.match(r.message ?? '', /must be a whole number, 0 or more/);
  }
  // Far before this function (thousands of functions back): answered, in bounded time, with the count asked.
  const t0 = Date.now();
  const far = await dap.request<DebugProtocol.DisassembleResponse>(
    'disassemble',
    { memoryReference: `0x${pc.toString(16)}`, instructionOffset: -100_000, instructionCount: 5000 },
    30_000,
  );
  ok(far);
  console.log(`disassemble 100,000 instructions back: ${Date.now() - t0} ms`);
  assert.equal(far.body!.instructions.length, 5000);
  assert.ok(Date.now() - t0 < 15_000, `disassemble took ${Date.now() - t0} ms`);
  await detachAndCheck(dap, s);
});

test('a second initialize that changes the line base is refused and changes nothing; no line 0 or below is echoed for a breakpoint', async () => {
  const { dap, s, threadId } = await attachedStopped();
  const again = await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: false, columnsStartAt1: false, pathFormat: 'path' });
  assert.equal(again.success, false);
  assert.match(again.message ?? '', /already initialized with other line or column bases/);
  // The same initialize again (DebugClient's launch() sends one) is answered as the first.
  const same = await dap.request<DebugProtocol.InitializeResponse>('initialize', { adapterID: 'go-debug', linesStartAt1: true, pathFormat: 'path' });
  ok(same);
  assert.equal(same.body?.supportsConfigurationDoneRequest, true);
  const st = await dap.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId, levels: 1 });
  assert.equal(st.body.stackFrames[0]!.line, WORK_LINE, 'lines are still 1-based');
  const bps = await dap.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
    source: { path: serviceSource },
    breakpoints: [{ line: 0 }, { line: -3 }, { line: WORK_LINE }],
  });
  ok(bps);
  const [zero, neg, real] = bps.body.breakpoints;
  for (const x of [zero, neg]) {
    assert.equal(x?.verified, false);
    assert.equal(x?.line, undefined, JSON.stringify(x));
    assert.ok(x?.message);
  }
  assert.equal(real?.verified, true);
  assert.equal(real?.line, WORK_LINE);
  await detachAndCheck(dap, s);
});

test('terminate of an attached program lets it go: nothing after terminated, its code restored, it runs on', async () => {
  const { dap, s } = await attachedStopped();
  ok(await dap.request('terminate', {}, 15_000));
  await dap.event('terminated', 15_000);
  await new Promise((res) => setTimeout(res, 500));
  const names = dap.events.map((e) => e.event).filter((e) => e !== 'output');
  const at = names.indexOf('terminated');
  assert.deepEqual(names.slice(at + 1), [], `events after terminated: ${names.join(', ')}`);
  ok(await dap.request('disconnect', {}));
  await exited(dap.adapter);
  assertTextRestored(s);
  await assertRunsOn(s);
});

test('launch or attach before initialize is refused; after it, the session starts as usual', async () => {
  const s = await startService();
  cleanups.push(() => s.kill());
  const dap = new RawDap();
  cleanups.push(() => dap.kill());
  const early = await dap.request('attach', { processId: s.pid });
  assert.equal(early.success, false);
  assert.match(early.message ?? '', /before initialize/);
  // Not attached: the program is not traced.
  assert.match(readFileSync(`/proc/${s.pid}/status`, 'utf8'), /TracerPid:\s+0\n/);
  ok(await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }));
  const initialized = dap.event('initialized', 60_000);
  ok(await dap.request('attach', { processId: s.pid }, 60_000));
  await initialized;
  ok(await dap.request('configurationDone'));
  await detachAndCheck(dap, s);
});

test('two launches sent at once: one program, the other refused; disconnect leaves no process behind', async () => {
  const dap = new RawDap();
  cleanups.push(() => dap.kill());
  ok(await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }));
  const binary = buildFixture('service');
  const a = dap.post('launch', { program: binary, mode: 'exec' });
  const b = dap.post('launch', { program: binary, mode: 'exec' });
  const [ra, rb] = [await dap.responseTo(a, 60_000), await dap.responseTo(b, 60_000)];
  assert.deepEqual([ra.success, rb.success].sort(), [false, true], `${ra.message} / ${rb.message}`);
  assert.match((ra.success ? rb : ra).message ?? '', /already (under way|being debugged)/);
  const started = dap.events.filter((e) => e.event === 'process') as DebugProtocol.ProcessEvent[];
  assert.equal(started.length, 1, 'one program started');
  const pid = started[0]!.body.systemProcessId!;
  const stopped = dap.event<DebugProtocol.StoppedEvent>('stopped');
  ok(await dap.request('setBreakpoints', { source: { path: serviceSource }, breakpoints: [{ line: WORK_LINE }] }));
  ok(await dap.request('configurationDone'));
  assert.equal((await stopped).body.reason, 'breakpoint');
  ok(await dap.request('disconnect', { terminateDebuggee: true }));
  await exited(dap.adapter);
  await new Promise((res) => setTimeout(res, 300));
  assert.ok(!existsSync(`/proc/${pid}`) || /State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8')), `the launched program ${pid} is gone`);
});
