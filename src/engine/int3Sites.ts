/**
 * Software breakpoints: an int3 (0xCC) written over the first byte of an
 * instruction, the original byte kept so it can be restored, stepped over and
 * hidden from memory reads.
 */
import type { ProcessMemory } from './memory.js';

const INT3 = 0xcc;

export class Int3Sites {
  /** addr → original byte. */
  private readonly orig = new Map<number, number>();
  /** Lowest and highest site address (recomputed after a removal when next needed): reads of data skip the scan. */
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private boundsStale = false;
  /** Sites removed since the last full stop: a trap already raised there is still ours. */
  readonly recentlyRemoved = new Set<number>();
  /** Told every original byte under an int3 (the guardian of an attached program, guardian.ts). */
  watcher?: { save(addr: number, original: Uint8Array): void; forget(addr: number): void };

  /**
   * Every int3 out of memory (original bytes in place) while the program is
   * stopped for the user; written back at the next resume. An attached
   * program is kept so: should the adapter die unannounced (SIGKILL) the
   * kernel lets every thread run on at once, faster than any helper could
   * restore the code, and a thread parked on a breakpoint would run straight
   * into its int3.
   */
  private liftedAll = false;

  constructor(private readonly mem: ProcessMemory) {}

  /** Puts every original byte back but keeps the sites (until rearmAll). */
  liftAll(): void {
    if (this.liftedAll) return;
    this.liftedAll = true;
    for (const [a, b] of this.orig) this.mem.write(a, Uint8Array.of(b));
  }

  /** Writes every int3 back after liftAll. */
  rearmAll(): void {
    if (!this.liftedAll) return;
    this.liftedAll = false;
    for (const a of this.orig.keys()) this.mem.write(a, Uint8Array.of(INT3));
  }

  has(addr: number): boolean {
    return this.orig.has(addr);
  }

  insert(addr: number): void {
    if (this.orig.has(addr)) return;
    const b = this.mem.read(addr, 1)[0]!;
    if (!this.liftedAll) this.mem.write(addr, Uint8Array.of(INT3));
    this.orig.set(addr, b);
    this.widen(addr);
    this.watcher?.save(addr, Uint8Array.of(b));
    this.recentlyRemoved.delete(addr);
  }

  private widen(addr: number): void {
    if (addr < this.lo) this.lo = addr;
    if (addr > this.hi) this.hi = addr;
  }

  remove(addr: number): void {
    const b = this.orig.get(addr);
    if (b === undefined) return;
    this.orig.delete(addr);
    this.boundsStale = true;
    this.recentlyRemoved.add(addr);
    this.mem.write(addr, Uint8Array.of(b));
    this.watcher?.forget(addr);
  }

  /** Puts the original byte back without forgetting the site (for a step over it). */
  lift(addr: number): void {
    const b = this.orig.get(addr);
    if (b !== undefined && !this.liftedAll) this.mem.write(addr, Uint8Array.of(b));
  }
  /** Re-arms a lifted site. */
  rearm(addr: number): void {
    if (this.orig.has(addr) && !this.liftedAll) this.mem.write(addr, Uint8Array.of(INT3));
  }

  /**
   * True when the byte at `addr` is an int3 we did not write: the program's own
   * (`runtime.breakpoint`, or one in hand-written assembly). False when unreadable.
   */
  programInt3At(addr: number): boolean {
    if (this.orig.has(addr)) return false;
    try {
      return this.mem.read(addr, 1)[0] === INT3;
    } catch {
      return false;
    }
  }

  /** Restores every original byte (detach, or before the process is let go). */
  removeAll(): void {
    for (const addr of [...this.orig.keys()]) {
      try {
        this.remove(addr);
      } catch {
        /* process gone */
      }
    }
  }

  /** Replaces int3s we wrote inside `buf` (read from `addr`) by the original bytes. */
  shadow(addr: number, buf: Uint8Array): Uint8Array {
    if (this.orig.size === 0) return buf;
    const end = addr + buf.length;
    if (this.boundsStale) {
      this.lo = Number.POSITIVE_INFINITY;
      this.hi = Number.NEGATIVE_INFINITY;
      for (const a of this.orig.keys()) this.widen(a);
      this.boundsStale = false;
    }
    // A stack or heap read lies far from every site: no scan of them all.
    if (addr > this.hi || end <= this.lo) return buf;
    for (const [a, b] of this.orig) if (a >= addr && a < end) buf[a - addr] = b;
    return buf;
  }

  /** Records a write over code: keeps our int3s in place and their saved bytes current. */
  patchWrite(addr: number, data: Uint8Array): Uint8Array {
    if (this.orig.size === 0) return data;
    const out = new Uint8Array(data);
    const end = addr + data.length;
    for (const a of this.orig.keys()) {
      if (a >= addr && a < end) {
        this.orig.set(a, data[a - addr]!);
        this.watcher?.save(a, Uint8Array.of(data[a - addr]!));
        if (!this.liftedAll) out[a - addr] = INT3;
      }
    }
    return out;
  }
}
