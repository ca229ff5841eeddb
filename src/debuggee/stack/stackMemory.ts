/**
 * Page-cached reads of a stopped process's memory, valid until it resumes:
 * a deep stack walk touches each stack page once instead of each word.
 */
import type { MemoryReader } from '../../process/memory.js';

export class StackMemory {
  private readonly pages = new Map<number, DataView | null>();

  /** `page`: bytes read at a time (a power of two; small for many short walks). */
  constructor(
    private readonly mem: MemoryReader,
    private readonly pageSize = 4096,
  ) {}

  private page(base: number): DataView | null {
    let p = this.pages.get(base);
    if (p === undefined) {
      const buf = new Uint8Array(this.pageSize);
      p = this.mem.readInto(base, buf) === this.pageSize ? new DataView(buf.buffer) : null;
      this.pages.set(base, p);
    }
    return p;
  }

  /** Reads the pages holding each address in as few system calls as possible. */
  prefetch(addrs: readonly number[]): void {
    const bases = [...new Set(addrs.map((a) => a - (a % this.pageSize)))].filter((b) => b > 0 && !this.pages.has(b));
    if (!this.mem.readMany || bases.length < 8) return;
    const out = new Uint8Array(bases.length * this.pageSize);
    this.mem.readMany(bases, this.pageSize, out);
    bases.forEach((b, i) => {
      const p = out.subarray(i * this.pageSize, (i + 1) * this.pageSize);
      // An all-zero block may be a failed read: let page() retry it alone.
      if (p.some((x) => x !== 0)) this.pages.set(b, new DataView(p.buffer, p.byteOffset, p.byteLength));
    });
  }

  /** One little-endian 64-bit word as a number, or undefined if unreadable / beyond 2^53. */
  word(addr: number): number | undefined {
    if (addr <= 0 || addr % 8 !== 0) return this.unaligned(addr);
    const base = addr - (addr % this.pageSize);
    const p = this.page(base);
    if (!p) return undefined;
    const off = addr - base;
    const hi = p.getUint32(off + 4, true);
    // Addresses fit in 53 bits; larger values are not addresses.
    return hi >= 0x200000 ? undefined : hi * 0x100000000 + p.getUint32(off, true);
  }

  private unaligned(addr: number): number | undefined {
    if (addr <= 0) return undefined;
    const buf = new Uint8Array(8);
    if (this.mem.readInto(addr, buf) !== 8) return undefined;
    const v = new DataView(buf.buffer).getBigUint64(0, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
  }
}
