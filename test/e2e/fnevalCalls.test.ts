/**
 * Function calls in `evaluate` over real DAP on testdata/fneval (built -N
 * -l): plain Go call expressions run on the stopped goroutine by the
 * runtime's debugCallV2 protocol, their results shown as values, a panic as
 * the error `panic: …`; calls refused in a hover and in a breakpoint
 * condition. After the calls the program is resumed and its own output
 * checked: it prints what it prints without them (or, for the one call that
 * writes, what that call wrote).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StartedClient } from '../support/adapterClient.js';
import { startAdapterClient } from '../support/adapterClient.js';
import { collectOutput, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'fneval', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');
const FIRST = '5 hello, x 2.5 1.5 6 gopher\n4 square my error 42 counter c=3 11 3 25 21.5°C\n9 5\n';
const NORMAL = `${FIRST}counter 3 base 10 32\nafter 3 10 1 4 1\n`;

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

type Body = DebugProtocol.EvaluateResponse['body'];

test('evaluate calls functions, methods, interface methods and closures; the program goes on unchanged', async () => {
  const binary = buildFixture('fneval');
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string, context = 'repl'): Promise<Body> => (await dc.evaluateRequest({ expression, frameId: s.frameId, context })).body;
  const result = async (expression: string) => (await evaluate(expression)).result;
  const refused = (expression: string, re: RegExp, context = 'repl') =>
    assert.rejects(evaluate(expression, context), (e: Error) => {
      assert.match(e.message, re, expression);
      return true;
    });

  // >> evaluate(repl) of calls; << their results, as Go would print them.
  assert.equal(await result('add(2, 3)'), '5');
  assert.equal((await evaluate('add(2, 3)')).type, 'int');
  assert.equal(await result('greet("x")'), '"hello, x"');
  assert.equal(await result('half(5)'), '2.5');
  assert.equal(await result('halve32(3)'), '1.5');
  assert.equal(await result('ints10(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)'), '55');
  assert.equal(await result('floats16(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)'), '136');
  assert.equal(await result('mixed(1, 2.5, "square", true, 7, 0.5)'), '18');
  assert.equal(await result('withBig(1, 2, 3, 4, main.Big{F: 6}, 5)'), '12');
  // Functions of other packages, by package name.
  assert.equal(await result('strconv.Itoa(42)'), '"42"');
  assert.equal(await result('strings.ToUpper(greet("x"))'), '"HELLO, X"');
  // Methods: value and pointer receivers, &v taken for an addressable variable, *p for a pointer, promoted ones.
  assert.equal(await result('pt.Dist2()'), '25');
  assert.equal(await result('pt.Scale(2)'), 'main.Point {X: 6, Y: 8}');
  assert.equal(await result('pc.Value()'), '3');
  assert.equal(await result('named.Describe(5)'), '"outer:5"');
  assert.equal(await result('named.Value()'), '7');
  assert.equal(await result('temp.String()'), '"21.5°C"');
  // Interface methods through the itab: error, fmt.Stringer, a program interface.
  assert.equal(await result('err.Error()'), '"my error 42"');
  assert.equal(await result('stringer.String()'), '"counter c=3"');
  assert.equal(await result('shape.Area()'), '4');
  assert.equal(await result('shape.Name()'), '"square"');
  assert.equal(await result('wrapped.String()'), '"counter c=3"'); // promoted from an embedded interface
  // A closure: RDX holds its funcval, so it sees the captured base.
  assert.equal(await result('addBase(1)'), '11');
  // A variadic function with an existing slice; Delve's `call` prefix.
  assert.equal(await result('sum(xs...)'), '6');
  assert.equal(await result('call add(1, 2)'), '3');
  // Calls as operands, and a call's result passed to a call.
  assert.equal(await result('add(1, 2) + 1'), '4');
  assert.equal(await result('len(name())'), '6');
  assert.equal(await result('stringer.String() == "counter c=3"'), 'true');
  assert.equal(await result('greet(name())'), '"hello, gopher"');
  // Several results at the top: one value with each result as a child.
  const dm = await evaluate('divmod(7, 2)');
  assert.equal(dm.result, '3, 1'); // as Delve's `call divmod(7, 2)`; the results by name are its children
  assert.ok(dm.variablesReference > 0);
  const kids = (await dc.variablesRequest({ variablesReference: dm.variablesReference })).body.variables;
  assert.deepEqual(
    kids.map((v) => `${v.name}=${v.value}`),
    ['~r0=3', '~r1=1'],
  );
  assert.equal(await result('nothing()'), '');
  // Results past the registers come from the call's frame: a Point and a Big after R11, an array of three.
  assert.equal(
    await result('manyResults()'),
    '1, "two", 3, []int len: 0, cap: 0, nil, error nil, main.Point {X: 4, Y: 5}, main.Big {A: 0, B: 0, C: 0, D: 0, E: 0, F: 6}',
  );
  assert.equal(await result('arrayResult(7)'), '[3]int [7,7,7]');
  // Stack arguments: a struct holding an array; small integers and a [2]byte.
  assert.equal(await result('withStructs(main.Pair{1, 0.5}, main.Point{2, 3}, main.WithArr{4, [2]int{5, 6}})'), '8.5');
  assert.equal(await result('smallArgs(true, -2, 300, 70000, 200, [2]byte{1, 9}, 5)'), '70512');
  // A method of a call's result.
  assert.equal(await result('fails(7).Error()'), '"my error 7"');

  // >> what cannot be done: << success: false, the reason.
  await refused('boom("square")', /^panic: square$/);
  await refused('boomErr()', /^panic: wrapped failure$/);
  await refused('boomMine(7)', /^panic: my error 7$/);
  await refused('idx(xs, 5)', /^panic: runtime error: index out of range \[5\] with length 3$/);
  // A nil func called inside the call: the runtime's own SIGSEGV turned into a panic.
  await refused('withSlice(xs, nil, nil, nil)', /^panic: runtime error: invalid memory address or nil pointer dereference$/);
  // The closure's funcval is on the stack (the compiler kept it there): not passed to a function that might keep it.
  await refused('withSlice(xs, nil, nil, addBase)', /cannot pass addBase to withSlice: it points into a goroutine's stack/);
  await refused('sum(1, 2, 3)', /would allocate a \[\]int in the program/);
  // Pointers into the stack must not reach the call (it might keep them): &local for a pointer method, a stack array.
  assert.equal(await result('local.Dist2()'), '5');
  await refused('local.Scale(3)', /cannot pass the receiver local to local\.Scale: it points into a goroutine's stack/);
  await refused('sum(stackXs...)', /cannot pass stackXs to sum: it points into a goroutine's stack/);
  await refused('withIface(nil, nil, &local)', /cannot pass &local to withIface: it points into a goroutine's stack/);
  await refused('divmod(7, 2) + 1', /multiple-value divmod\(7, 2\) \(value of type \(int, int\)\) in single-value context/);
  await refused('add(1)', /not enough arguments in call to add\n\thave \(number\)\n\twant \(int, int\)/);
  await refused('add(2, 3)', /function calls are not allowed in this context/, 'hover');

  // The stop is still the same: frame 0 at the breakpoint line, locals as before.
  const st = await dc.stackTraceRequest({ threadId: s.tid, levels: 1 });
  assert.equal(st.body.stackFrames[0]!.line, stopLine);
  assert.equal(await result('counter.n'), '3');
  assert.equal(await result('base'), '10');

  // >> continue; << the program prints what it prints without the calls, and exits 0.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), NORMAL);
});

test('a Go 1.22 build: the same calls (its func types list their results as *T parameters in DWARF)', async () => {
  const binary = buildFixture('fneval', { env: { GOTOOLCHAIN: 'go1.22.12' } });
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const result = async (expression: string) => (await dc.evaluateRequest({ expression, frameId: s.frameId, context: 'repl' })).body.result;
  assert.equal(await result('add(2, 3)'), '5');
  assert.equal(await result('addBase(1)'), '11');
  assert.equal(await result('divmod(7, 2)'), '3, 1');
  assert.equal(await result('greet("x")'), '"hello, x"');
  assert.equal(await result('err.Error()'), '"my error 42"');
  assert.equal(await result('shape.Area()'), '4');
  assert.equal(await result('floats16(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)'), '136');
  await assert.rejects(dc.evaluateRequest({ expression: 'boomMine(3)', frameId: s.frameId, context: 'repl' }), /panic: my error 3/);
  // >> continue; << the program's own output, unchanged.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), NORMAL);
});

test('a call that writes: the program sees what it wrote', async () => {
  const binary = buildFixture('fneval');
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  // Warm-up without a call: the name index of functions and methods, built once per session.
  const w0 = performance.now();
  assert.match((await dc.evaluateRequest({ expression: 'pc.Add', frameId: s.frameId, context: 'repl' })).body.result, /Add/);
  const warm = performance.now() - w0;
  // >> evaluate pc.Add(5) (a pointer method: counter.n += 5); << 8
  const t0 = performance.now();
  const r = await dc.evaluateRequest({ expression: 'pc.Add(5)', frameId: s.frameId, context: 'repl' });
  const first = performance.now() - t0;
  assert.equal(r.body.result, '8');
  // The value read after the call is the new one.
  assert.equal((await dc.evaluateRequest({ expression: 'counter.n', frameId: s.frameId, context: 'watch' })).body.result, '8');
  // Cost of one call from evaluate, measured (not asserted): 20 calls of add.
  const t1 = performance.now();
  for (let i = 0; i < 20; i++) await dc.evaluateRequest({ expression: `add(${i}, 1)`, frameId: s.frameId, context: 'repl' });
  console.log(
    `one evaluate with a call: warm-up without a call ${warm.toFixed(1)} ms, first call ${first.toFixed(1)} ms, then ${((performance.now() - t1) / 20).toFixed(2)} ms each (20 calls of add)`,
  );
  // >> continue; << the program prints counter 8.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), `${FIRST}counter 8 base 10 32\nafter 8 10 1 4 1\n`);
});

test('a call in a breakpoint condition is refused: the condition error is shown once, the call never runs', async () => {
  const binary = buildFixture('fneval');
  const client = await startAdapterClient();
  c = client;
  const { dc } = client;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  // >> initialize, launch; << initialized; >> setBreakpoints(stop here, condition pc.Add(1) > 0), configurationDone
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: binary } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const bps = await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [{ line: stopLine, condition: 'pc.Add(1) > 0' }] });
  assert.equal(bps.body.breakpoints[0]!.verified, true);
  await dc.configurationDoneRequest();
  // << stopped(breakpoint) with the condition's failure in the console (Delve stops on a condition that fails too)
  const ev = await stopped;
  const tid = tidOf(ev);
  assert.match(out.console(), /function calls are not allowed in this context/);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  // The program's counter is 3: pc.Add never ran.
  assert.equal(out.stdout(), NORMAL);
});
