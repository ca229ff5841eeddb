/**
 * FrameInfo for a stopped thread's frames: from the unwound stack for the
 * Variables view, or straight from the registers for frame 0 on the
 * breakpoint-hit path (no unwinding: CFA = SP + the pclntab SP delta + 8).
 */
import type { Program } from '../program.js';
import type { Registers } from '../../process/registers.js';
import type { FrameInfo } from '../../values/locations.js';

export interface NamedFrameInfo extends FrameInfo {
  funcName: string;
}

/** The logical frame `index` of thread `tid` (inlined calls count as frames). */
export function frameInfo(p: Program, tid: number, index: number): NamedFrameInfo | undefined {
  const frames = p.stackTrace(tid);
  const f = frames[index];
  if (!f) return undefined;
  let inlineIndex = 0;
  for (let k = index - 1; k >= 0 && frames[k]!.physical === f.physical; k--) inlineIndex++;
  let regs: Registers | undefined;
  if (f.physical === 0) {
    try {
      regs = p.registers(tid);
    } catch {
      regs = undefined;
    }
  }
  return { tid, pc: f.physical === 0 ? f.pc : f.pc - 1, cfa: f.cfa, regs, inlineIndex, funcName: f.funcName };
}

/** Frame 0 of `tid` without unwinding the stack; undefined outside Go code. */
export function topFrameInfo(p: Program, tid: number): NamedFrameInfo | undefined {
  const regs = p.registers(tid);
  const pc = regs.pc;
  const fn = p.symbols.funcForPC(pc);
  const delta = fn ? p.symbols.spDelta(pc) : undefined;
  if (!fn || delta === undefined) return undefined;
  return { tid, pc, cfa: regs.sp + delta + 8, regs, inlineIndex: 0, funcName: fn.name };
}
