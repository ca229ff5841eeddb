/**
 * A Go program under the debugger: lifecycle (launch, attach, detach, kill),
 * breakpoint hits, execution control, exceptions and per-stop caches. It speaks
 * plain TypeScript to the adapter above and drives src/engine below.
 *
 * Ids: the public API takes and returns *thread ids as the user sees them*:
 * goroutine ids (see goroutineView.ts), or OS thread ids when the binary has no
 * usable DWARF. Internally `tid` always means an OS thread.
 */
import { EventEmitter } from 'node:events';
import type { DebuggeeProcess, StopReason as EngineStop, TrapDecision } from '../process/process.js';
import type { Registers } from '../process/registers.js';
import { isFault, signalName } from '../process/signals.js';
import { BreakpointManager, type UserBreakpoint } from './breakpoints/userBreakpoints.js';
import { describeException, exceptionSites, raisedValue, type ExceptionDetails, type ExceptionKind, type ExceptionSite, type RaisedValue } from './exceptions.js';
import { BARE_THREAD_BASE, GoroutineView, type ThreadEntry } from './goroutines/goroutineView.js';
import { hitConditionHolds } from './breakpoints/hitCondition.js';
import { PathMapper, type SubstitutePathRule } from './pathMap.js';
import { SiteTable } from './breakpoints/siteTable.js';
import type { SourceFrame } from './stack/stack.js';
import { disassembleAround, type DisassembledInstruction } from './disassembly.js';
import { readWord } from '../process/memory.js';
import { planNext, planStepOut, skipOnStepIn, steppedFrame, type StepContext } from './stepping/plans.js';
import { newTarget, nextStops, stepTargetReached, targetAddrs, type StepTarget } from './stepping/stepTarget.js';
import { ptraceStarter, type LaunchSpec, type ProcessStarter } from './processStarter.js';
import type { SymbolTable } from './symbolTable.js';

export type { LaunchSpec } from './processStarter.js';

export type StopKind = 'breakpoint' | 'function breakpoint' | 'instruction breakpoint' | 'step' | 'pause' | 'entry' | 'exception';

export interface StopInfo {
  kind: StopKind;
  threadId: number;
  breakpointIds: number[];
  description?: string;
  text?: string;
}

export interface ProgramEvents {
  stopped: [StopInfo];
  exited: [{ code?: number; signal?: number }];
  output: ['stdout' | 'stderr' | 'console', string];
}

export interface ProgramOptions {
  substitutePath?: SubstitutePathRule[];
  hideSystemGoroutines?: boolean;
  /** Evaluates a breakpoint condition on the hit path (synchronously) for thread id `id`; throws on error. */
  conditionEvaluator?: (expr: string, id: number) => boolean;
  /** Interpolates a logpoint message (synchronously). */
  logFormatter?: (message: string, id: number) => string;
  /** Where processes come from (default: the ptrace engine). */
  starter?: ProcessStarter;
}

interface Hit {
  tid: number;
  addr: number;
  stepHit: boolean;
  bps: UserBreakpoint[];
  exception?: ExceptionSite;
}

type Outcome = { kind: 'stop'; stop: EngineStop; hit?: Hit } | { kind: 'exited' };

export class Program extends EventEmitter<ProgramEvents> {
  readonly sites = new SiteTable();
  readonly paths: PathMapper;
  readonly breakpoints: BreakpointManager;
  readonly view: GoroutineView;
  private inf?: DebuggeeProcess;
  private step?: StepTarget;
  private lastHit?: Hit;
  private waiter?: (o: Outcome) => void;
  private busy = false;
  /** Thread being examined on the hit path while the others run (conditions, logpoints). */
  private trapTid?: number;
  private readonly excSites: ExceptionSite[];
  private excFilters = new Set<ExceptionKind>(['panic', 'fatal']);
  /** Panic values as raised, by goroutine (g pointer); see exceptions.ts. */
  private readonly raised = new Map<number, RaisedValue>();
  /** Details of the exception the program is stopped at. */
  exception?: ExceptionDetails & { threadId: number };
  /** Thread id reported in the last stop. */
  currentThread = 0;
  exited = false;

  constructor(
    readonly symbols: SymbolTable,
    readonly options: ProgramOptions = {},
  ) {
    super();
    this.paths = new PathMapper(options.substitutePath ?? [], (p) => symbols.resolveFile(p));
    this.breakpoints = new BreakpointManager(symbols, this.paths, this.sites);
    this.view = new GoroutineView(symbols, () => this.inf!, options.hideSystemGoroutines ?? false);
    this.excSites = exceptionSites(symbols);
    this.applyExceptionFilters();
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

  async launch(spec: LaunchSpec): Promise<void> {
    this.bind(await this.starter.launch(spec));
  }

  attach(pid: number): void {
    this.bind(this.starter.attach(pid));
  }

  /** Takes over a program started (stopped) by the client in its terminal. */
  async seize(pid: number): Promise<void> {
    this.bind(await this.starter.seize(pid));
  }

  private bind(inf: DebuggeeProcess): void {
    this.inf = inf;
    const slot = this.symbols.scratchSlot();
    if (slot !== undefined) inf.setScratchSlot(slot);
    this.currentThread = inf.pid;
    inf.trapFilter = (tid, addr) => this.onTrap(tid, addr);
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
  }

  /** Starts execution after configuration: runs, or stops at the start of main.main. */
  start(stopOnEntry: boolean): void {
    if (!stopOnEntry) {
      this.runCommand(async () => this.report(await this.resumeAndWait()));
      return;
    }
    const main = this.symbols.funcByName('main.main');
    if (!main || !this.inf?.launched) {
      this.emitStop('entry', this.inf?.pid ?? 0);
      return;
    }
    this.runCommand(async () => {
      const t = newTarget(undefined, 0, this.stackHi);
      t.exact.add(this.symbols.prologueEnd(main));
      const o = await this.runToTarget(t);
      if (o.kind === 'stop' && o.hit?.stepHit) this.emitStop('entry', o.stop.tid);
      else this.report(o);
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
    inf.detach();
  }

  /** Which exception stops are wanted ("Unrecovered panics", "Fatal errors"). */
  setExceptionFilters(kinds: ExceptionKind[]): void {
    this.excFilters = new Set(kinds);
    this.applyExceptionFilters();
  }

  private applyExceptionFilters(): void {
    for (const s of this.excSites) {
      if (this.excFilters.has(s.kind)) this.sites.add(s.addr, s.kind);
      else this.sites.delete(s.addr, s.kind);
    }
  }

  // ───────────────────────── execution control ─────────────────────────

  continue(): void {
    this.runCommand(async () => this.report(await this.resumeAndWait()));
  }

  pause(): void {
    const inf = this.inf;
    if (!inf || inf.state !== 'running') return;
    inf.pause();
  }

  next(id: number): void {
    this.runCommand(async () => this.report(await this.lineStep(id, planNext)));
  }

  stepOut(id: number): void {
    this.runCommand(async () => this.report(await this.lineStep(id, planStepOut)));
  }

  stepIn(id: number): void {
    this.runCommand(async () => this.report(await this.doStepIn(id)));
  }

  /** One machine instruction on the thread of `id` (other threads stay stopped). */
  stepInstruction(id: number): void {
    this.runCommand(async () => {
      const inf = this.requireStopped();
      const tid = this.threadOf(id);
      this.invalidate();
      const r = inf.stepInstruction(tid);
      if (r === 'exited') return;
      if (typeof r === 'object') this.emitStop('exception', tid, [], signalName(r.signal));
      else this.emitStop('step', tid);
    });
  }

  private stepContext(id: number): StepContext & { tid?: number } {
    const inf = this.requireStopped();
    const { tid, g } = this.view.resolve(id);
    const frames = this.view.stack(id);
    let gp = g?.g;
    if (gp === undefined && tid !== undefined) gp = inf.getRegs(tid).r14;
    return { symbols: this.symbols, inf, layout: this.view.layout(), stackHi: this.stackHi, frames, g: gp, tid };
  }

  private async lineStep(id: number, plan: (ctx: StepContext) => StepTarget | undefined): Promise<Outcome> {
    const ctx = this.stepContext(id);
    const t = plan(ctx);
    if (!t) return this.resumeAndWait();
    return this.runToTarget(t, ctx.tid);
  }

  private async doStepIn(id: number): Promise<Outcome> {
    const ctx = this.stepContext(id);
    const inf = ctx.inf;
    const top = ctx.frames[0];
    const fn = top ? this.symbols.funcForPC(top.pc) : undefined;
    // Single-stepping needs a thread in user code; otherwise step over.
    if (ctx.tid === undefined || !top || !fn || top.line === undefined || steppedFrame(ctx.frames) !== 0) {
      return this.lineStep(id, planNext);
    }
    let cur = ctx.tid;
    const g = ctx.g ?? inf.getRegs(cur).r14;
    const hi0 = this.stackHi(g);
    // The stepped frame's CFA, followed across stack moves (see stepping.ts).
    const cfaNow = () => (hi0 === undefined ? top.cfa : (this.stackHi(g) ?? hi0) - (hi0 - top.cfa));
    const startLine = top.line;
    const lineStarts = new Set(nextStops(fn, this.symbols));
    for (let n = 0; n < 5000; n++) {
      this.invalidate();
      const r = inf.stepInstruction(cur);
      if (r === 'exited') return this.resumeAndWait();
      if (typeof r === 'object') return { kind: 'stop', stop: { kind: 'exception', tid: cur, signal: r.signal } };
      const regs = inf.getRegs(cur);
      const pc = regs.pc;
      const f2 = this.symbols.funcForPC(pc);
      if (f2 && pc === f2.entry) {
        // Entered a call: stop after the callee's prologue, or come back from a helper.
        const t = newTarget(g, regs.sp + 8, this.stackHi);
        if (!skipOnStepIn(this.symbols, f2)) {
          t.inFunction.add(this.symbols.prologueEnd(f2));
          return this.runToTarget(t, cur);
        }
        const ret = readWord(inf, regs.sp);
        if (ret === undefined) return this.lineStep(id, planNext);
        t.returnAddr = ret;
        const o = await this.runToTarget(t, cur);
        if (o.kind !== 'stop' || !o.hit?.stepHit) return o;
        cur = o.stop.tid;
        continue;
      }
      if (f2 === fn && lineStarts.has(pc)) {
        const line = this.symbols.lineForPC(pc)?.line;
        const d = this.symbols.spDelta(pc);
        const sameFrame = d !== undefined && regs.sp + d + 8 === cfaNow();
        if (sameFrame && line !== startLine) return this.stepDone(cur);
      }
      if (regs.sp >= cfaNow()) return this.stepDone(cur); // returned to the caller
    }
    return this.lineStep(id, planNext);
  }

  /** g.stack.hi of goroutine `g` (see stepping.ts), read directly from memory. */
  private readonly stackHi = (g: number): number | undefined => {
    const inf = this.inf;
    if (!inf || g < 0x1000) return undefined;
    const v = readWord(inf, g + (this.view.layout()?.g.stackHi ?? 8));
    return v !== undefined && v > 0x1000 ? v : undefined;
  };

  private stepDone(tid: number): Outcome {
    return { kind: 'stop', stop: { kind: 'breakpoint', tid, addr: -1 }, hit: { tid, addr: -1, stepHit: true, bps: [] } };
  }

  /** Inserts a step target's temporary breakpoints, runs until a stop, removes them. */
  private async runToTarget(t: StepTarget, tid?: number): Promise<Outcome> {
    const inf = this.requireStopped();
    for (const a of targetAddrs(t)) this.sites.add(a, 'step');
    this.step = t;
    if (tid !== undefined) inf.consumeHit(tid);
    try {
      return await this.resumeAndWait();
    } finally {
      this.step = undefined;
      this.sites.deleteOwner('step');
    }
  }

  private resumeAndWait(): Promise<Outcome> {
    const inf = this.requireStopped();
    return new Promise<Outcome>((resolve) => {
      this.waiter = (o) => {
        this.waiter = undefined;
        resolve(o);
      };
      this.invalidate();
      this.lastHit = undefined;
      this.exception = undefined;
      inf.resume();
    });
  }

  /** Runs one command at a time; errors become console output, never a dead adapter. */
  private runCommand(fn: () => Promise<void>): void {
    if (this.busy) throw new Error('the program is already running a command');
    this.busy = true;
    fn()
      .catch((e: Error) => this.emit('output', 'console', `internal error: ${e.stack ?? e.message}\n`))
      .finally(() => {
        this.busy = false;
      });
  }

  private report(o: Outcome): void {
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
          this.emitStop(kind, stop.tid, hit.bps.map((b) => b.id));
        } else this.emitStop('step', stop.tid);
        return;
      }
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
      case 'entry':
        this.emitStop('entry', stop.tid);
        return;
    }
  }

  private reportException(tid: number, site: ExceptionSite): void {
    let details: ExceptionDetails;
    try {
      const regs = this.inf!.getRegs(tid);
      details = describeException(
        site,
        regs,
        { symbols: this.symbols, dwarf: this.symbols.dwarf, layout: this.view.layout(), mem: this.inf! },
        this.raised.get(regs.r14),
      );
    } catch (e) {
      details = { id: site.kind === 'panic' ? 'panic' : 'fatal error', description: `(could not read the value: ${(e as Error).message})` };
    }
    const prefix = details.id === 'fatal error' ? 'fatal error' : 'panic';
    // A fatal error raised on the system stack (a deadlock found by the scheduler) has no
    // goroutine: show it on the main goroutine, whose stack says where the program is stuck.
    let id: number | undefined;
    if (this.view.layout() && this.view.idOfThread(tid) >= BARE_THREAD_BASE) id = this.view.mainGoroutineId();
    this.emitStop('exception', tid, [], `${prefix}: ${details.description}`, details, id);
  }

  private emitStop(kind: StopKind, tid: number, breakpointIds: number[] = [], text?: string, details?: ExceptionDetails, as?: number): void {
    let id = tid;
    try {
      id = as ?? this.view.idOfThread(tid);
    } catch {
      /* thread gone: report the OS thread */
    }
    this.currentThread = id;
    if (kind === 'exception') this.exception = { ...(details ?? this.exception ?? { id: 'exception', description: text ?? '' }), threadId: id };
    this.emit('stopped', { kind, threadId: id, breakpointIds, description: text, text });
  }

  /** Prefers a thread that was running user code when paused. */
  private pickPauseThread(): number {
    const inf = this.inf!;
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

  /** A fault in Go code with a goroutine is turned into a panic by the runtime's signal handler. */
  private faultBecomesPanic(tid: number): boolean {
    if (!this.excFilters.has('panic') || !this.view.layout()) return false;
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
    const inf = this.inf!;
    const owners = this.sites.ownersAt(addr);
    if (!owners) return 'continue';
    const regs = inf.getRegs(tid);
    const step = this.step;
    const stepHit = !!step && owners.has('step') && stepTargetReached(step, addr, regs, this.symbols, this.stackHi);
    const sameGoroutine = !step || step.g === undefined || step.g === regs.r14;
    let exception = owners.has('panic') || owners.has('fatal') ? this.excSites.find((s) => s.addr === addr && owners.has(s.kind)) : undefined;
    if (exception?.record) {
      this.raised.set(regs.r14, raisedValue(regs));
      exception = undefined;
    }
    const stopping: UserBreakpoint[] = [];
    const userBps = this.breakpoints.at(addr);
    if (userBps.length) {
      this.trapTid = tid;
      // The thread id as the user sees it (its goroutine), looked up once per hit.
      let id: number | undefined;
      const idOf = () => (id ??= this.view.idOfThread(tid));
      try {
        for (const bp of userBps) {
          if (bp.condition && !this.conditionHolds(bp, idOf)) continue;
          bp.hits++;
          if (bp.hitCondition && !hitConditionHolds(bp.hitCondition, bp.hits)) continue;
          if (bp.logMessage !== undefined) {
            this.emit('output', 'console', this.formatLog(bp.logMessage, idOf) + '\n');
            continue;
          }
          // While a step runs, other goroutines' hits are stepped over silently.
          if (sameGoroutine) stopping.push(bp);
        }
      } finally {
        this.trapTid = undefined;
        if (this.inf!.state === 'running') this.invalidate();
      }
    }
    if (!stepHit && !exception && stopping.length === 0) return 'continue';
    this.lastHit = { tid, addr, stepHit, bps: stopping, exception };
    return 'stop';
  }

  private conditionHolds(bp: UserBreakpoint, idOf: () => number): boolean {
    const ev = this.options.conditionEvaluator;
    if (!ev) return true;
    try {
      return ev(bp.condition!, idOf());
    } catch (e) {
      // A broken condition stops, with the reason shown, rather than being silently ignored.
      this.emit('output', 'console', `breakpoint ${bp.id}: condition "${bp.condition}" failed: ${(e as Error).message}\n`);
      return true;
    }
  }

  private formatLog(message: string, idOf: () => number): string {
    try {
      return this.options.logFormatter ? this.options.logFormatter(message, idOf()) : message;
    } catch (e) {
      return `${message} (error: ${(e as Error).message})`;
    }
  }

  private onEngineStop(r: EngineStop): void {
    this.invalidate();
    const hit = r.kind === 'breakpoint' && this.lastHit?.tid === r.tid ? this.lastHit : undefined;
    this.lastHit = undefined;
    const o: Outcome = { kind: 'stop', stop: r, hit };
    if (this.waiter) this.waiter(o);
    else this.report(o);
  }

  // ───────────────────────── inspection ─────────────────────────

  /** The thread list as the user sees it (goroutines, or OS threads without DWARF). */
  threads(): ThreadEntry[] {
    if (!this.inf || this.inf.state === 'exited') return [];
    this.requireStopped();
    return this.view.threads(this.currentThread);
  }

  /** OS thread ids (running or not). */
  osThreadIds(): number[] {
    return this.inf?.threadIds() ?? [];
  }

  /** The OS thread that runs thread id `id`; throws when it is a parked goroutine. */
  threadOf(id: number): number {
    this.requireInspectable();
    const { tid, g } = this.view.resolve(id);
    if (tid === undefined) throw new Error(g ? `goroutine ${id} is not running on a thread` : `no thread or goroutine ${id}`);
    return tid;
  }

  /** Registers of thread id `id` (frame 0); throws when it is a parked goroutine. */
  registers(id: number): Registers {
    return this.inf!.getRegs(this.threadOf(id));
  }

  /** The frames of a thread id's stack (cached until the program resumes). */
  stackTrace(id: number, maxFrames = 10_000): SourceFrame[] {
    this.requireInspectable();
    return this.view.stack(id, maxFrames);
  }

  /** Writes program memory (setVariable); caches that may hold the old bytes are dropped. */
  write(addr: number, data: Uint8Array): void {
    this.requireStopped().write(addr, data);
    this.invalidate();
  }

  /** Replaces the registers of thread id `id` (setVariable on a register-resident value). */
  setRegisters(id: number, regs: Registers): void {
    this.requireStopped().setRegs(this.threadOf(id), regs);
    this.invalidate();
  }

  /** Instructions around an address (see disassembly.ts). */
  disassemble(addr: number, offset: number, count: number): DisassembledInstruction[] {
    this.requireInspectable();
    const inf = this.inf!;
    return disassembleAround(addr, offset, count, this.symbols, inf);
  }

  read(addr: number, len: number): Uint8Array {
    this.requireInspectable();
    return this.inf!.read(addr, len);
  }
  readInto(addr: number, out: Uint8Array): number {
    this.requireInspectable();
    return this.inf!.readInto(addr, out);
  }

  private invalidate(): void {
    this.view.reset();
  }

  private requireStopped(): DebuggeeProcess {
    const inf = this.inf;
    if (!inf || inf.state === 'exited') throw new Error('the program has exited');
    if (inf.state !== 'stopped') throw new Error('the program is running');
    return inf;
  }

  /** Stopped, or on the hit path of the thread being examined. */
  private requireInspectable(): void {
    if (this.trapTid !== undefined && this.inf?.state === 'running') return;
    this.requireStopped();
  }
}
