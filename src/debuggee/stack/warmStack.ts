/**
 * A stack walk over synthetic memory and the program's own tables, for
 * warming the stackTrace path (the unwinder, the pclntab function, SP delta
 * and line lookups, symbolize) while the program starts. V8 runs a function
 * in its interpreter until it has been called often: measured on
 * testdata/benchrecurse (Go 1.26, 1,003 frames, 2 loaded cores), the first
 * walk took 3.7 ms to unwind and 2.7 ms to symbolize, the seventh 0.9 and
 * 0.9, the three hundredth 0.3 and 0.1.
 *
 * The stack is made of return addresses inside functions every Go program
 * has (main.main, runtime.main, …) and ends at runtime.goexit, as a
 * goroutine's does; its bytes live in a buffer no reader but its own
 * answers, so nothing is read from the program. The walk goes through
 * tables of its own (an object whose prototype is the program's symbols),
 * so the unwinder's facts cache of the real walks never holds what it
 * looked up: the symbols may still be relocated when a position-independent
 * program's process exists.
 */
import type { MemoryReader } from '../../process/memory.js';
import { unwindStack, type RawFrame, type UnwindTables } from '../../unwind/unwinder.js';
import type { SymbolTable } from '../symbolTable.js';
import { type SourceFrame, symbolize } from './stack.js';
import { StackMemory } from './stackMemory.js';

/** Functions whose return addresses make the synthetic stack, the deepest caller last (any the binary lacks are left out). */
const CALLERS = ['runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv1', 'main.main', 'runtime.main'];
/** Where the synthetic stack lives (a page boundary in the range where Go puts goroutine stacks). */
const BASE = 0xc000100000;
/** Consecutive frames at one return address. */
const RUN = 8;
/** Bytes of a function's code searched for the PC where its frame is fully set up. */
const PROLOGUE_SCAN = 128;

/** A return address: `pc - 1` is in a function whose frame there is `delta` bytes. */
interface Site {
  pc: number;
  delta: number;
}

/** A PC in fn's body after its prologue (the largest frame among its first bytes), as the address after a call there. */
function siteIn(tables: SymbolTable, name: string): Site | undefined {
  const fn = tables.funcByName(name);
  if (!fn) return undefined;
  let best: Site | undefined;
  for (let pc = fn.entry; pc < Math.min(fn.end, fn.entry + PROLOGUE_SCAN); pc++) {
    const d = tables.spDelta(pc);
    if (d !== undefined && d > 0 && (!best || d > best.delta)) best = { pc: pc + 1, delta: d };
  }
  return best;
}

/** Synthetic bytes at [base, base + bytes.length); nothing elsewhere. */
function bufferMemory(base: number, bytes: Uint8Array): MemoryReader {
  return {
    readInto(addr: number, out: Uint8Array): number {
      const off = addr - base;
      if (off < 0 || off >= bytes.length) return 0;
      const n = Math.min(out.length, bytes.length - off);
      out.set(bytes.subarray(off, off + n));
      return n;
    },
  };
}

export interface WarmStack {
  /**
   * Unwinds the synthetic stack (fresh memory each time, as each stop has);
   * with `until`, as the thread list's walks to a goroutine's first user frame do.
   */
  unwind(until?: (frame: RawFrame) => boolean): RawFrame[];
  /** Symbolizes frames as a stackTrace does. */
  symbolize(raw: RawFrame[]): SourceFrame[];
}

/**
 * Makes the synthetic stack one lookup per step: each is a by-name search of
 * the function table, measured on cmd/compile (Go 1.26, 2 cores) at 0.2–6 ms
 * cold and 22 ms for the six, which as one turn of the event loop held back a
 * stop that arrived meanwhile.
 */
export class WarmStackBuilder {
  private readonly tables: SymbolTable & UnwindTables;
  private readonly sites: Site[] = [];
  private looked = 0;
  private goexit?: { entry: number } | null;

  constructor(
    symbols: SymbolTable,
    private readonly depth: number,
  ) {
    // Tables of its own (see the module comment): the real walks' facts cache never sees these lookups.
    this.tables = Object.create(symbols) as SymbolTable & UnwindTables;
  }

  /** Does the next lookup; true once all are done (then stack() makes the stack). */
  step(): boolean {
    if (this.looked < CALLERS.length) {
      const s = siteIn(this.tables, CALLERS[this.looked++]!);
      if (s) this.sites.push(s);
      return false;
    }
    this.goexit ??= this.tables.funcByName('runtime.goexit') ?? null;
    return true;
  }

  /** The stack, or undefined when the binary lacks the functions it is made of (or a lookup is still to do). */
  stack(): WarmStack | undefined {
    const { sites, goexit, tables, depth } = this;
    if (sites.length < 2 || !goexit) return undefined;
    // Frame 0 is the first caller's body; then the callers in turn, each RUN frames at one PC as a
    // recursion is (a walk's first look at a PC and its repeats both run); the outermost is
    // runtime.goexit (its return address: entry + 1).
    const chain: Site[] = [];
    for (let i = 0; i < depth - 1; i++) chain.push(sites[Math.floor(i / RUN) % sites.length]!);
    const size = chain.reduce((n, s) => n + s.delta + 8, 0) + 64;
    const bytes = new Uint8Array(size + (4096 - (size % 4096)));
    const view = new DataView(bytes.buffer);
    const put = (off: number, v: number) => view.setBigUint64(off, BigInt(v), true);
    let sp = 0;
    for (let i = 0; i < chain.length; i++) {
      const s = chain[i]!;
      const next = chain[i + 1]?.pc ?? goexit.entry + 1;
      // Where the frame keeps its caller's RBP, and its return address.
      put(sp + s.delta - 8, BASE + sp + s.delta + 8 + (chain[i + 1]?.delta ?? 8) - 8);
      put(sp + s.delta, next);
      sp += s.delta + 8;
    }
    const top = chain[0]!;
    const start = { pc: top.pc - 1, sp: BASE, bp: BASE + top.delta - 8 };
    return {
      unwind: (until) => {
        // Options shaped as the real walks' (a stackTrace passes no `until` at all).
        const mem = new StackMemory(bufferMemory(BASE, bytes));
        const maxFrames = depth + 8;
        return unwindStack(start, tables, until ? { mem, maxFrames, until } : { mem, maxFrames });
      },
      symbolize: (raw) => symbolize(raw, tables),
    };
  }
}

/**
 * A synthetic stack of about `depth` frames over `symbols`'s tables, or
 * undefined when the binary lacks the functions it is made of.
 */
export function warmStack(symbols: SymbolTable, depth: number): WarmStack | undefined {
  const b = new WarmStackBuilder(symbols, depth);
  while (!b.step());
  return b.stack();
}
