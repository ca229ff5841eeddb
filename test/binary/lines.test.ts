/**
 * file:line queries (pcsForLine, nearestLineWithCode, lineStarts, funcsInFile,
 * resolveFile), SP deltas and inlined frames, checked against `go tool
 * objdump`, gosym's LineToPC and the runtime's own view of its stack.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FuncTable } from '../../src/binary/funcTable.js';
import { LineIndex } from '../../src/binary/lineIndex.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { checkAgainstObjdump, stackCheck } from './objdumpSites.js';
import { markLine, objdump, openBinary, oracleLineToPC } from './oracle.js';

function src(rel: string): { path: string; text: string; lines: number } {
  const path = join(testdataDir, rel);
  const text = readFileSync(path, 'utf8');
  return { path, text, lines: text.split('\n').length };
}

test('pcsForLine matches objdump on every line of the testdata programs (-N -l)', (t) => {
  for (const [prog, files] of [
    ['binmulti', ['binmulti/main.go', 'binmulti/report.go', 'binmulti/geom/geom.go', 'binmulti/geom/area.go']],
    ['binclosure', ['binclosure/main.go']],
  ] as const) {
    const path = buildFixture(prog);
    const n = checkAgainstObjdump(openBinary(path), path, [...files]);
    assert.ok(n.sites > 30);
    t.diagnostic(`${prog}: ${n.lines} lines, ${n.sites} sites, ${n.funcLines} func lines agree with objdump`);
  }
  const path = buildFixture('bininline', { flags: [] });
  const n = checkAgainstObjdump(openBinary(path), path, ['bininline/main.go', 'bininline/helpers.go', 'bininline/frames.go', 'bininline/mathx/mathx.go'], true);
  t.diagnostic(`bininline (optimized): ${n.lines} lines, ${n.sites} sites, ${n.funcLines} func lines agree with objdump`);
});

test('pcsForLine: gosym LineToPC finds one of our sites', () => {
  const path = buildFixture('binmulti');
  const p = openBinary(path).pclntab;
  const file = src('binmulti/main.go');
  const asks: string[] = [];
  for (let line = 1; line <= file.lines; line++) asks.push(`${file.path}:${line}`);
  const want = oracleLineToPC(path, asks);
  let checked = 0;
  for (let line = 1; line <= file.lines; line++) {
    const pc = want.get(`${file.path}:${line}`)!;
    const sites = p.pcsForLine(file.path, line);
    if (pc === 0) {
      assert.deepEqual(sites, [], `line ${line}: gosym has no code there`);
      continue;
    }
    const f = p.funcForPC(pc)!;
    // gosym answers the entry for a `func` line; we stop after the prologue.
    if (pc === f.entry)
      assert.ok(
        sites.some((s) => s.func === f),
        `line ${line}`,
      );
    else
      assert.ok(
        sites.some((s) => s.pc === pc),
        `line ${line}: gosym's 0x${pc.toString(16)} not among ${sites.map((s) => s.pc.toString(16))}`,
      );
    checked++;
  }
  assert.ok(checked > 15);
});

test('breakpoint sites for a for header, closures, methods, a blank line', () => {
  const multi = openBinary(buildFixture('binmulti')).pclntab;
  const main = src('binmulti/main.go');
  const forHeader = markLine(main.text, 'forHeader');
  const loop = multi.pcsForLine(main.path, forHeader);
  // Init, then the post/condition reached once per iteration.
  assert.ok(loop.length >= 2, `for header sites: ${loop.length}`);
  assert.ok(loop.every((s) => s.func.name === 'main.main' && !s.inlined));

  const add = multi.pcsForLine(main.path, markLine(main.text, 'counterAdd'));
  assert.deepEqual(
    add.map((s) => s.func.name),
    ['main.(*counter).add'],
  );
  const geom = src('binmulti/geom/geom.go');
  assert.deepEqual(
    multi.pcsForLine(geom.path, markLine(geom.text, 'distBody')).map((s) => s.func.name),
    ['example.com/testdata/binmulti/geom.Point.Dist'],
  );
  const report = src('binmulti/report.go');
  const range = multi.pcsForLine(report.path, markLine(report.text, 'rangeHeader'));
  assert.ok(range.length >= 2 && range.every((s) => s.func.name === 'main.report'));

  // A `func` line: one stop per call, after the stack check and frame setup.
  const addFn = multi.funcByName('main.(*counter).add')!;
  const funcLine = markLine(main.text, 'counterAdd') - 1;
  assert.deepEqual(
    multi.pcsForLine(main.path, funcLine).map((s) => s.pc),
    [multi.prologueEnd(addFn)],
  );
  assert.ok(multi.prologueEnd(addFn) > addFn.entry);

  // A comment line and the blank line above it: no code; the next line has.
  const comment = markLine(main.text, 'commentLine');
  assert.equal(main.text.split('\n')[comment - 2]!.trim(), '', 'the line above the marker is blank');
  assert.deepEqual(multi.pcsForLine(main.path, comment), []);
  assert.deepEqual(multi.pcsForLine(main.path, comment - 1), []);
  assert.equal(multi.nearestLineWithCode(main.path, comment), comment + 1);
  assert.equal(multi.nearestLineWithCode(main.path, comment - 1), comment + 1);
  assert.equal(multi.nearestLineWithCode(main.path, forHeader), forHeader);
  // Between functions (a doc comment) and past the end: nothing.
  const doc = main.text.split('\n').findIndex((l) => l.startsWith('// total is')) + 1;
  assert.equal(multi.nearestLineWithCode(main.path, doc), undefined);
  assert.equal(multi.nearestLineWithCode(main.path, main.lines + 10), undefined);
  assert.equal(multi.nearestLineWithCode('/no/such/file.go', 3), undefined);
  assert.deepEqual(multi.pcsForLine('/no/such/file.go', 3), []);

  const clo = openBinary(buildFixture('binclosure')).pclntab;
  const cmain = src('binclosure/main.go');
  assert.deepEqual(
    clo.pcsForLine(cmain.path, markLine(cmain.text, 'adderBody')).map((s) => s.func.name),
    ['main.makeAdder.func1'],
  );
  const body = clo.pcsForLine(cmain.path, markLine(cmain.text, 'closureBody'));
  assert.equal(body.length, 1);
  assert.match(body[0]!.func.name, /^main\.main\.func\d+$/);
  const goClosure = clo.pcsForLine(cmain.path, markLine(cmain.text, 'goClosure'));
  assert.equal(goClosure.length, 1);
  assert.match(goClosure[0]!.func.name, /^main\.main\.func\d+$/);
  // The line creating a closure is a site in main.main and (as its func line) in the closure.
  const creating = clo.pcsForLine(cmain.path, markLine(cmain.text, 'closureBody') - 1).map((s) => s.func.name);
  assert.ok(creating.includes('main.main') && creating.includes(body[0]!.func.name), `${creating}`);
  // Generic function bodies: one site per instantiation (shape).
  const mapRange = clo.pcsForLine(cmain.path, markLine(cmain.text, 'mapRange'));
  assert.ok(mapRange.length >= 2 && mapRange.every((s) => s.func.name.startsWith('main.Map[')), `${mapRange.map((s) => s.func.name)}`);
});

test('inlined copies are breakpoint sites (optimized build)', () => {
  const p = openBinary(buildFixture('bininline', { flags: [] })).pclntab;
  const main = src('bininline/main.go');
  const helpers = src('bininline/helpers.go');
  const mathx = src('bininline/mathx/mathx.go');
  const compute = p.funcByName('main.compute')!;
  for (const [file, mark, host] of [
    [main, 'addBody', 'main.main'],
    [helpers, 'clampIf', 'main.compute'],
    [mathx, 'absIf', 'main.compute'],
  ] as const) {
    const sites = p.pcsForLine(file.path, markLine(file.text, mark));
    const what = `${mark}: ${JSON.stringify(sites.map((s) => [s.func.name, s.inlined]))}`;
    // These small functions are inlined everywhere: every site is an inlined copy.
    assert.ok(sites.length >= 1 && sites.every((s) => s.inlined), what);
    assert.ok(
      sites.some((s) => s.func.name === host),
      what,
    );
    // Each site's innermost frame is on that line.
    for (const s of sites) assert.equal(p.lineForPC(s.pc)?.line, markLine(file.text, mark));
  }
  // The caller's own line is not inlined.
  const loop = p.pcsForLine(main.path, markLine(main.text, 'computeFor'));
  assert.ok(loop.length >= 1 && loop.every((s) => s.func === compute && !s.inlined));
  assert.ok(
    p.funcsInFile(mathx.path).some((f) => f === compute),
    'compute has code from mathx.go',
  );
});

test('lineStarts and funcsInFile', () => {
  const path = buildFixture('binmulti');
  const p = openBinary(path).pclntab;
  const main = src('binmulti/main.go');
  const f = p.funcByName('main.main')!;
  const starts = p.lineStarts(f);
  const insns = objdump(path, '^main\\.main$').get('main.main')!;
  // Exactly the instructions whose line differs from the previous one.
  const want = insns.filter((x, i) => i === 0 || x.line !== insns[i - 1]!.line || x.file !== insns[i - 1]!.file);
  assert.deepEqual(
    starts.map((s) => [s.pc, s.line]),
    want.map((x) => [x.pc, x.line]),
  );
  assert.ok(starts.every((s) => !s.inlined));
  const names = p
    .funcsInFile(main.path)
    .map((g) => g.name)
    .sort();
  assert.deepEqual(names, ['main.(*counter).add', 'main.counter.total', 'main.main']);
  assert.deepEqual(p.funcsInFile('nope.go'), []);
});

test('resolveFile: exact, another checkout, no match', () => {
  const p = openBinary(buildFixture('binmulti')).pclntab;
  const exact = join(testdataDir, 'binmulti/geom/area.go');
  assert.ok(p.files.includes(exact));
  assert.equal(p.resolveFile(exact), exact);
  assert.equal(p.resolveFile('/home/someone/src/project/testdata/binmulti/geom/area.go'), exact);
  assert.equal(p.resolveFile('C:\\work\\binmulti\\geom\\area.go'), exact);
  // Only the base name in common: still the best (unique) match.
  assert.equal(p.resolveFile('/elsewhere/area.go'), exact);
  // The longest common suffix wins.
  assert.equal(p.resolveFile('/x/binmulti/main.go'), join(testdataDir, 'binmulti/main.go'));
  assert.equal(p.resolveFile('/x/y/no_such_file_anywhere.go'), undefined);
  assert.equal(p.resolveFile(''), undefined);
  // Deterministic among equals: the standard library has many doc.go / type.go files.
  const std = p.files.filter((f) => f.endsWith('/error.go'));
  if (std.length > 1) assert.equal(p.resolveFile('/z/error.go'), [...std].sort()[0]);
});

test('spDelta follows the PUSHQ/SUBQ/ADDQ/POPQ of objdump', (t) => {
  let checked = 0;
  for (const [prog, flags] of [
    ['binmulti', undefined],
    ['binclosure', []],
  ] as const) {
    const path = buildFixture(prog, flags ? { flags: [...flags] } : {});
    const p = openBinary(path).pclntab;
    for (const [name, insns] of objdump(path, '^(main|example\\.com/testdata/binmulti/geom)\\.')) {
      const check = stackCheck(insns);
      let delta = 0;
      let frame = 0;
      for (let i = 0; i < insns.length; i++) {
        const x = insns[i]!;
        const inTail = check !== undefined && i >= check.tail;
        assert.equal(p.spDelta(x.pc), inTail ? 0 : delta, `${name} at 0x${x.pc.toString(16)} ${x.text}`);
        checked++;
        let m: RegExpExecArray | null;
        if (x.text === 'PUSHQ BP') delta += 8;
        else if (x.text === 'POPQ BP') delta -= 8;
        else if ((m = /^SUBQ \$0x([0-9a-f]+), SP$/.exec(x.text))) delta += parseInt(m[1]!, 16);
        else if ((m = /^ADDQ \$0x([0-9a-f]+), SP$/.exec(x.text))) delta -= parseInt(m[1]!, 16);
        else if (x.text === 'RET' || /^JMP [a-z]/.test(x.text)) delta = frame; // code after a return has the frame again
        if (delta > frame) frame = delta;
      }
      const f = p.funcByName(name)!;
      const pe = p.prologueEnd(f);
      assert.equal(p.spDelta(pe), frame, `${name}: frame complete at prologueEnd`);
    }
  }
  assert.ok(checked > 500);
  t.diagnostic(`${checked} instructions: spDelta agrees with objdump`);
});

test("inlinedFramesAt matches the runtime's CallersFrames", () => {
  for (const flags of [[], undefined]) {
    const path = buildFixture('bininline', flags ? { flags } : {});
    const out = execFileSync(path, ['frames'], { encoding: 'utf8' });
    const raw = /^RAW (.*)$/m
      .exec(out)![1]!
      .split(' ')
      .map((x) => parseInt(x, 16));
    const frames = [...out.matchAll(/^FRAME ([0-9a-f]+) (\S+) (.*):(\d+)$/gm)].map((m) => ({ funcName: m[2]!, file: m[3]!, line: Number(m[4]) }));
    const p = openBinary(path).pclntab;
    // raw[0] is the return address in the caller of where(); look up the call.
    const got = p.inlinedFramesAt(raw[0]! - 1);
    assert.deepEqual(
      got.map(({ funcName, file, line }) => ({ funcName, file, line })),
      frames.slice(0, got.length),
    );
    assert.deepEqual(
      got.map((g) => g.inlined),
      got.map((_, i) => i < got.length - 1),
      'the physical frame is last',
    );
    // With -N -l nothing is inlined: leaf is a physical frame of its own.
    assert.deepEqual(
      got.map((g) => g.funcName),
      flags ? ['main.leaf', 'main.mid', 'main.top'] : ['main.leaf'],
    );
    assert.deepEqual(p.inlinedFramesAt(1), []);
  }
});

test('funcsInFile through the units that list a file equals the walk of every pcfile table, for every file', (t) => {
  for (const [prog, flags] of [
    ['binmulti', undefined],
    ['bininline', [] as string[]],
  ] as const) {
    const p = openBinary(buildFixture(prog, flags ? { flags } : {})).pclntab;
    const funcs = (p as unknown as { funcs: FuncTable }).funcs;
    // The index of every file, as built when the units listing a file hold too many functions.
    const whole = new LineIndex(p, funcs) as unknown as { buildFileFuncs(): Map<number, number[]> };
    const everyFile = whole.buildFileFuncs();
    const narrowed: string[] = [];
    for (const file of p.files) {
      const id = p.fileId(file)!;
      // A fresh index per file: its first query goes through the units.
      const idx = new LineIndex(p, funcs);
      const got = idx.funcsInFile(file).map((f) => f.index);
      assert.deepEqual(got, everyFile.get(id) ?? [], file);
      if (!(idx as unknown as { fileFuncs?: unknown }).fileFuncs) narrowed.push(file);
    }
    // The program's own files are listed by its few units: answered without the whole index.
    const own = p.files.filter((f) => f.includes(`/testdata/${prog}/`));
    assert.ok(own.length > 0);
    assert.deepEqual(
      own.filter((f) => !narrowed.includes(f)),
      [],
    );
    t.diagnostic(`${prog}: ${p.files.length} files, ${narrowed.length} answered through their units`);
  }
});
