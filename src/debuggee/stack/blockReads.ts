/**
 * Many same-sized blocks of a stopped process's memory in few copies: blocks that
 * lie close together (every g of a program, the tops of neighbouring goroutine
 * stacks) are read as one range, since the kernel's cost is per range more than per
 * byte (100,000 blocks of 448 bytes: a tenth of the time as one range). What does
 * not join a range, or lies in a range that cannot be read whole, is read block by
 * block; an unreadable block reads as zeros.
 */
import type { MemoryReader } from '../../process/memory.js';

/** The longest range read at once (a transient buffer of this size). */
const MAX_RANGE = 4 << 20;

/** The indexes of `addrs` in ascending address order (often already so: then no sort). */
function ascending(addrs: readonly number[]): number[] {
  const order = addrs.map((_, i) => i);
  for (let i = 1; i < addrs.length; i++) if (addrs[i]! < addrs[i - 1]!) return order.sort((a, b) => addrs[a]! - addrs[b]!);
  return order;
}

/**
 * Calls `visit(i, bytes, offset)` for each of `addrs`, with block i (`len` bytes at
 * addrs[i]) at bytes[offset…offset+len), in address order; `bytes` is reused after
 * the call returns. Two blocks share a range when at most `maxGap` unwanted bytes
 * lie between them.
 */
export function visitBlocks(
  mem: MemoryReader,
  addrs: readonly number[],
  len: number,
  visit: (i: number, bytes: Uint8Array, offset: number) => void,
  maxGap = len,
): void {
  const order = ascending(addrs);
  const alone: number[] = [];
  let buffer: Uint8Array | undefined;
  let k = 0;
  while (k < order.length) {
    const start = addrs[order[k]!]!;
    let end = start + len;
    let j = k + 1;
    while (j < order.length) {
      const a = addrs[order[j]!]!;
      if (a > end + maxGap || a + len - start > MAX_RANGE) break;
      end = Math.max(end, a + len);
      j++;
    }
    // One buffer for every range: the visitor copies what it keeps.
    if (j - k > 1 && !buffer) buffer = new Uint8Array(Math.min(MAX_RANGE, addrs[order[order.length - 1]!]! + len - start));
    const range = j - k > 1 ? buffer!.subarray(0, end - start) : undefined;
    if (range && mem.readInto(start, range) === range.length) {
      for (let t = k; t < j; t++) visit(order[t]!, range, addrs[order[t]!]! - start);
    } else {
      for (let t = k; t < j; t++) alone.push(order[t]!);
    }
    k = j;
  }
  if (alone.length === 0) return;
  if (mem.readMany) {
    const got = new Uint8Array(alone.length * len);
    mem.readMany(
      alone.map((i) => addrs[i]!),
      len,
      got,
    );
    alone.forEach((i, t) => visit(i, got, t * len));
    return;
  }
  const block = new Uint8Array(len);
  for (const i of alone) {
    block.fill(0, Math.max(0, mem.readInto(addrs[i]!, block)));
    visit(i, block, 0);
  }
}
