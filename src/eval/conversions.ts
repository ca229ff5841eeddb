/**
 * Go conversions `T(x)` (the spec's "Conversions"): constants must be
 * representable in T (an integer constant may also become a string); values
 * convert between numeric types (integers wrap, floats truncate toward zero),
 * between types with identical underlying types (named ↔ underlying, pointer
 * types to such), integers/[]byte/[]rune to strings and strings to []byte or
 * []rune (the new bytes live in the reader's computed memory), unsafe.Pointer
 * to and from pointers and uintptr, and to interface types (an empty
 * interface gets the value's runtime type; a non-empty one only from another
 * interface value that already holds such a type).
 *
 * Beyond Go, as debuggers do: an integer (or uintptr) converts straight to a
 * pointer type, and a pointer to uintptr, so `(*T)(0xc000012345)` reads
 * memory at an address.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf, isDirectIface } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import { identical, sameUnderlying, stringBytesOf } from './comparison.js';
import { defaultType, representAs, type Spot } from './constants.js';
import { errorAt } from './errors.js';
import { describe, MAX_STRING_READ, numericValue } from './operators.js';
import { intValue, sliceValue, stringValue, typedConst, val, type Const, type Result } from './results.js';

const utf8 = new TextEncoder();

/** Go's string(rune): the UTF-8 of a code point, U+FFFD for what is not a valid one. */
function runeString(cp: bigint): Uint8Array {
  const ok = cp >= 0n && cp <= 0x10ffffn && !(cp >= 0xd800n && cp <= 0xdfffn);
  return utf8.encode(ok ? String.fromCodePoint(Number(cp)) : '\ufffd');
}

/** The code points of UTF-8 bytes the way Go's range over a string decodes them (bad bytes → U+FFFD, one byte each). */
function runesOf(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    let cp = n === 1 ? c : n === 2 ? c & 0x1f : n === 3 ? c & 0x0f : c & 0x07;
    for (let k = 1; k < n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) {
        n = 0;
        break;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) n = 0;
    if (n === 4 && (cp < 0x10000 || cp > 0x10ffff)) n = 0;
    if (n === 0) {
      out.push(0xfffd);
      i++;
    } else {
      out.push(cp);
      i += n;
    }
  }
  return out;
}

/** A slice type's element kind: 'byte' for []byte-like, 'rune' for []rune-like. */
function sliceElem(t: GoType): 'byte' | 'rune' | undefined {
  const u = underlying(t);
  if (u.kind !== 'slice') return undefined;
  const e = underlying(u.elem);
  if (e.kind === 'uint' && e.size === 1) return 'byte';
  if (e.kind === 'int' && e.size === 4) return 'rune';
  return undefined;
}

function toSlice(rd: ValueReader, t: GoType, s: Uint8Array): Value {
  if (sliceElem(t) === 'byte') return sliceValue(rd, t, s, s.length);
  const runes = runesOf(s);
  const b = new Uint8Array(runes.length * 4);
  const dv = new DataView(b.buffer);
  runes.forEach((r, i) => dv.setInt32(i * 4, r, true));
  return sliceValue(rd, t, b, runes.length);
}

function isInteger(t: GoType): boolean {
  const k = underlying(t).kind;
  return k === 'int' || k === 'uint' || k === 'uintptr';
}

function isNumeric(t: GoType): boolean {
  const k = underlying(t).kind;
  return isInteger(t) || k === 'float' || k === 'complex';
}

function isPointerish(t: GoType): boolean {
  const k = underlying(t).kind;
  return k === 'pointer' || k === 'unsafePointer';
}

/** An interface value of type t holding v (empty interfaces: eface {type, data}). */
function box(rd: ValueReader, dw: Dwarf, t: GoType, v: Value, fail: () => never): Value {
  const iu = underlying(t);
  if (iu.kind !== 'interface') return fail();
  if (underlying(v.type).kind === 'interface') {
    // Interface to interface: the same dynamic type and data, if the target is empty or the source already has its itab.
    const d = dynamicOf(rd, v);
    if (d.nil) return { type: t, bytes: new Uint8Array(16), computed: true };
    if (identical(t, v.type)) return { ...v, computed: true };
    if (!iu.empty)
      throw errorAt(
        undefined,
        `converting to ${t.name} needs the program's itab for ${d.type?.name ?? 'the dynamic type'}, which the debugger does not look up`,
      );
    const out = new Uint8Array(16);
    const dv = new DataView(out.buffer);
    dv.setBigUint64(0, BigInt(d.typeAddr), true);
    out.set(rd.bytesAt(v, 8, 8), 8);
    return { type: t, bytes: out, computed: true };
  }
  if (!iu.empty) throw errorAt(undefined, `converting to ${t.name} needs the program's itab for ${v.type.name}, which the debugger does not look up`);
  const typeAddr = dw.runtimeTypeAddr(v.type);
  if (typeAddr === undefined) throw errorAt(undefined, `the program has no runtime type for ${v.type.name} (the linker keeps only the types it uses)`);
  const bytes = rd.load(v);
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(typeAddr), true);
  if (isDirectIface(v.type)) out.set(bytes.subarray(0, 8), 8);
  else dv.setBigUint64(8, BigInt(v.type.size ? rd.synthesize(bytes) : typeAddr), true);
  return { type: t, bytes: out, computed: true };
}

/** A typed numeric constant's value as an untyped constant of the same value (to re-check it against another type). */
function untypedOf(rd: ValueReader, v: Value): Const | undefined {
  const k = underlying(v.type).kind;
  if (k === 'int' || k === 'uint' || k === 'uintptr') return { kind: 'int', v: rd.int(v) };
  if (k === 'float') return { kind: 'float', v: rd.float(v) };
  if (k === 'complex') {
    const [re, im] = rd.complex(v);
    return { kind: 'complex', re, im };
  }
  return undefined;
}

/** `t(x)`; `what` is x as written, `pos` where. */
export function convert(rd: ValueReader, dw: Dwarf, t: GoType, x: Result, what: string, pos?: number): Result {
  const u = underlying(t);
  const s: Spot = { text: what, pos };
  const fail = (): never => {
    throw errorAt(pos, `cannot convert ${describe(s, x)} to type ${t.name}`);
  };
  if (x.k === 'const') {
    const c = x.c;
    if (u.kind === 'interface') {
      if (c.kind === 'nil') return val({ type: t, bytes: new Uint8Array(16), computed: true });
      const d = defaultType(dw, c);
      if (!d) return fail();
      return val(box(rd, dw, t, c.kind === 'string' ? stringValue(rd, d, c.v) : representAs(c, d, s, fail), fail));
    }
    if (u.kind === 'string') {
      if (c.kind === 'string') return typedConst(stringValue(rd, t, c.v));
      if (c.kind === 'int' || c.kind === 'rune') return typedConst(stringValue(rd, t, runeString(c.v)));
      return fail();
    }
    if (c.kind === 'string' && sliceElem(t)) return val(toSlice(rd, t, c.v));
    if (isPointerish(t) && (c.kind === 'int' || c.kind === 'rune')) {
      // The debugger's address conversion: (*T)(0x…).
      if (c.v < 0n || c.v >= 1n << 64n) return fail();
      return val(intValue(t, c.v));
    }
    const r = representAs(c, t, s, fail, 'conversion');
    // A constant converted to a basic type is a typed constant; nil converted is no constant.
    return c.kind === 'nil' ? val(r) : typedConst(r);
  }
  const v = x.v;
  // A typed constant converted to another numeric type stays a constant and must fit it.
  if (x.constant && isNumeric(t) && isNumeric(v.type) && (underlying(v.type).kind === 'complex') === (u.kind === 'complex')) {
    const back = untypedOf(rd, v);
    if (back) return typedConst(representAs(back, t, s, fail, 'conversion'));
  }
  if (x.constant && u.kind === 'string' && underlying(v.type).kind === 'string') return typedConst({ ...v, type: t, computed: true });
  const vt = v.type;
  const vu = underlying(vt);
  if (u.kind === 'interface') return val(box(rd, dw, t, v, fail));
  // Identical underlying types: named ↔ underlying, and pointers to such.
  if (sameUnderlying(t, vt) && u.kind !== 'pointer') return val({ ...v, type: t, computed: true });
  if (u.kind === 'pointer' && vu.kind === 'pointer' && sameUnderlying(u.elem, vu.elem)) return val({ ...v, type: t, computed: true });
  if (isNumeric(t) && isNumeric(vt)) {
    if ((u.kind === 'complex') !== (vu.kind === 'complex')) return fail();
    if (vu.kind === 'complex') {
      const [re, im] = rd.complex(v);
      return val(numericValue(t, { cls: 'complex', re, im }));
    }
    if (vu.kind === 'float') {
      const f = rd.float(v);
      if (u.kind === 'float') return val(numericValue(t, { cls: 'float', v: u.size === 4 ? Math.fround(f) : f }));
      // Go truncates toward zero; out-of-range and NaN results are implementation-defined (amd64 gives the minimum integer).
      const tr = Number.isFinite(f) ? BigInt(Math.trunc(f)) : -(1n << 63n);
      return val(numericValue(t, { cls: 'int', v: tr }));
    }
    const n = rd.int(v);
    if (u.kind === 'float') return val(numericValue(t, { cls: 'float', v: Number(n) }));
    return val(numericValue(t, { cls: 'int', v: n }));
  }
  if (u.kind === 'string') {
    if (isInteger(vt)) return val(stringValue(rd, t, runeString(rd.int(v))));
    if (vu.kind === 'string') return val({ ...v, type: t, computed: true });
    const el = sliceElem(vt);
    if (el) {
      const h = rd.sliceHeader(v);
      const size = el === 'byte' ? 1 : 4;
      if (h.len * size > MAX_STRING_READ) throw errorAt(pos, `${what} is too long to convert (${h.len} elements)`);
      const b = h.len > 0 ? rd.read(h.data, h.len * size) : new Uint8Array(0);
      if (el === 'byte') return val(stringValue(rd, t, b));
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const parts: Uint8Array[] = [];
      for (let i = 0; i < h.len; i++) parts.push(runeString(BigInt(dv.getInt32(i * 4, true))));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return val(stringValue(rd, t, out));
    }
    return fail();
  }
  if (sliceElem(t) && vu.kind === 'string') return val(toSlice(rd, t, stringBytesOf(rd, v)));
  // unsafe.Pointer ↔ *T and uintptr; the debugger's integer ↔ pointer.
  if (isPointerish(t) && (isPointerish(vt) || isInteger(vt))) return val(intValue(t, BigInt.asUintN(64, isInteger(vt) ? rd.int(v) : BigInt(rd.pointer(v)))));
  if (isInteger(t) && isPointerish(vt)) return val(numericValue(t, { cls: 'int', v: BigInt(rd.pointer(v)) }));
  return fail();
}
