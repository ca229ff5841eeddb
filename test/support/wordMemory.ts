import type { MemoryReader } from '../../src/process/memory.js';

/** A fake address space of 8-byte words (a MemoryReader): `words(addr)` is the word at addr, or undefined when unmapped. */
export function wordMemory(words: (addr: number) => number | undefined): MemoryReader {
  return {
    readInto(addr, out) {
      if (out.length !== 8) return 0;
      const w = words(addr);
      if (w === undefined) return 0;
      new DataView(out.buffer, out.byteOffset, 8).setBigUint64(0, BigInt(w), true);
      return 8;
    },
  };
}
