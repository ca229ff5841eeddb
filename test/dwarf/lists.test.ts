/**
 * Range and location lists: synthetic v4/v5 bytes with hand-derived results,
 * and every location list of real binaries against binutils' readelf.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { DecodeError } from '../../src/binary/reader.js';
import { Dwarf, locationAt, type LocationList } from '../../src/dwarf/dwarf.js';
import { Unit } from '../../src/dwarf/info.js';
import { readLocationList, readRangeList } from '../../src/dwarf/lists.js';
import { disassemble } from '../../src/dwarf/ops.js';
import { dwarfSectionsOf, dwvalues } from './support.js';

class Bytes {
  b: number[] = [];
  u8(...v: number[]): this {
    this.b.push(...v.map((x) => x & 0xff));
    return this;
  }
  u16(v: number): this {
    return this.u8(v, v >> 8);
  }
  u32(v: number): this {
    return this.u8(v, v >> 8, v >> 16, v >>> 24);
  }
  u64(v: bigint): this {
    for (let i = 0n; i < 8n; i++) this.b.push(Number((v >> (8n * i)) & 0xffn));
    return this;
  }
  uleb(v: number | bigint): this {
    let x = BigInt(v);
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x) byte |= 0x80;
      this.b.push(byte);
    } while (x);
    return this;
  }
  get bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

function unit(version: number, baseAddress: number, addrBase = 8): Unit {
  const u = new Unit(0, 0, 1000, version, 1, 8, 4, 0, 12);
  u.baseAddress = baseAddress;
  u.addrBase = addrBase;
  u.rootRead = true;
  return u;
}

// .debug_addr: an 8-byte header, then entries [0x401000, 0x402000, 0x403000].
const addr = new Bytes().u32(28).u16(5).u8(8, 0).u64(0x401000n).u64(0x402000n).u64(0x403000n).bytes;
const info = new Uint8Array(0);
const abbrev = new Uint8Array(0);

describe('range lists', () => {
  it('v4 .debug_ranges: pairs relative to the CU base, base-address selection, (0,0) end', () => {
    const ranges = new Bytes()
      .u64(0x10n)
      .u64(0x20n) // [base+0x10, base+0x20)
      .u64(0xffffffffffffffffn)
      .u64(0x500000n) // new base
      .u64(0x0n)
      .u64(0x8n) // [0x500000, 0x500008)
      .u64(0n)
      .u64(0n).bytes;
    assert.deepEqual(readRangeList({ info, abbrev, ranges }, unit(4, 0x400000), 0), [
      [0x400010, 0x400020],
      [0x500000, 0x500008],
    ]);
  });
  it('v4 pairs below the base wrap modulo 2^64 (Go writes them for code before a unit low_pc)', () => {
    const ranges = new Bytes()
      .u64(-0x100n & 0xffffffffffffffffn)
      .u64(-0x80n & 0xffffffffffffffffn)
      .u64(0n)
      .u64(0n).bytes;
    assert.deepEqual(readRangeList({ info, abbrev, ranges }, unit(4, 0x400000), 0), [[0x400000 - 0x100, 0x400000 - 0x80]]);
  });
  it('v5 .debug_rnglists: every DW_RLE kind', () => {
    const rnglists = new Bytes()
      .u8(0x01)
      .uleb(1) // base_addressx → 0x402000
      .u8(0x04)
      .uleb(0x10)
      .uleb(0x20) // offset_pair → [0x402010, 0x402020)
      .u8(0x02)
      .uleb(0)
      .uleb(2) // startx_endx → [0x401000, 0x403000)
      .u8(0x03)
      .uleb(2)
      .uleb(0x40) // startx_length → [0x403000, 0x403040)
      .u8(0x05)
      .u64(0x600000n) // base_address
      .u8(0x04)
      .uleb(1)
      .uleb(3) // [0x600001, 0x600003)
      .u8(0x06)
      .u64(0x700000n)
      .u64(0x700010n) // start_end
      .u8(0x07)
      .u64(0x800000n)
      .uleb(5) // start_length
      .u8(0x04)
      .uleb(-0x10n & 0xffffffffffffffffn)
      .uleb(-0x8n & 0xffffffffffffffffn) // below base: wraps
      .u8(0x00).bytes;
    assert.deepEqual(readRangeList({ info, abbrev, rnglists, addr }, unit(5, 0), 0), [
      [0x402010, 0x402020],
      [0x401000, 0x403000],
      [0x403000, 0x403040],
      [0x600001, 0x600003],
      [0x700000, 0x700010],
      [0x800000, 0x800005],
      [0x600000 - 0x10, 0x600000 - 0x8],
    ]);
  });
  it('malformed lists throw DecodeError', () => {
    const bad = [
      new Bytes().u8(0x09).bytes, // unknown kind
      new Bytes().u8(0x01).uleb(7).u8(0).bytes, // address index out of range
      new Bytes().u8(0x04).uleb(1).bytes, // truncated
    ];
    for (const rnglists of bad) assert.throws(() => readRangeList({ info, abbrev, rnglists, addr }, unit(5, 0), 0), DecodeError);
    assert.throws(() => readRangeList({ info, abbrev }, unit(5, 0), 0), DecodeError); // no section
  });
});

describe('location lists', () => {
  const e1 = [0x50]; // reg0
  const e2 = [0x91, 0x68]; // fbreg -24
  it('v4 .debug_loc: entries relative to the base, u16 expression lengths', () => {
    const loc = new Bytes()
      .u64(0x0n)
      .u64(0x10n)
      .u16(1)
      .u8(...e1)
      .u64(0xffffffffffffffffn)
      .u64(0x490000n)
      .u64(0x10n)
      .u64(0x40n)
      .u16(2)
      .u8(...e2)
      .u64(0n)
      .u64(0n).bytes;
    const l = readLocationList({ info, abbrev, loc }, unit(4, 0x401000), 0);
    assert.deepEqual(
      l.entries.map((e) => [e.lo, e.hi, [...e.expr]]),
      [
        [0x401000, 0x401010, e1],
        [0x490010, 0x490040, e2],
      ],
    );
    assert.deepEqual(locationAt(l, 0x401000), Uint8Array.from(e1));
    assert.deepEqual(locationAt(l, 0x49003f), Uint8Array.from(e2));
    assert.equal(locationAt(l, 0x401010), undefined);
  });
  it('v5 .debug_loclists: base_addressx + offset_pair (what Go emits), startx_length, start_end, default', () => {
    const loclists = new Bytes()
      .u8(0x01)
      .uleb(0) // base 0x401000
      .u8(0x04)
      .uleb(0)
      .uleb(0x48)
      .uleb(1)
      .u8(...e1)
      .u8(0x04)
      .uleb(0x48)
      .uleb(0x108)
      .uleb(2)
      .u8(...e2)
      .u8(0x03)
      .uleb(2)
      .uleb(4)
      .uleb(1)
      .u8(0x9c) // [0x403000, 0x403004) call_frame_cfa
      .u8(0x07)
      .u64(0x900000n)
      .u64(0x900001n)
      .uleb(1)
      .u8(0x53)
      .u8(0x05)
      .uleb(1)
      .u8(0x54) // default: reg4
      .u8(0x00).bytes;
    const l: LocationList = readLocationList({ info, abbrev, loclists, addr }, unit(5, 0), 0);
    assert.deepEqual(
      l.entries.map((e) => [e.lo, e.hi, [...e.expr]]),
      [
        [0x401000, 0x401048, e1],
        [0x401048, 0x401108, e2],
        [0x403000, 0x403004, [0x9c]],
        [0x900000, 0x900001, [0x53]],
      ],
    );
    assert.deepEqual(locationAt(l, 0x401047), Uint8Array.from(e1));
    assert.deepEqual(locationAt(l, 0x401048), Uint8Array.from(e2));
    assert.deepEqual(locationAt(l, 0x123), Uint8Array.from([0x54]), 'default location elsewhere');
  });
});

/** Parses `readelf --debug-dump=loc` into lists keyed by their start offset. */
function readelfLocLists(bin: string): Map<number, { begin: number; end: number; ops: string[] }[]> {
  const out = execFileSync('readelf', ['--debug-dump=loc', bin], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  const lists = new Map<number, { begin: number; end: number; ops: string[] }[]>();
  let cur: { begin: number; end: number; ops: string[] }[] | undefined;
  for (const line of out.split('\n')) {
    const m = /^\s+([0-9a-f]{8}) (.*)$/.exec(line);
    if (!m) continue;
    const off = parseInt(m[1]!, 16);
    const rest = m[2]!;
    if (!cur) {
      cur = [];
      lists.set(off, cur);
    }
    if (rest.startsWith('<End of list>')) {
      cur = undefined;
      continue;
    }
    // Empty ranges ("(start == end)") never apply: we drop them when decoding.
    if (rest.endsWith('(start == end)')) continue;
    const e = /^([0-9a-f]{16}) ([0-9a-f]{16}) \((.*)\)$/.exec(rest);
    if (!e || e[3] === 'base address') continue;
    const ops = e[3]!.split('; ').map((op) => op.replace(/ \([^)]*\)/, '').replace(':', ''));
    cur.push({ begin: parseInt(e[1]!, 16), end: parseInt(e[2]!, 16), ops });
  }
  return lists;
}

describe('location lists of real binaries vs readelf', () => {
  for (const version of [4, 5] as const) {
    it(`DWARF ${version}, optimized build: every list of every function`, () => {
      const bin = dwvalues(version, true);
      const dw = new Dwarf(dwarfSectionsOf(bin));
      const theirs = readelfLocLists(bin);
      let lists = 0;
      let entries = 0;
      for (const f of dw.functions()) {
        const fn = dw.functionByOffset(f.offset);
        const vars = [
          ...fn.variables,
          ...fn.inlined.flatMap(function all(c): typeof fn.variables {
            return [...c.variables, ...c.inlined.flatMap(all)];
          }),
        ];
        for (const v of vars) {
          if (!v.location || v.location instanceof Uint8Array) continue;
          const t = theirs.get(v.location.offset);
          assert.ok(t, `readelf has no list at 0x${v.location.offset.toString(16)}`);
          const ours = v.location.entries;
          assert.equal(ours.length, t.length, `${fn.name}.${v.name}: entry count`);
          // readelf 2.40 cannot read Go's compressed .debug_addr, so for v5 it prints
          // offsets from an unresolved (zero) base: compare relative to the first entry.
          const shift = version === 5 && ours.length ? ours[0]!.lo - t[0]!.begin : 0;
          ours.forEach((e, i) => {
            assert.equal(e.lo, t[i]!.begin + shift, `${fn.name}.${v.name} entry ${i} begin`);
            assert.equal(e.hi, t[i]!.end + shift, `${fn.name}.${v.name} entry ${i} end`);
            assert.deepEqual(disassemble(e.expr), t[i]!.ops, `${fn.name}.${v.name} entry ${i} expression`);
          });
          if (version === 5) assert.ok(rangesInside(ours, fn.ranges), `${fn.name}.${v.name}: list inside its function`);
          lists++;
          entries += ours.length;
        }
      }
      assert.ok(lists > 1000 && entries > 2000, `${lists} lists, ${entries} entries`);
    });
  }
});

function rangesInside(entries: { lo: number; hi: number }[], ranges: [number, number][]): boolean {
  return entries.every((e) => ranges.some(([lo, hi]) => e.lo >= lo && e.hi <= hi));
}
