/**
 * Optimised code (built without -N -l) over real DAP on testdata/optimised:
 * scaled is inlined into first (through twice) and into second, so its lines
 * have no function of their own. A breakpoint on an inlined line binds at
 * every copy; inlined calls are frames of their own, named, at their call
 * lines; a variable is shown with the program's value where DWARF locates it,
 * and marked unavailable with the reason where it does not; `next` follows the
 * statement boundaries (is_stmt) of the line table; the console says once
 * that the binary is optimised. The expected stacks and step lines are what
 * Delve 1.27 shows at the same stops (checked by hand with dlv exec).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { marks } from '../values/support.js';

const { source, line: L } = marks('optimised');
const OPTIMISED = { flags: [] as string[] };
const NOTE = 'built with optimisations';
const clients: StartedClient[] = [];
after(() => Promise.all(clients.map((c) => c.close())));

/** The Locals (arguments and locals) of frame `index`, as `name=value`. */
async function localsAt(dc: DebugClient, tid: number, index: number): Promise<Map<string, string>> {
  const frame = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[index]!;
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const out = new Map<string, string>();
  for (const s of scopes.filter((x) => x.name === 'Locals' || x.name === 'Arguments')) {
    const vars: DebugProtocol.Variable[] = (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
    for (const v of vars) out.set(v.name, v.value);
  }
  return out;
}

/** Each variable holds what the program holds, or says why it cannot: never a wrong value, never an error. */
function assertHeldOrUnavailable(shown: Map<string, string>, want: Record<string, string>, where: string): void {
  for (const [name, value] of shown) {
    if (name.startsWith('~')) continue; // results: not assigned before the return
    assert.ok(name in want, `${where}: unexpected variable ${name}=${value}`);
    if (value !== want[name]) assert.match(value, /^<(optimized out|unavailable: .+)>$/, `${where}: ${name}=${value}`);
  }
}

test('a breakpoint on an inlined line binds at every copy; inlined calls are frames of their own', async () => {
  const binary = buildFixture('optimised', OPTIMISED);
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  // >> setBreakpoints(BP:scaledBody), configurationDone
  const firstStop = waitStopped(dc, 60_000);
  const [bps] = await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: source, lines: [L.scaledBody!] }]);
  // << one verified breakpoint on the line, though scaled has no code of its own.
  assert.deepEqual(
    bps!.map((b) => [b.verified, b.line]),
    [[true, L.scaledBody]],
  );

  // << stopped(breakpoint) in the copy inlined into first through twice: four frames at one PC.
  let ev = await firstStop;
  assert.equal(ev.body.reason, 'breakpoint');
  let tid = tidOf(ev);
  assert.deepEqual(render(await frames(dc, tid), 4), [
    `main.scaled main.go:${L.scaledBody}`,
    `main.twice main.go:${L.twiceBody}`,
    `main.first main.go:${L.firstCall}`,
    `main.main main.go:${L.callFirst}`,
  ]);
  // first(4) → twice(4) → scaled(4, 2): the values where DWARF locates them.
  const inScaled = await localsAt(dc, tid, 0);
  assertHeldOrUnavailable(inScaled, { x: '4', k: '2' }, 'scaled in first');
  assert.equal(inScaled.get('x'), '4', 'x, located by DWARF (Delve shows x = 4 here)');
  assertHeldOrUnavailable(await localsAt(dc, tid, 1), { x: '4' }, 'twice');
  assertHeldOrUnavailable(await localsAt(dc, tid, 2), { n: '4' }, 'first');

  // >> continue, << stopped(breakpoint) in the copy inlined into second.
  ev = await stepAndWait(dc, 'continue', tid);
  assert.equal(ev.body.reason, 'breakpoint');
  tid = tidOf(ev);
  assert.deepEqual(render(await frames(dc, tid), 3), [
    `main.scaled main.go:${L.scaledBody}`,
    `main.second main.go:${L.secondCall}`,
    `main.main main.go:${L.callSecond}`,
  ]);
  const inSecond = await localsAt(dc, tid, 0);
  assertHeldOrUnavailable(inSecond, { x: '6', k: '5' }, 'scaled in second');
  assert.equal(inSecond.get('x'), '6');

  // >> continue, << exited((12 + 31 + 16) % 100): no third copy stopped it; the note was said once.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 59);
  assert.match(out.stdout(), /^first 12 second 31 walk 16$/m);
  assert.equal(out.console().split(NOTE).length - 1, 1, `the one-time note: ${out.console()}`);
});

test('next in optimised code follows the statement boundaries of the line table', async () => {
  const binary = buildFixture('optimised', OPTIMISED);
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  // >> setFunctionBreakpoints(main.walk), configurationDone, << stopped(function breakpoint)
  const firstStop = waitStopped(dc, 60_000);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [], ['main.walk']);
  let tid = tidOf(await firstStop);
  const lines = [(await frames(dc, tid, 1))[0]!.line];
  const locals: Map<string, string>[] = [await localsAt(dc, tid, 0)];
  // >> next until the return line, << stopped(step) each time, still in main.walk.
  while (lines.at(-1) !== L.walkReturn && lines.length < 30) {
    const ev = await stepAndWait(dc, 'next', tid);
    assert.equal(ev.body.reason, 'step');
    tid = tidOf(ev);
    const [top] = await frames(dc, tid, 1);
    assert.equal(top!.name, 'main.walk', `after ${lines.join(',')}: ${render(await frames(dc, tid, 3)).join(' < ')}`);
    lines.push(top!.line);
    locals.push(await localsAt(dc, tid, 0));
  }
  // The lines Delve's `next` visits from the same breakpoint: the func line, then per element
  // the range line, the `if`, the branch taken (odd: -=, even: +=), then the Println and return.
  const S = L.walkStart!;
  const [forLine, ifLine, addLine, subLine] = [S + 1, S + 2, S + 3, S + 5];
  const perElement = (x: number) => [forLine, ifLine, x % 2 === 0 ? addLine : subLine];
  assert.deepEqual(lines, [S - 1, ...[1, 2, 3, 4].flatMap(perElement), forLine, L.walkReturn! - 1, L.walkReturn]);

  // xs is the slice throughout; inside the loop body (the `if` and the branch) x is the element
  // and total the sum of the elements before it (odd ones subtracted); after the loop total is
  // 16. (On the `for` line x and total are between two iterations: not checked.) Each is shown so where
  // DWARF locates it, or marked unavailable; the loop's registers are located in the body.
  const XS = '[]int len: 4, cap: 4, [1,2,3,4]';
  const before = [0, -1, 3, 0];
  let located = 0;
  lines.forEach((line, i) => {
    const element = lines.slice(0, i + 1).filter((l) => l === ifLine).length;
    const inBody = line === ifLine || line === addLine || line === subLine;
    const want: Record<string, string> = inBody
      ? { xs: XS, x: String(element), total: String(before[element - 1]) }
      : line > subLine
        ? { xs: XS, total: '16' }
        : { xs: XS };
    const shown = new Map([...locals[i]!].filter(([name]) => line !== forLine || name in want));
    assertHeldOrUnavailable(shown, want, `line ${line}`);
    if (inBody) located += [...shown].filter(([name, value]) => name !== 'xs' && want[name] === value).length;
  });
  assert.ok(located >= 8, `x and total located in the loop body (${located} of 24)`);

  // >> continue, << exited(59)
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 59);
  assert.match(out.stdout(), /^walked 16$/m);
});

test('next from an inlined frame goes on in the function it was inlined into, then returns', async () => {
  const binary = buildFixture('optimised', OPTIMISED);
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  // >> setBreakpoints(BP:scaledBody), configurationDone, << stopped(breakpoint) in scaled inlined into first
  const firstStop = waitStopped(dc, 60_000);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: source, lines: [L.scaledBody!] }]);
  let tid = tidOf(await firstStop);
  assert.equal((await frames(dc, tid, 1))[0]!.name, 'main.scaled');
  // >> next ×3, << stopped(step): first's line (scaled's return folded into it), then main's
  // call line after first returned, then main's next line — where Delve's next stops too.
  const seen: string[] = [];
  for (let k = 0; k < 3; k++) {
    const ev = await stepAndWait(dc, 'next', tid);
    assert.equal(ev.body.reason, 'step');
    tid = tidOf(ev);
    seen.push(render(await frames(dc, tid, 1))[0]!);
  }
  assert.deepEqual(seen, [`main.first main.go:${L.firstCall}`, `main.main main.go:${L.callFirst}`, `main.main main.go:${L.callSecond}`]);
  // >> setBreakpoints([]), continue, << exited(59)
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 59);
});
