/**
 * Conditions that compare an integer local with a constant, over DAP on
 * testdata/condslots: int8 to uint64, signed (below zero, then above) and
 * unsigned, the constant on either side, ==, <, >=, >. After its first hit at a PC such a condition is
 * answered from the local's stack slot (breakpoints/conditions.ts); every
 * stop must still be the iteration the program is in, with the value it holds,
 * a constant the type cannot hold must still fail the way the evaluator says,
 * and the program must end with the values it computed itself.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, before, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, frames, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'condslots', 'main.go');
let binary: string;
let c: StartedClient | undefined;

const lineOf = (name: string): number => lineWith(mainGo, `// CS:${name}`);

before(() => {
  binary = buildFixture('condslots');
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function evaluate(dc: DebugClient, threadId: number, expression: string): Promise<string> {
  const st = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 });
  const r = await dc.evaluateRequest({ expression, frameId: st.body.stackFrames[0]!.id, context: 'watch' });
  return r.body.result;
}

test('integer locals of every size against constants: each stop is the iteration where the condition holds', async () => {
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  // >> initialize, launch, setBreakpoints(8 conditions), configurationDone
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: binary } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const conditions: [string, string][] = [
    ['i8', '5 < i8'],
    ['u8', '205 == u8'],
    ['i16', 'i16 >= 7'],
    ['u16', 'u16 == 65004'],
    ['i32', 'i32 > 1'],
    ['u32', 'u32 > 4000000008'],
    ['u64', 'u64 == 18446744073709551006'],
    // 300 is no int8: Go refuses the comparison, so the condition fails (one stop, then none).
    ['sum', 'i8 == 300'],
  ];
  const set = await dc.setBreakpointsRequest({
    source: { path: mainGo },
    breakpoints: conditions.map(([name, condition]) => ({ line: lineOf(name), condition })),
  });
  assert.deepEqual(
    set.body.breakpoints.map((b) => b.verified),
    conditions.map(() => true),
  );
  let ev = waitStopped(dc);
  await dc.configurationDoneRequest();
  // What each local holds before its statement in iteration i.
  const value: Record<string, (i: number) => string> = {
    i8: (i) => String(-3 + i),
    u8: (i) => String(200 + i),
    i16: (i) => String(-2 + i),
    u16: (i) => String(65000 + i),
    i32: (i) => String(-5 + i),
    u32: (i) => String(4000000000 + i),
    u64: (i) => String(18446744073709551000n + BigInt(i)),
  };
  // The stops in program order: (line, iteration).
  const expected: [string, number][] = [
    ['sum', 0],
    ['u16', 4],
    ['u8', 5],
    ['u64', 6],
    ['i32', 7],
    ['i32', 8],
    ['i8', 9],
    ['i16', 9],
    ['i32', 9],
    ['u32', 9],
  ];
  for (const [name, i] of expected) {
    // << stopped(breakpoint) at CS:<name> in iteration i
    const stop = await ev;
    assert.equal(stop.body.reason, 'breakpoint');
    const tid = tidOf(stop);
    const [top] = await frames(dc, tid, 1);
    assert.equal(top!.line, lineOf(name), `stop at CS:${name} (iteration ${i})`);
    assert.equal(await evaluate(dc, tid, 'i'), String(i), `iteration at CS:${name}`);
    if (name === 'sum') {
      assert.match(stop.body.description ?? '', /condition "i8 == 300" failed/);
      assert.match(out.console(), /condition "i8 == 300" failed/);
    } else assert.equal(await evaluate(dc, tid, name), value[name]!(i), `${name} at its stop`);
    if (name === 'u32') {
      // >> continue, << exited(0): the program ran to its end
      const exit = waitExit(dc);
      await dc.continueRequest({ threadId: tid });
      assert.equal(await exit, 0);
      break;
    }
    // >> continue
    ev = stepAndWait(dc, 'continue', tid);
  }
  // It printed what it computed itself.
  assert.equal(out.stdout(), '7 210 8 65010 5 4000000010 18446744073709551010 45\n');
});
