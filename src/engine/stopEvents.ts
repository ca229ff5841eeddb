/**
 * A thread's stop events: waiting for them (one thread, blocking, or any thread
 * without blocking), classifying and recording each one in `record` (the only
 * place that does), and stopping every thread for an all-stop.
 *
 * What the kernel does that this code relies on (PTRACE_SEIZE, Linux x86-64):
 *  - a PTRACE_INTERRUPT's stop may arrive after another stop of the same thread
 *    (a signal, a breakpoint trap, a clone), even after the thread was resumed:
 *    such a late interrupt is absorbed wherever it turns up;
 *  - a new thread's first stop can arrive before its parent's PTRACE_EVENT_CLONE;
 *    after the clone event that first stop is certain to come;
 *  - the leader's exit status comes after every other thread has exited;
 *  - an int3 trap leaves RIP one byte past the int3, with si_code SI_KERNEL; a
 *    SIGTRAP sent by kill() or tgkill() has si_code SI_USER or SI_TKILL, and RIP
 *    wherever the thread was (the byte before it may be 0xCC by chance).
 */
import * as C from './libc.js';
import { PtraceError } from './libc.js';
import * as P from './ptrace.js';
import type { DebugRegisters } from './debugRegisters.js';
import type { Int3Sites } from './int3Sites.js';
import { cachedRegs, continueThread, holdSignal, type Thread, type ThreadTable } from './threadTable.js';
import { decodeWaitStatus, type WaitEvent } from './waitStatus.js';
import { procState } from './procfs.js';
import { SIG } from '../process/signals.js';
import type { ExitInfo, ProcessState } from '../process/process.js';

/** What one stop of a thread was, once recorded. */
export type StopEvent =
  /** The thread exited or was killed: it is forgotten (and the process finished when it was the leader). */
  | { kind: 'gone' }
  /** PTRACE_EVENT_CLONE: the new thread is traced already, at its first stop (resumed if the program runs). */
  | { kind: 'clone' }
  /** PTRACE_EVENT_STOP: our interrupt, a new thread's first stop, or a group-stop. */
  | { kind: 'interrupt' }
  /** Another ptrace event (PTRACE_EVENT_EXEC). */
  | { kind: 'event'; event: number }
  /** SIGTRAP from one of our int3s at `addr`; `armed` is false when it was removed since the last full stop. */
  | { kind: 'int3'; addr: number; armed: boolean }
  /**
   * SIGTRAP from an int3 that is the program's own (runtime.Breakpoint, or one in
   * hand-written assembly) at `addr`: RIP is just past it. Never removed by us.
   */
  | { kind: 'hardcoded'; addr: number }
  /** SIGTRAP from hardware watchpoints `slots` (DR6): RIP is past the accessing instruction. */
  | { kind: 'watch'; slots: number[] }
  /** SIGTRAP not from an int3: a finished single step, or a trap signal sent to the thread. */
  | { kind: 'trap' }
  /** Any other signal, not delivered yet. */
  | { kind: 'signal'; signal: number };

/** What the stop events need from the process that owns them. */
export interface StopHost {
  state(): ProcessState;
  /** The process is gone: every thread forgotten, `exited` reported. */
  finish(info: ExitInfo): void;
}

/** How long the leader is polled without a pause, and the pauses after (ms). */
const LEADER_SPIN_MS = 1;
const NAP_MS = 0.1;
/** After this long (a thread in a long uninterruptible sleep), the pauses are LONG_NAP_MS. */
const LONG_WAIT_MS = 10;
const LONG_NAP_MS = 1;
const napCell = new Int32Array(new SharedArrayBuffer(4));

const GONE: StopEvent = { kind: 'gone' };
const CLONE: StopEvent = { kind: 'clone' };
const INTERRUPT: StopEvent = { kind: 'interrupt' };
const TRAP: StopEvent = { kind: 'trap' };

export class StopEvents {
  /** The process's watchpoints: with any in use, a SIGTRAP's DR6 says whether one fired. */
  watch?: DebugRegisters;
  /** Called for each thread seen for the first time, stopped (to give it the watchpoints). */
  newThread?: (t: Thread) => void;
  /**
   * Watchpoints that fired while nothing could report them: during a single
   * step (the step's trap carried them) or while every thread was being
   * stopped. Taken by takeHeldWatch, at the next resume at the latest.
   */
  private readonly heldWatch = new Map<number, number[]>();

  constructor(
    private readonly pid: number,
    private readonly threads: ThreadTable,
    private readonly sites: Int3Sites,
    private readonly host: StopHost,
    /** Our child in its own process group: wait on -pgid. Otherwise wait per thread. */
    private readonly waitByGroup: boolean,
  ) {}

  /**
   * Classifies and records one wait status of `tid`: the thread is marked
   * stopped (its register cache dropped), added if unknown, forgotten if gone;
   * a clone's new thread is traced. `stepping`: the thread was single-stepped,
   * so a SIGTRAP is the end of the step, even when RIP - 1 holds one of our int3s.
   */
  record(tid: number, ev: WaitEvent, stepping = false): StopEvent {
    if (ev.kind !== 'stopped') {
      this.gone(tid, ev);
      return GONE;
    }
    // A new thread's first stop can arrive before its parent's PTRACE_EVENT_CLONE.
    const known = this.threads.get(tid);
    const t = known ?? this.threads.add(tid);
    t.running = false;
    t.regs = undefined;
    t.trapStop = ev.event === 0 && ev.signal === SIG.SIGTRAP;
    if (!known) this.newThread?.(t);
    switch (ev.event) {
      case 0:
        break;
      case C.PTRACE_EVENT_CLONE:
        this.adoptClone(t);
        return CLONE;
      case C.PTRACE_EVENT_STOP:
        t.interruptInFlight = false;
        return INTERRUPT;
      default:
        return { kind: 'event', event: ev.event };
    }
    if (ev.signal !== SIG.SIGTRAP) return { kind: 'signal', signal: ev.signal };
    if (this.watch?.active) {
      // Checked before our int3s: a one-byte store (PUSH, STOSB) may end just before a site.
      const fired = this.watch.firedOn(tid);
      if (fired.length && stepping) this.heldWatch.set(tid, fired);
      else if (fired.length) return { kind: 'watch', slots: fired };
    }
    if (stepping) return TRAP;
    const addr = cachedRegs(t).pc - 1;
    if (this.sites.has(addr)) return { kind: 'int3', addr, armed: true };
    if (this.sites.recentlyRemoved.has(addr)) return { kind: 'int3', addr, armed: false };
    if (this.raisedByInt3(tid) && this.sites.programInt3At(addr)) return { kind: 'hardcoded', addr };
    return TRAP;
  }

  /** The watchpoints of `tid` that fired and are not decided yet (forgotten once taken). */
  takeHeldWatch(tid: number): number[] | undefined {
    const w = this.heldWatch.get(tid);
    this.heldWatch.delete(tid);
    return w;
  }

  /** The SIGTRAP stop of `tid` was raised by an int3 instruction (not sent by kill or tgkill). */
  private raisedByInt3(tid: number): boolean {
    try {
      return P.getSigInfo(tid).code === C.SI_KERNEL;
    } catch {
      return false;
    }
  }

  /** Blocks for the next stop of `t` and records it; undefined (the thread forgotten) when it no longer exists. */
  waitFor(t: Thread, stepping = false): StopEvent | undefined {
    let status: number;
    try {
      if (t.tid === this.pid && this.threads.size > 1) status = this.waitForLeader();
      else [, status] = P.waitpid(t.tid, C.__WALL);
    } catch (e) {
      if (e instanceof PtraceError && e.errno === C.ECHILD) {
        this.threads.delete(t.tid);
        return undefined;
      }
      throw e;
    }
    return this.record(t.tid, decodeWaitStatus(status), stepping);
  }

  /**
   * The leader's next wait status. The kernel gives the leader's exit status only once every other
   * thread's has been collected (a traced thread stays a zombie until its tracer waits for it), so a
   * blocking wait on the leader alone never returned when the program exited (exit_group) while the
   * others' exits were uncollected: during stopAll (a setDataBreakpoints as the program ended hung
   * the adapter) or a step of the leader. So the leader is polled, and after LEADER_SPIN_MS, once the
   * leader is itself a zombie, the other threads that have become zombies are collected between naps.
   */
  private waitForLeader(): number {
    const start = performance.now();
    for (;;) {
      const [got, status] = P.waitpid(this.pid, C.__WALL | C.WNOHANG);
      if (got > 0) return status;
      const waited = performance.now() - start;
      if (waited < LEADER_SPIN_MS) continue;
      // Only an exited leader (a zombie itself) waits for the others' exits to be collected.
      if (procState(this.pid) === 'Z') this.collectZombies();
      Atomics.wait(napCell, 0, 0, waited < LONG_WAIT_MS ? NAP_MS : LONG_NAP_MS);
    }
  }

  /** Collects the exit status of every thread but the leader that is a zombie (or gone). */
  private collectZombies(): void {
    for (const tid of this.threads.ids()) {
      if (tid === this.pid) continue;
      const st = procState(tid);
      if (st !== undefined && st !== 'Z' && st !== 'X') continue;
      try {
        const [got, status] = P.waitpid(tid, C.__WALL | C.WNOHANG);
        if (got === 0) continue;
        const stop = this.record(tid, decodeWaitStatus(status));
        // A stop rather than an exit (not expected of a zombie): kept as any stop met while stopping.
        const t = this.threads.get(tid);
        if (t && stop.kind !== 'gone') this.keepForLater(t, stop);
      } catch (e) {
        if (e instanceof PtraceError && e.errno === C.ECHILD) this.threads.delete(tid);
        else throw e;
      }
    }
  }

  /**
   * The next pending wait status of any thread, without blocking and not yet
   * recorded; undefined when none is pending. With nothing left to wait for,
   * the process is finished.
   */
  nextPending(): { tid: number; ev: WaitEvent } | undefined {
    const opts = C.__WALL | C.WNOHANG;
    if (this.waitByGroup) {
      try {
        const [tid, status] = P.waitpid(-this.pid, opts);
        return tid > 0 ? { tid, ev: decodeWaitStatus(status) } : undefined;
      } catch (e) {
        if (e instanceof PtraceError && e.errno === C.ECHILD) {
          this.host.finish({ code: 0 });
          return undefined;
        }
        throw e;
      }
    }
    // Attached (or started by someone else): the process may share our process group, so wait per known thread.
    for (const tid of this.threads.tidsInOrder()) {
      try {
        const [got, status] = P.waitpid(tid, opts);
        if (got > 0) return { tid: got, ev: decodeWaitStatus(status) };
      } catch (e) {
        if (e instanceof PtraceError && e.errno === C.ECHILD) this.threads.delete(tid);
        else throw e;
      }
    }
    if (this.threads.size === 0) this.host.finish({ code: 0 });
    return undefined;
  }

  /**
   * Interrupts every running thread and waits until each is stopped. True when
   * every thread is stopped; false when the process ended meanwhile (or no thread is left).
   */
  stopAll(): boolean {
    for (const t of this.threads.values()) {
      // Interrupted again even when an interrupt is thought in flight: should that one's stop have been
      // taken somewhere without the flag cleared, the blocking wait below would have nothing to wait
      // for. Two interrupts make one stop (the kernel marks the thread, once); a late one is absorbed.
      if (!t.running) continue;
      try {
        P.interrupt(t.tid);
        t.interruptInFlight = true;
      } catch (e) {
        if (!(e instanceof PtraceError && e.errno === C.ESRCH)) throw e;
        t.interruptInFlight = true; // exiting: its exit status is what we will wait for
      }
    }
    for (const t of this.threads.list()) {
      if (t.running) this.waitUntilStopped(t);
      if (this.host.state() === 'exited') return false;
    }
    return this.threads.size > 0;
  }

  /** Blocks until `t` is in a ptrace stop (or gone); what the stop leaves is kept for its next resume. */
  waitUntilStopped(t: Thread): void {
    while (t.running && this.threads.has(t.tid)) {
      const stop = this.waitFor(t);
      if (!stop) return;
      this.keepForLater(t, stop);
    }
  }

  /**
   * A stop met while stopping (or with everything stopped) changes nothing now:
   * an int3 trap is rewound (the hit happens again when the thread resumes: the
   * program's own int3 too, which has no other effect) and a signal is kept
   * pending, delivered on the next resume; a watchpoint hit is held, decided
   * at the next resume.
   */
  keepForLater(t: Thread, stop: StopEvent): void {
    if (stop.kind === 'int3' || stop.kind === 'hardcoded') rewind(t, stop.addr);
    else if (stop.kind === 'signal') holdSignal(this.pid, t, stop.signal);
    // The access has happened (RIP is past it): decided at the next resume.
    else if (stop.kind === 'watch') this.heldWatch.set(t.tid, stop.slots);
  }

  private adoptClone(parent: Thread): void {
    let tid: number;
    try {
      tid = P.getEventMsg(parent.tid);
    } catch {
      return;
    }
    if (this.threads.has(tid)) return;
    const t = this.threads.add(tid);
    // Its first stop (PTRACE_EVENT_STOP) is certain to come: collect it now.
    t.running = true;
    t.interruptInFlight = true;
    this.waitUntilStopped(t);
    if (this.threads.has(tid)) this.newThread?.(t);
    if (this.host.state() === 'running' && this.threads.has(tid)) continueThread(t);
  }

  private gone(tid: number, ev: WaitEvent): void {
    this.threads.delete(tid);
    // The leader's status comes last (after every other thread has exited): the process is over.
    if (tid === this.pid) this.host.finish(ev.kind === 'exited' ? { code: ev.code } : { signal: ev.kind === 'killed' ? ev.signal : 0 });
  }
}

/** Puts RIP back on the int3 at `addr` (registers written now). */
function rewind(t: Thread, addr: number): void {
  const regs = cachedRegs(t);
  regs.pc = addr;
  P.setRegs(t.tid, regs.raw);
}
