/** The bytes an assignment `target = <expression result>` writes, with Go's assignability and range checks. */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import type { ValueReader } from '../values/valueReader.js';
import { encodeInt } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { constToType, operand, typeNameOf } from './operators.js';
import { complexValue, fitsInt, floatValue, type Result } from './results.js';

export function assignmentBytes(rd: ValueReader, dw: Dwarf, r: Result, t: GoType): Uint8Array {
  if (r.k === 'const') return constToType(dw, r.c, t).bytes!;
  const u = underlying(t);
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
      throw new EvalError(`setting values of type ${t.name} is not supported (bools, numbers and pointers are)`);
  }
}
