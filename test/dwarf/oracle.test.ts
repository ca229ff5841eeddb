/**
 * Our DWARF decoder against Go's debug/dwarf (testdata/dwarforacle) on real
 * binaries: the dwvalues fixture with DWARF 5 and DWARF 4, and cmd/compile
 * built with debug flags (a large real binary).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dwarf, type DwarfInlinedCall, type DwarfVariable } from '../../src/dwarf/dwarf.js';
import { GO_KIND } from '../../src/dwarf/constants.js';
import type { GoType } from '../../src/dwarf/goTypes.js';
import { dwarfSectionsOf, dwvalues, dwvaluesGo122, largeBinary, oracle } from './support.js';

interface OVar {
  name: string;
  tag: string;
  type: number;
  declLine: number;
  isReturn: boolean;
  depth: number;
  scope: [number, number][] | null;
  loc: string;
}
interface OInl {
  name: string;
  callFile: number;
  callLine: number;
  ranges: [number, number][];
  variables: OVar[] | null;
  inlined: OInl[] | null;
}
interface OFunc {
  offset: number;
  name: string;
  ranges: [number, number][];
  variables: OVar[] | null;
  inlined: OInl[] | null;
}
interface OField {
  name: string;
  offset: number;
  type: number;
  embedded: boolean;
}
interface OType {
  offset: number;
  tag: string;
  name: string;
  size: number;
  goKind: number;
  runtimeType: number;
  target: number;
  key: number;
  elem: number;
  count: number;
  fields: OField[] | null;
  params: number[] | null;
  results: number[] | null;
  variadic: boolean;
  dictIndex: number;
  str: string;
  strSize: number;
}
interface ORow {
  address: number;
  file: string;
  line: number;
  isStmt: boolean;
  prologueEnd: boolean;
  endSequence: boolean;
}
interface OUnit {
  offset: number;
  name: string;
  ranges: [number, number][];
  files: string[] | null;
  hasLine: boolean;
}
interface OGlobal {
  name: string;
  address: number;
  type: number;
}

const sortRanges = (rs: readonly (readonly [number, number])[] | null): [number, number][] =>
  (rs ?? []).map((r) => [r[0], r[1]] as [number, number]).sort((a, b) => a[0] - b[0]);

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function compareVars(ours: DwarfVariable[], theirs: OVar[] | null, where: string): void {
  const t = theirs ?? [];
  assert.equal(ours.length, t.length, `${where}: variable count`);
  ours.forEach((v, i) => {
    const o = t[i]!;
    const at = `${where}: variable ${o.name}`;
    assert.equal(v.name, o.name, at);
    assert.equal(v.kind, o.tag === 'FormalParameter' ? 'param' : 'local', at);
    assert.equal(v.typeOffset, o.type, `${at} type`);
    assert.equal(v.declLine ?? 0, o.declLine, `${at} declLine`);
    if (v.kind === 'param') assert.equal(v.isReturn ?? false, o.isReturn, `${at} isReturn`);
    assert.equal(v.depth, o.depth, `${at} depth`);
    assert.deepEqual(v.scope ? sortRanges(v.scope.ranges) : null, o.scope ? sortRanges(o.scope) : null, `${at} scope`);
    const loc = v.location instanceof Uint8Array ? `expr:${hex(v.location)}` : v.location ? 'list' : '';
    assert.equal(loc, o.loc, `${at} location`);
  });
}

function compareInlined(ours: DwarfInlinedCall[], theirs: OInl[] | null, files: string[], where: string): void {
  const t = theirs ?? [];
  assert.equal(ours.length, t.length, `${where}: inlined count`);
  ours.forEach((c, i) => {
    const o = t[i]!;
    const at = `${where} → inlined ${o.name}`;
    assert.equal(c.name, o.name, at);
    assert.equal(c.callLine, o.callLine, `${at} callLine`);
    assert.equal(c.callFile, files[o.callFile], `${at} callFile`);
    assert.deepEqual(sortRanges(c.ranges), sortRanges(o.ranges), `${at} ranges`);
    compareVars(c.variables, o.variables, at);
    compareInlined(c.inlined, o.inlined, files, at);
  });
}

/** Compares the functions at `pick`ed indexes of the oracle list; returns how many variables were checked. */
function compareFunctions(dw: Dwarf, bin: string, pick: (i: number) => boolean): { fns: number; vars: number; inl: number } {
  const theirs = oracle<OFunc[]>('funcs', bin);
  const units = oracle<OUnit[]>('units', bin);
  // All functions: names and ranges.
  const ours = dw.functions();
  assert.equal(ours.length, theirs.length, 'function count');
  const byOff = new Map(ours.map((f) => [f.offset, f]));
  for (const o of theirs) {
    const f = byOff.get(o.offset);
    assert.ok(f, `function ${o.name} @${o.offset} missing`);
    assert.equal(f.name, o.name);
    const rs = sortRanges(o.ranges);
    assert.equal(f.lowPC, rs[0]![0], `${o.name} lowPC`);
    assert.equal(f.highPC, Math.max(...rs.map((r) => r[1])), `${o.name} highPC`);
  }
  // A sample in depth: variables, blocks, inlined calls, functionAt.
  let fns = 0;
  let vars = 0;
  let inl = 0;
  theirs.forEach((o, i) => {
    if (!pick(i)) return;
    const fn = dw.functionByOffset(o.offset);
    assert.equal(fn.name, o.name);
    assert.deepEqual(sortRanges(fn.ranges), sortRanges(o.ranges), `${o.name} ranges`);
    compareVars(fn.variables, o.variables, o.name);
    const unit = units.find((u) => u.offset === fn.cu.offset + (fn.cu.version >= 5 ? 12 : 11));
    assert.ok(unit, `unit of ${o.name}`);
    compareInlined(fn.inlined, o.inlined, unit.files ?? [], o.name);
    for (const [lo, hi] of o.ranges) {
      assert.equal(dw.functionAt(lo)?.offset, o.offset, `functionAt(start of ${o.name})`);
      assert.equal(dw.functionAt(hi - 1)?.offset, o.offset, `functionAt(end of ${o.name})`);
    }
    fns++;
    vars += fn.variables.length;
    inl += fn.inlined.length;
  });
  return { fns, vars, inl };
}

function expectedKind(o: OType): GoType['kind'] {
  switch (o.tag) {
    case 'BaseType':
      if (o.goKind === GO_KIND.Bool) return 'bool';
      if (o.goKind >= GO_KIND.Int && o.goKind <= GO_KIND.Int64) return 'int';
      if (o.goKind >= GO_KIND.Uint && o.goKind <= GO_KIND.Uint64) return 'uint';
      if (o.goKind === GO_KIND.Uintptr) return 'uintptr';
      if (o.goKind === GO_KIND.Float32 || o.goKind === GO_KIND.Float64) return 'float';
      return 'complex';
    case 'StructType':
      return o.goKind === GO_KIND.String ? 'string' : o.goKind === GO_KIND.Slice ? 'slice' : 'struct';
    case 'PointerType':
      return o.target ? 'pointer' : 'unsafePointer';
    case 'ArrayType':
      return 'array';
    case 'SubroutineType':
      return 'func';
    case 'Typedef':
      if (o.goKind === GO_KIND.Map) return 'map';
      if (o.goKind === GO_KIND.Chan) return 'chan';
      if (o.goKind === GO_KIND.Interface) return 'interface';
      return 'typedef';
    default:
      return 'unspecified';
  }
}

/** Compares every top-level type DIE (or a sample); returns the count. */
function compareTypes(dw: Dwarf, bin: string, pick: (i: number) => boolean): number {
  const theirs = oracle<OType[]>('types', bin);
  const byOff = new Map(theirs.map((t) => [t.offset, t]));
  let n = 0;
  theirs.forEach((o, i) => {
    if (!pick(i)) return;
    n++;
    const t = dw.type(o.offset);
    const at = `type ${o.name} @${o.offset}`;
    const kind = expectedKind(o);
    if (kind === 'typedef' && o.dictIndex < 0) {
      // The linker's name-only typedef in front of a named type: transparent.
      const target = byOff.get(o.target);
      if (target && target.name === o.name) {
        assert.equal(t, dw.type(o.target), `${at}: typedef resolves to its target`);
        return;
      }
    }
    assert.equal(t.kind, kind, at);
    assert.equal(t.name, o.name, at);
    assert.equal(t.offset, o.offset, at);
    assert.equal(t.goKind, o.goKind, `${at} goKind`);
    assert.equal(t.runtimeType, o.runtimeType, `${at} runtimeType`);
    // debug/dwarf gives -1 for a type without a size (<unspecified>).
    assert.equal(t.size, Math.max(0, o.strSize), `${at} size (debug/dwarf's Size())`);
    switch (t.kind) {
      case 'struct':
      case 'string':
      case 'slice': {
        const f = o.fields ?? [];
        assert.deepEqual(
          t.fields.map((x) => ({ name: x.name, offset: x.offset, type: x.typeOffset, embedded: x.embedded })),
          f,
          `${at} fields`,
        );
        if (t.kind === 'slice') assert.equal(t.elemOffset, o.elem, `${at} elem`);
        break;
      }
      case 'pointer':
        assert.equal(t.elemOffset, o.target, `${at} elem`);
        break;
      case 'array':
        assert.equal(t.elemOffset, o.target, `${at} elem`);
        assert.equal(t.count, o.count, `${at} count`);
        break;
      case 'map':
        assert.equal(t.keyOffset, o.key);
        assert.equal(t.elemOffset, o.elem);
        assert.equal(t.header.kind, 'pointer', `${at} header is a pointer`);
        assert.equal(t.header.offset, dw.type(o.target).offset, `${at} header`);
        break;
      case 'chan':
        assert.equal(t.elemOffset, o.elem);
        assert.equal(t.header.offset, dw.type(o.target).offset);
        break;
      case 'func':
        assert.deepEqual(
          t.params.map((p) => p.offset),
          (o.params ?? []).map((p) => dw.type(p).offset),
          `${at} params`,
        );
        assert.deepEqual(
          t.results.map((p) => p.offset),
          (o.results ?? []).map((p) => dw.type(p).offset),
          `${at} results`,
        );
        assert.equal(t.variadic, o.variadic);
        break;
      case 'interface': {
        const layout = byOff.get(o.target);
        const layoutName = layout?.tag === 'Typedef' ? byOff.get(layout.target)?.name : layout?.name;
        assert.equal(t.empty, layoutName === 'runtime.eface', `${at} empty`);
        assert.equal(t.layout.offset, dw.type(o.target).offset);
        break;
      }
    }
  });
  return n;
}

function compareLines(dw: Dwarf, bin: string, names: string[]): number {
  const theirs = oracle<ORow[]>('lines', bin, ...names);
  const ours = dw
    .compileUnits()
    .filter((c) => names.includes(c.name))
    .flatMap((c) => dw.lineTable(c).rows());
  assert.equal(ours.length, theirs.length, 'row count');
  ours.forEach((r, i) => {
    const o = theirs[i]!;
    assert.deepEqual(
      { address: r.address, file: r.file, line: r.line, isStmt: r.isStmt, prologueEnd: r.prologueEnd, endSequence: r.endSequence },
      o,
      `row ${i}`,
    );
  });
  return ours.length;
}

function compareUnitsAndGlobals(dw: Dwarf, bin: string): void {
  const units = oracle<OUnit[]>('units', bin);
  const cus = dw.compileUnits();
  assert.equal(cus.length, units.length);
  cus.forEach((c, i) => {
    const o = units[i]!;
    assert.equal(c.name, o.name);
    assert.deepEqual(sortRanges(c.ranges), sortRanges(o.ranges), `${c.name} ranges`);
    if (o.hasLine) assert.deepEqual(dw.lineTable(c).files, o.files ?? [], `${c.name} files`);
  });
  const globals = oracle<OGlobal[]>('globals', bin);
  assert.deepEqual(
    dw.globals().map((g) => ({ name: g.name, address: g.address, type: g.typeOffset })),
    globals,
  );
}

const configs = [
  { label: 'DWARF 5, -N -l', version: 5, optimized: false, build: () => dwvalues(5) },
  { label: 'DWARF 4 (nodwarf5), -N -l', version: 4, optimized: false, build: () => dwvalues(4) },
  { label: 'DWARF 5, optimized (inlining, location lists)', version: 5, optimized: true, build: () => dwvalues(5, true) },
  { label: 'DWARF 4, optimized', version: 4, optimized: true, build: () => dwvalues(4, true) },
  { label: 'Go 1.22 (DWARF 4, classic maps), -N -l', version: 4, optimized: false, build: () => dwvaluesGo122() },
] as const;

for (const cfg of configs) {
  describe(`dwvalues, ${cfg.label}`, () => {
    const bin = cfg.build();
    const dw = new Dwarf(dwarfSectionsOf(bin));

    it('declares the expected version', () => {
      assert.ok(dw.compileUnits().every((c) => c.version === cfg.version));
    });
    it('matches debug/dwarf: every function, variable, lexical block and inlined call', () => {
      const n = compareFunctions(dw, bin, () => true);
      assert.ok(n.fns > 1500 && n.vars > 3000, JSON.stringify(n));
      if (cfg.optimized) assert.ok(n.inl > 100, `inlined calls: ${n.inl}`);
    });
    it('matches debug/dwarf: every type DIE', () => {
      assert.ok(compareTypes(dw, bin, () => true) > 1000);
    });
    it('matches debug/dwarf: line tables of main and runtime', () => {
      assert.ok(compareLines(dw, bin, ['main', 'runtime']) > 10000);
    });
    it('matches debug/dwarf: compile units, file tables, globals', () => {
      compareUnitsAndGlobals(dw, bin);
    });
  });
}

describe('large binary (cmd/compile, -N -l)', () => {
  const bin = largeBinary();
  const dw = new Dwarf(dwarfSectionsOf(bin));

  it('matches debug/dwarf: all functions, a sample in depth', () => {
    const n = compareFunctions(dw, bin, (i) => i % 5 === 0);
    assert.ok(n.fns > 4000 && n.vars > 10000, JSON.stringify(n));
  });
  it('matches debug/dwarf: every type DIE', () => {
    assert.ok(compareTypes(dw, bin, () => true) > 10000);
  });
  it('matches debug/dwarf: compile units, file tables, globals', () => {
    compareUnitsAndGlobals(dw, bin);
  });
  it('matches debug/dwarf: line tables of several units', () => {
    assert.ok(compareLines(dw, bin, ['runtime', 'cmd/compile/internal/ssa', 'main']) > 100000);
  });
});
