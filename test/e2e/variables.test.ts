/**
 * The Variables view over real DAP: scopes of a frame, locals with children,
 * registers, evaluate, and setVariable writing into the running program.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

let c: StartedClient | undefined;
after(() => c?.close());

test('locals, children, registers, evaluate and setVariable at a breakpoint', async () => {
  const binary = buildFixture('steps');
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  const mainGo = join(testdataDir, 'steps', 'main.go');
  const stopped = waitStopped(dc);
  // main.go:33 `sum += twice(i)`, first pass: r = {3 4}, area = 12, i = 0, sum = 0.
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [33] }]);
  const tid = tidOf(await stopped);
  const frames = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
  const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
  assert.deepEqual(
    scopes.map((s) => s.name),
    ['Locals', 'Registers'],
  );
  const localsRef = scopes[0]!.variablesReference;
  const locals = (await dc.variablesRequest({ variablesReference: localsRef })).body.variables;
  const byName = new Map(locals.map((v) => [v.name, v]));
  assert.equal(byName.get('area')?.value, '12');
  assert.equal(byName.get('sum')?.value, '0');
  assert.equal(byName.get('i')?.value, '0');
  const r = byName.get('r')!;
  assert.ok(r.variablesReference > 0, 'r expands');
  assert.match(r.memoryReference ?? '', /^0x[0-9a-f]+$/);
  const fields = (await dc.variablesRequest({ variablesReference: r.variablesReference })).body.variables;
  assert.deepEqual(
    fields.map((f) => [f.name, f.value, f.evaluateName]),
    [
      ['W', '3', 'r.W'],
      ['H', '4', 'r.H'],
    ],
  );

  // Registers: the whole file in frame 0, what unwinding recovered in a caller.
  const regs = (await dc.variablesRequest({ variablesReference: scopes[1]!.variablesReference })).body.variables;
  assert.ok(regs.some((v) => v.name === 'rip' && /^0x[0-9a-f]+$/.test(v.value)));
  assert.ok(regs.some((v) => v.name === 'rsp'));
  const callerScopes = (await dc.scopesRequest({ frameId: frames[1]!.id })).body.scopes;
  const callerRegs = (await dc.variablesRequest({ variablesReference: callerScopes.find((s) => s.name === 'Registers')!.variablesReference })).body.variables;
  assert.deepEqual(
    callerRegs.map((v) => v.name),
    ['rip', 'rsp', 'cfa'],
  );

  const e = await dc.evaluateRequest({ expression: 'r.W * r.H', frameId: frames[0]!.id, context: 'watch' });
  assert.equal(e.body.result, '12');
  const er = await dc.evaluateRequest({ expression: 'r', frameId: frames[0]!.id, context: 'repl' });
  assert.ok(er.body.variablesReference > 0, 'r evaluates to an expandable value');

  // setVariable: the new value is read back and the program computes with it.
  const set = await dc.setVariableRequest({ variablesReference: localsRef, name: 'sum', value: '100' });
  assert.equal(set.body.value, '100');
  const again = (await dc.variablesRequest({ variablesReference: localsRef })).body.variables;
  assert.equal(again.find((v) => v.name === 'sum')?.value, '100');
  await assert.rejects(
    dc.setVariableRequest({ variablesReference: localsRef, name: 'r', value: '1' }),
    /Cannot set r to 1: cannot use 1 \(untyped int constant\) as .*geom\.Rect value/,
  );
  await assert.rejects(dc.setVariableRequest({ variablesReference: localsRef, name: 'nosuch', value: '1' }), /No variable nosuch to set/);
  await assert.rejects(dc.setVariableRequest({ variablesReference: scopes[1]!.variablesReference, name: 'rip', value: '1' }), /Cannot set rip here/);

  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  await exited;
  // 100 + twice(0) + twice(1) + twice(2)
  assert.match(out.stdout(), /area 12 sum 106 /);
});
