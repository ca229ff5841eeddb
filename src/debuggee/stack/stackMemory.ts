/**
 * Page-cached reads of a stopped process's memory, valid until it resumes:
 * a deep stack walk touches each stack page once instead of each word.
 */
import { type MemoryReader, readWord } from '../../process/memory.js';
import { visitBlocks } from './blockReads.js';

export class StackMemory implements MemoryReader {
  private readonly pages = new Map<number, DataView | null>();
  /** The page word() read last (-1: none). */
  private lastBase = -1;
  private lastPage: DataView | null | undefined;

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
    // Neighbouring goroutines' stacks lie a few KB apart: reading the gaps too costs less than a range each.
    const size = this.pageSize;
    visitBlocks(
      this.mem,
      bases,
      size,
      (i, bytes, at) => {
        // An all-zero block may be a failed read: let page() retry it alone.
        // From the top down: a stack's used part is its upper end.
        let k = at + size - 1;
        while (k >= at && bytes[k] === 0) k--;
        if (k >= at) this.pages.set(bases[i]!, this.keep(bytes, at));
      },
      4 * size,
    );
  }

  private slab = new Uint8Array(0);
  private slabUsed = 0;

  /** A copy of the page at bytes[at…], carved from a larger buffer (one ArrayBuffer per page is slow to allocate). */
  private keep(bytes: Uint8Array, at: number): DataView {
    if (this.slabUsed + this.pageSize > this.slab.length) {
      this.slab = new Uint8Array(Math.max(this.pageSize, 1 << 18));
      this.slabUsed = 0;
    }
    const off = this.slabUsed;
    this.slab.set(bytes.subarray(at, at + this.pageSize), off);
    this.slabUsed += this.pageSize;
    return new DataView(this.slab.buffer, off, this.pageSize);
  }

  /**
   * readWord over the cached pages, without copying: what a stack walk reads. The
   * same answer as readWord(this, addr) (undefined when unreadable or not a plausible address).
   */
  word(addr: number): number | undefined {
    if (addr > 0) {
      const off = addr % this.pageSize;
      if (off <= this.pageSize - 8) {
        // A walk reads upwards through a page: the page of the last word is the likely one.
        const base = addr - off;
        let p = this.lastBase === base ? this.lastPage : undefined;
        if (p === undefined) {
          p = this.page(base);
          this.lastBase = base;
          this.lastPage = p;
        }
        if (p) {
          const hi = p.getUint32(off + 4, true);
          return hi >= 0x200000 ? undefined : hi * 0x100000000 + p.getUint32(off, true);
        }
      }
    }
    return readWord(this, addr);
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
      const from = a - base;
      // Stack walks read single words: copy those byte by byte, without a view per read.
      if (n <= 8) for (let k = 0; k < n; k++) out[done + k] = p.getUint8(from + k);
      else out.set(new Uint8Array(p.buffer, p.byteOffset + from, n), done);
      done += n;
    }
    return done;
  }
}
