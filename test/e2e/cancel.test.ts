/**
 * cancel: a launch that is still building is cancelled by its request id or by
 * its progress id; it fails with "cancelled", the go command and every
 * compiler it started are gone, and the session can launch again. A large
 * variables page is made in slices, so a cancel ends it too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Processes whose environment names `value` (the build's own GOCACHE). */
function processesWith(value: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/environ`, 'latin1').includes(value)) out.push(Number(p));
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const by of ['requestId', 'progressId'] as const) {
  test(`cancel by ${by} ends a launch that is building; the session launches again`, async () => {
    const c = await startAdapterClient();
    clients.push(c);
    const { dc } = c;
    const out = collectOutput(dc);
    const caps = (
      await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsProgressReporting: true })
    ).body;
    assert.equal(caps?.supportsCancelRequest, true);
    // An empty build cache: the standard library is compiled again, which takes long enough to cancel.
    const cache = mkdtempSync(join(tmpdir(), 'gda-cancel-cache-'));
    dirs.push(cache);
    let progress: DebugProtocol.ProgressStartEvent | undefined;
    dc.on('progressStart', (e: DebugProtocol.ProgressStartEvent) => (progress ??= e));
    const seq = (dc as unknown as { sequence: number }).sequence;
    const launched = dc.launchRequest({ mode: 'debug', program: join(testdataDir, 'hello'), env: { GOCACHE: cache } } as DebugProtocol.LaunchRequestArguments);
    await until(() => progress !== undefined && processesWith(cache).length > 0, 30_000, 'the build to start');
    assert.equal(progress!.body.cancellable, true, 'the build progress is cancellable');
    assert.match(progress!.body.title, /^Building /);
    const t0 = Date.now();
    await dc.send('cancel', by === 'requestId' ? { requestId: seq } : { progressId: progress!.body.progressId });
    await assert.rejects(launched, (e: Error) => e.message === 'cancelled');
    assert.ok(Date.now() - t0 < 10_000, 'cancelled at once');
    assert.match(out.console(), /The build was cancelled/);
    await until(() => processesWith(cache).length === 0, 10_000, 'the go command and its compilers to end');

    // The same session launches again.
    const initialized = dc.waitForEvent('initialized', 120_000);
    await dc.launchRequest({ mode: 'debug', program: join(testdataDir, 'hello') } as DebugProtocol.LaunchRequestArguments);
    await initialized;
    const stopped = waitStopped(dc, 60_000);
    await dc.setBreakpointsRequest({ source: { path: join(testdataDir, 'hello', 'main.go') }, breakpoints: [{ line: 24 }] });
    await dc.configurationDoneRequest();
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
    await dc.continueRequest({ threadId: tidOf(ev) });
  });
}

test('cancel of a request that is already answered, or of nothing, succeeds and changes nothing', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  await c.dc.initializeRequest();
  await c.dc.send('cancel', { requestId: 1 });
  await c.dc.send('cancel', { progressId: 'nope' });
  await c.dc.send('cancel', {});
  await assert.rejects(c.dc.send('cancel', { requestId: 'x' }), /requestId/);
});

test('a large variables page is made in slices: whole and right when left alone, "cancelled" when cancelled', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const stopped = waitStopped(dc, 60_000);
  await configure(dc, 'launch', { mode: 'exec', program: buildFixture('benchvalues') }, [{ path: join(testdataDir, 'benchvalues', 'main.go'), lines: [15] }]);
  const tid = tidOf(await stopped);
  const frameId = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.id;
  const locals = (await dc.variablesRequest({ variablesReference: (await dc.scopesRequest({ frameId })).body.scopes[0]!.variablesReference })).body.variables;
  const s = locals.find((v) => v.name === 's')!;
  const m = locals.find((v) => v.name === 'm')!;

  // Unpaged: the first 10,000 elements, in order, as one answer.
  const elems = (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
  assert.equal(elems.length, 10_000);
  assert.ok(
    elems.every((v, i) => v.name === `[${i}]` && v.value === String(i)),
    'every element i is i',
  );
  const entries = (await dc.variablesRequest({ variablesReference: m.variablesReference })).body.variables;
  assert.equal(entries.length, 10_000);
  const keys = new Set<string>();
  for (const e of entries) {
    const k = /^\[(\d+)\]$/.exec(e.name)?.[1] ?? e.name;
    keys.add(k);
    assert.equal(e.value, String(2 * Number(k)), `m[${k}] is 2k`);
  }
  assert.equal(keys.size, 10_000, 'no entry twice');
  const paged = (await dc.variablesRequest({ variablesReference: s.variablesReference, filter: 'indexed', start: 123_456, count: 3000 })).body.variables;
  assert.deepEqual(
    paged.map((v) => v.value),
    Array.from({ length: 3000 }, (_, i) => String(123_456 + i)),
  );

  // Cancelled by its seq right after it was sent.
  const seq = (dc as unknown as { sequence: number }).sequence;
  const page = dc.variablesRequest({ variablesReference: s.variablesReference });
  await dc.send('cancel', { requestId: seq });
  await assert.rejects(page, (e: Error) => e.message === 'cancelled');
  // The session goes on: the same page again.
  assert.equal((await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables.length, 10_000);
});
