/**
 * Breakpoints whose scopes the adapter resolves while the program runs
 * (debuggee/inspect/breakpointScopes.ts), over real DAP on testdata/bpscopes:
 * the program sleeps before reaching them, so they are resolved before the
 * first stop. At each stop the first request is a watch, before any scopes:
 * it finds the variable the stopped line sees (an inner total that hides the
 * function's), the locals list the hidden one as shadowed, a write lands in
 * the variable the program prints.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith } from '../support/stopAt.js';
import { children, scopeVars } from '../values/support.js';

const mainGo = join(testdataDir, 'bpscopes', 'main.go');
const innerLine = lineWith(mainGo, '// stop inner');
const returnLine = lineWith(mainGo, '// stop return');

let c: StartedClient | undefined;
after(() => c?.close());

test('breakpoints resolved while the program runs: the first watch, the locals and a write at each stop', async () => {
  const binary = buildFixture('bpscopes');
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  const at = async (line: number): Promise<{ tid: number; frameId: number }> => {
    const tid = tidOf(await stopped);
    const frame = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
    assert.equal(frame.line, line);
    return { tid, frameId: frame.id };
  };
  const watch = async (expression: string, frameId: number) =>
    ((await dc.evaluateRequest({ expression, context: 'watch', frameId })) as DebugProtocol.EvaluateResponse).body;

  // >> setBreakpoints(stop inner, stop return), configurationDone; the program sleeps 300 ms, then work(1)
  let stopped = waitStopped(dc);
  const [bps] = await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [innerLine, returnLine] }]);
  assert.deepEqual(
    bps!.map((b) => [b.verified, b.line]),
    [
      [true, innerLine],
      [true, returnLine],
    ],
  );

  // << stopped at `return total` in work(1): the watch first, then the locals
  let s = await at(returnLine);
  const total1 = await watch('total', s.frameId);
  assert.deepEqual([total1.result, total1.type], ['3', 'int']);
  assert.equal((await watch('p.Name', s.frameId)).result, '"p1"');
  assert.equal((await watch('p.A + p.B', s.frameId)).result, '3');
  const locals1 = await scopeVars(dc, s.frameId);
  assert.deepEqual(
    locals1.map((v) => `${v.name}=${v.value}`),
    ['n=1', '~r0=0', 'p=main.pair {A: 1, B: 2, Name: "p1"}', 'total=3'],
  );
  // p's fields, under the handle this stop made (the view expanded a zero p while the program ran: those handles are gone)
  assert.deepEqual(
    (await children(dc, locals1.find((v) => v.name === 'p')!)).map((v) => `${v.name}=${v.value} ${v.evaluateName}`),
    ['A=1 p.A', 'B=2 p.B', 'Name="p1" p.Name'],
  );

  // >> continue; << stopped in work(2)'s block: `total` names the inner one, the outer is shadowed
  stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: s.tid });
  s = await at(innerLine);
  assert.equal((await watch('total', s.frameId)).result, '60');
  assert.equal((await watch('p.B', s.frameId)).result, '4');
  assert.deepEqual(
    (await scopeVars(dc, s.frameId)).map((v) => `${v.name}=${v.value}`),
    ['n=2', '~r0=0', 'p=main.pair {A: 2, B: 4, Name: "p2"}', 'total (shadowed)=6', 'total=60'],
  );
  // >> setExpression(total = 61): the inner total, which the program prints next
  const set = (await dc.customRequest('setExpression', { expression: 'total', value: '61', frameId: s.frameId })) as DebugProtocol.SetExpressionResponse;
  assert.equal(set.body.value, '61');

  // >> continue; << stopped at `return total` in work(2): the outer total, unchanged
  stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: s.tid });
  s = await at(returnLine);
  assert.equal((await watch('total', s.frameId)).result, '6');

  // >> continue; << the program printed the written inner total and both results, then exited 0
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(out.stdout(), 'inner 61 p2\n3 6\n');
});
