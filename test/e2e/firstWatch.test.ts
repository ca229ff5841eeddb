/**
 * The first requests at a stop over real DAP on testdata/firstwatch (built
 * -N -l): the first watch and hover give the program's values, a write
 * through setExpression is what the next evaluate and the program itself
 * see (and one the program would never see is refused), and a watch evaluated again at the next stop (its text parsed once)
 * reads memory afresh.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StartedClient } from '../support/adapterClient.js';
import { tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'firstwatch', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

let c: StartedClient | undefined;
after(() => c?.close());

test('the first watch and hover at a stop, a write, and the next stop: the program values each time', async () => {
  const binary = buildFixture('firstwatch');
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint) at i = 0
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string, context: string, frameId = s.frameId) =>
    ((await dc.evaluateRequest({ expression, context, frameId })) as DebugProtocol.EvaluateResponse).body;

  // >> evaluate(watch) first, before any scopes or variables request: << the program's values
  const first = await evaluate('t.B.A.N', 'watch');
  assert.deepEqual([first.result, first.type, first.variablesReference], ['2', 'int', 0]);
  assert.match(first.memoryReference ?? '', /^0x[0-9a-f]+$/);
  assert.equal((await evaluate('t.A.A.N', 'watch')).result, '0');
  assert.equal((await evaluate('t.A.B.Name', 'hover')).result, '"t.A.B"');
  assert.equal((await evaluate('t.B.B.Ratio', 'hover')).result, '1.5');
  assert.equal((await evaluate('ok', 'watch')).result, 'true');
  await assert.rejects(
    dc.evaluateRequest({ expression: 't.A.C', context: 'watch', frameId: s.frameId }),
    /t\.A\.C undefined \(type main\.Mid has no field or method C\)/,
  );

  // >> setExpression on the field read at the stop: << the new value, in the next evaluate too
  const set = (await dc.customRequest('setExpression', { expression: 't.A.A.N', value: '77', frameId: s.frameId })) as DebugProtocol.SetExpressionResponse;
  assert.equal(set.body.value, '77');
  assert.equal((await evaluate('t.A.A.N', 'watch')).result, '77');

  // >> continue; << stopped at i = 1: the program printed the value written, the watch reads it afresh
  const stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: s.tid });
  const tid = tidOf(await stopped);
  const frameId = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.id;
  assert.match(s.out.stdout(), /^0 77 2 true\n/);
  assert.equal((await evaluate('i', 'watch', frameId)).result, '1');
  assert.equal((await evaluate('t.A.A.N', 'watch', frameId)).result, '77');
  assert.equal((await evaluate('t.B.A.N', 'watch', frameId)).result, '2');

  // >> setExpression(ok = false): << refused. ok's slot is loaded only into a temporary nothing reads:
  // the compiler passes a constant true to Printf, so the program would print true whatever the slot holds.
  await assert.rejects(
    dc.customRequest('setExpression', { expression: 'ok', value: 'false', frameId }),
    /^Error: Cannot set ok: the compiled code never reads it \(the compiler folded its value into its uses\)/,
  );
  assert.equal((await evaluate('ok', 'watch', frameId)).result, 'true');

  // >> setExpression(t.B.A.N = 5), continue: << the program prints it, then exits
  const setN = (await dc.customRequest('setExpression', { expression: 't.B.A.N', value: '5', frameId })) as DebugProtocol.SetExpressionResponse;
  assert.equal(setN.body.value, '5');
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), '0 77 2 true\n1 77 5 true\n');
});
