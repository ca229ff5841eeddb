/** The bytes an assignment `target = <expression result>` writes, with Go's assignability and range checks. */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import type { ValueReader } from '../values/valueReader.js';
import { encodeInt } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { constToType, operand, typeNameOf } from './operators.js';
import { complexValue, fitsInt, floatValue, type Result } from './results.js';

/**
 * Where the program holds bytes equal to `b` that never change (its read-only
 * data), or undefined. A Go string may point there: string bytes are never
 * written, and the garbage collector ignores pointers outside its heap.
 */
export type FindConstantBytes = (b: Uint8Array) => number | undefined;

export function assignmentBytes(rd: ValueReader, dw: Dwarf, r: Result, t: GoType, findBytes?: FindConstantBytes): Uint8Array {
  const u = underlying(t);
  if (u.kind === 'string') return stringBytes(rd, r, t, findBytes);
  if (r.k === 'const') return constToType(dw, r.c, t).bytes!;
  const o = operand(rd, r);
  const bad = (): never => {
    throw new EvalError(`cannot use a value of type ${typeNameOf(r)} as ${t.name}`);
  };
  switch (u.kind) {
    case 'int':
    case 'uint':
    case 'uintptr':
      if (o.cls !== 'int') return bad();
      if (!fitsInt(u, o.v)) throw new EvalError(`${o.v} overflows ${t.name}`);
      return encodeInt(o.v, u.size);
    case 'float':
      if (o.cls !== 'int' && o.cls !== 'float') return bad();
      return floatValue(t, Number(o.v)).bytes!;
    case 'complex':
      if (o.cls === 'complex') return complexValue(t, o.re, o.im).bytes!;
      if (o.cls === 'int' || o.cls === 'float') return complexValue(t, Number(o.v), 0).bytes!;
      return bad();
    case 'bool':
      if (o.cls !== 'bool') return bad();
      return new Uint8Array([o.v ? 1 : 0]);
    case 'pointer':
    case 'unsafePointer':
      if (o.cls === 'ref') {
        if (u.kind === 'pointer' && underlying(o.t).kind === 'pointer' && o.t.name !== t.name) return bad();
        return encodeInt(BigInt(o.addr), 8);
      }
      if (o.cls === 'int') return encodeInt(BigInt.asUintN(64, o.v), 8);
      return bad();
    default:
      throw new EvalError(`setting values of type ${t.name} is not supported (bools, numbers, strings and pointers are)`);
  }
}

/**
 * A string header (data pointer, length). Go strings are immutable, so new
 * bytes would need memory the program does not otherwise use; we do not
 * allocate in the program. A string value shares its bytes (as Go's own
 * assignment does); a literal must already be in the program's read-only data.
 */
function stringBytes(rd: ValueReader, r: Result, t: GoType, findBytes: FindConstantBytes | undefined): Uint8Array {
  const header = (data: number, len: number): Uint8Array => {
    const out = new Uint8Array(16);
    out.set(encodeInt(BigInt(data), 8), 0);
    out.set(encodeInt(BigInt(len), 8), 8);
    return out;
  };
  if (r.k === 'const') {
    if (r.c.kind !== 'string') throw new EvalError(`cannot use ${typeNameOf(r)} as ${t.name}`);
    const b = r.c.v;
    if (b.length === 0) return header(0, 0);
    const at = findBytes?.(b);
    if (at === undefined) {
      throw new EvalError(
        'the program holds no such bytes, and Go strings are immutable: the debugger does not allocate memory in the program. ' +
          'Assign another string variable, or a literal the program already contains',
      );
    }
    return header(at, b.length);
  }
  const v = r.v;
  if (underlying(v.type).kind !== 'string' || v.type.name !== t.name) throw new EvalError(`cannot use a value of type ${typeNameOf(r)} as ${t.name}`);
  if (v.computed) throw new EvalError('a computed string has no bytes in the program; assign a string variable or a literal');
  const h = rd.stringHeader(v);
  return header(h.data, h.len);
}
