/**
 * A type's method set as the runtime records it: the method table of the
 * type descriptor's abi.UncommonType (present when TFlag has TFlagUncommon,
 * placed right after the kind's descriptor struct: abi.StructType for a
 * struct, abi.PtrType for a pointer, …; {PkgPath, Mcount uint16, Xcount
 * uint16, Moff uint32}, then Mcount abi.Method {Name, Mtyp, Ifn, Tfn} of 16
 * bytes at Moff). The compiler lists every method of the set there; the
 * linker keeps the names of methods it drops as unreachable (their code
 * offsets become -1), so the table answers where the binary's functions do
 * not (N.Name, never called through an interface, has no function left).
 * An interface's own method names come from abi.InterfaceType.Methods. Both
 * hold abi.Names: a flag byte, a uvarint length, the bytes.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { fieldNamed, u64, type ValueReader } from '../values/valueReader.js';
import { EvalError } from './errors.js';
import { hasFunction, methodFunctionNames } from './funcValues.js';

const TFLAG_UNCOMMON = 1;

/** The descriptor struct of each kind, after which the uncommon part sits (abi.Type.Uncommon). */
const KIND_DESCRIPTOR: Record<string, string> = {
  struct: 'internal/abi.StructType',
  pointer: 'internal/abi.PtrType',
  slice: 'internal/abi.SliceType',
  array: 'internal/abi.ArrayType',
  chan: 'internal/abi.ChanType',
  func: 'internal/abi.FuncType',
  interface: 'internal/abi.InterfaceType',
};
const PLAIN = new Set(['bool', 'int', 'uint', 'uintptr', 'float', 'complex', 'string', 'unsafePointer']);

/** The names of `t`'s methods from its type descriptor; undefined when the program has no descriptor to read. */
export function methodSetNames(rd: ValueReader, t: GoType): Set<string> | undefined {
  const dw = rd.dwarf;
  const addr = dw.runtimeTypeAddr(t);
  const abiType = dw.typeByName('internal/abi.Type');
  const tflag = abiType && fieldNamed(abiType, 'TFlag');
  if (addr === undefined || !abiType || !tflag) return undefined;
  const kind = underlying(t).kind;
  const descName = KIND_DESCRIPTOR[kind];
  const desc = descName ? dw.typeByName(descName) : PLAIN.has(kind) ? abiType : undefined;
  if (!desc) return undefined;
  const out = new Set<string>();
  if ((rd.read(addr + tflag.offset, 1)[0]! & TFLAG_UNCOMMON) === 0) return out;
  const at = addr + desc.size;
  const unc = rd.read(at, 16);
  const dv = new DataView(unc.buffer, unc.byteOffset, unc.byteLength);
  const mcount = dv.getUint16(4, true);
  const moff = dv.getUint32(8, true);
  if (mcount === 0) return out;
  const table = rd.read(at + moff, mcount * 16);
  const tv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const base = addr - t.runtimeType;
  for (let i = 0; i < mcount; i++) out.add(nameAt(rd, base + tv.getInt32(i * 16, true)));
  return out;
}

/**
 * The first of `wanted` that is not in `t`'s method set, or undefined: the
 * set from t's descriptor (methodSetNames), else from the functions the binary
 * holds for t (which misses the methods the linker dropped).
 */
export function missingMethod(rd: ValueReader, t: GoType, wanted: readonly string[]): string | undefined {
  const set = methodSetNames(rd, t);
  return wanted.find((m) => (set ? !set.has(m) : !hasMethodFunction(rd, t, m)));
}

/** Whether the binary holds a function for method `m` of `t` (a named type or a pointer to one). */
function hasMethodFunction(r: ValueReader, t: GoType, m: string): boolean {
  const ptr = t.kind === 'pointer';
  const names = methodFunctionNames(ptr ? t.elem.name : t.name, m);
  return !!names && (hasFunction(r, names.byValue) || (ptr && hasFunction(r, names.byPointer)));
}

/** Method names of interface type `t`, read from its runtime type descriptor. */
export function interfaceMethods(r: ValueReader, t: GoType): string[] {
  const dw = r.dwarf;
  const addr = dw.runtimeTypeAddr(t);
  const desc = dw.typeByName('internal/abi.InterfaceType') ?? dw.typeByName('runtime.interfacetype');
  const methods = desc && (fieldNamed(desc, 'Methods') ?? fieldNamed(desc, 'mhdr'));
  if (addr === undefined || !methods) {
    if (t.name === 'error') return ['Error'];
    throw new EvalError(`cannot tell the methods of ${t.name}: the program has no runtime descriptor for it`);
  }
  const base = addr - t.runtimeType;
  const hdr = r.read(addr + methods.offset, 16);
  const data = Number(u64(hdr, 0));
  const n = Number(u64(hdr, 8));
  if (n < 0 || n > 4096) throw new EvalError(`bad method count ${n} in the descriptor of ${t.name}`);
  const out: string[] = [];
  const raw = n ? r.read(data, n * 8) : new Uint8Array(0);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < n; i++) out.push(nameAt(r, base + dv.getInt32(i * 8, true)));
  return out;
}

/** An abi.Name: flag byte, uvarint length, bytes. */
export function nameAt(r: ValueReader, addr: number): string {
  const head = r.read(addr, 11);
  let len = 0;
  let shift = 0;
  let i = 1;
  for (; i < head.length; i++) {
    len += (head[i]! & 0x7f) * 2 ** shift;
    shift += 7;
    if (head[i]! < 0x80) break;
  }
  return new TextDecoder().decode(r.read(addr + i + 1, len));
}
