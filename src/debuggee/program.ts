/**
 * A Go program under the debugger: lifecycle (launch, attach, detach, kill),
 * execution control, how stops are reported, and per-stop caches. It speaks
 * plain TypeScript to the adapter above and drives a process only through the
 * DebuggeeProcess seam (src/process/process.ts) below; processStarter.ts
 * says where processes come from. The step commands are in stepping/, the
 * breakpoint-hit path in hitPath.ts, exception stops in exceptionStops.ts.
 *
 * Ids: the public API takes and returns *thread ids as the user sees them*:
 * goroutine ids (see goroutineView.ts), or OS thread ids when the binary has no
 * usable DWARF. Internally `tid` always means an OS thread.
 */
import type { DebuggeeProcess, ExitInfo, StopReason as EngineStop, TrapDecision } from '../process/process.js';
import { isFault } from '../process/signals.js';
import { UserError, userErrors } from '../util/userErrors.js';
import { DataBreakpoints, type WatchTarget } from './breakpoints/dataBreakpoints.js';
import { SiteTable } from './breakpoints/siteTable.js';
import { StackWatches, watchHome } from './breakpoints/stackWatches.js';
import { BreakpointManager } from './breakpoints/userBreakpoints.js';
import { ExceptionStops } from './exceptionStops.js';
import type { ExceptionDetails, ExceptionKind } from './exceptions.js';
import type { GoroutineFilter } from './goroutines/filters.js';
import { TestNames } from './testNames.js';
import type { PanicCondition } from './panicCondition.js';
import { GoroutineView, type ThreadEntry } from './goroutines/goroutineView.js';
import { examineHit, hardcodedHit, type HitPath } from './hitPath.js';
import type { Hit, Outcome } from './outcome.js';
import { PathMapper, type SubstitutePathRule } from './pathMap.js';
import { ptraceStarter, type LaunchSpec, type ProcessStarter } from './processStarter.js';
import { ProgramAccess } from './programAccess.js';
import { StopReporter, type StopInfo } from './stopReport.js';
import { stepInstruction } from './stepping/instruction.js';
import { next } from './stepping/next.js';
import type { StepContext } from './stepping/stepContext.js';
import { type ReturnedFrom, returnedTo, returnWatch } from './inspect/returnValues.js';
import type { StepHost } from './stepping/stepHost.js';
import { stepIn } from './stepping/stepIn.js';
import { stepOut } from './stepping/stepOut.js';
import { type GotoTarget, gotoRefusal, gotoTargets, moveThread } from './stepping/goto.js';
import { listStepInTargets, type StepInTarget, stepIntoTarget } from './stepping/stepInTargets.js';
import { sourceLine } from './sourceColumns.js';
import { newTarget, stackHiReader, targetAddrs, type StackHi, type StepTarget } from './stepping/stepTarget.js';
import type { SymbolTable } from './symbolTable.js';
import { FunctionCalls } from './calls/functionCalls.js';
import type { Value } from '../values/value.js';
import { ValueReader } from '../values/valueReader.js';

export type { LaunchSpec } from './processStarter.js';

export type { StopInfo, StopKind } from './stopReport.js';

export interface ProgramEvents {
  stopped: [StopInfo];
  exited: [ExitInfo];
  output: ['stdout' | 'stderr' | 'console', string];
}

export interface ProgramOptions {
  substitutePath?: SubstitutePathRule[];
  hideSystemGoroutines?: boolean;
  /** Which goroutines the thread list shows (see goroutines/filters.ts). */
  goroutineFilters?: GoroutineFilter[];
  /** Steps end only in the user's code (stepping/stepContext.ts, userCode.ts); default true. */
  justMyCode?: boolean;
  /** Evaluates a breakpoint condition on the hit path (synchronously) for thread id `id`; throws on error. */
  conditionEvaluator?: (expr: string, id: number) => boolean;
  /** Interpolates a logpoint message (synchronously). */
  logFormatter?: (message: string, id: number) => string;
  /** Where processes come from (default: the ptrace engine). */
  starter?: ProcessStarter;
}

export class Program extends ProgramAccess {
  readonly sites = new SiteTable();
  readonly paths: PathMapper;
  readonly breakpoints: BreakpointManager;
  readonly view: GoroutineView;
  private step?: StepTarget;
  private lastHit?: Hit;
  private waiter?: (o: Outcome) => void;
  private busy = false;
  private readonly exceptions: ExceptionStops;
  exited = false;
  private readonly stops: StopReporter;
  /** g.stack.hi of a goroutine, read from memory (see stepTarget.ts). */
  private readonly stackHi: StackHi;
  /** What the step commands use of this program (see stepping/stepHost.ts). */
  private readonly host: StepHost;
  private readonly hitPath: HitPath;
  /** The function the last step returned from, until the program runs again (see inspect/returnValues.ts). */
  returned?: ReturnedFrom;
  /** A core file's one stop. */
  private coreStop?: EngineStop;
  /** The user's data breakpoints (hardware watchpoints). */
  readonly dataBreakpoints: DataBreakpoints;
  private readonly stackWatches: StackWatches;
  /** What the last watchpoint hit decided (on the hit path), for the stop that follows. */
  private lastWatch?: { tid: number; ids: number[]; description: string };
  /** Function calls in expressions (calls/functionCalls.ts). */
  readonly calls: FunctionCalls;

  constructor(
    readonly symbols: SymbolTable,
    readonly options: ProgramOptions = {},
  ) {
    super();
    this.paths = new PathMapper(options.substitutePath ?? [], (p) => symbols.resolveFile(p));
    this.breakpoints = new BreakpointManager(symbols, this.paths, this.sites, (a) => this.instructionStart(a));
    const tests = new TestNames(this);
    this.view = new GoroutineView(
      symbols,
      () => this.inf!,
      options.hideSystemGoroutines ?? false,
      options.goroutineFilters,
      (id) => tests.of(id),
    );
    this.exceptions = new ExceptionStops(symbols, this.sites, () => this.inf);
    this.stops = new StopReporter(
      symbols,
      this.view,
      this.exceptions,
      () => this.inf!,
      (stop) => this.emit('stopped', stop),
    );
    this.stackHi = stackHiReader(
      () => this.inf,
      () => this.view.layout(),
    );
    this.hitPath = {
      symbols,
      stackHi: this.stackHi,
      sites: this.sites,
      breakpoints: this.breakpoints,
      exceptions: this.exceptions,
      hooks: {
        conditionEvaluator: options.conditionEvaluator,
        logFormatter: options.logFormatter,
        console: (text) => this.emit('output', 'console', text),
      },
      step: () => this.step,
      regs: (tid) => this.inf!.getRegs(tid),
      idOfThread: (tid) => this.view.idOfThread(tid),
      examining: (tid, fn) => {
        this.trapTid = tid;
        try {
          return fn();
        } finally {
          this.trapTid = undefined;
          if (this.inf!.state === 'running') this.invalidate();
        }
      },
    };
    this.dataBreakpoints = new DataBreakpoints({
      process: () => this.inf,
      reader: () => {
        if (!symbols.dwarf) throw userErrors.noDebugInfo();
        return new ValueReader({
          mem: this,
          dwarf: symbols.dwarf,
          funcName: (pc) => symbols.funcForPC(pc)?.name,
          funcEntry: (name) => symbols.funcByName(name)?.entry,
        });
      },
      hooks: this.hitPath.hooks,
      idOfThread: (tid) => this.view.idOfThread(tid),
      examining: (tid, fn) => this.hitPath.examining(tid, fn),
    });
    this.stackWatches = new StackWatches(this.dataBreakpoints, { sites: this.sites, symbols, stackHi: this.stackHi, mem: () => this.inf });
    this.hitPath.watchSite = (addr, regs) => this.stackWatches.onSite(addr, regs);
    const afterCall = () => {
      this.invalidate();
      this.dataBreakpoints.refresh();
    };
    this.calls = new FunctionCalls({
      process: () => this.inf,
      symbols,
      view: this.view,
      invalidate: afterCall,
      note: (t) => this.emit('output', 'console', t),
    });
    this.host = {
      symbols,
      stackHi: this.stackHi,
      context: (id) => this.stepContext(id),
      runToTarget: (t, tid) => this.runToTarget(t, tid),
      resumeAndWait: () => this.resumeAndWait(),
      invalidate: () => this.invalidate(),
      note: (text) => this.emit('output', 'console', text),
    };
  }

  /** Details of the exception the program is stopped at. */
  get exception(): (ExceptionDetails & { threadId: number }) | undefined {
    return this.stops.exception;
  }
  set exception(e: (ExceptionDetails & { threadId: number }) | undefined) {
    this.stops.exception = e;
  }
  /** Thread id reported in the last stop. */
  get currentThread(): number {
    return this.stops.currentThread;
  }
  set currentThread(id: number) {
    this.stops.currentThread = id;
  }

  private get starter(): ProcessStarter {
    return this.options.starter ?? ptraceStarter;
  }

  get pid(): number | undefined {
    return this.inf?.pid;
  }
  get launched(): boolean {
    return this.inf?.launched ?? false;
  }
  get running(): boolean {
    return this.inf?.state === 'running';
  }

  // ───────────────────────── lifecycle ─────────────────────────

  async launch(spec: LaunchSpec, started?: Promise<DebuggeeProcess>): Promise<void> {
    this.bind(await (started ?? this.starter.launch(spec)));
  }

  attach(pid: number): void {
    this.bind(this.starter.attach(pid));
  }

  /** Takes over a program started (stopped) by the client in its terminal. */
  async seize(pid: number): Promise<void> {
    this.bind(await this.starter.seize(pid));
  }

  /** A core file of this program: stopped for good where it was when the core was made (reported by start). */
  openCore(core: string, binary: string): void {
    const opened = this.starter.openCore?.(core, binary);
    if (!opened) throw userErrors.unsupported('Opening a core file');
    this.bind(opened.process);
    this.coreStop = opened.stop;
  }

  /**
   * Runs `fn` on the stopped process while every command that would resume it
   * answers busy: a core dump reads all of memory over many turns of the event loop.
   */
  async holdStopped<T>(fn: (process: DebuggeeProcess) => Promise<T>): Promise<T> {
    if (this.busy) throw userErrors.busy();
    const inf = this.requireStopped();
    this.busy = true;
    try {
      return await fn(inf);
    } finally {
      this.busy = false;
    }
  }

  /** Why this program can never run (a core file), or undefined. */
  get cannotRun(): string | undefined {
    return this.inf?.cannotRun;
  }

  private bind(inf: DebuggeeProcess): void {
    this.inf = inf;
    // A position-independent binary's addresses are known only now (exec stop, attach).
    // Only then: reading /proc/PID/auxv costs ~0.1-0.4 ms.
    const entry = this.symbols.positionIndependent && this.symbols.relocate ? inf.entryAddress?.() : undefined;
    if (entry !== undefined) {
      this.symbols.relocate!(entry);
      this.exceptions.relocate(this.symbols);
    }
    const slot = this.symbols.scratchSlot();
    if (slot !== undefined) inf.setScratchSlot(slot);
    this.currentThread = inf.pid;
    inf.trapFilter = (tid, addr) => this.onTrap(tid, addr);
    inf.watchFilter = (tid, slots) => this.onWatch(tid, slots);
    // Faults in Go code become panics in the program (stopped as such when unrecovered);
    // faults elsewhere (C code, the runtime's own crashes) stop right away.
    inf.signalFilter = (tid, sig) => isFault(sig) && !this.faultBecomesPanic(tid);
    inf.on('output', (stream, text) => this.emit('output', stream, text));
    inf.on('stopped', (r) => this.onEngineStop(r));
    inf.on('exited', (info) => {
      this.exited = true;
      this.waiter?.({ kind: 'exited' });
      this.emit('exited', info);
    });
    this.sites.bind(inf);
    this.calls.bind(inf);
  }

  /** Starts execution after configuration: runs, or stops at the start of main.main. */
  start(stopOnEntry: boolean): void {
    if (this.coreStop) {
      this.stops.report({ kind: 'stop', stop: this.coreStop });
      return;
    }
    if (!stopOnEntry) {
      this.runCommand('start', undefined, () => this.resumeAndWait());
      return;
    }
    const main = this.symbols.funcByName('main.main');
    if (!main || !this.inf?.launched) {
      this.stops.emitStop('entry', this.inf?.pid ?? 0);
      return;
    }
    this.runCommand('start', undefined, async () => {
      const t = newTarget(undefined, 0, this.stackHi);
      t.exact.add(this.symbols.prologueEnd(main));
      const o = await this.runToTarget(t);
      // Reaching main.main is the entry stop.
      return o.kind === 'stop' && o.hit?.stepHit ? { kind: 'stop', stop: { kind: 'entry', tid: o.stop.tid } } : o;
    });
  }

  async terminate(): Promise<void> {
    const inf = this.inf;
    if (!inf || inf.state === 'exited') return;
    this.step = undefined;
    if (inf.launched) await inf.kill();
    else this.detach();
  }

  detach(): void {
    const inf = this.inf;
    if (!inf || inf.state === 'exited') return;
    this.step = undefined;
    this.calls.beforeDetach(inf);
    inf.detach();
  }

  /** Which exception stops are wanted ("Unrecovered panics", "Fatal errors"), and the panic filter's condition. */
  setExceptionFilters(kinds: ExceptionKind[], panicCondition?: PanicCondition): void {
    this.exceptions.setFilters(kinds, panicCondition);
  }

  // ───────────────────────── execution control ─────────────────────────
  //
  // continue / next / stepIn / stepOut / stepInstruction / start answer at once
  // (or throw a UserError the adapter turns into the error response) and end
  // later in a `stopped` event, or the program's exit. A failure after the
  // answer ends in a stop too: see commandFailed.

  continue(): void {
    this.runCommand('continue', undefined, () => this.resumeAndWait());
  }

  pause(): void {
    const inf = this.inf;
    if (inf?.state !== 'running') return;
    inf.pause();
  }

  next(id: number): void {
    const from = returnWatch(this.view, id);
    this.runCommand('step over', id, async () => this.noteReturn(from, await next(this.host, id)));
  }

  stepOut(id: number): void {
    const from = returnWatch(this.view, id);
    this.runCommand('step out', id, async () => this.noteReturn(from, await stepOut(this.host, id)));
  }

  /** Keeps what a step returned from when it stopped where that frame returns to (inspect/returnValues.ts). */
  private noteReturn(from: ReturnedFrom | undefined, o: Outcome): Outcome {
    if (o.kind === 'stop' && this.inf && returnedTo(this.inf, this.view, from, o.stop.tid)) this.returned = from;
    return o;
  }

  stepIn(id: number): void {
    this.runCommand('step in', id, () => stepIn(this.host, id));
  }

  /** The calls of the line goroutine `id` is stopped on, in the order they run (see stepping/stepInTargets.ts). */
  stepInTargets(id: number): StepInTarget[] {
    return listStepInTargets(this.host, id, (f, l) => sourceLine(this.paths.toClient(f), l));
  }

  /** Runs goroutine `id` into the call at `callPC` of its line (one of stepInTargets). */
  stepInTarget(id: number, callPC: number): void {
    if (this.busy) throw userErrors.busy();
    if (!this.stepInTargets(id).some((t) => t.pc === callPC)) throw userErrors.unknownStepInTarget(callPC);
    this.runCommand('step into target', id, () => stepIntoTarget(this.host, id, callPC));
  }

  /** Where goroutine `id` may jump to on `line` of the client's file (see stepping/goto.ts). */
  gotoTargets(id: number, clientPath: string, line: number): GotoTarget[] {
    const file = this.paths.toBinary(clientPath);
    const top = this.stackTrace(id)[0];
    if (!file || !top) throw userErrors.gotoRefused(`${clientPath} has no code in the program being debugged`);
    return gotoTargets(this.symbols, top, file, line);
  }

  /** Moves goroutine `id`'s thread to `pc` (a goto target); `reportGoto` then emits its stop. */
  goto(id: number, pc: number): void {
    if (this.busy) throw userErrors.busy();
    const tid = this.threadOf(id);
    const top = this.stackTrace(id)[0];
    const why = top ? gotoRefusal(this.symbols, top, pc) : 'it has no frame';
    if (why) throw userErrors.gotoRefused(why);
    moveThread(this.requireStopped(), tid, pc);
    this.invalidate();
  }

  /** The `stopped` event of a goto (after its response). */
  reportGoto(id: number): void {
    this.stops.emitStop('goto', this.threadOf(id), [], undefined, undefined, id);
  }

  /** One machine instruction on the thread of `id` (other threads stay stopped). */
  stepInstruction(id: number): void {
    if (this.busy) throw userErrors.busy();
    const tid = this.threadOf(id);
    this.runCommand('instruction step', id, async () => {
      this.invalidate();
      return stepInstruction(this.requireStopped(), tid);
    });
  }

  private stepContext(id: number): StepContext {
    const inf = this.requireStopped();
    const { tid, g } = this.view.resolve(id);
    const frames = this.view.stack(id);
    let gp = g?.g;
    if (gp === undefined && tid !== undefined) gp = inf.getRegs(tid).r14;
    const justMyCode = this.options.justMyCode ?? true;
    return { symbols: this.symbols, inf, layout: this.view.layout(), stackHi: this.stackHi, frames, g: gp, tid, justMyCode };
  }

  /** Inserts a step target's temporary breakpoints, runs until a stop, removes them. */
  private async runToTarget(t: StepTarget, tid?: number): Promise<Outcome> {
    const inf = this.requireStopped();
    for (const a of targetAddrs(t)) this.sites.add(a, 'step');
    this.step = t;
    try {
      if (tid !== undefined) inf.consumeHit(tid);
      return await this.resumeAndWait();
    } finally {
      this.step = undefined;
      this.sites.deleteOwner('step');
    }
  }

  private resumeAndWait(): Promise<Outcome> {
    const inf = this.requireStopped();
    const done = new Promise<Outcome>((resolve) => {
      this.waiter = (o) => {
        this.waiter = undefined;
        resolve(o);
      };
    });
    this.invalidate();
    this.lastHit = undefined;
    this.exception = undefined;
    try {
      inf.resume();
    } catch (e) {
      this.waiter = undefined;
      throw e;
    }
    return done;
  }

  /**
   * Runs one resume-type command at a time. What the user can get wrong (a
   * command in flight, the program running or gone, an unknown thread id) is
   * thrown before anything runs; what fails later is reported by commandFailed.
   */
  private runCommand(what: string, id: number | undefined, fn: () => Promise<Outcome>): void {
    this.returned = undefined;
    if (this.inf?.cannotRun) throw userErrors.cannotRun(this.inf.cannotRun);
    if (this.busy) throw userErrors.busy();
    this.requireStopped();
    if (id !== undefined && !this.idKnown(id)) throw userErrors.noThread(id);
    this.busy = true;
    void (async () => {
      try {
        this.stops.report(await fn());
      } catch (e) {
        await this.commandFailed(what, id, e);
      } finally {
        this.busy = false;
      }
    })();
  }

  /**
   * A command failed after its answer: the console says why, and unless the
   * program has exited the editor gets a `stopped` event saying what failed
   * (pausing the program first if it runs), so it never shows "running" forever.
   */
  private async commandFailed(what: string, id: number | undefined, e: unknown): Promise<void> {
    const err = e instanceof Error ? e : new Error(String(e));
    const text = `${what} failed: ${err.message}`;
    this.waiter = undefined;
    this.step = undefined;
    this.sites.deleteOwner('step');
    // The stop comes after the command's answer, even when the command failed before its first wait.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      this.emit('output', 'console', `${e instanceof UserError ? text : `${what} failed: ${err.stack ?? err.message}`}\n`);
      const inf = this.inf;
      if (!inf || this.exited || inf.state === 'exited') return;
      if (inf.state === 'running') {
        const o = await new Promise<Outcome>((resolve) => {
          this.waiter = (out) => {
            this.waiter = undefined;
            resolve(out);
          };
          inf.pause();
        });
        if (o.kind === 'exited') return;
      }
      const as = id !== undefined && this.idKnown(id) ? id : undefined;
      this.stops.emitStop('pause', as === undefined ? this.stops.pickPauseThread() : inf.pid, [], text, undefined, as);
    } catch (e2) {
      this.emit('output', 'console', `${what} failed and could not be reported as a stop: ${(e2 as Error).message}\n`);
    }
  }

  /** Whether thread id `id` designates a thread or goroutine of this stop. */
  private idKnown(id: number): boolean {
    try {
      const r = this.view.resolve(id);
      return r.tid !== undefined || r.g !== undefined;
    } catch {
      return false;
    }
  }

  /** A fault in Go code with a goroutine is turned into a panic by the runtime's signal handler. */
  private faultBecomesPanic(tid: number): boolean {
    if (!this.exceptions.wants('panic') || !this.view.layout()) return false;
    try {
      const regs = this.inf!.getRegs(tid);
      const fn = this.symbols.funcForPC(regs.pc);
      return !!fn && !this.symbols.isRuntimeFunc(fn.name);
    } catch {
      return false;
    }
  }

  // ───────────────────────── breakpoint hits (synchronous) ─────────────────────────

  private onTrap(tid: number, addr: number): TrapDecision {
    this.lastHit = examineHit(this.hitPath, tid, addr);
    return this.lastHit ? 'stop' : 'continue';
  }

  /** Hardware watchpoints fired on `tid`: the data breakpoints decide (breakpoints/dataBreakpoints.ts). */
  private onWatch(tid: number, slots: number[]): TrapDecision {
    const d = this.dataBreakpoints.examine(tid, slots);
    this.lastWatch = d ? { tid, ...d } : undefined;
    return d ? 'stop' : 'continue';
  }

  /**
   * What data breakpoint `v` (found as `expr` in thread id `id`) would watch:
   * a variable in the goroutine's stack is followed as its stack moves and
   * ends when its frame returns (breakpoints/stackWatches.ts).
   */
  watchTarget(expr: string, v: Value, id: number): WatchTarget | { error: string } {
    return this.dataBreakpoints.target(expr, v, watchHome(this, this.requireStopped(), v, id));
  }

  private onEngineStop(r: EngineStop): void {
    this.invalidate();
    let hit = r.kind === 'breakpoint' && this.lastHit?.tid === r.tid ? this.lastHit : undefined;
    this.lastHit = undefined;
    if (r.kind === 'watchpoint') {
      const w = this.lastWatch?.tid === r.tid ? this.lastWatch : undefined;
      hit = { tid: r.tid, addr: -1, stepHit: false, bps: [], data: w && { ids: w.ids, description: w.description } };
    }
    this.lastWatch = undefined;
    if (r.kind === 'hardcoded') {
      hit = hardcodedHit(this.inf!, this.symbols, r.tid, r.addr);
      this.invalidate();
    }
    const o: Outcome = { kind: 'stop', stop: r, hit };
    if (this.waiter) this.waiter(o);
    else this.stops.report(o);
  }

  // ───────────────────────── inspection ─────────────────────────

  /** The thread list as the user sees it (goroutines, or OS threads without DWARF). */
  threads(): ThreadEntry[] {
    if (!this.inf || this.inf.state === 'exited') return [];
    this.requireStopped();
    return this.view.threads(this.currentThread);
  }

  /** Writes program memory (setVariable); caches that may hold the old bytes are dropped. */
  write(addr: number, data: Uint8Array): void {
    this.requireStopped().write(addr, data);
    this.invalidate();
    this.dataBreakpoints.refresh();
  }
}
