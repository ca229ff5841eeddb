/**
 * Whether the statement frame 0 is stopped in has already read bytes that
 * are about to be written (see src/arch/x86/inFlightCopies.ts). At a
 * statement's first instruction, where line breakpoints and steps stop,
 * nothing has been read yet; after an instruction breakpoint or an
 * instruction step, the code may hold the old value in a register.
 */
import { type InFlight, inFlightCopies } from '../../arch/x86/inFlightCopies.js';
import type { Program } from '../program.js';
import { frameInfo } from '../stack/frames.js';

/** What the current statement of thread id `tid`'s frame 0 has done with bytes [lo, hi) so far. */
export function statementCopies(p: Program, tid: number, lo: number, hi: number): InFlight | undefined {
  const f = frameInfo(p, tid, 0);
  const fn = f?.regs ? p.symbols.funcForPC(f.pc) : undefined;
  if (!f || !fn) return undefined;
  let from: number | undefined;
  for (const s of p.symbols.lineStarts(fn)) if (s.pc <= f.pc && (from === undefined || s.pc > from)) from = s.pc;
  if (from === undefined || from === f.pc) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = p.read(fn.entry, fn.end - fn.entry);
  } catch {
    return undefined;
  }
  // RSP at an instruction: CFA = RSP + the pclntab SP delta there + 8.
  const spAt = (pc: number): number | undefined => {
    const d = p.symbols.spDelta(pc);
    return d === undefined ? undefined : f.cfa - d - 8;
  };
  return inFlightCopies({ start: fn.entry, bytes }, from, f.pc, lo, hi, spAt);
}
