/**
 * Just My Code over DAP on testdata/jmcmod (a module of its own with a
 * vendored dependency, example.com/shapes): stepIn passes through the
 * standard library and vendored code but stops where they call the user's
 * code back; stepOut of a callback goes on to the user's frame; `next` off
 * the end of a goroutine's function ends with a note; library frames are
 * subtle in the Call Stack. With justMyCode false, stepIn enters them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, before, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitStopped } from '../support/dap.js';
import { buildJmcModule, jmcModuleDir } from '../support/moduleFixture.js';

const mainGo = join(jmcModuleDir, 'main.go');
let binary: string;
let c: StartedClient | undefined;

before(() => {
  binary = buildJmcModule();
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function startAt(line: number, extra: Record<string, unknown> = {}) {
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary, ...extra }, [{ path: mainGo, lines: [line] }]);
  const ev = await stopped;
  return { dc, tid: tidOf(ev), out };
}

test('stepIn over a standard-library call stops on the next line of main, not in strings', async () => {
  // >> setBreakpoints main.go:26 (strings.Repeat), << stopped(breakpoint)
  const { dc, tid } = await startAt(26);
  // >> stepIn, << stopped(step) at main.go:27
  const ev = await stepAndWait(dc, 'stepIn', tid);
  assert.equal(ev.body.reason, 'step');
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['main.main main.go:27']);
});

test('stepIn through a vendored function stops in the user callback it calls; its frame is subtle', async () => {
  // main.go:27 is n := shapes.Apply(double, 3): Apply is vendored, double is ours.
  const { dc, tid } = await startAt(27);
  // >> stepIn, << stopped(step) in main.double, called from shapes.Apply
  const ev = await stepAndWait(dc, 'stepIn', tid);
  const r = await dc.stackTraceRequest({ threadId: tidOf(ev), startFrame: 0, levels: 4 });
  const fs = r.body.stackFrames;
  assert.deepEqual(
    fs.slice(0, 3).map((f) => `${f.name}:${f.line}`),
    ['main.double:16', 'example.com/shapes.Apply:6', 'main.main:27'],
  );
  const hints = (f: DebugProtocol.StackFrame) => [f.presentationHint ?? 'normal', f.source?.presentationHint ?? 'normal'];
  assert.deepEqual(hints(fs[0]!), ['normal', 'normal']);
  assert.deepEqual(hints(fs[1]!), ['subtle', 'deemphasize'], 'the vendored frame is library code');
  assert.deepEqual(hints(fs[2]!), ['normal', 'normal']);
  assert.match(fs[1]!.source!.path!, /vendor\/example\.com\/shapes\/shapes\.go$/);
  // >> stepOut of double returns into Apply (library): << stopped(step) back in main.main on the call line
  const back = await stepAndWait(dc, 'stepOut', tidOf(ev));
  assert.deepEqual(render(await frames(dc, tidOf(back)), 1), ['main.main main.go:27']);
  // The program sees the step as nothing: it goes on and prints its result (Apply(double, 3) = 7).
});

test('stepIn on sort.Slice stops in the less closure the standard library calls', async () => {
  const { dc, tid } = await startAt(29);
  // >> stepIn, << stopped(step) in main.main.func1 (the closure), below sort's frames
  const ev = await stepAndWait(dc, 'stepIn', tid);
  const fs = await frames(dc, tidOf(ev));
  assert.deepEqual(render(fs, 1), ['main.main.func1 main.go:29']);
  assert.ok(
    fs.slice(1).some((f) => f.name.startsWith('sort.')),
    `called from sort: ${render(fs, 6).join(', ')}`,
  );
});

test('next off the end of a goroutine’s function ends the step with a note, and the program goes on', async () => {
  // >> setBreakpoints main.go:23 (worker's closing brace), << stopped(breakpoint)
  const { dc, tid, out } = await startAt(23);
  // >> next: worker returns into the go statement's wrapper, then runtime.goexit:
  // << output(console: the note), stopped(step) on the same goroutine, no user frame left
  const ev = await stepAndWait(dc, 'next', tid);
  assert.equal(ev.body.reason, 'step');
  assert.equal(tidOf(ev), tid, 'the stop is on the stepped goroutine');
  assert.match(out.console(), /main\.worker returned: this goroutine has finished its work/);
  const fs = (await dc.stackTraceRequest({ threadId: tid, startFrame: 0 })).body.stackFrames;
  assert.deepEqual(
    fs.map((f) => [f.name, f.presentationHint]),
    [
      ['main.main.gowrap1', 'subtle'],
      ['runtime.goexit', 'subtle'],
    ],
  );
  // >> continue, << exited: the program prints its line (the goroutine's send happened)
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: tid });
  await exited;
  assert.match(out.stdout(), /^xyxyxy 7 \[1 2 3\] abab$/m);
});

test('with justMyCode false, stepIn enters the vendored function', async () => {
  const { dc, tid } = await startAt(27, { justMyCode: false });
  // >> stepIn, << stopped(step) in shapes.Apply
  let ev = await stepAndWait(dc, 'stepIn', tid);
  const fs = (await dc.stackTraceRequest({ threadId: tidOf(ev), startFrame: 0, levels: 2 })).body.stackFrames;
  assert.deepEqual(
    fs.map((f) => `${f.name}:${f.line}`),
    ['example.com/shapes.Apply:5', 'main.main:27'],
  );
  assert.equal(fs[0]!.presentationHint, undefined, 'without Just My Code only the runtime is subtle');
  // >> stepOut, << stopped(step) back on the call line
  ev = await stepAndWait(dc, 'stepOut', tidOf(ev));
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['main.main main.go:27']);
});
