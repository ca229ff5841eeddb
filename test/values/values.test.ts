/**
 * The Variables view and evaluate on testdata/values, which holds every Go
 * kind and prints its own values with %#v before the line where we stop (the
 * oracle). Run on a DWARF 5 build (Go's default) and a DWARF 4 build
 * (GOEXPERIMENT=nodwarf5).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildFixture } from '../support/goBuild.js';
import { allIndexed, byName, children, launchTo, marks, oracleLines, scopeVars, sharpV, type Stopped, type Var } from './support.js';

const { source, line } = marks('values');

for (const [label, env] of [
  ['DWARF 5', {}],
  ['DWARF 4', { GOEXPERIMENT: 'nodwarf5' }],
] as const) {
  describe(`values (${label})`, () => {
    let s: Stopped;
    let locals: Var[];
    let oracle: Map<string, string>;

    before(async () => {
      const binary = buildFixture('values', { env });
      // >> setBreakpoints main.go:BP:main, configurationDone, << stopped (after the oracle lines were printed)
      s = await launchTo(binary, source, [{ line: line.main! }]);
      // >> scopes, variables(Locals)
      locals = await scopeVars(s.dc, s.frameId);
      oracle = oracleLines(s.out.stdout());
    });
    after(() => s?.c.close());

    test('scalars, strings, arrays, slices, structs, pointers and maps read as the program prints them (%#v)', async () => {
      const names = [
        'b',
        'i8',
        'i16',
        'i32',
        'i64',
        'n',
        'u8',
        'u16',
        'u32',
        'u64',
        'up',
        'f32',
        'f64',
        'c64',
        'c128',
        'r',
        'by',
        's',
        'temp',
        'day',
        'arr',
        'matrix',
        'sl',
        'nilSlice',
        'empty',
        'items',
        'o',
        'po',
        'nilPtr',
        'm',
        'nilMap',
        'pm',
      ];
      for (const n of names) {
        assert.ok(oracle.has(n), `oracle printed ${n}`);
        assert.equal(await sharpV(s.dc, byName(locals, n)), oracle.get(n), n);
      }
    });

    test('display strings in Delve style, with types', () => {
      const v = (n: string) => byName(locals, n);
      assert.equal(v('sl').value, '[]int len: 3, cap: 4, [1,2,3]');
      assert.equal(v('items').value, '[]main.Item len: 2, cap: 2, [{SKU: "A-1", Qty: 2, Price: 1.5},{SKU: "B-2", Qty: 1, Price: 20}]');
      assert.equal(v('m').value, 'map[string]int len: 2, ["a": 1, "b": 2]');
      assert.equal(v('nilPtr').value, 'nil');
      assert.equal(v('nilPtr').type, '*main.Order');
      assert.match(v('po').value, /^\*main\.Order \{Base: main\.Base \{…\}, Named: \*main\.Named \{…\}, /);
      assert.equal(v('arr').value, '[4]int [1,2,3,4]');
      assert.equal(v('s').value, '"héllo\\n\\"world\\"\\t\\x01"');
      assert.equal(v('c64').value, '(1-2i)');
      assert.equal(v('temp').type, 'main.Celsius');
      assert.equal(v('raw').value, `unsafe.Pointer(${oracle.get('raw')!.replace(/^\(unsafe\.Pointer\)\((.*)\)$/, '$1')})`);
      assert.equal(v('pn').value, '*42');
      assert.equal(v('nilMap').value, 'map[string]int nil');
      assert.equal(v('nilSlice').value, '[]int len: 0, cap: 0, nil');
    });

    test('interfaces show their dynamic type; errors too', async () => {
      const v = (n: string) => byName(locals, n);
      assert.equal(v('e').value, 'interface {}(int) 42');
      assert.equal(v('es').value, 'interface {}(string) "x"');
      assert.equal(v('ep').value, 'interface {}(*main.Point) *{X: 5, Y: 6}');
      assert.equal(v('eStruct').value, 'interface {}(main.Point) {X: 7, Y: 8}');
      assert.equal(v('sh').value, 'main.Shape(main.Rect) {W: 2, H: 3}');
      assert.equal(v('nilAny').value, 'interface {} nil');
      // An error shows its Error() text (callStringMethods, on by default); its fields stay its children (below).
      assert.equal(v('err').value, '"boom"');
      assert.equal(v('nilErr').value, 'error nil');
      // The oracle: ep=&main.Point{X:5, Y:6}, err=&errors.errorString{s:"boom"}
      const ep = await children(s.dc, v('ep'));
      assert.equal(`&main.Point{${ep.map((k) => `${k.name}:${k.value}`).join(', ')}}`, oracle.get('ep'));
      const err = await children(s.dc, v('err'));
      assert.equal(`&errors.errorString{${err.map((k) => `${k.name}:${k.value}`).join(', ')}}`, oracle.get('err'));
      assert.equal((await children(s.dc, v('e')))[0]!.value, oracle.get('e'));
      assert.deepEqual(
        (await children(s.dc, v('sh'))).map((k) => k.evaluateName),
        ['(sh.(main.Rect)).W', '(sh.(main.Rect)).H'],
      );
    });

    test('channels, funcs and closures', async () => {
      const ch = byName(locals, 'ch');
      assert.equal(`${ch.value}`, `chan int ${oracle.get('ch')}`);
      const kids = await children(s.dc, ch);
      assert.deepEqual(
        kids.map((k) => `${k.name}=${k.value}`),
        ['len=2', 'cap=5', 'closed=false', '[0]=20', '[1]=30'],
      );
      assert.equal(byName(locals, 'nilCh').value, 'chan int nil');
      const add = byName(locals, 'add');
      assert.equal(add.value, 'main.main.func1');
      assert.deepEqual(
        (await children(s.dc, add)).map((k) => `${k.name}=${k.value}`),
        ['base=10'],
      );
      assert.equal(byName(locals, 'upper').value, 'strings.ToUpper');
      assert.equal(byName(locals, 'nilFn').value, 'nil');
    });

    test('a cyclic list expands lazily, level by level, back to its head', async () => {
      const head = byName(locals, 'head');
      let cur = head;
      const seen: string[] = [];
      for (let k = 0; k < 3; k++) {
        const kids = await children(s.dc, cur);
        seen.push(byName(kids, 'Value').value);
        cur = byName(kids, 'Next');
      }
      assert.deepEqual(seen, ['1', '2', '3']);
      assert.equal(cur.memoryReference, head.memoryReference, 'the third Next points back at head');
      assert.equal(oracle.get('head'), '1,2,3,1');
    });

    test('a 1,000,000-element slice opens at once and pages', async () => {
      const huge = byName(locals, 'huge');
      assert.equal(huge.indexedVariables, 1_000_000);
      assert.match(huge.value, /^\[\]int len: 1000000, cap: 1000000, \[0,1,2,.*,\.\.\.\+\d+ more\]$/);
      const last = await children(s.dc, huge, 999_900, 100);
      assert.equal(last.length, 100);
      assert.deepEqual(
        last.map((x) => [x.name, x.value]),
        Array.from({ length: 100 }, (_, i) => [`[${999_900 + i}]`, String(999_900 + i)]),
      );
      assert.equal(oracle.get('huge'), '1000000,999999');
    });

    test('a 100 KB string: cut at 512 bytes in the view, whole in the REPL and the clipboard', async () => {
      const long = byName(locals, 'long');
      assert.equal(long.value, `"${'0123456789'.repeat(52).slice(0, 512)}"...+${100_000 - 512} more`);
      for (const context of ['repl', 'clipboard'] as const) {
        const r = await s.dc.evaluateRequest({ expression: 'long', frameId: s.frameId, context });
        assert.equal(r.body.result, `"${'0123456789'.repeat(10_000)}"`, context);
      }
      const hover = await s.dc.evaluateRequest({ expression: 'long', frameId: s.frameId, context: 'hover' });
      assert.ok(hover.body.result.length < 600);
      assert.equal(oracle.get('long'), '100000');
    });

    test('a Swiss map with 2,000 entries (a directory of tables) pages through every entry', async () => {
      const big = byName(locals, 'big');
      assert.equal(big.indexedVariables, 2000);
      const entries = await allIndexed(s.dc, big, 300);
      const ours = entries.map((e) => `big${e.name}=${e.value}`).sort();
      const theirs = [...s.out.stdout().matchAll(/^big\[\d+\]=\d+$/gm)].map((m) => m[0]).sort();
      assert.equal(theirs.length, 2000);
      assert.deepEqual(ours, theirs);
    });

    test('map values larger than 128 bytes (stored indirectly)', async () => {
      const bv = byName(locals, 'bigVals');
      const kids = await allIndexed(s.dc, bv);
      const ours = await Promise.all(kids.map(async (k) => `bigVals${k.name}=${await sharpV(s.dc, k, false)}`));
      const theirs = [...s.out.stdout().matchAll(/^bigVals\[\d+\]=.*$/gm)].map((m) => m[0]);
      assert.deepEqual(ours.sort(), theirs.sort());
    });

    test('evaluate: selectors, indexes, maps, slices, conversions, assertions, and errors that say what is wrong', async () => {
      const ev = async (expression: string) => (await s.dc.evaluateRequest({ expression, frameId: s.frameId, context: 'watch' })).body;
      const err = async (expression: string) => {
        try {
          await s.dc.evaluateRequest({ expression, frameId: s.frameId, context: 'watch' });
        } catch (e) {
          return (e as Error).message;
        }
        return assert.fail(`${expression} evaluated without an error`);
      };
      assert.equal((await ev('o.Items[1].SKU')).result, '"B-2"');
      assert.equal((await ev('po.Name')).result, '"Ann"'); // promoted through the embedded *Named
      assert.equal((await ev('o.Ship.Zip[1]')).result, '2');
      assert.equal((await ev('m["b"]')).result, '2');
      assert.equal((await ev('big[1999]')).result, '3996001');
      assert.equal((await ev('len(huge) + cap(sl)')).result, '1000004');
      assert.equal((await ev('huge[10:12]')).result, '[]int len: 2, cap: 999990, [10,11]');
      assert.equal((await ev('sh.(main.Rect).W * 2')).result, '4');
      assert.equal((await ev('e.(int) + 1')).result, '43');
      assert.equal((await ev('*pn == 42 && b')).result, 'true');
      assert.equal((await ev('err != nil && nilErr == nil')).result, 'true');
      assert.equal((await ev('float32(n) / 8')).result, '5.25');
      assert.equal((await ev('int8(u8)')).result, '-56');
      assert.equal((await ev('s[1:3]')).result, '"é"');
      assert.equal((await ev('*(*int)(raw)')).result, '42');
      assert.equal((await ev('main.counter')).result, oracle.get('counter'));
      assert.equal((await ev('counter * 2')).result, '14');
      assert.equal(await err('o.Nope'), 'o.Nope undefined (type main.Order has no field or method Nope) at column 1');
      assert.equal(await err('items[7]'), 'index out of range [7] with length 2 at column 1');
      assert.equal(await err('foo'), 'undefined: foo at column 1');
      assert.equal(await err('m["zz"]'), 'key "zz" not found in m at column 3');
      assert.equal(await err('e.(string)'), 'interface conversion: interface {} is int, not string at column 1');
      assert.equal(await err('nilPtr.Total'), 'cannot read nilPtr.Total: nilPtr is nil at column 1');
      assert.match(await err('o.Items[1'), /expected '\]', found end of expression at column 10/);
    });

    test('evaluate without a frame uses the top frame of the current stop', async () => {
      const r = await s.dc.evaluateRequest({ expression: 'o.Total + 1', context: 'repl' });
      assert.equal(r.body.result, '24');
    });
  });
}
