/**
 * Type assertions: `x.(T)` for a concrete T compares x's dynamic type with
 * T; `x.(I)` for an interface I checks that the dynamic type has every
 * method of I. I's method names come from its runtime descriptor
 * (abi.InterfaceType.Methods, each an abi.Name: a flag byte, a varint
 * length, the bytes); the dynamic type's method set is read as
 * methodSets.ts reads it (its descriptor, else the binary's functions).
 * `x.(type)`, which Go allows only in a type switch, answers the dynamic
 * type's name as a string, or "nil".
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import { u64, type ValueReader } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { interfaceMethods, missingMethod } from './methodSets.js';
import { konst, val, type Result } from './results.js';

/** `x.(T)`; `iname` is x's static type name (for Go's messages). `target` undefined means `x.(type)`. */
export function typeAssert(r: ValueReader, x: Value, iname: string, target: GoType | undefined): Result {
  const d = dynamicOf(r, x);
  if (!target) return konst({ kind: 'string', v: new TextEncoder().encode(d.nil ? 'nil' : (d.type?.name ?? `<type at 0x${d.typeAddr.toString(16)}>`)) });
  const tu = underlying(target);
  if (d.nil) throw new EvalError(`interface conversion: ${tu.kind === 'interface' ? 'interface' : iname} is nil, not ${target.name}`);
  const dyn = d.type?.name ?? `<type at 0x${d.typeAddr.toString(16)}>`;
  if (tu.kind !== 'interface') {
    if (dyn !== target.name || !d.value) throw new EvalError(`interface conversion: ${iname} is ${dyn}, not ${target.name}`);
    return val({ ...d.value, computed: true }); // not addressable in Go: a write would change what the interface holds
  }
  if (!d.type || !d.value) throw new EvalError(`${iname} holds a value of a type unknown to DWARF`);
  if (target.name === x.type.name) return val(x);
  const data = r.bytesAt(x, 8, 8);
  if (tu.empty) return val(interfaceValue(target, d.typeAddr, data));
  const inter = r.dwarf.runtimeTypeAddr(target);
  const itab = inter === undefined ? undefined : itabOf(r, inter, d.typeAddr);
  const missing = (m: string | undefined) =>
    new EvalError(`interface conversion: ${dyn} is not ${target.name}: missing method ${m ?? '(the runtime says so)'}`);
  if (itab) {
    if (!itab.implements) throw missing(missingMethod(r, d.type, interfaceMethods(r, target)));
    return val(interfaceValue(target, itab.addr, data));
  }
  const m = missingMethod(r, d.type, interfaceMethods(r, target));
  if (m !== undefined) throw missing(m);
  // The program never made this (type, interface) pair, so there is no itab to build an I from:
  // the result shows as the dynamic value it holds.
  return val({ ...d.value, computed: true });
}

/** An interface value of type t: its first word (a type or an itab) and its data word. */
function interfaceValue(t: GoType, word0: number, data: Uint8Array): Value {
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(word0), true);
  bytes.set(data, 8);
  return { type: t, bytes, computed: true };
}

/**
 * The runtime's itab for (interface descriptor `inter`, type descriptor
 * `typ`), from runtime.itabTable: {size, count, entries [size]*itab}, each
 * abi.ITab {Inter, Type, Hash, Fun}. Fun[0] == 0 is the runtime's record
 * that the type does not implement the interface. The compiler's static
 * itabs are added to the table at start-up, so it holds every pair the
 * program has converted or asserted.
 */
function itabOf(r: ValueReader, inter: number, typ: number): { addr: number; implements: boolean } | undefined {
  const all = r.cached('eval:itabs', () => {
    const out = new Map<string, { addr: number; implements: boolean }>();
    const g = r.dwarf.global('runtime.itabTable');
    if (!g) return out;
    const table = Number(u64(r.read(g.address, 8), 0));
    if (!table) return out;
    const size = Number(u64(r.read(table, 8), 0));
    if (size <= 0 || size > 1 << 20) return out;
    const entries = r.read(table + 16, size * 8);
    for (let i = 0; i < size; i++) {
      const p = Number(u64(entries, i * 8));
      if (!p) continue;
      const it = r.read(p, 32);
      out.set(`${u64(it, 0)}:${u64(it, 8)}`, { addr: p, implements: u64(it, 24) !== 0n });
    }
    return out;
  });
  return all.get(`${inter}:${typ}`);
}
