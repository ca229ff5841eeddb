/**
 * Forms of Go expressions over real DAP on testdata/exprforms (built -N -l):
 * composite literals (as map keys, as operands, indexed, selected, `&T{}`),
 * index and slice (2 and 3 indices) on strings, arrays, slices and pointers
 * to arrays, maps keyed by structs, arrays, interfaces, floats, pointers,
 * bools, type assertions `x.(T)`, `x.(I)` and `x.(type)` (also on interface
 * values of maps), function and method values, a channel's runtime fields
 * (Delve's extension), and package-qualified names
 * of internal and vendored packages. Expected values are written from the Go
 * spec; after the stop the program prints the same expressions itself
 * (`ROW <expr> = %v`) and each row is checked against that too. The failing
 * rows expect Go's own words (the compiler's, or the runtime's panic text)
 * and the column.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { StartedClient } from '../support/adapterClient.js';
import { waitExit } from '../support/dap.js';
import { stopAtLine } from '../support/stopAt.js';
import { buildFixture, goRoot, testdataDir } from '../support/goBuild.js';

const mainGo = join(testdataDir, 'exprforms', 'main.go');
const stopLine =
  readFileSync(mainGo, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('// exprforms stop')) + 1;

/**
 * One expression: what the debugger must answer (`want`, its `type` when
 * given), and what the program prints for it with %v (`go`; by default
 * `want`, unquoted for a string; null where the program cannot print it).
 */
interface Row {
  e: string;
  want: string | RegExp;
  type?: string;
  go?: string | null;
}

const ROWS: Row[] = [
  // Composite literals as map keys: struct keys (positional, keyed, elided package), array keys.
  { e: 'm3[astruct{1, 1}]', want: '42', type: 'int' },
  { e: 'm3[main.astruct{2, 3}]', want: '7', type: 'int' },
  { e: 'm3[as1]', want: '42', type: 'int' },
  { e: 'm4[main.astruct{2, 2}]', want: 'main.astruct {A: 22, B: 22}', type: 'main.astruct', go: '{22 22}' },
  { e: 'm4[main.astruct{A: 2, B: 2}].B', want: '22', type: 'int' },
  { e: 'arrKey[[2]int{3, 4}]', want: '"three-four"', type: 'string' },
  { e: 'nKey[named{"a", 1}]', want: '100', type: 'int' },
  // Interface keys: a constant takes its default type (1 is an int, not the int8 key), a value keeps its own.
  { e: 'ifKey[1]', want: '"int one"', type: 'string' },
  { e: 'ifKey[int8(1)]', want: '"int8 one"', type: 'string' },
  { e: 'ifKey["x"]', want: '"string x"', type: 'string' },
  { e: 'ifKey[main.astruct{1, 2}]', want: '"astruct"', type: 'string' },
  { e: 'ifKey[2.5]', want: '"float"', type: 'string' },
  // Float, pointer and bool keys.
  { e: 'fKey[0.5]', want: '"half"', type: 'string' },
  { e: 'fKey[-1]', want: '"minus one"', type: 'string' },
  { e: 'pKey[&x]', want: '"x"', type: 'string' },
  { e: 'bKey[true]', want: '1', type: 'int' },
  // Type assertions on interface-typed map values.
  { e: 'sKey["i"].(int)', want: '3', type: 'int' },
  { e: 'sKey["s"].(string)', want: '"three"', type: 'string' },
  { e: 'sKey["as"].(astruct).B', want: '3', type: 'int' },
  { e: 'sKey["p"].(*astruct).A', want: '5', type: 'int' },
  // Slices of arrays (len = hi-lo, cap = max-lo or len(arr)-lo), pointers to arrays, slices, strings.
  { e: 'arr[1:3]', want: '[]int len: 2, cap: 4, [11,12]', type: '[]int', go: '[11 12]' },
  { e: 'arr[1:3:4]', want: '[]int len: 2, cap: 3, [11,12]', type: '[]int', go: '[11 12]' },
  { e: 'cap(arr[1:3:4])', want: '3' },
  { e: 'parr[2]', want: '12', type: 'int' },
  { e: 'parr[3:]', want: '[]int len: 2, cap: 2, [13,14]', type: '[]int', go: '[13 14]' },
  { e: 'len(parr[1:2:5])', want: '1' },
  { e: 'cap(parr[1:2:5])', want: '4' },
  { e: 'sl[2:5]', want: '[]int len: 3, cap: 6, [2,3,4]', type: '[]int', go: '[2 3 4]' },
  { e: 'cap(sl[2:5])', want: '6' },
  { e: 'cap(sl[2:5:6])', want: '4' },
  { e: 'sl[:0]', want: '[]int len: 0, cap: 8, []', type: '[]int', go: '[]' },
  { e: 'str[7:]', want: '"world"', type: 'string' },
  { e: 'str[0]', want: '104', type: 'uint8' },
  { e: '"abc"[1:]', want: '"bc"' },
  // Composite literals as operands.
  { e: '[]int{1, 2, 3}[1]', want: '2', type: 'int' },
  { e: 'len([]int{1, 2, 3})', want: '3' },
  { e: '[...]string{"a", "b"}[1]', want: '"b"', type: 'string' },
  { e: 'len([...]int{5: 1})', want: '6' },
  { e: 'main.astruct{B: 3}.B', want: '3', type: 'int' },
  { e: 'astruct{1, 1} == as1', want: 'true' },
  { e: '[]named{{"q", 1}}[0].Name', want: '"q"', type: 'string' },
  // Type assertions: concrete, to an interface, x.(type).
  { e: 'err1.(*main.astruct).B', want: '2', type: 'int' },
  { e: 'iface.(named).N', want: '2', type: 'int' },
  { e: 'gr.(named).Name', want: '"g"', type: 'string' },
  // To an interface: a value of that interface (its itab from the runtime's table), holding the same dynamic value.
  { e: 'iface.(greeter)', want: 'main.greeter(main.named) {Name: "n", N: 2}', type: 'main.greeter', go: '{n 2}' },
  { e: 'iface.(any)', want: 'interface {}(main.named) {Name: "n", N: 2}', type: 'interface {}', go: '{n 2}' },
  { e: 'iface.(type)', want: '"main.named"' },
  { e: 'err1.(type)', want: '"*main.astruct"' },
  // Function and method values show as the function's name, typed by its signature (no receiver).
  { e: 'fn1', want: 'main.afunc', type: 'main.functype' },
  { e: 'main.afunc', want: 'main.afunc', type: 'func()' },
  { e: 'afunc2', want: 'main.afunc2', type: 'func()' },
  { e: 'strings.ToUpper', want: 'strings.ToUpper', type: 'func(string) string' },
  { e: 'as2.Error', want: 'main.(*astruct).Error', type: 'func() string' },
  // Through an interface, the method of the dynamic type (the fixture prints that one).
  { e: 'iface.(greeter).Hello', want: 'main.named.Hello', type: 'func() string' },
  { e: 'e2.Error', want: 'errors.(*errorString).Error', type: 'func() string' },
  // Promoted through embedded fields: bound to the embedded field's method, as Go binds it.
  { e: 'out.Hello', want: 'main.named.Hello', type: 'func() string' },
  { e: 'out.Error', want: 'main.(*astruct).Error', type: 'func() string' },
  { e: 'out.B', want: '9', type: 'int' },
  // Named types in conversions, package-qualified globals, unexported fields, pointers in slices.
  { e: 'temp', want: '21.5', type: 'main.celsius' },
  { e: 'float64(temp)', want: '21.5', type: 'float64' },
  { e: 'main.celsius(3)', want: '3', type: 'main.celsius' },
  { e: 'main.gcounter', want: '7', type: 'int' },
  { e: 'bs.a.A', want: '4', type: 'int' },
  { e: '*pas[1]', want: 'main.astruct {A: 5, B: 5}', type: 'main.astruct', go: '{5 5}' },
  { e: 'len(m3)', want: '2' },
  // A channel's runtime fields, as Delve offers them (len and cap above are what the program says).
  { e: 'len(ch)', want: '2' },
  { e: 'cap(ch)', want: '3' },
  { e: 'ch.qcount', want: '2', type: 'uint', go: null },
  { e: 'ch.dataqsiz', want: '3', type: 'uint', go: null },
  { e: 'ch.buf', want: '*[3]int [5,6,0]', type: '*[3]int', go: null },
  // An internal package's type by its package name (Go ≥ 1.24 maps; `used` is len(m3), printed above).
  { e: '**(**maps.Map)(uintptr(&m3))', want: /^internal\/runtime\/maps\.Map \{used: 2, /, type: 'internal/runtime/maps.Map', go: null },
  // Parenthesised type literals in conversions.
  { e: '*(*[2]int)(uintptr(&arr[1]))', want: '[2]int [11,12]', type: '[2]int', go: null },
  // Literals the program never made.
  { e: '&main.astruct{7, 8}', want: '*main.astruct {A: 7, B: 8}', type: '*main.astruct', go: null },
  { e: '[...]string{"x", 3: "y"}', want: '[4]string ["x","","","y"]', type: '[4]string', go: null },
  { e: '[]*main.astruct{{1, 2}}[0].B', want: '2', type: 'int', go: null },
  // A map literal is a map of the debugger's own: indexed, measured, compared with nil, shown.
  { e: 'len(map[astruct]int{{1, 1}: 2, {3, 4}: 5})', want: '2', type: 'int', go: null },
  { e: 'map[astruct]int{{1, 1}: 2, {3, 4}: 5}[astruct{3, 4}]', want: '5', type: 'int', go: null },
  { e: 'map[astruct]int{{1, 1}: 2} != nil', want: 'true', go: null },
  { e: 'map[string]any{"i": 3}', want: 'map[string]interface {} len: 1, ["i": interface {}(int) 3]', type: 'map[string]interface {}', go: null },
  // The empty struct's literal, alone and as elements (DWARF spells its type "struct {}").
  { e: 'struct{}{}', want: 'struct {} {}', type: 'struct {}', go: '{}' },
  { e: '[]struct{}{{}, {}}', want: '[]struct {} len: 2, cap: 2, [{},{}]', type: '[]struct {}', go: '[{} {}]' },
  { e: 'len(map[string]struct{}{"a": {}, "b": struct{}{}})', want: '2', type: 'int' },
  { e: 'struct{}{} == struct{}{}', want: 'true' },
];

/** Expressions Go rejects, with Go's words (compiler or runtime panic) and the column. */
const FAILS: [string, string][] = [
  ['err1.(*main.bstruct)', 'interface conversion: error is *main.astruct, not *main.bstruct at column 1'],
  ['errnil.(*main.astruct)', 'interface conversion: error is nil, not *main.astruct at column 1'],
  ['iface.(error)', 'interface conversion: main.named is not error: missing method Error at column 1'],
  ['iface.(fmt.Stringer)', 'interface conversion: main.named is not fmt.Stringer: missing method String at column 1'],
  ['out.Nope', 'out.Nope undefined (type main.outer has no field or method Nope) at column 1'],
  ['str.(int)', 'invalid operation: str (variable of type string) is not an interface at column 1'],
  ['main.astruct{1}', 'too few values in struct literal of type main.astruct at column 15'],
  ['main.astruct{1, 2, 3}', 'too many values in struct literal of type main.astruct at column 20'],
  ['struct{}{1}', 'too many values in struct literal of type struct {} at column 10'],
  ['main.astruct{C: 1}', 'unknown field C in struct literal of type main.astruct at column 14'],
  ['main.astruct{A: 1, 2}', 'mixture of field:value and value elements in struct literal at column 20'],
  ['main.astruct{A: 1, A: 2}', 'duplicate field name A in struct literal at column 20'],
  ['[2]int{1, 2, 3}', 'index 2 is out of bounds (>= 2) at column 14'],
  ['[]int{1, 1: 2, 1: 3}', 'duplicate index 1 in array or slice literal at column 16'],
  ['[...]int{-1: 1}', 'invalid argument: index -1 (constant of type int) must not be negative at column 10'],
  ['str[1:2:3]', 'invalid operation: 3-index slice of string at column 9'],
  ['arr[7]', 'index out of range [7] with length 5 at column 1'],
  ['sl[2:9]', 'slice bounds out of range [:9] with capacity 8 at column 1'],
  ['sl[1:2:1]', 'slice bounds out of range [:2:1] at column 1'],
  ['sl[3:2]', 'slice bounds out of range [3:2] at column 1'],
  ['m3[[]int{1}]', 'cannot use []int{1} (value of type []int) as main.astruct value in map index at column 4'],
  ['m3[1]', 'cannot use 1 (untyped int constant) as main.astruct value in map index at column 4'],
  ['main.astruct{"a", 1}', 'cannot use "a" (untyped string constant) as int value in struct literal at column 14'],
  ['main.astruct{1.5, 1}', '1.5 (untyped float constant) truncated to int at column 14'],
  ['[]int8{300}', '300 (untyped int constant) overflows int8 at column 8'],
  ['ifKey[[]int{1}]', 'runtime error: hash of unhashable type []int at column 7'],
  ['nosuch.Thing', 'undefined: nosuch at column 1'],
  ['strings.NoSuch', 'undefined: strings.NoSuch at column 1'],
  ['main.celsius', 'main.celsius (type) is not an expression at column 1'],
  ['map[string]any{"a": 1, "a": 2}', 'duplicate key "a" in map literal at column 24'],
  ['map[string]any{1}', 'missing key in map literal at column 16'],
];

/** What we refuse where Go would do something a debugger cannot (say so, never answer a made-up value). */
const REFUSALS: [string, RegExp][] = [
  // Go's m[k] yields the zero value for a missing key; the debugger says the key is absent instead.
  ['m3[main.astruct{9, 9}]', /^key main\.astruct\{9, 9\} not found in m3/],
  ['[]map[astruct]int{{{1, 1}: 2}}', /^a map literal inside another literal is not supported/],
  ['**(**runtime.hmap)(uintptr(&m3))', /^undefined: runtime\.hmap \(no such type in the program/],
];

let c: StartedClient | undefined;
after(() => c?.close());

test('expression forms: every row answers what Go says, and what the program prints', async () => {
  const binary = buildFixture('exprforms');
  // >> initialize, launch, setBreakpoints(exprforms stop), configurationDone  << stopped(breakpoint)
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const { out, tid, frameId } = s;
  const evaluate = (expression: string) => dc.evaluateRequest({ expression, frameId, context: 'repl' });

  const problems: string[] = [];
  for (const r of ROWS) {
    try {
      const res = (await evaluate(r.e)).body;
      const ok = typeof r.want === 'string' ? res.result === r.want : r.want.test(res.result);
      if (!ok) problems.push(`${r.e}: got ${res.result}, want ${r.want}`);
      if (r.type !== undefined && res.type !== r.type) problems.push(`${r.e}: type ${res.type}, want ${r.type}`);
    } catch (e) {
      problems.push(`${r.e}: failed: ${(e as Error).message}`);
    }
  }
  // A vendored package: its error value is what its source says (GOROOT's copy of x/net).
  const dnsSource = readFileSync(join(goRoot(), 'src/vendor/golang.org/x/net/dns/dnsmessage/message.go'), 'utf8');
  const notStarted = /ErrNotStarted\s*=\s*errors\.New\("([^"]*)"\)/.exec(dnsSource)?.[1];
  assert.ok(notStarted, 'dnsmessage.ErrNotStarted in GOROOT');
  const vendored = (await evaluate('*dnsmessage.ErrNotStarted.(*errors.errorString)')).body;
  assert.equal(vendored.result, `errors.errorString {s: ${JSON.stringify(notStarted)}}`);
  assert.equal((await evaluate('dnsmessage.Type(1)')).body.type, 'vendor/golang.org/x/net/dns/dnsmessage.Type');
  // An internal package's global (internal/poll, linked through os), against GOROOT's source.
  const pollSource = readFileSync(join(goRoot(), 'src/internal/poll/fd.go'), 'utf8');
  const closing = /ErrFileClosing\s*=\s*errors\.New\("([^"]*)"\)/.exec(pollSource)?.[1];
  assert.ok(closing, 'poll.ErrFileClosing in GOROOT');
  assert.equal((await evaluate('poll.ErrFileClosing.(*errors.errorString).s')).body.result, JSON.stringify(closing));

  for (const [e, want] of FAILS) {
    try {
      const res = await evaluate(e);
      problems.push(`${e}: answered ${res.body.result}, want the error ${want}`);
    } catch (err) {
      if ((err as Error).message !== want) problems.push(`${e}: error ${(err as Error).message}, want ${want}`);
    }
  }
  for (const [e, want] of REFUSALS) {
    try {
      const res = await evaluate(e);
      problems.push(`${e}: answered ${res.body.result}, want a refusal`);
    } catch (err) {
      if (!want.test((err as Error).message)) problems.push(`${e}: error ${(err as Error).message}, want ${want}`);
    }
  }
  // What Go cannot assign to (a type assertion's result, a literal's element) and the runtime's channel state
  // are refused by setExpression; the program's output below shows the values unchanged.
  for (const expression of ['iface.(named).N', '[]int{1, 2}[0]', 'main.astruct{1, 2}.A', 'ch.qcount']) {
    try {
      await dc.customRequest('setExpression', { expression, value: '1', frameId });
      problems.push(`setExpression ${expression}: succeeded`);
    } catch (err) {
      if (!/computed value|constant/.test((err as Error).message)) problems.push(`setExpression ${expression}: ${(err as Error).message}`);
    }
  }
  assert.deepEqual(problems, []);

  // >> continue  << the program prints every row itself, then exits 0
  await dc.continueRequest({ threadId: tid });
  assert.equal(await waitExit(dc), 0);
  const printed = new Map<string, string>();
  for (const m of out.stdout().matchAll(/^ROW (.*?) = (.*)$/gm)) printed.set(m[1]!, m[2]!);
  const byProgram: string[] = [];
  for (const r of ROWS) {
    if (r.go === null) continue;
    const want = r.go ?? (typeof r.want === 'string' ? r.want.replace(/^"(.*)"$/, '$1') : undefined);
    if (!printed.has(r.e)) byProgram.push(`${r.e}: the program printed no row`);
    else if (printed.get(r.e) !== want) byProgram.push(`${r.e}: the program printed ${printed.get(r.e)}, the table says ${want}`);
  }
  for (const e of printed.keys()) if (!ROWS.some((r) => r.e === e)) byProgram.push(`${e}: printed by the program, missing from the table`);
  assert.deepEqual(byProgram, []);
  assert.ok(printed.size >= 55, `${printed.size} rows printed`);
});
