/**
 * What a function call changes in the threads list and the stack, over real
 * DAP on testdata/fncallthreads: a call that starts a goroutine shows it in
 * the next threads answer; a call that grows a stack leaves the stopped
 * goroutine's frames and locals as they were. Calls after the first find
 * their goroutine through R14, without the goroutine table; these tests check
 * that nothing read before a call is shown after it. The program's own output
 * then says what the calls did.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { StartedClient } from '../support/adapterClient.js';
import { frames, render, waitExit } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'fncallthreads', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

test('a goroutine started by a call is in the next threads answer; the program runs it', async () => {
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const s = await stopAtLine(buildFixture('fncallthreads'), mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string) => (await dc.evaluateRequest({ expression, frameId: s.frameId, context: 'repl' })).body.result;
  // A goroutine started by `go parked(n)`: named after parked, or after the wrapper the compiler makes for a go statement with arguments (Go 1.26: main.spawn.gowrap1, runnable).
  const parkedThreads = async () => (await dc.threadsRequest()).body.threads.filter((t) => /\bmain\.(parked|spawn\.gowrap\d+)\b/.test(t.name));

  // >> threads; << no goroutine of parked yet.
  assert.deepEqual(await parkedThreads(), []);
  // >> evaluate spawn(7); << 1
  assert.equal(await evaluate('spawn(7)'), '1');
  // >> threads; << the new goroutine.
  const one = await parkedThreads();
  assert.equal(one.length, 1, JSON.stringify(one));
  // >> evaluate spawn(8) (found through R14 after the first call); << 2, and a second goroutine in the list.
  assert.equal(await evaluate('spawn(8)'), '2');
  const two = await parkedThreads();
  assert.equal(two.length, 2, JSON.stringify(two));
  assert.ok(two.some((t) => t.id === one[0]!.id));
  // The stopped goroutine is still where it was.
  assert.deepEqual(render(await frames(dc, s.tid, 2)), [`main.inner main.go:${stopLine}`, 'main.main main.go:63']);

  // >> continue; << the program receives from both goroutines: 7 + 8.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), 'before 42 2\nat 42 b\nafter 42 2 15\nend 41\n');
});

test('a call that grows a stack leaves the stopped frames and locals as they were', async () => {
  const s = await stopAtLine(buildFixture('fncallthreads'), mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string, frameId = s.frameId) => (await dc.evaluateRequest({ expression, frameId, context: 'repl' })).body.result;

  // >> stackTrace, scopes, variables before any call.
  const before = await dc.stackTraceRequest({ threadId: s.tid });
  const shown = before.body.stackFrames.map((f) => `${f.name}:${f.line}`);
  assert.deepEqual(shown.slice(0, 2), [`main.inner:${stopLine}`, 'main.main:63']);
  // >> evaluate depth(…) twice: 5,000 and 20,000 frames of about 1 KiB (the stack of the call grows to MiBs).
  assert.equal(await evaluate('depth(5000)'), '5000');
  assert.equal(await evaluate('depth(20000)'), '20000');
  // >> stackTrace; << the same frames, with new ids for a new stop state.
  const after = await dc.stackTraceRequest({ threadId: s.tid });
  assert.deepEqual(
    after.body.stackFrames.map((f) => `${f.name}:${f.line}`),
    shown,
  );
  // >> scopes + variables of frame 0 and frame 1; << the locals the program holds.
  const locals = async (frameId: number) => {
    const sc = (await dc.scopesRequest({ frameId })).body.scopes.find((x) => x.name === 'Locals')!;
    const vs = (await dc.variablesRequest({ variablesReference: sc.variablesReference })).body.variables;
    return Object.fromEntries(vs.map((v) => [v.name, v.value]));
  };
  const f0 = after.body.stackFrames[0]!.id;
  const f1 = after.body.stackFrames[1]!.id;
  const l0 = await locals(f0);
  assert.equal(l0.x, '41');
  assert.equal(l0.y, '42');
  const l1 = await locals(f1);
  assert.equal(l1.local, '41');
  assert.match(l1.words!, /len: 2/);
  // >> evaluate in the caller's frame after a call, then a call again: the frames are the program's.
  assert.equal(await evaluate('words[1]', f1), '"b"');
  assert.equal(await evaluate('depth(y) + x', f0), '83');
  // After the calls, as before them: an argument pointing into the stopped goroutine's stack is refused.
  await assert.rejects(evaluate('deref(&y)', f0), /cannot pass &y to deref: it points into a goroutine's stack/);
  await assert.rejects(evaluate('deref(&local)', f1), /cannot pass &local to deref: it points into a goroutine's stack/);

  // >> continue; << the program goes on as if no call had happened.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), 'before 42 2\nat 42 b\nafter 42 0 0\nend 41\n');
});
