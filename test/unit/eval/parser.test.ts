/**
 * The Go expression parser: literal decoding per the Go spec, operator
 * precedence and associativity, postfix chains, type syntax in conversions
 * and assertions, composite literals, and error messages that point at the
 * column.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Expr, TypeExpr } from '../../../src/eval/ast.js';
import { typeString } from '../../../src/eval/ast.js';
import { parseExpression } from '../../../src/eval/parser.js';

/** A fully parenthesised rendering of the tree (the expectations below are written from the Go spec). */
function show(e: Expr | TypeExpr): string {
  switch (e.k) {
    case 'ident':
      return e.name;
    case 'int':
      return `${e.value}`;
    case 'float':
      return `f${e.value}`;
    case 'imag':
      return `${e.value}i`;
    case 'rune':
      return `r${e.value}`;
    case 'string':
      return `s[${[...e.value].join(',')}]`;
    case 'paren':
      return show(e.x);
    case 'selector':
      return `${show(e.x)}.${e.name}`;
    case 'index':
      return `${show(e.x)}[${show(e.index)}]`;
    case 'slice':
      return `${show(e.x)}[${e.lo ? show(e.lo) : ''}:${e.hi ? show(e.hi) : ''}${e.max ? `:${show(e.max)}` : ''}]`;
    case 'assert':
      return `${show(e.x)}.(${typeString(e.type)})`;
    case 'call':
      return `${'k' in e.fn && /Type$|typeName/.test(e.fn.k) ? `T<${typeString(e.fn as TypeExpr)}>` : show(e.fn)}(${e.args.map(show).join(', ')})`;
    case 'unary':
      return `(${e.op}${show(e.x)})`;
    case 'binary':
      return `(${show(e.x)} ${e.op} ${show(e.y)})`;
    case 'composite':
      return `${e.type ? typeString(e.type) : ''}{${e.elems.map((el) => (el.key ? `${show(el.key)}: ${show(el.value)}` : show(el.value))).join(', ')}}`;
    default:
      return typeString(e as TypeExpr);
  }
}

const p = (src: string) => show(parseExpression(src));

describe('expression parser', () => {
  test('literals: ints in every base with separators, floats, imaginary, runes and strings with escapes', () => {
    assert.equal(p('0x1F'), '31');
    assert.equal(p('0b1010'), '10');
    assert.equal(p('0o17'), '15');
    assert.equal(p('017'), '15');
    assert.equal(p('1_000_000'), '1000000');
    assert.equal(p('18446744073709551616'), '18446744073709551616');
    assert.equal(p('1.5e3'), 'f1500');
    assert.equal(p('.25'), 'f0.25');
    assert.equal(p('2i'), '2i');
    assert.equal(p("'a'"), 'r97');
    assert.equal(p("'\\n'"), 'r10');
    assert.equal(p("'\\x41'"), 'r65');
    assert.equal(p("'é'"), 'r233');
    assert.equal(p("'\\u00e9'"), 'r233');
    assert.equal(p("'\\''"), 'r39');
    // "é" is two UTF-8 bytes; \xff is one raw byte; \101 is octal 'A'.
    assert.equal(p('"é\\xff\\101\\t"'), 's[195,169,255,65,9]');
    assert.equal(p('`a\\n`'), 's[97,92,110]');
  });

  test('precedence and associativity (5: * / % << >> & &^, 4: + - | ^, 3: comparisons, 2: &&, 1: ||)', () => {
    assert.equal(p('a + b * c'), '(a + (b * c))');
    assert.equal(p('a - b - c'), '((a - b) - c)');
    assert.equal(p('a | b ^ c & d'), '((a | b) ^ (c & d))');
    assert.equal(p('a << 2 + 1'), '((a << 2) + 1)');
    assert.equal(p('a &^ b == c'), '((a &^ b) == c)');
    assert.equal(p('a == 1 || b != 2 && c < 3'), '((a == 1) || ((b != 2) && (c < 3)))');
    assert.equal(p('-a * !b'), '((-a) * (!b))');
    assert.equal(p('^x + *p'), '((^x) + (*p))');
    assert.equal(p('&o.Items[1]'), '(&o.Items[1])');
    assert.equal(p('*p.q'), '(*p.q)');
    assert.equal(p('(a + b) * c'), '((a + b) * c)');
  });

  test('postfix chains: selectors, indexes, slices (2 and 3 index), calls, type assertions', () => {
    assert.equal(p('o.Items[i+1].SKU'), 'o.Items[(i + 1)].SKU');
    assert.equal(p('s[1:]'), 's[1:]');
    assert.equal(p('s[:n]'), 's[:n]');
    assert.equal(p('s[:]'), 's[:]');
    assert.equal(p('s[1:2:3]'), 's[1:2:3]');
    assert.equal(p('m["k"][0]'), 'm[s[107]][0]');
    assert.equal(p('len(xs) + cap(xs)'), '(len(xs) + cap(xs))');
    assert.equal(p('x.(int)'), 'x.(int)');
    assert.equal(p('x.(*main.T).F'), 'x.(*main.T).F');
    assert.equal(p('e.([]string)[0]'), 'e.([]string)[0]');
    assert.equal(p('x.(map[string]int)'), 'x.(map[string]int)');
    assert.equal(p('x.(interface{})'), 'x.(interface {})');
    assert.equal(p('x.(Pair[string,int])'), 'x.(Pair[string,int])');
  });

  test('conversions: T(x), pkg.T(x), (*T)(x), []byte(s), map and chan types', () => {
    assert.equal(p('int64(x)'), 'int64(x)');
    assert.equal(p('main.MyInt(3)'), 'main.MyInt(3)');
    assert.equal(p('(*main.T)(0xc000010000)'), '(*main.T)(824633786368)');
    assert.equal(p('[]byte(s)'), 'T<[]uint8>(s)'.replace('uint8', 'byte'));
    assert.equal(p('[4]int(a)'), 'T<[4]int>(a)');
    assert.equal(p('map[string]int(m)'), 'T<map[string]int>(m)');
    assert.equal(p('chan<- int(c)'), 'T<chan<- int>(c)');
  });

  test('composite literals: named, qualified, array, [...], slice and map types; keys; elided element types', () => {
    assert.equal(p('T{}'), 'T{}');
    assert.equal(p('main.T{1, 2}'), 'main.T{1, 2}');
    assert.equal(p('T{A: 1, B: x + 1,}'), 'T{A: 1, B: (x + 1)}');
    assert.equal(p('[2]int{3: 1}'), '[2]int{3: 1}');
    assert.equal(p('[...]string{"a"}'), '[...]string{s[97]}');
    assert.equal(p('[]T{{1, 2}, {A: 3}}'), '[]T{{1, 2}, {A: 3}}');
    assert.equal(p('map[T]int{{1, 2}: 3}'), 'map[T]int{{1, 2}: 3}');
    assert.equal(p('m[T{1, 1}].B'), 'm[T{1, 1}].B');
    assert.equal(p('T{1}.A == x'), '(T{1}.A == x)');
    assert.equal(p('&T{1}'), '(&T{1})');
    assert.equal(p('x.(type)'), 'x.(type)');
    // The empty struct type literal: its own literal, and as an element type.
    assert.equal(p('struct{}{}'), 'struct {}{}');
    assert.equal(p('[]struct{}{{}, struct{}{}}'), '[]struct {}{{}, struct {}{}}');
    assert.equal(p('map[string]struct{}{"a": {}}'), 'map[string]struct {}{s[97]: {}}');
    assert.equal(p('struct{}{} == x'), '(struct {}{} == x)');
  });

  test('errors name the problem and the column', () => {
    const err = (src: string) => {
      try {
        parseExpression(src);
      } catch (e) {
        return (e as Error).message;
      }
      return assert.fail(`${src} parsed`);
    };
    assert.equal(err(''), 'empty expression');
    assert.equal(err('a +'), 'expected an operand, found end of expression at column 4');
    assert.equal(err('(a'), "expected ')', found end of expression at column 3");
    assert.equal(err('a b'), 'unexpected text after the expression, found name b at column 3');
    assert.equal(err('a[1'), "expected ']', found end of expression at column 4");
    assert.equal(err('a[]'), "expected an operand, found ']' at column 3");
    assert.equal(err('s[1::3]'), "middle index required in 3-index slice, found ':' at column 5");
    assert.equal(err('x.(type'), "expected ')', found end of expression at column 8");
    assert.equal(err('T{1'), "expected '}', found end of expression at column 4");
    assert.equal(err('f(x){1}'), "a composite literal needs a type before {, found '{' at column 5");
    assert.equal(err('[...]int(x)'), "[...] array type must be followed by {, found '(' at column 9");
    assert.equal(err('func() {}'), 'function literals are not supported, found name func at column 1');
    assert.equal(err('<-ch'), "channel receive is not supported, found '<-' at column 1");
    assert.equal(err('"abc'), 'string literal not terminated');
    assert.equal(err("'ab'"), 'rune literal not terminated or more than one character');
    assert.equal(err("''"), "empty rune literal or unescaped ' in rune literal");
    assert.equal(err('"\\q"'), 'unknown escape sequence \\q');
    assert.equal(err('"\\400"'), 'octal escape value \\400 > 255');
    assert.equal(err('089'), 'invalid digit in octal literal 089');
    assert.equal(err('1.2.3'), 'unexpected text after the expression, found literal .3 at column 4');
    assert.equal(err('a # b'), 'unexpected character "#" at column 3');
    assert.equal(err('[]int'), 'a type ([]int) must be followed by (value), found end of expression at column 6');
  });
});

test('a type literal is a call argument before "," or ")": make([]int, 1), new(map[string]int)', () => {
  const m = parseExpression('make([]int, 1)') as Extract<Expr, { k: 'call' }>;
  assert.equal(m.k, 'call');
  assert.deepEqual(
    m.args.map((a) => a.k),
    ['type', 'int'],
  );
  assert.equal(typeString((m.args[0] as Extract<Expr, { k: 'type' }>).type), '[]int');
  const n = parseExpression('new(map[string]int)') as Extract<Expr, { k: 'call' }>;
  assert.equal(typeString((n.args[0] as Extract<Expr, { k: 'type' }>).type), 'map[string]int');
  assert.throws(() => parseExpression('[]int + 1'), /a type \(\[\]int\) must be followed by \(value\)/);
});
