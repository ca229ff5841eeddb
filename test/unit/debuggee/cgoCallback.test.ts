/**
 * crossCgoCallbacks on a hand-laid stack: the goroutine's frames gain the C
 * frames of a callback (walked on g0 from g0.sched.sp: cgocallback's twin,
 * crosscall2 by its SP delta, a C function by its frame pointer, up to
 * asmcgocall), and stay exactly as they were when that walk cannot reach
 * asmcgocall (unreadable g0 stack, no g0.sched.sp).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crossCgoCallbacks } from '../../../src/debuggee/goroutines/cgoCallback.js';
import type { MemoryReader } from '../../../src/process/memory.js';
import type { RawFrame, UnwindFunc, UnwindTables } from '../../../src/unwind/unwinder.js';

const FUNCS: (UnwindFunc & { delta: number })[] = [
  { name: 'main.goCallback', entry: 0x1000, end: 0x1100, delta: 0x18 },
  { name: 'runtime.cgocallback', entry: 0x2000, end: 0x2100, delta: 0x20 },
  { name: 'crosscall2', entry: 0x3000, end: 0x3100, delta: 0x10 },
  { name: 'runtime.asmcgocall', entry: 0x4000, end: 0x4100, delta: 0 },
  { name: 'runtime.systemstack_switch', entry: 0x4800, end: 0x4900, delta: 0 },
];
// 0x5000..0x5100: a C function (no Go tables, no CFI here: walked by RBP).
const tables: UnwindTables = {
  funcForPC: (pc) => FUNCS.find((f) => pc >= f.entry && pc < f.end),
  spDelta: (pc) => FUNCS.find((f) => pc >= f.entry && pc < f.end)?.delta,
};

function memory(words: Record<number, number>): MemoryReader {
  return {
    readInto(addr, out) {
      for (let i = 0; i < out.length; i += 8) {
        const w = words[addr + i];
        if (w === undefined) return i;
        new DataView(out.buffer, out.byteOffset).setBigUint64(i, BigInt(w), true);
      }
      return out.length;
    },
  };
}

const G0SP = 0x9000;
/** g0: cgocallback's frame at G0SP (0x20 bytes, then its return into crosscall2), crosscall2 (0x10, saved RBP of the C frame, return into C), the C frame (RBP chain, return into asmcgocall). */
const G0 = {
  [G0SP]: 0x8800, // the g0.sched.sp saved by this cgocallback (a callback further out would start there)
  [G0SP + 0x18]: 0x9100, // RBP pushed by cgocallback's prologue
  [G0SP + 0x20]: 0x3050, // return into crosscall2
  [G0SP + 0x28 + 0x8]: 0x9100, // RBP saved by crosscall2
  [G0SP + 0x28 + 0x10]: 0x5050, // return into the C function
  0x9100: 0x9200, // the C function's saved RBP
  0x9108: 0x4050, // return into asmcgocall
};

const frame = (pc: number, sp: number, exact = false): RawFrame => ({
  pc,
  sp,
  bp: 0x9100,
  cfa: sp + 0x40,
  fn: tables.funcForPC(exact ? pc : pc - 1),
  exact,
  via: 'pcsp',
});
/** The goroutine's walk: goCallback → cgocallback → (its fake return) systemstack_switch. */
const goroutine = [frame(0x1010, 0xc000, true), frame(0x2050, 0xc020), frame(0x4810, 0xc048)];

describe('crossCgoCallbacks', () => {
  test('inserts crosscall2, the C frame and asmcgocall after cgocallback', () => {
    const out = crossCgoCallbacks(goroutine, () => G0SP, tables, memory(G0), 100);
    assert.deepEqual(
      out.map((f) => [f.fn?.name ?? 'C', f.pc.toString(16)]),
      [
        ['main.goCallback', '1010'],
        ['runtime.cgocallback', '2050'],
        ['crosscall2', '3050'],
        ['C', '5050'],
        ['runtime.asmcgocall', '4050'],
        ['runtime.systemstack_switch', '4810'],
      ],
    );
    assert.deepEqual(
      out.slice(2, 5).map((f) => [f.sp.toString(16), f.exact]),
      [
        ['9028', false],
        ['9040', false],
        ['9110', false],
      ],
    );
  });

  test('keeps the goroutine frames as they are when g0 cannot be walked to asmcgocall', () => {
    assert.deepEqual(
      crossCgoCallbacks(goroutine, () => G0SP, tables, memory({}), 100),
      goroutine,
    );
    assert.deepEqual(
      crossCgoCallbacks(goroutine, () => undefined, tables, memory(G0), 100),
      goroutine,
    );
    const noAsm = { ...G0, 0x9108: 0x6000 };
    assert.deepEqual(
      crossCgoCallbacks(goroutine, () => G0SP, tables, memory(noAsm), 100).map((f) => f.pc),
      goroutine.map((f) => f.pc),
    );
  });

  test('reads g0.sched.sp only when there is a callback, and respects maxFrames', () => {
    let reads = 0;
    const plain = [goroutine[0]!, goroutine[2]!];
    crossCgoCallbacks(plain, () => reads++, tables, memory(G0), 100);
    assert.equal(reads, 0);
    assert.equal(crossCgoCallbacks(goroutine, () => G0SP, tables, memory(G0), 4).length, 4);
  });
});
