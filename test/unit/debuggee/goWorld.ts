/**
 * A small Go program as the debuggee logic sees it, built by hand over the
 * fakes: a few functions (main.main, a recursive main.fact, main.worker and
 * some runtime ones), a runtime layout, goroutines with their g structs,
 * stacks laid out frame by frame, the runtime's allgs/allm lists, and the OS
 * threads that run them. A Program is started over it with a fake starter.
 */
import { Program, type ProgramOptions, type StopInfo } from '../../../src/debuggee/program.js';
import type { ProcessStarter } from '../../../src/debuggee/processStarter.js';
import type { RuntimeLayout } from '../../../src/debuggee/runtimeLayout.js';
import { FakeProcess } from './fakeProcess.js';
import { FakeSymbols, GOROOT, type FakeFuncSpec } from './fakeSymbols.js';

export const MAIN_GO = '/src/app/main.go';
const PROC_GO = `${GOROOT}/src/runtime/proc.go`;

/** Code addresses (and return addresses of the calls the stacks are made of). */
export const PC = {
  goexit: 0x400000,
  runtimeMain: 0x400100,
  /** In runtime.main, after its call of main.main. */
  runtimeMainRet: 0x400155,
  gopark: 0x400200,
  goparkLine: 0x400240,
  main: 0x401000,
  /** In main.main line 11, after its call of fact(3). */
  mainRet: 0x401028,
  fact: 0x401100,
  factLine21: 0x401110,
  factLine22: 0x401120,
  factLine23: 0x401130,
  /** In fact line 23, after the recursive call fact(n-1). */
  factRet: 0x40113d,
  worker: 0x401200,
  workerLine31: 0x401210,
  workerLine32: 0x401220,
  /** In worker line 32, after its call into the runtime (a channel receive). */
  workerRet: 0x401228,
} as const;

export const FUNCS: FakeFuncSpec[] = [
  { name: 'runtime.goexit', entry: 0x400000, end: 0x400020, file: `${GOROOT}/src/runtime/asm_amd64.s`, lines: [[0x400000, 1700]], frame: 0 },
  {
    name: 'runtime.main',
    entry: 0x400100,
    end: 0x400200,
    file: PROC_GO,
    lines: [
      [0x400100, 145],
      [0x400110, 146],
      [0x400150, 283],
    ],
    frame: 0x40,
  },
  {
    name: 'runtime.gopark',
    entry: 0x400200,
    end: 0x400300,
    file: PROC_GO,
    lines: [
      [0x400200, 400],
      [0x400210, 401],
      [0x400240, 435],
    ],
    frame: 0x30,
  },
  {
    name: 'main.main',
    entry: 0x401000,
    end: 0x401100,
    file: MAIN_GO,
    lines: [
      [0x401000, 9],
      [0x401010, 10],
      [0x401020, 11],
      [0x401030, 12],
      [0x401040, 13],
    ],
    frame: 0x20,
  },
  {
    name: 'main.fact',
    entry: 0x401100,
    end: 0x401200,
    file: MAIN_GO,
    lines: [
      [0x401100, 20],
      [0x401110, 21],
      [0x401120, 22],
      [0x401130, 23],
      [0x401140, 24],
    ],
    frame: 0x18,
  },
  {
    name: 'main.worker',
    entry: 0x401200,
    end: 0x401300,
    file: MAIN_GO,
    lines: [
      [0x401200, 30],
      [0x401210, 31],
      [0x401220, 32],
      [0x401230, 33],
    ],
    frame: 0x28,
  },
];

export const LAYOUT: RuntimeLayout = {
  g: {
    size: 0x100,
    stackLo: 0,
    stackHi: 8,
    panic: 0x20,
    defer: 0x28,
    m: 0x30,
    schedSP: 0x38,
    schedPC: 0x40,
    schedBP: 0x50,
    atomicstatus: 0x90,
    goid: 0x98,
    waitreason: 0xa0,
    gopc: 0xa8,
    startpc: 0xb0,
  },
  m: { size: 0x40, procid: 0, curg: 8, alllink: 0x10, g0: 0x18 },
  defer: { size: 0x30, fn: 8, sp: 0x10, link: 0x18 },
  allgs: 0x600000,
  allm: 0x600010,
};

const ALLGS_ARRAY = 0x600100;
const M_BASE = 0x700000;
const G_BASE = 0x800000;
const STACK_BASE = 0x900000;
const STACK_SIZE = 0x8000;

export interface FrameLayout {
  pc: number;
  sp: number;
  cfa: number;
}

export interface GoroutineSpec {
  id: number;
  /** Program counters of its frames, outermost (runtime.goexit's) first; the last is where it is. */
  chain: number[];
  /** The OS thread running it; none for a parked goroutine (its g.sched says where it resumes). */
  tid?: number;
  /** Runtime status (2 running, 4 waiting, …); default: running on a thread, else waiting. */
  status?: number;
  startPC?: number;
  /** Index into the runtime's wait reasons (shown as "wait reason N": this world has no strings). */
  waitReason?: number;
}

export interface LaidOutGoroutine {
  g: number;
  stackHi: number;
  /** Innermost first. */
  frames: FrameLayout[];
}

export class GoWorld {
  readonly proc = new FakeProcess(100);
  readonly symbols = new FakeSymbols(FUNCS, LAYOUT);
  private readonly gs: number[] = [];
  private readonly ms: { tid: number; g: number }[] = [];

  /** SP of a frame at `pc` whose CFA is `cfa` (pc is where it executes: its own SP delta applies). */
  spAt(cfa: number, pc: number): number {
    return cfa - (this.symbols.spDelta(pc) ?? 0) - 8;
  }

  addGoroutine(spec: GoroutineSpec): LaidOutGoroutine {
    const i = this.gs.length;
    const g = G_BASE + i * 0x1000;
    const lo = STACK_BASE + i * 0x10000;
    const hi = lo + STACK_SIZE;
    const p = this.proc;
    p.map(lo, STACK_SIZE);
    p.map(g, LAYOUT.g.size);
    // Frames from the outermost in: each one's return address sits just below its CFA.
    const frames: FrameLayout[] = [];
    let cfa = hi - 0x20;
    spec.chain.forEach((pc, k) => {
      const top = k === spec.chain.length - 1;
      const delta = this.symbols.spDelta(top ? pc : pc - 1) ?? 0;
      const sp = cfa - delta - 8;
      p.writeWord(cfa - 8, k === 0 ? 0 : spec.chain[k - 1]!);
      frames.unshift({ pc, sp, cfa });
      cfa = sp;
    });
    const L = LAYOUT.g;
    const top = frames[0]!;
    p.writeWord(g + L.stackLo, lo);
    p.writeWord(g + L.stackHi, hi);
    p.writeWord(g + L.goid, spec.id);
    p.writeU32(g + L.atomicstatus, spec.status ?? (spec.tid !== undefined ? 2 : 4));
    p.write(g + L.waitreason, Uint8Array.of(spec.waitReason ?? 0));
    p.writeWord(g + L.startpc, spec.startPC ?? (spec.id === 1 ? PC.runtimeMain : PC.worker));
    if (spec.tid === undefined) {
      p.writeWord(g + L.schedPC, top.pc);
      p.writeWord(g + L.schedSP, top.sp);
    } else {
      p.addThread(spec.tid, { rip: top.pc, rsp: top.sp, r14: g });
      this.ms.push({ tid: spec.tid, g });
    }
    this.gs.push(g);
    this.writeRuntimeLists();
    return { g, stackHi: hi, frames };
  }

  /** An OS thread running no goroutine (at a runtime address, off every goroutine stack). */
  addBareThread(tid: number, pc: number): void {
    this.proc.map(0xa00000, 0x1000);
    this.proc.addThread(tid, { rip: pc, rsp: 0xa00800, r14: 0 });
    this.ms.push({ tid, g: 0 });
    this.writeRuntimeLists();
  }

  private writeRuntimeLists(): void {
    const p = this.proc;
    p.writeWord(LAYOUT.allgs, ALLGS_ARRAY);
    p.writeWord(LAYOUT.allgs + 8, this.gs.length);
    this.gs.forEach((g, i) => p.writeWord(ALLGS_ARRAY + i * 8, g));
    p.writeWord(LAYOUT.allm!, this.ms.length ? M_BASE : 0);
    this.ms.forEach((m, i) => {
      const at = M_BASE + i * 0x100;
      p.map(at, LAYOUT.m.size);
      p.writeWord(at + LAYOUT.m.procid, m.tid);
      p.writeWord(at + LAYOUT.m.curg, m.g);
      p.writeWord(at + LAYOUT.m.alllink, i + 1 < this.ms.length ? at + 0x100 : 0);
    });
  }

  /** A Program bound to the fake process (stopped, as after a launch). */
  async program(options: ProgramOptions = {}): Promise<Running> {
    const proc = this.proc;
    const starter: ProcessStarter = { launch: async () => proc, attach: () => proc, seize: async () => proc };
    const program = new Program(this.symbols, { ...options, starter });
    const r = new Running(program);
    await program.launch({ program: '/src/app/app', args: [], env: {} });
    return r;
  }
}

export type ProgramEvent = { stopped: StopInfo } | { exited: { code?: number; signal?: number } };

/** A Program with everything it emits recorded, and a way to wait for its next stop or exit. */
export class Running {
  readonly events: ProgramEvent[] = [];
  readonly console: string[] = [];
  private waiting?: (e: ProgramEvent) => void;

  constructor(readonly program: Program) {
    program.on('stopped', (s) => this.push({ stopped: s }));
    program.on('exited', (x) => this.push({ exited: x }));
    program.on('output', (stream, text) => {
      if (stream === 'console') this.console.push(text);
    });
  }

  private push(e: ProgramEvent): void {
    this.events.push(e);
    const w = this.waiting;
    this.waiting = undefined;
    w?.(e);
  }

  /** The next stop or exit (fails after 2 s: a command that never ends). */
  next(): Promise<ProgramEvent> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no stopped or exited event within 2 s')), 2000);
      this.waiting = (e) => {
        clearTimeout(t);
        // Let the command that emitted it finish (it is no longer busy after this turn).
        setImmediate(() => resolve(e));
      };
    });
  }

  async stop(): Promise<StopInfo> {
    const e = await this.next();
    if (!('stopped' in e)) throw new Error(`expected a stop, got ${JSON.stringify(e)}`);
    return e.stopped;
  }
}
