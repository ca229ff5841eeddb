/**
 * One thread run alone while every other thread stays stopped: what a
 * function call by the runtime's debugCallV2 protocol needs (the call runs on
 * the stopped goroutine's thread, the rest of the program must not move).
 * Synchronous, like the evaluator that asks for it: the thread is resumed and
 * its wait statuses are collected here with non-blocking waitpid on that
 * thread alone, until it traps on an int3 that is not one of our sites (the
 * runtime's `BYTE $0xcc` in debugCallV2: PC just past it), the time limit
 * passes (then PTRACE_INTERRUPT, and the thread stays where it stopped), or it
 * exits.
 *
 * On the way: an int3 of ours is stepped over on this thread (the original
 * instruction run by lift, single step, rearm: no other thread runs meanwhile),
 * so breakpoints inside a called function do not stop it and count no hit;
 * signals are delivered to the program as they would be; a thread it clones is
 * traced and left stopped (stopEvents.adoptClone resumes new threads only while
 * the whole program runs), to run at the next resume; a watchpoint hit is
 * dropped (DR6 is cleared when read). Nothing here emits a stop.
 */
import * as C from './libc.js';
import { PtraceError } from './libc.js';
import * as P from './ptrace.js';
import type { InstructionSteps } from './instructionSteps.js';
import type { StopEvents, StopHost } from './stopEvents.js';
import { cachedRegs, continueThread, type Thread, type ThreadTable } from './threadTable.js';
import { parkTrapStops } from './trapParking.js';
import { decodeWaitStatus } from './waitStatus.js';
import type { SoloStop, StepResult, ThreadRun, TrapDecision } from '../process/process.js';

/** How long to poll without sleeping: a protocol trap usually comes within microseconds. */
const SPIN_MS = 2;
/** The sleep between polls after that. */
const NAP_MS = 0.2;

const napCell = new Int32Array(new SharedArrayBuffer(4));

export class ThreadRunner implements ThreadRun {
  ownTrapFilter?: (tid: number, addr: number) => TrapDecision;

  constructor(
    private readonly threads: ThreadTable,
    private readonly stops: StopEvents,
    private readonly steps: InstructionSteps,
    private readonly host: Pick<StopHost, 'state'>,
    /** Launched by us: no need to keep threads out of SIGTRAP stops (trapParking.ts). */
    private readonly launched: boolean,
    /** The process's own handling of pending wait statuses (Inferior.poll). */
    readonly pump: () => void,
  ) {}

  run(tid: number, timeoutMs: number): SoloStop {
    if (this.host.state() !== 'stopped') throw new Error(`cannot run thread ${tid}: the program is ${this.host.state()}`);
    const t = this.threads.require(tid);
    if (t.running) throw new Error(`thread ${tid} is running`);
    const start = performance.now();
    const deadline = start + timeoutMs;
    continueThread(t);
    for (;;) {
      let got: number;
      let status: number;
      try {
        [got, status] = P.waitpid(tid, C.__WALL | C.WNOHANG);
      } catch (e) {
        if (e instanceof PtraceError && e.errno === C.ECHILD) {
          this.threads.delete(tid);
          return { kind: 'exited' };
        }
        throw e;
      }
      if (got === 0) {
        const now = performance.now();
        if (now >= deadline) return this.interrupt(t);
        if (now - start > SPIN_MS) Atomics.wait(napCell, 0, 0, NAP_MS);
        continue;
      }
      const stop = this.stops.record(tid, decodeWaitStatus(status));
      switch (stop.kind) {
        case 'gone':
          return { kind: 'exited' };
        case 'hardcoded':
          return { kind: 'trap', pc: stop.addr + 1 };
        case 'int3': {
          // One of our sites (a user breakpoint in the called function): run the original instruction.
          const regs = cachedRegs(t);
          regs.pc = stop.addr;
          P.setRegs(tid, regs.raw);
          if (stop.armed) {
            const r = this.steps.stepAt(t, stop.addr);
            if (r === 'exited') return { kind: 'exited' };
            if (typeof r === 'object') t.pendingSignal = r.signal; // a fault: delivered as the program would get it
          }
          break;
        }
        case 'signal':
          t.pendingSignal = stop.signal;
          break;
        default:
        // A clone (the new thread stays stopped), a late interrupt, a watchpoint hit,
        // a SIGTRAP sent by kill (Go would die of it: not delivered): go on.
      }
      if (!this.threads.has(tid)) return { kind: 'exited' };
      continueThread(t);
    }
  }

  /** Out of time: the thread is stopped where it is; a trap met meanwhile is rewound (it comes again at the next resume). */
  private interrupt(t: Thread): SoloStop {
    try {
      P.interrupt(t.tid);
      t.interruptInFlight = true;
    } catch (e) {
      if (!(e instanceof PtraceError && e.errno === C.ESRCH)) throw e;
    }
    this.stops.waitUntilStopped(t);
    return this.threads.has(t.tid) ? { kind: 'timeout' } : { kind: 'exited' };
  }

  step(tid: number): StepResult {
    const t = this.threads.require(tid);
    return this.steps.stepAt(t, cachedRegs(t).pc);
  }

  /** The call is over and the program stays stopped: an attached program's threads leave their SIGTRAP stops (trapParking.ts). */
  settle(): void {
    if (!this.launched && this.host.state() === 'stopped') parkTrapStops(this.threads, this.stops);
  }

  hitConsumed(tid: number): boolean {
    return this.threads.get(tid)?.consumedHitAt !== undefined;
  }

  /**
   * The program's own int3 hit by `t` while the program runs: true when the
   * filter answered it (the thread is continued from the registers it left).
   */
  answers(t: Thread, addr: number): boolean {
    if (!this.ownTrapFilter) return false;
    let d: TrapDecision;
    try {
      d = this.ownTrapFilter(t.tid, addr);
    } catch {
      d = 'stop';
    }
    if (d === 'stop' || !this.threads.has(t.tid)) return false;
    continueThread(t);
    return true;
  }
}
