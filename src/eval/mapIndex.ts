/**
 * `m[k]` for every comparable key type: the key is made a value of the map's
 * key type (a constant converted, a composite literal built, a value boxed
 * into an interface key), then compared with each key by Go's `==`: floats
 * by value (+0 == -0, NaN never equal), strings by content, structs field
 * by field (blank fields skipped), arrays element by element, interfaces by
 * dynamic type and then value.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import { mapIterator } from '../values/maps.js';
import { partOf, type Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import type { Expr } from './ast.js';
import { bytesAs, defaultType, type LiteralHost } from './compositeLiterals.js';
import { EvalError } from './errors.js';
import { MAX_STRING_READ } from './operators.js';

/** The element of map `m` (of key type `keyType`) at key expression `ke`; `what` is the map's source text. */
export function mapIndex(h: LiteralHost, m: Value, keyType: GoType, ke: Expr, what: string): Value {
  const ku = underlying(keyType);
  if (ku.kind === 'slice' || ku.kind === 'map' || ku.kind === 'func') throw new EvalError(`invalid map key type ${keyType.name}`);
  let key: Value;
  if (ke.k === 'composite' && !ke.type) throw new EvalError('invalid composite literal type: missing type', ke.pos);
  const kr = h.eval(ke);
  if (ku.kind === 'interface' && kr.k === 'const' && kr.c.kind !== 'nil') {
    // An untyped constant key of an interface-keyed map has its default type (1 is an int).
    const dt = defaultType(h.dw, kr.c)!;
    key = { type: dt, bytes: bytesAs(h.r, h.dw, kr, dt, h.text(ke), 'map index'), computed: true };
  } else if (ku.kind === 'interface' && kr.k === 'val' && underlying(kr.v.type).kind !== 'interface') key = kr.v;
  else key = { type: keyType, bytes: bytesAs(h.r, h.dw, kr, keyType, h.text(ke), 'map index'), computed: true };
  const kk = underlying(key.type).kind;
  if (kk === 'slice' || kk === 'map' || kk === 'func') throw new EvalError(`runtime error: hash of unhashable type ${key.type.name}`);
  const it = mapIterator(h.r, m);
  const e = it.find((k) => (ku.kind === 'interface' && underlying(key.type).kind !== 'interface' ? ifaceHolds(h.r, k, key) : keysEqual(h.r, k, key)));
  if (!e) throw new EvalError(`key ${h.text(ke)} not found in ${what}`);
  return e.value;
}

/** Whether interface value `i` holds a value of v's (non-interface) type equal to v. */
function ifaceHolds(r: ValueReader, i: Value, v: Value): boolean {
  const d = dynamicOf(r, i);
  if (d.nil) return false;
  if (!d.type || !d.value) {
    const want = r.dwarf.runtimeTypeAddr(v.type);
    if (want !== undefined && want !== d.typeAddr) return false;
    throw new EvalError('a key of the map holds a value of a type unknown to DWARF');
  }
  return d.type.name === v.type.name && keysEqual(r, d.value, { ...v, type: d.type });
}

/** Go's `==` on two values of one comparable type. */
export function keysEqual(r: ValueReader, a: Value, b: Value): boolean {
  const u = underlying(a.type);
  switch (u.kind) {
    case 'bool':
    case 'int':
    case 'uint':
    case 'uintptr':
    case 'pointer':
    case 'unsafePointer':
    case 'chan':
      return sameBytes(r.bytesAt(a, 0, u.size), r.bytesAt(b, 0, u.size));
    case 'float':
      return r.float(a) === r.float(b);
    case 'complex': {
      const [ar, ai] = r.complex(a);
      const [br, bi] = r.complex(b);
      return ar === br && ai === bi;
    }
    case 'string': {
      const ha = r.stringHeader(a);
      const hb = r.stringHeader(b);
      if (ha.len !== hb.len) return false;
      if (ha.len === 0 || ha.data === hb.data) return true;
      if (ha.len > MAX_STRING_READ) throw new EvalError(`string too long to compare (${ha.len} bytes)`);
      return sameBytes(r.read(ha.data, ha.len), r.read(hb.data, hb.len));
    }
    case 'array':
      for (let i = 0; i < u.count; i++) {
        if (!keysEqual(r, partOf(a, u.elem, i * u.elem.size), partOf(b, u.elem, i * u.elem.size))) return false;
      }
      return true;
    case 'struct':
      return u.fields.every((f) => f.name === '_' || keysEqual(r, partOf(a, f.type, f.offset), partOf(b, f.type, f.offset)));
    case 'interface': {
      const da = dynamicOf(r, a);
      const db = dynamicOf(r, b);
      if (da.nil || db.nil) return da.nil && db.nil;
      if (da.typeAddr !== db.typeAddr) return false;
      if (!da.value || !db.value) throw new EvalError('interface holds a value of a type unknown to DWARF');
      return keysEqual(r, da.value, db.value);
    }
    default:
      throw new EvalError(`invalid operation: ${a.type.name} values cannot be compared`);
  }
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && x.every((b, i) => b === y[i]);
}
