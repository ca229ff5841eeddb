/**
 * The bytes an assignment `target = <expression result>` writes, with Go's
 * assignability rules: an untyped constant must be representable in the
 * target's type (nil only for pointers, slices, maps, channels, functions
 * and interfaces); a value must be of an identical type, or of the same
 * underlying type where one of the two is unnamed (assignability.ts). What Go
 * allows but would need memory the program does not have (new string bytes,
 * a concrete value boxed in an interface) is refused saying so: the debugger
 * does not allocate in the program.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { encodeInt, SYNTHETIC_BASE, type ValueReader } from '../values/valueReader.js';
import { assignable } from './assignability.js';
import { EvalError } from './errors.js';
import { constToType, typeNameOf } from './operators.js';
import type { Result } from './results.js';

/**
 * Where the program holds bytes equal to `b` that never change (its read-only
 * data), or undefined. A Go string may point there: string bytes are never
 * written, and the garbage collector ignores pointers outside its heap.
 */
export type FindConstantBytes = (b: Uint8Array) => number | undefined;

const MAX_FLOAT32 = 3.4028234663852886e38;

/** Kinds whose value is one machine word the program may hold anywhere (an interface's data word may be it). */
const POINTER_SHAPED = new Set(['pointer', 'unsafePointer', 'map', 'chan', 'func']);

/**
 * The bytes of `r` assigned to a variable of type `t`; `rhs` is the
 * expression's text for messages. Throws EvalError with Go's reason when Go
 * would not compile the assignment, or when it cannot be done without
 * allocating.
 */
export function assignmentBytes(rd: ValueReader, dw: Dwarf, r: Result, t: GoType, findBytes?: FindConstantBytes, rhs?: string): Uint8Array {
  const u = underlying(t);
  const tn = t.name || u.name;
  if (r.k === 'const') {
    if (u.kind === 'string' && r.c.kind === 'string') return constStringBytes(r.c.v, findBytes);
    if (u.kind === 'interface' && r.c.kind !== 'nil') {
      throw new EvalError(
        `assigning ${rhs ?? 'a constant'} to ${tn} would box it in memory the program does not have; the debugger does not allocate in the program (assign an interface variable, or nil)`,
      );
    }
    if (u.kind === 'float' && u.size === 4 && (r.c.kind === 'float' || r.c.kind === 'int') && Math.abs(Number(r.c.v)) > MAX_FLOAT32) {
      throw new EvalError(`cannot use ${rhs ?? 'the constant'} (untyped ${r.c.kind} constant) as ${tn} value (overflows)`);
    }
    return constToType(dw, r.c, t).bytes!;
  }
  const v = r.v;
  const vn = typeNameOf(r);
  const what = `${rhs ?? 'the value'} (${v.computed ? 'value' : 'variable'} of type ${vn})`;
  if (u.kind === 'interface' && !assignable(v.type, t)) return interfaceBytes(rd, dw, r, t, what);
  if (!assignable(v.type, t)) throw new EvalError(`cannot use ${what} as ${tn} value`);
  if (u.kind === 'string' && v.computed) throw new EvalError('a computed string has no bytes in the program; assign a string variable or a literal');
  if (v.computed && holdsPointers(v.type) && !POINTER_SHAPED.has(u.kind) && u.kind !== 'string') {
    throw new EvalError(`${what} is computed by the debugger, and a ${tn} holds pointers the program never made; assign a variable of the program instead`);
  }
  const bytes = rd.load(v);
  if (bytes.length !== t.size) throw new EvalError(`cannot use ${what} as ${tn} value (${bytes.length} bytes, not ${t.size})`);
  if (v.mapEntries || (v.computed && pointsIntoDebugger(bytes))) {
    throw new EvalError(
      `${what} is made by the debugger (a literal) and lives only in the debugger; the program cannot hold it, and the debugger does not allocate in the program`,
    );
  }
  return bytes.slice();
}

/**
 * A value of another type into an interface: Go boxes it. An empty
 * interface can hold a pointer-shaped value without a box (the data word is
 * the value itself) when the program has a type descriptor for it, and any
 * other interface's value (the dynamic type read from its itab); anything
 * else would need new memory (a box, or an itab the program may not have).
 */
function interfaceBytes(rd: ValueReader, dw: Dwarf, r: Result & { k: 'val' }, t: GoType, what: string): Uint8Array {
  const target = underlying(t);
  const v = r.v;
  const vu = underlying(v.type);
  const tn = t.name || target.name;
  if (target.kind !== 'interface') throw new EvalError(`cannot use ${what} as ${tn} value`);
  const refuse = (why: string): never => {
    throw new EvalError(`cannot set ${tn} to ${what} here: ${why}; the debugger does not allocate in the program`);
  };
  if (!target.empty) return refuse(`a non-empty interface needs the method table (itab) of ${typeNameOf(r)} for ${tn}, which the debugger does not build`);
  const out = new Uint8Array(16);
  if (vu.kind === 'interface') {
    // Another interface into an empty one: its dynamic type, and the same data word.
    const [w0, w1] = [rd.uword(v, 0), rd.uword(v, 8)];
    const type = w0 === 0 || vu.empty ? w0 : rd.uword({ type: v.type, addr: w0 }, 8);
    out.set(encodeInt(BigInt(type), 8), 0);
    out.set(encodeInt(BigInt(w1), 8), 8);
    return out;
  }
  if (!POINTER_SHAPED.has(vu.kind)) return refuse(`a ${typeNameOf(r)} must be copied into a box in memory`);
  const desc = dw.runtimeTypeAddr(v.type);
  if (desc === undefined) return refuse(`the program has no type descriptor for ${typeNameOf(r)}`);
  out.set(encodeInt(BigInt(desc), 8), 0);
  out.set(rd.load(v).subarray(0, 8), 8);
  return out;
}

/** Whether some aligned word of `bytes` is an address of the debugger's synthesized memory (ValueReader.synthesize). */
function pointsIntoDebugger(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    const w = view.getBigUint64(i, true);
    if (w >= BigInt(SYNTHETIC_BASE) && w < 1n << 56n) return true;
  }
  return false;
}

/** Whether a value of type t contains pointer words (strings, slices, maps, … anywhere inside). */
function holdsPointers(t: GoType, depth = 0): boolean {
  const u = underlying(t);
  if (depth > 16) return true;
  switch (u.kind) {
    case 'bool':
    case 'int':
    case 'uint':
    case 'uintptr':
    case 'float':
    case 'complex':
      return false;
    case 'array':
      return u.count > 0 && holdsPointers(u.elem, depth + 1);
    case 'struct':
      return u.fields.some((f) => holdsPointers(f.type, depth + 1));
    default:
      return true;
  }
}

/**
 * A string header (data pointer, length) for a literal. Go strings are
 * immutable, so new bytes would need memory the program does not otherwise
 * use; a literal must already be in the program's read-only data.
 */
function constStringBytes(b: Uint8Array, findBytes: FindConstantBytes | undefined): Uint8Array {
  const out = new Uint8Array(16);
  if (b.length === 0) return out;
  const at = findBytes?.(b);
  if (at === undefined) {
    throw new EvalError(
      'the program holds no such bytes, and Go strings are immutable: the debugger does not allocate memory in the program. ' +
        'Assign another string variable, or a literal the program already contains',
    );
  }
  out.set(encodeInt(BigInt(at), 8), 0);
  out.set(encodeInt(BigInt(b.length), 8), 8);
  return out;
}
