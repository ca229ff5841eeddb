/**
 * Page-cached reads of a stopped process's memory, valid until it resumes:
 * a deep stack walk touches each stack page once instead of each word.
 */
import { type MemoryReader, readWord } from '../../process/memory.js';

export class StackMemory implements MemoryReader {
  private readonly pages = new Map<number, DataView | null>();
  /** The page word() read last (-1: none). */
  private lastBase = -1;
  private lastPage: DataView | null | undefined;

  /** Where the last read ended, and how many pages it read: a miss there is a walk going on upwards. */
  private nextBase = -1;
  private lastRun = 0;

  /**
   * `pageSize`: bytes cached at a time (a power of two; small for many short walks).
   * `readAhead`: the most pages one read takes. A miss on the page where the last read
   * ended reads twice as many pages as that one did (up to readAhead), so a deep stack's
   * walk takes a few system calls instead of one per page (1,003 frames of a recursion
   * span 10 pages: 4 reads), and a short walk reads no more than before.
   */
  constructor(
    private readonly mem: MemoryReader,
    readonly pageSize = 4096,
    private readonly readAhead = 1,
  ) {}

  private page(base: number): DataView | null {
    let p = this.pages.get(base);
    if (p === undefined) {
      const size = this.pageSize;
      const n = base === this.nextBase ? Math.min(2 * this.lastRun, this.readAhead) : 1;
      const buf = new Uint8Array(n * size);
      const got = this.mem.readInto(base, buf);
      // Only whole pages count (a read ends at the first unreadable page; a page cut short is read again alone).
      const whole = got > 0 ? Math.floor(got / size) : 0;
      p = whole > 0 ? new DataView(buf.buffer, 0, size) : null;
      this.pages.set(base, p);
      for (let k = 1; k < whole; k++) if (!this.pages.has(base + k * size)) this.pages.set(base + k * size, new DataView(buf.buffer, k * size, size));
      this.nextBase = base + n * size;
      this.lastRun = n;
    }
    return p;
  }

  /**
   * The page at `base` (a multiple of pageSize) as 32-bit words in the host's byte
   * order (little-endian: x86-64), null when unreadable: what a stack walk reads in
   * place (unwind/unwinder.ts), without a call per word.
   */
  pageWords(base: number): Uint32Array | null {
    const p = this.page(base);
    return p && new Uint32Array(p.buffer, p.byteOffset, p.byteLength >>> 2);
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
