/**
 * Displaced stepping: a breakpoint on *every instruction* of several functions,
 * each hit resumed without stopping the other threads (relative branches and
 * calls emulated, other instructions executed out of line in a padding slot).
 * The program must behave exactly as it does without a debugger.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { decodeInstruction } from '../../src/arch/x86/index.js';
import { Inferior } from '../../src/engine/inferior.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import { buildFixture } from '../support/goBuild.js';

function instructionStarts(symbols: Symbols, name: string, read: (a: number, n: number) => Uint8Array): number[] {
  const fn = symbols.funcByName(name);
  assert.ok(fn, name);
  const code = read(fn.entry, fn.end - fn.entry);
  const out: number[] = [];
  for (let off = 0; off < code.length; ) {
    const insn = decodeInstruction(code.subarray(off), fn.entry + off);
    if (insn.invalid || (code[off] === 0xcc && insn.mnemonic === 'INT3')) break; // padding
    out.push(fn.entry + off);
    off += insn.length;
  }
  return out;
}

async function runWithEveryInstructionTrapped(fixture: string, flags: string[] | undefined, functions: string[]) {
  const binary = buildFixture(fixture, flags ? { flags } : {});
  const expected = execFileSync(binary, { encoding: 'utf8' });
  const symbols = Symbols.open(binary);
  const inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  const slot = symbols.scratchSlot();
  assert.ok(slot, 'a padding slot was found');
  inf.setScratchSlot(slot);
  let sites = 0;
  for (const f of functions)
    for (const a of instructionStarts(symbols, f, (x, n) => inf.read(x, n))) {
      inf.insertBreakpoint(a);
      sites++;
    }
  let hits = 0;
  inf.trapFilter = () => {
    hits++;
    return 'continue';
  };
  let out = '';
  inf.on('output', (stream, text) => {
    if (stream === 'stdout') out += text;
  });
  const exited = new Promise<{ code?: number }>((resolve) => inf.once('exited', resolve));
  inf.once('stopped', (r) => assert.fail(`unexpected stop ${JSON.stringify(r)}`));
  inf.resume();
  const info = await exited;
  return { info, out, expected, hits, sites, stats: inf.displacedStats };
}

test('every instruction of recursive and looping functions (-N -l build)', async () => {
  const r = await runWithEveryInstructionTrapped('steps', undefined, [
    'main.fib',
    'main.depth',
    'main.twice',
    'main.leaf',
    'example.com/testdata/steps/geom.Rect.Area',
  ]);
  assert.equal(r.info.code, 0);
  assert.equal(r.out, r.expected, 'same output as without a debugger');
  assert.ok(r.hits > 5000, `${r.hits} hits on ${r.sites} instructions`);
  assert.ok(r.stats.displaced > 0 && r.stats.emulated > 0, JSON.stringify(r.stats));
  console.log(`# ${r.sites} instructions trapped, ${r.hits} hits: ${JSON.stringify(r.stats)}`);
});

test('every instruction of optimised code, with several threads hitting them', async () => {
  const r = await runWithEveryInstructionTrapped('threads', [], ['main.work']);
  assert.equal(r.info.code, 0);
  assert.equal(r.out, r.expected);
  assert.ok(r.stats.displaced > 0, JSON.stringify(r.stats));
  console.log(`# ${r.sites} instructions trapped, ${r.hits} hits: ${JSON.stringify(r.stats)}`);
});
