/**
 * The Registers scope of a frame: the whole register file for the innermost
 * physical frame of a thread, and otherwise (a caller, a parked goroutine)
 * only what unwinding recovered: pc, sp and the CFA.
 */
import { DISPLAY_ORDER } from '../../process/registers.js';
import type { Program } from '../program.js';
import type { SourceFrame } from '../stack/stack.js';

export interface RegisterEntry {
  name: string;
  /** Hexadecimal text. */
  value: string;
  type: 'uint64' | 'uint128';
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

export function frameRegisters(p: Program, tid: number, f: SourceFrame, onThread: boolean): RegisterEntry[] {
  if (f.physical > 0 || !onThread) {
    return [
      { name: 'rip', value: hex(f.pc), type: 'uint64' },
      { name: 'rsp', value: hex(f.sp), type: 'uint64' },
      { name: 'cfa', value: hex(f.cfa), type: 'uint64' },
    ];
  }
  const regs = p.registers(tid);
  const out: RegisterEntry[] = DISPLAY_ORDER.map((name) => ({ name, value: hex(regs.get(name)), type: 'uint64' }));
  for (let i = 0; i < 16; i++) {
    const x = regs.xmm(i);
    if (!x) break;
    out.push({ name: `xmm${i}`, value: `0x${x.hi.toString(16).padStart(16, '0')}${x.lo.toString(16).padStart(16, '0')}`, type: 'uint128' });
  }
  return out;
}
