/**
 * The fast page of builtin scalars (values/scalarPages.ts) against the
 * general path it stands in for (childrenOf, then formatValue and the
 * address the Variables view shows), on random bytes of every builtin
 * number type and bool, in slices, arrays in memory, arrays already read,
 * computed arrays and pointers to arrays; and the values it leaves to the
 * general path; formatValue's own fast path for a builtin scalar whose bytes
 * are at hand (values/scalarText.ts) against its general path reading the
 * same bytes from memory. Also a few texts fixed by Go's own spelling, and
 * pages of maps of builtin scalars against childrenOf and the view's fields.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GoType, StructField } from '../../../src/dwarf/goTypes.js';
import type { Dwarf } from '../../../src/dwarf/dwarf.js';
import { childrenOf } from '../../../src/values/children.js';
import { formatValue, hexAddr, typeName } from '../../../src/values/format.js';
import { scalarPage } from '../../../src/values/scalarPages.js';
import type { Value } from '../../../src/values/value.js';
import { ValueReader } from '../../../src/values/valueReader.js';
import { prng } from '../../support/prng.js';

const BASE = 0x10000;
const memory = new Uint8Array(1 << 16);
const reader = new ValueReader({
  mem: {
    readInto(addr, out) {
      const off = addr - BASE;
      if (off < 0 || off + out.length > memory.length) return 0;
      out.set(memory.subarray(off, off + out.length));
      return out.length;
    },
  },
  // Builtin element types never ask for DWARF (named constants are looked up only for named types).
  dwarf: {} as Dwarf,
  funcName: () => undefined,
});

let offset = 1;
const t = <T extends object>(name: string, size: number, rest: T) =>
  ({ offset: offset++, name, size, goKind: 0, runtimeType: 0, ...rest }) as unknown as GoType;
const field = (name: string, off: number, type: GoType): StructField => ({ name, offset: off, embedded: false, typeOffset: type.offset, type });
const INT = t('int', 8, { kind: 'int', signed: true });

const SCALARS: GoType[] = [
  INT,
  t('int8', 1, { kind: 'int', signed: true }),
  t('int16', 2, { kind: 'int', signed: true }),
  t('int32', 4, { kind: 'int', signed: true }),
  t('int64', 8, { kind: 'int', signed: true }),
  t('uint', 8, { kind: 'uint', signed: false }),
  t('uint8', 1, { kind: 'uint', signed: false }),
  t('uint16', 2, { kind: 'uint', signed: false }),
  t('uint32', 4, { kind: 'uint', signed: false }),
  t('uint64', 8, { kind: 'uint', signed: false }),
  t('float32', 4, { kind: 'float' }),
  t('float64', 8, { kind: 'float' }),
  t('bool', 1, { kind: 'bool' }),
];

const sliceOf = (e: GoType) => {
  const ptr = t(`*${e.name}`, 8, { kind: 'pointer', elemOffset: e.offset, elem: e });
  return t(`[]${e.name}`, 24, { kind: 'slice', elemOffset: e.offset, elem: e, fields: [field('array', 0, ptr), field('len', 8, INT), field('cap', 16, INT)] });
};
const arrayOf = (e: GoType, count: number) => t(`[${count}]${e.name}`, count * e.size, { kind: 'array', count, elemOffset: e.offset, elem: e });
const pointerTo = (e: GoType) => t(`*${e.name}`, 8, { kind: 'pointer', elemOffset: e.offset, elem: e });

/** What the general path shows for each child of `v` in [start, start+count). */
function general(v: Value, evalName: string | undefined, start: number, count: number) {
  return childrenOf(reader, v, evalName, { start, count, filter: 'indexed' }, {}).map((c) => ({
    name: c.name,
    // Without its bytes the element is read and spelled by formatValue's general path, not by scalarText.
    text: formatValue(reader, c.value.addr !== undefined ? { type: c.value.type, addr: c.value.addr } : c.value, {}),
    evalName: c.evalName,
    memoryReference: c.value.addr !== undefined && !c.value.computed && !c.value.regs ? hexAddr(c.value.addr) : undefined,
    type: typeName(c.value.type),
  }));
}

function fast(v: Value, evalName: string | undefined, start: number, count: number) {
  const p = scalarPage(reader, v, evalName, start, count);
  assert.ok(p, 'a fast page');
  return p.elems.map((e) => ({ name: e.name, text: e.value, evalName: e.evaluateName, memoryReference: e.memoryReference, type: e.type }));
}

function word(off: number, n: number): void {
  new DataView(memory.buffer).setBigUint64(off - BASE, BigInt(n), true);
}

test('a page of builtin scalars reads as the general path shows it', () => {
  const rnd = prng(17);
  for (let i = 0; i < memory.length; i++) memory[i] = Math.floor(rnd() * 256);
  // Some words the general path must spell beyond 2^53, and small negatives.
  for (let i = 0; i < 64; i++) memory[0x2000 + i] = i % 2 ? 0xff : 0x00;
  const data = BASE + 0x1000;
  let cases = 0;
  for (const e of SCALARS) {
    const len = Math.floor(0x3000 / e.size / 4);
    // A slice header in memory pointing at the data.
    const hdr = BASE + 0x100;
    word(hdr, data);
    word(hdr + 8, len);
    word(hdr + 16, len);
    const slice: Value = { type: sliceOf(e), addr: hdr };
    const arr = arrayOf(e, 40);
    const inMemory: Value = { type: arr, addr: data };
    const read: Value = { type: arr, addr: data, bytes: memory.slice(data - BASE, data - BASE + arr.size) };
    const computed: Value = { type: arr, bytes: memory.slice(data - BASE + 8, data - BASE + 8 + arr.size), computed: true };
    const ptrAddr = BASE + 0x200;
    word(ptrAddr, data);
    const pointer: Value = { type: pointerTo(arr), addr: ptrAddr };
    for (const [v, name] of [
      [slice, 's'],
      [inMemory, 'a'],
      [read, 'x.f[2]'],
      [computed, undefined],
      [pointer, 'p'],
      [slice, 'f(s)'],
    ] as [Value, string | undefined][]) {
      for (const [start, count] of [
        [0, 100],
        [3, 7],
        [30, 100],
        [0, 1],
        [39, 5],
      ]) {
        assert.deepEqual(fast(v, name, start, count), general(v, name, start, count), `${typeName(v.type)} ${name} [${start}, +${count})`);
        cases++;
      }
    }
  }
  assert.equal(cases, SCALARS.length * 30);
});

test('a builtin scalar with its bytes reads as the general path spells it from memory', () => {
  const rnd = prng(29);
  for (let i = 0; i < memory.length; i++) memory[i] = Math.floor(rnd() * 256);
  let n = 0;
  for (const e of SCALARS) {
    for (let off = 0; off < 4096; off += e.size) {
      const addr = BASE + off;
      const general = formatValue(reader, { type: e, addr });
      const fast = formatValue(reader, { type: e, addr, bytes: memory.slice(off, off + e.size) });
      if (general !== fast) assert.fail(`${e.name} at ${off}: ${fast}, general path ${general}`);
      n++;
    }
  }
  assert.ok(n > 10_000);
});

test('Go spells the elements as fmt does', () => {
  const data = BASE + 0x4000;
  const ints = [0n, -1n, 9007199254740992n, -9007199254740993n, 9007199254740993n, -9223372036854775808n];
  const view = new DataView(memory.buffer);
  ints.forEach((n, i) => view.setBigInt64(data - BASE + i * 8, n, true));
  const hdr = BASE + 0x300;
  word(hdr, data);
  word(hdr + 8, ints.length);
  word(hdr + 16, ints.length);
  const texts = fast({ type: sliceOf(INT), addr: hdr }, 's', 0, 10).map((e) => e.text);
  assert.deepEqual(texts, ['0', '-1', '9007199254740992', '-9007199254740993', '9007199254740993', '-9223372036854775808']);
  const f32 = SCALARS.find((s) => s.name === 'float32')!;
  view.setFloat32(data - BASE, 0.1, true);
  view.setFloat32(data - BASE + 4, 1e7, true);
  view.setFloat32(data - BASE + 8, -0, true);
  const floats = fast({ type: arrayOf(f32, 3), addr: data }, 'a', 0, 3).map((e) => e.text);
  assert.deepEqual(floats, ['0.1', '1e+07', '-0']);
});

const mapOf = (k: GoType, e: GoType) =>
  t(`map[${k.name}]${e.name}`, 8, { kind: 'map', keyOffset: k.offset, elemOffset: e.offset, key: k, elem: e, header: INT, swiss: true });

test('a page of a map of builtin scalars reads as the general path shows it', () => {
  const rnd = prng(41);
  for (let i = 0; i < memory.length; i++) memory[i] = Math.floor(rnd() * 256);
  let cases = 0;
  for (const k of SCALARS) {
    for (const e of [SCALARS[0]!, SCALARS[10]!, SCALARS[12]!, k]) {
      // Entries as the map iterator makes them: key and value in memory with their bytes; every seventh value computed.
      const entries = Array.from({ length: 50 }, (_, i) => {
        const ka = BASE + 0x1000 + i * 32;
        const va = ka + 16;
        const value: Value =
          i % 7 === 3
            ? { type: e, bytes: memory.slice(va - BASE, va - BASE + e.size), computed: true }
            : { type: e, addr: va, bytes: memory.slice(va - BASE, va - BASE + e.size) };
        return { key: { type: k, addr: ka, bytes: memory.slice(ka - BASE, ka - BASE + k.size) }, value };
      });
      const m: Value = { type: mapOf(k, e), bytes: new Uint8Array(8), mapEntries: entries };
      for (const name of ['m', 'x.f[2]', undefined]) {
        for (const [start, count] of [
          [0, 100],
          [3, 7],
          [49, 5],
          [60, 10],
        ]) {
          assert.deepEqual(fast(m, name, start, count), general(m, name, start, count), `${typeName(m.type)} ${name} [${start}, +${count})`);
          cases++;
        }
      }
    }
  }
  assert.equal(cases, SCALARS.length * 4 * 12);
  // Keys or values of other types: the general path (named types may have String methods, strings are quoted and cut).
  const named = t('main.ID', 8, { kind: 'int', signed: true });
  const str = t('string', 16, { kind: 'string', fields: [] });
  for (const m of [mapOf(named, INT), mapOf(INT, named), mapOf(str, INT), mapOf(INT, str)]) {
    assert.equal(scalarPage(reader, { type: m, bytes: new Uint8Array(8), mapEntries: [] }, 'm', 0, 10), undefined, typeName(m));
  }
});

test('other values are left to the general path', () => {
  const named = t('main.Celsius', 8, { kind: 'int', signed: true });
  const hdr = BASE + 0x400;
  word(hdr, BASE + 0x1000);
  word(hdr + 8, 4);
  word(hdr + 16, 4);
  assert.equal(scalarPage(reader, { type: sliceOf(named), addr: hdr }, 's', 0, 4), undefined, 'a named element type (it may have constants)');
  assert.equal(scalarPage(reader, { type: sliceOf(SCALARS[1]!), addr: BASE - 0x1000 }, 's', 0, 4), undefined, 'an unreadable header');
  word(hdr, 0x10);
  assert.equal(scalarPage(reader, { type: sliceOf(INT), addr: hdr }, 's', 0, 4), undefined, 'an unreadable page');
  const str = t('string', 16, { kind: 'string', fields: [] });
  assert.equal(scalarPage(reader, { type: arrayOf(str, 2), addr: BASE }, 'a', 0, 2), undefined, 'strings');
  assert.equal(scalarPage(reader, { type: INT, addr: BASE }, 'n', 0, 2), undefined, 'a scalar itself');
});
