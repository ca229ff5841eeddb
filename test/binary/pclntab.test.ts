/**
 * pclntab vs Go's debug/gosym (through testdata/oracle): the function table
 * and pc → file:line:function, on every PC of the testdata programs and on a
 * large deterministic sample of the toolchain's compile and link binaries.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import type { GoBinary } from '../../src/binary/goBinary.js';
import { buildFixture, goToolBinary } from '../support/goBuild.js';
import { type OracleFunc, type OracleRun, openBinary, oracleFuncs, oraclePcRuns, oracleSample } from './oracle.js';

interface Subject {
  label: string;
  path: () => string;
  /** Check every PC (else a sample of this many PCs). */
  sample?: number;
  /** Needs a C compiler (cgo). */
  needsCC?: boolean;
}

function haveCC(): boolean {
  try {
    return execFileSync('sh', ['-c', 'command -v gcc || command -v cc'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

const subjects: Subject[] = [
  { label: 'binmulti (-N -l)', path: () => buildFixture('binmulti') },
  { label: 'binclosure (-N -l)', path: () => buildFixture('binclosure') },
  { label: 'bininline (optimized)', path: () => buildFixture('bininline', { flags: [] }) },
  { label: 'binclosure (optimized)', path: () => buildFixture('binclosure', { flags: [] }) },
  { label: 'binmulti (PIE)', path: () => buildFixture('binmulti', { flags: ['-buildmode=pie'] }) },
  { label: 'bincgo (cgo, external linking)', path: () => buildFixture('bincgo', { flags: [], env: { CGO_ENABLED: '1' } }), needsCC: true },
  { label: 'go tool compile', path: () => goToolBinary('compile'), sample: 250_000 },
  { label: 'go tool link', path: () => goToolBinary('link'), sample: 250_000 },
];

/** Compares our lineForPC with gosym's PCToLine over the oracle's runs; returns counts. */
export function comparePcs(bin: GoBinary, funcs: OracleFunc[], runs: OracleRun[]): { pcs: number; noLine: number; noTable: number } {
  const p = bin.pclntab;
  let pcs = 0;
  let noLine = 0;
  let noTable = 0;
  const bad: string[] = [];
  for (const r of runs) {
    // gosym reports "no position" as file "" or line -1; we return undefined then.
    const expectNone = r.func < 0 || r.file === '' || r.line < 0;
    for (let pc = r.start; pc < r.end; pc++) {
      pcs++;
      const got = p.lineForPC(pc);
      // Linker-made markers (go:textfipsstart, ...) have pcfile/pcln offset 0:
      // the runtime reads that as "no table", gosym decodes pctab's first
      // bytes as one and reports a made-up position. We follow the runtime.
      const f = p.funcForPC(pc);
      if (!expectNone && f && (f.pcln === 0 || f.pcfile === 0)) {
        noTable++;
        if (got !== undefined && bad.length < 10) bad.push(`0x${pc.toString(16)}: ${f.name} has no line table, got a position`);
        continue;
      }
      if (expectNone) {
        noLine++;
        // The function must still agree when gosym has one.
        const f = p.funcForPC(pc);
        const ok = got === undefined && (r.func < 0 ? f === undefined : f?.entry === funcs[r.func]!.entry);
        if (!ok && bad.length < 10)
          bad.push(`0x${pc.toString(16)}: want none (func ${r.func}), got ${JSON.stringify(got && { file: got.file, line: got.line })}`);
        continue;
      }
      const want = funcs[r.func]!;
      if (!got || got.file !== r.file || got.line !== r.line || got.func.entry !== want.entry || got.func.name !== want.name) {
        if (bad.length < 10) {
          bad.push(`0x${pc.toString(16)}: want ${r.file}:${r.line} ${want.name}, got ${got ? `${got.file}:${got.line} ${got.func.name}` : 'undefined'}`);
        }
      }
    }
  }
  assert.deepEqual(bad, [], `lineForPC disagrees with gosym:\n${bad.join('\n')}`);
  return { pcs, noLine, noTable };
}

for (const s of subjects) {
  test(`function table matches gosym: ${s.label}`, (t) => {
    if (s.needsCC && !haveCC()) return t.skip('no C compiler for cgo');
    const path = s.path();
    const bin = openBinary(path);
    const want = oracleFuncs(path);
    const p = bin.pclntab;
    assert.equal(bin.textStart, want.textStart, 'text start');
    assert.equal(p.funcCount, want.funcs.length, 'function count');
    const bad: string[] = [];
    for (let i = 0; i < want.funcs.length; i++) {
      const f = p.funcAt(i);
      const w = want.funcs[i]!;
      if (f.name !== w.name || f.entry !== w.entry || f.end !== w.end) {
        if (bad.length < 10)
          bad.push(`${i}: want ${w.name} [${w.entry.toString(16)},${w.end.toString(16)}), got ${f.name} [${f.entry.toString(16)},${f.end.toString(16)})`);
      }
    }
    assert.deepEqual(bad, []);
    // funcByName finds every (first-of-its-name) function.
    const seen = new Set<string>();
    for (const w of want.funcs) {
      if (seen.has(w.name)) continue;
      seen.add(w.name);
      assert.equal(p.funcByName(w.name)?.entry, w.entry, w.name);
    }
    // funcNamesEndingWith (the Variables view's String/Error lookups): gosym's names with that suffix.
    for (const suffix of ['.String', '.Error', '.main']) {
      const names = want.funcs.map((w) => w.name).filter((n) => n.endsWith(suffix));
      assert.deepEqual(new Set(p.funcNamesEndingWith(suffix)), new Set(names), suffix);
      if (suffix === '.main') assert.ok(names.length > 0, 'main.main and runtime.main end with .main');
    }
    // funcForPC at entries and last bytes.
    for (const w of want.funcs) {
      if (w.end > w.entry) {
        assert.equal(p.funcForPC(w.entry)?.entry, w.entry);
        assert.equal(p.funcForPC(w.end - 1)?.entry, w.entry);
      }
    }
    t.diagnostic(`${s.label}: ${want.funcs.length} functions, ${seen.size} distinct names`);
  });

  test(`lineForPC matches gosym PCToLine: ${s.label}`, (t) => {
    if (s.needsCC && !haveCC()) return t.skip('no C compiler for cgo');
    const path = s.path();
    const bin = openBinary(path);
    const { funcs } = oracleFuncs(path);
    const runs = s.sample ? oracleSample(path, s.sample) : oraclePcRuns(path);
    const { pcs, noLine, noTable } = comparePcs(bin, funcs, runs);
    assert.ok(noTable <= 64, `${noTable} PCs in functions without line tables`);
    if (s.sample) assert.equal(pcs, s.sample);
    else {
      // Every PC of every function was compared.
      const total = funcs.reduce((n, f) => n + (f.end - f.entry), 0);
      assert.equal(pcs, total);
    }
    t.diagnostic(
      `${s.label}: ${pcs} PCs agree with gosym (${s.sample ? 'sampled' : 'every PC'}; ${noLine} without a position; ` +
        `${noTable} in table-less linker markers, where gosym invents a position and we report none), ${bin.pclntab.funcCount} functions`,
    );
  });
}

test('funcByName: methods, closures, generics, other packages', () => {
  const p = openBinary(buildFixture('binclosure')).pclntab;
  for (const name of ['main.main', 'main.makeAdder', 'main.makeAdder.func1', 'main.main.func1', 'main.worker']) {
    assert.ok(p.funcByName(name), name);
  }
  // Generic instantiations are named with their shapes; `[...]` matches any.
  const maps = p.funcsByName('main.Map[...]');
  assert.ok(maps.length >= 1, 'main.Map instantiations');
  for (const f of maps) assert.match(f.name, /^main\.Map\[/);
  assert.equal(p.funcByName('main.Map[...]')?.name, maps[0]!.name);
  assert.ok(p.funcsByName('main.(*Stack[...]).Push').length >= 1);
  // Without type arguments: the same instantiations (closures inside them are other names).
  assert.deepEqual(
    p.instantiationsOf('main.Map').map((f) => f.name),
    maps.map((f) => f.name),
  );
  assert.deepEqual(
    p.instantiationsOf('main.(*Stack).Push').map((f) => f.name),
    p.funcsByName('main.(*Stack[...]).Push').map((f) => f.name),
  );
  assert.deepEqual(p.instantiationsOf('main.main'), [], 'not generic');
  assert.equal(p.funcByName('main.nope'), undefined);

  const m = openBinary(buildFixture('binmulti')).pclntab;
  for (const name of [
    'main.(*counter).add',
    'main.counter.total',
    'example.com/testdata/binmulti/geom.Point.Dist',
    'example.com/testdata/binmulti/geom.(*Point).Scale',
    'example.com/testdata/binmulti/geom.Polygon.Area',
  ]) {
    const f = m.funcByName(name);
    assert.ok(f, name);
    assert.equal(m.funcForPC(f.entry)?.name, name);
  }
});
