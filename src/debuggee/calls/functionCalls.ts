/**
 * Function calls of a Program: the FunctionCaller the evaluator gets for an
 * evaluate request (not for hovers, breakpoint conditions, logpoints or the
 * panic condition: those must never run code, or run while other threads
 * run), and the calls abandoned on a timeout.
 *
 * An abandoned call: its thread was interrupted wherever it was (the called
 * function still running on the new goroutine debugCallWrap started; the
 * stopped goroutine parked in debugCallWrap). It is remembered per thread;
 * when the program next runs, the call goes on with the rest of the program
 * and its remaining protocol traps on that thread (R12 = 0, 1, 2, 8: go on;
 * 16: the saved registers back, stepped out of debugCallV2) are answered by
 * the engine's filter of the program's own int3s, silently: its result is lost.
 */
import type { CallRequest, FunctionCaller } from '../../eval/callContract.js';
import { EvalError } from '../../eval/errors.js';
import type { DebuggeeProcess, TrapDecision } from '../../process/process.js';
import type { GoroutineView } from '../goroutines/goroutineView.js';
import type { SymbolTable } from '../symbolTable.js';
import { callThread } from './callable.js';
import { CallTimeout, injectCall, isProtocolTrap, restoreThread, type SavedThread } from './injection.js';

/** The state of a process, read anew (TypeScript narrows `inf.state` across calls that change it). */
const running = (inf: DebuggeeProcess): boolean => inf.state === 'running';

/** How long a detach lets the program run for its abandoned calls to finish. */
const DETACH_WAIT_MS = 2000;

const napCell = new Int32Array(new SharedArrayBuffer(4));

export interface CallHost {
  process(): DebuggeeProcess | undefined;
  readonly symbols: SymbolTable;
  readonly view: GoroutineView;
  /** Drops every cache of the stop that the call may have made stale (memory, goroutines, stacks). */
  invalidate(): void;
  /** A note for the debug console. */
  note(text: string): void;
}

export class FunctionCalls {
  /** Calls abandoned on a timeout, by OS thread, until their last protocol trap. */
  private readonly abandoned = new Map<number, SavedThread>();
  /** Milliseconds the last call took, from the protocol's start to the thread put back (for measurements). */
  lastCallMs?: number;

  constructor(private readonly host: CallHost) {}

  /** Answers the protocol traps of abandoned calls (once per process). */
  bind(inf: DebuggeeProcess): void {
    this.abandoned.clear();
    if (inf.threadRun) inf.threadRun.ownTrapFilter = (tid, addr) => this.onOwnTrap(inf, tid, addr);
  }

  /**
   * The caller for thread id `id` of this stop; `timeoutMs` replaces the
   * request's own limit (the evaluator asks 5000 ms; a String() shown in the
   * Variables view should ask far less).
   */
  caller(id: number, opts: { timeoutMs?: number } = {}): FunctionCaller {
    return (req) => this.call(id, opts.timeoutMs === undefined ? req : { ...req, timeoutMs: opts.timeoutMs });
  }

  private call(id: number, req: CallRequest): ReturnType<FunctionCaller> {
    const inf = this.host.process();
    if (!inf || inf.state === 'exited') throw new EvalError(`cannot call ${req.name}: the program has exited`);
    if (inf.cannotRun) throw new EvalError(`cannot call ${req.name}: ${inf.cannotRun}`);
    if (inf.state !== 'stopped') throw new EvalError(`cannot call ${req.name}: the program is running`);
    const run = inf.threadRun;
    if (!run) throw new EvalError(`cannot call ${req.name}: this process cannot run one thread alone`);
    const tid = callThread(inf, this.host.view, id, req.name);
    const pending = this.abandoned.get(tid);
    if (pending)
      throw new EvalError(`cannot call ${req.name}: the call of ${pending.name} on this thread was abandoned and finishes only when the program resumes`);
    const t0 = performance.now();
    try {
      return injectCall(inf, run, this.host.symbols, tid, req);
    } catch (e) {
      if (!(e instanceof CallTimeout)) throw e;
      this.abandoned.set(tid, e.saved);
      throw new EvalError(
        `the call of ${req.name} did not return within ${req.timeoutMs} ms and was abandoned: it will finish when the program resumes, and its result will be lost`,
      );
    } finally {
      this.lastCallMs = performance.now() - t0;
      // The call may have written anywhere in the heap, created goroutines, grown stacks: all read again,
      // but which goroutine R14 shows on which thread, and the stop's stack ranges (GoroutineView.keepAcrossCall).
      const kept = this.host.view.beforeCall();
      this.host.invalidate();
      this.host.view.keepAcrossCall(kept);
    }
  }

  /**
   * Before a detach: an abandoned call's remaining traps are the runtime's
   * int3s, of which an untraced Go program dies (SIGTRAP: trace trap). So the
   * program runs, every breakpoint and watchpoint going on without a stop,
   * until each abandoned call is over (at most DETACH_WAIT_MS); one that is
   * not is said on the console.
   */
  beforeDetach(inf: DebuggeeProcess): void {
    const pump = inf.threadRun?.pump;
    if (this.abandoned.size === 0 || inf.state !== 'stopped' || !pump) return;
    inf.trapFilter = () => 'continue';
    inf.watchFilter = () => 'continue';
    try {
      inf.resume();
    } catch {
      return;
    }
    const deadline = performance.now() + DETACH_WAIT_MS;
    while (this.abandoned.size > 0 && running(inf) && performance.now() < deadline) {
      pump();
      Atomics.wait(napCell, 0, 0, 1);
    }
    for (const saved of this.abandoned.values())
      this.host.note(
        `The abandoned call of ${saved.name} had not finished when the debugger detached: when it returns, the runtime's trap for debuggers will end the program (SIGTRAP).\n`,
      );
  }

  /** An int3 of the program's own hit by `tid` while the program runs: a trap of an abandoned call is answered. */
  private onOwnTrap(inf: DebuggeeProcess, tid: number, addr: number): TrapDecision {
    const saved = this.abandoned.get(tid);
    if (!saved || !isProtocolTrap(this.host.symbols, addr + 1)) return 'stop';
    if (inf.getRegs(tid).get('r12') !== 16n) return 'continue';
    this.abandoned.delete(tid);
    try {
      restoreThread(inf, inf.threadRun!, saved, 'step');
    } catch (e) {
      this.host.note(`The abandoned call of ${saved.name} could not be undone: ${(e as Error).message}\n`);
      return 'stop';
    }
    return 'continue';
  }
}
