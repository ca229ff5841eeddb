/**
 * Assignment for setVariable: bools, integers of every size (range-checked),
 * floats, complex numbers, pointers (an address, another pointer, or nil),
 * strings (a header pointing at bytes the program already holds), in memory
 * or in frame 0's registers (including a part of a value split across
 * register pieces).
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { DWARF_TO_USER_REGS } from '../dwarf/ops.js';
import type { Registers } from '../process/registers.js';
import { encodeInt } from './valueReader.js';
import { ValueError, type Value } from './value.js';

export interface ValueWriter {
  write(addr: number, bytes: Uint8Array): void;
  registers(tid: number): Registers;
  setRegisters(tid: number, regs: Registers): void;
}

const SETTABLE = new Set(['bool', 'int', 'uint', 'uintptr', 'float', 'complex', 'pointer', 'unsafePointer', 'string']);

/** Whether setVariable supports values of this type. */
export function isSettable(t: GoType): boolean {
  return SETTABLE.has(underlying(t).kind);
}

/** Writes `bytes` (already encoded for target's type) into the target's location. */
export function writeValue(w: ValueWriter, target: Value, bytes: Uint8Array): void {
  if (target.error !== undefined) throw new ValueError(`cannot set: ${target.error}`);
  if (bytes.length !== target.type.size) throw new ValueError(`internal: ${bytes.length} bytes for a ${target.type.size}-byte value`);
  if (target.regs) {
    const { pieces, offset, tid } = target.regs;
    const regs = w.registers(tid).clone();
    const lo = offset;
    const hi = offset + bytes.length;
    let covered = 0;
    for (const p of pieces) {
      const a = Math.max(lo, p.offset);
      const b = Math.min(hi, p.offset + p.size);
      if (a >= b) continue;
      patchRegister(regs, p.reg, a - p.offset, bytes.subarray(a - lo, b - lo));
      covered += b - a;
    }
    if (covered !== bytes.length) throw new ValueError('cannot set: the value is only partly in registers');
    w.setRegisters(tid, regs);
  } else if (target.addr !== undefined && !target.computed) {
    w.write(target.addr, bytes);
  } else {
    throw new ValueError('cannot set: the value is not in memory or a register (a computed value)');
  }
  if (target.bytes) target.bytes.set(bytes);
}

/** Replaces bytes [off, off+data.length) of DWARF register `reg` in `regs`. */
export function patchRegister(regs: Registers, reg: number, off: number, data: Uint8Array): void {
  if (reg >= 17 && reg <= 32) {
    if (!regs.fp) throw new ValueError('cannot set: floating-point registers unavailable');
    regs.fp.set(data, 160 + (reg - 17) * 16 + off);
    return;
  }
  const idx = DWARF_TO_USER_REGS[reg];
  if (idx === undefined || idx < 0) throw new ValueError(`cannot set register ${reg}`);
  const cur = encodeInt(regs.raw[idx]!, 8);
  cur.set(data, off);
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(cur[i]!);
  regs.raw[idx] = v;
}
