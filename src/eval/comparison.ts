/**
 * Go's comparison rules on values read from the program (the spec's
 * "Comparison operators"): which types are comparable and ordered, and
 * equality of every comparable type: booleans, numbers (NaN unequal to
 * itself, +0 equal to -0), strings, pointers, channels, unsafe.Pointer,
 * interfaces (equal when their dynamic types are identical and their dynamic
 * values equal; comparing two interfaces holding the same incomparable
 * dynamic type is Go's run-time panic), structs field by field (blank fields
 * skipped) and arrays element by element. Slices, maps and funcs compare only
 * with nil; the caller checks that.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import { partOf, type Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { interfaceMethods, missingMethod } from './methodSets.js';

/** The largest string or composite an equality reads whole. */
const MAX_COMPARE_READ = 16 << 20;

/** Why values of type t cannot be compared with ==, in the compiler's words; undefined when they can. */
export function incomparable(t: GoType): string | undefined {
  const u = underlying(t);
  switch (u.kind) {
    case 'slice':
    case 'map':
    case 'func':
      return `${u.kind} can only be compared to nil`;
    case 'struct':
      for (const f of u.fields) {
        if (f.name === '_') continue;
        const why = incomparable(f.type);
        if (why) return `struct containing ${why.endsWith('cannot be compared') ? innerOf(why) : f.type.name} cannot be compared`;
      }
      return undefined;
    case 'array': {
      const why = incomparable(u.elem);
      return why ? `[${u.count}]${u.elem.name} cannot be compared` : undefined;
    }
    case 'unspecified':
      return `${t.name} cannot be compared (its type is not known to DWARF)`;
    default:
      return undefined;
  }
}

/** "struct containing []int cannot be compared" → "[]int" (the innermost offending type). */
function innerOf(why: string): string {
  return why.replace(/^struct containing /, '').replace(/ cannot be compared$/, '');
}

/** Whether values of type t are ordered (<, <=, >, >=): integers, floats and strings. */
export function isOrdered(t: GoType): boolean {
  const k = underlying(t).kind;
  return k === 'int' || k === 'uint' || k === 'uintptr' || k === 'float' || k === 'string';
}

/** A string value's bytes (bounded). */
export function stringBytesOf(rd: ValueReader, v: Value): Uint8Array {
  const h = rd.stringHeader(v);
  if (h.len > MAX_COMPARE_READ) throw new EvalError(`string too long to read (${h.len} bytes)`);
  return h.len <= 0 ? new Uint8Array(0) : rd.read(h.data, h.len);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether two types are the same Go type (DWARF spells each type once, fully qualified). */
export function identical(a: GoType, b: GoType): boolean {
  return a === b || a.name === b.name;
}

/**
 * `a == b` for two values of identical comparable type (the caller type-checks).
 * Throws EvalError for Go's run-time panic (interfaces holding an incomparable
 * dynamic type) and for values that cannot be read.
 */
export function goEqual(rd: ValueReader, a: Value, b: Value): boolean {
  const u = underlying(a.type);
  switch (u.kind) {
    case 'bool':
      return rd.bool(a) === rd.bool(b);
    case 'int':
    case 'uint':
    case 'uintptr':
      return rd.int(a) === rd.int(b);
    case 'float':
      return rd.float(a) === rd.float(b);
    case 'complex': {
      const [ar, ai] = rd.complex(a);
      const [br, bi] = rd.complex(b);
      return ar === br && ai === bi;
    }
    case 'string': {
      const ha = rd.stringHeader(a);
      const hb = rd.stringHeader(b);
      if (ha.len !== hb.len) return false;
      if (ha.data === hb.data) return true;
      return bytesEqual(stringBytesOf(rd, a), stringBytesOf(rd, b));
    }
    case 'pointer':
    case 'unsafePointer':
    case 'chan':
      return rd.pointer(a) === rd.pointer(b);
    case 'interface':
      return interfacesEqual(rd, a, b);
    case 'struct':
      for (const f of u.fields) {
        if (f.name === '_' || f.type.size === 0) continue;
        if (!goEqual(rd, partOf(a, f.type, f.offset), partOf(b, f.type, f.offset))) return false;
      }
      return true;
    case 'array': {
      if (u.elem.size === 0) return true;
      if (u.size > MAX_COMPARE_READ) throw new EvalError(`array too large to compare (${u.size} bytes)`);
      // Whole loads make every element a slice of already-read bytes.
      if (a.addr !== undefined && !a.bytes) rd.load(a);
      if (b.addr !== undefined && !b.bytes) rd.load(b);
      for (let i = 0; i < u.count; i++) {
        if (!goEqual(rd, rd.arrayElem(a, u.elem, i), rd.arrayElem(b, u.elem, i))) return false;
      }
      return true;
    }
    default:
      throw new EvalError(`invalid operation: ${incomparable(a.type) ?? `${a.type.name} cannot be compared`}`);
  }
}

/** Two interface values: equal when both are nil, or their dynamic types are identical and the dynamic values equal. */
function interfacesEqual(rd: ValueReader, a: Value, b: Value): boolean {
  const da = dynamicOf(rd, a);
  const db = dynamicOf(rd, b);
  if (da.nil || db.nil) return da.nil === db.nil;
  if (da.typeAddr !== db.typeAddr) return false;
  return dynamicEqual(rd, da, db.value);
}

/**
 * Whether the spec lets `a` and `b` be compared when one is an interface:
 * one must be assignable to the other's type, so a non-interface type must
 * implement the interface (every method of it in its method set: T's own
 * value-receiver methods, all of them for *T), and of two interfaces one
 * must implement the other. Methods are matched by name (signatures are not
 * compared), a type's from its runtime descriptor (methodSets.ts), else
 * by the functions the binary holds for it (the linker drops a method no
 * interface call can reach: without a descriptor, such a type counts as not
 * implementing). Where the program has no descriptor to tell an
 * interface's methods, the comparison is allowed, as Go's run time would
 * decide it.
 */
export function interfaceComparable(rd: ValueReader, a: Value, b: Value): boolean {
  const ia = underlying(a.type).kind === 'interface';
  const ib = underlying(b.type).kind === 'interface';
  if (identical(a.type, b.type)) return true;
  const implementsIface = (t: GoType, iface: GoType): boolean => {
    const iu = underlying(iface);
    if (iu.kind === 'interface' && iu.empty) return true;
    let wanted: string[];
    try {
      wanted = interfaceMethods(rd, iface);
    } catch {
      return true;
    }
    if (underlying(t).kind !== 'interface') return missingMethod(rd, t, wanted) === undefined;
    try {
      const has = new Set(interfaceMethods(rd, t));
      return wanted.every((m) => has.has(m));
    } catch {
      return true;
    }
  };
  if (ia && ib) return implementsIface(a.type, b.type) || implementsIface(b.type, a.type);
  return ia ? implementsIface(b.type, a.type) : implementsIface(a.type, b.type);
}

/** An interface value `i` against a non-interface value `x` (Go converts x to the interface type first). */
export function interfaceEqualsValue(rd: ValueReader, i: Value, x: Value): boolean {
  const d = dynamicOf(rd, i);
  if (d.nil) return false;
  if (!d.type) throw new EvalError('the interface holds a value of a type unknown to DWARF');
  if (!identical(d.type, x.type)) return false;
  return dynamicEqual(rd, d, x);
}

function dynamicEqual(rd: ValueReader, d: ReturnType<typeof dynamicOf>, other: Value | undefined): boolean {
  if (d.nil) return other === undefined;
  if (!d.type || !d.value || !other) throw new EvalError('the interface holds a value of a type unknown to DWARF');
  if (incomparable(d.type)) throw new EvalError(`runtime error: comparing uncomparable type ${d.type.name}`);
  return goEqual(rd, d.value, other);
}

/**
 * Whether a and b have identical underlying types (the spec's type identity,
 * applied structurally to the underlying literals: element, key, field and
 * length by length). DWARF spells a defined type's underlying type only
 * through its layout, so two basic kinds of one size count as identical
 * (DWARF cannot tell `type T int64` from `type T int`).
 */
export function sameUnderlying(a: GoType, b: GoType): boolean {
  const ua = underlying(a);
  const ub = underlying(b);
  if (ua.kind !== ub.kind) return false;
  if (identical(ua, ub)) return true;
  switch (ua.kind) {
    case 'bool':
    case 'float':
    case 'complex':
    case 'string':
    case 'unsafePointer':
      return ua.size === ub.size;
    case 'int':
    case 'uint':
    case 'uintptr':
      return ua.size === ub.size;
    case 'slice':
    case 'pointer':
      return identical(ua.elem, (ub as typeof ua).elem);
    case 'array':
      return ua.count === (ub as typeof ua).count && identical(ua.elem, (ub as typeof ua).elem);
    case 'map':
      return identical(ua.key, (ub as typeof ua).key) && identical(ua.elem, (ub as typeof ua).elem);
    case 'chan':
      return ua.dir === (ub as typeof ua).dir && identical(ua.elem, (ub as typeof ua).elem);
    case 'struct': {
      const fb = (ub as typeof ua).fields;
      return (
        ua.fields.length === fb.length &&
        ua.fields.every((f, i) => f.name === fb[i]!.name && f.offset === fb[i]!.offset && !!f.embedded === !!fb[i]!.embedded && identical(f.type, fb[i]!.type))
      );
    }
    default:
      return false;
  }
}
