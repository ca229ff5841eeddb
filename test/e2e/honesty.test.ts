/**
 * Honest answers over real DAP: requests we do not advertise answer
 * success: false ("not supported"); a request naming a thread that does not
 * exist, or naming none where the protocol requires one, is an error that
 * changes nothing; configurationDone starts the program once; a step of a
 * goroutine that cannot step ends in an error or an event, never silence;
 * evaluate errors carry their message without a notification in every context.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ErrorCode } from '../../src/util/userErrors.js';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

/** Sends a request and resolves with the response, failed or not (DebugClient.send rejects on failure). */
function raw(dc: DebugClient, command: string, args?: object): Promise<DebugProtocol.Response> {
  return new Promise((resolve) =>
    (dc as unknown as { doSend(c: string, a: object | undefined, cb: (r: DebugProtocol.Response) => void): void }).doSend(command, args, resolve),
  );
}

async function fails(dc: DebugClient, command: string, args: object | undefined, code: number, message: RegExp): Promise<DebugProtocol.Message> {
  const r = await raw(dc, command, args);
  assert.equal(r.success, false, `${command} ${JSON.stringify(args)} should fail, got ${JSON.stringify(r.body)}`);
  assert.match(r.message ?? '', message, command);
  const err = (r.body as { error?: DebugProtocol.Message } | undefined)?.error;
  assert.equal(err?.id, code, `${command}: code ${err?.id} (${r.message})`);
  return err!;
}

/** steps stopped at main.go:33 `sum += twice(i)` (i = 0, sum = 0); also returns the initialize response's capabilities. */
async function stoppedAtSum() {
  const binary = buildFixture('steps');
  const c = await startAdapterClient();
  clients.push(c);
  const out = collectOutput(c.dc);
  const caps = (await c.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).body ?? {};
  const initialized = c.dc.waitForEvent('initialized', 60_000);
  await c.dc.launchRequest({ mode: 'exec', program: binary } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await c.dc.setBreakpointsRequest({ source: { path: join(testdataDir, 'steps', 'main.go') }, breakpoints: [{ line: 33 }] });
  const stopped = waitStopped(c.dc);
  await c.dc.configurationDoneRequest();
  return { dc: c.dc, tid: tidOf(await stopped), caps, out };
}

/** Each request the task names, with the capability that would advertise it. */
const NOT_ADVERTISED: [string, keyof DebugProtocol.Capabilities | undefined, object][] = [
  ['goto', 'supportsGotoTargetsRequest', { threadId: 1, targetId: 1 }],
  ['gotoTargets', 'supportsGotoTargetsRequest', { source: { path: '/x.go' }, line: 1 }],
  ['restartFrame', 'supportsRestartFrame', { frameId: 1 }],
  ['stepBack', 'supportsStepBack', { threadId: 1 }],
  ['reverseContinue', 'supportsStepBack', { threadId: 1 }],
  ['stepInTargets', 'supportsStepInTargetsRequest', { frameId: 1 }],
  ['breakpointLocations', 'supportsBreakpointLocationsRequest', { source: { path: '/x.go' }, line: 1 }],
  ['modules', 'supportsModulesRequest', {}],
  ['dataBreakpointInfo', 'supportsDataBreakpoints', { name: 'sum' }],
  ['setDataBreakpoints', 'supportsDataBreakpoints', { breakpoints: [] }],
  ['writeMemory', 'supportsWriteMemoryRequest', { memoryReference: '0x1000', data: 'AA==' }],
  ['terminateThreads', 'supportsTerminateThreadsRequest', { threadIds: [1] }],
  // Advertised now: it really assigns, so it writes the value sum already has.
  ['setExpression', 'supportsSetExpression', { expression: 'sum', value: '0' }],
  // Advertised now: it answers the names starting with "su".
  ['completions', 'supportsCompletionsRequest', { text: 'su', column: 3 }],
  ['noSuchCommand', undefined, {}],
];

test('requests we do not advertise answer success: false "not supported"; the session goes on', async () => {
  const { dc, tid, caps } = await stoppedAtSum();
  let checked = 0;
  let advertised = 0;
  for (const [command, capability, args] of NOT_ADVERTISED) {
    if (capability && (caps as Record<string, unknown>)[capability]) {
      advertised++;
      // Advertised since (setExpression is being implemented): then it must not say "not supported".
      const r = await raw(dc, command, args);
      assert.doesNotMatch(r.message ?? '', /not supported/, `${command} is advertised by ${capability}`);
      continue;
    }
    await fails(dc, command, args, ErrorCode.Unsupported, new RegExp(`^The "${command}" request is not supported$`));
    checked++;
  }
  // Every request is checked one way or the other (goto, gotoTargets, stepInTargets, breakpointLocations, setExpression,
  // dataBreakpointInfo, setDataBreakpoints, writeMemory, completions, loadedSources, restart and cancel are advertised now).
  assert.equal(checked + advertised, NOT_ADVERTISED.length, `${checked} unsupported requests checked, ${advertised} advertised`);
  // Nothing moved: still at line 33 with sum = 0.
  const st = await dc.stackTraceRequest({ threadId: tid, levels: 1 });
  assert.equal(st.body.stackFrames[0]!.line, 33);
  const e = await dc.evaluateRequest({ expression: 'sum', frameId: st.body.stackFrames[0]!.id, context: 'watch' });
  assert.equal(e.body.result, '0');
  // An exception filter we do not have, and a function or instruction breakpoint with a bad hit condition: unverified, with the reason.
  const ex = await dc.setExceptionBreakpointsRequest({ filters: ['panic', 'uncaught'] });
  assert.deepEqual(ex.body?.breakpoints, [
    { verified: true },
    { verified: false, reason: 'failed', message: 'Unknown exception filter "uncaught": use "panic" or "fatal"' },
  ]);
  const fb = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'main.twice', hitCondition: 'often' }] });
  assert.deepEqual([fb.body.breakpoints[0]!.verified, fb.body.breakpoints[0]!.reason], [false, 'failed']);
  assert.match(fb.body.breakpoints[0]!.message ?? '', /^Invalid hit condition "often"/);
  const ib = (await dc.customRequest('setInstructionBreakpoints', {
    breakpoints: [{ instructionReference: st.body.stackFrames[0]!.instructionPointerReference, condition: 'sum >' }],
  })) as DebugProtocol.SetInstructionBreakpointsResponse;
  assert.deepEqual([ib.body.breakpoints[0]!.verified, ib.body.breakpoints[0]!.reason], [false, 'failed']);
  assert.match(ib.body.breakpoints[0]!.message ?? '', /^Invalid condition "sum >"/);
  // None of them stops the program: it runs to its end (the line-33 breakpoint cleared).
  await dc.setBreakpointsRequest({ source: { path: join(testdataDir, 'steps', 'main.go') }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  await exited;
});

test('a missing or unknown threadId fails continue, next, stepIn, stepOut and pause, and nothing runs', async () => {
  const { dc, tid, out } = await stoppedAtSum();
  const noThread = 987_654_321;
  for (const command of ['continue', 'next', 'stepIn', 'stepOut', 'pause']) {
    // >> <command> {threadId: unknown}, << error
    await fails(dc, command, { threadId: noThread }, ErrorCode.UnknownThread, /No thread or goroutine with id 987654321/);
    // >> <command> without arguments, << error naming the missing threadId
    await fails(dc, command, undefined, ErrorCode.InvalidArguments, new RegExp(`^${command} needs a threadId \\(a whole number\\), but it is missing$`));
    await fails(dc, command, { threadId: 'one' }, ErrorCode.InvalidArguments, /needs a threadId .* but it is "one"/);
  }
  await fails(dc, 'stepOut', { threadId: noThread, granularity: 'instruction' }, ErrorCode.UnknownThread, /No thread or goroutine/);
  // The program did not move: same line, same value, no output yet.
  const st = await dc.stackTraceRequest({ threadId: tid, levels: 1 });
  assert.equal(st.body.stackFrames[0]!.line, 33);
  assert.equal(out.stdout(), '');
  // pause of a stopped program with a known thread: nothing to do, success.
  await dc.pauseRequest({ threadId: tid });
  // >> next {threadId: tid}, << stopped (step) at line 32 or 33's next statement
  const stopped = waitStopped(dc);
  await dc.nextRequest({ threadId: tid });
  assert.equal((await stopped).body.reason, 'step');
});

test('pause of a running program stops every thread whatever the threadId names (it cannot be checked while running)', async () => {
  const binary = buildFixture('ticker');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  await configure(dc, 'launch', { mode: 'exec', program: binary });
  // >> pause {threadId: an id never handed out}, << stopped (pause), all threads
  const stopped = waitStopped(dc);
  await dc.pauseRequest({ threadId: 987_654_321 });
  const ev = await stopped;
  assert.deepEqual([ev.body.reason, ev.body.allThreadsStopped], ['pause', true]);
  // Stopped now: the id is checked.
  await fails(dc, 'pause', { threadId: 987_654_321 }, ErrorCode.UnknownThread, /No thread or goroutine with id 987654321/);
  await dc.pauseRequest({ threadId: tidOf(ev) });
});

test('configurationDone starts the program once: a second one is an error, and one before launch too', async () => {
  const early = await startAdapterClient();
  clients.push(early);
  await early.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  await fails(early.dc, 'configurationDone', {}, ErrorCode.NoProgram, /configurationDone before launch or attach/);

  const binary = buildFixture('steps');
  const c = await startAdapterClient();
  clients.push(c);
  const out = collectOutput(c.dc);
  const stopped = waitStopped(c.dc);
  await configure(c.dc, 'launch', { mode: 'exec', program: binary }, [{ path: join(testdataDir, 'steps', 'main.go'), lines: [33] }]);
  const ev = await stopped;
  // >> configurationDone again, << error; the program stays where it stopped
  await fails(c.dc, 'configurationDone', {}, ErrorCode.InvalidArguments, /configurationDone was already received/);
  const st = await c.dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 });
  assert.equal(st.body.stackFrames[0]!.line, 33);
  await c.dc.setBreakpointsRequest({ source: { path: join(testdataDir, 'steps', 'main.go') }, breakpoints: [] });
  const exited = waitExit(c.dc);
  await c.dc.continueRequest({ threadId: tidOf(ev) });
  await exited;
  // The program ran once: one line of its output.
  assert.equal(out.stdout().match(/^area /gm)?.length, 1, out.stdout());
});

test('a step of a goroutine parked in the runtime with no user frame is an error; one parked in user code steps', async () => {
  const binary = buildFixture('workers');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: join(testdataDir, 'workers', 'main.go'), lines: [19] }]);
  const ev = await stopped;
  await dc.setBreakpointsRequest({ source: { path: join(testdataDir, 'workers', 'main.go') }, breakpoints: [] });
  const threads = (await dc.threadsRequest()).body.threads;
  const system = threads.find((t) => /^Goroutine \d+ runtime\./.test(t.name));
  assert.ok(system, `a runtime goroutine among ${threads.map((t) => t.name).join(', ')}`);
  for (const command of ['next', 'stepIn', 'stepOut']) {
    // >> <step> of the runtime goroutine, << error; nothing runs
    await fails(
      dc,
      command,
      { threadId: system.id },
      ErrorCode.UnknownThread,
      new RegExp(`^Goroutine ${system.id} cannot be stepped: it is parked in the runtime \\(runtime\\.`),
    );
  }
  assert.equal(out.stdout(), '');
  // >> next of the stopped worker, << stopped (step) on that worker
  const stepped = waitStopped(dc);
  await dc.nextRequest({ threadId: tidOf(ev) });
  const s2 = await stepped;
  assert.equal(s2.body.reason, 'step');
  assert.equal(tidOf(s2), tidOf(ev));
  // >> next of goroutine 1, parked in wg.Wait under main.main, << stopped (step) on goroutine 1 once it runs again.
  // (The step is of its top frame, in the runtime's semaphore code where it resumes, not of main.main.)
  const main = (await dc.threadsRequest()).body.threads.find((t) => /^Goroutine 1 main\.main/.test(t.name));
  assert.ok(main);
  const s3 = waitStopped(dc, 60_000);
  await dc.nextRequest({ threadId: 1 });
  const ev3 = await s3;
  assert.deepEqual([ev3.body.reason, tidOf(ev3)], ['step', 1]);
  const stack = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  assert.ok(
    stack.some((f) => f.name === 'main.main' && f.line === 32),
    stack.map((f) => `${f.name}:${f.line}`).join(' < '),
  );
});

test('evaluate errors carry the message without a notification in watch, hover, variables, clipboard and repl', async () => {
  const { dc, tid } = await stoppedAtSum();
  const frameId = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.id;
  for (const context of ['watch', 'hover', 'variables', 'clipboard', 'repl']) {
    const err = await fails(dc, 'evaluate', { expression: 'nosuch + 1', frameId, context }, ErrorCode.EvalFailed, /^undefined: nosuch at column 1$/);
    assert.ok(!err.showUser, `${context}: no notification`);
    const parse = await fails(dc, 'evaluate', { expression: 'sum +', frameId, context }, ErrorCode.EvalFailed, /./);
    assert.ok(!parse.showUser, `${context}: no notification for a parse error`);
  }
});
