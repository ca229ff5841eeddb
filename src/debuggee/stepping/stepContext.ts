/**
 * What a line step starts from: the goroutine's frames and g, and the frame
 * being stepped. That frame is the goroutine's topmost user frame: frame 0 when
 * it stopped in user code, else the first user frame below runtime frames (a
 * goroutine paused inside the runtime, or parked on a channel).
 */
import type { DebuggeeProcess } from '../../process/process.js';
import { readWord } from '../../process/memory.js';
import type { RuntimeLayout } from '../runtimeLayout.js';
import type { SourceFrame } from '../stack/stack.js';
import type { GoFunc, SymbolTable } from '../symbolTable.js';
import type { StackHi, StepTarget } from './stepTarget.js';

export interface StepContext {
  symbols: SymbolTable;
  inf: DebuggeeProcess;
  layout?: RuntimeLayout;
  stackHi: StackHi;
  /** Frames of the goroutine being stepped. */
  frames: SourceFrame[];
  /** Its g pointer (R14 in Go code), when known. */
  g?: number;
  /** The OS thread running it; undefined for a parked goroutine. */
  tid?: number;
}

/** Index of the frame a line step works on. */
export function steppedFrame(frames: SourceFrame[]): number {
  if (frames.length === 0) return -1;
  if (!frames[0]!.isRuntime && frames[0]!.line) return 0;
  const u = frames.findIndex((f) => !f.isRuntime && f.line !== undefined);
  return Math.max(u, 0);
}

export function funcOfFrame(ctx: StepContext, f: SourceFrame): GoFunc | undefined {
  return ctx.symbols.funcForPC(f.exact ? f.pc : f.pc - 1);
}

function callerOf(frames: SourceFrame[], k: number): SourceFrame | undefined {
  const phys = frames[k]!.physical;
  return frames.find((f) => f.physical === phys + 1);
}

/** Adds the ways out of frame k: its return address, or nothing when returning ends the goroutine. */
export function addExits(ctx: StepContext, t: StepTarget, k: number): void {
  const caller = callerOf(ctx.frames, k);
  if (!caller) return;
  const callerFn = ctx.symbols.funcForPC(caller.pc - 1);
  if (callerFn?.name === 'runtime.goexit') {
    // Returning from the goroutine's function ends the goroutine: stop nowhere (the program goes on).
    return;
  }
  t.returnAddr = caller.pc;
}

/** Deferred calls registered by frame k run when it returns (or panics): a step stops in them. */
export function addDeferred(ctx: StepContext, t: StepTarget, k: number): void {
  const L = ctx.layout?.defer;
  const g = ctx.g;
  if (!L || !ctx.layout || g === undefined) return;
  const frameSP = ctx.frames[k]!.sp;
  const word = (addr: number) => readWord(ctx.inf, addr);
  let d = word(g + ctx.layout.g.defer);
  for (let guard = 0; d && guard < 1000; guard++) {
    // _defer.sp is the SP of the function that deferred (its SP after the prologue).
    const sp = word(d + L.sp);
    const fnVal = word(d + L.fn);
    const code = fnVal ? word(fnVal) : undefined;
    const fn = code ? ctx.symbols.funcForPC(code) : undefined;
    if (fn && sp === frameSP) t.exact.add(ctx.symbols.prologueEnd(fn));
    d = word(d + L.link);
  }
}
