/**
 * A scripted DebuggeeProcess for unit tests of the debuggee logic: threads
 * with registers, a sparse memory image, int3 bookkeeping, and a script of
 * what the threads do while the program runs ("thread T reaches address A
 * with these registers"). A thread that reaches an address holding an int3
 * traps: the trap filter decides, as with the real engine, whether every
 * thread stops there or the program goes on. Reaching an address without an
 * int3 is only recorded (the thread runs through it).
 */
import { EventEmitter } from 'node:events';
import type { DebuggeeProcess, ProcessEvents, ProcessState, StepResult, StopReason, TrapDecision } from '../../../src/process/process.js';
import { Registers, type RegName } from '../../../src/process/registers.js';

const PAGE = 4096;

/** Register values a script gives; the rest keep their current values. */
export type RegValues = Partial<Record<RegName, number>>;

export type Action =
  /** Thread `tid` reaches `addr` with these registers (rip is set to addr). */
  | { kind: 'reach'; tid: number; addr: number; regs?: RegValues }
  /** The program exits with this code. */
  | { kind: 'exit'; code: number }
  /** Thread `tid` executes an int3 of the program's own at `addr` (runtime.Breakpoint): every thread stops, rip = addr + 1. */
  | { kind: 'programInt3'; tid: number; addr: number };

/** What happened at one scripted `reach`. */
export interface Trap {
  tid: number;
  addr: number;
  /** The trap filter's answer, or 'no int3' when the address held none. */
  decision: TrapDecision | 'no int3';
}

/** A single-step outcome: new registers, a result, or a failure of the step itself. */
export type SingleStep = { regs: RegValues } | { result: StepResult } | { error: Error };

export function makeRegs(values: RegValues): Registers {
  const r = new Registers(new BigUint64Array(27));
  setRegs(r, values);
  return r;
}

function setRegs(r: Registers, values: RegValues): void {
  for (const [name, v] of Object.entries(values)) r.set(name as RegName, BigInt(v));
}

export class FakeProcess extends EventEmitter implements DebuggeeProcess {
  readonly pid: number;
  launched = true;
  state: ProcessState = 'stopped';
  trapFilter?: (tid: number, addr: number) => TrapDecision;
  signalFilter?: (tid: number, signal: number) => boolean;

  private readonly regs = new Map<number, Registers>();
  private readonly pages = new Map<number, Uint8Array>();
  private readonly script: Action[] = [];
  private readonly steps: SingleStep[] = [];
  /** Thread examined by the trap filter (its registers are readable while the others run). */
  private trapping?: number;

  /** Addresses holding an int3 now. */
  readonly int3s = new Set<number>();
  /** Every address an int3 was ever written at, in order. */
  readonly inserted: number[] = [];
  /** Every scripted arrival, with what the trap filter answered. */
  readonly traps: Trap[] = [];
  /** Threads told to step off the int3 they sit on. */
  readonly consumed: number[] = [];
  /** How many times every thread was resumed. */
  resumes = 0;
  /** When set, the next resume() throws `error`, leaving the process in `state` (a resume that failed part-way). */
  failResume?: { error: Error; state: ProcessState };

  constructor(pid = 100) {
    super();
    this.pid = pid;
  }

  // ───────── test set-up ─────────

  addThread(tid: number, values: RegValues): void {
    this.regs.set(tid, makeRegs(values));
  }

  /** Appends to what the program does when resumed (each resume plays on from where the last stop left). */
  does(...actions: Action[]): this {
    this.script.push(...actions);
    return this;
  }

  reach(tid: number, addr: number, regs?: RegValues): this {
    return this.does({ kind: 'reach', tid, addr, regs });
  }

  programInt3(tid: number, addr: number): this {
    return this.does({ kind: 'programInt3', tid, addr });
  }

  exit(code = 0): this {
    return this.does({ kind: 'exit', code });
  }

  /** Queues outcomes of stepInstruction calls. */
  singleSteps(...steps: SingleStep[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Makes [addr, addr+len) readable (zero-filled where not yet written). */
  map(addr: number, len: number): void {
    for (let p = addr - (addr % PAGE); p < addr + len; p += PAGE) if (!this.pages.has(p)) this.pages.set(p, new Uint8Array(PAGE));
  }

  writeWord(addr: number, v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.write(addr, b);
  }

  writeU32(addr: number, v: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    this.write(addr, b);
  }

  /** Actions not played yet. */
  get pending(): number {
    return this.script.length;
  }

  // ───────── DebuggeeProcess ─────────

  override on<K extends keyof ProcessEvents>(event: K, listener: (...args: ProcessEvents[K]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  threadIds(): number[] {
    return [...this.regs.keys()];
  }

  hasThread(tid: number): boolean {
    return this.regs.has(tid);
  }

  getRegs(tid: number): Registers {
    const r = this.regs.get(tid);
    if (!r) throw new Error(`no thread ${tid}`);
    if (this.state !== 'stopped' && tid !== this.trapping) throw new Error(`thread ${tid} is running`);
    return r.clone();
  }

  setRegs(tid: number, regs: Registers): void {
    if (!this.regs.has(tid)) throw new Error(`no thread ${tid}`);
    this.regs.set(tid, regs.clone());
  }

  readInto(addr: number, out: Uint8Array): number {
    let n = 0;
    while (n < out.length) {
      const a = addr + n;
      const page = this.pages.get(a - (a % PAGE));
      if (!page) break;
      const off = a % PAGE;
      const k = Math.min(PAGE - off, out.length - n);
      out.set(page.subarray(off, off + k), n);
      n += k;
    }
    return n;
  }

  read(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    if (this.readInto(addr, out) !== len) throw new Error(`cannot read ${len} bytes at 0x${addr.toString(16)}`);
    return out;
  }

  write(addr: number, data: Uint8Array): void {
    this.map(addr, data.length);
    for (let i = 0; i < data.length; i++) {
      const a = addr + i;
      this.pages.get(a - (a % PAGE))![a % PAGE] = data[i]!;
    }
  }

  insertBreakpoint(addr: number): void {
    if (!this.int3s.has(addr)) this.inserted.push(addr);
    this.int3s.add(addr);
  }

  removeBreakpoint(addr: number): void {
    this.int3s.delete(addr);
  }

  setScratchSlot(): void {}

  resume(): void {
    if (this.state !== 'stopped') throw new Error('resume: the process is not stopped');
    this.resumes++;
    const fail = this.failResume;
    if (fail) {
      this.failResume = undefined;
      this.state = fail.state;
      throw fail.error;
    }
    this.state = 'running';
    setImmediate(() => this.play());
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    setImmediate(() => this.emit('stopped', { kind: 'pause', tid: this.pid } satisfies StopReason));
  }

  stepInstruction(tid: number): StepResult {
    if (this.state !== 'stopped') throw new Error('step: the process is not stopped');
    if (!this.regs.has(tid)) throw new Error(`no thread ${tid}`);
    const s = this.steps.shift();
    if (!s) throw new Error('FakeProcess: no single step scripted');
    if ('error' in s) throw s.error;
    if ('result' in s) return s.result;
    setRegs(this.regs.get(tid)!, s.regs);
    return 'ok';
  }

  consumeHit(tid: number): void {
    this.consumed.push(tid);
  }

  async kill(): Promise<void> {
    this.finish({ signal: 9 });
  }

  detach(): void {
    this.int3s.clear();
    this.state = 'exited';
  }

  // ───────── running ─────────

  /** Plays the script until a stop, the exit, or its end (then the program runs on until paused). */
  private play(): void {
    while (this.state === 'running') {
      const a = this.script.shift();
      if (!a) return;
      if (a.kind === 'exit') return this.finish({ code: a.code });
      const r = this.regs.get(a.tid);
      if (!r) throw new Error(`FakeProcess: no thread ${a.tid}`);
      if (a.kind === 'programInt3') {
        setRegs(r, { rip: a.addr + 1 });
        this.state = 'stopped';
        this.emit('stopped', { kind: 'hardcoded', tid: a.tid, addr: a.addr } satisfies StopReason);
        return;
      }
      setRegs(r, { ...a.regs, rip: a.addr });
      if (!this.int3s.has(a.addr)) {
        this.traps.push({ tid: a.tid, addr: a.addr, decision: 'no int3' });
        continue;
      }
      this.trapping = a.tid;
      let decision: TrapDecision;
      try {
        decision = this.trapFilter?.(a.tid, a.addr) ?? 'stop';
      } finally {
        this.trapping = undefined;
      }
      this.traps.push({ tid: a.tid, addr: a.addr, decision });
      if (decision === 'stop') {
        this.state = 'stopped';
        this.emit('stopped', { kind: 'breakpoint', tid: a.tid, addr: a.addr } satisfies StopReason);
        return;
      }
    }
  }

  private finish(info: { code: number } | { signal: number }): void {
    this.state = 'exited';
    this.int3s.clear();
    setImmediate(() => this.emit('exited', info));
  }
}
