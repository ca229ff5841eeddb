/**
 * The formatter's Go spellings against Go itself (testdata/valuesfmt runs
 * strconv on the same inputs), and whole-value formatting over synthetic
 * memory with real DWARF types.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { GoBinary } from '../../src/binary/goBinary.js';
import { Dwarf } from '../../src/dwarf/dwarf.js';
import { formatValue } from '../../src/values/format.js';
import { formatComplex, formatFloat, quoteBytes, quoteRune } from '../../src/values/goFormat.js';
import type { MemoryReader } from '../../src/process/memory.js';
import { ValueReader } from '../../src/values/valueReader.js';
import { dwarfSectionsOf, dwvalues, prng } from '../dwarf/support.js';
import { buildFixture } from '../support/goBuild.js';

function goSays(lines: string[]): string[] {
  const bin = buildFixture('valuesfmt', { flags: [] });
  const out = execFileSync(bin, { input: `${lines.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.split('\n').slice(0, lines.length);
}

describe('Go spellings vs strconv', () => {
  const rnd = prng(42);
  const u32 = () => Math.floor(rnd() * 2 ** 32) >>> 0;

  test('floats: 3,000 random float64 and float32 bit patterns and the usual suspects, as strconv.FormatFloat(f, g, -1)', () => {
    const f64: number[] = [0, -0, 1, -1, 0.1, 1.5, 20, 1e6, 123456, 1234567, 1e-4, 1e-5, 1e21, 1e20, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 1 / 3];
    const dv = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 1500; i++) {
      dv.setUint32(0, u32(), true);
      dv.setUint32(4, u32(), true);
      f64.push(dv.getFloat64(0, true));
      // Also "human" numbers: short decimals at many scales.
      f64.push(Number((rnd() * 10 ** Math.floor(rnd() * 30 - 10)).toPrecision(1 + Math.floor(rnd() * 6))));
    }
    const f32: number[] = [0.1, 3.25, 16777216, 1e-7, 3.4028234663852886e38, 1.401298464324817e-45];
    for (let i = 0; i < 1500; i++) {
      dv.setUint32(0, u32(), true);
      f32.push(dv.getFloat32(0, true));
    }
    const hex64 = (x: number) => {
      dv.setFloat64(0, x, true);
      return dv.getBigUint64(0, true).toString(16);
    };
    const hex32 = (x: number) => {
      dv.setFloat32(0, x, true);
      return dv.getUint32(0, true).toString(16);
    };
    const theirs = goSays([...f64.map((x) => `f64 ${hex64(x)}`), ...f32.map((x) => `f32 ${hex32(x)}`)]);
    const ours = [...f64.map((x) => formatFloat(x, 64)), ...f32.map((x) => formatFloat(x, 32))];
    const inputs = [...f64, ...f32];
    for (let i = 0; i < ours.length; i++) assert.equal(ours[i], theirs[i], `input ${inputs[i]}`);
  });

  test('complex numbers as fmt %v', () => {
    const pairs: [number, number][] = [
      [1, -2],
      [3.5, 4],
      [0, 0],
      [-0, 1e21],
      [NaN, Infinity],
      [1e-7, -1e-7],
    ];
    const dv = new DataView(new ArrayBuffer(8));
    const hex = (x: number) => {
      dv.setFloat64(0, x, true);
      return dv.getBigUint64(0, true).toString(16);
    };
    const theirs = goSays(pairs.map(([a, b]) => `c128 ${hex(a)} ${hex(b)}`));
    assert.deepEqual(
      pairs.map(([a, b]) => formatComplex(a, b)),
      theirs,
    );
  });

  test('strings (random bytes, invalid UTF-8, control and non-printable runes) and runes as strconv.Quote/QuoteRune', () => {
    const samples: Uint8Array[] = [new Uint8Array(0), new TextEncoder().encode('héllo\n"world"\t\\ \u00a0\u200b\u{1f600}\u0085\u2028\ufeff')];
    for (let i = 0; i < 800; i++) {
      const n = Math.floor(rnd() * 12);
      const b = new Uint8Array(n);
      for (let k = 0; k < n; k++) b[k] = rnd() < 0.5 ? Math.floor(rnd() * 256) : 0x20 + Math.floor(rnd() * 0x5f);
      samples.push(b);
    }
    const runes = [0, 7, 39, 92, 233, 0x85, 0xa0, 0x2028, 0xd800, 0x10ffff, 0x110000, -1, 0x1f600, 0xe000, 0xfffe];
    // Random runes from long-assigned blocks only: Node's ICU and Go's unicode tables follow different Unicode versions.
    for (let i = 0; i < 300; i++) runes.push(Math.floor(rnd() * 0x800));
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const theirs = goSays([...samples.map((b) => `q ${hex(b)}`), ...runes.map((r) => `r ${r}`)]);
    const ours = [...samples.map(quoteBytes), ...runes.map(quoteRune)];
    for (let i = 0; i < ours.length; i++)
      assert.equal(ours[i], theirs[i], i < samples.length ? `bytes ${hex(samples[i]!)}` : `rune ${runes[i - samples.length]}`);
  });
});

describe('formatValue over synthetic memory', () => {
  const bin = dwvalues(5);
  const gb = GoBinary.open(readFileSync(bin));
  const dw = new Dwarf(dwarfSectionsOf(bin), gb.elf.symbol('runtime.types')?.value);
  /** A fake address space: regions of bytes; anything else is unreadable. */
  function memory(regions: [number, Uint8Array][]): MemoryReader {
    return {
      readInto(addr, out) {
        for (const [a, b] of regions) {
          if (addr >= a && addr + out.length <= a + b.length) {
            out.set(b.subarray(addr - a, addr - a + out.length));
            return out.length;
          }
        }
        return 0;
      },
    };
  }
  const le = (...words: (number | bigint)[]) => {
    const b = new Uint8Array(words.length * 8);
    const v = new DataView(b.buffer);
    words.forEach((w, i) => v.setBigUint64(i * 8, BigInt(w), true));
    return b;
  };
  const reader = (regions: [number, Uint8Array][]) => new ValueReader({ mem: memory(regions), dwarf: dw, funcName: () => undefined });

  test('slices: elements from memory, nil, and an unreadable backing array', () => {
    const t = dw.typeByName('[]int')!;
    const r = reader([[0x10000, le(1, 2, 3)]]);
    assert.equal(formatValue(r, { type: t, bytes: le(0x10000, 3, 4) }), '[]int len: 3, cap: 4, [1,2,3]');
    assert.equal(formatValue(r, { type: t, bytes: le(0, 0, 0) }), '[]int len: 0, cap: 0, nil');
    assert.equal(
      formatValue(r, { type: t, bytes: le(0x90000, 2, 2) }),
      '[]int len: 2, cap: 2, [<error: cannot read memory at 0x90000>,<error: cannot read memory at 0x90000>]',
    );
  });

  test('strings: quoted, cut at maxString with the rest counted, unreadable data as an error', () => {
    const t = dw.typeByName('string')!;
    const text = new TextEncoder().encode('aé"b');
    const r = reader([[0x20000, text]]);
    assert.equal(formatValue(r, { type: t, bytes: le(0x20000, text.length) }), '"aé\\"b"');
    // Never cut inside a UTF-8 sequence: 2 bytes would split é, so 1 byte is shown.
    assert.equal(formatValue(r, { type: t, bytes: le(0x20000, text.length) }, { maxString: 2 }), '"a"...+4 more');
    assert.equal(formatValue(r, { type: t, bytes: le(0x30000, 5) }), '<error: cannot read memory at 0x30000>');
  });

  test('structs with nested values summarised beyond the depth; nil pointers and maps', () => {
    const item = dw.typeByName('main.Item')!;
    const r = reader([]);
    const bytes = new Uint8Array(item.size);
    const dv = new DataView(bytes.buffer);
    dv.setBigInt64(0, 3n, true); // Point.X
    dv.setBigInt64(8, 4n, true); // Point.Y
    dv.setBigInt64(24, -5n, true); // ID
    dv.setFloat64(64, 2.5, true); // Price
    assert.equal(
      formatValue(r, { type: item, bytes }),
      'main.Item {Point: main.Point {X: 3, Y: 4}, Named: nil, ID: -5, Tags: []string len: 0, cap: 0, nil, Inner: struct { A uint8; B [3]uint16 } {A: 0, B: [3]uint16 […]}, Price: 2.5}',
    );
    assert.equal(
      formatValue(r, { type: item, bytes }, { depth: 1 }),
      'main.Item {Point: main.Point {…}, Named: nil, ID: -5, Tags: []string len: 0, cap: 0, nil, Inner: struct { A uint8; B [3]uint16 } {…}, Price: 2.5}',
    );
    assert.equal(formatValue(r, { type: dw.typeByName('map[string]int')!, bytes: le(0) }), 'map[string]int nil');
    assert.equal(formatValue(r, { type: dw.typeByName('*main.Order')!, bytes: le(0x40000) }), '*<error: cannot read memory at 0x40000>');
    assert.equal(formatValue(r, { type: dw.typeByName('int')!, bytes: le(255) }, { hex: true }), '0xff');
  });
});
