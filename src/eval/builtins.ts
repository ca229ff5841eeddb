/**
 * Go's built-in functions that read: len, cap, real, imag, complex, min, max
 * and unsafe.Sizeof/Alignof/Offsetof, typed as the spec types them (len of a
 * constant string or of an array is a constant; real of a complex64 is a
 * float32; min/max of constants fold; Sizeof is a uintptr constant). The
 * ones that allocate or change the program (new, make, append, copy, clear,
 * delete, close, panic, print, println, recover) are refused, saying so.
 */
import { underlying, type GoType, type StructField } from '../dwarf/goTypes.js';
import { chanState } from '../values/chans.js';
import { mapIterator } from '../values/maps.js';
import type { Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import type { Dwarf } from '../dwarf/dwarf.js';
import type { Expr, TypeExpr } from './ast.js';
import { isOrdered, stringBytesOf } from './comparison.js';
import { compareBytes, defaultType, foldConst, representAs, type Spot } from './constants.js';
import { errorAt } from './errors.js';
import { rat } from './rationals.js';
import { describe, numericValue, typeNameOf } from './operators.js';
import { basicType, complexValue, floatValue, intValue, konst, stringValue, typedConst, val, type Result } from './results.js';

/** What a builtin needs from the evaluator. */
export interface BuiltinHost {
  reader: ValueReader;
  dwarf: Dwarf;
  eval(e: Expr): Result;
  text(e: Expr | TypeExpr): string;
  /** Go's field selection (the evaluator's, with embedded-field promotion). */
  fieldPath(fields: StructField[], name: string): StructField[] | undefined;
}

const READING = new Set(['len', 'cap', 'real', 'imag', 'complex', 'min', 'max']);
const UNSAFE = new Set(['Sizeof', 'Alignof', 'Offsetof']);
const CHANGING: Record<string, string> = {
  new: 'would allocate memory in the program',
  make: 'would allocate memory in the program',
  append: 'may allocate memory in the program',
  copy: 'would write to the program',
  clear: 'would write to the program',
  delete: 'would change a map in the program',
  close: 'would close a channel in the program',
  panic: 'would panic',
  print: 'would write to the program’s standard error',
  println: 'would write to the program’s standard error',
  recover: 'needs a deferred call',
};

/** The builtin a call's function names ("len", "unsafe.Sizeof"), unless a variable of that name hides it. */
export function builtinOf(fn: Expr | TypeExpr, isVariable: (name: string) => boolean): string | undefined {
  if (fn.k === 'ident' && (READING.has(fn.name) || fn.name in CHANGING) && !isVariable(fn.name)) return fn.name;
  if (fn.k === 'selector' && fn.x.k === 'ident' && fn.x.name === 'unsafe' && UNSAFE.has(fn.name) && !isVariable('unsafe')) return `unsafe.${fn.name}`;
  if (fn.k === 'paren') return builtinOf(fn.x, isVariable);
  return undefined;
}

export function callBuiltin(h: BuiltinHost, name: string, call: Extract<Expr, { k: 'call' }>): Result {
  const args = call.args;
  const at = call.pos;
  if (name in CHANGING) throw errorAt(at, `${name}: the debugger does not call it: it ${CHANGING[name]}`);
  const arity = (n: number) => {
    if (args.length < n) throw errorAt(at, `not enough arguments for ${h.text(call)} (expected ${n}, found ${args.length})`);
    if (args.length > n) throw errorAt(args[n]!.pos, `too many arguments for ${h.text(call)} (expected ${n}, found ${args.length})`);
  };
  switch (name) {
    case 'len':
    case 'cap':
      arity(1);
      return lenCap(h, name, args[0]!);
    case 'real':
    case 'imag':
      arity(1);
      return realImag(h, name, args[0]!);
    case 'complex':
      arity(2);
      return complexOf(h, args[0]!, args[1]!, call);
    case 'min':
    case 'max':
      if (args.length === 0) throw errorAt(at, `invalid operation: not enough arguments for ${h.text(call)} (expected 1, found 0)`);
      return minMax(h, name, args);
    default:
      arity(1);
      return unsafeOf(h, name.slice('unsafe.'.length), args[0]!);
  }
}

function spot(h: BuiltinHost, e: Expr): Spot {
  return { text: h.text(e), pos: e.pos };
}

function lenCap(h: BuiltinHost, which: 'len' | 'cap', ae: Expr): Result {
  const x = h.eval(ae);
  const rd = h.reader;
  // len and cap are of type int; constants for a constant string and for arrays (the spec's "Length and capacity").
  const int = () => basicType(h.dwarf, 'int')!;
  const n = (v: number) => typedConst(intValue(int(), BigInt(v)));
  const typed = (v: number) => val(intValue(int(), BigInt(v)));
  const bad = () => errorAt(ae.pos, `invalid argument: ${describe(spot(h, ae), x)} for built-in ${which}`);
  if (x.k === 'const') {
    if (which === 'len' && x.c.kind === 'string') return n(x.c.v.length);
    throw bad();
  }
  let v: Value = x.v;
  let u = underlying(v.type);
  // A pointer to an array: len and cap are the array's (a constant, the pointer is not read).
  if (u.kind === 'pointer' && underlying(u.elem).kind === 'array') u = underlying(u.elem);
  switch (u.kind) {
    case 'string':
      if (which === 'len') return typed(rd.stringHeader(v).len);
      break;
    case 'slice': {
      const hd = rd.sliceHeader(v);
      return typed(which === 'len' ? hd.len : hd.cap);
    }
    case 'array':
      return n(u.count);
    case 'map':
      if (which === 'len') return typed(mapIterator(rd, v).len);
      break;
    case 'chan': {
      v = x.v;
      const c = chanState(rd, v);
      return typed(which === 'len' ? c.len : c.cap);
    }
  }
  throw bad();
}

function realImag(h: BuiltinHost, which: 'real' | 'imag', ae: Expr): Result {
  const x = h.eval(ae);
  if (x.k === 'const') {
    const c = x.c;
    if (c.kind === 'complex') return konst({ kind: 'float', v: which === 'real' ? c.re : c.im });
    // real and imag of an untyped numeric constant are untyped float constants.
    if (c.kind === 'int' || c.kind === 'rune' || c.kind === 'float')
      return which === 'real'
        ? konst(c.kind === 'float' ? c : { kind: 'float', v: Number(c.v), exact: rat(c.v) })
        : konst({ kind: 'float', v: 0, exact: rat(0n) });
    throw errorAt(ae.pos, `invalid argument: argument has type ${typeNameOf(x)}, expected complex type`);
  }
  const u = underlying(x.v.type);
  if (u.kind !== 'complex') throw errorAt(ae.pos, `invalid argument: argument has type ${typeNameOf(x)}, expected complex type`);
  const [re, im] = h.reader.complex(x.v);
  const ft = basicType(h.dwarf, u.size === 8 ? 'float32' : 'float64')!;
  return val(floatValue(ft, which === 'real' ? re : im));
}

function complexOf(h: BuiltinHost, re: Expr, im: Expr, call: Expr): Result {
  const x = h.eval(re);
  const y = h.eval(im);
  const sx = spot(h, re);
  const sy = spot(h, im);
  const mismatch = () => errorAt(call.pos, `invalid operation: ${h.text(call)} (mismatched types ${typeNameOf(x)} and ${typeNameOf(y)})`);
  if (x.k === 'const' && y.k === 'const') {
    const num = (r: typeof x, s: Spot): number => {
      const c = r.c;
      if (c.kind === 'int' || c.kind === 'rune') return Number(c.v);
      if (c.kind === 'float') return c.v;
      if (c.kind === 'complex' && c.im === 0) return c.re;
      throw errorAt(s.pos, `invalid argument: arguments have type ${typeNameOf(r)}, expected floating-point`);
    };
    return konst({ kind: 'complex', re: num(x, sx), im: num(y, sy) });
  }
  const t = x.k === 'val' ? x.v.type : (y as Extract<Result, { k: 'val' }>).v.type;
  const u = underlying(t);
  if (u.kind !== 'float') throw errorAt(call.pos, `invalid argument: arguments have type ${t.name}, expected floating-point`);
  const a = x.k === 'val' ? x.v : representAs(x.c, t, sx, mismatch);
  const b = y.k === 'val' ? y.v : representAs(y.c, t, sy, mismatch);
  if (a.type.name !== b.type.name) throw mismatch();
  const ct = basicType(h.dwarf, u.size === 4 ? 'complex64' : 'complex128')!;
  return val(complexValue(ct, h.reader.float(a), h.reader.float(b)));
}

const KIND_RANK: Partial<Record<string, number>> = { int: 0, rune: 1, float: 2 };

function minMax(h: BuiltinHost, which: 'min' | 'max', args: Expr[]): Result {
  const rs = args.map((a) => h.eval(a));
  const spots = args.map((a) => spot(h, a));
  for (const [i, r] of rs.entries()) {
    const ordered = r.k === 'const' ? r.c.kind !== 'bool' && r.c.kind !== 'nil' && r.c.kind !== 'complex' : isOrdered(r.v.type);
    if (!ordered) throw errorAt(spots[i]!.pos, `invalid argument: ${describe(spots[i]!, r)} cannot be ordered`);
  }
  const typed = rs.findIndex((r) => r.k === 'val');
  if (typed < 0) {
    // All constants: the result is the least (greatest) constant, of the widest kind among them.
    let best = 0;
    for (let i = 1; i < rs.length; i++) {
      const a = (rs[best] as Extract<Result, { k: 'const' }>).c;
      const b = (rs[i] as Extract<Result, { k: 'const' }>).c;
      const r = foldConst(which === 'min' ? '<' : '>', b, a, spots[i]!, spots[best]!);
      if (r.k === 'const' && r.c.kind === 'bool' && r.c.v) best = i;
    }
    // The result has the largest kind among the arguments (the type of x + y).
    const widest = rs.reduce((k, r) => Math.max(k, KIND_RANK[(r as Extract<Result, { k: 'const' }>).c.kind] ?? 0), 0);
    const c = (rs[best] as Extract<Result, { k: 'const' }>).c;
    if ((c.kind === 'int' || c.kind === 'rune') && widest === 2) return konst({ kind: 'float', v: Number(c.v), exact: rat(c.v) });
    if (c.kind === 'int' && widest === 1) return konst({ kind: 'rune', v: c.v });
    return rs[best]!;
  }
  // Typed: every argument has the type of the typed ones (constants convert to it).
  const t = (rs[typed] as Extract<Result, { k: 'val' }>).v.type;
  const mismatch = (i: number) =>
    errorAt(spots[i]!.pos, `invalid argument: mismatched types ${t.name} (previous argument) and ${typeNameOf(rs[i]!)} (type of ${spots[i]!.text})`);
  const vals: Value[] = rs.map((r, i) => {
    if (r.k === 'val') {
      if (r.v.type.name !== t.name) throw mismatch(i);
      return r.v;
    }
    if (r.c.kind === 'string') {
      if (underlying(t).kind !== 'string') throw mismatch(i);
      return stringValue(h.reader, t, r.c.v);
    }
    return representAs(r.c, t, spots[i]!, () => mismatch(i));
  });
  const rd = h.reader;
  const u = underlying(t);
  let best = 0;
  if (u.kind === 'float') {
    const fs = vals.map((v) => rd.float(v));
    let f = fs[0]!;
    for (const g of fs.slice(1)) {
      // Any NaN makes the result NaN; min(-0, 0) is -0 and max(-0, 0) is 0.
      if (Number.isNaN(f) || Number.isNaN(g)) f = Number.NaN;
      else if (which === 'min' ? g < f || (g === 0 && f === 0 && Object.is(g, -0)) : g > f || (g === 0 && f === 0 && Object.is(f, -0))) f = g;
    }
    return val(floatValue(t, f));
  }
  if (u.kind === 'string') {
    const bytes = vals.map((v) => stringBytesOf(rd, v));
    for (let i = 1; i < bytes.length; i++) {
      const c = compareBytes(bytes[i]!, bytes[best]!);
      if (which === 'min' ? c < 0 : c > 0) best = i;
    }
    return val(vals[best]!.computed ? vals[best]! : { ...vals[best]!, computed: true });
  }
  const ns = vals.map((v) => rd.int(v));
  for (let i = 1; i < ns.length; i++) if (which === 'min' ? ns[i]! < ns[best]! : ns[i]! > ns[best]!) best = i;
  return val(numericValue(t, { cls: 'int', v: ns[best]! }));
}

/** Go's alignment of a type on amd64 (the spec's unsafe.Alignof; gc's layout rules). */
export function alignOf(t: GoType): number {
  const u = underlying(t);
  switch (u.kind) {
    case 'struct':
      return u.fields.reduce((a, f) => Math.max(a, alignOf(f.type)), 1);
    case 'array':
      return alignOf(u.elem);
    case 'complex':
      return u.size / 2;
    case 'bool':
    case 'int':
    case 'uint':
    case 'uintptr':
    case 'float':
      return Math.max(1, Math.min(8, u.size));
    default:
      return 8;
  }
}

function unsafeOf(h: BuiltinHost, which: string, ae: Expr): Result {
  const uintptr = basicType(h.dwarf, 'uintptr')!;
  const out = (n: number) => typedConst(intValue(uintptr, BigInt(n)));
  if (which === 'Offsetof') {
    let sel = ae;
    while (sel.k === 'paren') sel = sel.x;
    if (sel.k !== 'selector') throw errorAt(ae.pos, `invalid argument: ${h.text(ae)} is not a selector expression`);
    const x = h.eval(sel.x);
    if (x.k !== 'val') throw errorAt(ae.pos, `invalid argument: ${h.text(ae)} is not a selector expression`);
    let st = underlying(x.v.type);
    if (st.kind === 'pointer') st = underlying(st.elem);
    if (st.kind !== 'struct') throw errorAt(sel.x.pos, `${h.text(sel.x)} (${typeNameOf(x)}) has no field ${sel.name}`);
    const path = h.fieldPath(st.fields, sel.name);
    if (!path) throw errorAt(sel.x.pos, `${h.text(sel.x)} has no field ${sel.name}`);
    let off = 0;
    for (const [i, f] of path.entries()) {
      if (i < path.length - 1 && underlying(f.type).kind === 'pointer')
        throw errorAt(ae.pos, `invalid argument: field ${sel.name} is embedded via a pointer in ${h.text(sel.x)}`);
      off += f.offset;
    }
    return out(off);
  }
  const x = h.eval(ae);
  const t = x.k === 'val' ? x.v.type : defaultType(h.dwarf, x.c);
  if (!t) throw errorAt(ae.pos, `invalid argument: ${describe(spot(h, ae), x)} has no type`);
  return out(which === 'Sizeof' ? t.size : alignOf(t));
}
