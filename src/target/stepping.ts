/**
 * Goroutine-aware stepping with temporary breakpoints.
 *
 * A step remembers the goroutine it started on (R14 holds `g` in Go code on
 * amd64) and the canonical frame address (CFA) of the frame being stepped.
 * A temporary breakpoint only counts when the same goroutine reaches it in the
 * same activation: inside the function, its CFA must equal the step's CFA
 * (a deeper recursive call has a smaller one); at the return address, SP must
 * equal the step's CFA (the frame has been popped).
 */
import type { Registers } from '../engine/registers.js';
import type { Symbols, GoFunc } from './symbols.js';

export interface StepTarget {
  /** Goroutine pointer (R14) the step belongs to; undefined = any goroutine. */
  g?: number;
  /** Addresses inside the stepped function: stop when the CFA there equals `cfa`. */
  inFunction: Set<number>;
  cfa: number;
  /** Return address: stop when SP == `cfa` there. */
  returnAddr?: number;
  /** Exact (address → expected SP) targets, e.g. a callee's prologue end. */
  exact: Map<number, number>;
}

export function newTarget(g: number | undefined, cfa: number): StepTarget {
  return { g, inFunction: new Set(), cfa, exact: new Map() };
}

export function targetAddrs(t: StepTarget): number[] {
  const s = new Set<number>(t.inFunction);
  if (t.returnAddr !== undefined) s.add(t.returnAddr);
  for (const a of t.exact.keys()) s.add(a);
  return [...s];
}

/** Whether a hit of a temporary breakpoint at `addr` completes the step. */
export function stepTargetReached(t: StepTarget, addr: number, regs: Registers, symbols: Symbols): boolean {
  if (t.g !== undefined && regs.r14 !== t.g) return false;
  const sp = regs.sp;
  const exp = t.exact.get(addr);
  if (exp !== undefined && (exp < 0 || exp === sp)) return true;
  if (t.returnAddr === addr && sp === t.cfa) return true;
  if (t.inFunction.has(addr)) {
    const d = symbols.spDelta(addr);
    if (d !== undefined && sp + d + 8 === t.cfa) return true;
  }
  return false;
}

/** The line starts of `fn` a `next` may stop at (all of them: loops come back to earlier lines). */
export function nextStops(fn: GoFunc, symbols: Symbols): number[] {
  return symbols.lineStarts(fn).map((l) => l.pc);
}
