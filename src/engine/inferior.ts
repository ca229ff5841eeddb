/**
 * A traced process: its threads, all-stop control, breakpoints, single steps,
 * memory and registers. Everything here runs synchronously on Node's main thread
 * (the tracer); only the wake-up after a resume is asynchronous (SIGCHLD).
 *
 * The upper layer (src/debuggee) sees plain events: `stopped`, `exited`, `output`,
 * and decides synchronously on each breakpoint hit through `trapFilter`.
 */
import { EventEmitter } from 'node:events';
import { OutputPipes } from './outputPipes.js';
import { listThreads, waitForStopState } from './procfs.js';
import { Int3Sites } from './int3Sites.js';
import { DisplacedStepper } from './displacedStep.js';
import * as C from './libc.js';
import { PtraceError } from './libc.js';
import { ProcessMemory } from './memory.js';
import * as P from './ptrace.js';
import { Registers } from '../process/registers.js';
import { isFault, SIG } from '../process/signals.js';
import { spawnStopped } from './spawn.js';
import { decodeWaitStatus, type WaitEvent } from './waitStatus.js';
import * as waitLoop from './waitLoop.js';
import type { DebuggeeProcess, ExitInfo, ProcessEvents, ProcessState, StepResult, StopReason, TrapDecision } from '../process/process.js';

export type { ExitInfo, StopReason, TrapDecision } from '../process/process.js';
export type InferiorState = ProcessState;

export interface LaunchOptions {
  program: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  stdinFd?: number;
}

export type InferiorEvents = ProcessEvents;

interface Thread {
  tid: number;
  running: boolean;
  /** Signal to deliver on the next resume. */
  pendingSignal: number;
  /** A PTRACE_INTERRUPT whose stop has not been seen yet (it may arrive after another stop). */
  interruptInFlight: boolean;
  /** RIP sits on a breakpoint whose hit was consumed: step over it before resuming. */
  consumedHitAt?: number;
  regs?: Registers;
}

const SEIZE_OPTIONS = C.PTRACE_O_TRACECLONE | C.PTRACE_O_TRACEEXEC;
/** How long the wait loop keeps polling after resuming a thread past a non-stopping breakpoint. */
const SPIN_MS = 1;

export class Inferior extends EventEmitter<InferiorEvents> implements waitLoop.Pollable, DebuggeeProcess {
  readonly threads = new Map<number, Thread>();
  readonly memory: ProcessMemory;
  readonly breakpoints: Int3Sites;
  state: InferiorState = 'stopped';
  /** State check that TypeScript does not narrow across calls that change it. */
  is(s: InferiorState): boolean {
    return this.state === s;
  }
  exitInfo?: ExitInfo;
  /** Decides, synchronously on the hit path, whether a breakpoint hit stops the program. */
  trapFilter: (tid: number, addr: number) => TrapDecision = () => 'stop';
  /** Decides whether a signal stops the program (faults do by default). */
  signalFilter: (tid: number, signal: number) => boolean = (_t, s) => isFault(s);
  /** Count of ptrace stops handled (for measurements). */
  stopsHandled = 0;
  /** Threads resumed on their own past a breakpoint that did not stop. */
  private hotResumes = 0;
  /** Optional low-level trace of every wait status (showLog / debugging). */
  trace?: (line: string) => void;

  /** Resumes a thread from a breakpoint without stopping the others (see displacedStep.ts). */
  private stepper = this.makeStepper(undefined);
  private scratchOriginal?: { addr: number; bytes: Uint8Array };

  private readonly pipes = new OutputPipes((stream, text) => this.emit('output', stream, text));
  private exitPending?: ExitInfo;
  private polling = false;

  private constructor(
    readonly pid: number,
    /** Launched by us (killed with us) or attached (left running on detach). */
    readonly launched: boolean,
    /** Our child in its own process group: wait on -pgid. Otherwise wait per thread. */
    private readonly waitByGroup: boolean,
  ) {
    super();
    this.memory = new ProcessMemory(pid);
    this.breakpoints = new Int3Sites(this.memory);
  }

  get wantsPolling(): boolean {
    return this.state === 'running';
  }

  // ───────────────────────── start and end ─────────────────────────

  /** Starts `program` stopped at its first instruction (after exec), every thread known. */
  static async launch(opts: LaunchOptions): Promise<Inferior> {
    const sp = spawnStopped(opts);
    const inf = new Inferior(sp.pid, true, true);
    inf.pipes.add(sp.stdoutFd, 'stdout');
    inf.pipes.add(sp.stderrFd, 'stderr');
    await inf.traceUntilExec();
    return inf;
  }

  /**
   * Takes over a process that another program started with the stop-before-exec
   * wrapper (spawn.ts STOP_BEFORE_EXEC), e.g. in the editor's terminal: it is
   * killed with us like a launched one, but it is not our child.
   */
  static async seizeStopped(pid: number): Promise<Inferior> {
    const inf = new Inferior(pid, true, false);
    await inf.traceUntilExec();
    return inf;
  }

  /** From the wrapper's self-stop to the program's first instruction. */
  private async traceUntilExec(): Promise<void> {
    const pid = this.pid;
    try {
      await waitForStopState(pid);
      P.seize(pid, SEIZE_OPTIONS | C.PTRACE_O_EXITKILL);
      this.threads.set(pid, newThread(pid));
      // SEIZE of a stopped process reports a PTRACE_EVENT_STOP; continue the shell until its exec.
      for (;;) {
        const ev = this.waitThread(pid);
        if (ev.kind !== 'stopped') throw new Error(`program exited before it started (${describeExit(ev)})`);
        if (ev.event === C.PTRACE_EVENT_EXEC) break;
        P.cont(pid, ev.event === 0 && ev.signal !== SIG.SIGSTOP && ev.signal !== SIG.SIGTRAP ? ev.signal : 0);
      }
    } catch (e) {
      try {
        P.kill(pid, SIG.SIGKILL);
        P.waitpid(pid, C.__WALL);
      } catch {
        /* already gone */
      }
      this.pipes.close();
      throw e;
    }
    this.state = 'stopped';
    waitLoop.register(this);
  }

  /** Attaches to every thread of a running process and stops it. */
  static attach(pid: number): Inferior {
    const inf = new Inferior(pid, false, false);
    const seen = new Set<number>();
    for (let round = 0; round < 100; round++) {
      const tids = listThreads(pid).filter((t) => !seen.has(t));
      if (tids.length === 0) break;
      for (const tid of tids) {
        seen.add(tid);
        try {
          P.seize(tid, SEIZE_OPTIONS);
        } catch (e) {
          if (tid === pid || !(e instanceof PtraceError && e.errno === C.ESRCH)) throw e;
          continue; // thread exited meanwhile
        }
        const t = newThread(tid);
        t.running = true;
        inf.threads.set(tid, t);
        P.interrupt(tid);
        t.interruptInFlight = true;
      }
    }
    for (const t of [...inf.threads.values()]) inf.waitUntilStopped(t);
    inf.state = 'stopped';
    waitLoop.register(inf);
    return inf;
  }

  /** Kills a launched program (or detaches from an attached one) and waits for the end. */
  async kill(): Promise<void> {
    if (this.state === 'exited') return;
    if (!this.launched) return this.detach();
    const done = new Promise<void>((resolve) => this.once('exited', () => resolve()));
    try {
      P.kill(this.pid, SIG.SIGKILL);
    } catch {
      /* gone */
    }
    this.state = 'running'; // let the wait loop collect the exits
    waitLoop.wake();
    this.poll();
    await Promise.race([done, new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  /** Restores every code byte and lets the process go on running without us. */
  detach(): void {
    if (this.state === 'exited') return;
    if (this.state === 'running') this.stopAll();
    this.breakpoints.removeAll();
    this.restoreScratch();
    for (const t of this.threads.values()) {
      if (t.regs && t.consumedHitAt !== undefined) t.consumedHitAt = undefined;
      try {
        P.detach(t.tid, t.pendingSignal);
      } catch {
        /* thread exited */
      }
    }
    this.threads.clear();
    this.finish({ code: 0 }, false);
  }

  /**
   * Gives the engine a scratch slot: 16 bytes of int3 padding in the program's
   * text that no code reaches, where breakpointed instructions are executed out
   * of line. Without one, only relative branches and calls are emulated.
   */
  setScratchSlot(addr: number): void {
    let bytes: Uint8Array;
    try {
      bytes = this.memory.read(addr, 16);
    } catch {
      return;
    }
    if (!bytes.every((b) => b === 0xcc)) return; // not padding in this process: don't touch it
    this.scratchOriginal = { addr, bytes };
    this.stepper = this.makeStepper(addr);
  }

  /** Counts of breakpoint resumes by method (emulated, displaced, unsupported → all-stop). */
  get displacedStats(): { emulated: number; displaced: number; unsupported: number } {
    return this.stepper.stats;
  }

  private makeStepper(scratch: number | undefined): DisplacedStepper {
    return new DisplacedStepper(
      {
        readCode: (addr, len) => {
          for (let n = len; n > 0; n -= 4) {
            try {
              return this.read(addr, n);
            } catch {
              /* near the end of the mapping: try fewer bytes */
            }
          }
          return undefined;
        },
        writeRaw: (addr, data) => this.memory.write(addr, data),
        getRegs: (tid) => this.getRegs(tid),
        setRegs: (tid, regs) => this.setRegs(tid, regs),
        step: (tid) => this.singleStep(this.thread(tid)),
      },
      scratch,
    );
  }

  private restoreScratch(): void {
    if (!this.scratchOriginal) return;
    try {
      this.memory.write(this.scratchOriginal.addr, this.scratchOriginal.bytes);
    } catch {
      /* gone */
    }
    this.stepper.reset();
  }

  // ───────────────────────── execution control ─────────────────────────

  /** Resumes every thread (stepping over breakpoints whose hit was consumed). */
  resume(): void {
    this.assertStopped('resume');
    this.breakpoints.recentlyRemoved.clear();
    for (const t of [...this.threads.values()]) this.stepOverIfNeeded(t);
    if (this.state !== 'stopped') return; // exited during a step
    for (const t of this.threads.values()) this.contThread(t);
    this.state = 'running';
    waitLoop.wake();
  }

  /** Stops every thread (DAP pause); reports a `pause` stop. */
  pause(): void {
    if (this.state !== 'running') return;
    this.poll(); // a stop may already be waiting
    if (this.state !== 'running') return;
    this.stopAll();
    if (this.is("stopped")) this.reportStop({ kind: 'pause', tid: this.pid });
  }

  /**
   * Executes one instruction on `tid` while every other thread stays stopped.
   * Returns 'ok', 'exited' (the thread or process ended) or the signal that stopped it.
   */
  stepInstruction(tid: number): StepResult {
    this.assertStopped('step');
    const t = this.thread(tid);
    const pc = this.getRegs(tid).pc;
    const lifted = this.breakpoints.has(pc);
    if (lifted) this.breakpoints.lift(pc);
    try {
      return this.singleStep(t);
    } finally {
      if (lifted && this.state !== 'exited') this.breakpoints.rearm(pc);
      t.consumedHitAt = undefined;
    }
  }

  /** Marks the breakpoint under `tid` as consumed: the next resume steps over it first. */
  consumeHit(tid: number): void {
    const t = this.thread(tid);
    const pc = this.getRegs(tid).pc;
    if (this.breakpoints.has(pc)) t.consumedHitAt = pc;
  }

  // ───────────────────────── registers and memory ─────────────────────────

  getRegs(tid: number): Registers {
    const t = this.thread(tid);
    if (t.running) throw new Error(`thread ${tid} is running`);
    if (!t.regs) {
      const raw = new BigUint64Array(27);
      P.getRegs(tid, raw);
      t.regs = new Registers(raw, () => {
        if (t.running) return undefined;
        const fp = new Uint8Array(512);
        try {
          P.getFpRegs(tid, fp);
          return fp;
        } catch {
          return undefined;
        }
      });
    }
    return t.regs;
  }

  setRegs(tid: number, regs: Registers): void {
    const t = this.thread(tid);
    P.setRegs(tid, regs.raw);
    if (regs.fpTouched) P.setFpRegs(tid, regs.fp!);
    t.regs = regs;
    if (t.consumedHitAt !== undefined && t.consumedHitAt !== regs.pc) t.consumedHitAt = undefined;
  }

  /** Reads memory with our int3s hidden. Throws MemoryError when unreadable. */
  read(addr: number, len: number): Uint8Array {
    return this.breakpoints.shadow(addr, this.memory.read(addr, len));
  }
  /** Reads up to `out.length` bytes; returns how many were readable. */
  readInto(addr: number, out: Uint8Array): number {
    const n = this.memory.readInto(addr, out);
    if (n > 0) this.breakpoints.shadow(addr, out.subarray(0, n));
    return n;
  }
  write(addr: number, data: Uint8Array): void {
    this.memory.write(addr, this.breakpoints.patchWrite(addr, data));
  }

  /** `len` bytes at each address, block i at i·len in `out`, unreadable blocks zero (no breakpoint shadowing: for data). */
  readMany(addrs: readonly number[], len: number, out: Uint8Array): void {
    this.memory.readMany(addrs, len, out);
  }

  hasThread(tid: number): boolean {
    return this.threads.has(tid);
  }

  insertBreakpoint(addr: number): void {
    this.breakpoints.insert(addr);
  }

  removeBreakpoint(addr: number): void {
    this.breakpoints.remove(addr);
  }

  threadIds(): number[] {
    return [...this.threads.keys()].sort((a, b) => a - b);
  }

  // ───────────────────────── the wait loop ─────────────────────────

  /** Drains pending wait statuses (called on SIGCHLD and by the safety timer). */
  poll(): void {
    if (this.polling || this.state === 'exited') return;
    this.polling = true;
    try {
      let spinUntil = 0;
      for (;;) {
        const [tid, status] = this.waitAnyNoHang();
        if (tid <= 0) {
          // A thread was just sent on past a breakpoint that did not stop (a false
          // condition in a loop): its next hit usually comes within microseconds.
          // Polling a little longer catches it without the SIGCHLD → event loop wake-up.
          if (this.state === 'running' && this.hotResumes > 0 && performance.now() < spinUntil) continue;
          break;
        }
        const before = this.hotResumes;
        this.dispatch(tid, decodeWaitStatus(status));
        if (this.is("exited")) break;
        if (this.hotResumes !== before) spinUntil = performance.now() + SPIN_MS;
      }
    } finally {
      this.polling = false;
    }
  }

  private waitAnyNoHang(): [number, number] {
    const opts = C.__WALL | C.WNOHANG;
    if (this.waitByGroup) {
      try {
        return P.waitpid(-this.pid, opts);
      } catch (e) {
        if (e instanceof PtraceError && e.errno === C.ECHILD) {
          this.finish(this.exitPending ?? { code: 0 });
          return [0, 0];
        }
        throw e;
      }
    }
    // Attached (or started by someone else): the process may share our process group, so wait per known thread.
    for (const tid of [...this.threads.keys()]) {
      try {
        const r = P.waitpid(tid, opts);
        if (r[0] > 0) return r;
      } catch (e) {
        if (e instanceof PtraceError && e.errno === C.ECHILD) this.removeThread(tid);
        else throw e;
      }
    }
    if (this.threads.size === 0) this.finish(this.exitPending ?? { code: 0 });
    return [0, 0];
  }

  /** One wait status while the program runs. */
  private dispatch(tid: number, ev: WaitEvent): void {
    this.stopsHandled++;
    this.trace?.(`dispatch ${tid} ${JSON.stringify(ev)} state=${this.state}`);
    let t = this.threads.get(tid);
    if (ev.kind !== 'stopped') {
      this.onThreadGone(tid, ev);
      return;
    }
    if (!t) {
      // A new thread's first stop can arrive before its parent's PTRACE_EVENT_CLONE.
      t = this.addThread(tid);
    }
    t.running = false;
    t.regs = undefined;
    if (this.state !== 'running') {
      // Late stop while everything is stopped (an interrupt absorbed later): keep it stopped.
      if (ev.event === C.PTRACE_EVENT_STOP) t.interruptInFlight = false;
      else this.noteSignal(t, ev);
      return;
    }
    switch (ev.event) {
      case C.PTRACE_EVENT_CLONE:
        this.onClone(t);
        this.contThread(t);
        return;
      case C.PTRACE_EVENT_STOP:
        // An interrupt we no longer need, a new thread's first stop, or a group-stop.
        t.interruptInFlight = false;
        this.contThread(t);
        return;
      case C.PTRACE_EVENT_EXEC:
        this.contThread(t);
        return;
    }
    if (ev.signal === SIG.SIGTRAP) {
      const pc = this.getRegs(tid).pc;
      const addr = pc - 1;
      if (this.breakpoints.has(addr) || this.breakpoints.recentlyRemoved.has(addr)) {
        // Rewind in the register cache only: the resume paths below write the registers
        // anyway, which saves a PTRACE_SETREGS on every hit that does not stop.
        const regs = this.getRegs(tid);
        regs.pc = addr;
        const commit = () => P.setRegs(tid, regs.raw);
        if (!this.breakpoints.has(addr)) {
          commit();
          this.contThread(t); // removed meanwhile: re-execute the original instruction
          return;
        }
        let decision: TrapDecision;
        try {
          decision = this.trapFilter(tid, addr);
        } catch {
          decision = 'stop';
        }
        if (decision === 'continue') {
          // Step over it on this thread alone if we can; else stop everyone first.
          const r = this.stepper.run(tid, addr, regs); // writes the registers unless 'unsupported'
          if (r === 'done') {
            this.hotResumes++;
            this.contThread(t);
            return;
          }
          if (r === 'exited') return;
          if (typeof r === 'object') {
            // The instruction faulted: deliver (or report) the signal at its real address.
            if (this.signalFilter(tid, r.signal)) {
              this.stopAll();
              if (this.is('stopped')) this.reportStop({ kind: 'exception', tid, signal: r.signal });
            } else this.contThread(t);
            return;
          }
          commit();
          t.consumedHitAt = addr;
          this.stopAll();
          if (this.is("stopped")) this.resume();
          return;
        }
        commit();
        t.consumedHitAt = addr;
        this.stopAll();
        if (this.is("stopped")) this.reportStop({ kind: 'breakpoint', tid, addr });
        return;
      }
      // A SIGTRAP we did not cause: never hand it to the program (it would die), just go on.
      this.contThread(t);
      return;
    }
    if (this.signalFilter(tid, ev.signal)) {
      t.pendingSignal = ev.signal;
      let faultAddr: number | undefined;
      try {
        faultAddr = P.getSigInfo(tid).addr;
      } catch {
        /* not available */
      }
      this.stopAll();
      if (this.is("stopped")) this.reportStop({ kind: 'exception', tid, signal: ev.signal, faultAddr });
      return;
    }
    // The program's own signal (SIGURG preemption, SIGPIPE, SIGCHLD, SIGPROF, …): pass it on.
    t.pendingSignal = ev.signal;
    this.contThread(t);
  }

  // ───────────────────────── all-stop ─────────────────────────

  /** Interrupts every running thread and waits until each is stopped. */
  private stopAll(): void {
    for (const t of this.threads.values()) {
      if (!t.running || t.interruptInFlight) continue;
      try {
        P.interrupt(t.tid);
        t.interruptInFlight = true;
      } catch (e) {
        if (!(e instanceof PtraceError && e.errno === C.ESRCH)) throw e;
        t.interruptInFlight = true; // exiting: its exit status is what we will wait for
      }
    }
    for (const t of [...this.threads.values()]) {
      if (t.running) this.waitUntilStopped(t);
      if (this.state === 'exited') return;
    }
    if (this.threads.size === 0) return;
    this.state = 'stopped';
  }

  /** Blocks on one thread until it is in a ptrace stop (or gone). */
  private waitUntilStopped(t: Thread): void {
    while (t.running && this.threads.has(t.tid)) {
      const ev = this.waitOrGone(t.tid);
      if (!ev) return;
      this.trace?.(`stopping ${t.tid} ${JSON.stringify(ev)}`);
      if (ev.kind !== 'stopped') {
        this.onThreadGone(t.tid, ev);
        return;
      }
      t.running = false;
      t.regs = undefined;
      if (ev.event === C.PTRACE_EVENT_STOP) {
        t.interruptInFlight = false;
      } else if (ev.event === C.PTRACE_EVENT_CLONE) {
        this.onClone(t);
      } else if (ev.event === 0) {
        this.noteSignal(t, ev);
      }
    }
  }

  /** A signal stop seen while stopping everything: keep it for later, or rewind a breakpoint trap. */
  private noteSignal(t: Thread, ev: { signal: number; event: number }): void {
    if (ev.event !== 0) return;
    if (ev.signal === SIG.SIGTRAP) {
      const addr = this.getRegs(t.tid).pc - 1;
      if (this.breakpoints.has(addr) || this.breakpoints.recentlyRemoved.has(addr)) {
        this.rewind(t, addr); // the hit will happen again when the thread resumes
      }
      return;
    }
    this.setPending(t, ev.signal);
  }

  private setPending(t: Thread, sig: number): void {
    if (t.pendingSignal === 0 || t.pendingSignal === sig) {
      t.pendingSignal = sig;
      return;
    }
    // One signal can be delivered per resume; queue the other again on the thread.
    try {
      P.tgkill(this.pid, t.tid, sig);
    } catch {
      /* thread gone */
    }
  }

  private rewind(t: Thread, addr: number): void {
    this.trace?.(`rewind ${t.tid} to ${addr.toString(16)}`);
    const regs = this.getRegs(t.tid);
    regs.pc = addr;
    P.setRegs(t.tid, regs.raw);
  }

  private onClone(parent: Thread): void {
    let tid: number;
    try {
      tid = P.getEventMsg(parent.tid);
    } catch {
      return;
    }
    if (this.threads.has(tid)) return;
    const t = this.addThread(tid);
    // Its first stop (PTRACE_EVENT_STOP) is certain to come: collect it now.
    t.running = true;
    t.interruptInFlight = true;
    this.waitUntilStopped(t);
    if (this.state === 'running' && this.threads.has(tid)) this.contThread(t);
  }

  private addThread(tid: number): Thread {
    const t = newThread(tid);
    this.threads.set(tid, t);
    return t;
  }

  // ───────────────────────── single steps ─────────────────────────

  private stepOverIfNeeded(t: Thread): void {
    if (t.consumedHitAt === undefined) return;
    const addr = t.consumedHitAt;
    t.consumedHitAt = undefined;
    if (!this.breakpoints.has(addr) || this.getRegs(t.tid).pc !== addr) return;
    this.breakpoints.lift(addr);
    try {
      this.singleStep(t);
    } finally {
      if (this.state !== 'exited') this.breakpoints.rearm(addr);
    }
  }

  /** PTRACE_SINGLESTEP one thread and wait for it; other stops on the way are kept for later. */
  private singleStep(t: Thread): 'ok' | 'exited' | { signal: number } {
    for (let guard = 0; guard < 1000; guard++) {
      P.singleStep(t.tid, 0);
      t.running = true;
      t.regs = undefined;
      const ev = this.waitOrGone(t.tid);
      if (!ev) return 'exited';
      this.trace?.(`step ${t.tid} ${JSON.stringify(ev)}`);
      if (ev.kind !== 'stopped') {
        this.onThreadGone(t.tid, ev);
        return 'exited';
      }
      t.running = false;
      if (ev.event === C.PTRACE_EVENT_STOP) {
        t.interruptInFlight = false;
        continue; // a late interrupt: the instruction has not run yet
      }
      if (ev.event === C.PTRACE_EVENT_CLONE) {
        this.onClone(t);
        continue;
      }
      if (ev.event !== 0) continue;
      if (ev.signal === SIG.SIGTRAP) return 'ok';
      if (isFault(ev.signal)) {
        t.pendingSignal = ev.signal;
        return { signal: ev.signal };
      }
      this.setPending(t, ev.signal); // e.g. SIGURG: deliver on the next continue
    }
    throw new Error(`single step of thread ${t.tid} did not complete`);
  }

  // ───────────────────────── helpers ─────────────────────────

  private contThread(t: Thread): void {
    if (t.running) return;
    const sig = t.pendingSignal;
    t.pendingSignal = 0;
    t.regs = undefined;
    try {
      P.cont(t.tid, sig);
      t.running = true;
    } catch (e) {
      if (e instanceof PtraceError && e.errno === C.ESRCH) {
        t.running = true; // dying: its exit status will arrive
        return;
      }
      throw e;
    }
  }

  /** Blocking wait for one thread; undefined (and the thread forgotten) when it no longer exists. */
  private waitOrGone(tid: number): WaitEvent | undefined {
    try {
      const ev = this.waitThread(tid);
      this.stopsHandled++;
      return ev;
    } catch (e) {
      if (e instanceof PtraceError && e.errno === C.ECHILD) {
        this.removeThread(tid);
        return undefined;
      }
      throw e;
    }
  }

  private waitThread(tid: number): WaitEvent {
    const [, status] = P.waitpid(tid, C.__WALL);
    return decodeWaitStatus(status);
  }

  private onThreadGone(tid: number, ev: WaitEvent): void {
    this.removeThread(tid);
    if (tid === this.pid) {
      this.exitPending = ev.kind === 'exited' ? { code: ev.code } : { signal: ev.kind === 'killed' ? ev.signal : 0 };
    }
    if (this.threads.size === 0 || tid === this.pid) {
      // The leader's status comes last (after every other thread has exited).
      if (tid === this.pid) this.finish(this.exitPending!);
    }
  }

  private removeThread(tid: number): void {
    this.threads.delete(tid);
  }

  private thread(tid: number): Thread {
    const t = this.threads.get(tid);
    if (!t) throw new Error(`no thread ${tid}`);
    return t;
  }

  private assertStopped(op: string): void {
    if (this.state !== 'stopped') throw new Error(`cannot ${op}: the program is ${this.state}`);
  }

  private reportStop(reason: StopReason): void {
    this.breakpoints.recentlyRemoved.clear();
    // Deliver outside the wait loop so listeners may call back into us freely.
    setImmediate(() => {
      if (this.state === 'stopped') this.emit('stopped', reason);
    });
  }

  private finish(info: ExitInfo, waitForOutput = true): void {
    if (this.state === 'exited') return;
    this.state = 'exited';
    this.exitInfo = info;
    this.threads.clear();
    this.memory.close();
    waitLoop.unregister(this);
    const emit = () => this.emit('exited', info);
    if (waitForOutput) this.pipes.drain(emit);
    else setImmediate(emit);
  }
}

function newThread(tid: number): Thread {
  return { tid, running: false, pendingSignal: 0, interruptInFlight: false };
}

function describeExit(ev: WaitEvent): string {
  return ev.kind === 'exited' ? `exit code ${ev.code}` : ev.kind === 'killed' ? `signal ${ev.signal}` : 'stopped';
}

