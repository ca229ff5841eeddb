/**
 * The panic filter's condition (filterOptions with `condition`) on
 * testdata/panics: `value` is the value given to panic(). The program stops
 * only for the panics the condition holds for; otherwise it dies as Go makes
 * it die (exit code 2, Go's own panic message on stderr). A condition that
 * cannot be evaluated for a value (a failed type assertion) does not hold.
 */
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, tidOf } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';

let binary: string;
const clients: StartedClient[] = [];
before(() => {
  binary = buildFixture('panics');
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

/**
 * initialize → launch(args [mode]) → setExceptionBreakpoints(filterOptions) → configurationDone;
 * resolves with the first of stopped or exited, and the filters' answer.
 */
async function run(mode: string, filterOptions: DebugProtocol.ExceptionFilterOptions[]) {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const caps = (await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).body!;
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: binary, args: [mode] } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const filters = (await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions })).body?.breakpoints;
  const ended = Promise.race([
    dc.waitForEvent('stopped', 30_000).then((e) => ({ stopped: e as DebugProtocol.StoppedEvent })),
    dc.waitForEvent('exited', 30_000).then((e) => ({ exited: (e as DebugProtocol.ExitedEvent).body.exitCode })),
  ]);
  await dc.configurationDoneRequest();
  return { dc, caps, filters, out, ended: await ended };
}

const panicIf = (condition: string) => [{ filterId: 'panic', condition }];

test('the panic filter advertises a condition; a value the condition holds for stops as the exception', async () => {
  // >> setExceptionBreakpoints(panic if value.(string) == "something bad"), << stopped(exception)
  const { dc, caps, filters, ended } = await run('string', panicIf('value.(string) == "something bad"'));
  assert.equal(caps.supportsExceptionFilterOptions, true);
  assert.equal(caps.exceptionBreakpointFilters?.find((f) => f.filter === 'panic')?.supportsCondition, true);
  assert.deepEqual(filters, [{ verified: true }]);
  assert.ok('stopped' in ended, 'stopped');
  assert.equal(ended.stopped.body.reason, 'exception');
  const info = await dc.exceptionInfoRequest({ threadId: tidOf(ended.stopped) });
  assert.equal(info.body.description, 'something bad');
});

test('a panic the condition does not hold for is not stopped: the program dies as Go makes it die', async () => {
  // panic(7) against value.(string) == …: the assertion fails, so the condition does not hold.
  const { ended, out } = await run('int', panicIf('value.(string) == "something bad"'));
  assert.deepEqual(ended, { exited: 2 });
  assert.match(out.stderr(), /^panic: 7$/m);
});

test('conditions on the dynamic type and fields of the value: an int, a *main.MyErr', async () => {
  const int = await run('int', panicIf('value.(int) > 5'));
  assert.ok('stopped' in int.ended && int.ended.stopped.body.reason === 'exception', 'panic(7) with value.(int) > 5 stops');
  const custom = await run('custom', panicIf('value.(*main.MyErr).Code == 42'));
  assert.ok('stopped' in custom.ended && custom.ended.stopped.body.reason === 'exception', 'panic(&MyErr{42}) stops');
  const other = await run('custom', panicIf('value.(*main.MyErr).Code == 41'));
  assert.deepEqual(other.ended, { exited: 2 });
  const notThatType = await run('errorsnew', panicIf('value.(*main.MyErr).Code == 42'));
  assert.deepEqual(notThatType.ended, { exited: 2 }, 'errors.New is no *main.MyErr: the assertion fails, no stop');
  assert.match(notThatType.out.stderr(), /^panic: boom$/m);
});

test('a condition that does not parse, or one on the fatal filter, is unverified and not set', async () => {
  const { filters, ended, out } = await run('string', [
    { filterId: 'panic', condition: 'value.(string ==' },
    { filterId: 'fatal', condition: 'true' },
  ]);
  assert.equal(filters?.length, 2);
  assert.deepEqual([filters![0]!.verified, filters![0]!.reason], [false, 'failed']);
  assert.match(filters![0]!.message ?? '', /^Invalid condition "value\.\(string =="/);
  assert.deepEqual(filters![1], { verified: false, reason: 'failed', message: 'The "fatal" filter takes no condition: a fatal error has no value' });
  // Neither filter is set: the panic ends the program without a stop.
  assert.deepEqual(ended, { exited: 2 });
  assert.match(out.stderr(), /^panic: something bad$/m);
});

test('value.(error) != nil: a panic with an error stops, panic("text") does not', async () => {
  const withError = await run('errorsnew', panicIf('value.(error) != nil'));
  assert.ok('stopped' in withError.ended && withError.ended.stopped.body.reason === 'exception', 'panic(errors.New(…)) stops');
  const custom = await run('custom', panicIf('value.(error) != nil'));
  assert.ok('stopped' in custom.ended, 'panic(&MyErr{…}), an error too, stops');
  const text = await run('string', panicIf('value.(error) != nil'));
  assert.deepEqual(text.ended, { exited: 2 }, 'a string is no error: the assertion fails, no stop');
});
