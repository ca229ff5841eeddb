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

/**
 * The indexes of `addrs` in ascending address order, ties by index (often already
 * so: then no sort). Sorted as numbers that pack each address's distance
 * from the lowest (in 8-byte units, every address aligned as a g is) above its index, by the
 * typed array's own sort: a comparator called 1.7 million times for 100,000
 * goroutines cost 2–4 times as much. The comparator only when they cannot be packed exactly.
 */
function ascending(addrs: readonly number[]): number[] {
  let sorted = true;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let aligned = true;
  for (let i = 0; i < addrs.length; i++) {
    const a = addrs[i]!;
    if (i > 0 && a < addrs[i - 1]!) sorted = false;
    if (a < min) min = a;
    if (a > max) max = a;
    if (a % 8 !== 0) aligned = false;
  }
  if (sorted) return addrs.map((_, i) => i);
  const scale = 2 ** Math.ceil(Math.log2(addrs.length + 1));
  if (!aligned || ((max - min) / 8 + 1) * scale > Number.MAX_SAFE_INTEGER) {
    return addrs.map((_, i) => i).sort((x, y) => addrs[x]! - addrs[y]! || x - y);
  }
  const keys = new Float64Array(addrs.length);
  for (let i = 0; i < addrs.length; i++) keys[i] = ((addrs[i]! - min) / 8) * scale + i;
  keys.sort();
  const out = new Array<number>(addrs.length);
  for (let i = 0; i < keys.length; i++) out[i] = keys[i]! % scale;
  return out;
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
