/**
 * What a breakpoint hit reads, read once: the top of the hitting thread's stack
 * (a condition reads its locals there), the start of the structure R14 points to
 * (Go keeps the current g there: its stack bounds and goid name the goroutine
 * that hit), and the word the instruction under the int3 loads when it is
 * emulated (`MOVQ main.sink(SB), CX`). All come in one process_vm_readv at the
 * first read of any of them: a system call costs ≈ 2–7 µs on a loaded 2-core
 * machine, and a hit of `i == 9999` on `sink += i` read four times, now once.
 *
 * A thread stopped at an int3 runs Go code (its goroutine is _Grunning), so no
 * other thread writes its stack meanwhile: Go lets no pointer into a running
 * goroutine's stack escape to another, and the runtime moves or writes a stack
 * only of a goroutine parked or suspended at a safe point; a running g's stack
 * bounds and goid change only when it runs. The loaded word may be written by
 * another thread at any time; read at the hit or a few µs later, it is a value it
 * holds while the thread is stopped between its two instructions. The windows
 * hold only while the thread's register cache is the one they were opened with
 * (any run of the thread drops that cache), until we write memory, and until the
 * hit is decided or the others are stopped (a stop shows memory as it is then).
 */
import type { Registers } from '../process/registers.js';
import type { ProcessMemory } from './memory.js';
import type { Thread } from './threadTable.js';

/** Bytes read at SP and at R14: the frame hit (usually), and a g's stack bounds and goid. */
const WINDOW = 512;

export class HitStack {
  private thread?: Thread;
  private regs?: Registers;
  /** (address, length) of each window, in the order read; starts in `bytes` follow the lengths. */
  private readonly ranges: number[] = [];
  /** Bytes read of each window (undefined: not read yet). */
  private readable?: number[];
  private readonly bytes = new Uint8Array(2 * WINDOW + 16);
  /** memory.writes when the windows were opened. */
  private writes = 0;

  constructor(private readonly memory: () => ProcessMemory) {}

  /**
   * The hit of `t` (stopped, with `regs` its register cache) is being decided; `load` tells what
   * its instruction loads. It is asked at the first read only: a hit decided without reading
   * memory (a breakpoint with no condition) decodes no instruction before it stops, and the
   * decoder's first use builds its opcode tables (2.5–8 ms at launch.small's hit on the loaded VM,
   * 19 ms in a profile under load 12), which the stop would wait for.
   */
  open(t: Thread, regs: Registers, load?: () => { addr: number; len: number } | undefined): void {
    this.thread = t;
    this.regs = regs;
    const r = this.ranges;
    r.length = 0;
    r.push(regs.sp, WINDOW);
    if (regs.r14 > 0x1000) r.push(regs.r14, WINDOW);
    this.load = load;
    this.readable = undefined;
    this.writes = this.memory().writes;
  }

  /** What the hit's instruction loads, not asked yet (open). */
  private load?: () => { addr: number; len: number } | undefined;

  /** The decision is made: nothing read for it is used again. */
  close(): void {
    this.thread = undefined;
    this.regs = undefined;
    this.load = undefined;
  }

  /** Fills `out` from a window when [addr, addr + out.length) lies in one; undefined otherwise. */
  readInto(addr: number, out: Uint8Array): number | undefined {
    const t = this.thread;
    if (!t) return undefined;
    const mem = this.memory();
    if (t.running || t.regs !== this.regs || mem.writes !== this.writes) {
      this.close();
      return undefined;
    }
    const r = this.ranges;
    if (this.load) {
      // Asked before the first read, so that its window is read with the others. Asking reads
      // the instruction's bytes through here (code: outside the windows, so not filling them).
      const ask = this.load;
      this.load = undefined;
      let load: { addr: number; len: number } | undefined;
      try {
        load = ask();
      } catch {
        load = undefined; // undecodable: its step decodes (and reports) it again
      }
      if (load && load.len <= 16 && this.readable === undefined && this.thread === t) r.push(load.addr, load.len);
    }
    const n = out.length;
    let start = 0;
    for (let w = 0; w < r.length; w += 2) {
      const off = addr - r[w]!;
      if (off >= 0 && off + n <= r[w + 1]!) {
        this.readable ??= this.fill(mem);
        if (off + n > this.readable[w >> 1]!) return undefined;
        const from = start + off;
        if (n <= 16) for (let i = 0; i < n; i++) out[i] = this.bytes[from + i]!;
        else out.set(this.bytes.subarray(from, from + n));
        return n;
      }
      start += r[w + 1]!;
    }
    return undefined;
  }

  /** Reads every window in one system call; what it could not read is read window by window. */
  private fill(mem: ProcessMemory): number[] {
    const r = this.ranges;
    const got = mem.readRanges(r, this.bytes);
    const readable: number[] = [];
    let start = 0;
    let left = got;
    if (got < 0) {
      // Not read at all (an impossible address): each window alone.
      for (let w = 0; w < r.length; start += r[w + 1]!, w += 2) readable.push(Math.max(0, mem.readInto(r[w]!, this.bytes.subarray(start, start + r[w + 1]!))));
      return readable;
    }
    for (let w = 0; w < r.length; w += 2) {
      const len = r[w + 1]!;
      if (left >= len) readable.push(len);
      else {
        // This window ended the read early (its end, or all of it, unreadable): the later ones alone.
        readable.push(left);
        for (let v = w + 2, s = start + len; v < r.length; s += r[v + 1]!, v += 2) {
          readable.push(Math.max(0, mem.readInto(r[v]!, this.bytes.subarray(s, s + r[v + 1]!))));
        }
        return readable;
      }
      left -= len;
      start += len;
    }
    return readable;
  }
}
