/**
 * Page-cached reads of a stopped process's memory, valid until it resumes:
 * a deep stack walk touches each stack page once instead of each word.
 */
import type { MemoryReader } from '../../process/memory.js';

export class StackMemory implements MemoryReader {
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

  /** MemoryReader over the cached pages; reads that leave the cached pages go to the process. */
  readInto(addr: number, out: Uint8Array): number {
    if (addr <= 0) return 0;
    let done = 0;
    while (done < out.length) {
      const a = addr + done;
      const base = a - (a % this.pageSize);
      const p = this.page(base);
      if (!p) return done + Math.max(0, this.mem.readInto(a, out.subarray(done)));
      const n = Math.min(out.length - done, base + this.pageSize - a);
      out.set(new Uint8Array(p.buffer, p.byteOffset + (a - base), n), done);
      done += n;
    }
    return done;
  }
}
