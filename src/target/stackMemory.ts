/**
 * Page-cached reads of a stopped process's memory, valid until it resumes:
 * a deep stack walk touches each stack page once instead of each word.
 */

export interface MemoryReader {
  /** Reads up to out.length bytes at addr; returns how many were readable. */
  readInto(addr: number, out: Uint8Array): number;
}

const PAGE = 4096;

export class StackMemory {
  private readonly pages = new Map<number, Uint8Array | null>();

  constructor(private readonly mem: MemoryReader) {}

  private page(base: number): Uint8Array | null {
    let p = this.pages.get(base);
    if (p === undefined) {
      const buf = new Uint8Array(PAGE);
      p = this.mem.readInto(base, buf) === PAGE ? buf : null;
      this.pages.set(base, p);
    }
    return p;
  }

  /** One little-endian 64-bit word as a number, or undefined if unreadable / beyond 2^53. */
  word(addr: number): number | undefined {
    if (addr <= 0 || addr % 8 !== 0) return this.unaligned(addr);
    const base = addr - (addr % PAGE);
    const p = this.page(base);
    if (!p) return undefined;
    const off = addr - base;
    const dv = new DataView(p.buffer, p.byteOffset + off, 8);
    const v = dv.getBigUint64(0, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
  }

  private unaligned(addr: number): number | undefined {
    if (addr <= 0) return undefined;
    const buf = new Uint8Array(8);
    if (this.mem.readInto(addr, buf) !== 8) return undefined;
    const v = new DataView(buf.buffer).getBigUint64(0, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
  }
}
