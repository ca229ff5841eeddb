/**
 * The text of a number or boolean of a builtin type (`int`, `uint8`,
 * `float64`, `bool`, …: no named constants, no well-known spelling) straight
 * from its bytes, as formatValue spells it in decimal: the fast path of
 * formatValue and of scalarPages.ts. A named type (`main.Celsius`,
 * `time.Duration`), a generic shape, hex, or a value whose bytes are not at
 * hand take the general path.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { formatFloat } from './goFormat.js';
import type { Value } from './value.js';

/** A bool, integer or float type that is its own underlying type and has no package in its name, of a size Go has. */
export function isBuiltinScalar(t: GoType): boolean {
  const k = t.kind;
  if (k !== 'int' && k !== 'uint' && k !== 'float' && k !== 'bool') return false;
  if (t.size !== 1 && t.size !== 2 && t.size !== 4 && t.size !== 8) return false;
  return !t.name.includes('.') && underlying(t) === t;
}

const TWO_32 = 0x100000000;

/** The text of the builtin scalar of type `t` at byte `off` of `dv` (isBuiltinScalar(t) holds). */
export function scalarTextAt(dv: DataView, off: number, t: GoType): string {
  switch (t.kind) {
    case 'bool':
      return dv.getUint8(off) !== 0 ? 'true' : 'false';
    case 'float':
      return t.size === 4 ? formatFloat(dv.getFloat32(off, true), 32) : formatFloat(dv.getFloat64(off, true), 64);
    case 'int':
    case 'uint': {
      const signed = t.kind === 'int' && t.signed;
      switch (t.size) {
        case 1:
          return String(signed ? dv.getInt8(off) : dv.getUint8(off));
        case 2:
          return String(signed ? dv.getInt16(off, true) : dv.getUint16(off, true));
        case 4:
          return String(signed ? dv.getInt32(off, true) : dv.getUint32(off, true));
        default: {
          // Exact as a double below 2^53 in magnitude; beyond, the BigInt's digits.
          const lo = dv.getUint32(off, true);
          const hi = signed ? dv.getInt32(off + 4, true) : dv.getUint32(off + 4, true);
          if (hi >= -0x200000 && hi < 0x200000) return String(hi * TWO_32 + lo);
          return String(signed ? dv.getBigInt64(off, true) : dv.getBigUint64(off, true));
        }
      }
    }
    default:
      throw new Error(`not a builtin scalar: ${t.name}`);
  }
}

/** Eight bytes and a view of them, reused: a DataView made per value cost more than spelling it. */
const SCRATCH = new ArrayBuffer(8);
const SCRATCH_BYTES = new Uint8Array(SCRATCH);
const SCRATCH_VIEW = new DataView(SCRATCH);

/** The decimal text of `v` when it is a builtin scalar whose bytes are at hand; undefined otherwise. */
export function scalarValueText(v: Value): string | undefined {
  const b = v.bytes;
  if (b === undefined || v.error !== undefined || !isBuiltinScalar(v.type) || b.length < v.type.size) return undefined;
  const n = v.type.size;
  for (let i = 0; i < n; i++) SCRATCH_BYTES[i] = b[i]!;
  return scalarTextAt(SCRATCH_VIEW, 0, v.type);
}
