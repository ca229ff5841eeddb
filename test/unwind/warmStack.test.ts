/**
 * The stackTrace warm-up's synthetic stack (src/debuggee/stack/warmStack.ts)
 * goes through the real unwinder and symbolize over a real binary's tables:
 * every frame by the pclntab SP delta, down to runtime.goexit, each frame's
 * function and line what Go's debug/gosym says for its PC (the oracle). If
 * the walk stopped early or fell back to the frame-pointer chain, the
 * warm-up would silently warm another path than a stackTrace takes.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { warmStack } from '../../src/debuggee/stack/warmStack.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import { type OracleFunc, type OracleRun, oracleFuncs, oraclePcRuns } from '../binary/oracle.js';
import { buildFixture } from '../support/goBuild.js';

let binary: string;
let symbols: Symbols;
let funcs: OracleFunc[];
let runs: OracleRun[];

before(() => {
  binary = buildFixture('benchrecurse');
  symbols = Symbols.open(binary);
  funcs = oracleFuncs(binary).funcs;
  runs = oraclePcRuns(binary);
});

/** gosym's answer for pc: function name, file and line. */
function oracleAt(pc: number): { name: string; file: string; line: number } {
  const fn = funcs.find((f) => pc >= f.entry && pc < f.end);
  const run = runs.find((r) => pc >= r.start && pc < r.end);
  assert.ok(fn && run, `gosym knows pc 0x${pc.toString(16)}`);
  return { name: fn.name, file: run.file, line: run.line };
}

test('the synthetic stack unwinds by SP deltas to runtime.goexit, as gosym places each frame', () => {
  const w = warmStack(symbols, 250);
  assert.ok(w, 'benchrecurse has the functions the stack is made of');
  const raw = w.unwind();
  assert.equal(raw.length, 250);
  assert.equal(raw.at(-1)!.fn?.name, 'runtime.goexit');
  assert.ok(
    raw.slice(0, -1).every((f) => f.via === 'pcsp'),
    'every frame above runtime.goexit found its caller by the pclntab SP delta',
  );
  assert.equal(raw.at(-1)!.via, 'end');
  // Each frame's CFA is its caller's SP: the synthetic frames are contiguous, as a real stack's.
  for (let i = 0; i + 1 < raw.length; i++) assert.equal(raw[i]!.cfa, raw[i + 1]!.sp);
  const frames = w.symbolize(raw);
  assert.equal(frames.length, raw.length, 'nothing is inlined at these PCs (no logical frames added)');
  const names = new Set(frames.map((f) => f.funcName));
  assert.ok(names.has('main.main') && names.has('runtime.main'), `frames of ${[...names].join(', ')}`);
  for (const f of frames) {
    // Frame 0 is at its PC; the others at their return addresses, whose call is at pc - 1.
    const want = oracleAt(f.exact ? f.pc : f.pc - 1);
    assert.deepEqual({ name: f.funcName, file: f.file, line: f.line }, want, `frame ${f.physical} at 0x${f.pc.toString(16)}`);
  }
});
