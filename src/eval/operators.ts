/**
 * Go's operators with the spec's typing rules: two untyped constants fold
 * (constants.ts); an untyped constant meets a typed operand by converting to
 * its type (it must be representable); two typed operands must have
 * identical types for arithmetic and be assignable one to the other for
 * comparisons (comparison.ts decides comparability and equality). Typed
 * integers wrap like Go's two's complement, float32 rounds, strings
 * concatenate into a new string. Shifts take any integer count (an untyped
 * one must be a non-negative integer constant). Errors are the compiler's.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import { decodeInt, type ValueReader } from '../values/valueReader.js';
import type { BinaryOp, UnaryOp } from './ast.js';
import { goEqual, identical, incomparable, interfaceComparable, interfaceEqualsValue, isOrdered, sameUnderlying, stringBytesOf } from './comparison.js';
import {
  compareBytes,
  compareNumbers,
  complexOp,
  defaultType,
  describeConst,
  floatOp,
  foldConst,
  intOp,
  representAs,
  shiftConst,
  type Spot,
} from './constants.js';
import { errorAt, EvalError } from './errors.js';
import { formatFloat } from '../values/goFormat.js';
import {
  boolConst,
  complexValue,
  constTypeName,
  floatValue,
  intValue,
  konst,
  stringValue,
  typedConst,
  val,
  wrapInt,
  type Const,
  type Result,
} from './results.js';

/** The largest string an expression reads whole (comparisons, conversions). */
export const MAX_STRING_READ = 16 << 20;

export function typeNameOf(r: Result): string {
  return r.k === 'const' ? constTypeName(r.c) : r.v.type.name || underlying(r.v.type).name;
}

/** Go's description of an operand: "f1 (variable of type float64)", "300 (untyped int constant)". */
export function describe(s: Spot, r: Result): string {
  if (r.k === 'const') return describeConst(s, r.c);
  const u = underlying(r.v.type);
  if (r.constant && r.v.bytes && (u.kind === 'int' || u.kind === 'uint' || u.kind === 'uintptr'))
    return `${s.text} (constant ${decodeInt(r.v.bytes, u.kind === 'int' && u.signed)} of type ${typeNameOf(r)})`;
  return `${s.text} (${r.constant ? 'constant' : r.v.computed ? 'value' : 'variable'} of type ${typeNameOf(r)})`;
}

/** Where the operands are written, for messages; without it, messages name the operands' types. */
export interface BinarySpots {
  x: Spot;
  y: Spot;
}

type Num = { cls: 'int'; v: bigint } | { cls: 'float'; v: number } | { cls: 'complex'; re: number; im: number };

function numberOf(rd: ValueReader, v: Value): Num | undefined {
  const u = underlying(v.type);
  switch (u.kind) {
    case 'int':
    case 'uint':
    case 'uintptr':
      return { cls: 'int', v: rd.int(v) };
    case 'float':
      return { cls: 'float', v: rd.float(v) };
    case 'complex': {
      const [re, im] = rd.complex(v);
      return { cls: 'complex', re, im };
    }
    default:
      return undefined;
  }
}

/** A typed numeric result of type t (integers wrap, float32 and complex64 round). */
export function numericValue(t: GoType, n: Num): Value {
  const u = underlying(t);
  if (u.kind === 'float') return floatValue(t, n.cls === 'float' ? n.v : Number((n as { v: bigint }).v));
  if (u.kind === 'complex') return n.cls === 'complex' ? complexValue(t, n.re, n.im) : complexValue(t, Number(n.v), 0);
  return intValue(t, wrapInt(t, (n as { v: bigint }).v));
}

/** An operand's class with its value read (assignments, index expressions). */
export type Operand =
  | { cls: 'int'; v: bigint; t?: GoType }
  | { cls: 'float'; v: number; t?: GoType }
  | { cls: 'complex'; re: number; im: number; t?: GoType }
  | { cls: 'bool'; v: boolean; t?: GoType }
  | { cls: 'string'; len: number; bytes: () => Uint8Array; t?: GoType }
  | { cls: 'nil' }
  | { cls: 'ref'; addr: number; t: GoType }
  | { cls: 'iface'; v: Value; t: GoType }
  | { cls: 'other'; t: GoType };

export function operand(rd: ValueReader, r: Result): Operand {
  if (r.k === 'const') {
    const c = r.c;
    switch (c.kind) {
      case 'int':
      case 'rune':
        return { cls: 'int', v: c.v };
      case 'float':
        return { cls: 'float', v: c.v };
      case 'complex':
        return { cls: 'complex', re: c.re, im: c.im };
      case 'bool':
        return { cls: 'bool', v: c.v };
      case 'string':
        return { cls: 'string', len: c.v.length, bytes: () => c.v };
      case 'nil':
        return { cls: 'nil' };
    }
  }
  const v = r.v;
  const t = v.type;
  const u = underlying(t);
  switch (u.kind) {
    case 'int':
    case 'uint':
    case 'uintptr':
      return { cls: 'int', v: rd.int(v), t };
    case 'float':
      return { cls: 'float', v: rd.float(v), t };
    case 'complex': {
      const [re, im] = rd.complex(v);
      return { cls: 'complex', re, im, t };
    }
    case 'bool':
      return { cls: 'bool', v: rd.bool(v), t };
    case 'string': {
      const h = rd.stringHeader(v);
      return { cls: 'string', len: h.len, t, bytes: () => stringBytesOf(rd, v) };
    }
    case 'pointer':
    case 'unsafePointer':
    case 'map':
    case 'chan':
    case 'func':
    case 'slice':
      return { cls: 'ref', addr: rd.pointer(v), t };
    case 'interface':
      return { cls: 'iface', v, t };
    default:
      return { cls: 'other', t };
  }
}

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '<', '<=', '>', '>=']);

/** The word Go uses for a type's kind in "operator < not defined on chan". */
function kindWord(t: GoType): string {
  const k = underlying(t).kind;
  return k === 'unsafePointer' ? 'unsafe.Pointer' : k;
}

function isZeroConst(c: Const): boolean {
  if (c.kind === 'int' || c.kind === 'rune') return c.v === 0n;
  if (c.kind === 'float') return c.v === 0;
  return c.kind === 'complex' && c.re === 0 && c.im === 0;
}

/** Whether a value of kind k may be compared with untyped nil. */
function nilable(t: GoType): boolean {
  const k = underlying(t).kind;
  return k === 'pointer' || k === 'unsafePointer' || k === 'slice' || k === 'map' || k === 'chan' || k === 'func' || k === 'interface';
}

function isNil(rd: ValueReader, v: Value): boolean {
  if (underlying(v.type).kind === 'interface') return dynamicOf(rd, v).nil;
  // A slice is nil when its array pointer is; the others are one word.
  return rd.pointer(v) === 0;
}

/** Whether a type literal (not a defined type) is spelled by name: []int, *T, map[K]V, struct {…}. */
function isUnnamed(t: GoType): boolean {
  return /^(\*|\[|map\[|chan |<-chan |func\(|struct \{|interface \{)/.test(t.name) && t.name !== 'interface {}';
}

/** The spec's assignability between two typed non-interface operands of a comparison. */
function assignable(a: GoType, b: GoType): boolean {
  if (identical(a, b)) return true;
  // Identical underlying types, one of them a type literal ([]int, *T, struct {…}).
  if ((isUnnamed(a) || isUnnamed(b)) && sameUnderlying(a, b)) return true;
  // A bidirectional channel is assignable to a directional one of the same element.
  const ua = underlying(a);
  const ub = underlying(b);
  return ua.kind === 'chan' && ub.kind === 'chan' && (ua.dir === 'both' || ub.dir === 'both') && identical(ua.elem, ub.elem);
}

/** Converts the untyped constant operand to the other operand's type, as Go does in a binary expression. */
function constAgainst(rd: ValueReader, dw: Dwarf, c: Const, other: Value, s: Spot, mismatch: () => EvalError): Value {
  const t = other.type;
  const u = underlying(t);
  if (u.kind === 'interface') {
    if (c.kind === 'nil') return { type: t, bytes: new Uint8Array(16), computed: true };
    const d = defaultType(dw, c);
    if (!d) throw mismatch();
    return c.kind === 'string' ? stringValue(rd, d, c.v) : representAs(c, d, s, mismatch);
  }
  if (u.kind === 'string') {
    if (c.kind !== 'string') throw mismatch();
    return stringValue(rd, t, c.v);
  }
  return representAs(c, t, s, mismatch);
}

/** Evaluates `x op y` for everything but && and || (short-circuited by the caller). */
export function binary(rd: ValueReader, dw: Dwarf, op: BinaryOp, x: Result, y: Result, spots?: BinarySpots): Result {
  const sx: Spot = spots?.x ?? { text: typeNameOf(x) };
  const sy: Spot = spots?.y ?? { text: typeNameOf(y) };
  if (op === '<<' || op === '>>') return shift(dw, rd, op, x, y, sx, sy);
  const mismatch = () => errorAt(sx.pos, `invalid operation: ${sx.text} ${op} ${sy.text} (mismatched types ${typeNameOf(x)} and ${typeNameOf(y)})`);
  if (x.k === 'const' && y.k === 'const') return foldConst(op, x.c, y.c, sx, sy);
  const cmp = COMPARISONS.has(op);
  // nil against a pointer, slice, map, chan, func or interface.
  if (cmp && ((x.k === 'const' && x.c.kind === 'nil') || (y.k === 'const' && y.c.kind === 'nil'))) {
    const v = (x.k === 'val' ? x.v : (y as Extract<Result, { k: 'val' }>).v) as Value;
    if (!nilable(v.type)) throw mismatch();
    if (op !== '==' && op !== '!=') throw errorAt(sx.pos, `invalid operation: ${sx.text} ${op} ${sy.text} (operator ${op} not defined on nil)`);
    return boolConst(isNil(rd, v) === (op === '=='));
  }
  // A string constant against a string value: compared in place (map lookups compare every key this way).
  if (cmp && (x.k === 'const') !== (y.k === 'const')) {
    const [c, v] = x.k === 'const' ? [x.c, (y as Extract<Result, { k: 'val' }>).v] : [(y as Extract<Result, { k: 'const' }>).c, x.v];
    if (c.kind === 'string' && underlying(v.type).kind === 'string') {
      const h = rd.stringHeader(v);
      if ((op === '==' || op === '!=') && h.len !== c.v.length) return boolConst(op === '!=');
      const vb = stringBytesOf(rd, v);
      return boolConst(compareNumbers(op, x.k === 'const' ? compareBytes(c.v, vb) : compareBytes(vb, c.v), 0));
    }
  }
  const a = x.k === 'val' ? x.v : constAgainst(rd, dw, x.c, (y as Extract<Result, { k: 'val' }>).v, sx, mismatch);
  const b = y.k === 'val' ? y.v : constAgainst(rd, dw, y.c, (x as Extract<Result, { k: 'val' }>).v, sy, mismatch);
  if (cmp) return compare(rd, op, a, b, sx, sy, mismatch);
  if (!identical(a.type, b.type)) throw mismatch();
  const constant = isConstant(x) && isConstant(y);
  // A constant zero divisor is a compile-time error when the dividend is a constant or an integer
  // (the spec); a float or complex variable divided by it is IEEE's ±Inf or NaN.
  const zeroDivisor = (y.k === 'const' && isZeroConst(y.c)) || (y.k === 'val' && y.constant && isZeroValue(rd, y.v));
  if ((op === '/' || op === '%') && zeroDivisor && (isConstant(x) || !['float', 'complex'].includes(underlying(a.type).kind)))
    throw errorAt(sy.pos, 'invalid operation: division by zero');
  return arithmetic(rd, op, a, b, sx, sy, constant && { text: `${sx.text} ${op} ${sy.text}`, pos: sx.pos });
}

/** An untyped constant, or a typed one (`uint8(255)`). */
function isConstant(r: Result): boolean {
  return r.k === 'const' || !!r.constant;
}

function isZeroValue(rd: ValueReader, v: Value): boolean {
  const n = numberOf(rd, v);
  return !!n && (n.cls === 'complex' ? n.re === 0 && n.im === 0 : n.v === 0 || n.v === 0n);
}

/** A typed constant result: it must be representable in its type (Go evaluates it at compile time). */
function constantResult(t: GoType, exact: bigint | number, whole: Spot): Result {
  const u = underlying(t);
  if (typeof exact === 'bigint') {
    if (wrapInt(t, exact) !== exact) throw errorAt(whole.pos, `${whole.text} (constant ${exact} of type ${t.name}) overflows ${t.name}`);
    return typedConst(intValue(t, exact));
  }
  const f = u.size === 4 ? Math.fround(exact) : exact;
  if (!Number.isFinite(f)) throw errorAt(whole.pos, `${whole.text} (constant ${formatFloat(exact)} of type ${t.name}) overflows ${t.name}`);
  return typedConst(floatValue(t, f));
}

function compare(rd: ValueReader, op: BinaryOp, a: Value, b: Value, sx: Spot, sy: Spot, mismatch: () => EvalError): Result {
  const ia = underlying(a.type).kind === 'interface';
  const ib = underlying(b.type).kind === 'interface';
  const whole = `${sx.text} ${op} ${sy.text}`;
  const equality = op === '==' || op === '!=';
  if (ia || ib) {
    if (!equality) throw errorAt(sx.pos, `invalid operation: ${whole} (operator ${op} not defined on interface)`);
    if (!interfaceComparable(rd, a, b)) throw mismatch();
    const concrete = ia && ib ? undefined : ia ? b : a;
    if (concrete) {
      const why = incomparable(concrete.type);
      if (why) throw errorAt(sx.pos, `invalid operation: ${whole} (${why})`);
    }
    const eq = ia && ib ? goEqual(rd, a, b) : interfaceEqualsValue(rd, ia ? a : b, (ia ? b : a) as Value);
    return boolConst(eq === (op === '=='));
  }
  if (!assignable(a.type, b.type)) throw mismatch();
  if (equality) {
    const why = incomparable(a.type);
    if (why) throw errorAt(sx.pos, `invalid operation: ${whole} (${why})`);
    return boolConst(goEqual(rd, a, b) === (op === '=='));
  }
  if (!isOrdered(a.type)) throw errorAt(sx.pos, `invalid operation: ${whole} (operator ${op} not defined on ${kindWord(a.type)})`);
  if (underlying(a.type).kind === 'string') return boolConst(compareNumbers(op, compareBytes(stringBytesOf(rd, a), stringBytesOf(rd, b)), 0));
  const na = numberOf(rd, a)!;
  const nb = numberOf(rd, b)!;
  return boolConst(compareNumbers(op, (na as { v: number | bigint }).v, (nb as { v: number | bigint }).v));
}

function arithmetic(rd: ValueReader, op: BinaryOp, a: Value, b: Value, sx: Spot, sy: Spot, constant: Spot | false): Result {
  const t = a.type;
  const u = underlying(t);
  const notDefined = () => errorAt(sx.pos, `invalid operation: operator ${op} not defined on ${describe(sx, val(a))}`);
  if (u.kind === 'string') {
    if (op !== '+') throw notDefined();
    const ab = stringBytesOf(rd, a);
    const bb = stringBytesOf(rd, b);
    const out = new Uint8Array(ab.length + bb.length);
    out.set(ab);
    out.set(bb, ab.length);
    return { k: 'val', v: stringValue(rd, t, out), constant: !!constant };
  }
  const na = numberOf(rd, a);
  const nb = numberOf(rd, b);
  if (!na || !nb) throw notDefined();
  if (na.cls === 'int' && nb.cls === 'int') {
    if ((op === '/' || op === '%') && nb.v === 0n) throw errorAt(sy.pos, 'runtime error: integer divide by zero');
    // Go's signed division truncates toward zero like BigInt's; MinInt / -1 wraps (for variables).
    const r = intOp(op, na.v, nb.v, sy, notDefined);
    if (constant) return constantResult(t, r, constant);
    return val(intValue(t, wrapInt(t, r)));
  }
  if (na.cls === 'float' && nb.cls === 'float') {
    const r = floatOp(op, na.v, nb.v);
    if (r === undefined) throw notDefined();
    if (constant) return constantResult(t, r, constant);
    return val(floatValue(t, u.size === 4 ? Math.fround(r) : r));
  }
  if (na.cls === 'complex' && nb.cls === 'complex') {
    const r = complexOp(op, na.re, na.im, nb.re, nb.im);
    if (!r) throw notDefined();
    return { k: 'val', v: complexValue(t, r[0], r[1]), constant: !!constant };
  }
  throw notDefined();
}

function shift(dw: Dwarf, rd: ValueReader, op: '<<' | '>>', x: Result, y: Result, sx: Spot, sy: Spot): Result {
  // The count: any integer type, or an untyped constant representable as uint.
  let count: bigint;
  if (y.k === 'const') {
    const c = y.c;
    if (c.kind === 'int' || c.kind === 'rune') count = c.v;
    else if (c.kind === 'float' && Number.isInteger(c.v)) count = BigInt(c.v);
    else if (c.kind === 'float' || c.kind === 'complex') throw errorAt(sy.pos, `${describeConst(sy, c)} truncated to uint`);
    else throw errorAt(sy.pos, `invalid operation: shift count ${describeConst(sy, c)} must be integer`);
    if (count < 0n) throw errorAt(sy.pos, `invalid operation: negative shift count ${describeConst(sy, c)}`);
  } else {
    const n = numberOf(rd, y.v);
    if (n?.cls !== 'int') throw errorAt(sy.pos, `invalid operation: shift count ${describe(sy, y)} must be integer`);
    if (n.v < 0n) throw errorAt(sy.pos, 'runtime error: negative shift amount');
    count = n.v;
  }
  if (x.k === 'const') {
    const c = x.c;
    let v: bigint;
    if (c.kind === 'int' || c.kind === 'rune') v = c.v;
    else if (c.kind === 'float' && Number.isInteger(c.v)) v = BigInt(c.v);
    else throw errorAt(sx.pos, `invalid operation: shifted operand ${describeConst(sx, c)} must be integer`);
    if (y.k === 'const') return konst({ kind: c.kind === 'rune' ? 'rune' : 'int', v: shiftConst(op, v, count, sy) });
    // A non-constant shift: the untyped operand takes its default type (int, rune; a float constant is no integer).
    if (c.kind === 'float') throw errorAt(sx.pos, `invalid operation: shifted operand ${sx.text} (type float64) must be integer`);
    const dt = defaultType(dw, c)!;
    return val(intValue(dt, wrapInt(dt, shiftTyped(op, v, count, dt))));
  }
  const t = x.v.type;
  const n = numberOf(rd, x.v);
  if (n?.cls !== 'int') throw errorAt(sx.pos, `invalid operation: shifted operand ${describe(sx, x)} must be integer`);
  if (x.constant && isConstant(y))
    return constantResult(t, op === '<<' ? shiftConst(op, n.v, count, sy) : n.v >> count, { text: `${sx.text} ${op} ${sy.text}`, pos: sx.pos });
  return val(intValue(t, wrapInt(t, shiftTyped(op, n.v, count, t))));
}

/** A shift of a value of integer type t: counts at or past the width give 0 (or -1 for a negative >>). */
function shiftTyped(op: '<<' | '>>', v: bigint, count: bigint, t: GoType): bigint {
  const bits = BigInt(underlying(t).size * 8);
  const c = count > bits ? bits : count;
  return op === '<<' ? v << c : v >> c;
}

export function asBool(r: Result, rd?: ValueReader): boolean {
  if (r.k === 'const' && r.c.kind === 'bool') return r.c.v;
  if (r.k === 'val' && underlying(r.v.type).kind === 'bool') {
    const b = r.v.bytes;
    if (b) return b[0] !== 0;
    if (rd) return rd.bool(r.v);
  }
  throw new EvalError(`expected a boolean, got ${typeNameOf(r)}`);
}

export function unary(rd: ValueReader, op: Exclude<UnaryOp, '*' | '&'>, x: Result, s?: Spot): Result {
  const sp: Spot = s ?? { text: typeNameOf(x) };
  const notDefined = () => errorAt(sp.pos, `invalid operation: operator ${op} not defined on ${describe(sp, x)}`);
  if (x.k === 'const') {
    const c = x.c;
    switch (op) {
      case '+':
        if (c.kind === 'int' || c.kind === 'rune' || c.kind === 'float' || c.kind === 'complex') return x;
        break;
      case '-':
        if (c.kind === 'int' || c.kind === 'rune') return konst({ kind: c.kind, v: -c.v });
        if (c.kind === 'float') return konst({ kind: 'float', v: -c.v, exact: c.exact && { n: -c.exact.n, d: c.exact.d } });
        if (c.kind === 'complex') return konst({ kind: 'complex', re: -c.re, im: -c.im });
        break;
      case '!':
        if (c.kind === 'bool') return boolConst(!c.v);
        break;
      case '^':
        if (c.kind === 'int' || c.kind === 'rune') return konst({ kind: c.kind, v: ~c.v });
        break;
    }
    throw notDefined();
  }
  const v = x.v;
  const u = underlying(v.type);
  if (op === '!') {
    if (u.kind !== 'bool') throw notDefined();
    return val({ type: v.type, bytes: new Uint8Array([rd.bool(v) ? 0 : 1]), computed: true });
  }
  const n = numberOf(rd, v);
  if (!n) throw notDefined();
  if (x.constant && n.cls !== 'complex') {
    const whole = { text: `${op}${sp.text}`, pos: sp.pos === undefined ? undefined : sp.pos - 1 };
    if (op === '^' && n.cls === 'int') {
      // ^x of a typed constant: for unsigned types the bits of the type's width are flipped.
      const u = underlying(v.type);
      return constantResult(v.type, u.kind === 'int' && u.signed ? ~n.v : BigInt.asUintN(u.size * 8, ~n.v), whole);
    }
    if (op === '-') return constantResult(v.type, -n.v, whole);
    if (op === '+') return x;
  }
  switch (op) {
    case '+':
      return val(numericValue(v.type, n));
    case '-':
      if (n.cls === 'complex') return val(complexValue(v.type, -n.re, -n.im));
      return val(numericValue(v.type, n.cls === 'int' ? { cls: 'int', v: -n.v } : { cls: 'float', v: -n.v }));
    case '^':
      if (n.cls !== 'int') throw notDefined();
      return val(intValue(v.type, wrapInt(v.type, ~n.v)));
  }
}

/** Converts an untyped constant to a typed value of type t (assignability of constants, as in setVariable). */
export function constToType(dw: Dwarf, c: Const, t: GoType): Value {
  void dw;
  const s: Spot = { text: describeShort(c) };
  return representAs(c, t, s, () => new EvalError(`cannot use ${describeConst(s, c)} as ${t.name} value`), 'assignment');
}

function describeShort(c: Const): string {
  switch (c.kind) {
    case 'int':
    case 'rune':
      return c.v.toString();
    case 'float':
      return String(c.v);
    case 'complex':
      return `(${c.re}+${c.im}i)`;
    case 'string':
      return JSON.stringify(new TextDecoder().decode(c.v));
    case 'bool':
      return String(c.v);
    case 'nil':
      return 'nil';
  }
}
