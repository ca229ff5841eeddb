/**
 * The unwinder through C frames of a cgo program (testdata/cgoframes: Go →
 * outer → middle → leaf in C, built without frame pointers), on a real
 * ptrace'd process, at every instruction of leaf and of middle's return path.
 * The C frames are found by .eh_frame (callFrameRulesAt); the expected chain
 * is the program's call graph, each frame named by the ELF symbol table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ElfSymbol } from '../../src/binary/elf.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import { StackMemory } from '../../src/debuggee/stack/stackMemory.js';
import { ehFrameRulesAt } from '../../src/dwarf/ehFrame.js';
import { Inferior } from '../../src/engine/inferior.js';
import { type RawFrame, type UnwindTables, unwindStack } from '../../src/unwind/unwinder.js';
import { buildFixture } from '../support/goBuild.js';
import { readWord } from '../../src/process/memory.js';

let symbols: Symbols;
let withCfi: UnwindTables;
let withoutCfi: UnwindTables;
let funcs: ElfSymbol[];
let inf: Inferior;

before(async () => {
  const binary = buildFixture('cgoframes', { env: { CGO_ENABLED: '1' } });
  symbols = Symbols.open(binary);
  withoutCfi = { funcForPC: (pc) => symbols.funcForPC(pc), spDelta: (pc) => symbols.spDelta(pc) };
  withCfi = { ...withoutCfi, callFrameRulesAt: (pc) => ehFrameRulesAt(symbols.bin.elf, pc) };
  funcs = symbols.bin.elf.symbols().filter((s) => s.size > 0 && s.type === 2);
  inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
});
after(async () => {
  await inf?.kill();
});

function symbolAt(pc: number): ElfSymbol | undefined {
  return funcs.find((s) => pc >= s.value && pc < s.value + s.size);
}

/** Each frame's function by the ELF symbol table (C and Go alike); return addresses looked up at pc - 1. */
function names(frames: RawFrame[]): string[] {
  return frames.map((f) => symbolAt(f.exact ? f.pc : f.pc - 1)?.name ?? `0x${f.pc.toString(16)}`);
}

function unwind(tid: number, tables: UnwindTables): RawFrame[] {
  const regs = inf.getRegs(tid);
  const mem = new StackMemory(inf);
  return unwindStack({ pc: regs.pc, sp: regs.sp, bp: regs.bp }, tables, { mem, maxFrames: 12 });
}

async function runTo(addr: number): Promise<number> {
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

const inC = (chain: string[]) => chain.map((n) => (n.startsWith('_cgo_') && n.endsWith('_Cfunc_outer') ? '_cgo_Cfunc_outer' : n));

describe('unwinding C frames by .eh_frame', () => {
  test('at every instruction of leaf, before and after its call back into Go, and of middle after leaf returns', async () => {
    const byName = (n: string) => funcs.find((s) => s.name === n)!;
    const leaf = byName('leaf');
    const middle = byName('middle');
    const below = ['outer', '_cgo_Cfunc_outer', 'runtime.asmcgocall.abi0'];
    const expect = (pc: number) => {
      if (pc >= leaf.value && pc < leaf.value + leaf.size) return ['leaf', 'middle', ...below];
      if (pc >= middle.value && pc < middle.value + middle.size) return ['middle', ...below];
      return undefined;
    };
    const check = (tid: number, where: string): RawFrame[] => {
      const pc = inf.getRegs(tid).pc;
      const want = expect(pc)!;
      const frames = unwind(tid, withCfi);
      assert.deepEqual(inC(names(frames)).slice(0, want.length), want, `${where} at 0x${pc.toString(16)}`);
      assert.deepEqual(
        frames.slice(0, want.length - 1).map((f) => f.via),
        new Array(want.length - 1).fill('cfi'),
        `C frames found by CFI at 0x${pc.toString(16)}`,
      );
      return frames;
    };

    let tid = await runTo(leaf.value);
    // Without call frame information the walk cannot leave leaf: RBP still holds the goroutine's frame pointer.
    assert.notDeepEqual(inC(names(unwind(tid, withoutCfi))).slice(0, 2), ['leaf', 'middle']);
    let steps = 0;
    let returnInLeaf: number | undefined;
    while (expect(inf.getRegs(tid).pc)?.[0] === 'leaf') {
      check(tid, 'leaf, going in');
      const sp = inf.getRegs(tid).sp;
      assert.equal(inf.stepInstruction(tid), 'ok');
      steps++;
      if (expect(inf.getRegs(tid).pc) === undefined) returnInLeaf = readWord(inf, inf.getRegs(tid).sp) ?? sp;
    }
    assert.ok(returnInLeaf !== undefined && steps >= 6, `${steps} steps into the call of goCallback`);

    // Back from Go: the rest of leaf, then middle up to its return into outer.
    tid = await runTo(returnInLeaf);
    let after = 0;
    while (expect(inf.getRegs(tid).pc) !== undefined) {
      check(tid, 'after the callback');
      assert.equal(inf.stepInstruction(tid), 'ok');
      after++;
    }
    assert.equal(symbolAt(inf.getRegs(tid).pc)?.name, 'outer', 'middle returned into outer');
    assert.ok(after >= 6, `${after} steps back out`);
  });
});
