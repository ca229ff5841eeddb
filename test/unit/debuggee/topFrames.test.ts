// The frame each goroutine of the thread list is named after, for many parked
// stacks at once (topUserFrames: one window read at the top of each stack): the
// same frame as a walk over the whole memory, whether the walk stays inside its
// window, leaves it, or its window could not be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryReader } from '../../../src/process/memory.js';
import type { UnwindFunc, UnwindTables } from '../../../src/unwind/unwinder.js';
import { StackMemory } from '../../../src/debuggee/stack/stackMemory.js';
import { type CodeKind, type ParkedStack, topUserFrame, topUserFrames, type UserFrame, WINDOW } from '../../../src/debuggee/goroutines/topFrames.js';

/** Four functions, 0x100 bytes each, with a fixed frame size (SP delta) everywhere in them. */
const FUNCS: (UnwindFunc & { delta: number })[] = [
  { name: 'runtime.gopark', entry: 0x401000, end: 0x401100, delta: 0x28 },
  { name: 'runtime.chanrecv', entry: 0x401100, end: 0x401200, delta: 0x58 },
  { name: 'strings.deep', entry: 0x401200, end: 0x401300, delta: 0x100 },
  { name: 'main.worker', entry: 0x401300, end: 0x401400, delta: 0x20 },
  { name: 'runtime.goexit', entry: 0x401400, end: 0x401500, delta: 0 },
];
const fnAt = (pc: number) => FUNCS.find((f) => pc >= f.entry && pc < f.end);
const tables: UnwindTables = { funcForPC: fnAt, spDelta: (pc) => fnAt(pc)?.delta };
const kindOf = (f: UnwindFunc): CodeKind => (f.name.startsWith('runtime.') ? 'runtime' : f.name.startsWith('main.') ? 'user' : 'library');
const byName = (name: string) => FUNCS.find((f) => f.name === name)!;

/** Little-endian words in a flat memory from `base`; reads outside it fail. */
class Memory implements MemoryReader {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  failing = new Set<number>();
  manyCalls = 0;
  constructor(
    readonly base: number,
    size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  put(addr: number, v: number): void {
    this.dv.setBigUint64(addr - this.base, BigInt(v), true);
  }
  readInto(addr: number, out: Uint8Array): number {
    const off = addr - this.base;
    if (off < 0 || off >= this.bytes.length) return 0;
    const n = Math.min(out.length, this.bytes.length - off);
    out.set(this.bytes.subarray(off, off + n));
    return n;
  }
  /** Batched reads; a block at an address in `failing` reads as zeros (as a failed range does). */
  readMany(addrs: readonly number[], len: number, out: Uint8Array): void {
    this.manyCalls++;
    addrs.forEach((a, i) => {
      const block = out.subarray(i * len, (i + 1) * len);
      block.fill(0);
      if (!this.failing.has(a)) this.readInto(a, block);
    });
  }
}

const STACK = 0x800; // 2 KiB stacks side by side, as Go allocates its smallest ones
const BASE = 0x10000;

/**
 * A goroutine parked in `chain` (innermost first), its stack ending at the top of
 * stack slot `k`; returns the stack and the return address into main.worker.
 */
function park(mem: Memory, k: number, chain: string[]): { stack: ParkedStack; workerRet: number } {
  const lo = BASE + k * STACK;
  const hi = lo + STACK;
  let need = 8; // goexit's frame: the return address into it
  for (const n of chain) need += byName(n).delta + 8;
  let sp = hi - need;
  const start = { pc: byName(chain[0]!).entry + 0x10, sp, bp: 0 };
  let workerRet = 0;
  for (let i = 0; i < chain.length; i++) {
    const f = byName(chain[i]!);
    const caller = i + 1 < chain.length ? byName(chain[i + 1]!) : byName('runtime.goexit');
    const ret = caller.entry + 0x20 + i;
    if (caller.name === 'main.worker') workerRet = ret;
    mem.put(sp + f.delta, ret);
    if (f.delta > 0) mem.put(sp + f.delta - 8, sp + f.delta + 0x1000); // saved BP, any value
    sp += f.delta + 8;
  }
  return { stack: { ...start, stackLo: lo, stackHi: hi }, workerRet };
}

function walkAll(mem: Memory, stacks: ParkedStack[]): (UserFrame | undefined)[] {
  const out: (UserFrame | undefined)[] = new Array(stacks.length);
  topUserFrames(stacks, tables, mem, new StackMemory(mem, 512), kindOf, (i, f) => {
    out[i] = f;
  });
  return out;
}

test('each parked goroutine is named after its user frame, at the call into the runtime', () => {
  const mem = new Memory(BASE, 64 * STACK);
  const parked = Array.from({ length: 40 }, (_, k) => park(mem, k, ['runtime.gopark', 'runtime.chanrecv', 'main.worker']));
  const got = walkAll(
    mem,
    parked.map((p) => p.stack),
  );
  assert.deepEqual(
    got,
    parked.map((p) => ({ name: 'main.worker', at: p.workerRet - 1 })),
  );
  assert.equal(mem.manyCalls, 1, 'one batched read for the 40 windows');
});

test('a walk that leaves its window reads on from the process, with the same answer', () => {
  const mem = new Memory(BASE, 64 * STACK);
  // Three library frames of 0x108 bytes each: the user frame's return address lies beyond the window.
  const deep = park(mem, 3, ['runtime.gopark', 'strings.deep', 'strings.deep', 'strings.deep', 'main.worker']);
  assert.ok(deep.stack.stackHi - deep.stack.sp > WINDOW, 'the chain is longer than a window');
  const shallow = park(mem, 5, ['runtime.gopark', 'runtime.chanrecv', 'main.worker']);
  const got = walkAll(mem, [deep.stack, shallow.stack]);
  assert.deepEqual(got, [
    { name: 'main.worker', at: deep.workerRet - 1 },
    { name: 'main.worker', at: shallow.workerRet - 1 },
  ]);
});

test('a window that could not be read (zeros) is read again through the fallback', () => {
  const mem = new Memory(BASE, 64 * STACK);
  const a = park(mem, 1, ['runtime.gopark', 'runtime.chanrecv', 'main.worker']);
  const b = park(mem, 2, ['runtime.gopark', 'main.worker']);
  // The window of `a` starts at SP or lower (so that it ends at the stack top): fail every base it could use.
  for (let x = a.stack.stackLo; x <= a.stack.sp; x += 8) mem.failing.add(x);
  const got = walkAll(mem, [a.stack, b.stack]);
  assert.deepEqual(got, [
    { name: 'main.worker', at: a.workerRet - 1 },
    { name: 'main.worker', at: b.workerRet - 1 },
  ]);
});

test('without batched reads, and for a stack with no user frame, the answers are those of a plain walk', () => {
  const mem = new Memory(BASE, 64 * STACK);
  const user = park(mem, 0, ['runtime.gopark', 'runtime.chanrecv', 'main.worker']);
  // A goroutine of the runtime's own: no user frame; a library frame names it when there is one.
  const lib = park(mem, 1, ['runtime.gopark', 'strings.deep']);
  const rt = park(mem, 2, ['runtime.gopark', 'runtime.chanrecv']);
  const plain: MemoryReader = { readInto: (addr, out) => mem.readInto(addr, out) };
  const stacks = [user.stack, lib.stack, rt.stack];
  const out: (UserFrame | undefined)[] = [];
  topUserFrames(stacks, tables, plain, new StackMemory(plain, 512), kindOf, (i, f) => {
    out[i] = f;
  });
  const libRet = byName('strings.deep').entry + 0x20; // gopark's return address into strings.deep
  assert.deepEqual(out, [{ name: 'main.worker', at: user.workerRet - 1 }, { name: 'strings.deep', at: libRet - 1 }, undefined]);
  assert.deepEqual(
    out,
    stacks.map((s) => topUserFrame(s, tables, new StackMemory(plain, 4096), kindOf)),
  );
});

test('stacks parked at one pc are each named after their own chain: a shared walk answers only where every return address matches', () => {
  const mem = new Memory(BASE, 64 * STACK);
  const shapes = [
    ['runtime.gopark', 'runtime.chanrecv', 'main.worker'],
    ['runtime.gopark', 'strings.deep', 'main.worker'],
    ['runtime.gopark', 'runtime.chanrecv', 'strings.deep', 'main.worker'],
  ];
  // Interleaved, so that each shape follows another one parked at the same pc (gopark's).
  const parked = Array.from({ length: 30 }, (_, k) => park(mem, k, shapes[k % 3]!));
  // Two of them called from another place in main.worker, one of them deeper: the same
  // functions, one different return address.
  for (const k of [4, 19]) {
    const p = parked[k]!;
    const moved = p.workerRet + 0x40;
    const slot = [...Array(STACK / 8).keys()].map((i) => p.stack.sp + 8 * i).find((a) => mem.dv.getBigUint64(a - BASE, true) === BigInt(p.workerRet))!;
    mem.put(slot, moved);
    p.workerRet = moved;
  }
  const stacks = parked.map((p) => p.stack);
  const got = walkAll(mem, stacks);
  assert.deepEqual(
    got,
    parked.map((p) => ({ name: 'main.worker', at: p.workerRet - 1 })),
  );
  // The plain walk of each stack over all of memory says the same.
  assert.deepEqual(
    got,
    stacks.map((s) => topUserFrame(s, tables, new StackMemory(mem, 4096), kindOf)),
  );
});
