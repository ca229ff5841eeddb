/**
 * The goroutine a stopped thread runs, read from the g its R14 holds (the g
 * register of Go code on amd64 with the register ABI): its id, status and
 * stack bounds in one read of the g's head, without the goroutine table
 * (which costs tens of milliseconds with 10,000 goroutines). Read at every
 * breakpoint hit (GoroutineView's goroutine of a thread) and before a
 * function call: one system call into a buffer kept for the purpose.
 */
import type { MemoryReader } from '../../process/memory.js';
import type { RuntimeLayout } from '../runtimeLayout.js';

export interface ThreadG {
  /** The g's address (R14). */
  g: number;
  id: number;
  /** g.atomicstatus with the scan bit. */
  status: number;
  stackLo: number;
  stackHi: number;
}

/** The g at `gAddr` as far as a call needs it; undefined when unreadable or no g (no goroutine id). */
export function readThreadG(mem: MemoryReader, L: RuntimeLayout, gAddr: number): ThreadG | undefined {
  if (gAddr < 0x1000) return undefined;
  const G = L.g;
  const len = Math.max(G.stackLo, G.stackHi, G.goid, G.atomicstatus) + 8;
  if (head.length !== len) {
    head = new Uint8Array(len);
    headView = new DataView(head.buffer);
  }
  if (mem.readInto(gAddr, head) !== len) return undefined;
  const v = headView;
  const u64 = (off: number) => v.getUint32(off + 4, true) * 0x100000000 + v.getUint32(off, true);
  const id = u64(G.goid);
  if (!(id > 0 && Number.isSafeInteger(id))) return undefined;
  return { g: gAddr, id, status: v.getUint32(G.atomicstatus, true), stackLo: u64(G.stackLo), stackHi: u64(G.stackHi) };
}
let head = new Uint8Array(0);
let headView = new DataView(head.buffer);
