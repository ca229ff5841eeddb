/**
 * Stack frames of a stopped thread: raw frames from the unwinder, each made
 * into source frames (an inlined call expands into several logical frames).
 */
import { unwindStack, type RawFrame } from '../../unwind/unwinder.js';
import type { SymbolTable } from '../symbolTable.js';
import type { StackMemory } from './stackMemory.js';

export interface SourceFrame {
  /** Index of the physical frame this logical frame belongs to. */
  physical: number;
  pc: number;
  sp: number;
  cfa: number;
  funcName: string;
  /** Path recorded in the binary. */
  file?: string;
  line?: number;
  /** Present only for the innermost logical frame of an inlined chain. */
  inlined: boolean;
  isRuntime: boolean;
  entry?: number;
  /** pc is the instruction being executed, not a return address (see RawFrame.exact). */
  exact: boolean;
}

export function unwindThread(regs: { pc: number; sp: number; bp: number }, symbols: SymbolTable, mem: StackMemory, maxFrames = 10_000): RawFrame[] {
  return unwindStack(regs, symbols, { mem, maxFrames });
}

export function symbolize(raw: RawFrame[], symbols: SymbolTable): SourceFrame[] {
  const out: SourceFrame[] = [];
  raw.forEach((f, i) => {
    const lookup = f.exact ? f.pc : f.pc - 1;
    const inl = symbols.inlinedFramesAt(lookup);
    const loc = symbols.lineForPC(lookup);
    const native = f.fn ? undefined : symbols.nativeSymbolAt?.(lookup);
    const cLine = f.fn ? undefined : nativeLine(symbols, lookup);
    const outerName = f.fn?.name ?? native?.name ?? `0x${f.pc.toString(16)}`;
    if (inl.length > 0) {
      // Innermost first; the last logical frame is the physical function itself.
      inl.forEach((l, k) => {
        out.push({
          physical: i,
          pc: f.pc,
          sp: f.sp,
          cfa: f.cfa,
          funcName: l.funcName,
          file: l.file,
          line: l.line,
          inlined: k < inl.length - 1,
          isRuntime: symbols.isRuntimeFunc(l.funcName),
          entry: f.fn?.entry,
          exact: f.exact,
        });
      });
      return;
    }
    out.push({
      physical: i,
      pc: f.pc,
      sp: f.sp,
      cfa: f.cfa,
      funcName: outerName,
      file: loc?.file ?? cLine?.file,
      line: loc?.line ?? cLine?.line,
      inlined: false,
      isRuntime: symbols.isRuntimeFunc(outerName),
      entry: f.fn?.entry ?? native?.entry,
      exact: f.exact,
    });
  });
  return out;
}

/**
 * The source line of code without Go tables from its own DWARF line table
 * (gcc's, for the C functions of an externally linked cgo program; cgo's
 * #line directives point them at the Go file's preamble).
 */
function nativeLine(symbols: SymbolTable, pc: number): { file: string; line: number } | undefined {
  const dw = symbols.dwarf;
  if (!dw) return undefined;
  try {
    const cu = dw.cuForPC(pc);
    const row = cu && dw.lineTable(cu).rowAt(pc);
    return row && row.line > 0 && row.file && row.file !== '?' ? { file: row.file, line: row.line } : undefined;
  } catch {
    // C DWARF we cannot read: the frame keeps its name, without a source.
    return undefined;
  }
}
