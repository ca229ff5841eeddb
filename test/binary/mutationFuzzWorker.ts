/**
 * The worker of mutationFuzz.test.ts: opens mutated copies of a real binary
 * with Symbols (GoBinary + Dwarf) and runs what a debug session asks of it.
 * Runs in a worker thread so that the test can stop it on a hang; reports
 * each case before running it.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { DecodeError } from '../../src/binary/reader.js';
import { LayoutError } from '../../src/debuggee/runtimeLayout.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import { ElfFile } from '../../src/binary/elf.js';
import { readBytes } from './oracle.js';

export interface FuzzJob {
  binary: string;
  mainGo: string;
  seed: number;
  cases: number;
  budgetMs: number;
  scratch: string;
}

const job = workerData as FuzzJob;

/** xorshift32. */
function prng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** What a session asks: functions, lines, breakpoint sites, DWARF functions, variables, types, globals, unwind rules. */
function exercise(path: string, rnd: (n: number) => number): void {
  const s = Symbols.open(path);
  const main = s.funcByName('main.main');
  if (main) s.prologueEnd(main);
  const file = s.resolveFile(job.mainGo);
  if (file) {
    for (const line of [20, 60, 110, 130]) s.sitesForLine(file, line);
    s.nearestLineWithCode(file, 100);
  }
  s.scratchSlot();
  const dw = s.dwarf;
  const fns = dw?.functions() ?? [];
  for (let k = 0; k < 6 && fns.length > 0; k++) {
    const f = fns[rnd(fns.length)]!;
    const pc = f.lowPC + rnd(Math.max(1, Math.min(f.highPC - f.lowPC, 4096)));
    s.funcForPC(pc);
    s.lineForPC(pc);
    s.spDelta(pc);
    s.inlinedFramesAt(pc);
    s.callFrameRulesAt(pc);
    const fn = s.funcForPC(pc);
    if (fn) s.lineStarts(fn);
    if (dw) {
      dw.functionAt(pc);
      for (const v of dw.variablesAt(pc)) void v;
      dw.inlinedAt(pc);
      dw.unwindRulesAt(pc);
      const df = dw.functionAt(pc);
      if (df) dw.lineRowsForFunction(df);
    }
  }
  if (dw) {
    for (const name of ['main.Order', 'main.Point', 'runtime.g', 'main.Pair[string,int]', 'map[string]int']) dw.typeByName(name);
    dw.globals('main');
    dw.global('main.table');
    dw.prologueEndPC(main?.entry ?? 0);
  }
  try {
    s.runtimeLayout();
  } catch (e) {
    // A binary whose DWARF lacks runtime.g or runtime.allgs: the debuggee's typed answer.
    if (!(e instanceof LayoutError)) throw e;
  }
}

const orig = readBytes(job.binary);
const elf = ElfFile.parse(orig);
const regions: [number, number, number][] = [[0, orig.length, 1]];
for (const [name, weight] of [
  ['.debug_info', 6],
  ['.debug_abbrev', 3],
  ['.debug_line', 3],
  ['.debug_loclists', 2],
  ['.debug_rnglists', 1],
  ['.debug_frame', 2],
  ['.debug_str', 1],
  ['.debug_addr', 1],
  ['.gopclntab', 4],
  ['.go.module', 1],
] as const) {
  const sec = elf.section(name);
  if (sec && sec.size > 0) regions.push([sec.offset, sec.size, weight]);
}
const total = regions.reduce((n, r) => n + r[2], 0);
const rnd = prng(job.seed);
const pick = (): [number, number] => {
  let w = rnd(total);
  for (const [start, len, weight] of regions) {
    if (w < weight) return [start, len];
    w -= weight;
  }
  return [0, orig.length];
};

const outcomes: Record<string, number> = {};
const unexpected: string[] = [];
const started = Date.now();
let done = 0;
for (; done < job.cases && Date.now() - started < job.budgetMs; done++) {
  const [start, len] = pick();
  const at = start + rnd(Math.max(1, len));
  const copy = orig.slice();
  const mode = rnd(4);
  let desc: string;
  if (mode === 0) {
    for (let b = 1 + rnd(4); b > 0; b--) copy[Math.min(at + rnd(8), copy.length - 1)]! ^= 1 << rnd(8);
    desc = `bit flips at 0x${at.toString(16)}`;
  } else if (mode === 1) {
    copy.fill(rnd(2) ? 0xff : 0x00, at, at + 1 + rnd(16));
    desc = `fill at 0x${at.toString(16)}`;
  } else if (mode === 2) {
    // A LEB128 or length field grown huge: 0xff bytes with the high bit set.
    copy.fill(0x80 | rnd(128), at, at + 1 + rnd(10));
    desc = `LEB128 run at 0x${at.toString(16)}`;
  } else {
    for (let k = 0; k < 4; k++) copy[Math.min(at + k, copy.length - 1)] = rnd(256);
    desc = `random bytes at 0x${at.toString(16)}`;
  }
  parentPort!.postMessage({ kind: 'case', i: done, desc });
  writeFileSync(job.scratch, copy);
  try {
    exercise(job.scratch, prng(at + 1));
    outcomes.ok = (outcomes.ok ?? 0) + 1;
  } catch (e) {
    if (e instanceof DecodeError) outcomes[e.name] = (outcomes[e.name] ?? 0) + 1;
    else unexpected.push(`${desc}: ${(e as Error)?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)}`);
  }
}
rmSync(job.scratch, { force: true });
parentPort!.postMessage({ kind: 'done', done, outcomes, unexpected, ms: Date.now() - started });
