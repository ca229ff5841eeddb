/**
 * The Go line scanner behind breakpoint and step-in columns: calls in the
 * order Go evaluates them, function literals and their bodies, and what
 * strings, runes and comments hide.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanLine } from '../../../src/debuggee/sourceColumns.js';

const col = (line: string, text: string) => line.indexOf(text) + 1;

test('calls come in evaluation order: arguments first, left to right', () => {
  const line = '\tr := f(g(x), h())';
  const s = scanLine(line);
  assert.equal(s.first, 2);
  assert.deepEqual(
    s.calls.map((c) => [c.name, c.column, c.endColumn]),
    [
      ['g', col(line, 'g('), col(line, 'g(x)') + 4],
      ['h', col(line, 'h('), col(line, 'h()') + 3],
      ['f', col(line, 'f('), line.length + 1],
    ],
  );
});

test('a selector call starts at its package or receiver', () => {
  const line = '\tfmt.Println(obj.field.Method(1))';
  assert.deepEqual(
    scanLine(line).calls.map((c) => [c.name, c.column]),
    [
      ['Method', col(line, 'obj')],
      ['Println', col(line, 'fmt')],
    ],
  );
});

test('strings, raw strings, runes and comments hide calls and parentheses', () => {
  const line = 'x := a("f(", `g(`, \'(\', /* h( */ b()) // c()';
  assert.deepEqual(
    scanLine(line).calls.map((c) => c.name),
    ['b', 'a'],
  );
  assert.deepEqual(scanLine('\t// only a comment f()').calls, []);
  assert.equal(scanLine('\t// only a comment').first, undefined);
  // An escaped quote does not end the string.
  assert.deepEqual(
    scanLine('s := q("a\\"b(") + r()').calls.map((c) => c.name),
    ['q', 'r'],
  );
});

test('keywords and conversions: if ( is not a call, a conversion is (the binary has no CALL for it)', () => {
  assert.deepEqual(
    scanLine('if (a > b) && ok(x) {').calls.map((c) => c.name),
    ['ok'],
  );
  assert.deepEqual(
    scanLine('n := int(m)').calls.map((c) => c.name),
    ['int'],
  );
});

test('function literals: body columns, struct{} in a signature, a declaration is none', () => {
  const line = '\tinc, dec := func(v int) int { return v + 1 }, func(v interface{}) struct{} { return struct{}{} }';
  const s = scanLine(line);
  assert.deepEqual(
    s.funcLiterals.map((l) => [l.column, l.bodyColumn]),
    [
      [col(line, 'func(v int)'), col(line, 'return v + 1')],
      [col(line, 'func(v interface'), col(line, 'return struct')],
    ],
  );
  assert.deepEqual(scanLine('func main() {').funcLiterals, []);
  // A literal whose body goes on on the next line has no body column.
  assert.deepEqual(
    scanLine('\tgo func() {').funcLiterals.map((l) => l.bodyColumn),
    [undefined],
  );
  // A literal called in place is a call named func.
  assert.deepEqual(
    scanLine('\tfunc() { a() }()').calls.map((c) => c.name),
    ['a', 'func'],
  );
});
