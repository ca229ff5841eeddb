/**
 * Subtests: in test mode a goroutine that runs a test is named by the test's
 * full name, and `$test` in a condition or logpoint is that name, so shared
 * table code stops (or logs) for one case only.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
const dir = join(testdataDir, 'subtests');
const src = join(dir, 'classify.go');

test('$test picks one case of a table test; test goroutines carry their test names', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 120_000);
  await dc.launchRequest({ mode: 'test', program: dir, args: ['-test.run', 'TestTable|TestOther'] } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const set = await dc.setBreakpointsRequest({
    source: { path: src },
    breakpoints: [
      { line: 6, condition: '$test == "TestTable/case_2"' },
      { line: 7, logMessage: 'classify in {$test}: {n}' },
      // The return line starts with a jump the negative branch skips: DWARF's statement row is where all paths meet.
      { line: 12, logMessage: 'returns {kind}' },
    ],
  });
  assert.deepEqual(
    set.body.breakpoints.map((b) => b.verified),
    [true, true, true],
  );
  const stopped = waitStopped(dc, 120_000);
  await dc.configurationDoneRequest();
  const ev = await stopped;
  const tid = tidOf(ev);
  const frame = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
  const n = await dc.evaluateRequest({ expression: 'n', frameId: frame.id, context: 'watch' });
  assert.equal(n.body.result, '-2', 'stopped only for case_2');
  const t = await dc.evaluateRequest({ expression: '$test', frameId: frame.id, context: 'watch' }).catch((e: Error) => e);
  assert.ok(t instanceof Error, '$test is for conditions and logpoints, not an expression of the program');

  const names = (await dc.threadsRequest()).body.threads;
  const mine = names.find((x) => x.id === tid)!;
  assert.match(mine.name, /^TestTable\/case_2: Goroutine \d+ /);
  assert.ok(
    names.some((x) => /^TestTable: Goroutine \d+ /.test(x.name)),
    `the parent test's goroutine is named too:\n${names.map((x) => x.name).join('\n')}`,
  );
  assert.ok(
    names.every((x) => x.id === tid || !/case_2/.test(x.name)),
    'only one goroutine runs case_2',
  );

  const exit = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exit, 0);
  assert.match(out.console(), /classify in "TestTable\/case_1": 1/);
  assert.match(out.console(), /classify in "TestTable\/case_2": -2/);
  assert.match(out.console(), /classify in "TestTable\/zero": 0/);
  assert.match(out.console(), /classify in "TestOther": 5/);
  assert.equal(out.console().match(/returns "(positive|negative|zero)"/g)?.length, 4, out.console());
});
