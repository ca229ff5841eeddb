/**
 * Threads as Go users see them: goroutines. Maps DAP thread ids (goroutine ids)
 * to OS threads and back, names goroutines after their topmost user frame, and
 * unwinds any goroutine's stack: from its thread's registers when it runs
 * (crossing from the system stack back to the goroutine at systemstack /
 * morestack / mcall), from g.sched when it is parked.
 *
 * Without usable DWARF for the runtime (a stripped binary) it falls back to OS
 * threads: ids are thread ids.
 */
import type { DebuggeeProcess } from '../../process/process.js';
import type { Registers } from '../../process/registers.js';
import type { RawFrame } from '../../unwind/unwinder.js';
import { G_STATUS, readGoroutines, readLabels, threadGoroutines, type Goroutine, WaitReasons } from './goroutines.js';
import type { RuntimeLayout } from '../runtimeLayout.js';
import { symbolize, unwindThread, type SourceFrame } from '../stack/stack.js';
import { type CodeKind, topUserFrame, topUserFrames, type UserFrame } from './topFrames.js';
import { StackMemory } from '../stack/stackMemory.js';
import { readWord } from '../../process/memory.js';
import { crossCgoCallbacks } from './cgoCallback.js';
import { readThreadG } from './threadG.js';
import { type GoroutineFacts, type GoroutineFilter, passes } from './filters.js';
import { userErrors } from '../../util/userErrors.js';
import type { SymbolTable } from '../symbolTable.js';

/** What a function call leaves true of a stop: goroutine id → OS thread found through R14, the goroutines' stack ranges. */
export interface CallKept {
  threads: [number, number][];
  stacks?: readonly (readonly [number, number])[];
}

export interface ThreadEntry {
  id: number;
  name: string;
}

/** DAP ids for OS threads that run no goroutine (never a goroutine id in practice). */
export const BARE_THREAD_BASE = 1_000_000_000;

/**
 * Functions at which a thread's walk on the system stack continues on the goroutine's stack.
 * asmcgocall: a goroutine's call into C (cgocall saved g.sched in entersyscall before it).
 */
const STACK_SWITCH = new Set([
  'runtime.systemstack',
  'runtime.morestack',
  'runtime.mcall',
  'runtime.mstart',
  'runtime.mstart0',
  'runtime.mstart1',
  'runtime.asmcgocall',
]);

interface Table {
  list: Goroutine[];
  byId: Map<number, Goroutine>;
  byTid: Map<number, Goroutine>;
  /** thread → g address from allm (g0 threads map to 0). */
  threadG: Map<number, number>;
}

export class GoroutineView {
  private layoutCache?: RuntimeLayout | null;
  private waitReasons?: WaitReasons;
  private table?: Table;
  private mem?: StackMemory;
  private smallMem?: StackMemory;
  /** Per stop: DAP id → OS thread, for threads we resolved cheaply (hit path, stop events). */
  private readonly quick = new Map<number, number>();
  private readonly stacks = new Map<number, SourceFrame[]>();
  /** Per stop: each goroutine's userFrame (null: none). */
  private readonly userFrames = new Map<Goroutine, UserFrame | null>();
  layoutError?: string;

  constructor(
    private readonly symbols: SymbolTable,
    private readonly inferior: () => DebuggeeProcess,
    private readonly hideSystem: boolean,
    private readonly filters: readonly GoroutineFilter[] = [],
    /** The full name of the test a goroutine runs (test binaries), for its thread name. */
    private readonly testName?: (id: number) => string | undefined,
  ) {}

  /** The runtime layout, or undefined when goroutines cannot be read (threads are shown instead). */
  layout(): RuntimeLayout | undefined {
    if (this.layoutCache === undefined) {
      try {
        this.layoutCache = this.symbols.runtimeLayout();
      } catch (e) {
        this.layoutError = (e as Error).message;
        this.layoutCache = null;
      }
    }
    return this.layoutCache ?? undefined;
  }

  /** Forgets everything read from the process (call on every resume). */
  reset(): void {
    this.table = undefined;
    this.mem = undefined;
    this.smallMem = undefined;
    this.quick.clear();
    this.scanned = false;
    this.stackRangeList = undefined;
    this.stacks.clear();
    this.userFrames.clear();
  }

  private memory(): StackMemory {
    // Up to 16 pages a read: a deep stack's walk reads upwards page after page.
    this.mem ??= new StackMemory(this.inferior(), 4096, 16);
    return this.mem;
  }

  /** The DAP id for an OS thread that is stopped. */
  idOfThread(tid: number): number {
    const L = this.layout();
    if (!L) return tid;
    const fast = this.fastGoid(tid, L);
    if (fast !== undefined) {
      this.quick.set(fast, tid);
      return fast;
    }
    const g = this.tableNow().byTid.get(tid);
    return g ? g.id : BARE_THREAD_BASE + tid;
  }

  /**
   * The goroutine a thread runs, read from R14 when the thread is in Go code on
   * that goroutine's own stack (no table needed: this is the hit path).
   */
  private fastGoid(tid: number, L: RuntimeLayout): number | undefined {
    const inf = this.inferior();
    let regs: Registers;
    try {
      regs = inf.getRegs(tid);
    } catch {
      return undefined;
    }
    if (!this.symbols.funcForPC(regs.pc)) return undefined;
    const g = readThreadG(inf, L, regs.r14);
    return g && regs.sp >= g.stackLo && regs.sp < g.stackHi ? g.id : undefined;
  }
  /** Whether every traced thread's R14 was read at this stop (threadRunning). */
  private scanned = false;

  /**
   * The OS thread that runs goroutine `id` in Go code on its own stack, found
   * through R14 (a thread resolved at this stop, else every traced thread read
   * once: a few µs each): never the goroutine table.
   */
  threadRunning(id: number): number | undefined {
    const L = this.layout();
    if (!L || id >= BARE_THREAD_BASE) return undefined;
    const known = this.quick.get(id);
    if (known !== undefined || this.scanned) return known;
    this.scanned = true;
    for (const tid of this.inferior().threadIds()) {
      const goid = this.fastGoid(tid, L);
      if (goid !== undefined) this.quick.set(goid, tid);
    }
    return this.quick.get(id);
  }

  /** What a function call leaves true of this stop (see keepAcrossCall). */
  beforeCall(): CallKept {
    return { threads: [...this.quick], stacks: this.stackRangeList };
  }

  /**
   * After the reset that follows a call: takes back each goroutine found
   * through R14 that R14 still confirms (a call leaves its goroutine on its
   * thread: debugCallWrap locks it to its M), so the next call or frame
   * needs no goroutine table; and the stack ranges of the goroutines of the
   * stop, which a call's argument must not point into. A call moves no
   * stack of the goroutine it ran on (it is parked at an async safe point,
   * where the runtime does not shrink stacks); a stack that another parked
   * goroutine's GC shrink moved, or a new goroutine's, is one no value of
   * the stop can point into (Go keeps pointers to a stack in that stack).
   */
  keepAcrossCall(kept: CallKept): void {
    const L = this.layout();
    if (!L) return;
    for (const [id, tid] of kept.threads) if (this.fastGoid(tid, L) === id) this.quick.set(id, tid);
    this.stackRangeList = kept.stacks;
  }

  /** The stack ranges [lo, hi) of the goroutines of this stop (kept across calls: keepAcrossCall). */
  stackRanges(): readonly (readonly [number, number])[] {
    this.stackRangeList ??= this.tableNow().list.map((g) => [g.stackLo, g.stackHi] as const);
    return this.stackRangeList;
  }
  private stackRangeList?: readonly (readonly [number, number])[];

  /** What a DAP id designates: an OS thread, a goroutine, or both. */
  resolve(id: number): { tid?: number; g?: Goroutine; onOwnStack?: boolean } {
    const L = this.layout();
    if (!L) return this.inferior().hasThread(id) ? { tid: id } : {};
    if (id >= BARE_THREAD_BASE) return { tid: id - BARE_THREAD_BASE };
    const q = this.table ? this.quick.get(id) : this.threadRunning(id);
    // Found through R14 with SP inside the goroutine's stack: no table needed.
    if (q !== undefined && !this.table) return { tid: q, onOwnStack: true };
    const g = this.tableNow().byId.get(id);
    if (g) return { tid: g.tid ?? q, g };
    return q !== undefined ? { tid: q } : {};
  }

  /** The goroutine table of this stop (read once per stop). */
  tableNow(): Table {
    if (this.table) return this.table;
    const L = this.layout();
    const inf = this.inferior();
    if (!L) {
      this.table = { list: [], byId: new Map(), byTid: new Map(), threadG: new Map() };
      return this.table;
    }
    const reasons = (this.waitReasons ??= new WaitReasons(L));
    const threadG = threadGoroutines(inf, L);
    // Only threads we trace count (allm can list Ms whose thread has exited).
    for (const tid of [...threadG.keys()]) if (!inf.hasThread(tid)) threadG.delete(tid);
    const list = readGoroutines(inf, L, (i) => reasons.at(inf, i), threadG);
    const byTid = new Map<number, Goroutine>();
    for (const g of list) if (g.tid !== undefined) byTid.set(g.tid, g);
    let byId: Map<number, Goroutine> | undefined;
    this.table = {
      list,
      // By id only when asked: the thread list itself needs no index of 100,000 goroutines.
      get byId() {
        if (!byId) {
          byId = new Map();
          for (const g of list) byId.set(g.id, g);
        }
        return byId;
      },
      byTid,
      threadG,
    };
    return this.table;
  }

  /** The main goroutine (the one running runtime.main), else the first user goroutine. */
  mainGoroutineId(): number | undefined {
    const t = this.tableNow();
    const main = t.list.find((g) => this.startName(g.startPC) === 'runtime.main');
    return (main ?? t.list.find((g) => !this.isSystem(g)))?.id;
  }

  /** Whether a goroutine was started by the runtime for itself (a verdict per start PC: asked of every goroutine of a list). */
  isSystem(g: Goroutine): boolean {
    let system = this.systemStart.get(g.startPC);
    if (system === undefined) {
      const name = this.startName(g.startPC);
      system = name !== null && name !== 'runtime.main' && this.symbols.isRuntimeFunc(name);
      this.systemStart.set(g.startPC, system);
    }
    return system;
  }
  private readonly systemStart = new Map<number, boolean>();

  /** The name of the function at a goroutine's start PC, or null (cached by start PC: a few distinct ones per program). */
  private startName(startPC: number): string | null {
    let name = this.startNames.get(startPC);
    if (name === undefined) {
      name = this.symbols.funcForPC(startPC)?.name ?? null;
      this.startNames.set(startPC, name);
    }
    return name;
  }
  private readonly startNames = new Map<number, string | null>();

  /** The DAP thread list: every goroutine (system ones hidden on request), then bare threads that stopped. */
  threads(current?: number): ThreadEntry[] {
    const L = this.layout();
    const inf = this.inferior();
    if (!L) return inf.threadIds().map((tid) => ({ id: tid, name: `Thread ${tid}` }));
    const t = this.tableNow();
    const out: ThreadEntry[] = [];
    const shown = t.list.filter(
      (g) => g.id === current || (!(this.hideSystem && this.isSystem(g)) && (this.filters.length === 0 || passes(this.filters, this.facts(g)))),
    );
    const tops = this.userFramesOf(shown);
    for (let i = 0; i < shown.length; i++) out.push({ id: shown[i]!.id, name: this.name(shown[i]!, tops[i]) });
    if (current !== undefined && current >= BARE_THREAD_BASE) out.push({ id: current, name: `Thread ${current - BARE_THREAD_BASE}` });
    return out;
  }

  /** What goroutineFilters may ask of `g`, each read only when asked. */
  private facts(g: Goroutine): GoroutineFacts {
    const at = (pc: number | undefined) => {
      if (!pc) return undefined;
      const line = this.symbols.lineForPC(pc);
      return { file: line?.file, line: line?.line, fn: this.symbols.funcForPC(pc)?.name };
    };
    return {
      running: g.tid !== undefined,
      user: () => !this.isSystem(g),
      labels: () => {
        const L = this.layout();
        return L && g.labels ? readLabels(this.inferior(), L, g.labels) : [];
      },
      location: (kind) => {
        if (kind === 'startloc') return at(g.startPC);
        // goPC is the return address of the go statement's call into the runtime.
        if (kind === 'goloc') return at(g.goPC ? g.goPC - 1 : undefined);
        if (kind === 'curloc') return at(this.startOf(g)?.pc);
        return at(this.userFrame(g)?.at);
      },
    };
  }

  private name(g: Goroutine, top: UserFrame | undefined): string {
    const loc = this.userLocation(g, top);
    let s = `Goroutine ${g.id} ${loc}`;
    // Goroutines that run tests are started by the testing package (go tRunner(t, fn)).
    const test = this.testName && this.startsInTesting(g.startPC) ? this.testName(g.id) : undefined;
    if (test) s = `${test}: ${s}`;
    if (g.waitReason) s += ` [${g.waitReason}]`;
    else if (g.status === 3) s += ' [syscall]';
    else if (g.status === 1) s += ' [runnable]';
    if (g.tid !== undefined) s += ` (thread ${g.tid})`;
    if (!g.labels) return s;
    const L = this.layout();
    const labels = L ? readLabels(this.inferior(), L, g.labels) : [];
    if (labels.length) s += ` {${labels.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
    return s;
  }

  /** The start function is the testing package's. */
  private startsInTesting(startPC: number): boolean {
    return !!this.startName(startPC)?.startsWith('testing.');
  }

  private readonly codeKind = new Map<number, CodeKind>();
  private readonly kind = (fn: { name: string; entry: number }) => this.kindOf(fn);

  /** Where a function's code comes from (cached by entry). */
  private kindOf(fn: { name: string; entry: number }): CodeKind {
    let k = this.codeKind.get(fn.entry);
    if (!k) {
      k = this.symbols.isRuntimeFunc(fn.name) ? 'runtime' : this.symbols.isLibraryFile(this.symbols.lineForPC(fn.entry)?.file) ? 'library' : 'user';
      this.codeKind.set(fn.entry, k);
    }
    return k;
  }

  /** Where a goroutine is named after: its userFrame `top`, else its start function. */
  private userLocation(g: Goroutine, top: UserFrame | undefined): string {
    if (top) return top.name;
    const fn = this.symbols.funcForPC(g.startPC);
    return fn ? fn.name : '?';
  }

  /** Where `g` runs now: its thread's registers when on its own stack, else its saved context. */
  private startOf(g: Goroutine): { pc: number; sp: number; bp: number } | undefined {
    const inf = this.inferior();
    if (g.tid !== undefined && inf.hasThread(g.tid)) {
      const r = inf.getRegs(g.tid);
      if (r.sp >= g.stackLo && r.sp < g.stackHi) return { pc: r.pc, sp: r.sp, bp: r.bp };
      return g.sp ? { pc: g.pc, sp: g.sp, bp: g.bp } : undefined;
    }
    return g.sp ? savedContext(g) : undefined;
  }

  /** The topmost user frame (else the first non-runtime one): its function and a pc in its current line (cached per stop). */
  private userFrame(g: Goroutine): UserFrame | undefined {
    const known = this.userFrames.get(g);
    if (known !== undefined) return known ?? undefined;
    const start = this.startOf(g);
    this.smallMem ??= new StackMemory(this.inferior(), 512);
    const f = start ? topUserFrame(start, this.symbols, this.smallMem, this.kind) : undefined;
    this.userFrames.set(g, f ?? null);
    return f;
  }

  /** userFrame of each of `gs` (walked at once, over one read at the top of each parked stack, for those not known yet). */
  private userFramesOf(gs: readonly Goroutine[]): (UserFrame | undefined)[] {
    const out = new Array<UserFrame | undefined>(gs.length);
    const parked: number[] = [];
    for (let i = 0; i < gs.length; i++) {
      const g = gs[i]!;
      const known = this.userFrames.get(g);
      if (known !== undefined) out[i] = known ?? undefined;
      else if (g.tid === undefined && g.sp) parked.push(i);
      else out[i] = this.userFrame(g);
    }
    this.smallMem ??= new StackMemory(this.inferior(), 512);
    // A goroutine is its own ParkedStack (pc, sp, bp from g.sched), unless it waits in a system call.
    const stacks = parked.map((i) => {
      const g = gs[i]!;
      return g.status === G_STATUS.syscall && g.syscallSP ? { ...savedContext(g), stackLo: g.stackLo, stackHi: g.stackHi } : g;
    });
    topUserFrames(stacks, this.symbols, this.inferior(), this.smallMem, this.kind, (k, f) => {
      out[parked[k]!] = f;
    });
    return out;
  }

  /** Source frames of a goroutine or thread (cached per stop). */
  stack(id: number, maxFrames = 10_000): SourceFrame[] {
    const cached = this.stacks.get(id);
    if (cached && (cached.length < maxFrames || maxFrames >= 10_000)) return cached.slice(0, maxFrames);
    const { tid, g, onOwnStack } = this.resolve(id);
    const inf = this.inferior();
    const mem = this.memory();
    let frames: RawFrame[];
    if (tid !== undefined && inf.hasThread(tid)) {
      const regs = inf.getRegs(tid);
      frames = unwindThread({ pc: regs.pc, sp: regs.sp, bp: regs.bp }, this.symbols, mem, maxFrames);
      if (!onOwnStack) frames = this.crossToGoroutine(frames, tid, g, maxFrames);
      const gAddr = g?.g ?? (onOwnStack ? regs.r14 : this.tableNow().byTid.get(tid)?.g);
      frames = crossCgoCallbacks(frames, () => this.g0SchedSP(gAddr), this.symbols, mem, maxFrames);
    } else if (g) {
      const parked = savedContext(g);
      frames = parked.sp ? unwindThread(parked, this.symbols, mem, maxFrames) : [];
    } else {
      throw userErrors.noThread(id);
    }
    const out = symbolize(frames, this.symbols);
    if (maxFrames >= 10_000) this.stacks.set(id, out);
    return out;
  }

  /**
   * A thread running on the system stack (g0) ends its walk at a stack switch;
   * the goroutine it works for continues from its saved context.
   */
  private crossToGoroutine(frames: ReturnType<typeof unwindThread>, tid: number, g: Goroutine | undefined, max: number) {
    if (!this.layout() || frames.length === 0 || frames.length >= max) return frames;
    const cur = g ?? this.tableNow().byTid.get(tid);
    const top = frames[0]!;
    if (cur && top.sp >= cur.stackLo && top.sp < cur.stackHi) return frames; // on the goroutine's own stack
    if (!cur?.sp) return this.onSystemStack(tid, top.sp) ? this.truncateAtSwitch(frames) : frames;
    const k = frames.findIndex((f) => f.fn && STACK_SWITCH.has(f.fn.name));
    if (k < 0) return frames;
    const head = frames.slice(0, k + 1);
    const rest = unwindThread({ pc: cur.pc, sp: cur.sp, bp: cur.bp }, this.symbols, this.memory(), max - head.length);
    return [...head, ...rest];
  }

  /** g.m.g0.sched.sp of the goroutine at gAddr: where the C frames of a cgo callback begin. */
  private g0SchedSP(gAddr: number | undefined): number | undefined {
    const L = this.layout();
    if (!L || !gAddr) return undefined;
    const mem = this.memory();
    const m = readWord(mem, gAddr + L.g.m);
    const g0 = m ? readWord(mem, m + L.m.g0) : undefined;
    return g0 ? readWord(mem, g0 + L.g.schedSP) : undefined;
  }

  /** Whether sp is outside every goroutine stack we know (the g0 or signal stack of an M). */
  private onSystemStack(tid: number, sp: number): boolean {
    const g = this.tableNow().threadG.get(tid);
    return g === 0 || !this.tableNow().list.some((x) => sp >= x.stackLo && sp < x.stackHi);
  }

  /** On the system stack, nothing above a stack switch is a real caller (mcall never returns). */
  private truncateAtSwitch(frames: ReturnType<typeof unwindThread>): ReturnType<typeof unwindThread> {
    const k = frames.findIndex((f) => f.fn && STACK_SWITCH.has(f.fn.name));
    return k >= 0 ? frames.slice(0, k + 1) : frames;
  }
}

/** Where a goroutine not on a thread resumes: g.sched, or the syscall entry for one in a system call. */
function savedContext(g: Goroutine): { pc: number; sp: number; bp: number } {
  return g.status === 3 && g.syscallSP ? { pc: g.syscallPC ?? g.pc, sp: g.syscallSP, bp: g.bp } : { pc: g.pc, sp: g.sp, bp: g.bp };
}
