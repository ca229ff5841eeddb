/**
 * How stops are reported: an outcome of a command or a stop of the process
 * becomes one `stopped` event, with the kind the editor shows (breakpoint,
 * step, exception, …), the thread id the user sees, and, at an exception, the
 * details the exceptionInfo request returns.
 */
import type { DebuggeeProcess } from '../process/process.js';
import { signalName } from '../process/signals.js';
import { stopNotes } from './breakpoints/hitEvaluation.js';
import type { ExceptionStops } from './exceptionStops.js';
import type { ExceptionDetails, ExceptionSite } from './exceptions.js';
import { BARE_THREAD_BASE, type GoroutineView } from './goroutines/goroutineView.js';
import type { Outcome } from './outcome.js';
import type { SymbolTable } from './symbolTable.js';

export type StopKind = 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'step' | 'pause' | 'entry' | 'exception' | 'goto' | 'data breakpoint';

export interface StopInfo {
  kind: StopKind;
  threadId: number;
  breakpointIds: number[];
  description?: string;
  text?: string;
}

export class StopReporter {
  /** Details of the exception the program is stopped at. */
  exception?: ExceptionDetails & { threadId: number };
  /** Thread id reported in the last stop. */
  currentThread = 0;

  constructor(
    private readonly symbols: SymbolTable,
    private readonly view: GoroutineView,
    private readonly exceptions: ExceptionStops,
    private readonly process: () => DebuggeeProcess,
    private readonly emit: (stop: StopInfo) => void,
  ) {}

  /** Emits the stop an outcome is (nothing for the exit). */
  report(o: Outcome): void {
    if (o.kind === 'exited') return;
    const { stop, hit } = o;
    switch (stop.kind) {
      case 'breakpoint': {
        if (hit?.exception) return this.reportException(stop.tid, hit.exception);
        // A step that completes on a line with a breakpoint is reported as the step it is.
        if (hit?.bps.length && !hit.stepHit) {
          const kind = hit.bps.every((b) => b.kind === 'function')
            ? 'function breakpoint'
            : hit.bps.every((b) => b.kind === 'instruction')
              ? 'instruction breakpoint'
              : 'breakpoint';
          this.emitStop(
            kind,
            stop.tid,
            hit.bps.map((b) => b.id),
            stopNotes(hit.bps),
          );
        } else this.emitStop('step', stop.tid);
        return;
      }
      case 'hardcoded':
        // The program's own int3: a breakpoint, none of the user's.
        this.emitStop('breakpoint', stop.tid, [], hit?.hardcoded ?? 'hard-coded breakpoint');
        return;
      case 'exception': {
        const name = signalName(stop.signal);
        const where = stop.faultAddr !== undefined && stop.faultAddr !== 0 ? ` at address 0x${stop.faultAddr.toString(16)}` : '';
        this.exception = { id: name, description: `${name}${where}`, threadId: 0 };
        this.emitStop('exception', stop.tid, [], `${name}${where}`);
        return;
      }
      case 'pause':
        this.emitStop('pause', this.pickPauseThread());
        return;
      case 'watchpoint':
        // A hardware watchpoint: the thread is just past the instruction that accessed the value.
        this.emitStop('data breakpoint', stop.tid, hit?.data?.ids ?? [], hit?.data?.description ?? 'data breakpoint');
        return;
      case 'entry':
        this.emitStop('entry', stop.tid);
        return;
    }
  }

  private reportException(tid: number, site: ExceptionSite): void {
    const inf = this.process();
    const details = this.exceptions.describe(site, () => inf.getRegs(tid), {
      symbols: this.symbols,
      dwarf: this.symbols.dwarf,
      layout: this.view.layout(),
      mem: inf,
    });
    const prefix = details.id === 'fatal error' ? 'fatal error' : 'panic';
    // A fatal error raised on the system stack (a deadlock found by the scheduler) has no
    // goroutine: show it on the main goroutine, whose stack says where the program is stuck.
    let id: number | undefined;
    if (this.view.layout() && this.view.idOfThread(tid) >= BARE_THREAD_BASE) id = this.view.mainGoroutineId();
    this.emitStop('exception', tid, [], `${prefix}: ${details.description}`, details, id);
  }

  /** Emits a stop of OS thread `tid`, reported as thread id `as` (default: the id the user sees for `tid`). */
  emitStop(kind: StopKind, tid: number, breakpointIds: number[] = [], text?: string, details?: ExceptionDetails, as?: number): void {
    let id = tid;
    try {
      id = as ?? this.view.idOfThread(tid);
    } catch {
      /* thread gone: report the OS thread */
    }
    this.currentThread = id;
    if (kind === 'exception') this.exception = { ...(details ?? this.exception ?? { id: 'exception', description: text ?? '' }), threadId: id };
    this.emit({ kind, threadId: id, breakpointIds, description: text, text });
  }

  /** Prefers a thread that was running user code when paused. */
  pickPauseThread(): number {
    const inf = this.process();
    for (const tid of inf.threadIds()) {
      try {
        const fn = this.symbols.funcForPC(inf.getRegs(tid).pc);
        if (fn && !this.symbols.isRuntimeFunc(fn.name)) return tid;
      } catch {
        /* thread gone */
      }
    }
    return inf.pid;
  }
}
