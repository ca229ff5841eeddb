/**
 * Names for code without Go tables (the C functions of a cgo program, the
 * C runtime of an externally linked binary): the ELF symbol table's function
 * symbols, sorted by address. A stripped binary (`-s`) has none.
 */
import type { ElfSymbol } from '../../binary/elf.js';

const STT_FUNC = 2;

export interface NativeSymbol {
  name: string;
  entry: number;
  end: number;
}

export class NativeSymbols {
  private readonly list: NativeSymbol[];

  constructor(symbols: readonly ElfSymbol[]) {
    this.list = symbols
      .filter((s) => s.type === STT_FUNC && s.size > 0 && s.value > 0)
      .map((s) => ({ name: s.name, entry: s.value, end: s.value + s.size }))
      .sort((a, b) => a.entry - b.entry);
  }

  /** The function symbol whose [value, value + size) holds pc. */
  at(pc: number): NativeSymbol | undefined {
    let lo = 0;
    let hi = this.list.length - 1;
    let best: NativeSymbol | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.list[mid]!;
      if (s.entry <= pc) {
        best = s;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Symbols may nest (a local alias inside a larger one): look back for one that holds pc.
    if (best && pc < best.end) return best;
    for (let i = lo - 2; i >= 0 && i >= lo - 8; i--) {
      const s = this.list[i]!;
      if (pc >= s.entry && pc < s.end) return s;
    }
    return undefined;
  }
}
