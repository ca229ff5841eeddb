/**
 * The error contract over real DAP: a request that cannot do what it was
 * asked answers success: false with a stable code and a clear message (no
 * notification for a watch that does not apply), and the session keeps
 * working: the next valid request succeeds.
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
function raw(dc: DebugClient, command: string, args: object = {}): Promise<DebugProtocol.Response> {
  return new Promise((resolve) =>
    (dc as unknown as { doSend(c: string, a: object, cb: (r: DebugProtocol.Response) => void): void }).doSend(command, args, resolve),
  );
}

/** Asserts a failed response with error code `code` and a message matching `message`; returns the error. */
async function fails(dc: DebugClient, command: string, args: object, code: number, message: RegExp): Promise<DebugProtocol.Message> {
  const r = await raw(dc, command, args);
  assert.equal(r.success, false, `${command} ${JSON.stringify(args)} should fail, got ${JSON.stringify(r.body)}`);
  assert.match(r.message ?? '', message);
  const err = (r.body as { error?: DebugProtocol.Message } | undefined)?.error;
  assert.ok(err, `${command}: the error response carries body.error`);
  assert.equal(err.id, code, `${command}: code ${err.id} (${r.message})`);
  assert.doesNotMatch(r.message ?? '', /\n\s+at /, `${command}: no stack in the message`);
  return err;
}

async function stoppedAtSum(extra: Record<string, unknown> = {}): Promise<{ dc: DebugClient; tid: number; console: () => string }> {
  const binary = buildFixture('steps');
  const c = await startAdapterClient();
  clients.push(c);
  const out = collectOutput(c.dc);
  const stopped = waitStopped(c.dc);
  // main.go:33 `sum += twice(i)`, first pass: i = 0, sum = 0.
  await configure(c.dc, 'launch', { mode: 'exec', program: binary, ...extra }, [{ path: join(testdataDir, 'steps', 'main.go'), lines: [33] }]);
  return { dc: c.dc, tid: tidOf(await stopped), console: out.console };
}

test('unknown thread ids, frame ids and variablesReferences fail with their codes; the session goes on', async () => {
  const { dc, tid } = await stoppedAtSum();
  const noThread = 987_654_321;

  await fails(dc, 'stackTrace', { threadId: noThread }, ErrorCode.UnknownThread, /No thread or goroutine with id 987654321/);
  const st = await dc.stackTraceRequest({ threadId: tid });
  assert.equal(st.body.stackFrames[0]!.name, 'main.main');
  const frameId = st.body.stackFrames[0]!.id;

  await fails(dc, 'scopes', { frameId: 424_242 }, ErrorCode.UnknownFrame, /Unknown frame id 424242/);
  const sc = await dc.scopesRequest({ frameId });
  const locals = sc.body.scopes.find((s) => s.name === 'Locals')!;
  assert.ok(locals, 'a Locals scope');

  await fails(dc, 'variables', { variablesReference: 31_337 }, ErrorCode.UnknownVariables, /Unknown variablesReference 31337/);
  const vs = await dc.variablesRequest({ variablesReference: locals.variablesReference });
  assert.equal(vs.body.variables.find((v) => v.name === 'sum')?.value, '0');

  await fails(dc, 'evaluate', { expression: 'sum', frameId: 424_242, context: 'watch' }, ErrorCode.UnknownFrame, /Unknown frame id/);
  await fails(dc, 'setVariable', { variablesReference: 31_337, name: 'sum', value: '1' }, ErrorCode.UnknownVariables, /Unknown variablesReference/);
  await fails(dc, 'exceptionInfo', { threadId: tid }, ErrorCode.NotAtException, /not stopped at an exception/);
  await fails(dc, 'next', { threadId: noThread }, ErrorCode.UnknownThread, /No thread or goroutine with id 987654321/);
  await fails(dc, 'stepIn', { threadId: noThread }, ErrorCode.UnknownThread, /No thread or goroutine/);
  await fails(dc, 'next', { threadId: noThread, granularity: 'instruction' }, ErrorCode.UnknownThread, /No thread or goroutine/);
  await fails(dc, 'readMemory', { memoryReference: 'nowhere', count: 8 }, ErrorCode.InvalidArguments, /Not an address: nowhere/);
  await fails(dc, 'disassemble', { memoryReference: 'nowhere', instructionCount: 4 }, ErrorCode.InvalidArguments, /Not an address/);

  // A breakpoint that cannot be set is an unverified breakpoint with the reason, one per request entry.
  const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'nowhere' }] });
  assert.deepEqual(
    (ib.body.breakpoints as DebugProtocol.Breakpoint[]).map((b) => [b.verified, b.message]),
    [[false, 'Not an address: nowhere']],
  );

  // Requests we do not implement are errors, not empty successes.
  await fails(dc, 'restartFrame', { frameId }, ErrorCode.Unsupported, /"restartFrame" request is not supported/);
  await fails(dc, 'noSuchCommand', {}, ErrorCode.Unsupported, /"noSuchCommand" request is not supported/);

  // Unmapped memory is not an error: the bytes are reported unreadable.
  const m = (await dc.send('readMemory', { memoryReference: '0x10', count: 16 })) as DebugProtocol.ReadMemoryResponse;
  assert.equal(m.body?.unreadableBytes, 16);

  // Still stopped where it was, and a step works.
  const e = await dc.evaluateRequest({ expression: 'sum', frameId, context: 'watch' });
  assert.equal(e.body.result, '0');
  const stepped = waitStopped(dc);
  await dc.nextRequest({ threadId: tid });
  const ev = await stepped;
  assert.equal(ev.body.reason, 'step');

  // Handles of the previous stop are gone.
  await fails(dc, 'scopes', { frameId }, ErrorCode.UnknownFrame, /Unknown frame id/);
  await fails(dc, 'variables', { variablesReference: locals.variablesReference }, ErrorCode.UnknownVariables, /Unknown variablesReference/);
  const st2 = await dc.stackTraceRequest({ threadId: tidOf(ev) });
  assert.equal(st2.body.stackFrames[0]!.name, 'main.main');
});

test('a bad expression fails with EvalFailed and no notification; a good one still evaluates', async () => {
  const { dc, tid } = await stoppedAtSum();
  const frameId = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0]!.id;
  for (const [expression, message] of [
    ['nosuchvariable + 1', /nosuchvariable/],
    ['sum +', /./],
    ['sum.W', /./],
  ] as const) {
    for (const context of ['watch', 'hover', 'repl']) {
      const err = await fails(dc, 'evaluate', { expression, frameId, context }, ErrorCode.EvalFailed, message);
      assert.ok(!err.showUser, `evaluate ${expression} in ${context} shows no notification`);
    }
  }
  const ok = await dc.evaluateRequest({ expression: 'sum + 41', frameId, context: 'watch' });
  assert.equal(ok.body.result, '41');
});

test('continue, next and inspection while the program runs answer errors; pause and continue still work', async () => {
  const binary = buildFixture('ticker');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  await configure(dc, 'launch', { mode: 'exec', program: binary });
  // The program runs (it ticks every 20 ms until killed).
  const tid = (await dc.threadsRequest()).body.threads[0]!.id;
  await fails(dc, 'continue', { threadId: tid }, ErrorCode.ProgramRunning, /already running/);
  await fails(dc, 'next', { threadId: tid }, ErrorCode.ProgramRunning, /already running/);
  await fails(dc, 'stepOut', { threadId: tid }, ErrorCode.ProgramRunning, /already running/);
  await fails(dc, 'stackTrace', { threadId: tid }, ErrorCode.ProgramRunning, /running: pause it first/);
  await fails(dc, 'evaluate', { expression: 'count', context: 'repl' }, ErrorCode.ProgramRunning, /running: pause it first/);
  const stopped = waitStopped(dc);
  await dc.pauseRequest({ threadId: tid });
  const ev = await stopped;
  assert.equal(ev.body.reason, 'pause');
  const st = await dc.stackTraceRequest({ threadId: tidOf(ev) });
  assert.ok(st.body.stackFrames.length > 0);
  await dc.continueRequest({ threadId: tidOf(ev) });
  await fails(dc, 'continue', { threadId: tidOf(ev) }, ErrorCode.ProgramRunning, /already running/);
});

test('a request with arguments of the wrong type answers InvalidArguments naming the field; the session goes on', async () => {
  // (The internal-error branch of the contract is tested in process: test/unit/adapter/internalError.test.ts.)
  const { dc, tid } = await stoppedAtSum({ showLog: true });
  const frameId = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0]!.id;
  // >> evaluate {expression: 42}, << error InvalidArguments
  const err = await fails(dc, 'evaluate', { expression: 42, frameId, context: 'watch' }, ErrorCode.InvalidArguments, /^evaluate: expression must be a string$/);
  assert.doesNotMatch(err.format ?? '', /\n\s+at /);
  await fails(
    dc,
    'setBreakpoints',
    { source: { path: 7 }, breakpoints: [{ line: 3 }] },
    ErrorCode.InvalidArguments,
    /^setBreakpoints: source\.path must be a string$/,
  );
  await fails(dc, 'setExceptionBreakpoints', { filters: 'panic' }, ErrorCode.InvalidArguments, /filters must be an array/);
  // >> evaluate sum, << 0: still stopped where it was
  const ok = await dc.evaluateRequest({ expression: 'sum', frameId, context: 'watch' });
  assert.equal(ok.body.result, '0');
});

test('after the program exits, execution and inspection requests answer NoProgram', async () => {
  const binary = buildFixture('steps');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const exited = waitExit(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary });
  await exited;
  for (const [command, args] of [
    ['continue', { threadId: 1 }],
    ['next', { threadId: 1 }],
    ['stepIn', { threadId: 1 }],
    ['pause', { threadId: 1 }],
    ['stackTrace', { threadId: 1 }],
    ['evaluate', { expression: '1', context: 'repl' }],
    ['readMemory', { memoryReference: '0x1000', count: 4 }],
  ] as const) {
    await fails(dc, command, args, ErrorCode.NoProgram, /not running/);
  }
  // The thread list always answers (one placeholder thread when there is nothing to show).
  const t = await dc.threadsRequest();
  assert.equal(t.body.threads.length, 1);
});
