/**
 * The frame a goroutine is named after in the thread list: its topmost frame of
 * user code, else its first library frame. Found by a short walk from where the
 * goroutine runs or is parked; for the many parked goroutines of a thread list, the
 * walks read their words from one small read at the top of each stack.
 *
 * Measured (2 cores, 100,000 goroutines parked in a channel receive, 2 KiB stacks
 * side by side): the kernel's cost of process_vm_readv is per page touched (≈ 1 µs
 * per remote range on its own page, ≈ 0.9 µs per 4 KiB page of a long range), so
 * reading every stack whole in long ranges (200 MB) cost as much as one range per
 * stack top (≈ 100–180 ms either way), and keeping a 512-byte page per goroutine
 * cost 51 MB and the copies. One window per stack, walked at once and dropped, keeps
 * the reads and drops the copies.
 */
import type { MemoryReader } from '../../process/memory.js';
import { type RawFrame, type UnwindFunc, type UnwindOptions, type UnwindTables, unwindStack } from '../../unwind/unwinder.js';
import type { StackMemory } from '../stack/stackMemory.js';

export interface UserFrame {
  /** The function's name. */
  name: string;
  /** A pc in the frame's current line (the call's byte for a caller). */
  at: number;
}

export type CodeKind = 'runtime' | 'library' | 'user';

export interface WalkStart {
  pc: number;
  sp: number;
  bp: number;
}

/** The longest walk to a user frame (a goroutine deep in library code is named after its first library frame). */
const MAX_FRAMES = 48;

/**
 * Bytes read at the top of each parked stack: a goroutine parked in a channel
 * operation, a select, a mutex, a sleep or a network wait holds its runtime frames
 * and the user frame's return address in less (the fallback reads the rest).
 */
export const WINDOW = 512;

/** Goroutines walked per batch: bounds the transient buffer of their windows. */
const BATCH = 4096;

/** The topmost user frame of the walk from `start` (else the first library frame). */
export function topUserFrame(start: WalkStart, tables: UnwindTables, mem: MemoryReader, kindOf: (fn: UnwindFunc) => CodeKind): UserFrame | undefined {
  return walkToUser(start, tables, walkOptions(mem, kindOf), kindOf);
}

function walkOptions(mem: MemoryReader, kindOf: (fn: UnwindFunc) => CodeKind): UnwindOptions {
  return { mem, maxFrames: MAX_FRAMES, until: (f) => !!f.fn && kindOf(f.fn) === 'user' };
}

function walkToUser(start: WalkStart, tables: UnwindTables, opts: UnwindOptions, kindOf: (fn: UnwindFunc) => CodeKind): UserFrame | undefined {
  return userFrameOf(unwindStack(start, tables, opts), kindOf);
}

function userFrameOf(frames: readonly RawFrame[], kindOf: (fn: UnwindFunc) => CodeKind): UserFrame | undefined {
  let library: UserFrame | undefined;
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    if (!f.fn) continue;
    const k = kindOf(f.fn);
    // Above the top frame the pc is a return address: the call is the byte before it.
    const at = i === 0 ? f.pc : f.pc - 1;
    if (k === 'user') return { name: f.fn.name, at };
    if (k === 'library') library ??= { name: f.fn.name, at };
  }
  return library;
}

/** A parked stack to walk: where it resumes and its bounds (a Goroutine is one, unless in a system call). */
export interface ParkedStack extends WalkStart {
  stackLo: number;
  stackHi: number;
}

/**
 * `visit(i, frame)` with topUserFrame of each stack, walked over one window read at
 * the top of it; what a walk reads outside its window comes from `fallback`. The
 * answers are the walks over `fallback` alone: a window holds the process's bytes.
 */
export function topUserFrames(
  stacks: readonly ParkedStack[],
  tables: UnwindTables,
  mem: MemoryReader,
  fallback: StackMemory,
  kindOf: (fn: UnwindFunc) => CodeKind,
  visit: (i: number, frame: UserFrame | undefined) => void,
): void {
  const window = new StackWindow(fallback);
  const opts = walkOptions(window, kindOf);
  const n = Math.min(BATCH, stacks.length);
  const bytes = new Uint8Array(n * WINDOW);
  const bases = new Array<number>(n);
  // Per start pc, the last walk that can answer for other stacks (see Chain).
  const chains = new Map<number, Chain>();
  for (let from = 0; from < stacks.length; from += BATCH) {
    const count = Math.min(BATCH, stacks.length - from);
    for (let k = 0; k < count; k++) bases[k] = windowBase(stacks[from + k]!);
    bases.length = count;
    // Windows of different stacks never touch (a stack is ≥ 2 KiB): one range each, in any order.
    if (mem.readMany) mem.readMany(bases, WINDOW, bytes);
    else
      for (let k = 0; k < count; k++) {
        const block = bytes.subarray(k * WINDOW, (k + 1) * WINDOW);
        block.fill(0, Math.max(0, mem.readInto(bases[k]!, block)));
      }
    for (let k = 0; k < count; k++) {
      const s = stacks[from + k]!;
      window.show(bases[k]!, Math.min(bases[k]! + WINDOW, s.stackHi), bytes, k * WINDOW);
      const known = chains.get(s.pc);
      if (known && holdsChain(known, s.sp, window)) {
        visit(from + k, known.frame);
        continue;
      }
      const frames = unwindStack(s, tables, opts);
      const frame = userFrameOf(frames, kindOf);
      const chain = chainOf(frames, frame, kindOf);
      if (chain) chains.set(s.pc, chain);
      visit(from + k, frame);
    }
  }
}

/**
 * A walk that went from its start to a user frame through Go frames only (each
 * caller found by the pclntab SP delta at its pc): the stack-relative place of
 * each return address it read, the address read there, and the frame it found.
 * Another stack parked at the same pc that holds the same return addresses at
 * the same places is walked the same way: every step of such a walk depends only
 * on the pc (its function, its SP delta, its kind of code) and on the word read
 * at SP + delta, and the saved RBP it also reads is used by no Go frame. So its
 * answer is this one, found with a few word reads and no walk (100,000 goroutines
 * parked in one channel receive share one chain).
 */
interface Chain {
  offsets: number[];
  rets: number[];
  frame: UserFrame;
}

function chainOf(frames: readonly RawFrame[], frame: UserFrame | undefined, kindOf: (fn: UnwindFunc) => CodeKind): Chain | undefined {
  const last = frames[frames.length - 1];
  if (!frame || !last?.fn || kindOf(last.fn) !== 'user') return undefined;
  const sp = frames[0]!.sp;
  const offsets: number[] = [];
  const rets: number[] = [];
  for (let i = 0; i + 1 < frames.length; i++) {
    const f = frames[i]!;
    if (f.via !== 'pcsp' || !f.fn) return undefined;
    offsets.push(f.cfa - 8 - sp);
    rets.push(frames[i + 1]!.pc);
  }
  return { offsets, rets, frame };
}

function holdsChain(c: Chain, sp: number, mem: StackWindow): boolean {
  for (let i = 0; i < c.offsets.length; i++) if (mem.word(sp + c.offsets[i]!) !== c.rets[i]) return false;
  return true;
}

/** Where a stack's window starts: at SP, or lower so that it ends at the stack's top. */
function windowBase(s: ParkedStack): number {
  const sp = s.sp;
  if (!(sp >= s.stackLo && sp < s.stackHi)) return sp;
  return Math.max(s.stackLo, Math.min(sp, s.stackHi - WINDOW));
}

/**
 * Memory that answers from one window of a stack (bytes[at…] holding [base, end)),
 * and from the fallback outside it or when the window read as zeros (a failed read).
 */
class StackWindow implements MemoryReader {
  private base = 0;
  private end = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private at = 0;
  private view: DataView = new DataView(this.bytes.buffer);

  constructor(private readonly fallback: StackMemory) {}

  show(base: number, end: number, bytes: Uint8Array, at: number): void {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.base = base;
    this.at = at;
    let k = at + (end - base) - 1;
    while (k >= at && bytes[k] === 0) k--;
    this.end = k >= at ? end : base;
  }

  /** The same answer as StackMemory.word: undefined when unreadable or not a plausible address. */
  word(addr: number): number | undefined {
    const off = addr - this.base;
    if (off >= 0 && addr + 8 <= this.end) {
      const hi = this.view.getUint32(this.at + off + 4, true);
      return hi >= 0x200000 ? undefined : hi * 0x100000000 + this.view.getUint32(this.at + off, true);
    }
    return this.fallback.word(addr);
  }

  readInto(addr: number, out: Uint8Array): number {
    const off = addr - this.base;
    if (off >= 0 && addr + out.length <= this.end) {
      out.set(this.bytes.subarray(this.at + off, this.at + off + out.length));
      return out.length;
    }
    return this.fallback.readInto(addr, out);
  }
}
