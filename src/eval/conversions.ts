/**
 * Go conversions `T(x)` between basic types, strings, byte and rune slices,
 * pointers and unsafe.Pointer, with the spec's rules for constants (a
 * constant must be representable in T; a float constant converts to an
 * integer type only when it is integral).
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import type { ValueReader } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { binary, constToType, MAX_STRING_READ, operand, typeNameOf } from './operators.js';
import { floatValue, intValue, konst, val, wrapInt, type Result } from './results.js';

export function convert(r: ValueReader, dw: Dwarf, t: GoType, x: Result, what: string): Result {
  const u = underlying(t);
  const fail: () => never = () => {
    throw new EvalError(`cannot convert ${what} (${x.k === 'const' ? `${typeNameOf(x)} constant` : `variable of type ${typeNameOf(x)}`}) to type ${t.name}`);
  };
  const o = operand(r, x);
  switch (u.kind) {
    case 'int':
    case 'uint':
    case 'uintptr':
      if (x.k === 'const') {
        if (o.cls === 'float' && !Number.isInteger(o.v)) throw new EvalError(`cannot convert ${what} (untyped float constant) to type ${t.name} (truncated)`);
        if (o.cls !== 'int' && o.cls !== 'float') fail();
        const v = BigInt(o.v as number | bigint);
        if (wrapInt(t, v) !== v) throw new EvalError(`cannot convert ${what} (untyped int constant ${v}) to type ${t.name} (overflows)`);
        return val(intValue(t, v));
      }
      if (o.cls === 'int') return val(intValue(t, wrapInt(t, o.v)));
      if (o.cls === 'float') return val(intValue(t, wrapInt(t, BigInt(Math.trunc(Number.isFinite(o.v) ? o.v : 0)))));
      if (o.cls === 'ref' && (u.kind === 'uintptr' || underlying(x.v.type).kind === 'unsafePointer')) return val(intValue(t, BigInt(o.addr)));
      return fail();
    case 'float':
      if (o.cls === 'int' || o.cls === 'float') {
        const f = Number(o.v);
        return val(floatValue(t, u.size === 4 ? Math.fround(f) : f));
      }
      return fail();
    case 'string': {
      if (o.cls === 'int') {
        const cp = Number(o.v);
        const s = cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
        return konst({ kind: 'string', v: new TextEncoder().encode(s) });
      }
      if (o.cls === 'string') return x.k === 'val' ? val({ ...x.v, type: t }) : x;
      if (x.k === 'val' && underlying(x.v.type).kind === 'slice') {
        const su = underlying(x.v.type);
        const elem = su.kind === 'slice' ? underlying(su.elem) : su;
        const h = r.sliceHeader(x.v);
        if (elem.kind === 'uint' && elem.size === 1) {
          if (h.len > MAX_STRING_READ) throw new EvalError(`slice too long to convert (${h.len} bytes)`);
          return konst({ kind: 'string', v: h.len > 0 ? r.read(h.data, h.len) : new Uint8Array(0) });
        }
        if (elem.kind === 'int' && elem.size === 4) {
          const n = Math.min(h.len, MAX_STRING_READ / 4);
          const b = n > 0 ? r.read(h.data, n * 4) : new Uint8Array(0);
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          let s = '';
          for (let i = 0; i < n; i++) {
            const cp = dv.getInt32(i * 4, true);
            s += cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
          }
          return konst({ kind: 'string', v: new TextEncoder().encode(s) });
        }
      }
      return fail();
    }
    case 'pointer':
    case 'unsafePointer':
      if (o.cls === 'int') return val(intValue(t, BigInt.asUintN(64, o.v)));
      if (o.cls === 'ref') return val(intValue(t, BigInt(o.addr)));
      if (o.cls === 'nil') return val(intValue(t, 0n));
      return fail();
    case 'bool':
      if (o.cls === 'bool') return x.k === 'val' ? val({ ...x.v, type: t }) : val(constToType(dw, x.c, t));
      return fail();
    case 'complex':
      if (x.k === 'const') return val(constToType(dw, x.c, t));
      if (o.cls === 'complex' || o.cls === 'int' || o.cls === 'float') return binary(r, dw, '+', val(constToType(dw, { kind: 'complex', re: 0, im: 0 }, t)), x);
      return fail();
    default:
      if (x.k === 'val' && underlying(x.v.type).kind === u.kind && underlying(x.v.type).size === u.size) return val({ ...x.v, type: t });
      if (x.k === 'const' && x.c.kind === 'nil') return val(constToType(dw, x.c, t));
      return fail();
  }
}
