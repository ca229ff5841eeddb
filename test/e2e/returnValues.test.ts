/**
 * Return values: after a stepOut (or a next off a function's end) the frame
 * it returned to has a "Return values" scope first, with each result by its
 * name or ~r0, until the program runs again. The program prints the same
 * results itself.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
const src = join(testdataDir, 'retvals', 'main.go');

type Dc = StartedClient['dc'];

async function top(dc: Dc, tid: number): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
}

/** The frame's scopes by name, and the Return values scope's variables as name → value. */
async function returned(dc: Dc, tid: number): Promise<{ scopes: string[]; values?: Record<string, string> }> {
  const scopes = (await dc.scopesRequest({ frameId: (await top(dc, tid)).id })).body.scopes;
  const ret = scopes.find((s) => s.name.startsWith('Return values'));
  if (!ret) return { scopes: scopes.map((s) => s.name) };
  const vars = (await dc.variablesRequest({ variablesReference: ret.variablesReference })).body.variables;
  return { scopes: scopes.map((s) => s.name), values: Object.fromEntries(vars.map((v) => [v.name, v.value])) };
}

test('stepOut and next show what the function returned, until the program runs on', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  let stopped = waitStopped(dc);
  // In pair (line 11), divide's final return (21), the error branch of divide (17), ratio (25).
  await configure(dc, 'launch', { mode: 'exec', program: buildFixture('retvals') }, [{ path: src, lines: [11, 17, 21, 25] }]);
  let tid = tidOf(await stopped);
  assert.deepEqual((await returned(dc, tid)).values, undefined, 'no return values at a breakpoint');

  // stepOut of pair: unnamed results.
  tid = tidOf(await stepAndWait(dc, 'stepOut', tid));
  assert.equal((await top(dc, tid)).line, 30);
  let r = await returned(dc, tid);
  assert.deepEqual(r.scopes.slice(0, 2), ['Return values (main.pair)', 'Locals']);
  assert.deepEqual(r.values, { '~r0': '"left"', '~r1': '42' });
  await assert.rejects(
    dc.setVariableRequest({
      variablesReference: (await dc.scopesRequest({ frameId: (await top(dc, tid)).id })).body.scopes[0]!.variablesReference,
      name: '~r1',
      value: '1',
    }),
    /Cannot set ~r1/,
  );

  // Continue to divide's last line, then next off its end: named results.
  stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  tid = tidOf(await stopped);
  assert.equal((await top(dc, tid)).line, 21);
  assert.equal((await returned(dc, tid)).values, undefined, 'gone once the program ran');
  tid = tidOf(await stepAndWait(dc, 'next', tid));
  assert.equal((await top(dc, tid)).line, 31);
  r = await returned(dc, tid);
  assert.equal(r.scopes[0], 'Return values (main.divide)');
  assert.deepEqual(r.values, { q: '3', err: 'error nil' });

  // The early return with an error.
  stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  tid = tidOf(await stopped);
  assert.equal((await top(dc, tid)).line, 17);
  tid = tidOf(await stepAndWait(dc, 'stepOut', tid));
  assert.equal((await top(dc, tid)).line, 32);
  r = await returned(dc, tid);
  assert.equal(r.values?.q, '0', JSON.stringify(r));
  assert.match(r.values?.err ?? '', /division by zero/);

  // A float result; then a step inside main drops the scope.
  stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  tid = tidOf(await stopped);
  tid = tidOf(await stepAndWait(dc, 'stepOut', tid));
  assert.deepEqual((await returned(dc, tid)).values, { '~r0': '2.5' });
  tid = tidOf(await stepAndWait(dc, 'next', tid));
  assert.equal((await returned(dc, tid)).values, undefined);

  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exit, 0);
  assert.equal(out.stdout(), 'left 42 3 <nil> division by zero 2.5\n');
});
