/**
 * Memory an expression makes that exists nowhere in the program: the
 * backing array of a slice literal, the bytes of a string in a struct
 * literal, the funcval of a function value. It sits at addresses no Linux
 * x86-64 process can map (user space ends below 2^47; 2^48 and up is
 * non-canonical), so a scratch address is never mistaken for the program's,
 * and a write to it through ptrace fails instead of landing anywhere.
 * It lives as long as the ValueReader of the stop that made it.
 */
export const SCRATCH_BASE = 2 ** 48;

export class ScratchMemory {
  private readonly chunks: { addr: number; bytes: Uint8Array }[] = [];
  private top = SCRATCH_BASE;

  /** Copies `bytes` into scratch memory (8-byte aligned) and returns their address. */
  allocate(bytes: Uint8Array): number {
    const addr = this.top;
    this.chunks.push({ addr, bytes: bytes.slice() });
    this.top += Math.max(8, Math.ceil(bytes.length / 8) * 8);
    return addr;
  }

  /** Bytes [addr, addr+len) when they lie inside one allocation. */
  read(addr: number, len: number): Uint8Array | undefined {
    for (const c of this.chunks) {
      if (addr >= c.addr && addr + len <= c.addr + c.bytes.length) return c.bytes.slice(addr - c.addr, addr - c.addr + len);
    }
    return undefined;
  }
}

export function isScratchAddress(addr: number): boolean {
  return addr >= SCRATCH_BASE;
}
