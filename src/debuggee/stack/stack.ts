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

/** The fields of a logical frame that depend on its lookup PC alone (the same for every frame there). */
type FrameParts = Pick<SourceFrame, 'funcName' | 'file' | 'line' | 'inlined' | 'isRuntime' | 'entry'>;

/** What the tables say about one lookup PC, for every frame at it. */
interface PcFacts {
  /** Its logical frames, innermost first (the physical function last); undefined when no function is known there. */
  parts: FrameParts[] | undefined;
  /** Without a function: the native symbol's or C line's file, line and entry (the frame is named by its symbol, else its PC). */
  name: string | undefined;
  file: string | undefined;
  line: number | undefined;
  entry: number | undefined;
}

export function symbolize(raw: RawFrame[], symbols: SymbolTable): SourceFrame[] {
  const out: SourceFrame[] = [];
  // A recursion repeats its PCs: each is looked up once per walk, and a frame at a PC seen
  // before costs a copy of its parts (the first walk of a stop runs in V8's interpreter).
  const seen = new Map<number, PcFacts>();
  const runtime = new Map<string, boolean>();
  const isRuntime = (name: string) => {
    let r = runtime.get(name);
    if (r === undefined) runtime.set(name, (r = symbols.isRuntimeFunc(name)));
    return r;
  };
  let lastLookup = -1;
  let facts: PcFacts | undefined;
  for (let i = 0; i < raw.length; i++) {
    const f = raw[i]!;
    const lookup = f.exact ? f.pc : f.pc - 1;
    // Consecutive frames of a recursion share their PC: the last facts first, then the walk's map.
    if (lookup !== lastLookup || !facts) facts = seen.get(lookup);
    lastLookup = lookup;
    if (!facts) {
      facts = pcFacts(symbols, f, lookup, isRuntime);
      seen.set(lookup, facts);
    }
    const parts = facts.parts;
    if (parts) {
      for (let k = 0; k < parts.length; k++) {
        const l = parts[k]!;
        out.push({
          physical: i,
          pc: f.pc,
          sp: f.sp,
          cfa: f.cfa,
          funcName: l.funcName,
          file: l.file,
          line: l.line,
          inlined: l.inlined,
          isRuntime: l.isRuntime,
          entry: l.entry,
          exact: f.exact,
        });
      }
      continue;
    }
    // No function: named by its native symbol, else by its PC.
    const funcName = facts.name ?? `0x${f.pc.toString(16)}`;
    out.push({
      physical: i,
      pc: f.pc,
      sp: f.sp,
      cfa: f.cfa,
      funcName,
      file: facts.file,
      line: facts.line,
      inlined: false,
      isRuntime: isRuntime(funcName),
      entry: facts.entry,
      exact: f.exact,
    });
  }
  return out;
}

/** The facts of `lookup`, the PC looked up for frame `f` (its function's, or a native symbol's and C line's when it has none). */
function pcFacts(symbols: SymbolTable, f: RawFrame, lookup: number, isRuntime: (name: string) => boolean): PcFacts {
  const inl = symbols.inlinedFramesAt(lookup);
  const entry = f.fn?.entry;
  if (inl.length > 0) {
    const parts = inl.map((l, k) => ({
      funcName: l.funcName,
      file: l.file,
      line: l.line,
      inlined: k < inl.length - 1,
      isRuntime: isRuntime(l.funcName),
      entry,
    }));
    return { parts, name: undefined, file: undefined, line: undefined, entry: undefined };
  }
  const loc = symbols.lineForPC(lookup);
  if (f.fn) {
    const parts = [{ funcName: f.fn.name, file: loc?.file, line: loc?.line, inlined: false, isRuntime: isRuntime(f.fn.name), entry }];
    return { parts, name: undefined, file: undefined, line: undefined, entry: undefined };
  }
  const native = symbols.nativeSymbolAt?.(lookup);
  const cLine = nativeLine(symbols, lookup);
  return { parts: undefined, name: native?.name, file: loc?.file ?? cLine?.file, line: loc?.line ?? cLine?.line, entry: native?.entry };
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
