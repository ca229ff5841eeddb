/**
 * The breakpoint-hit path: what one int3 hit means, decided synchronously on
 * the hitting thread while the other threads run. A hit may complete the step
 * in flight (its goroutine, its activation: see stepping/stepTarget.ts), be an
 * exception stop, or stop for user breakpoints (breakpoints/hitEvaluation.ts);
 * anything else is stepped over and the program goes on. The program's own int3
 * (runtime.Breakpoint) always stops: see hardcodedHit.
 */
import type { DebuggeeProcess } from '../process/process.js';
import type { Registers } from '../process/registers.js';
import { stoppingBreakpoints, type HitHooks } from './breakpoints/hitEvaluation.js';
import type { SiteTable } from './breakpoints/siteTable.js';
import type { BreakpointManager, UserBreakpoint } from './breakpoints/userBreakpoints.js';
import type { ExceptionStops } from './exceptionStops.js';
import type { Hit } from './outcome.js';
import { stepTargetReached, type StackHi, type StepTarget } from './stepping/stepTarget.js';
import type { SymbolTable } from './symbolTable.js';

export interface HitPath {
  readonly symbols: SymbolTable;
  readonly stackHi: StackHi;
  readonly sites: SiteTable;
  readonly breakpoints: BreakpointManager;
  readonly exceptions: ExceptionStops;
  readonly hooks: HitHooks;
  /** The step in flight, if any. */
  step(): StepTarget | undefined;
  regs(tid: number): Registers;
  /** The id the user sees for an OS thread (its goroutine). */
  idOfThread(tid: number): number;
  /** Runs `fn` with thread `tid` open to inspection while the others run; what was read is dropped after. */
  examining<T>(tid: number, fn: () => T): T;
  /** An int3 of a watched stack variable (breakpoints/stackWatches.ts) was hit: it never stops by itself. */
  watchSite?(addr: number, regs: Registers): void;
}

/** The hit at `addr` by thread `tid` as a stop, or undefined when the program should go on. */
export function examineHit(h: HitPath, tid: number, addr: number): Hit | undefined {
  const owners = h.sites.ownersAt(addr);
  if (!owners) return undefined;
  const regs = h.regs(tid);
  if (owners.has('watch')) h.watchSite?.(addr, regs);
  const step = h.step();
  const stepHit = !!step && owners.has('step') && stepTargetReached(step, addr, regs, h.symbols, h.stackHi);
  const sameGoroutine = !step || step.g === undefined || step.g === regs.r14;
  const exception = h.exceptions.atHit(addr, owners, regs);
  let stopping: UserBreakpoint[] = [];
  const userBps = h.breakpoints.at(addr);
  if (userBps.length) {
    // The thread id as the user sees it (its goroutine), looked up once per hit.
    let id: number | undefined;
    const idOf = () => (id ??= h.idOfThread(tid));
    // While a step runs, other goroutines' hits in the function being stepped are stepped over
    // silently (goroutines running the same code would interrupt every step); a breakpoint elsewhere
    // stops the program there and ends the step, as a user who set it expects (Delve stops there too).
    const mayStop = sameGoroutine || !inSteppedFunction(h.symbols, step!, addr);
    stopping = h.examining(tid, () => stoppingBreakpoints(userBps, idOf, h.hooks, mayStop));
    if (!sameGoroutine && stopping.length) h.hooks.console(`Goroutine ${idOf()} hit a breakpoint: the step in progress on another goroutine ended there.\n`);
  }
  if (!stepHit && !exception && stopping.length === 0) return undefined;
  return { tid, addr, stepHit, bps: stopping, exception };
}

/** `addr` is in the function the step is stepping (where the step's own line starts are). */
function inSteppedFunction(symbols: SymbolTable, step: StepTarget, addr: number): boolean {
  const f = symbols.funcForPC(addr);
  if (!f) return false;
  for (const a of step.inFunction) return symbols.funcForPC(a)?.entry === f.entry;
  // No line of its own (a step out): every hit of another goroutine is stepped over, as before.
  return true;
}

/** The functions runtime.Breakpoint() runs through: its int3 is in the assembly one (ABI0). */
const BREAKPOINT_FUNCS = new Set(['runtime.breakpoint', 'runtime.breakpoint.abi0', 'runtime.Breakpoint']);
/**
 * runtime.breakpoint is INT3; RET. Then runtime.Breakpoint: 4 more instructions
 * when built with -N -l; inlined into its caller otherwise, where its last 2
 * (X15 and R14 restored after the ABI0 call) still belong to it.
 */
const MAX_STEP_OUT = 16;

/** The PC is in one of the functions runtime.Breakpoint() runs through, inlined ones too. */
function inBreakpointFuncs(symbols: SymbolTable, pc: number): boolean {
  const f = symbols.funcForPC(pc);
  if (!f) return false;
  if (BREAKPOINT_FUNCS.has(f.name)) return true;
  const inl = symbols.inlinedFramesAt(pc);
  return inl.length > 0 && BREAKPOINT_FUNCS.has(inl[0]!.funcName);
}

/**
 * The stop at the program's own int3 at `addr`, every thread stopped and `tid`
 * just past the int3. Inside runtime.breakpoint the thread is stepped out to
 * its caller, as Delve does, so frame 0 is the function that called
 * runtime.Breakpoint(), at the return address (or, where runtime.Breakpoint
 * is inlined, after the instructions of it that follow the call); elsewhere (an int3 in
 * hand-written assembly) it stays on the instruction after the int3.
 */
export function hardcodedHit(inf: DebuggeeProcess, symbols: SymbolTable, tid: number, addr: number): Hit {
  const fn = symbols.funcForPC(addr);
  const inRuntime = !!fn && BREAKPOINT_FUNCS.has(fn.name);
  const hit: Hit = { tid, addr, stepHit: false, bps: [], hardcoded: inRuntime ? 'runtime.Breakpoint' : `hard-coded breakpoint${fn ? ` in ${fn.name}` : ''}` };
  if (!inRuntime) return hit;
  for (let n = 0; n < MAX_STEP_OUT && inBreakpointFuncs(symbols, inf.getRegs(tid).pc); n++) {
    if (inf.stepInstruction(tid) !== 'ok') break;
  }
  // Landing on one of our int3s is not a hit of it: the next resume steps over it.
  if (inf.state === 'stopped' && inf.hasThread(tid)) inf.consumeHit(tid);
  return hit;
}
