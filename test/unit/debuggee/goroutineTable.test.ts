// The goroutine table read from allgs (goroutines/readGoroutines): every live g
// in allgs order, whatever the order of their addresses (the g structs are read
// in address order), with each field as the g holds it, high addresses included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryReader } from '../../../src/process/memory.js';
import { G_STATUS, readGoroutines } from '../../../src/debuggee/goroutines/goroutines.js';
import { LAYOUT } from './goWorld.js';

/** Sparse little-endian memory: words written at addresses; reads of anything not written fail. */
class Words implements MemoryReader {
  private readonly bytes = new Map<number, number>();
  reads = 0;
  put(addr: number, v: number): void {
    for (let i = 0; i < 8; i++) this.bytes.set(addr + i, Number((BigInt(v) >> BigInt(8 * i)) & 0xffn));
  }
  readInto(addr: number, out: Uint8Array): number {
    this.reads++;
    for (let i = 0; i < out.length; i++) {
      const b = this.bytes.get(addr + i);
      if (b === undefined) return i;
      out[i] = b;
    }
    return out.length;
  }
  readMany(addrs: readonly number[], len: number, out: Uint8Array): void {
    addrs.forEach((a, i) => {
      const block = out.subarray(i * len, (i + 1) * len);
      block.fill(0, Math.max(0, this.readInto(a, block)));
    });
  }
}

test('goroutines come in allgs order, each with its own fields, though their g structs lie in another order', () => {
  const L = LAYOUT.g;
  const mem = new Words();
  const ALLGS = 0x600100;
  // 300 g structs on a heap above 2^39, placed in a shuffled order; every seventh one is dead.
  const n = 300;
  const slot = (i: number) => 0xc000000000 + ((i * 113) % n) * L.size;
  const gs = Array.from({ length: n }, (_, i) => slot(i));
  mem.put(LAYOUT.allgs, ALLGS);
  mem.put(LAYOUT.allgs + 8, n);
  gs.forEach((g, i) => {
    mem.put(ALLGS + 8 * i, g);
    for (let off = 0; off < L.size; off += 8) mem.put(g + off, 0);
    const stackLo = 0xc100000000 + i * 0x800;
    mem.put(g + L.stackLo, stackLo);
    mem.put(g + L.stackHi, stackLo + 0x800);
    mem.put(g + L.schedSP, stackLo + 0x700 - i);
    mem.put(g + L.schedPC, 0x401000 + i);
    mem.put(g + L.schedBP, stackLo + 0x7f0);
    mem.put(g + L.atomicstatus, i % 7 === 3 ? G_STATUS.dead : G_STATUS.waiting);
    mem.put(g + L.goid, 1000 + i);
    mem.put(g + L.startpc, 0x402000 + i);
    mem.put(g + L.gopc, 0x403000 + i);
  });
  const list = readGoroutines(mem, LAYOUT, () => '', new Map([[77, gs[5]!]]));
  const live = gs.map((_, i) => i).filter((i) => i % 7 !== 3);
  assert.deepEqual(
    list.map((g) => g.id),
    live.map((i) => 1000 + i),
  );
  for (const [k, i] of live.entries()) {
    const g = list[k]!;
    const stackLo = 0xc100000000 + i * 0x800;
    assert.deepEqual(
      { g: g.g, pc: g.pc, sp: g.sp, bp: g.bp, lo: g.stackLo, hi: g.stackHi, start: g.startPC, go: g.goPC, m: g.m, labels: g.labels, tid: g.tid },
      {
        g: gs[i],
        pc: 0x401000 + i,
        sp: stackLo + 0x700 - i,
        bp: stackLo + 0x7f0,
        lo: stackLo,
        hi: stackLo + 0x800,
        start: 0x402000 + i,
        go: 0x403000 + i,
        m: 0,
        labels: 0,
        tid: i === 5 ? 77 : undefined,
      },
    );
    assert.equal(g.status, G_STATUS.waiting);
    assert.equal(g.statusName, 'waiting');
    // This layout has no syscall fields: undefined, as the layout says.
    assert.equal(g.syscallSP, undefined);
  }
});
