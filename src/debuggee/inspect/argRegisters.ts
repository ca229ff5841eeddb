/**
 * Arguments of frame 0 that live in two places. Go's ABIInternal passes
 * arguments in registers (integers in RAX, RBX, RCX, RDI, RSI, R8–R11, floats
 * in X0–X14, assigned in order: src/cmd/compile/abi-internal.md); with
 * `-N -l` the prologue spills them to stack slots and DWARF points at the
 * slots, yet the first statements may still read the registers. A write to
 * such a slot must also go to the register, or the program computes with the
 * old value while the debugger shows the new one.
 *
 * For every register piece of every argument whose DWARF location is memory:
 * if the register may still be read from the PC on (registerLive), it is a
 * mirror when nothing wrote it since the function's entry (it still holds
 * what arrived), else a hazard when it happens to hold the slot's bytes (we
 * cannot tell whether the code will use it as the argument).
 */
import { registerLive, untouchedSinceEntry, type FunctionCode } from '../../arch/x86/registerLiveness.js';
import { underlying, type GoType } from '../../dwarf/goTypes.js';
import { locate } from '../../values/locations.js';
import { encodeInt, type ValueReader } from '../../values/valueReader.js';
import type { Program } from '../program.js';
import { frameInfo } from '../stack/frames.js';

/** A part of an argument assigned to a register: bytes [offset, offset+size) of the value. */
export interface AbiPiece {
  offset: number;
  size: number;
  /** Decoder name: 'AX', 'X0'. */
  reg: string;
  /** DWARF register number (RAX 0, RBX 3, RCX 2, RDI 5, RSI 4, R8–R11 8–11, XMMi 17+i). */
  dwarfReg: number;
}

const INT_REGS: [string, number][] = [
  ['AX', 0],
  ['BX', 3],
  ['CX', 2],
  ['DI', 5],
  ['SI', 4],
  ['R8', 8],
  ['R9', 9],
  ['R10', 10],
  ['R11', 11],
];
const FLOAT_REGS = 15;

/** The register pieces of each argument in order, or undefined for one passed on the stack (abi-internal.md's algorithm). */
export function abiAssign(types: GoType[]): (AbiPiece[] | undefined)[] {
  let ints = 0;
  let floats = 0;
  return types.map((t) => {
    const pieces: AbiPiece[] = [];
    const save = [ints, floats];
    const intReg = (offset: number, size: number): boolean => {
      if (ints >= INT_REGS.length) return false;
      const [reg, dwarfReg] = INT_REGS[ints++]!;
      pieces.push({ offset, size, reg, dwarfReg });
      return true;
    };
    const floatReg = (offset: number, size: number): boolean => {
      if (floats >= FLOAT_REGS) return false;
      pieces.push({ offset, size, reg: `X${floats}`, dwarfReg: 17 + floats });
      floats++;
      return true;
    };
    const assign = (ty: GoType, offset: number): boolean => {
      const u = underlying(ty);
      switch (u.kind) {
        case 'bool':
        case 'int':
        case 'uint':
        case 'uintptr':
        case 'pointer':
        case 'unsafePointer':
        case 'map':
        case 'chan':
        case 'func':
          return intReg(offset, u.size);
        case 'float':
          return floatReg(offset, u.size);
        case 'complex':
          return floatReg(offset, u.size / 2) && floatReg(offset + u.size / 2, u.size / 2);
        case 'string':
        case 'interface':
          return intReg(offset, 8) && intReg(offset + 8, 8);
        case 'slice':
          return intReg(offset, 8) && intReg(offset + 8, 8) && intReg(offset + 16, 8);
        case 'struct':
          return u.fields.every((f) => assign(f.type, offset + f.offset));
        case 'array':
          if (u.count === 0) return true;
          return u.count === 1 && assign(u.elem, offset);
        default:
          return false;
      }
    };
    if (assign(t, 0)) return pieces;
    [ints, floats] = save as [number, number];
    return undefined;
  });
}

/** Bytes [addr, addr+size) of frame 0's memory that register `reg` also holds. */
export interface Mirror {
  addr: number;
  size: number;
  reg: string;
  dwarfReg: number;
  /** The argument (and field) the bytes belong to, for messages. */
  arg: string;
  /** true: write the register too; false: the code may read the register, and we cannot tell that it holds the argument. */
  sure: boolean;
}

/** The register name as the user knows it: RCX, R8, X0. */
export function registerTitle(reg: string): string {
  return /^[A-D]X$|^[SD]I$|^[SB]P$/.test(reg) ? `R${reg}` : reg;
}

/** The mirrors of frame 0 of thread id `tid` (empty without registers or DWARF). */
export function argumentMirrors(p: Program, r: ValueReader, tid: number): Mirror[] {
  const f = frameInfo(p, tid, 0);
  const dw = r.dwarf;
  const gofn = f ? p.symbols.funcForPC(f.pc) : undefined;
  const fn = f ? dw.functionAt(f.pc) : undefined;
  if (!f?.regs || !gofn || !fn) return [];
  const regs = f.regs;
  const params = fn.variables.filter((v) => v.kind === 'param' && !v.isReturn && v.depth === 0 && v.closureOffset === undefined);
  let types: GoType[];
  try {
    types = params.map((v) => dw.type(v.typeOffset));
  } catch {
    return [];
  }
  const assigned = abiAssign(types);
  // Go lists parameters in declaration order, the ABI's order (measured with
  // Go 1.26: a stack-assigned array between two register arguments keeps its
  // place). When an argument went to the stack we rely on that order less:
  // the register must also hold the slot's bytes.
  const orderSure = assigned.every((a) => a !== undefined);
  let code: FunctionCode;
  try {
    code = { start: gofn.entry, bytes: p.read(gofn.entry, gofn.end - gofn.entry) };
  } catch {
    return [];
  }
  const allRegs = assigned.flatMap((a) => (a ?? []).map((x) => x.reg));
  const untouched = new Set(untouchedSinceEntry(code, f.pc, allRegs));
  const out: Mirror[] = [];
  params.forEach((v, i) => {
    const pieces = assigned[i];
    if (!pieces?.length) return;
    const value = locate(r, fn, v, types[i]!, f);
    if (value.addr === undefined || value.regs || value.computed) return;
    for (const piece of pieces) {
      if (!registerLive(code, f.pc, piece.reg)) continue;
      const addr = value.addr + piece.offset;
      let same = false;
      try {
        const held = encodeInt(regs.dwarf(piece.dwarfReg) ?? -1n, 8).subarray(0, piece.size);
        const slot = p.read(addr, piece.size);
        same = held.every((b, k) => b === slot[k]);
      } catch {
        same = false;
      }
      const intact = untouched.has(piece.reg);
      if (intact && (orderSure || same)) out.push({ addr, size: piece.size, reg: piece.reg, dwarfReg: piece.dwarfReg, arg: v.name, sure: true });
      else if (same) out.push({ addr, size: piece.size, reg: piece.reg, dwarfReg: piece.dwarfReg, arg: v.name, sure: false });
    }
  });
  return out;
}
