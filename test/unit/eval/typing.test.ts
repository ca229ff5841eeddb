/**
 * The evaluator's Go typing rules without a program: untyped constant
 * arithmetic (exact, with the later kind of int < rune < float < complex),
 * representability in typed operands, typed wrap-around, comparability of
 * composite types and equality of structs and arrays, and the compiler's
 * wording of each refusal. Expectations are written from the Go spec and
 * from `go build` on the same expressions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dwarf } from '../../../src/dwarf/dwarf.js';
import type { GoType, StructField } from '../../../src/dwarf/goTypes.js';
import { goEqual, incomparable, sameUnderlying } from '../../../src/eval/comparison.js';
import { foldConst, representAs } from '../../../src/eval/constants.js';
import { binary, unary } from '../../../src/eval/operators.js';
import { ratFromLiteral, ratToNumber } from '../../../src/eval/rationals.js';
import { basicType, formatConst, intValue, konst, stringValue, val, type Const, type Result } from '../../../src/eval/results.js';
import { ValueReader } from '../../../src/values/valueReader.js';

/** A DWARF with no types of its own: every basic type is synthesized. */
const dw = { typeByName: () => undefined } as unknown as Dwarf;
/** A reader of a program with no readable memory: only computed bytes are there. */
const rd = new ValueReader({ mem: { readInto: () => 0 }, dwarf: dw, funcName: () => undefined });
const T = (name: string): GoType => basicType(dw, name)!;
const at = (text: string, pos = 0) => ({ text, pos });
const int = (v: bigint): Const => ({ kind: 'int', v });
const flt = (text: string): Const => ({ kind: 'float', v: Number(text), exact: ratFromLiteral(text) });

function shown(r: Result): string {
  if (r.k === 'const') return formatConst(r.c);
  const u = r.v.type;
  if (u.kind === 'int' || u.kind === 'uint' || u.kind === 'uintptr') return `${rd.int(r.v)} ${u.name}`;
  if (u.kind === 'float') return `${rd.float(r.v)} ${u.name}`;
  if (u.kind === 'bool') return `${rd.bool(r.v)}`;
  return u.name;
}

describe('untyped constants', () => {
  test('integers are exact and shifts of constants do not overflow', () => {
    const big = foldConst('*', int(1n << 100n), int(3n), at('1<<100'), at('3', 9));
    assert.equal(shown(big), String(3n << 100n));
    assert.equal(shown(foldConst('/', int(-7n), int(2n), at('-7'), at('2'))), '-3');
    assert.equal(shown(foldConst('%', int(-7n), int(2n), at('-7'), at('2'))), '-1');
  });
  test('floats are exact rationals: 0.1 + 0.2 == 0.3', () => {
    const sum = foldConst('+', flt('0.1'), flt('0.2'), at('0.1'), at('0.2', 6));
    assert.equal(sum.k, 'const');
    const eq = foldConst('==', (sum as { c: Const }).c, flt('0.3'), at('0.1 + 0.2'), at('0.3', 13));
    assert.equal(shown(eq), 'true');
    assert.equal(shown(foldConst('/', int(10n), flt('4.0'), at('10'), at('4.0', 5))), '2.5');
    assert.equal(ratToNumber(ratFromLiteral('0x1.8p1')!), 3);
    assert.equal(ratToNumber(ratFromLiteral('1_000.5e-1')!), 100.05);
  });
  test('the result takes the later kind: rune + int is a rune, int + float a float', () => {
    assert.equal(shown(foldConst('+', { kind: 'rune', v: 97n }, int(1n), at("'a'"), at('1', 6))), "98 'b'");
    assert.equal(foldConst('+', int(1n), flt('0.5'), at('1'), at('0.5', 4)).k, 'const');
  });
  test('mismatched kinds and division by zero are refused in the compiler’s words', () => {
    assert.throws(() => foldConst('<', { kind: 'string', v: new TextEncoder().encode('a') }, int(1n), at('"a"'), at('1', 6)), {
      message: 'invalid operation: "a" < 1 (mismatched types untyped string and untyped int) at column 1',
    });
    assert.throws(() => foldConst('/', int(1n), int(0n), at('1'), at('0', 4)), { message: 'invalid operation: division by zero at column 5' });
    assert.throws(() => foldConst('==', { kind: 'nil' }, { kind: 'nil' }, at('nil'), at('nil', 7)), {
      message: 'invalid operation: nil == nil (operator == not defined on untyped nil) at column 1',
    });
    assert.throws(() => foldConst('%', flt('1.5'), int(2n), at('1.5'), at('2', 6)), {
      message: 'invalid operation: operator % not defined on 1.5 (untyped float constant) at column 1',
    });
  });
});

describe('representability', () => {
  const fail = () => new Error('mismatch');
  test('a constant converts to a typed operand only when it fits', () => {
    assert.equal(rd.int(representAs(int(255n), T('uint8'), at('255'), fail)), 255n);
    assert.throws(() => representAs(int(300n), T('uint8'), at('300', 5), fail), { message: '300 (untyped int constant) overflows uint8 at column 6' });
    assert.throws(() => representAs(flt('1.5'), T('int'), at('1.5'), fail), { message: '1.5 (untyped float constant) truncated to int at column 1' });
    assert.throws(() => representAs(int(-129n), T('int8'), at('-129'), fail, 'conversion'), { message: 'constant -129 overflows int8 at column 1' });
    assert.throws(() => representAs(flt('1e300'), T('float32'), at('1e300'), fail, 'conversion'), {
      message: 'cannot convert 1e300 (untyped float constant 1e+300) to type float32 at column 1',
    });
    // An integral float constant is an integer: 2.0 fits an int.
    assert.equal(rd.int(representAs(flt('2.0'), T('int'), at('2.0'), fail)), 2n);
  });
});

describe('typed operators', () => {
  const i8 = (v: bigint) => val(intValue(T('int8'), v));
  test('integers wrap like two’s complement; shifts past the width give 0', () => {
    assert.equal(shown(binary(rd, dw, '*', i8(-5n), konst(int(30n)), { x: at('i8'), y: at('30', 5) })), '106 int8');
    assert.equal(shown(binary(rd, dw, '<<', i8(-5n), konst(int(8n)))), '0 int8');
    assert.equal(shown(binary(rd, dw, '>>', i8(-5n), konst(int(1n)))), '-3 int8');
    assert.equal(shown(unary(rd, '^', val(intValue(T('uint8'), 200n)))), '55 uint8');
  });
  test('typed operands must have identical types', () => {
    assert.throws(() => binary(rd, dw, '+', val(intValue(T('int'), 2n)), i8(1n), { x: at('i2'), y: at('i8', 5) }), {
      message: 'invalid operation: i2 + i8 (mismatched types int and int8) at column 1',
    });
  });
  test('a string constant meets a typed string and concatenates into a new string of that type', () => {
    const s = val(stringValue(rd, T('string'), new TextEncoder().encode('go')));
    const r = binary(rd, dw, '+', s, konst({ kind: 'string', v: new TextEncoder().encode('pher') }), { x: at('s'), y: at('"pher"', 4) });
    assert.equal(r.k, 'val');
    const h = rd.stringHeader((r as Extract<Result, { k: 'val' }>).v);
    assert.equal(new TextDecoder().decode(rd.read(h.data, h.len)), 'gopher');
  });
});

describe('comparison', () => {
  const f = (name: string, type: GoType, offset: number): StructField => ({ name, type, offset, embedded: false, typeOffset: 0 });
  const base = { offset: -1, goKind: 0, runtimeType: 0 };
  const intT = T('int');
  const slice: GoType = { ...base, kind: 'slice', name: '[]int', size: 24, fields: [], elemOffset: 0, elem: intT };
  const point: GoType = { ...base, kind: 'struct', name: 'main.Point', size: 16, fields: [f('X', intT, 0), f('Y', intT, 8)] };
  const bag: GoType = { ...base, kind: 'struct', name: 'main.Bag', size: 32, fields: [f('N', intT, 0), f('Items', slice, 8)] };
  const blank: GoType = { ...base, kind: 'struct', name: 'main.B', size: 16, fields: [f('X', intT, 0), f('_', intT, 8)] };
  const arr: GoType = { ...base, kind: 'array', name: '[2]main.Point', size: 32, count: 2, elemOffset: 0, elem: point };
  const bytesOf = (...ns: number[]) => {
    const b = new Uint8Array(ns.length * 8);
    ns.forEach((n, i) => new DataView(b.buffer).setBigInt64(i * 8, BigInt(n), true));
    return b;
  };
  test('structs and arrays containing slices are not comparable', () => {
    assert.equal(incomparable(point), undefined);
    assert.equal(incomparable(bag), 'struct containing []int cannot be compared');
    assert.equal(incomparable(slice), 'slice can only be compared to nil');
    assert.equal(incomparable(arr), undefined);
  });
  test('struct equality is field by field, blank fields skipped; arrays element by element', () => {
    assert.equal(goEqual(rd, { type: point, bytes: bytesOf(1, 2) }, { type: point, bytes: bytesOf(1, 2) }), true);
    assert.equal(goEqual(rd, { type: point, bytes: bytesOf(1, 2) }, { type: point, bytes: bytesOf(2, 1) }), false);
    assert.equal(goEqual(rd, { type: blank, bytes: bytesOf(1, 7) }, { type: blank, bytes: bytesOf(1, 9) }), true);
    assert.equal(goEqual(rd, { type: arr, bytes: bytesOf(1, 2, 3, 4) }, { type: arr, bytes: bytesOf(1, 2, 3, 4) }), true);
    assert.equal(goEqual(rd, { type: arr, bytes: bytesOf(1, 2, 3, 4) }, { type: arr, bytes: bytesOf(1, 2, 3, 5) }), false);
  });
  test('a named struct and its underlying literal have identical underlying types', () => {
    const lit: GoType = { ...point, name: 'struct { X int; Y int }' };
    assert.equal(sameUnderlying(point, lit), true);
    assert.equal(sameUnderlying(point, bag), false);
  });
  test('== on incomparable structs is refused', () => {
    const x = val({ type: bag, bytes: new Uint8Array(32) });
    assert.throws(() => binary(rd, dw, '==', x, x, { x: at('bag'), y: at('bag', 7) }), {
      message: 'invalid operation: bag == bag (struct containing []int cannot be compared) at column 1',
    });
  });
});
