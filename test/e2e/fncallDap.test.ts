/**
 * Function calls over real DAP on testdata/fncall, through `evaluate` (the
 * evaluator's call expressions on the engine's debugCallV2 protocol): after a
 * call `next` steps the right line; a call that does not return within the
 * evaluate's 5 s is abandoned with the reason, the goroutine still listed,
 * and when the program resumes the call finishes silently (no `stopped` from
 * its traps), the program prints what it prints without calls and exits 0.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StartedClient } from '../support/adapterClient.js';
import { tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'fncall', 'main.go');
const NORMAL = 'x 1 calls 0\nx 3 calls 0\nx 6 calls 0\nadder 101 origin {1 2} keep 8\n';
function lineOf(marker: string): number {
  return (
    readFileSync(mainGo, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(`FC:${marker}`)) + 1
  );
}

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

test('evaluate add(2, 3) on a breakpoint, then next steps to the next line and continue goes on as without the call', async () => {
  // >> launch, setBreakpoints(FC:loop), configurationDone; << stopped(breakpoint) at FC:loop
  const s = await stopAtLine(buildFixture('fncall'), mainGo, lineOf('loop'));
  c = s.client;
  const { dc } = c;
  // >> evaluate(repl) add(2, 3); << 5
  assert.equal((await dc.evaluateRequest({ expression: 'add(2, 3)', frameId: s.frameId, context: 'repl' })).body.result, '5');
  // >> evaluate(watch) bump(0); << 0 (the global untouched)
  assert.equal((await dc.evaluateRequest({ expression: 'bump(0)', frameId: s.frameId, context: 'watch' })).body.result, '0');
  // >> next; << stopped(step) at FC:print, nothing printed yet
  const stepped = waitStopped(dc);
  await dc.nextRequest({ threadId: s.tid });
  const ev = await stepped;
  assert.equal(ev.body.reason, 'step');
  const top = (await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 })).body.stackFrames[0]!;
  assert.equal(top.line, lineOf('print'));
  assert.equal((await dc.evaluateRequest({ expression: 'x', frameId: top.id, context: 'repl' })).body.result, '1');
  assert.equal(s.out.stdout(), '');
  // >> setBreakpoints([]), continue; << exited 0, the program's own output
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), NORMAL);
});

test('evaluate of a call that blocks is abandoned after 5 s; on continue it finishes silently and the program ends normally', async () => {
  const s = await stopAtLine(buildFixture('fncall'), mainGo, lineOf('print'));
  c = s.client;
  const { dc } = c;
  const stops: DebugProtocol.StoppedEvent[] = [];
  dc.on('stopped', (e) => stops.push(e as DebugProtocol.StoppedEvent));
  // >> evaluate(repl) block(); << success: false after the evaluate's 5 s, saying why
  await assert.rejects(dc.evaluateRequest({ expression: 'block()', frameId: s.frameId, context: 'repl' }), (e: Error) => {
    assert.match(e.message, /^the call of main\.block did not return within 5000 ms and was abandoned: it will finish when the program resumes/);
    return true;
  });
  // The stopped goroutine is still listed (parked by the runtime while the call runs), and its stack reads.
  const threads = (await dc.threadsRequest()).body.threads;
  assert.ok(
    threads.some((t) => t.id === s.tid),
    JSON.stringify(threads),
  );
  const st = await dc.stackTraceRequest({ threadId: s.tid });
  assert.ok(
    st.body.stackFrames.some((f) => f.name === 'main.main'),
    'main.main is on its stack',
  );
  // A second call on it is refused: it is parked.
  await assert.rejects(
    dc.evaluateRequest({ expression: 'add(1, 2)', frameId: st.body.stackFrames.find((f) => f.name === 'main.main')!.id, context: 'repl' }),
    /parked/,
  );
  // >> setBreakpoints([]), continue; << no stopped event, exited 0 with the program's own output
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), NORMAL);
  assert.deepEqual(stops, [], "the call's traps never surface as stops");
});
