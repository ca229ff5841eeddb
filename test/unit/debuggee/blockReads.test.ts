// visitBlocks: blocks near each other are read as one range, the rest block by
// block; every block comes out with the bytes at its address, whatever the path,
// and an unreadable one as zeros. Checked against a memory of mapped regions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryReader } from '../../../src/process/memory.js';
import { visitBlocks } from '../../../src/debuggee/stack/blockReads.js';

/** Bytes whose value is a function of the address, inside the mapped regions only; counts reads. */
function regions(mapped: [number, number][], withReadMany: boolean) {
  const byte = (a: number) => (a * 7 + (a >> 8)) & 0xff;
  const readable = (a: number) => mapped.some(([lo, hi]) => a >= lo && a < hi);
  const stats = { ranges: 0, many: 0, bytes: 0 };
  const mem: MemoryReader = {
    readInto(addr, out) {
      stats.ranges++;
      let n = 0;
      while (n < out.length && readable(addr + n)) {
        out[n] = byte(addr + n);
        n++;
      }
      stats.bytes += n;
      return n;
    },
  };
  if (withReadMany) {
    mem.readMany = (addrs, len, out) => {
      stats.many++;
      addrs.forEach((a, i) => {
        const block = out.subarray(i * len, (i + 1) * len);
        for (let k = 0; k < len; k++) block[k] = readable(a + k) ? byte(a + k) : 0;
        if (!block.every((_, k) => readable(a + k))) block.fill(0);
      });
    };
  }
  const expected = (a: number, len: number) => {
    const b = new Uint8Array(len);
    for (let k = 0; k < len; k++) b[k] = byte(a + k);
    return [...Array(len).keys()].every((k) => readable(a + k)) ? b : new Uint8Array(len);
  };
  return { mem, stats, expected };
}

function collect(mem: MemoryReader, addrs: number[], len: number, maxGap?: number): Uint8Array[] {
  const got: Uint8Array[] = new Array(addrs.length);
  visitBlocks(mem, addrs, len, (i, bytes, at) => (got[i] = bytes.slice(at, at + len)), maxGap);
  return got;
}

test('blocks a few bytes apart come from one range, in the caller order', () => {
  const { mem, stats, expected } = regions([[0x10000, 0x20000]], true);
  // Out of order, 64 bytes each, 100 bytes apart.
  const addrs = [0x10000 + 300, 0x10000, 0x10000 + 100, 0x10000 + 200];
  const got = collect(mem, addrs, 64);
  addrs.forEach((a, i) => assert.deepEqual(got[i], expected(a, 64), `block at 0x${a.toString(16)}`));
  assert.equal(stats.ranges, 1);
  assert.equal(stats.many, 0);
});

test('blocks far apart are read block by block (readMany), each correct', () => {
  const { mem, stats, expected } = regions([[0x10000, 0x90000]], true);
  const addrs = [0x10000, 0x30000, 0x50000];
  const got = collect(mem, addrs, 64);
  addrs.forEach((a, i) => assert.deepEqual(got[i], expected(a, 64)));
  assert.equal(stats.ranges, 0);
  assert.equal(stats.many, 1);
});

test('a range crossing an unmapped gap falls back to single blocks; the unreadable one is zeros', () => {
  // 0x10000–0x10100 mapped, then a hole, then 0x10200–0x10400.
  const { mem, expected } = regions(
    [
      [0x10000, 0x10100],
      [0x10200, 0x10400],
    ],
    true,
  );
  const addrs = [0x10000, 0x10080, 0x10100, 0x10200, 0x10300];
  const got = collect(mem, addrs, 0x80, 0x100);
  addrs.forEach((a, i) => assert.deepEqual(got[i], expected(a, 0x80), `block at 0x${a.toString(16)}`));
  assert.ok(
    got[2]!.every((x) => x === 0),
    'the block in the hole reads as zeros',
  );
  assert.ok(got[0]!.some((x) => x !== 0));
});

test('without readMany, the leftovers are read one at a time, with the same bytes', () => {
  const { mem, expected } = regions([[0x10000, 0x20000]], false);
  const addrs = [0x1f000, 0x10000, 0x10040, 0x18000];
  const got = collect(mem, addrs, 0x40);
  addrs.forEach((a, i) => assert.deepEqual(got[i], expected(a, 0x40)));
});
