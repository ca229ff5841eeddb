/**
 * Go's operators on evaluated operands: constant folding for untyped
 * constants, typed integer arithmetic with wrap-around, floats (float32
 * rounded), strings, pointers and nil, and interfaces compared through their
 * dynamic values. Types are checked the way Go users expect, a little more
 * leniently than the compiler (two integer types may be compared).
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import type { BinaryOp, UnaryOp } from './ast.js';
import { EvalError } from './errors.js';
import { boolConst, complexValue, constTypeName, fitsInt, floatValue, intValue, konst, val, wrapInt, type Const, type Result } from './results.js';

/** The largest string an expression reads whole (comparisons, conversions). */
export const MAX_STRING_READ = 16 << 20;

type Operand =
  | { cls: 'int'; v: bigint; t?: GoType }
  | { cls: 'float'; v: number; t?: GoType }
  | { cls: 'complex'; re: number; im: number; t?: GoType }
  | { cls: 'bool'; v: boolean; t?: GoType }
  | { cls: 'string'; len: number; bytes: () => Uint8Array; t?: GoType }
  | { cls: 'nil' }
  | { cls: 'ref'; addr: number; t: GoType }
  | { cls: 'iface'; v: Value; t: GoType }
  | { cls: 'other'; t: GoType };

export function typeNameOf(r: Result): string {
  return r.k === 'const' ? constTypeName(r.c) : r.v.type.name || underlying(r.v.type).name;
}

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
      return {
        cls: 'string',
        len: h.len,
        t,
        bytes: () => {
          if (h.len > MAX_STRING_READ) throw new EvalError(`string too long to read (${h.len} bytes)`);
          return h.len <= 0 ? new Uint8Array(0) : rd.read(h.data, h.len);
        },
      };
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

function _bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bytesCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const COMPARISON = new Set(['==', '!=', '<', '<=', '>', '>=']);

function cmp<T>(op: BinaryOp, a: T, b: T): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw new EvalError(`operator ${op} is not a comparison`);
  }
}

function mismatch(op: string, x: Result, y: Result): EvalError {
  return new EvalError(`invalid operation: mismatched types ${typeNameOf(x)} and ${typeNameOf(y)} (operator ${op})`);
}

/** Integer arithmetic; throws on division by zero and bad shifts. */
function intArith(op: BinaryOp, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0n) throw new EvalError('integer division by zero');
      return a / b;
    case '%':
      if (b === 0n) throw new EvalError('integer division by zero');
      return a % b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&^':
      return a & ~b;
    case '<<':
      if (b < 0n) throw new EvalError('negative shift count');
      if (b > 4096n) throw new EvalError('shift count too large');
      return a << b;
    case '>>':
      if (b < 0n) throw new EvalError('negative shift count');
      return a >> (b > 4096n ? 4096n : b);
    default:
      throw new EvalError(`operator ${op} not defined on integers`);
  }
}

function floatArith(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      throw new EvalError(`operator ${op} not defined on floats`);
  }
}

/** Evaluates `x op y` for everything but && and || (short-circuited by the caller). */
export function binary(rd: ValueReader, dw: Dwarf, op: BinaryOp, x: Result, y: Result): Result {
  const a = operand(rd, x);
  const b = operand(rd, y);
  // Interfaces: nil checks, else compare the dynamic value.
  if (a.cls === 'iface' || b.cls === 'iface') {
    if (op !== '==' && op !== '!=') throw new EvalError(`operator ${op} not defined on interfaces`);
    const [i, other, otherR] = a.cls === 'iface' ? [a, b, y] : [b as Extract<Operand, { cls: 'iface' }>, a, x];
    const d = dynamicOf(rd, i.v);
    let eq: boolean;
    if (other.cls === 'nil') eq = d.nil;
    else if (d.nil) eq = false;
    else if (!d.value) throw new EvalError('interface holds a value of a type unknown to DWARF');
    else if (other.cls === 'iface') {
      const d2 = dynamicOf(rd, other.v);
      if (d2.nil || d2.nil !== d.nil || d2.typeAddr !== d.typeAddr || !d2.value) eq = false;
      else eq = asBool(binary(rd, dw, '==', val(d.value), val(d2.value)), rd);
    } else {
      const dynClass = operand(rd, val(d.value)).cls;
      if (dynClass !== other.cls) eq = false;
      else if (other.cls !== 'int' && other.cls !== 'float' && other.cls !== 'bool' && other.cls !== 'string' && other.cls !== 'complex' && other.cls !== 'ref')
        eq = false;
      else if ('t' in other && other.t && other.t.name !== d.value.type.name) eq = false;
      else eq = asBool(binary(rd, dw, '==', val(d.value), otherR), rd);
    }
    return boolConst(op === '==' ? eq : !eq);
  }
  if (COMPARISON.has(op)) return compare(op, x, y, a, b);
  // Arithmetic.
  if (a.cls === 'string' && b.cls === 'string') {
    if (op !== '+') throw new EvalError(`operator ${op} not defined on strings`);
    const ab = a.bytes();
    const bb = b.bytes();
    const out = new Uint8Array(ab.length + bb.length);
    out.set(ab);
    out.set(bb, ab.length);
    return konst({ kind: 'string', v: out });
  }
  const shift = op === '<<' || op === '>>';
  if (shift) {
    if (a.cls !== 'int' && !(a.cls === 'float' && !a.t && Number.isInteger(a.v)))
      throw new EvalError(`invalid operation: shifted operand ${typeNameOf(x)} must be an integer`);
    if (b.cls !== 'int') throw new EvalError(`invalid operation: shift count type ${typeNameOf(y)} must be an integer`);
    const av = a.cls === 'int' ? a.v : BigInt(a.v as number);
    const res = intArith(op, av, b.v);
    return a.t ? val(intValue(a.t, wrapInt(a.t, res))) : konst({ kind: 'int', v: res });
  }
  const t = (a as { t?: GoType }).t ?? (b as { t?: GoType }).t;
  if (a.cls === 'int' && b.cls === 'int') {
    const res = intArith(op, a.v, b.v);
    if (!t) return konst({ kind: (x.k === 'const' && x.c.kind === 'rune') || (y.k === 'const' && y.c.kind === 'rune') ? 'rune' : 'int', v: res });
    return val(intValue(t, wrapInt(t, res)));
  }
  if ((a.cls === 'int' || a.cls === 'float') && (b.cls === 'int' || b.cls === 'float')) {
    const tu = t ? underlying(t) : undefined;
    if (tu && tu.kind !== 'float') {
      // A typed integer with an untyped float constant: the constant must be integral.
      const f = a.cls === 'float' ? a : (b as { v: number });
      if (!Number.isInteger(f.v)) throw new EvalError(`constant ${f.v} truncated to integer`);
      return binary(
        rd,
        dw,
        op,
        a.cls === 'float' ? konst({ kind: 'int', v: BigInt(a.v) }) : x,
        b.cls === 'float' ? konst({ kind: 'int', v: BigInt(b.v as number) }) : y,
      );
    }
    if (op === '%' || op === '&' || op === '|' || op === '^' || op === '&^') throw new EvalError(`operator ${op} not defined on floats`);
    let res = floatArith(op, Number(a.v), Number(b.v));
    if (!t) return konst({ kind: 'float', v: res });
    if (tu!.size === 4) res = Math.fround(res);
    return val(floatValue(t, res));
  }
  if ((a.cls === 'complex' || b.cls === 'complex') && a.cls !== 'string' && b.cls !== 'string') {
    const c = (o: Operand): [number, number] =>
      o.cls === 'complex'
        ? [o.re, o.im]
        : o.cls === 'int'
          ? [Number(o.v), 0]
          : o.cls === 'float'
            ? [o.v, 0]
            : (() => {
                throw mismatch(op, x, y);
              })();
    const [ar, ai] = c(a);
    const [br, bi] = c(b);
    let re: number;
    let im: number;
    switch (op) {
      case '+':
        re = ar + br;
        im = ai + bi;
        break;
      case '-':
        re = ar - br;
        im = ai - bi;
        break;
      case '*':
        re = ar * br - ai * bi;
        im = ar * bi + ai * br;
        break;
      case '/': {
        const d = br * br + bi * bi;
        re = (ar * br + ai * bi) / d;
        im = (ai * br - ar * bi) / d;
        break;
      }
      default:
        throw new EvalError(`operator ${op} not defined on complex numbers`);
    }
    return t ? val(complexValue(t, re, im)) : konst({ kind: 'complex', re, im });
  }
  throw new EvalError(`invalid operation: operator ${op} not defined on ${typeNameOf(x)}${a.cls === b.cls ? '' : ` and ${typeNameOf(y)}`}`);
}

function compare(op: BinaryOp, x: Result, y: Result, a: Operand, b: Operand): Result {
  if (a.cls === 'nil' || b.cls === 'nil') {
    const other = a.cls === 'nil' ? b : a;
    if (op !== '==' && op !== '!=') throw new EvalError(`operator ${op} not defined on nil`);
    if (other.cls === 'nil') throw new EvalError('invalid operation: nil == nil (operator == not defined on nil)');
    if (other.cls !== 'ref') throw new EvalError(`invalid operation: mismatched types ${typeNameOf(a.cls === 'nil' ? y : x)} and untyped nil`);
    return boolConst((other.addr === 0) === (op === '=='));
  }
  if (a.cls === 'int' && b.cls === 'int') return boolConst(cmp(op, a.v, b.v));
  if ((a.cls === 'int' || a.cls === 'float') && (b.cls === 'int' || b.cls === 'float')) {
    const f = (o: typeof a | typeof b, other: typeof a | typeof b): number => {
      if (o.cls === 'int' && 't' in other && other.t && underlying(other.t).kind === 'float' && underlying(other.t).size === 4) return Math.fround(Number(o.v));
      return Number(o.v);
    };
    return boolConst(cmp(op, f(a, b), f(b, a)));
  }
  if (a.cls === 'bool' && b.cls === 'bool') {
    if (op !== '==' && op !== '!=') throw new EvalError(`operator ${op} not defined on bool`);
    return boolConst(cmp(op, a.v, b.v));
  }
  if (a.cls === 'string' && b.cls === 'string') {
    if ((op === '==' || op === '!=') && a.len !== b.len) return boolConst(op === '!=');
    return boolConst(cmp(op, bytesCompare(a.bytes(), b.bytes()), 0));
  }
  if (a.cls === 'complex' && b.cls === 'complex') {
    if (op !== '==' && op !== '!=') throw new EvalError(`operator ${op} not defined on complex numbers`);
    return boolConst((a.re === b.re && a.im === b.im) === (op === '=='));
  }
  if (a.cls === 'ref' && b.cls === 'ref') {
    if (op !== '==' && op !== '!=') throw new EvalError(`operator ${op} not defined on ${typeNameOf(x)}`);
    const k = underlying(a.t).kind;
    if (k === 'slice' || k === 'map' || k === 'func') throw new EvalError(`invalid operation: ${typeNameOf(x)} can only be compared to nil`);
    return boolConst((a.addr === b.addr) === (op === '=='));
  }
  if (a.cls === 'other' || b.cls === 'other') throw new EvalError(`comparing ${typeNameOf(a.cls === 'other' ? x : y)} values is not supported`);
  throw mismatch(op, x, y);
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

export function unary(rd: ValueReader, op: Exclude<UnaryOp, '*' | '&'>, x: Result): Result {
  const a = operand(rd, x);
  switch (op) {
    case '+':
      if (a.cls === 'int' || a.cls === 'float' || a.cls === 'complex') return x;
      break;
    case '-':
      if (a.cls === 'int')
        return a.t ? val(intValue(a.t, wrapInt(a.t, -a.v))) : konst({ kind: x.k === 'const' && x.c.kind === 'rune' ? 'rune' : 'int', v: -a.v });
      if (a.cls === 'float') return a.t ? val(floatValue(a.t, -a.v)) : konst({ kind: 'float', v: -a.v });
      if (a.cls === 'complex') return a.t ? val(complexValue(a.t, -a.re, -a.im)) : konst({ kind: 'complex', re: -a.re, im: -a.im });
      break;
    case '!':
      if (a.cls === 'bool') return boolConst(!a.v);
      break;
    case '^':
      if (a.cls === 'int') return a.t ? val(intValue(a.t, wrapInt(a.t, ~a.v))) : konst({ kind: 'int', v: ~a.v });
      break;
  }
  throw new EvalError(`invalid operation: operator ${op} not defined on ${typeNameOf(x)}`);
}

/** Converts an untyped constant to a typed value of type t (assignability of constants). */
export function constToType(dw: Dwarf, c: Const, t: GoType): Value {
  const u = underlying(t);
  const what = `${formatConstShort(c)} (${constTypeName(c)} constant)`;
  switch (u.kind) {
    case 'int':
    case 'uint':
    case 'uintptr': {
      let v: bigint;
      if (c.kind === 'int' || c.kind === 'rune') v = c.v;
      else if (c.kind === 'float' && Number.isInteger(c.v)) v = BigInt(c.v);
      else throw new EvalError(`cannot use ${what} as ${t.name} value`);
      if (!fitsInt(u, v)) throw new EvalError(`cannot use ${what} as ${t.name} value (overflows)`);
      return intValue(t, v);
    }
    case 'float':
      if (c.kind === 'int' || c.kind === 'rune') return floatValue(t, Number(c.v));
      if (c.kind === 'float') return floatValue(t, c.v);
      break;
    case 'complex':
      if (c.kind === 'int' || c.kind === 'rune') return complexValue(t, Number(c.v), 0);
      if (c.kind === 'float') return complexValue(t, c.v, 0);
      if (c.kind === 'complex') return complexValue(t, c.re, c.im);
      break;
    case 'bool':
      if (c.kind === 'bool') return { type: t, bytes: new Uint8Array([c.v ? 1 : 0]), computed: true };
      break;
    case 'pointer':
    case 'unsafePointer':
    case 'map':
    case 'chan':
    case 'func':
      if (c.kind === 'nil') return intValue(t, 0n);
      break;
    case 'slice':
    case 'interface':
      if (c.kind === 'nil') return { type: t, bytes: new Uint8Array(t.size), computed: true };
      break;
  }
  void dw;
  throw new EvalError(`cannot use ${what} as ${t.name} value`);
}

function formatConstShort(c: Const): string {
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
