/**
 * Goroutine-aware stepping with temporary breakpoints.
 *
 * A step remembers the goroutine it started on (R14 holds `g` in Go code on
 * amd64) and the canonical frame address (CFA) of the frame being stepped.
 * A temporary breakpoint only counts when the same goroutine reaches it in the
 * same activation: inside the function, its CFA must equal the step's CFA
 * (a deeper recursive call has a smaller one); at the return address, SP must
 * equal the step's CFA (the frame has been popped).
 *
 * Goroutine stacks move when they grow (runtime.copystack keeps every frame's
 * distance from the top of the stack), so positions are compared as offsets
 * from `g.stack.hi`, read afresh at each hit. `g.stack` is the first field of
 * runtime.g ({lo, hi} at offsets 0 and 8): the compiler's own prologue relies on
 * that layout (`CMPQ SP, 0x10(R14)` reads g.stackguard0 right after it).
 */
import { readWord, type MemoryReader } from '../../process/memory.js';
import type { Registers } from '../../process/registers.js';
import type { RuntimeLayout } from '../runtimeLayout.js';
import type { SymbolTable, GoFunc } from '../symbolTable.js';

export interface StepTarget {
  /** Goroutine pointer (R14) the step belongs to; undefined = any goroutine, no frame checks. */
  g?: number;
  /** Addresses inside the stepped function: stop when the CFA there is the step's. */
  inFunction: Set<number>;
  /** The stepped frame's CFA as an offset below g.stack.hi. */
  cfaOff: number;
  /** Return address: stop when SP there is the step's CFA (the frame was popped). */
  returnAddr?: number;
  /**
   * The SP expected at returnAddr as an offset below g.stack.hi, when it is not
   * cfaOff: Just My Code returns into a user frame further down the stack, past
   * library frames (see addExits in stepContext.ts).
   */
  returnCfaOff?: number;
  /** What the console says when the step ends at returnAddr (a goroutine's or the program's last return). */
  endNote?: string;
  /** Addresses where any hit by the goroutine completes the step. */
  exact: Set<number>;
  /**
   * The function a range-over-func loop body belongs to (`F` of `F-range1`):
   * its line starts, and its frame's CFA as an offset below g.stack.hi. Its
   * code runs again only once the loop is over (see rangeBody.ts).
   */
  outer?: { inFunction: Set<number>; cfaOff: number };
  /** Addresses where a hit by the goroutine completes the step while it panics (deferred calls run by a panic). */
  whenPanicking?: Set<number>;
  /** Whether the goroutine is panicking now (its `g._panic` is set); read at a hit of `whenPanicking`. */
  panicking?: () => boolean;
}

/** Offset of the stack top of goroutine `g`, or undefined. */
export type StackHi = (g: number) => number | undefined;

/** g.stack.hi read directly from memory (the layout's offset, else 8: see above). */
export function stackHiReader(mem: () => MemoryReader | undefined, layout: () => RuntimeLayout | undefined): StackHi {
  return (g) => {
    const m = mem();
    if (!m || g < 0x1000) return undefined;
    const v = readWord(m, g + (layout()?.g.stackHi ?? 8));
    return v !== undefined && v > 0x1000 ? v : undefined;
  };
}

export function newTarget(g: number | undefined, cfa: number, stackHi: StackHi): StepTarget {
  const hi = g !== undefined ? stackHi(g) : undefined;
  return { g: hi !== undefined ? g : undefined, inFunction: new Set(), cfaOff: hi !== undefined ? hi - cfa : 0, exact: new Set() };
}

export function targetAddrs(t: StepTarget): number[] {
  const s = new Set<number>(t.inFunction);
  if (t.returnAddr !== undefined) s.add(t.returnAddr);
  for (const a of t.exact.keys()) s.add(a);
  for (const a of t.whenPanicking ?? []) s.add(a);
  for (const a of t.outer?.inFunction ?? []) s.add(a);
  return [...s];
}

/** Whether a hit of a temporary breakpoint at `addr` completes the step. */
export function stepTargetReached(t: StepTarget, addr: number, regs: Registers, symbols: SymbolTable, stackHi: StackHi): boolean {
  if (t.exact.has(addr) && (t.g === undefined || regs.r14 === t.g)) return true;
  if (t.whenPanicking?.has(addr) && t.g !== undefined && regs.r14 === t.g && t.panicking?.()) return true;
  if (t.g === undefined) return t.returnAddr === addr || t.inFunction.has(addr);
  if (regs.r14 !== t.g) return false;
  const hi = stackHi(t.g);
  if (hi === undefined) return false;
  const cfa = hi - t.cfaOff;
  const sp = regs.sp;
  if (t.returnAddr === addr && sp === hi - (t.returnCfaOff ?? t.cfaOff)) return true;
  if (t.inFunction.has(addr)) {
    const d = symbols.spDelta(addr);
    if (d !== undefined && sp + d + 8 === cfa) return true;
  }
  if (t.outer?.inFunction.has(addr)) {
    const d = symbols.spDelta(addr);
    if (d !== undefined && sp + d + 8 === hi - t.outer.cfaOff) return true;
  }
  return false;
}

/** The line starts of `fn` a `next` may stop at (all of them: loops come back to earlier lines). */
export function nextStops(fn: GoFunc, symbols: SymbolTable): number[] {
  return symbols.lineStarts(fn).map((l) => l.pc);
}

/**
 * Where a function is entered for the user, as Delve enters it: where DWARF
 * marks the prologue's end (the compiler marks the instruction that makes
 * the frame, `SUBQ $n, SP`, still on the `func` line); without that mark,
 * after the prologue; for a function with none (a leaf, whose entry may load
 * a closure's captured variable on the `func` line without being a statement
 * there), its first statement (the first is_stmt row after the entry).
 */
export function entryStop(symbols: SymbolTable, fn: GoFunc): number {
  const marked = symbols.markedPrologueEnd?.(fn);
  if (marked !== undefined) return marked;
  const pe = symbols.prologueEnd(fn);
  if (pe !== fn.entry) return pe;
  const first = symbols.lineStarts(fn).find((l) => (l.inlineDepth ?? 0) === 0);
  return first && first.pc > fn.entry && first.pc < fn.end ? first.pc : pe;
}
