/**
 * Expression forms without a Go build: composite literals laid out in their
 * type's bytes (fields at their offsets, a slice's backing array and a
 * string's bytes synthesized for the stop), `&T{…}`, types named by a
 * package's name (`maps.Map`, vendored packages, an ambiguous name), and the
 * compiler's words and columns for bad literals. The types are hand-made
 * GoTypes laid out as the Go compiler lays them out on amd64.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dwarf } from '../../../src/dwarf/dwarf.js';
import type { GoType } from '../../../src/dwarf/goTypes.js';
import { evaluate } from '../../../src/eval/evaluator.js';
import { namedType, packagePaths } from '../../../src/eval/typeLookup.js';
import type { Value } from '../../../src/values/value.js';
import { ValueReader } from '../../../src/values/valueReader.js';
import { wordMemory } from '../../support/wordMemory.js';

const base = { offset: 0, goKind: 0, runtimeType: 0 };
const int: GoType = { ...base, kind: 'int', name: 'int', size: 8, signed: true };
const int8: GoType = { ...base, kind: 'int', name: 'int8', size: 1, signed: true };
const str: GoType = { ...base, kind: 'string', name: 'string', size: 16, fields: [] };
/** type T struct { A int8; B int; S string } — A at 0, B at 8 (aligned), S at 16. */
const T: GoType = {
  ...base,
  kind: 'struct',
  name: 'main.T',
  size: 32,
  fields: [
    { name: 'A', offset: 0, embedded: false, typeOffset: 0, type: int8 },
    { name: 'B', offset: 8, embedded: false, typeOffset: 0, type: int },
    { name: 'S', offset: 16, embedded: false, typeOffset: 0, type: str },
  ],
} as GoType;
const mapsMap: GoType = { ...base, kind: 'struct', name: 'internal/runtime/maps.Map', size: 8, fields: [] } as GoType;
const dnsType: GoType = { ...base, kind: 'int', name: 'vendor/golang.org/x/net/dns/dnsmessage.Type', size: 2, signed: false };
const utilA: GoType = { ...base, kind: 'struct', name: 'example.com/a/util.Opt', size: 0, fields: [] } as GoType;
const utilB: GoType = { ...base, kind: 'struct', name: 'example.com/b/util.Opt', size: 0, fields: [] } as GoType;

const TYPES = new Map<string, GoType>([int, int8, str, T, mapsMap, dnsType, utilA, utilB].map((t) => [t.name, t]));
const UNITS = ['main', 'internal/runtime/maps', 'vendor/golang.org/x/net/dns/dnsmessage', 'example.com/a/util', 'example.com/b/util'];

/** The parts of Dwarf the evaluator asks for literals and type names. */
const dw = {
  typeByName: (n: string) => TYPES.get(n),
  typeNames: () => TYPES.keys(),
  compileUnits: () => UNITS.map((name) => ({ name })),
  globals: () => [],
  functions: () => [],
  constantNamed: () => undefined,
  runtimeTypeAddr: () => undefined,
} as unknown as Dwarf;

function session(): { reader: ValueReader; ev: (src: string) => Value } {
  const reader = new ValueReader({ mem: wordMemory(() => undefined), dwarf: dw, funcName: () => undefined });
  const scope = { reader, dwarf: dw, pkg: 'main', local: () => undefined };
  return {
    reader,
    ev: (src) => {
      const r = evaluate(scope, src);
      assert.equal(r.k, 'val', src);
      return (r as { v: Value }).v;
    },
  };
}

function errorOf(src: string): string {
  const { reader } = session();
  try {
    evaluate({ reader, dwarf: dw, pkg: 'main', local: () => undefined }, src);
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail(`${src} evaluated`);
}

describe('composite literals', () => {
  test('a struct literal: each field at its offset, a string field pointing at its bytes', () => {
    const { reader, ev } = session();
    for (const src of ['T{A: -2, B: 300, S: "hé"}', 'main.T{-2, 300, "hé"}']) {
      const v = ev(src);
      assert.equal(v.type, T);
      assert.equal(v.computed, true);
      assert.equal(v.bytes!.length, 32);
      assert.equal(reader.int({ type: int8, bytes: v.bytes!.subarray(0, 1) }), -2n);
      assert.equal(reader.int({ type: int, bytes: v.bytes!.subarray(8, 16) }), 300n);
      const h = reader.stringHeader({ type: str, bytes: v.bytes!.subarray(16, 32) });
      assert.equal(h.len, 3);
      assert.equal(new TextDecoder().decode(reader.read(h.data, h.len)), 'hé');
    }
    // Omitted fields are zero.
    assert.deepEqual([...ev('T{B: 1}').bytes!.subarray(0, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('slice and array literals: indices, keys, [...] length, elided element types', () => {
    const { reader, ev } = session();
    const s = ev('[]int{2: 7, 9}');
    const h = reader.sliceHeader(s);
    assert.deepEqual([h.len, h.cap], [4, 4]);
    const elems = [0, 1, 2, 3].map((i) => reader.int({ type: int, addr: h.data + i * 8 }));
    assert.deepEqual(elems, [0n, 0n, 7n, 9n]);
    const a = ev('[...]int8{1, 4: 5}');
    assert.equal(a.type.name, '[5]int8');
    assert.deepEqual([...a.bytes!], [1, 0, 0, 0, 5]);
    const ts = ev('[]T{{B: 4}, {A: 1}}');
    const th = reader.sliceHeader(ts);
    assert.equal(th.len, 2);
    assert.equal(reader.int({ type: int, addr: th.data + 8 }), 4n);
    assert.equal(reader.int({ type: int8, addr: th.data + 32 }), 1n);
    // An element of a literal reads back, and is no variable of the program (setExpression must refuse it).
    const b = ev('[]T{{B: 4}}[0].B');
    assert.equal(reader.int(b), 4n);
    assert.equal(b.computed, true);
  });

  test('&T{…} points at synthesized bytes, never at the program', () => {
    const { reader, ev } = session();
    const p = ev('&T{B: 5}');
    assert.equal(p.type.name, '*main.T');
    const addr = reader.pointer(p);
    assert.ok(addr >= 2 ** 48, `0x${addr.toString(16)} is outside any process's address space`);
    assert.equal(reader.int({ type: int, addr: addr + 8 }), 5n);
  });

  test("bad literals: the compiler's words and the column", () => {
    assert.equal(errorOf('T{1}'), 'too few values in struct literal of type main.T at column 4');
    assert.equal(errorOf('T{1, 2, "", 4}'), 'too many values in struct literal of type main.T at column 13');
    assert.equal(errorOf('T{Z: 1}'), 'unknown field Z in struct literal of type main.T at column 3');
    assert.equal(errorOf('T{A: 1, 2}'), 'mixture of field:value and value elements in struct literal at column 9');
    assert.equal(errorOf('T{A: 1, A: 2}'), 'duplicate field name A in struct literal at column 9');
    assert.equal(errorOf('T{A: 300}'), '300 (untyped int constant) overflows int8 at column 6');
    assert.equal(errorOf('T{S: 1}'), 'cannot use 1 (untyped int constant) as string value in struct literal at column 6');
    assert.equal(errorOf('[2]int{1, 2, 3}'), 'index 2 is out of bounds (>= 2) at column 14');
    assert.equal(errorOf('[]int{1: 1, 1: 2}'), 'duplicate index 1 in array or slice literal at column 13');
    assert.equal(errorOf('[]int{x: 1}'), 'undefined: x at column 7');
    assert.equal(errorOf('Nope{1}'), 'undefined: Nope (no such type in the program; the linker keeps only the types it uses) at column 1');
  });
});

describe('types named by package', () => {
  test("a package's name stands for its path: internal and vendored packages", () => {
    assert.deepEqual(packagePaths(dw, 'maps'), ['internal/runtime/maps']);
    assert.deepEqual(packagePaths(dw, 'dnsmessage'), ['vendor/golang.org/x/net/dns/dnsmessage']);
    assert.deepEqual(packagePaths(dw, 'internal/runtime/maps'), ['internal/runtime/maps']);
    assert.deepEqual(packagePaths(dw, 'nosuch'), []);
    assert.equal(namedType(dw, 'main', 'maps.Map'), mapsMap);
    assert.equal(namedType(dw, 'main', 'dnsmessage.Type'), dnsType);
    assert.equal(namedType(dw, 'main', 'T'), T);
    assert.equal(namedType(dw, 'main', 'byte')?.name, 'uint8');
  });

  test('two packages of one name: the type is ambiguous, and the message names both', () => {
    assert.throws(() => namedType(dw, 'main', 'util.Opt'), /util\.Opt is ambiguous: example\.com\/a\/util\.Opt, example\.com\/b\/util\.Opt/);
  });
});
