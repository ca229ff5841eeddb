/**
 * Interface values: the dynamic type comes from the runtime type word: for an
 * `any` (eface) the first word is the `*abi.Type`; for a non-empty interface
 * (iface) the first word is an itab whose `Type` field is the `*abi.Type`.
 * The DWARF type is found back with Dwarf.typeByRuntimeAddr.
 */
import { underlying, type GoType, type InterfaceType } from '../dwarf/goTypes.js';
import type { Value } from './value.js';
import { fieldNamed, u64, type ValueReader } from './valueReader.js';

export type Dynamic =
  | { nil: true }
  | {
      nil: false;
      /** Address of the runtime type descriptor. */
      typeAddr: number;
      /** The DWARF type, when the descriptor is known to DWARF. */
      type?: GoType;
      /** The concrete value (undefined when the type is unknown). */
      value?: Value;
    };

/** Offset of the type pointer inside an itab (from DWARF; `Type` since Go 1.21's abi.ITab, `_type` before). */
function itabTypeOffset(r: ValueReader, iface: InterfaceType): number {
  return r.cached('itabTypeOffset', () => {
    const tab = fieldNamed(iface.layout, 'tab')?.type;
    const itab = tab?.kind === 'pointer' ? tab.elem : undefined;
    const f = itab && (fieldNamed(itab, 'Type') ?? fieldNamed(itab, '_type'));
    return f?.offset ?? 8;
  });
}

/**
 * Go stores a value directly in the interface's data word when its type is
 * pointer-shaped: a pointer, map, chan, func, unsafe.Pointer, or a struct or
 * one-element array whose only element is pointer-shaped.
 */
export function isDirectIface(t: GoType): boolean {
  const u = underlying(t);
  switch (u.kind) {
    case 'pointer':
    case 'unsafePointer':
    case 'map':
    case 'chan':
    case 'func':
      return true;
    case 'struct': {
      const fs = u.fields.filter((f) => f.type.size > 0 || u.fields.length === 1);
      return u.size === 8 && fs.length === 1 && isDirectIface(fs[0]!.type);
    }
    case 'array':
      return u.count === 1 && isDirectIface(u.elem);
    default:
      return false;
  }
}

/** The dynamic type and value of an interface value. */
export function dynamicOf(r: ValueReader, v: Value): Dynamic {
  const t = underlying(v.type) as InterfaceType;
  const b = r.bytesAt(v, 0, 16);
  const word0 = Number(u64(b, 0));
  const data = Number(u64(b, 8));
  if (word0 === 0) return { nil: true };
  const typeAddr = t.empty ? word0 : Number(u64(r.read(word0 + itabTypeOffset(r, t), 8), 0));
  const dyn = r.dwarf.typeByRuntimeAddr(typeAddr);
  if (!dyn) return { nil: false, typeAddr };
  let value: Value;
  if (isDirectIface(dyn)) {
    value = { type: dyn, bytes: b.subarray(8, 8 + Math.min(8, dyn.size)) };
    if (v.addr !== undefined) value.addr = v.addr + 8;
  } else value = { type: dyn, addr: data };
  return { nil: false, typeAddr, type: dyn, value };
}
