/**
 * Composite literals of instantiated generic types (`Box[int]{…}`,
 * `pkg.Pair[string, int]{…}`): the parser reads the operand before `{` as a
 * type name spelled as DWARF spells it (arguments without spaces); an index
 * or a slice stays what it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from '../../../src/eval/ast.js';
import { parseExpression } from '../../../src/eval/parser.js';

function literalTypeName(src: string): string | undefined {
  const e = parseExpression(src);
  const lit = (x: Expr): Expr => (x.k === 'selector' ? lit(x.x) : x.k === 'index' ? lit(x.x) : x.k === 'unary' ? lit(x.x) : x);
  const l = lit(e);
  return l.k === 'composite' && l.type?.k === 'typeName' ? l.type.name : undefined;
}

test('a generic type with one or more type arguments names the literal', () => {
  assert.equal(literalTypeName('Box[int]{V: 3}'), 'Box[int]');
  assert.equal(literalTypeName('Box[int]{V: 3}.V'), 'Box[int]');
  assert.equal(literalTypeName('main.Box[int]{}'), 'main.Box[int]');
  assert.equal(literalTypeName('&Box[ *Pt ]{}'), 'Box[*Pt]');
  assert.equal(literalTypeName('Pair[string, int]{"k", 8}'), 'Pair[string,int]');
  assert.equal(literalTypeName('pkg.Pair[[]string, int]{}'), 'pkg.Pair[[]string,int]');
  assert.equal(literalTypeName('pkg.Pair[pkg.K, *V]{}'), 'pkg.Pair[pkg.K,*V]');
});

test('indexes and slices stay what they are; type arguments without a literal are no expression', () => {
  assert.equal(parseExpression('m[k]').k, 'index');
  assert.equal(parseExpression('a[1][2]').k, 'index');
  assert.equal(parseExpression('a[i+1]').k, 'index');
  assert.equal(parseExpression('s[lo:hi]').k, 'slice');
  assert.equal(parseExpression('m[k] == v').k, 'binary');
  assert.equal(literalTypeName('[]Box[int]{{V: 1}}'), undefined);
  assert.equal(parseExpression('fns[0](2)').k, 'call');
  assert.equal(parseExpression('Box[int](v)').k, 'call');
  assert.throws(() => parseExpression('m[1, 2]'), /expected '\]'/);
});

test('a type argument that is itself a type literal', () => {
  assert.equal(literalTypeName('Box[[]int]{}'), 'Box[[]int]');
  assert.equal(literalTypeName('Box[map[string]int]{}'), 'Box[map[string]int]');
  assert.equal(literalTypeName('Pair[string, []int]{"k", nil}.Key'), 'Pair[string,[]int]');
});

test('a generic type with several arguments stands alone as a type (a conversion)', () => {
  const e = parseExpression('Pair[string, int](p)');
  assert.ok(e.k === 'call' && e.fn.k === 'type' && e.fn.type.k === 'typeName' && e.fn.type.name === 'Pair[string,int]');
  const p = parseExpression('(*Pair[int, []string])(q)');
  assert.equal(p.k, 'call');
});
