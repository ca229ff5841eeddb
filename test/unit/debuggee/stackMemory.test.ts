// The page cache of a deep stack walk (StackMemory) and the unwinder's reads
// through it: every word reads as readWord over the raw memory says, whether
// the pages came in a read of their own or in a read ahead of the walk, at a
// page's edge, and where the memory ends or a word is no address; a walk up a
// recursion takes a few reads, not one per page, and finds the same frames as
// over memory without a page cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StackMemory } from '../../../src/debuggee/stack/stackMemory.js';
import { type MemoryReader, readWord } from '../../../src/process/memory.js';
import { type UnwindTables, unwindStack } from '../../../src/unwind/unwinder.js';

const PAGE = 4096;

/** Bytes from `base` to `base + size`, readable up to `readableEnd` (reads stop there, as process_vm_readv does at an unmapped page). */
class Memory implements MemoryReader {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  reads: { addr: number; len: number }[] = [];
  constructor(
    readonly base: number,
    size: number,
    public readableEnd = base + size,
  ) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  put(addr: number, v: number): void {
    this.dv.setBigUint64(addr - this.base, BigInt(v), true);
  }
  readInto(addr: number, out: Uint8Array): number {
    this.reads.push({ addr, len: out.length });
    const off = addr - this.base;
    if (off < 0 || addr >= this.readableEnd) return 0;
    const n = Math.min(out.length, this.readableEnd - addr);
    out.set(this.bytes.subarray(off, off + n));
    return n;
  }
}

const BASE = 0xc000100000;

test('words read ahead are the words of the memory, at page edges, past readable memory, and where they are no address', () => {
  const m = new Memory(BASE, 40 * PAGE, BASE + 37 * PAGE + 100);
  for (let a = BASE; a < BASE + 40 * PAGE; a += 8) m.put(a, (a - BASE) * 3 + 1);
  m.put(BASE + 5 * PAGE, 2 ** 60); // not an address: undefined, as readWord says
  const raw = new Memory(BASE, 40 * PAGE, m.readableEnd);
  raw.bytes.set(m.bytes);
  const cache = new StackMemory(m, PAGE, 16);
  // Upwards, as a walk reads: every aligned word, and words that straddle two pages.
  for (let a = BASE; a < BASE + 40 * PAGE; a += 8) assert.equal(cache.word(a), readWord(raw, a), `word at +0x${(a - BASE).toString(16)}`);
  for (const a of [BASE + PAGE - 4, BASE + 20 * PAGE - 1, BASE + 37 * PAGE + 96]) assert.equal(cache.word(a), readWord(raw, a));
  // The page cut short by the end of readable memory holds no words of the cache's own: its readable bytes still read.
  const partial = new Uint8Array(8);
  assert.equal(cache.readInto(BASE + 37 * PAGE + 88, partial), 8);
  assert.equal(cache.readInto(BASE + 37 * PAGE + 96, partial), 4);
  assert.equal(cache.pageWords(BASE + 37 * PAGE), null);
  assert.equal(cache.pageWords(BASE + 38 * PAGE), null);
  // The walk up the 37 readable pages took reads of 1, 2, 4, 8, 16 and 16 pages (the last cut short by the end).
  const below = m.reads.filter((r) => r.addr < BASE + 37 * PAGE).map((r) => r.len / PAGE);
  assert.deepEqual(below, [1, 2, 4, 8, 16, 16]);
});

test('reads that jump about read one page at a time, as without read-ahead', () => {
  const m = new Memory(BASE, 64 * PAGE);
  const cache = new StackMemory(m, PAGE, 16);
  for (const p of [10, 3, 40, 11, 2, 50]) cache.word(BASE + p * PAGE + 16);
  // Page 11 follows page 10, but not the read before it (page 40): no page is read ahead.
  assert.deepEqual(
    m.reads.map((r) => r.len / PAGE),
    [1, 1, 1, 1, 1, 1],
  );
  // Without read-ahead (the default), a walk upwards reads page after page.
  const n = new Memory(BASE, 8 * PAGE);
  const one = new StackMemory(n, PAGE);
  for (let a = BASE; a < BASE + 8 * PAGE; a += 8) one.word(a);
  assert.equal(n.reads.length, 8);
});

test('a 1,000-deep recursion over the page cache unwinds as over plain memory, in a few reads', () => {
  // main.rec [0x1000, 0x1100): a 0x28-byte frame after its prologue; main.main calls it; runtime.goexit ends the stack.
  const fns = [
    { name: 'main.rec', entry: 0x1000, end: 0x1100 },
    { name: 'main.main', entry: 0x1100, end: 0x1200 },
    { name: 'runtime.goexit', entry: 0x1200, end: 0x1300 },
  ];
  const fnAt = (pc: number) => fns.find((f) => pc >= f.entry && pc < f.end);
  const tables: UnwindTables = { funcForPC: fnAt, spDelta: (pc) => (fnAt(pc) ? (pc >= 0x1200 ? 0 : 0x28) : undefined) };
  const m = new Memory(BASE, 12 * PAGE);
  let sp = BASE + 0x10;
  const depth = 1000;
  for (let i = 0; i < depth + 1; i++) {
    // Frame i: its return address at sp + 0x28, the caller's RBP below it.
    const ret = i < depth - 1 ? 0x1050 : i === depth - 1 ? 0x1150 : 0x1201;
    m.put(sp + 0x28, ret);
    m.put(sp + 0x20, sp + 0x30 + 0x20);
    sp += 0x30;
  }
  const start = { pc: 0x1040, sp: BASE + 0x10, bp: BASE + 0x30 };
  m.reads = [];
  const cached = unwindStack(start, tables, { mem: new StackMemory(m, PAGE, 16) });
  assert.ok(m.reads.length <= 4, `${m.reads.length} reads for 12 pages`);
  const plain = unwindStack(start, tables, { mem: { readInto: (a, out) => m.readInto(a, out) } });
  assert.equal(cached.length, depth + 2);
  assert.deepEqual(cached, plain);
  assert.deepEqual(
    cached.slice(-3).map((f) => f.fn?.name),
    ['main.rec', 'main.main', 'runtime.goexit'],
  );
  assert.ok(
    cached.slice(0, -1).every((f) => f.via === 'pcsp'),
    'every frame by its SP delta',
  );
  for (let i = 0; i + 1 < cached.length; i++) assert.equal(cached[i]!.cfa, cached[i + 1]!.sp);
});
