/**
 * breakpointLocations and column breakpoints over DAP on testdata/navigate:
 * a line with two function literals has three positions (the assignment and
 * each literal's body); a breakpoint set at a literal's column stops in that
 * literal only; a plain line has one position at its first token.
 */
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, frames, render, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { columnOf, lineOf, mainGo } from '../support/navigateFixture.js';

let binary: string;
let c: StartedClient | undefined;

const closures = lineOf('closures');
const incBody = columnOf(closures, 'return v + 1');
const decBody = columnOf(closures, 'return v - 1');

before(() => {
  binary = buildFixture('navigate');
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function launched() {
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: binary } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  return { dc, out };
}

async function locations(dc: StartedClient['dc'], args: Omit<DebugProtocol.BreakpointLocationsArguments, 'source'>) {
  const r = (await dc.send('breakpointLocations', { source: { path: mainGo }, ...args })) as DebugProtocol.BreakpointLocationsResponse;
  return r.body.breakpoints.map((b) => [b.line, b.column]);
}

test('initialize declares breakpointLocations', async () => {
  c = await startAdapterClient();
  const r = await c.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  assert.equal(r.body?.supportsBreakpointLocationsRequest, true);
});

test('a line with two function literals has three positions; a plain line one; a comment line none', async () => {
  const { dc } = await launched();
  // >> breakpointLocations(line of the closures) << the assignment, inc's body, dec's body
  assert.deepEqual(await locations(dc, { line: closures }), [
    [closures, columnOf(closures, 'inc, dec')],
    [closures, incBody],
    [closures, decBody],
  ]);
  const calls = lineOf('calls');
  assert.deepEqual(await locations(dc, { line: calls }), [[calls, columnOf(calls, 'r :=')]]);
  assert.deepEqual(await locations(dc, { line: 1 }), []);
  // A range from the if block's closing brace (no code of its own) on: each line with code once, the closures line three times.
  const all = await locations(dc, { line: closures - 1, endLine: closures + 2 });
  assert.deepEqual(
    all.map(([l]) => l),
    [closures, closures, closures, closures + 1, closures + 2],
  );
  // Columns bound the first and last lines of the range.
  assert.deepEqual(await locations(dc, { line: closures, column: incBody, endLine: closures, endColumn: incBody }), [[closures, incBody]]);
});

test("a breakpoint at dec's column stops in dec only; the enclosing statement's column stops in main", async () => {
  const { dc, out } = await launched();
  // >> setBreakpoints(closures line, column of dec's body) << verified at that column
  const r = await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [{ line: closures, column: decBody }] });
  const bp = r.body.breakpoints[0]!;
  assert.equal(bp.verified, true);
  assert.equal(bp.line, closures);
  assert.equal(bp.column, decBody);
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  // << stopped(breakpoint) in main.main.func2 (inc, called first, did not stop)
  const ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint');
  const tid = tidOf(ev);
  assert.deepEqual(render(await frames(dc, tid, 2)), [`main.main.func2 main.go:${closures}`, `main.main main.go:${lineOf('closurecalls')}`]);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /^closures 2 0$/m);
});

test("a breakpoint at the line's first column stops in main, before the literals run", async () => {
  const { dc } = await launched();
  const r = await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [{ line: closures, column: 1 }] });
  assert.equal(r.body.breakpoints[0]!.verified, true);
  assert.equal(r.body.breakpoints[0]!.column, columnOf(closures, 'inc, dec'));
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  const ev = await stopped;
  assert.deepEqual(render(await frames(dc, tidOf(ev), 1)), [`main.main main.go:${closures}`]);
  // The same breakpoint does not stop again in the literals: continue ends the program.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0);
});
