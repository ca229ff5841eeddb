/**
 * Breakpoint locations of a line from a line table (fake symbols) and the
 * source text: the enclosing function's statement at the first token, each
 * function literal with code starting on the line at its body, nested
 * literals in the compiler's source-order numbering; a column picks one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineLocations, literalNumbers, locationAtColumn } from '../../../src/debuggee/breakpoints/locations.js';
import { FakeSymbols } from './fakeSymbols.js';

const file = '/src/m/main.go';
// Line 10: `\ta, b := func() int { return f(func() int { return 1 }) }, func() int { return 2 }`
const text = '\ta, b := func() int { return f(func() int { return 1 }) }, func() int { return 2 }';
const col = (s: string) => text.indexOf(s) + 1;
const symbols = new FakeSymbols([
  {
    name: 'main.main',
    entry: 0x1000,
    end: 0x1100,
    file,
    frame: 0x40,
    lines: [
      [0x1000, 9],
      [0x1010, 10],
      [0x1040, 11],
    ],
  },
  // Listed out of order on purpose: the numbering, not the table order, decides.
  { name: 'main.main.func2', entry: 0x1300, end: 0x1340, file, frame: 8, lines: [[0x1300, 10]] },
  { name: 'main.main.func1.1', entry: 0x1200, end: 0x1240, file, frame: 8, lines: [[0x1200, 10]] },
  { name: 'main.main.func1', entry: 0x1100, end: 0x1140, file, frame: 8, lines: [[0x1100, 10]] },
]);

test('literal numbers: funcN and nested funcN.M; others are not literals', () => {
  assert.deepEqual(literalNumbers('main.main.func1.1'), [1, 1]);
  assert.deepEqual(literalNumbers('example.com/m/pkg.(*T).M.func12'), [12]);
  assert.equal(literalNumbers('main.funcs'), undefined);
});

test('one location per function on the line, at the first token and at each literal body, in column order', () => {
  const locs = lineLocations(symbols, file, 10, text);
  assert.deepEqual(
    locs.map((l) => [l.column, l.functions, l.pcs]),
    [
      [2, ['main.main'], [0x1010]],
      [col('return f('), ['main.main.func1'], [0x1100]],
      [col('return 1'), ['main.main.func1.1'], [0x1200]],
      [col('return 2'), ['main.main.func2'], [0x1300]],
    ],
  );
});

test('a column binds at the location starting at or before it; before the first, the first', () => {
  const locs = lineLocations(symbols, file, 10, text);
  assert.deepEqual(locationAtColumn(locs, col('return 1') + 3)?.functions, ['main.main.func1.1']);
  assert.deepEqual(locationAtColumn(locs, col('return 2'))?.functions, ['main.main.func2']);
  assert.deepEqual(locationAtColumn(locs, 1)?.functions, ['main.main']);
});

test('without the source text: the functions share one location with no column', () => {
  const locs = lineLocations(symbols, file, 10, undefined);
  assert.equal(locs.length, 1);
  assert.equal(locs[0]!.column, undefined);
  assert.deepEqual(locs[0]!.pcs.sort(), [0x1010, 0x1100, 0x1200, 0x1300].sort());
  assert.deepEqual(lineLocations(symbols, file, 12, text), []);
});
