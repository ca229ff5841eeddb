// Which OS thread a call runs on (calls/callable.ts), over a fake process and
// a fake goroutine view: a goroutine found through R14 (its g's id, status
// and stack bounds read from the g itself) needs no goroutine table; anything
// else is decided by the table, with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callThread } from '../../../src/debuggee/calls/callable.js';
import type { GoroutineView } from '../../../src/debuggee/goroutines/goroutineView.js';
import { G_STATUS, type Goroutine } from '../../../src/debuggee/goroutines/goroutines.js';
import type { RuntimeLayout } from '../../../src/debuggee/runtimeLayout.js';
import { FakeProcess } from './fakeProcess.js';

// Offsets of a made-up runtime.g: only what callThread reads.
const L = { g: { stackLo: 0, stackHi: 8, atomicstatus: 16, goid: 24 } } as unknown as RuntimeLayout;
const G_ADDR = 0xc000001000;
const TID = 4242;
const LO = 0xc000100000;
const HI = LO + 0x8000;

function processWith(status: number, sp: number, goid = 7): FakeProcess {
  const p = new FakeProcess();
  p.map(G_ADDR, 64);
  p.writeWord(G_ADDR + 0, LO);
  p.writeWord(G_ADDR + 8, HI);
  p.writeU32(G_ADDR + 16, status);
  p.writeWord(G_ADDR + 24, goid);
  p.addThread(TID, { rip: 0x401000, rsp: sp, r14: G_ADDR });
  return p;
}

/** A view that finds goroutine 7 on TID through R14; its table, when asked, is `table` (or must not be read). */
function view(table?: Goroutine[]): { v: GoroutineView; tableReads: () => number } {
  let reads = 0;
  const v = {
    layout: () => L,
    threadRunning: (id: number) => (id === 7 ? TID : undefined),
    resolve: () => ({}),
    tableNow: () => {
      reads++;
      if (!table) assert.fail('the goroutine table must not be read');
      return { list: table, byId: new Map(table.map((g) => [g.id, g])), byTid: new Map(), threadG: new Map() };
    },
  };
  return { v: v as unknown as GoroutineView, tableReads: () => reads };
}

test('a running goroutine found through R14 is called on its thread without the goroutine table', () => {
  const { v, tableReads } = view();
  assert.equal(callThread(processWith(G_STATUS.running, HI - 0x1000), v, 7, 'main.f'), TID);
  assert.equal(tableReads(), 0);
});

test('less than 256 bytes of stack left is refused from the g itself', () => {
  const { v } = view();
  assert.throws(() => callThread(processWith(G_STATUS.running, LO + 100), v, 7, 'main.f'), {
    message: 'cannot call main.f: goroutine 7 has less than 256 bytes of stack free',
  });
});

test('a goroutine in a system call goes to the table, which says so', () => {
  const g = { id: 7, g: G_ADDR, status: G_STATUS.syscall, statusName: 'syscall', tid: TID, stackLo: LO, stackHi: HI } as Goroutine;
  const { v, tableReads } = view([g]);
  assert.throws(() => callThread(processWith(G_STATUS.syscall, HI - 0x1000), v, 7, 'main.f'), {
    message: 'cannot call main.f: goroutine 7 is in a system call',
  });
  assert.equal(tableReads(), 1);
});

test('R14 naming another goroutine than the one asked for is not taken for it', () => {
  const { v } = view([]);
  assert.throws(() => callThread(processWith(G_STATUS.running, HI - 0x1000, 9), v, 7, 'main.f'), {
    message: 'cannot call main.f: there is no goroutine 7',
  });
});
