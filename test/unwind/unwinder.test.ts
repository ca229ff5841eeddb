/**
 * The unwinder on a real ptrace'd process, at every instruction of a function
 * (entry, the stack-split check, mid-prologue, body, epilogue) and of a
 * frameless leaf, and 1,000 frames deep. The expected call chains come from
 * the program's source (testdata/unwind/main.go), not from our tables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Inferior } from '../../src/engine/inferior.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import { StackMemory } from '../../src/debuggee/stack/stackMemory.js';
import { unwindStack, type RawFrame, type UnwindTables } from '../../src/unwind/unwinder.js';
import { buildFixture } from '../support/goBuild.js';
import { wordMemory } from '../support/wordMemory.js';

let binary: string;
let symbols: Symbols;
const live: Inferior[] = [];

before(() => {
  // Optimised on purpose: main.leaf and main.bottom are frameless.
  binary = buildFixture('unwind', { flags: [] });
  symbols = Symbols.open(binary);
});
after(async () => {
  for (const inf of live) await inf.kill();
});

function names(frames: RawFrame[]): string[] {
  return frames.map((f) => f.fn?.name ?? `0x${f.pc.toString(16)}`);
}

function unwind(inf: Inferior, tid: number, maxFrames?: number): RawFrame[] {
  const regs = inf.getRegs(tid);
  const mem = new StackMemory(inf);
  return unwindStack({ pc: regs.pc, sp: regs.sp, bp: regs.bp }, symbols, { mem, maxFrames });
}

async function runTo(inf: Inferior, addr: number): Promise<number> {
  inf.insertBreakpoint(addr);
  const stop = new Promise<number>((resolve, reject) => {
    inf.once('stopped', (r) => (r.kind === 'breakpoint' && r.addr === addr ? resolve(r.tid) : reject(new Error(JSON.stringify(r)))));
    inf.once('exited', (e) => reject(new Error(`exited ${JSON.stringify(e)}`)));
  });
  inf.resume();
  const tid = await stop;
  inf.removeBreakpoint(addr);
  return tid;
}

async function start(): Promise<Inferior> {
  const inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  live.push(inf);
  return inf;
}

describe('unwinding a real process', () => {
  test('at every instruction of mid and of the frameless leaf it calls', async () => {
    const inf = await start();
    const mid = symbols.funcByName('main.mid')!;
    const leaf = symbols.funcByName('main.leaf')!;
    const main = symbols.funcByName('main.main')!;
    let tid = await runTo(inf, mid.entry);
    const outer = ['main.main', 'runtime.main', 'runtime.goexit'];
    let returnIntoMain: number | undefined;
    let steps = 0;
    let inLeaf = 0;
    let preempted = 0;
    for (;;) {
      const pc = inf.getRegs(tid).pc;
      if (pc >= main.entry && pc < main.end) break;
      const frames = unwind(inf, tid);
      const top = symbols.funcForPC(pc)?.name ?? '';
      if (top.startsWith('runtime.morestack')) {
        // sysmon asked this goroutine to yield (it has run over 10 ms while
        // being stepped), so mid's stack check called morestack. The chain
        // there is morestack, then mid at its stack check, then main. After
        // the yield mid starts again from its entry, maybe on another thread.
        assert.deepEqual(names(frames), [top, 'main.mid', ...outer], `in ${top} at pc 0x${pc.toString(16)}`);
        assert.ok(++preempted < 5, 'preempted fewer than 5 times');
        tid = await runTo(inf, mid.entry);
        continue;
      }
      const expected = pc >= leaf.entry && pc < leaf.end ? ['main.leaf', 'main.mid', ...outer] : ['main.mid', ...outer];
      assert.deepEqual(names(frames), expected, `at pc 0x${pc.toString(16)} (step ${steps})`);
      if (expected[0] === 'main.leaf') inLeaf++;
      // mid's caller is always the same call site in main.main.
      const midFrame = frames[expected.length - 4]!;
      const ret = frames[expected.length - 3]!.pc;
      returnIntoMain ??= ret;
      assert.equal(ret, returnIntoMain, `main.main return address at pc 0x${pc.toString(16)}`);
      assert.equal(midFrame.fn?.name, 'main.mid');
      assert.equal(inf.stepInstruction(tid), 'ok');
      steps++;
      assert.ok(steps < 500, 'mid returned within 500 instructions');
    }
    // Two calls of a 3-instruction leaf, the prologue, body and epilogue of mid.
    assert.equal(inLeaf, 6);
    assert.ok(steps >= 20, `walked ${steps} instructions`);
    assert.equal(inf.getRegs(tid).pc, returnIntoMain, 'mid returned where the unwinder said it would');
  });

  test('1,000 frames deep, down to runtime.goexit', async () => {
    const inf = await start();
    const tid = await runTo(inf, symbols.funcByName('main.bottom')!.entry);
    const frames = unwind(inf, tid);
    const n = names(frames);
    assert.equal(n.length, 1 + 1001 + 3);
    assert.equal(n[0], 'main.bottom');
    assert.ok(n.slice(1, 1002).every((x) => x === 'main.rec'));
    assert.deepEqual(n.slice(1002), ['main.main', 'runtime.main', 'runtime.goexit']);
    // Each rec frame's CFA is its caller's SP: the chain is contiguous.
    for (let i = 0; i + 1 < frames.length; i++) assert.equal(frames[i]!.cfa, frames[i + 1]!.sp);
    // A frame limit is honoured.
    assert.equal(unwind(inf, tid, 10).length, 10);
  });
});

describe('unwinding synthetic stacks', () => {
  // A Go function `f` [0x1000, 0x1100) with a 0x18-byte frame after its prologue,
  // called from C-like code without Go tables that keeps a frame-pointer chain.
  const f = { name: 'main.f', entry: 0x1000, end: 0x1100 };
  const tables: UnwindTables = {
    funcForPC: (pc) => (pc >= f.entry && pc < f.end ? f : undefined),
    spDelta: (pc) => (pc === f.entry ? 0 : pc < 0x1008 ? 8 : 0x18),
  };
  function mem(words: Record<number, number>) {
    return { mem: wordMemory((a) => words[a]) };
  }

  test('at a function entry the return address is at SP', () => {
    const fr = unwindStack({ pc: 0x1000, sp: 0x7000, bp: 0x7100 }, tables, mem({ 0x7000: 0x5000, 0x7100: 0, 0x7108: 0 }));
    assert.equal(fr[0]!.cfa, 0x7008);
    assert.equal(fr[1]!.pc, 0x5000);
    assert.equal(fr[1]!.bp, 0x7100, 'RBP untouched before PUSHQ BP');
  });

  test('after the frame is set up, the saved RBP sits below the return address; frames without tables follow RBP', () => {
    // f: SP 0x7000, delta 0x18 → return address at 0x7018, saved BP at 0x7010.
    // caller (no tables): BP 0x7100 → [0x7100] = 0x7200 (next BP), [0x7108] = 0x6000 (its return address).
    const words = { 0x7018: 0x5000, 0x7010: 0x7100, 0x7100: 0x7200, 0x7108: 0x6000, 0x7200: 0, 0x7208: 0 };
    const fr = unwindStack({ pc: 0x1050, sp: 0x7000, bp: 0x7010 }, tables, mem(words));
    assert.deepEqual(
      fr.map((x) => x.pc),
      [0x1050, 0x5000, 0x6000],
    );
    assert.deepEqual(
      fr.map((x) => x.via),
      ['pcsp', 'fp', 'end'],
    );
    assert.equal(fr[1]!.sp, 0x7020);
  });

  test('an unreadable return address ends the walk instead of throwing', () => {
    const fr = unwindStack({ pc: 0x1050, sp: 0x7000, bp: 0 }, tables, mem({}));
    assert.equal(fr.length, 1);
    assert.equal(fr[0]!.via, 'end');
  });
});
