/**
 * Corrupted Go binaries: truncations and bit flips at hundreds of
 * deterministic offsets (biased toward the headers and Go tables). Opening
 * and querying each copy must either work or throw a DecodeError: never
 * another exception, never a hang (every decode loop is bounded by its bytes).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ElfFile } from '../../src/binary/elf.js';
import { GoBinary } from '../../src/binary/goBinary.js';
import { DecodeError } from '../../src/binary/reader.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { readBytes } from './oracle.js';

/** xorshift32: deterministic across runs and Node versions. */
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

/** Opens and exercises a (possibly corrupt) binary; returns how far it got. */
function exercise(bytes: Uint8Array, mainGo: string, rnd: (n: number) => number): string {
  const bin = GoBinary.open(bytes);
  const p = bin.pclntab;
  void bin.buildInfo?.goVersion;
  void bin.hasDwarf;
  for (let k = 0; k < 8 && p.funcCount > 0; k++) {
    const f = p.funcAt(rnd(p.funcCount));
    void p.funcForPC(f.entry);
    const pc = f.entry + rnd(Math.max(1, Math.min(f.end - f.entry, 4096)));
    p.lineForPC(pc);
    p.spDelta(pc);
    p.inlinedFramesAt(pc);
    p.prologueEnd(f);
    p.lineStarts(f);
  }
  p.funcByName('main.main');
  const file = p.resolveFile(mainGo);
  if (file) {
    for (const line of [1, 20, 32, 40]) p.pcsForLine(file, line);
    p.nearestLineWithCode(file, 36);
    p.funcsInFile(file);
  }
  void p.files.length;
  bin.elf.symbols();
  bin.elf.sectionData('.debug_line');
  return 'ok';
}

test('truncated and bit-flipped binaries fail only with DecodeError', (t) => {
  const path = buildFixture('binmulti');
  const orig = readBytes(path);
  const mainGo = join(testdataDir, 'binmulti/main.go');
  const elf = ElfFile.parse(orig);
  const sec = (name: string): [number, number] => {
    const s = elf.section(name)!;
    return [s.offset, s.size];
  };
  // Regions worth hitting, with weights: headers and Go tables most.
  const regions: [number, number, number][] = [
    [0, 64, 2], // ELF header
    [Number(new DataView(orig.buffer, orig.byteOffset).getBigUint64(0x28, true)), elf.sections.length * 64, 3], // section headers
    [64, 56 * elf.programHeaders.length, 1], // program headers
    [sec('.gopclntab')[0], 200, 3], // pclntab header and first entries
    [...sec('.gopclntab'), 8], // the whole pclntab (functab, _func, pctab, cutab, filetab)
    [...sec('.go.buildinfo'), 2],
    [...sec('.go.module'), 1],
    [...sec('.debug_line'), 1], // a zlib-compressed section
    [...sec('.symtab'), 1],
    [...sec('.strtab'), 1],
    [0, orig.length, 2], // anywhere
  ];
  const total = regions.reduce((n, r) => n + r[2], 0);
  const rnd = prng(0x5eed);
  const pick = (): number => {
    let w = rnd(total);
    for (const [start, len, weight] of regions) {
      if (w < weight) return start + rnd(Math.max(1, len));
      w -= weight;
    }
    return rnd(orig.length);
  };

  const outcomes = new Map<string, number>();
  const note = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  const unexpected: string[] = [];
  const run = (what: string, bytes: Uint8Array): void => {
    try {
      note(exercise(bytes, mainGo, prng(bytes.length)));
    } catch (e) {
      if (e instanceof DecodeError) note(e.name);
      else unexpected.push(`${what}: ${(e as Error)?.stack ?? String(e)}`);
    }
  };

  const cases = Number(process.env.GDA_FUZZ_CASES ?? 600);
  for (let i = 0; i < cases; i++) {
    const at = Math.min(pick(), orig.length - 1);
    if (i % 4 === 0) {
      run(`truncate at 0x${at.toString(16)}`, orig.subarray(0, at));
      continue;
    }
    const copy = orig.slice();
    const mode = rnd(3);
    if (mode === 0) {
      const bits = 1 + rnd(3);
      for (let b = 0; b < bits; b++) copy[at + rnd(4)] ^= 1 << rnd(8);
    } else if (mode === 1) {
      copy.fill(rnd(2) ? 0xff : 0x00, at, at + 1 + rnd(8));
    } else {
      copy[at] = rnd(256);
    }
    run(`mutate(${mode}) at 0x${at.toString(16)}`, copy);
  }
  assert.deepEqual(unexpected, []);
  const summary = [...outcomes].map(([k, n]) => `${k}: ${n}`).join(', ');
  t.diagnostic(`${cases} corrupted copies: ${summary}`);
  assert.ok((outcomes.get('DecodeError') ?? 0) + (outcomes.get('BinaryError') ?? 0) > 50, 'corruptions were detected');
});
