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
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { fieldNamed, type ValueReader } from '../values/valueReader.js';
import { nameAt } from './typeAssert.js';

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
