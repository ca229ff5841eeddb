/**
 * Composite literals `T{…}` of struct, array and slice types (and elided
 * element types inside them, `&T` for pointer elements). The value is built
 * as bytes in T's layout; what must live at an address (a slice's backing
 * array, a string constant's bytes, a boxed interface value) goes to the
 * stop's synthesized memory (ValueReader.synthesize). A map literal is a
 * map of the debugger's own: its entries are kept with the value (Value.mapEntries)
 * and read by the map iterator, since a Go map is a runtime hash table only the
 * program could build; it can be indexed, measured, compared with nil and shown,
 * but not stored into the program, nor nested inside another literal.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType, type MapType } from '../dwarf/goTypes.js';
import { isDirectIface } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import { encodeInt, type ValueReader } from '../values/valueReader.js';
import type { Expr, LiteralElem, TypeExpr } from './ast.js';
import { goEqual } from './comparison.js';
import { EvalError } from './errors.js';
import { typeNameOf } from './operators.js';
import type { Result } from './results.js';
import { defaultType, describeConst, representAs } from './constants.js';

type Composite = Extract<Expr, { k: 'composite' }>;

/** What building a literal needs from the evaluator. */
export interface LiteralHost {
  r: ValueReader;
  dw: Dwarf;
  eval(e: Expr): Result;
  text(e: Expr | TypeExpr): string;
  /** The type `t` denotes; `arrayLen` gives `[...]T` its length. */
  type(t: TypeExpr, arrayLen?: number): GoType;
}

/** The value of literal `e`, of its own type or (elided) of `t`. */
export function compositeLiteral(h: LiteralHost, e: Composite, t?: GoType): Value {
  const type = e.type ? h.type(e.type, e.type.k === 'arrayType' && e.type.len < 0n ? arrayLength(h, e) : undefined) : t;
  if (!type) throw new EvalError('invalid composite literal type: missing type', e.pos);
  const u = underlying(type);
  if (u.kind === 'map') return mapLiteralValue(h, e, type, u);
  return { type, bytes: literalBytes(h, e, type), computed: true };
}

/** `map[K]V{k: v, …}`: its entries, each key and value converted to K and V; a repeated constant key is Go's compile error. */
function mapLiteralValue(h: LiteralHost, e: Composite, t: GoType, u: MapType): Value {
  const entries: { key: Value; value: Value }[] = [];
  for (const el of e.elems) {
    if (!el.key) throw new EvalError('missing key in map literal', el.value.pos);
    const key: Value = { type: u.key, bytes: elementBytes(h, el.key, u.key, 'map literal'), computed: true };
    const value: Value = { type: u.elem, bytes: elementBytes(h, el.value, u.elem, 'map literal'), computed: true };
    const same = entries.findIndex((x) => goEqual(h.r, x.key, key));
    if (same < 0) entries.push({ key, value });
    else if (isBasicLiteral(el.key)) throw new EvalError(`duplicate key ${h.text(el.key)} in map literal`, el.key.pos);
    else entries[same] = { key, value };
  }
  // Not nil (its header pointer is a synthesized address no reader follows: the entries are read instead).
  return { type: t, bytes: encodeInt(BigInt(h.r.synthesize(new Uint8Array(8))), 8), computed: true, mapEntries: entries };
}

function isBasicLiteral(e: Expr): boolean {
  return e.k === 'int' || e.k === 'float' || e.k === 'imag' || e.k === 'rune' || e.k === 'string';
}

function literalBytes(h: LiteralHost, e: Composite, t: GoType): Uint8Array {
  const u = underlying(t);
  switch (u.kind) {
    case 'struct':
      return structBytes(h, e, t, u.fields);
    case 'array': {
      const out = new Uint8Array(u.size);
      for (const [i, v] of indexedElems(h, e, u.count)) out.set(elementBytes(h, v, u.elem, `array or slice literal`), i * u.elem.size);
      return out;
    }
    case 'slice': {
      const elems = indexedElems(h, e, undefined);
      const len = elems.length ? Math.max(...elems.map(([i]) => i)) + 1 : 0;
      const backing = new Uint8Array(len * u.elem.size);
      for (const [i, v] of elems) backing.set(elementBytes(h, v, u.elem, 'array or slice literal'), i * u.elem.size);
      const out = new Uint8Array(24);
      out.set(encodeInt(BigInt(len ? h.r.synthesize(backing) : 0), 8), 0);
      out.set(encodeInt(BigInt(len), 8), 8);
      out.set(encodeInt(BigInt(len), 8), 16);
      return out;
    }
    case 'pointer':
      if (!e.type) {
        // An elided `&T{…}` in a []*T or map[K]*T literal.
        const target = literalBytes(h, e, u.elem);
        return encodeInt(BigInt(h.r.synthesize(target)), 8);
      }
      break;
    case 'map':
      throw mapLiteral(e);
  }
  throw new EvalError(`invalid composite literal type ${t.name}`, e.pos);
}

function mapLiteral(e: Composite): EvalError {
  return new EvalError('a map literal inside another literal is not supported (the debugger keeps a literal map only as a value of its own)', e.pos);
}

function structBytes(h: LiteralHost, e: Composite, t: GoType, fields: { name: string; offset: number; type: GoType }[]): Uint8Array {
  const out = new Uint8Array(t.size);
  const keyed = e.elems.filter((x) => x.key).length;
  if (keyed && keyed !== e.elems.length) {
    const odd = e.elems.find((x) => !x.key !== !e.elems[0]!.key)!;
    throw new EvalError('mixture of field:value and value elements in struct literal', (odd.key ?? odd.value).pos);
  }
  if (keyed) {
    const seen = new Set<string>();
    for (const el of e.elems) {
      const k = el.key!;
      if (k.k !== 'ident') throw new EvalError(`invalid field name ${h.text(k)} in struct literal`, k.pos);
      const f = fields.find((x) => x.name === k.name);
      if (!f) throw new EvalError(`unknown field ${k.name} in struct literal of type ${t.name}`, k.pos);
      if (seen.has(k.name)) throw new EvalError(`duplicate field name ${k.name} in struct literal`, k.pos);
      seen.add(k.name);
      out.set(elementBytes(h, el.value, f.type, 'struct literal'), f.offset);
    }
    return out;
  }
  if (e.elems.length > 0 && e.elems.length < fields.length) throw new EvalError(`too few values in struct literal of type ${t.name}`, e.end - 1);
  if (e.elems.length > fields.length) {
    const extra = e.elems[fields.length]!.value;
    throw new EvalError(`too many values in struct literal of type ${t.name}`, extra.pos);
  }
  e.elems.forEach((el, i) => out.set(elementBytes(h, el.value, fields[i]!.type, 'struct literal'), fields[i]!.offset));
  return out;
}

/** The array length of `[...]T{…}`: one past the highest index. */
function arrayLength(h: LiteralHost, e: Composite): number {
  const idx = indexedElems(h, e, undefined);
  return idx.length ? Math.max(...idx.map(([i]) => i)) + 1 : 0;
}

/** Elements of an array or slice literal with their indices (keys are constant indices; others follow the previous one). */
function indexedElems(h: LiteralHost, e: Composite, count: number | undefined): [number, Expr][] {
  const out: [number, Expr][] = [];
  const seen = new Set<number>();
  let next = 0;
  for (const el of e.elems) {
    let i = next;
    if (el.key) i = constIndex(h, el);
    if (i < 0) throw new EvalError(`invalid argument: index ${h.text(el.key!)} (constant of type int) must not be negative`, el.key!.pos);
    if (count !== undefined && i >= count) {
      const at = el.key ?? el.value;
      throw new EvalError(`index ${i} is out of bounds (>= ${count})`, at.pos);
    }
    if (seen.has(i)) throw new EvalError(`duplicate index ${i} in array or slice literal`, (el.key ?? el.value).pos);
    seen.add(i);
    out.push([i, el.value]);
    next = i + 1;
  }
  return out;
}

function constIndex(h: LiteralHost, el: LiteralElem): number {
  const k = el.key!;
  const r = k.k === 'composite' ? undefined : h.eval(k);
  if (r?.k === 'const' && (r.c.kind === 'int' || r.c.kind === 'rune')) return Number(r.c.v);
  if (r?.k === 'const' && r.c.kind === 'float' && Number.isInteger(r.c.v)) return r.c.v;
  throw new EvalError(`index ${h.text(k)} must be integer constant`, k.pos);
}

/** One element's bytes as type `t`: an elided literal `{…}` takes `t`. */
function elementBytes(h: LiteralHost, e: Expr, t: GoType, context: string): Uint8Array {
  if (e.k === 'composite' && !e.type) return literalBytes(h, e, t);
  const x = h.eval(e);
  if (x.k === 'val' && x.v.mapEntries && e.k === 'composite') throw mapLiteral(e);
  try {
    return bytesAs(h.r, h.dw, x, t, h.text(e), context);
  } catch (err) {
    if (err instanceof EvalError && err.pos === undefined) throw new EvalError(err.message, e.pos);
    throw err;
  }
}

/** A type written as a literal rather than a name (`[]int`, `*T`, `map[K]V`, `struct {…}`, `func(…)`). */
function isTypeLiteral(t: GoType): boolean {
  return /^(\[|\*|map\[|chan |<-chan|func\(|struct \{|interface \{)/.test(t.name);
}

/**
 * The bytes of `x` as a value of type `t` under Go's assignability: identical
 * types, identical underlying types when one side is a type literal,
 * constants representable in t, nil for pointer-like types, and boxing a
 * value into an empty interface (its runtime type word from DWARF).
 */
export function bytesAs(r: ValueReader, dw: Dwarf, x: Result, t: GoType, what: string, context: string): Uint8Array {
  const u = underlying(t);
  if (x.k === 'const') {
    const c = x.c;
    if (u.kind === 'string' && c.kind === 'string') {
      const out = new Uint8Array(16);
      out.set(encodeInt(BigInt(c.v.length ? r.synthesize(c.v) : 0), 8), 0);
      out.set(encodeInt(BigInt(c.v.length), 8), 8);
      return out;
    }
    if (u.kind === 'interface' && c.kind !== 'nil') {
      const dt = defaultType(dw, c);
      if (!dt) throw new EvalError(`cannot use ${what} (${typeNameOf(x)} constant) as ${t.name} value in ${context}`);
      return bytesAs(r, dw, { k: 'val', v: { type: dt, bytes: bytesAs(r, dw, x, dt, what, context), computed: true } }, t, what, context);
    }
    const spot = { text: what };
    return representAs(c, t, spot, () => new EvalError(`cannot use ${describeConst(spot, c)} as ${t.name} value in ${context}`)).bytes!;
  }
  const v = x.v;
  const vu = underlying(v.type);
  if (v.type.name === t.name || (vu.name === u.name && vu.kind === u.kind && (isTypeLiteral(t) || isTypeLiteral(v.type)))) {
    return r.load(v).slice(0, t.size);
  }
  if (u.kind === 'interface' && vu.kind !== 'interface') {
    if (!u.empty)
      throw new EvalError(
        `cannot use ${what} (${operandMode(v)} of type ${v.type.name}) as ${t.name} value in ${context}: only a ${t.name} value or an empty interface can be built here`,
      );
    const typeWord = dw.runtimeTypeAddr(v.type);
    if (typeWord === undefined) throw new EvalError(`cannot box ${what} (${v.type.name}) into ${t.name}: the program has no runtime type for ${v.type.name}`);
    const bytes = r.load(v);
    const data = isDirectIface(v.type) ? bytes : encodeInt(BigInt(r.synthesize(bytes)), 8);
    const out = new Uint8Array(16);
    out.set(encodeInt(BigInt(typeWord), 8), 0);
    out.set(data.subarray(0, 8), 8);
    return out;
  }
  throw new EvalError(`cannot use ${what} (${operandMode(v)} of type ${v.type.name}) as ${t.name} value in ${context}`);
}

/** Go's word for an operand in messages: a variable (addressable in the program) or a computed value. */
function operandMode(v: Value): string {
  return v.computed ? 'value' : 'variable';
}
