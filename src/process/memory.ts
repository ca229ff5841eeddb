/**
 * The one shape of memory access every layer above the engine uses: values,
 * the unwinder, goroutine and exception readers, disassembly and displaced
 * stepping. A reader fills a caller's buffer and says how much of it was
 * readable; breakpoints we wrote are never visible through it.
 */

export interface MemoryReader {
  /** Reads up to out.length bytes at addr; returns how many were readable (0 when none). */
  readInto(addr: number, out: Uint8Array): number;
  /** Optional batched reads: `len` bytes at each address into `out` (block i at i·len), unreadable blocks zero. */
  readMany?(addrs: readonly number[], len: number, out: Uint8Array): void;
}

/** Exactly `len` bytes at addr, or undefined when any of them is unreadable. */
export function readBytes(mem: MemoryReader, addr: number, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  if (len === 0) return out;
  return mem.readInto(addr, out) === len ? out : undefined;
}

/** One 8-byte word at addr as a number; undefined when unreadable or not an address-sized value (≥ 2^53). */
export function readWord(mem: MemoryReader, addr: number): number | undefined {
  // One scratch word for every call: a stack walk reads thousands of words, and JS runs one call at a time.
  if (mem.readInto(addr, wordBytes) !== 8) return undefined;
  const hi = wordView.getUint32(4, true);
  return hi >= 0x200000 ? undefined : hi * 0x100000000 + wordView.getUint32(0, true);
}

const wordBytes = new Uint8Array(8);
const wordView = new DataView(wordBytes.buffer);
