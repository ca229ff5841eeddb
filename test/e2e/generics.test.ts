/**
 * Generics over real DAP on testdata/generics: Go compiles a generic function
 * once per shape (main.sumOf[go.shape.int], [go.shape.int32],
 * [go.shape.float64], the last shared by float64 and Celsius), and each body
 * is a function of its own in the binary. A function breakpoint by any of the
 * names a user types (`sumOf`, `main.sumOf`, `main.sumOf[...]`) and a line
 * breakpoint inside the body are each one verified breakpoint that stops in
 * every instantiation. Frames carry the instantiation's symbol, as Delve names
 * them; values of generic types carry their type arguments, as the program's
 * own %T and %#v print them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, goBin } from '../support/goBuild.js';
import { byName, marks, oracleLines, scopeVars, sharpV, topFrame } from '../values/support.js';

const { source, line: L } = marks('generics');
const clients: StartedClient[] = [];
after(() => Promise.all(clients.map((c) => c.close())));

/** Entry addresses of the instantiations, from `go tool nm` (not our decoder). */
function instantiations(binary: string, generic: RegExp): string[] {
  const nm = execFileSync(goBin(), ['tool', 'nm', binary], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return nm
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === 'T' && generic.test(f[2] ?? ''))
    .map((f) => f[2]!)
    .sort();
}

test('function breakpoints by every name of a generic function bind all its instantiations', async () => {
  const binary = buildFixture('generics');
  assert.deepEqual(instantiations(binary, /^main\.sumOf\[/), ['main.sumOf[go.shape.float64]', 'main.sumOf[go.shape.int32]', 'main.sumOf[go.shape.int]']);
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  // >> setFunctionBreakpoints(sumOf, main.sumOf, main.sumOf[...], main.(*Stack).Push, main.sumOf[int])
  const firstStop = waitStopped(dc, 60_000);
  const [fnBps] = await configure(
    dc,
    'launch',
    { mode: 'exec', program: binary },
    [],
    ['sumOf', 'main.sumOf', 'main.sumOf[...]', 'main.(*Stack).Push', 'main.sumOf[int]'],
  );
  // << each verified on the func line (the one line all instantiations share); the
  // shape-less `main.sumOf[int]` is no symbol of the binary: unverified, with the reason.
  assert.deepEqual(
    fnBps!.map((b) => [b.verified, b.line]),
    [
      [true, L.sumEntry],
      [true, L.sumEntry],
      [true, L.sumEntry],
      [true, L.pushEntry],
      [false, undefined],
    ],
  );
  assert.equal(
    fnBps![4]!.message,
    'No function named main.sumOf[int] in the program: Go compiles one body per shape, ' +
      'main.sumOf[go.shape.float64], main.sumOf[go.shape.int32], main.sumOf[go.shape.int]; main.sumOf[...] stops in all of them',
  );

  // << stopped(function breakpoint) in the method of the generic type, called from main.
  let ev = await firstStop;
  assert.equal(ev.body.reason, 'function breakpoint');
  let tid = tidOf(ev);
  assert.deepEqual(render(await frames(dc, tid), 2), [`main.(*Stack[go.shape.string]).Push main.go:${L.pushEntry}`, `main.main main.go:${L.pushCall}`]);
  const pushLocals = await scopeVars(dc, await topFrame(dc, tid));
  assert.deepEqual([byName(pushLocals, 'x').value, byName(pushLocals, 'x').type], ['"one"', 'string']);

  // >> setFunctionBreakpoints(sumOf) alone, continue ×4: one stop in each call, each in the
  // instantiation of its shape (Celsius's shape is float64's), called from its own line.
  const only = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'sumOf' }] });
  assert.deepEqual(
    only.body.breakpoints.map((b) => [b.verified, b.line]),
    [[true, L.sumEntry]],
  );
  const calls: [string, number][] = [
    ['int', L.callInt!],
    ['int32', L.callInt32!],
    ['float64', L.callFloat!],
    ['float64', L.callCelsius!],
  ];
  const xs: string[] = [];
  for (const [shape, callLine] of calls) {
    ev = await stepAndWait(dc, 'continue', tid);
    assert.equal(ev.body.reason, 'function breakpoint');
    tid = tidOf(ev);
    assert.deepEqual(render(await frames(dc, tid), 2), [`main.sumOf[go.shape.${shape}] main.go:${L.sumEntry}`, `main.main main.go:${callLine}`]);
    xs.push(byName(await scopeVars(dc, await topFrame(dc, tid)), 'xs').value);
  }
  // The slices as the program built them, typed by the call's type argument (read from the
  // instantiation's dictionary: the float64 shape's body shows []main.Celsius, as Delve does).
  assert.deepEqual(xs, [
    '[]int len: 3, cap: 3, [1,2,3]',
    '[]int32 len: 2, cap: 2, [4,5]',
    '[]float64 len: 2, cap: 2, [1.5,2.25]',
    '[]main.Celsius len: 2, cap: 2, [10,0.5]',
  ]);

  // >> setFunctionBreakpoints([]), continue, << the program's own output, exited(15)
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 15);
  assert.match(out.stdout(), /^sums 6 9 3.75 10.5$/m);
});

test('a line breakpoint in a generic body is one breakpoint at every instantiation', async () => {
  const binary = buildFixture('generics');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  // >> setBreakpoints(BP:values, BP:sumBody), configurationDone
  const firstStop = waitStopped(dc, 60_000);
  const [bps] = await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: source, lines: [L.values!, L.sumBody!] }]);
  assert.deepEqual(
    bps!.map((b) => [b.verified, b.line]),
    [
      [true, L.values],
      [true, L.sumBody],
    ],
  );

  // << stopped(breakpoint) at BP:values: values of generic types as the program printed them.
  let ev = await firstStop;
  let tid = tidOf(ev);
  const oracle = oracleLines(out.stdout());
  const locals = await scopeVars(dc, await topFrame(dc, tid));
  for (const name of ['p', 'q', 's', 'ns']) {
    const printed = oracle.get(name)!;
    const [type, value] = [printed.slice(0, printed.indexOf(' ')), printed.slice(printed.indexOf(' ') + 1)];
    const v = byName(locals, name);
    assert.equal(v.type, type, `${name}'s type`);
    assert.equal(await sharpV(dc, v), value, name);
  }
  assert.equal(byName(locals, 'p').value, 'main.Pair[string,int] {Key: "a", Val: 1}');

  // >> continue ×9, << stopped(breakpoint) at BP:sumBody once per element, in each instantiation.
  const seen: string[] = [];
  for (let k = 0; k < 9; k++) {
    ev = await stepAndWait(dc, 'continue', tid);
    assert.equal(ev.body.reason, 'breakpoint');
    tid = tidOf(ev);
    const [top] = await frames(dc, tid, 1);
    assert.equal(top!.line, L.sumBody);
    const x = byName(await scopeVars(dc, await topFrame(dc, tid)), 'x').value;
    seen.push(`${top!.name} x=${x}`);
  }
  assert.deepEqual(seen, [
    'main.sumOf[go.shape.int] x=1',
    'main.sumOf[go.shape.int] x=2',
    'main.sumOf[go.shape.int] x=3',
    'main.sumOf[go.shape.int32] x=4',
    'main.sumOf[go.shape.int32] x=5',
    'main.sumOf[go.shape.float64] x=1.5',
    'main.sumOf[go.shape.float64] x=2.25',
    'main.sumOf[go.shape.float64] x=10',
    'main.sumOf[go.shape.float64] x=0.5',
  ]);

  // >> continue, << exited(15): nothing more stopped it.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 15);
  assert.match(out.stdout(), /^sums 6 9 3.75 10.5$/m);
});
