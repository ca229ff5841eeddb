/**
 * What a line step starts from: the goroutine's frames and g, and the frame
 * being stepped. That frame is the goroutine's topmost user frame: frame 0 when
 * it stopped in user code, else the first user frame below runtime frames (a
 * goroutine paused inside the runtime, or parked on a channel).
 *
 * Just My Code (on by default) changes where a step may end when the stepped
 * frame returns: into the next frame of the user's code (userCode.ts), past
 * library and runtime frames, or into a user function the library calls
 * first; a return that ends the goroutine (into runtime.goexit) or the
 * program (main.main into runtime.main) ends the step there, with a note.
 */
import type { DebuggeeProcess } from '../../process/process.js';
import { readWord } from '../../process/memory.js';
import type { RuntimeLayout } from '../runtimeLayout.js';
import type { SourceFrame } from '../stack/stack.js';
import type { GoFunc, SymbolTable } from '../symbolTable.js';
import { isUserCode, userFunctionStarts } from '../userCode.js';
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
  /** Steps end only in the user's code (see above); off unless set. */
  justMyCode?: boolean;
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

export function isUserFrame(ctx: StepContext, f: SourceFrame): boolean {
  return f.line !== undefined && isUserCode(ctx.symbols, f.funcName, f.file);
}

/**
 * Adds the ways out of frame k: its return address; with Just My Code, the
 * return into the first user frame below it when its caller is not the
 * user's code. Without Just My Code a return that ends the goroutine adds
 * nothing (the program goes on).
 */
export function addExits(ctx: StepContext, t: StepTarget, k: number): void {
  const caller = callerOf(ctx.frames, k);
  if (!caller) return;
  const callerFn = ctx.symbols.funcForPC(caller.pc - 1);
  const name = ctx.frames[k]!.funcName;
  if (callerFn?.name === 'runtime.goexit') {
    if (!ctx.justMyCode) return;
    // The goroutine's function returns to goexit: the step ends there, before the goroutine is gone.
    t.returnAddr = caller.pc;
    t.endNote = `${name} returned: this goroutine has finished its work and ends when the program continues.\n`;
    return;
  }
  if (!ctx.justMyCode || isUserFrame(ctx, caller)) {
    t.returnAddr = caller.pc;
    return;
  }
  if (addReturnToUser(ctx, t, caller.physical)) return;
  t.returnAddr = caller.pc;
  const last = ctx.frames[ctx.frames.length - 1]!.funcName;
  t.endNote =
    last === 'runtime.goexit'
      ? `${name} returned: this goroutine has finished its work and ends when the program continues.\n`
      : `${name} returned to ${callerFn?.name ?? caller.funcName}, and no code of yours is left on this goroutine${
          callerFn?.name === 'runtime.main' ? ': the program exits when it continues' : ''
        }.\n`;
}

/**
 * Just My Code: the step also ends where control comes back to the first user
 * frame at or below physical frame `from` (the return into it), or enters a
 * user function first (library code calling back). False when no user frame
 * is left on the stack.
 */
export function addReturnToUser(ctx: StepContext, t: StepTarget, from: number): boolean {
  const j = ctx.frames.findIndex((f) => f.physical >= from && f.physical > 0 && isUserFrame(ctx, f));
  if (j < 0) return false;
  const into = ctx.frames[j]!;
  const callee = ctx.frames.find((f) => f.physical === into.physical - 1)!;
  t.returnAddr = into.pc;
  const hi = t.g !== undefined ? ctx.stackHi(t.g) : undefined;
  if (hi !== undefined) {
    t.returnCfaOff = hi - callee.cfa;
    for (const pc of userFunctionStarts(ctx.symbols)) t.exact.add(pc);
  }
  return true;
}

/**
 * Just My Code: a deferred library function (`defer mu.Unlock()` compiled as a
 * direct call) is no place to stop. The compiler's `deferwrapN` wrappers are
 * kept: the call they wrap may be the user's, and stopping in the wrapper is
 * the only sign of it.
 */
function skipDeferred(ctx: StepContext, fn: GoFunc): boolean {
  if (/\.deferwrap\d+$/.test(fn.name)) return false;
  return !isUserCode(ctx.symbols, fn.name, ctx.symbols.lineForPC(fn.entry)?.file);
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
    if (fn && sp === frameSP && !(ctx.justMyCode && skipDeferred(ctx, fn))) t.exact.add(ctx.symbols.prologueEnd(fn));
    d = word(d + L.link);
  }
}
