/**
 * What an expression evaluates to: a typed Go value (possibly an lvalue in
 * the program) or an untyped constant (literals, comparisons, len/cap,
 * constant folding), and the basic types results are given.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { encodeInt, type ValueReader } from '../values/valueReader.js';
import type { Value } from '../values/value.js';
import { formatComplex, formatFloat, quoteBytes, quoteRune } from '../values/goFormat.js';
import { ratToExponent, type Rat } from './rationals.js';

export type Const =
  | { kind: 'int'; v: bigint }
  | { kind: 'rune'; v: bigint }
  /** `exact`: the rational the constant denotes (Go's constant arithmetic is exact); v is its nearest float64. */
  | { kind: 'float'; v: number; exact?: Rat }
  | { kind: 'complex'; re: number; im: number }
  | { kind: 'string'; v: Uint8Array }
  | { kind: 'bool'; v: boolean }
  | { kind: 'nil' };

/**
 * `constant` marks a typed constant (`uint8(255)`, `len(arr)`): Go computes
 * with it at compile time, so arithmetic on typed constants that overflows is
 * an error rather than a wrap-around.
 */
export type Result = { k: 'val'; v: Value; constant?: boolean } | { k: 'const'; c: Const };

export const val = (v: Value): Result => ({ k: 'val', v });
/** A typed constant of v's type. */
export const typedConst = (v: Value): Result => ({ k: 'val', v, constant: true });
export const konst = (c: Const): Result => ({ k: 'const', c });
export const boolConst = (b: boolean): Result => konst({ kind: 'bool', v: b });

/** The name Go gives an untyped constant's default type, for messages and the `type` field. */
export function constTypeName(c: Const): string {
  switch (c.kind) {
    case 'int':
      return 'untyped int';
    case 'rune':
      return 'untyped rune';
    case 'float':
      return 'untyped float';
    case 'complex':
      return 'untyped complex';
    case 'string':
      return 'untyped string';
    case 'bool':
      return 'untyped bool';
    case 'nil':
      return 'untyped nil';
  }
}

export function formatConst(c: Const): string {
  switch (c.kind) {
    case 'int':
      return c.v.toString();
    case 'rune':
      return `${c.v} ${quoteRune(Number(c.v))}`;
    case 'float':
      // Beyond float64's range the constant is still exact (and its float64 would read ±Inf).
      return !Number.isFinite(c.v) && c.exact ? ratToExponent(c.exact) : formatFloat(c.v);
    case 'complex':
      return formatComplex(c.re, c.im);
    case 'string':
      return quoteBytes(c.v);
    case 'bool':
      return String(c.v);
    case 'nil':
      return 'nil';
  }
}

// ───────────── basic types ─────────────

const BASIC: Record<string, { kind: 'bool' | 'int' | 'uint' | 'uintptr' | 'float' | 'complex' | 'string'; size: number; goKind: number }> = {
  bool: { kind: 'bool', size: 1, goKind: 1 },
  int: { kind: 'int', size: 8, goKind: 2 },
  int8: { kind: 'int', size: 1, goKind: 3 },
  int16: { kind: 'int', size: 2, goKind: 4 },
  int32: { kind: 'int', size: 4, goKind: 5 },
  int64: { kind: 'int', size: 8, goKind: 6 },
  uint: { kind: 'uint', size: 8, goKind: 7 },
  uint8: { kind: 'uint', size: 1, goKind: 8 },
  uint16: { kind: 'uint', size: 2, goKind: 9 },
  uint32: { kind: 'uint', size: 4, goKind: 10 },
  uint64: { kind: 'uint', size: 8, goKind: 11 },
  uintptr: { kind: 'uintptr', size: 8, goKind: 12 },
  float32: { kind: 'float', size: 4, goKind: 13 },
  float64: { kind: 'float', size: 8, goKind: 14 },
  complex64: { kind: 'complex', size: 8, goKind: 15 },
  complex128: { kind: 'complex', size: 16, goKind: 16 },
  string: { kind: 'string', size: 16, goKind: 24 },
};
const ALIASES: Record<string, string> = { byte: 'uint8', rune: 'int32', any: 'interface {}' };

const synthCache = new WeakMap<Dwarf, Map<string, GoType>>();

/** Go's predeclared type names (byte, rune and any included). */
export function isBasicName(name: string): boolean {
  return name in BASIC || name in ALIASES || name === 'error';
}

/** A predeclared type: the binary's DWARF type when it has one, else a synthesized equivalent. */
export function basicType(dw: Dwarf, name: string): GoType | undefined {
  const real = ALIASES[name] ?? name;
  const t = dw.typeByName(real);
  if (t) return t;
  const b = BASIC[real];
  if (!b) return undefined;
  let cache = synthCache.get(dw);
  if (!cache) synthCache.set(dw, (cache = new Map()));
  const hit = cache.get(real);
  if (hit) return hit;
  const base = { name: real, size: b.size, offset: -1, goKind: b.goKind, runtimeType: 0 };
  let s: GoType;
  if (b.kind === 'int' || b.kind === 'uint' || b.kind === 'uintptr') s = { ...base, kind: b.kind, signed: b.kind === 'int' };
  else if (b.kind === 'string') s = { ...base, kind: 'string', fields: [] };
  else s = { ...base, kind: b.kind };
  cache.set(real, s);
  return s;
}

/** `*t`: the binary's pointer type when it exists, else a synthesized one. */
export function pointerTo(dw: Dwarf, t: GoType): GoType {
  const name = `*${t.name}`;
  return dw.typeByName(name) ?? { kind: 'pointer', name, size: 8, offset: -1, goKind: 22, runtimeType: 0, elemOffset: t.offset, elem: t };
}

// ───────────── typed scalars ─────────────

export function intValue(t: GoType, v: bigint): Value {
  return { type: t, bytes: encodeInt(v, t.size), computed: true };
}

export function floatValue(t: GoType, x: number): Value {
  const b = new Uint8Array(t.size);
  const dv = new DataView(b.buffer);
  if (t.size === 4) dv.setFloat32(0, x, true);
  else dv.setFloat64(0, x, true);
  return { type: t, bytes: b, computed: true };
}

export function complexValue(t: GoType, re: number, im: number): Value {
  const b = new Uint8Array(t.size);
  const dv = new DataView(b.buffer);
  if (t.size === 8) {
    dv.setFloat32(0, re, true);
    dv.setFloat32(4, im, true);
  } else {
    dv.setFloat64(0, re, true);
    dv.setFloat64(8, im, true);
  }
  return { type: t, bytes: b, computed: true };
}

/** Wraps v to the range of integer type t (Go's two's-complement overflow). */
export function wrapInt(t: GoType, v: bigint): bigint {
  const u = underlying(t);
  const bits = u.size * 8;
  return u.kind === 'int' && u.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/** Whether v fits integer type t. */
export function fitsInt(t: GoType, v: bigint): boolean {
  return wrapInt(t, v) === v;
}

/** A string value of type t holding `bytes` (kept by the reader for this stop, see ValueReader.synthesize). */
export function stringValue(rd: ValueReader, t: GoType, bytes: Uint8Array): Value {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, BigInt(bytes.length ? rd.synthesize(bytes) : 0), true);
  dv.setBigUint64(8, BigInt(bytes.length), true);
  return { type: t, bytes: b, computed: true };
}

/** A slice value of type t over `count` elements held in `bytes` (kept by the reader for this stop). */
export function sliceValue(rd: ValueReader, t: GoType, bytes: Uint8Array, count: number): Value {
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, BigInt(count ? rd.synthesize(bytes) : 0), true);
  dv.setBigUint64(8, BigInt(count), true);
  dv.setBigUint64(16, BigInt(count), true);
  return { type: t, bytes: b, computed: true };
}
