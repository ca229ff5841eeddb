// The reads of one breakpoint hit (engine/hitStack.ts): the windows at SP, at R14
// and at the word the instruction loads come in one batched read, each read
// inside them answers the memory's bytes, and nothing is answered from them once
// the thread has run, memory was written, or the hit is decided.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HitStack } from '../../../src/engine/hitStack.js';
import type { ProcessMemory } from '../../../src/engine/memory.js';
import type { Thread } from '../../../src/engine/threadTable.js';
import { Registers } from '../../../src/process/registers.js';

const byte = (a: number) => (a * 13 + (a >> 9)) & 0xff;

/** Memory whose byte at a is byte(a) inside [lo, hi); counts system calls. */
function memory(lo: number, hi: number) {
  const calls = { ranges: 0, single: 0 };
  const fill = (a: number, out: Uint8Array) => {
    let n = 0;
    while (n < out.length && a + n >= lo && a + n < hi) {
      out[n] = byte(a + n);
      n++;
    }
    return n;
  };
  const mem = {
    writes: 0,
    readInto(addr: number, out: Uint8Array) {
      calls.single++;
      return fill(addr, out);
    },
    readRanges(ranges: readonly number[], out: Uint8Array) {
      calls.ranges++;
      let done = 0;
      for (let i = 0; i < ranges.length; i += 2) {
        const n = fill(ranges[i]!, out.subarray(done, done + ranges[i + 1]!));
        done += n;
        if (n < ranges[i + 1]!) break;
      }
      return done;
    },
  };
  return { mem, calls, asProcess: mem as unknown as ProcessMemory };
}

function stoppedThread(sp: number, r14: number): { t: Thread; regs: Registers } {
  const raw = new BigUint64Array(27);
  raw[19] = BigInt(sp);
  raw[1] = BigInt(r14); // user_regs_struct: r14 is the second word, rsp the 20th
  const regs = new Registers(raw);
  const t: Thread = { tid: 7, running: false, pendingSignal: 0, interruptInFlight: false, regs };
  return { t, regs };
}

const expect = (addr: number, len: number) => Uint8Array.from({ length: len }, (_, k) => byte(addr + k));

test('what the instruction loads is asked at the first read only, and read with the other windows', () => {
  const { calls, asProcess } = memory(0x10000, 0x90000);
  const { t, regs } = stoppedThread(0x20000, 0x60000);
  const h = new HitStack(() => asProcess);
  let asked = 0;
  const load = () => {
    asked++;
    // As the engine's does: it reads the instruction's bytes (code, outside the windows) through the hit stack.
    assert.equal(h.readInto(0x80000, new Uint8Array(4)), undefined);
    return { addr: 0x70010, len: 8 };
  };
  // A hit decided without a read (a breakpoint with no condition) never asks.
  h.open(t, regs, load);
  h.close();
  assert.equal(asked, 0);
  h.open(t, regs, load);
  assert.equal(asked, 0);
  const first = new Uint8Array(8);
  assert.equal(h.readInto(0x20008, first), 8);
  assert.equal(asked, 1);
  const word = new Uint8Array(8);
  assert.equal(h.readInto(0x70010, word), 8);
  assert.deepEqual(word, expect(0x70010, 8));
  assert.equal(asked, 1);
  assert.deepEqual(calls, { ranges: 1, single: 0 });
});

test('reads at SP, at R14 and of the loaded word: one batched read, the memory bytes', () => {
  const { mem, calls, asProcess } = memory(0x10000, 0x90000);
  const { t, regs } = stoppedThread(0x20000, 0x60000);
  assert.equal(regs.sp, 0x20000);
  assert.equal(regs.r14, 0x60000);
  const h = new HitStack(() => asProcess);
  h.open(t, regs, () => ({ addr: 0x70010, len: 8 }));
  for (const [a, n] of [
    [0x20008, 8],
    [0x60000, 16],
    [0x60098, 8],
    [0x70010, 8],
    [0x20000, 512],
  ] as const) {
    const out = new Uint8Array(n);
    assert.equal(h.readInto(a, out), n);
    assert.deepEqual(out, expect(a, n));
  }
  assert.deepEqual(calls, { ranges: 1, single: 0 });
  // Outside every window: not answered (the caller reads the process).
  assert.equal(h.readInto(0x20000 + 510, new Uint8Array(8)), undefined);
  assert.equal(h.readInto(0x70018, new Uint8Array(8)), undefined);
  assert.equal(mem.writes, 0);
});

test('nothing is answered after a write, once the thread ran, or after close', () => {
  const { mem, asProcess } = memory(0x10000, 0x90000);
  const h = new HitStack(() => asProcess);
  let { t, regs } = stoppedThread(0x20000, 0x60000);
  h.open(t, regs);
  assert.equal(h.readInto(0x20000, new Uint8Array(8)), 8);
  mem.writes++;
  assert.equal(h.readInto(0x20000, new Uint8Array(8)), undefined);

  ({ t, regs } = stoppedThread(0x20000, 0x60000));
  h.open(t, regs);
  assert.equal(h.readInto(0x20000, new Uint8Array(8)), 8);
  t.regs = undefined; // it ran: its register cache is gone
  assert.equal(h.readInto(0x20000, new Uint8Array(8)), undefined);

  ({ t, regs } = stoppedThread(0x20000, 0x60000));
  h.open(t, regs);
  h.close();
  assert.equal(h.readInto(0x20000, new Uint8Array(8)), undefined);
});

test('a window that is partly unreadable answers what was read; the windows after it are read alone', () => {
  // The stack ends 64 bytes above SP; R14 is readable.
  const { calls, asProcess } = memory(0x10000, 0x20040);
  const { t, regs } = stoppedThread(0x20000, 0x18000);
  const h = new HitStack(() => asProcess);
  h.open(t, regs);
  const w = new Uint8Array(8);
  assert.equal(h.readInto(0x20038, w), 8);
  assert.deepEqual(w, expect(0x20038, 8));
  assert.equal(h.readInto(0x20040, w), undefined, 'past the readable end: not answered');
  const g = new Uint8Array(8);
  assert.equal(h.readInto(0x18098, g), 8);
  assert.deepEqual(g, expect(0x18098, 8));
  assert.deepEqual(calls, { ranges: 1, single: 1 });
});
