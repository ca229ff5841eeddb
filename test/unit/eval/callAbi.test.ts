/**
 * The register ABI's assignment (src/eval/callAbi.ts) on signatures written
 * out by hand from cmd/compile/abi-internal.md, with synthesized types: the
 * document's own example, both register classes, values that do not fit,
 * arrays, zero-size values, and the frame (stack arguments, stack results,
 * spill area, each pointer-aligned).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dwarf } from '../../../src/dwarf/dwarf.js';
import type { GoType, StructField } from '../../../src/dwarf/goTypes.js';
import { abiLayout, alignOf, type AbiPlace } from '../../../src/eval/callAbi.js';
import { basicType } from '../../../src/eval/results.js';

const dw = { typeByName: () => undefined } as unknown as Dwarf;
const T = (name: string): GoType => basicType(dw, name)!;
const base = { offset: -1, goKind: 0, runtimeType: 0 };
const ptr = (elem: GoType): GoType => ({ ...base, kind: 'pointer', name: `*${elem.name}`, size: 8, elemOffset: -1, elem });
const slice = (elem: GoType): GoType => ({ ...base, kind: 'slice', name: `[]${elem.name}`, size: 24, fields: [], elemOffset: -1, elem });
const array = (elem: GoType, count: number): GoType => ({
  ...base,
  kind: 'array',
  name: `[${count}]${elem.name}`,
  size: count * elem.size,
  count,
  elemOffset: -1,
  elem,
});
/** A struct laid out as Go lays it out: each field at its alignment, the size rounded to the largest. */
function struct(name: string, ...fields: [string, GoType][]): GoType {
  let off = 0;
  let align = 1;
  const fs: StructField[] = fields.map(([n, t]) => {
    const a = alignOf(t);
    align = Math.max(align, a);
    off = Math.ceil(off / a) * a;
    const f = { name: n, offset: off, embedded: false, typeOffset: -1, type: t };
    off += t.size;
    return f;
  });
  return { ...base, kind: 'struct', name, size: Math.ceil(off / align) * align, fields: fs };
}
const iface: GoType = { ...base, kind: 'interface', name: 'error', size: 16, empty: false, layout: T('int') };

const ints = (...regs: [number, number, number][]): AbiPlace => ({
  kind: 'regs',
  pieces: regs.map(([reg, offset, size]) => ({ cls: 'int', reg, offset, size })),
  spill: -1,
});
/** The places without spill offsets (checked on their own). */
const places = (ps: AbiPlace[]) => ps.map((p) => (p.kind === 'regs' ? { ...p, spill: -1 } : p));

describe('register ABI assignment (abi-internal.md)', () => {
  test('the document’s example: func f(a1 uint8, a2 [2]uintptr, a3 uint8) (r1 struct { x uintptr; y [2]uintptr }, r2 string)', () => {
    const u8 = T('uint8');
    const up = T('uintptr');
    const r1 = struct('struct { x uintptr; y [2]uintptr }', ['x', up], ['y', array(up, 2)]);
    const l = abiLayout([u8, array(up, 2), u8], [r1, T('string')]);
    // a1 → R0, a2 → stack (an array of two), a3 → R1; r1 → stack (holds that array), r2 → R0, R1.
    assert.deepEqual(places(l.args), [ints([0, 0, 1]), { kind: 'stack', offset: 0 }, ints([1, 0, 1])]);
    assert.deepEqual(places(l.results), [{ kind: 'stack', offset: 16 }, ints([0, 0, 8], [1, 8, 8])]);
    // "a2 [2]uintptr; r1.x uintptr; r1.y [2]uintptr; a1Spill uint8; a3Spill uint8; _ [6]uint8"
    assert.equal(l.spillOffset, 40);
    assert.deepEqual(
      l.args.map((a) => (a.kind === 'regs' ? a.spill : -1)),
      [40, -1, 41],
    );
    assert.equal(l.frameSize, 48);
  });

  test('ints, strings, slices, interfaces, pointers: one register per word in RAX RBX RCX RDI RSI R8 R9 R10 R11 order', () => {
    const l = abiLayout([T('int'), T('string'), slice(T('int')), iface], [ptr(T('int'))]);
    assert.deepEqual(places(l.args), [ints([0, 0, 8]), ints([1, 0, 8], [2, 8, 8]), ints([3, 0, 8], [4, 8, 8], [5, 16, 8]), ints([6, 0, 8], [7, 8, 8])]);
    assert.deepEqual(places(l.results), [ints([0, 0, 8])]);
    assert.equal(l.intArgs, 8);
    assert.equal(l.frameSize, 8 + 16 + 24 + 16);
  });

  test('floats and complex numbers take X registers; a struct is assigned field by field across both classes', () => {
    const pair = struct('main.Pair', ['a', T('int32')], ['f', T('float32')], ['c', T('complex128')]);
    const l = abiLayout([T('float64'), pair, T('bool')], [T('float32')]);
    assert.deepEqual(places(l.args), [
      { kind: 'regs', pieces: [{ cls: 'float', reg: 0, offset: 0, size: 8 }], spill: -1 },
      {
        kind: 'regs',
        pieces: [
          { cls: 'int', reg: 0, offset: 0, size: 4 },
          { cls: 'float', reg: 1, offset: 4, size: 4 },
          { cls: 'float', reg: 2, offset: 8, size: 8 },
          { cls: 'float', reg: 3, offset: 16, size: 8 },
        ],
        spill: -1,
      },
      ints([1, 0, 1]),
    ]);
    assert.deepEqual(places(l.results), [{ kind: 'regs', pieces: [{ cls: 'float', reg: 0, offset: 0, size: 4 }], spill: -1 }]);
    // Spill: float64 @0, Pair (align 8) @8..32, bool @32 → 40.
    assert.equal(l.frameSize, 40);
  });

  test('the tenth int goes to the stack; a value that does not fit in what is left goes wholly to the stack and the next one takes the registers', () => {
    const int = T('int');
    const ten = abiLayout(Array(10).fill(int), []);
    assert.deepEqual(ten.args[9], { kind: 'stack', offset: 0 });
    assert.equal(ten.intArgs, 9);
    assert.equal(ten.frameSize, 8 + 9 * 8);
    // Eight ints, then a string (two words, one register left) → stack; then an int takes R11 (index 8).
    const l = abiLayout([...Array(8).fill(int), T('string'), int], []);
    assert.deepEqual(l.args[8], { kind: 'stack', offset: 0 });
    assert.deepEqual(places([l.args[9]!]), [ints([8, 0, 8])]);
    const floats = abiLayout(Array(16).fill(T('float64')), []);
    assert.deepEqual(floats.args[15], { kind: 'stack', offset: 0 });
    assert.equal(floats.floatArgs, 15);
  });

  test('arrays: length 0 nothing, length 1 as its element, longer to the stack; zero-size values on the stack', () => {
    const one = array(T('int64'), 1);
    const zero = array(T('int64'), 0);
    const empty = struct('struct {}');
    const l = abiLayout([one, zero, empty, array(T('int8'), 3), T('int8')], []);
    assert.deepEqual(places(l.args), [
      ints([0, 0, 8]),
      { kind: 'stack', offset: 0 },
      { kind: 'stack', offset: 0 },
      { kind: 'stack', offset: 0 },
      ints([1, 0, 1]),
    ]);
    // Stack: [0]int64 @0 (size 0), struct{} @0, [3]int8 @0..3 → 8 aligned; spill: int64 @8, int8 @16 → 24.
    assert.equal(l.frameSize, 24);
  });

  test('stack arguments at their alignment, stack results after the pointer-aligned arguments', () => {
    const big = array(T('int16'), 3);
    const l = abiLayout([T('int8'), ...Array(9).fill(T('int')), big], [array(T('int32'), 2)]);
    // int8 in RAX, eight ints in RBX…R11; the ninth int (index 9) is on the stack @0, [3]int16 @8..14.
    assert.deepEqual(l.args[9], { kind: 'stack', offset: 0 });
    assert.deepEqual(l.args[10], { kind: 'stack', offset: 8 });
    assert.deepEqual(l.results[0], { kind: 'stack', offset: 16 });
    // Spill: int8 @24, eight ints @32..96 → 96.
    assert.equal(l.spillOffset, 24);
    assert.equal(l.frameSize, 96);
  });
});
