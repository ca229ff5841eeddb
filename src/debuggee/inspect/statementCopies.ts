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

/**
 * What the current statement of frame `index` of thread id `tid` has done
 * with bytes [lo, hi) so far. In a caller frame the statement is stopped at
 * its call's return address, so only stored copies count: registers do not
 * survive the call. `holders`: frame 0's registers that hold the bytes too
 * (argRegisters.ts); what the statement computed from them counts as a copy.
 */
export function statementCopies(p: Program, tid: number, index: number, lo: number, hi: number, holders: string[] = []): InFlight | undefined {
  const f = frameInfo(p, tid, index);
  if (!f) return undefined;
  // frameInfo gives a caller's return address − 1 (for lookups); the code runs up to the return address.
  const pc = f.regs ? f.pc : f.pc + 1;
  const fn = p.symbols.funcForPC(f.pc);
  if (!fn) return undefined;
  // Where a line breakpoint or a step stops, the statement has not begun.
  const loc = p.symbols.lineForPC(pc);
  if (loc && p.symbols.sitesForLine(loc.file, loc.line).some((s) => s.pc === pc)) return undefined;
  let from: number | undefined;
  for (const s of p.symbols.lineStarts(fn)) if (s.pc <= f.pc && (from === undefined || s.pc > from)) from = s.pc;
  if (from === undefined || from === pc) return undefined;
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
  const found = inFlightCopies({ start: fn.entry, bytes }, from, pc, lo, hi, spAt, f.regs ? holders : []);
  return f.regs || found?.copied ? found : undefined;
}
