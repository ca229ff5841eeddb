/**
 * Stack unwinding on amd64 Go code.
 *
 * Frame 0 comes from the registers. For a Go function the pclntab SP delta at the
 * PC gives the exact frame size: the return address sits at SP + delta and the
 * caller's SP is SP + delta + 8, whatever the state of the prologue or epilogue.
 * RBP is only tracked so that frames without Go tables (C, VDSO) can be walked
 * through the frame-pointer chain: a Go function has saved the caller's RBP just
 * below its return address only where its delta is > 0 (after `PUSHQ BP`, before
 * `POPQ BP`); frameless leaf functions and prologues never touch it.
 *
 * Code outside every Go function is walked by its call frame information when
 * the tables have some (`callFrameRulesAt`: the C functions of a cgo program,
 * described by gcc's .eh_frame), else by the frame-pointer chain.
 */
import type { UnwindRules } from '../dwarf/frame.js';
import { type MemoryReader, readWord } from '../process/memory.js';
import { callFrameStep } from './callFrameStep.js';

/** What the unwinder needs to know about code. */
export interface UnwindTables {
  /** The Go function containing pc, if any. */
  funcForPC(pc: number): UnwindFunc | undefined;
  /** Frame size at pc (pcsp value), undefined when unknown. */
  spDelta(pc: number): number | undefined;
  /** DWARF call frame rules at pc (e.g. from .eh_frame), for code without Go tables; optional. */
  callFrameRulesAt?(pc: number): UnwindRules | undefined;
}

export interface UnwindFunc {
  name: string;
  entry: number;
  end: number;
}

export interface RawFrame {
  /** For frame 0 the current PC, for callers the return address. */
  pc: number;
  /** SP of this frame (at pc). */
  sp: number;
  /** RBP as it is in this frame, when known. */
  bp: number;
  /** The caller's SP (= this frame's canonical frame address). */
  cfa: number;
  fn?: UnwindFunc;
  /**
   * True when pc is the instruction being executed (frame 0, or the frame that
   * faulted into runtime.sigpanic), false when it is a return address (look up
   * pc - 1 for the call's line).
   */
  exact: boolean;
  /** How this frame's caller was found: Go's SP delta, call frame information, the frame-pointer chain, or not at all. */
  via: 'pcsp' | 'cfi' | 'fp' | 'end';
}

/** Functions at which a goroutine's stack ends. */
const OUTERMOST = new Set(['runtime.goexit', 'runtime.mstart', 'runtime.mstart0', 'runtime.rt0_go', 'runtime.mstart1']);

export interface UnwindOptions {
  maxFrames?: number;
  /** Ends the walk after the frame for which this returns true (that frame included). */
  until?: (frame: RawFrame) => boolean;
  /** The stopped thread's memory (a page cache over it, for deep stacks; one with a `word(addr)` method answers word reads). */
  mem: MemoryReader;
}

/** What the tables say at one lookup PC: its Go function and the SP delta there, and what its name means to a walk. */
interface CodeFacts {
  fn: UnwindFunc | undefined;
  delta: number | undefined;
  /** A goroutine's stack ends at this function (OUTERMOST). */
  outermost: boolean;
  /** runtime.sigpanic: its caller's "return address" is the faulting instruction itself. */
  sigpanic: boolean;
}

/**
 * Per tables, the facts of PCs already looked up: both are pure functions of the PC,
 * and walks repeat PCs (a recursion, thousands of goroutines parked at one place).
 */
const factsByTables = new WeakMap<UnwindTables, Map<number, CodeFacts>>();
const MAX_FACTS = 200_000;

function factsOf(tables: UnwindTables): Map<number, CodeFacts> {
  let known = factsByTables.get(tables);
  if (!known) factsByTables.set(tables, (known = new Map()));
  return known;
}

function codeFacts(tables: UnwindTables, known: Map<number, CodeFacts>, lookup: number): CodeFacts {
  let f = known.get(lookup);
  if (!f) {
    const fn = tables.funcForPC(lookup);
    f = { fn, delta: fn ? tables.spDelta(lookup) : undefined, outermost: !!fn && OUTERMOST.has(fn.name), sigpanic: fn?.name === 'runtime.sigpanic' };
    if (known.size >= MAX_FACTS) known.clear();
    known.set(lookup, f);
  }
  return f;
}

/**
 * A reader that answers word reads itself, as readWord would (debuggee/stack/stackMemory.ts,
 * the thread list's stack windows); a page cache also lends out its pages as words.
 */
interface WordReader {
  word(addr: number): number | undefined;
  readonly pageSize?: number;
  pageWords?(base: number): Uint32Array | null;
}

/**
 * readWord over `mem`, through its own word() when it has one. Over a page
 * cache, an aligned word on the page of the last one is read in place: the
 * first walk of a stop runs in V8's interpreter, where a word through the
 * cache's word() cost four calls (a bound function, the method, two DataView reads).
 */
function wordReader(mem: MemoryReader): (addr: number) => number | undefined {
  const own = mem as Partial<WordReader>;
  if (!own.word) return (addr) => readWord(mem, addr);
  const cached = own.word.bind(mem);
  const pages = pageSource(mem);
  if (!pages) return cached;
  const size = pages.pageSize!;
  let base = -1;
  let words: Uint32Array | null = null;
  return (addr) => {
    const off = addr % size;
    if (addr - off !== base && addr > 0 && (off & 7) === 0) {
      words = pages.pageWords!(addr - off);
      base = words ? addr - off : -1;
    }
    if (addr - off !== base || (off & 7) !== 0) return cached(addr);
    const hi = words![(off >>> 2) + 1]!;
    return hi >= 0x200000 ? undefined : hi * 0x100000000 + words![off >>> 2]!;
  };
}

/** The page cache `mem` is, when it lends out its pages as words (debuggee/stack/stackMemory.ts). */
function pageSource(mem: MemoryReader): WordReader | undefined {
  const pages = mem as Partial<WordReader>;
  return pages.word && pages.pageWords && pages.pageSize ? (pages as WordReader) : undefined;
}

/**
 * Walks the stack from (pc, sp, bp). Returns the frames outermost last; stops at
 * runtime.goexit/mstart, at an unreadable or implausible return address, or at maxFrames.
 */
export function unwindStack(start: { pc: number; sp: number; bp: number }, tables: UnwindTables, opts: UnwindOptions): RawFrame[] {
  const max = opts.maxFrames ?? 10_000;
  const word = wordReader(opts.mem);
  const until = opts.until;
  const frames: RawFrame[] = [];
  const known = factsOf(tables);
  let { pc, sp, bp } = start;
  let exact = true;
  // A recursion looks up the same PC frame after frame: the last answer is kept at hand.
  let lastLookup = -1;
  let facts: CodeFacts | undefined;
  // Over a page cache, the page of the last pcsp frame's words (see above); -1: none.
  const pages = pageSource(opts.mem);
  const size = pages?.pageSize ?? 0;
  let base = -1;
  let words: Uint32Array | null = null;
  for (let i = 0; i < max; i++) {
    // For a return address, look up the call instruction (pc - 1): the return may be the next function's first byte.
    const lookup = exact ? pc : pc - 1;
    if (lookup !== lastLookup || !facts) {
      facts = codeFacts(tables, known, lookup);
      lastLookup = lookup;
    }
    const { fn, delta } = facts;
    let ret: number | undefined;
    let callerSP: number;
    let callerBP: number | undefined;
    let via: RawFrame['via'];
    if (fn && delta !== undefined && delta >= 0) {
      // The return address at sp + delta, the caller's RBP below it: both read in place when they lie
      // on the page of the last ones (a deep stack's walk reads upwards through a page).
      const a = sp + delta;
      let off = a - base;
      if (pages && (off < 8 || off >= size) && (a & 7) === 0 && a > 0) {
        base = a - (a % size);
        words = pages.pageWords!(base);
        if (!words) base = -1;
        off = a - base;
      }
      if (words !== null && off >= 8 && off < size && (a & 7) === 0) {
        const w = off >>> 2;
        let hi = words[w + 1]!;
        ret = hi >= 0x200000 ? undefined : hi * 0x100000000 + words[w]!;
        if (delta > 0) {
          hi = words[w - 1]!;
          callerBP = hi >= 0x200000 ? undefined : hi * 0x100000000 + words[w - 2]!;
        } else callerBP = bp;
      } else {
        ret = word(a);
        callerBP = delta > 0 ? word(a - 8) : bp;
      }
      callerSP = a + 8;
      via = 'pcsp';
    } else {
      const rules = fn ? undefined : tables.callFrameRulesAt?.(lookup);
      const step = rules && callFrameStep(rules, sp, bp, word);
      if (step?.kind === 'outermost') {
        frames.push({ pc, sp, bp, cfa: step.cfa, fn, exact, via: 'end' });
        break;
      }
      if (step) {
        ret = step.ret;
        callerSP = step.cfa;
        callerBP = step.bp;
        via = 'cfi';
      } else {
        // No Go tables and no call frame information: follow the frame-pointer chain.
        if (bp === 0 || bp < sp) {
          frames.push({ pc, sp, bp, cfa: sp, fn, exact, via: 'end' });
          break;
        }
        ret = word(bp + 8);
        callerSP = bp + 16;
        callerBP = word(bp);
        via = 'fp';
      }
    }
    const frame: RawFrame = { pc, sp, bp, cfa: callerSP, fn, exact, via };
    frames.push(frame);
    if (until?.(frame)) break;
    if (facts.outermost) {
      frame.via = 'end';
      break;
    }
    if (ret === undefined || ret < 0x1000 || callerSP <= sp) {
      frame.via = 'end';
      break;
    }
    pc = ret;
    sp = callerSP;
    bp = callerBP ?? 0;
    // A fault makes the signal handler fake a call to runtime.sigpanic from the faulting
    // instruction: that "return address" is the faulting instruction itself.
    exact = facts.sigpanic;
  }
  return frames;
}
