/**
 * Expressions found answered wrongly or refused against Go by the
 * differential run against dlv dap (testdata/evalgaps, built -N -l): method
 * expressions not called (`T.M`, `(*T).M`, `I.M`, `pkg.T.M`: the function
 * Go's runtime names, typed with the receiver first), an interface's method
 * expression called (`I.M(x)`), a method the itab lacks called by the
 * dynamic type's own code, variadic calls with no variadic argument
 * (a nil slice, no memory needed), and a constant string indexed (a byte)
 * or sliced (a string), neither a constant; complex division as Go's
 * runtime divides; a float divided by a constant zero; literals of generic types
 * (`Box[int]{V: 3}`, `Pair[string, []int]{…}`) and conversions to them; completions of an interface's
 * methods. Every row is held to what the
 * program itself prints for it after the stop: the value (%v, or
 * runtime.FuncForPC's name for a func) and the type (%T).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StartedClient } from '../support/adapterClient.js';
import { waitExit } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'evalgaps', 'main.go');

/** Each expression, the answer the Go spec gives (as the adapter spells it) and its type. */
const ROWS: [string, string, string][] = [
  ['Shape.Area', 'main.Shape.Area', 'func(main.Shape) float64'],
  ['Shape.Name', 'main.Shape.Name', 'func(main.Shape) string'],
  ['(*Rect).Area', 'main.(*Rect).Area', 'func(*main.Rect) float64'],
  ['Rect.Area', 'main.Rect.Area', 'func(main.Rect) float64'],
  ['(*Rect).Scale', 'main.(*Rect).Scale', 'func(*main.Rect, float64)'],
  ['MyInt.Double', 'main.MyInt.Double', 'func(main.MyInt) main.MyInt'],
  ['main.MyInt.Double', 'main.MyInt.Double', 'func(main.MyInt) main.MyInt'],
  ['Shape.Area(gsh)', '6', 'float64'],
  ['Shape.Name(gsh)', '"rect"', 'string'],
  ['MyInt.Double(mine)', '42', 'main.MyInt'],
  // The itab has no code for Perimeter (never called through an interface): the dynamic type's own method is called.
  ['gp.Perimeter()', '12', 'float64'],
  ['sum()', '0', 'int'],
  ['sumFrom(5)', '5', 'int'],
  ['pairSum(two())', '7', 'int'],
  ['"abc"[1]', '98', 'uint8'],
  ['"abc"[1:]', '"bc"', 'string'],
  ['len("héllo"[1:])', '5', 'int'],
  ['"abc"[1] + 1', '99', 'uint8'],
  // Complex division by Smith's algorithm, as the runtime divides (the textbook formula gives 0.4-0.2i and 0-0i),
  // infinities recovered; a float variable over a constant zero is IEEE's, no error.
  ['c1 / c2', '(0.44+0.08i)', 'complex128'],
  ['c2 / c1', '(2.2-0.4i)', 'complex128'],
  ['c11 / c13', '(0.39999999999999997-0.2i)', 'complex128'],
  ['c11 / cbig', '(1e-300-1e-300i)', 'complex128'],
  ['c1 / cz', '(+Inf+Infi)', 'complex128'],
  ['cinf / c2', '(+Inf-Infi)', 'complex128'],
  ['c2 / cinf', '(0+0i)', 'complex128'],
  ['c64a / c64b', '(0.018867925+0.43396226i)', 'complex64'],
  ['fl / 0', '+Inf', 'float64'],
  ['-fl / 0', '-Inf', 'float64'],
  ['zero / 0', 'NaN', 'float64'],
  // Literals of instantiated generic types.
  ['Box[int]{V: 3}.V', '3', 'int'],
  ['main.Box[int]{}.V + gbox.V', '1', 'int'],
  ['Pair[string, []int]{"k", nil}.Key', '"k"', 'string'],
  ['len(Pair[string, []int]{Val: gpair.Val}.Val)', '2', 'int'],
  // Conversions to them; an index of a slice of funcs, called, stays that.
  ['Box[int](gbox).V', '1', 'int'],
  ['(*Box[int])(&gbox).V', '1', 'int'],
  ['Pair[string, []int](gpair).Key', '"p"', 'string'],
  ['(*Pair[string, []int])(&gpair).Val[1]', '2', 'int'],
  ['fns[0](2)', '6', 'int'],
];

/** What Go rejects, in the compiler's words, or what needs memory the debugger does not allocate. */
const FAILS: [string, RegExp][] = [
  ['MyInt.Nope', /^MyInt\.Nope undefined \(type main\.MyInt has no method Nope/],
  ['Shape.Nope', /^Shape\.Nope undefined \(type main\.Shape has no method Nope\)/],
  ['Rect.Scale', /^invalid method expression Rect\.Scale \(needs pointer receiver \(\*Rect\)\.Scale\)/],
  ['Shape.Area()', /^not enough arguments in call to Shape\.Area/],
  ['Shape.Area(mine)', /^cannot use mine \(variable of type main\.MyInt\) as main\.Shape value in argument to Shape\.Area/],
  ['"abc"[1] + 300', /300 \(untyped int constant\) overflows (uint8|byte)/],
  ['sum(1, 2)', /would allocate a \[\]int in the program/],
  // A method of a generic type is compiled per shape and takes a dictionary: not named, not called, and said so.
  ['gbox.Get()', /^gbox\.Get undefined \(type main\.Box\[int\] has no field or method Get, or it is a method of the generic type/],
  // A constant zero divisor: Go's compile error for an integer or a constant dividend.
  ['mine / 0', /^invalid operation: division by zero/],
  ['fl % 0', /^invalid operation: operator % not defined on fl \(variable of type float64\)/],
  ['float64(1) / 0', /^invalid operation: division by zero/],
];

let c: StartedClient | undefined;
after(() => c?.close());

test('evalgaps: method expressions, variadic calls, constant strings answer what the program prints', async () => {
  const binary = buildFixture('evalgaps');
  // >> initialize, launch, setBreakpoints(evalgaps stop), configurationDone  << stopped(breakpoint)
  const s = await stopAtLine(binary, mainGo, lineWith(mainGo, '// evalgaps stop'));
  c = s.client;
  const { dc } = c;
  const problems: string[] = [];
  for (const [e, want, type] of ROWS) {
    try {
      // >> evaluate(repl)  << the value and its type
      const r = (await dc.evaluateRequest({ expression: e, frameId: s.frameId, context: 'repl' })).body;
      if (r.result !== want) problems.push(`${e}: got ${r.result}, want ${want}`);
      if (r.type !== type) problems.push(`${e}: type ${r.type}, want ${type}`);
    } catch (err) {
      problems.push(`${e}: failed: ${(err as Error).message}`);
    }
  }
  for (const [e, want] of FAILS) {
    try {
      const r = await dc.evaluateRequest({ expression: e, frameId: s.frameId, context: 'repl' });
      problems.push(`${e}: answered ${r.body.result}, want an error ${want}`);
    } catch (err) {
      if (!want.test((err as Error).message)) problems.push(`${e}: error ${(err as Error).message}, want ${want}`);
    }
  }
  // Calls are not made in hover: the method expression's value is, the call is refused.
  const hover = await dc.evaluateRequest({ expression: 'Rect.Area', frameId: s.frameId, context: 'hover' });
  assert.equal(hover.body.result, 'main.Rect.Area');
  await assert.rejects(dc.evaluateRequest({ expression: 'Shape.Area(gsh)', frameId: s.frameId, context: 'hover' }), /not allowed in this context/);
  assert.deepEqual(problems, []);

  // >> completions("gsh.") << an interface's methods; through an embedded interface, with the struct's fields
  const complete = async (text: string) =>
    ((await dc.customRequest('completions', { text, column: text.length + 1, frameId: s.frameId })) as DebugProtocol.CompletionsResponse).body.targets.map(
      (t) => `${t.label}:${t.type}`,
    );
  assert.deepEqual((await complete('gsh.')).sort(), ['Area:method', 'Name:method']);
  assert.deepEqual((await complete('gtagged.')).sort(), ['Area:method', 'Name:method', 'Shape:field', 'Tag:field']);
  assert.deepEqual(await complete('gerr.E'), ['Error:method']);

  // >> continue  << the program prints each row's value and type, then exits 0
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await waitExit(dc), 0);
  const printed = new Map<string, [string, string]>();
  for (const m of s.out.stdout().matchAll(/^ROW (.*?) = (.*)\nTYPE \1 = (.*)$/gm)) printed.set(m[1]!, [m[2]!, m[3]!]);
  for (const [e, want, type] of ROWS) {
    const p = printed.get(e);
    const goValue = want.startsWith('"') ? JSON.parse(want) : want;
    assert.deepEqual(p, [goValue, type], `${e}: the program prints ${p?.join(' of type ')}`);
  }
});
