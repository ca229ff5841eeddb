/**
 * `m[k]` for every comparable key type: the key is made a value of the map's
 * key type (a constant converted, a composite literal built; for an
 * interface key, a value keeps its own type, a constant takes its default
 * type), then compared with each key by Go's `==` (comparison.ts: NaN never
 * equal, +0 == -0, structs field by field, interfaces by dynamic type then
 * value). The map is walked, not hashed: the runtime's hash seed and
 * function are the program's.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { mapIterator } from '../values/maps.js';
import type { Value } from '../values/value.js';
import type { Expr } from './ast.js';
import type { Result } from './results.js';
import { goEqual, interfaceEqualsValue } from './comparison.js';
import { bytesAs, type LiteralHost } from './compositeLiterals.js';
import { defaultType } from './constants.js';
import { EvalError } from './errors.js';

/** The element of map `m` (of key type `keyType`) at key expression `ke`; `what` is the map's source text. */
export function mapIndex(h: LiteralHost, m: Value, keyType: GoType, ke: Expr, what: string): Value {
  const ku = underlying(keyType);
  if (ku.kind === 'slice' || ku.kind === 'map' || ku.kind === 'func') throw new EvalError(`invalid map key type ${keyType.name}`);
  if (ke.k === 'composite' && !ke.type) throw new EvalError('invalid composite literal type: missing type', ke.pos);
  const kr = h.eval(ke);
  try {
    return lookup(h, m, keyType, kr, ke, what);
  } catch (err) {
    if (err instanceof EvalError && err.pos === undefined) throw new EvalError(err.message, ke.pos);
    throw err;
  }
}

function lookup(h: LiteralHost, m: Value, keyType: GoType, kr: Result, ke: Expr, what: string): Value {
  const ku = underlying(keyType);
  let key: Value;
  if (ku.kind === 'interface' && kr.k === 'const' && kr.c.kind !== 'nil') {
    // An untyped constant key of an interface-keyed map has its default type (1 is an int).
    const dt = defaultType(h.dw, kr.c)!;
    key = { type: dt, bytes: bytesAs(h.r, h.dw, kr, dt, h.text(ke), 'map index'), computed: true };
  } else if (ku.kind === 'interface' && kr.k === 'val' && underlying(kr.v.type).kind !== 'interface') key = kr.v;
  else key = { type: keyType, bytes: bytesAs(h.r, h.dw, kr, keyType, h.text(ke), 'map index'), computed: true };
  const kk = underlying(key.type).kind;
  if (kk === 'slice' || kk === 'map' || kk === 'func') throw new EvalError(`runtime error: hash of unhashable type ${key.type.name}`);
  const it = mapIterator(h.r, m);
  const boxed = ku.kind === 'interface' && underlying(key.type).kind !== 'interface';
  const e = it.find((k) => (boxed ? interfaceEqualsValue(h.r, k, key) : goEqual(h.r, k, key)));
  if (!e) throw new EvalError(`key ${h.text(ke)} not found in ${what}`);
  return e.value;
}
