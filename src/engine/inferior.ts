/**
 * A traced process: the engine's DebuggeeProcess. Everything here runs synchronously on Node's main
 * thread (the tracer); only the wake-up after a resume is asynchronous (SIGCHLD, waitLoop.ts). The
 * upper layer (src/debuggee) sees plain events (`stopped`, `exited`, `output`) and decides on each
 * breakpoint hit through `trapFilter`. Held elsewhere: the threads (threadTable.ts), the wait for and
 * the recording of every stop (stopEvents.ts), single steps (instructionSteps.ts), resuming from a
 * breakpoint while the other threads run (displacedStep.ts), getting a process under trace
 * (startup.ts). This file decides what a stop means while the program runs (the hit path) and
 * carries out the seam's requests.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { OutputPipes } from './outputPipes.js';
import { Int3Sites } from './int3Sites.js';
import { DebugRegisters, WATCH_SLOTS } from './debugRegisters.js';
import { DisplacedStepper } from './displacedStep.js';
import { Guardian } from './guardian.js';
import { InstructionSteps } from './instructionSteps.js';
import { ProcessMemory } from './memory.js';
import { HitStack } from './hitStack.js';
import * as P from './ptrace.js';
import { runtimeEntry } from './loadBias.js';
import { processImage } from './processImage.js';
import { spawnStopped } from './spawn.js';
import { seizeAllThreads, seizeUntilExec } from './startup.js';
import { StopEvents, type StopEvent } from './stopEvents.js';
import { parkTrapStops } from './trapParking.js';
import { ThreadRunner } from './threadRun.js';
import { cachedRegs, continueThread, ThreadTable, type Thread } from './threadTable.js';
import * as waitLoop from './waitLoop.js';
import type { Registers } from '../process/registers.js';
import { isFault, SIG } from '../process/signals.js';
import type { DebuggeeProcess, ExitInfo, ProcessEvents, ProcessState, StepResult, StopReason, TrapDecision, WatchSpec } from '../process/process.js';

export interface LaunchOptions {
  program: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  stdinFd?: number;
}

/** How long a stop of an attached program lasts before its SIGTRAP stops are parked (see parkTraps). */
const PARK_AFTER_MS = 20;

export class Inferior extends EventEmitter<ProcessEvents> implements waitLoop.Pollable, DebuggeeProcess {
  /** Stopped, running or exited: changed by this class only. */
  get state(): ProcessState {
    return this.runState;
  }
  /** Decides, synchronously on the hit path, whether a breakpoint hit stops the program. */
  trapFilter: (tid: number, addr: number) => TrapDecision = () => 'stop';
  /** Decides whether a signal stops the program (faults do by default). */
  signalFilter: (tid: number, signal: number) => boolean = (_t, s) => isFault(s);
  /** Decides, synchronously, whether a watchpoint hit stops the program (see debugRegisters.ts). */
  watchFilter: (tid: number, slots: number[]) => TrapDecision = () => 'stop';
  readonly watchSlots = WATCH_SLOTS;

  private runState: ProcessState = 'stopped';
  private readonly threads = new ThreadTable();
  private readonly memory: ProcessMemory;
  private readonly sites: Int3Sites;
  private readonly stops: StopEvents;
  private readonly steps: InstructionSteps;
  readonly threadRun: ThreadRunner; // one thread run alone, the others stopped (function calls)
  /** Resumes a thread from a breakpoint without stopping the others (see displacedStep.ts). */
  private readonly displaced = new DisplacedStepper({
    readInto: (addr, out) => this.readInto(addr, out),
    writeRaw: (addr, data) => this.memory.write(addr, data),
    getRegs: (tid) => this.getRegs(tid),
    setRegs: (tid, regs) => this.setRegs(tid, regs),
    step: (tid) => this.steps.step(this.threads.require(tid)),
  });
  /** Threads resumed on their own past a breakpoint that did not stop. */
  private hotResumes = 0;
  private readonly pipes = new OutputPipes((stream, text) => this.emit('output', stream, text));
  private polling = false;
  /** When the wait loop last collected a stop of any thread, or the program was resumed (DebuggeeProcess.lastEventAt). */
  lastEventAt?: number;
  /** Writes our int3s' original bytes back should the adapter die attached (guardian.ts). */
  private guardian?: Guardian;
  private parkTimer?: NodeJS.Timeout;
  /** The hardware watchpoints of every thread. */
  private readonly watch = new DebugRegisters();
  /** Watchpoints were set once: a detach clears the debug registers of every thread. */
  private watchUsed = false;
  /** The thread whose hit is being decided while the others run (not resumed by setWatchpoints). */
  private examiningTid?: number;
  /** What that thread's hit reads (its stack top, its g, the word its instruction loads), read once (hitStack.ts). */
  private readonly hitStack = new HitStack(() => this.memory);

  private constructor(
    readonly pid: number,
    /** Launched by us (killed with us) or attached (left running on detach). */
    readonly launched: boolean,
    /** Our child in its own process group: wait on -pgid. Otherwise wait per thread. */
    waitByGroup: boolean,
  ) {
    super();
    this.memory = new ProcessMemory(pid);
    this.sites = new Int3Sites(this.memory);
    const host = { state: () => this.state, finish: (info: ExitInfo) => this.finish(info) };
    this.stops = new StopEvents(pid, this.threads, this.sites, host, waitByGroup);
    this.steps = new InstructionSteps(pid, this.stops, this.sites, host);
    this.threadRun = new ThreadRunner(this.threads, this.stops, this.steps, host, launched, () => this.poll());
    this.stops.watch = this.watch;
    // A new thread has no debug registers (the kernel does not copy them on clone).
    this.stops.newThread = (t) => this.watch.active && this.watch.applyToAll([t.tid], () => false);
  }

  get wantsPolling(): boolean {
    return this.state === 'running';
  }

  /** State check that TypeScript does not narrow across calls that change it. */
  private is(s: ProcessState): boolean {
    return this.state === s;
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

  private async traceUntilExec(): Promise<void> {
    try {
      await seizeUntilExec(this.pid);
    } catch (e) {
      this.pipes.close();
      throw e;
    }
    this.threads.add(this.pid);
    this.runState = 'stopped';
    waitLoop.register(this);
  }

  /** Attaches to every thread of a running process and stops it. */
  static attach(pid: number): Inferior {
    const inf = new Inferior(pid, false, false);
    inf.guardian = Guardian.start(pid);
    inf.sites.watcher = inf.guardian;
    try {
      seizeAllThreads(pid, inf.threads);
    } catch (e) {
      inf.guardian?.release();
      throw e;
    }
    for (const t of inf.threads.list()) inf.stops.waitUntilStopped(t);
    inf.runState = 'stopped';
    inf.sites.liftAll(); // int3s go in at the first resume (see Int3Sites.liftAll)
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
    this.runState = 'running'; // let the wait loop collect the exits
    waitLoop.wake();
    this.poll();
    await Promise.race([done, new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  /** Restores every code byte and lets the process go on running without us. */
  detach(): void {
    if (this.state === 'exited') return;
    if (this.state === 'running') this.stopAll();
    this.sites.removeAll();
    this.displaced.restoreScratch();
    for (const t of this.threads.values()) {
      try {
        if (this.watchUsed) this.watch.clearFrom(t.tid);
        P.detach(t.tid, t.pendingSignal);
      } catch {
        /* thread exited */
      }
    }
    this.threads.clear();
    this.finish({ code: 0, detached: true }, false);
  }

  /** The entry address the program was loaded with (auxv AT_ENTRY); a PIE's differs from the file's. */
  entryAddress(): number | undefined {
    return runtimeEntry(this.pid);
  }
  /** What a core file of the process records besides registers and memory (processImage.ts). */
  image(): ReturnType<typeof processImage> {
    return processImage(this.pid, new Map(this.threads.list().map((t) => [t.tid, t.pendingSignal])));
  }

  /** A scratch slot: 16 bytes of unreached int3 padding where breakpointed instructions run out of line (without one, only relative branches and calls are emulated). */
  setScratchSlot(addr: number): void {
    if (this.guardian) {
      try {
        this.guardian.save(addr, this.memory.read(addr, 16));
      } catch {
        /* unreadable: not used as a slot either */
      }
    }
    this.displaced.useScratch(addr);
  }

  /**
   * Sets the hardware watchpoints on every thread (and, from now on, on each new
   * thread at its first stop). While the program runs (called from a filter on
   * the hit path) the other threads are stopped for the write and let go after.
   */
  setWatchpoints(slots: readonly (WatchSpec | undefined)[]): void {
    this.watch.set(slots);
    this.watchUsed = true;
    if (this.state === 'exited') return;
    if (this.state === 'running' && !this.stops.stopAll()) return;
    this.watch.applyToAll(this.threads.ids(), (tid) => this.threads.has(tid));
    if (this.state !== 'running') return;
    // Hits met while stopping the others are not reported (they were for the old watchpoints).
    for (const t of this.threads.values()) if (t.tid !== this.examiningTid) this.stops.takeHeldWatch(t.tid);
    for (const t of this.threads.values()) if (t.tid !== this.examiningTid) continueThread(t);
  }

  /** Counts of breakpoint resumes by method (emulated, displaced, unsupported → all-stop). */
  get displacedStats(): { emulated: number; displaced: number; unsupported: number } {
    return this.displaced.stats;
  }

  // ───────────────────────── execution control ─────────────────────────

  /** Resumes every thread (stepping over breakpoints whose hit was consumed). */
  resume(): void {
    this.assertStopped('resume');
    this.sites.recentlyRemoved.clear();
    this.sites.rearmAll();
    let watched: StopReason | undefined;
    for (const t of this.threads.list()) {
      this.stepOverConsumedHit(t);
      // A hit held while stopping, or the store under a breakpoint stepped over here (`x = 2`).
      const fired = this.stops.takeHeldWatch(t.tid);
      if (fired && !watched && this.state === 'stopped' && this.decideWatch(t.tid, fired) === 'stop')
        watched = { kind: 'watchpoint', tid: t.tid, slots: fired };
    }
    if (this.state !== 'stopped') return; // exited during a step
    if (watched) return this.reportStop(watched);
    for (const t of this.threads.values()) continueThread(t);
    this.runState = 'running';
    this.lastEventAt = performance.now();
    waitLoop.wake();
  }

  /** Stops every thread (DAP pause); reports a `pause` stop. */
  pause(): void {
    if (this.state !== 'running') return;
    this.poll(); // a stop may already be waiting
    if (this.state !== 'running') return;
    this.stopAllAndReport({ kind: 'pause', tid: this.pid });
  }

  /**
   * Executes one instruction on `tid` while every other thread stays stopped.
   * Returns 'ok', 'exited' (the thread or process ended) or the signal that stopped it.
   */
  stepInstruction(tid: number): StepResult {
    this.assertStopped('step');
    const t = this.threads.require(tid);
    const pc = this.getRegs(tid).pc;
    try {
      return this.steps.stepAt(t, pc);
    } finally {
      t.consumedHitAt = undefined;
      this.stops.takeHeldWatch(tid); // the user's own step: it stops anyway
      // The instruction may have been a write(2): its bytes come before the step's stop.
      this.pipes.flush();
      // Once the steps of a command are over (not between two of them), out of the SIGTRAP stop.
      this.parkTraps();
    }
  }

  /** Marks the breakpoint under `tid` as consumed: the next resume steps over it first. */
  consumeHit(tid: number): void {
    const t = this.threads.require(tid);
    const pc = this.getRegs(tid).pc;
    if (this.sites.has(pc)) t.consumedHitAt = pc;
  }

  private stepOverConsumedHit(t: Thread): void {
    if (t.consumedHitAt === undefined) return;
    const addr = t.consumedHitAt;
    t.consumedHitAt = undefined;
    if (this.sites.has(addr) && this.getRegs(t.tid).pc === addr) this.steps.stepAt(t, addr);
  }

  // ───────────────────────── threads, registers and memory ─────────────────────────

  threadIds(): number[] {
    return this.threads.ids();
  }

  hasThread(tid: number): boolean {
    return this.threads.has(tid);
  }

  getRegs(tid: number): Registers {
    return cachedRegs(this.threads.require(tid));
  }

  setRegs(tid: number, regs: Registers): void {
    const t = this.threads.require(tid);
    P.setRegs(tid, regs.raw);
    if (regs.fpTouched) P.setFpRegs(tid, regs.fp!);
    t.regs = regs;
    if (t.consumedHitAt !== undefined && t.consumedHitAt !== regs.pc) t.consumedHitAt = undefined;
  }

  /** Reads memory with our int3s (and the displaced-step slot) hidden. Throws MemoryError when unreadable. */
  read(addr: number, len: number): Uint8Array {
    return this.displaced.shadow(addr, this.sites.shadow(addr, this.memory.read(addr, len)));
  }
  /** Reads up to `out.length` bytes with our int3s and slot hidden; returns how many were readable (0 when none). */
  readInto(addr: number, out: Uint8Array): number {
    const n = this.hitStack.readInto(addr, out) ?? this.memory.readInto(addr, out);
    if (n <= 0) return 0;
    this.displaced.shadow(addr, this.sites.shadow(addr, n === out.length ? out : out.subarray(0, n)));
    return n;
  }
  write(addr: number, data: Uint8Array): void {
    this.memory.write(addr, this.sites.patchWrite(addr, data));
  }

  /** `len` bytes at each address, block i at i·len in `out`, unreadable blocks zero (no breakpoint shadowing: for data). */
  readMany(addrs: readonly number[], len: number, out: Uint8Array): void {
    this.memory.readMany(addrs, len, out);
  }

  insertBreakpoint(addr: number): void {
    this.sites.insert(addr);
  }

  removeBreakpoint(addr: number): void {
    this.sites.remove(addr);
  }

  // ───────────────────────── the wait loop and the hit path ─────────────────────────

  /** Drains pending wait statuses (called on SIGCHLD and by the safety timer). */
  poll(): void {
    if (this.polling || this.state === 'exited') return;
    this.polling = true;
    const spin = new waitLoop.HotSpin();
    try {
      for (;;) {
        const next = this.stops.nextPending();
        if (!next) {
          if (spin.again(this.is('running') && this.hotResumes > 0)) continue;
          break;
        }
        const before = this.hotResumes;
        this.onStop(next.tid, this.stops.record(next.tid, next.ev));
        // Once handled: a new thread's stop is handled with a blocking wait for its first stop (ms under load).
        this.lastEventAt = performance.now();
        if (this.is('exited')) break;
        if (this.hotResumes !== before) spin.resumed();
      }
    } finally {
      spin.end();
      this.polling = false;
    }
  }

  /** A recorded stop seen by the wait loop: go on, or stop every thread and say why. */
  private onStop(tid: number, stop: StopEvent): void {
    if (stop.kind === 'gone') return;
    const t = this.threads.get(tid);
    if (!t) return;
    if (this.state !== 'running') {
      // Late stop while everything is stopped (an interrupt absorbed later): keep it stopped.
      this.stops.keepForLater(t, stop);
      return;
    }
    switch (stop.kind) {
      case 'int3':
        this.onHit(t, stop.addr, stop.armed);
        this.hitStack.close();
        return;
      case 'signal':
        this.onSignal(t, stop.signal);
        return;
      case 'watch':
        this.onWatch(t, stop.slots);
        return;
      case 'hardcoded':
        if (this.threadRun.answers(t, stop.addr)) return; // a trap of an abandoned function call
        // The program's own int3 (runtime.Breakpoint): a stop every time, as under Delve.
        // RIP is past it already, so the next resume goes on from there.
        this.stopAllAndReport({ kind: 'hardcoded', tid, addr: stop.addr });
        return;
      case 'trap':
        // A SIGTRAP sent to the thread (kill, tgkill), not raised by an int3: Go's runtime
        // would die of it, so it is not delivered; the thread just goes on.
        continueThread(t);
        return;
      default:
        // A clone (the new thread is traced already), an interrupt we no longer need,
        // a new thread's first stop, a group-stop, an exec: go on.
        continueThread(t);
    }
  }

  /** `t` trapped on our int3 at `addr` while the program runs. */
  private onHit(t: Thread, addr: number, armed: boolean): void {
    const tid = t.tid;
    // Rewind in the register cache only: the resume paths below write the registers
    // anyway, which saves a PTRACE_SETREGS on every hit that does not stop.
    const regs = this.getRegs(tid);
    this.hitStack.open(t, regs, () => this.displaced.loadAt(addr, regs));
    regs.pc = addr;
    const commit = () => P.setRegs(tid, regs.raw);
    if (!armed) {
      commit();
      continueThread(t); // removed meanwhile: re-execute the original instruction
      return;
    }
    let decision: TrapDecision;
    this.examiningTid = tid;
    try {
      decision = this.trapFilter(tid, addr);
    } catch {
      decision = 'stop';
    } finally {
      this.examiningTid = undefined;
    }
    if (decision === 'stop') {
      commit();
      t.consumedHitAt = addr;
      this.stopAllAndReport({ kind: 'breakpoint', tid, addr });
      return;
    }
    // Step over it on this thread alone if we can; else stop everyone first.
    const r = this.displaced.run(tid, addr, regs); // writes the registers unless 'unsupported'
    if (r === 'done') {
      // The instruction run out of line may have been a store into a watched word.
      const fired = this.stops.takeHeldWatch(tid);
      if (fired) return this.onWatch(t, fired);
      this.hotResumes++;
      continueThread(t);
      return;
    }
    if (r === 'exited') return;
    if (typeof r === 'object') {
      // The instruction faulted: deliver (or report) the signal at its real address.
      if (this.signalFilter(tid, r.signal)) this.stopAllAndReport({ kind: 'exception', tid, signal: r.signal });
      else continueThread(t);
      return;
    }
    commit();
    t.consumedHitAt = addr;
    if (this.stopAll()) this.resume();
  }

  /**
   * `t` accessed a watched word while the program runs (it is past the access):
   * report it, or let it go on; no instruction needs stepping over.
   */
  private onWatch(t: Thread, slots: number[]): void {
    const decision = this.decideWatch(t.tid, slots);
    if (!this.is('running')) return;
    if (decision === 'stop') {
      this.stopAllAndReport({ kind: 'watchpoint', tid: t.tid, slots });
      return;
    }
    this.hotResumes++;
    continueThread(t);
  }

  private decideWatch(tid: number, slots: number[]): TrapDecision {
    this.examiningTid = tid;
    try {
      return this.watchFilter(tid, slots);
    } catch {
      return 'stop';
    } finally {
      this.examiningTid = undefined;
    }
  }

  /** `t` stopped with `signal` while the program runs: report it, or pass it on. */
  private onSignal(t: Thread, signal: number): void {
    t.pendingSignal = signal;
    if (this.signalFilter(t.tid, signal)) {
      let faultAddr: number | undefined;
      try {
        faultAddr = P.getSigInfo(t.tid).addr;
      } catch {
        /* not available */
      }
      this.stopAllAndReport({ kind: 'exception', tid: t.tid, signal, faultAddr });
      return;
    }
    // The program's own signal (SIGURG preemption, SIGPIPE, SIGCHLD, SIGPROF, …): pass it on.
    continueThread(t);
  }

  // ───────────────────────── all-stop and the end ─────────────────────────

  /** Interrupts every running thread and waits for each; true when the program is stopped now. */
  private stopAll(): boolean {
    this.hitStack.close(); // the others ran meanwhile: a global read at the hit may have changed
    if (this.stops.stopAll()) this.runState = 'stopped';
    return this.is('stopped');
  }

  private stopAllAndReport(reason: StopReason): void {
    if (this.stopAll()) this.reportStop(reason);
  }

  private assertStopped(op: string): void {
    if (this.state !== 'stopped') throw new Error(`cannot ${op}: the program is ${this.state}`);
  }

  private reportStop(reason: StopReason): void {
    this.sites.recentlyRemoved.clear();
    this.parkTraps();
    // Deliver outside the wait loop so listeners may call back into us freely.
    setImmediate(() => {
      if (this.state !== 'stopped') return;
      // What the program wrote before it stopped is in its pipes, maybe not read yet
      // by the event loop: it goes out first, so `output` comes before `stopped`.
      this.pipes.flush();
      this.emit('stopped', reason);
    });
  }

  /**
   * An attached program stopped for the user is kept safe from our sudden death
   * (SIGKILL): no int3 in memory (Int3Sites.liftAll) and no thread in a SIGTRAP
   * stop (trapParking.ts), either of which would kill it once the kernel lets it run.
   */
  private parkTraps(): void {
    if (this.state !== 'stopped' || this.launched) return;
    try {
      this.sites.liftAll();
    } catch {
      /* the process went away meanwhile: nothing to protect */
    }
    // Parking costs a wait for each parked thread to be scheduled (≈ 0.2 ms per
    // stop under load, measured with the storm test): done once a stop has
    // lasted PARK_AFTER_MS, so a stop continued at once (a storm of hits, the
    // steps of a command) does not pay it. Any stopped moment is a valid one.
    this.parkTimer ??= setTimeout(() => {
      this.parkTimer = undefined;
      if (this.state !== 'stopped') return;
      try {
        parkTrapStops(this.threads, this.stops);
      } catch {
        /* a thread went away meanwhile */
      }
    }, PARK_AFTER_MS);
    this.parkTimer.unref();
  }

  /** The process is gone (or let go): every thread forgotten, `exited` reported once the output is drained. */
  private finish(info: ExitInfo, waitForOutput = true): void {
    if (this.state === 'exited') return;
    this.runState = 'exited';
    this.guardian?.release();
    this.threads.clear();
    this.memory.close();
    waitLoop.unregister(this);
    const emit = () => {
      this.pipes.flush();
      this.emit('exited', info);
    };
    if (waitForOutput) this.pipes.drain(emit);
    else setImmediate(emit);
  }
}
