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
import { decode } from '../../arch/x86/decoder.js';
import { flowOf } from '../../arch/x86/flow.js';
import { readBytes, readWord } from '../../process/memory.js';
import type { RuntimeLayout } from '../runtimeLayout.js';
import type { SourceFrame } from '../stack/stack.js';
import type { GoFunc, SymbolTable } from '../symbolTable.js';
import { isUserCode, userFunctionStarts } from '../userCode.js';
import { entryStop, type StackHi, type StepTarget } from './stepTarget.js';

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
    // A frame entered where DWARF marks its prologue's end (entryStop) has its
    // own prologue end still ahead: that is no call back into the user's code.
    const top = ctx.frames[0];
    const topFn = top ? ctx.symbols.funcForPC(top.pc) : undefined;
    const ahead = topFn && top!.pc < ctx.symbols.prologueEnd(topFn) ? ctx.symbols.prologueEnd(topFn) : undefined;
    for (const pc of userFunctionStarts(ctx.symbols)) if (pc !== ahead) t.exact.add(pc);
  }
  return true;
}

/**
 * The function a compiler `deferwrapN` wrapper calls (`defer cleanup(name)`
 * is compiled as a wrapper that calls cleanup with the saved arguments): its
 * first direct call out of the runtime, undefined when there is none.
 */
function wrappedCall(ctx: StepContext, wrapper: GoFunc): GoFunc | undefined {
  const code = readBytes(ctx.inf, wrapper.entry, wrapper.end - wrapper.entry);
  if (!code) return undefined;
  for (let a = wrapper.entry; a < wrapper.end; ) {
    const d = decode(code.subarray(a - wrapper.entry), a);
    if (!d) return undefined;
    a += d.len;
    const arg = d.args[0];
    if (flowOf(d.op) !== 'call' || arg?.kind !== 'rel') continue;
    const fn = ctx.symbols.funcForPC(arg.target);
    if (fn && !ctx.symbols.isRuntimeFunc(fn.name)) return fn;
  }
  return undefined;
}

/**
 * Where a step stops in a deferred call of `fn`, or undefined for none: after
 * the prologue of `fn`; for a `deferwrapN` wrapper, of the function it wraps
 * (Delve shows that one), except where Just My Code leaves that function out
 * (`defer fmt.Println(…)`): then the wrapper, whose line is the user's
 * `defer` statement. With Just My Code a deferred library function compiled as
 * a direct call (`defer mu.Unlock()`) is no place to stop.
 */
function deferredStop(ctx: StepContext, fn: GoFunc): number | undefined {
  const userFn = (f: GoFunc) => isUserCode(ctx.symbols, f.name, ctx.symbols.lineForPC(f.entry)?.file);
  if (/\.deferwrap\d+$/.test(fn.name)) {
    const inner = wrappedCall(ctx, fn);
    if (inner && (!ctx.justMyCode || userFn(inner))) return entryStop(ctx.symbols, inner);
    return entryStop(ctx.symbols, fn);
  }
  if (ctx.justMyCode && !userFn(fn)) return undefined;
  return entryStop(ctx.symbols, fn);
}

/** The deferred calls registered on the goroutine by frame k (`own`) and by the frames below it. */
function deferredCalls(ctx: StepContext, k: number): { fn: GoFunc; own: boolean }[] {
  const L = ctx.layout?.defer;
  const g = ctx.g;
  if (!L || !ctx.layout || g === undefined) return [];
  const frameSP = ctx.frames[k]!.sp;
  const word = (addr: number) => readWord(ctx.inf, addr);
  const out: { fn: GoFunc; own: boolean }[] = [];
  let d = word(g + ctx.layout.g.defer);
  for (let guard = 0; d && guard < 1000; guard++) {
    // _defer.sp is the SP of the function that deferred (its SP after the prologue).
    const sp = word(d + L.sp);
    const fnVal = word(d + L.fn);
    const code = fnVal ? word(fnVal) : undefined;
    const fn = code ? ctx.symbols.funcForPC(code) : undefined;
    if (fn && sp !== undefined && sp >= frameSP) out.push({ fn, own: sp === frameSP });
    d = word(d + L.link);
  }
  return out;
}

/**
 * Deferred calls as places a `next` or step out ends, as Delve has them: a
 * panic runs the deferred calls of frame k and of the frames below it, and the
 * step stops in the first of them that runs while the goroutine panics
 * (`whenPanicking`). At a plain return runtime.deferreturn runs frame k's
 * deferred calls and the step goes over them (dlv dap 1.27 stops in neither a
 * deferred literal nor a deferred call of another function); step in enters
 * them (deferredStops).
 */
export function addDeferred(ctx: StepContext, t: StepTarget, k: number): void {
  const g = ctx.g;
  const off = ctx.layout?.g.panic;
  if (g !== undefined && off !== undefined) t.panicking = () => (readWord(ctx.inf, g + off) ?? 0) !== 0;
  for (const { fn } of deferredCalls(ctx, k)) {
    const pc = deferredStop(ctx, fn);
    if (pc !== undefined) (t.whenPanicking ??= new Set()).add(pc);
  }
}

/**
 * Where a step in stops in deferred calls: frame 0's own (run by runtime.deferreturn at its return),
 * with `panicking` those of every frame (run by runtime.gopanic).
 */
export function deferredStops(ctx: StepContext, panicking: boolean): number[] {
  return deferredCalls(ctx, 0).flatMap(({ fn, own }) => {
    const pc = own || panicking ? deferredStop(ctx, fn) : undefined;
    return pc === undefined ? [] : [pc];
  });
}
