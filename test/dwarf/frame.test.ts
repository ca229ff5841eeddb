/**
 * .debug_frame CFI: synthetic CIE/FDE programs with hand-derived rows, real
 * binaries against readelf's interpreted frame table, and against the
 * pclntab SP delta (CFA = RSP + spDelta + 8 at every PC).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GoBinary } from '../../src/binary/goBinary.js';
import { DecodeError } from '../../src/binary/reader.js';
import { FrameTable } from '../../src/dwarf/frame.js';
import { dwarfSectionsOf, dwvalues, largeBinary } from './support.js';

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
  u64(v: number): this {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }
  uleb(v: number): this {
    do {
      let byte = v & 0x7f;
      v = Math.floor(v / 128);
      if (v) byte |= 0x80;
      this.b.push(byte);
    } while (v);
    return this;
  }
  sleb(v: number): this {
    for (;;) {
      const byte = v & 0x7f;
      v = Math.floor(v / 128);
      const done = (v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40);
      this.b.push(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  cstr(s: string): this {
    for (const c of Buffer.from(s)) this.b.push(c);
    return this.u8(0);
  }
}

/** A CIE record (32-bit) with the given body after the CIE id. */
function record(id: number, body: number[]): number[] {
  let len = 4 + body.length;
  const pad = (4 - (len % 4)) % 4; // DW_CFA_nop padding
  len += pad;
  return new Bytes()
    .u32(len)
    .u32(id)
    .u8(...body, ...new Array(pad).fill(0)).b;
}

describe('synthetic CFI', () => {
  // CIE v3: code align 1, data align -8, RA column 16; CFA = rsp+8, rip at cfa-8.
  const cieBody = new Bytes()
    .u8(3)
    .cstr('')
    .uleb(1)
    .sleb(-8)
    .uleb(16)
    .u8(0x0c)
    .uleb(7)
    .uleb(8) // def_cfa rsp, 8
    .u8(0x80 | 16)
    .uleb(1).b; // offset rip, 1*-8
  const cie = record(0xffffffff, cieBody);
  const fdeBody = new Bytes()
    .u64(0x1000)
    .u64(0x100)
    .u8(0x40 | 4) // advance_loc 4 → 0x1004
    .u8(0x0e)
    .uleb(16) // def_cfa_offset 16
    .u8(0x80 | 6)
    .uleb(2) // rbp at cfa-16
    .u8(0x02)
    .u8(0x10) // advance_loc1 16 → 0x1014
    .u8(0x0d)
    .uleb(6) // def_cfa_register rbp
    .u8(0x0a) // remember_state
    .u8(0x03)
    .u16(0x20) // advance_loc2 32 → 0x1034
    .u8(0x08)
    .uleb(3) // same_value rbx
    .u8(0x07)
    .uleb(12) // undefined r12
    .u8(0x09)
    .uleb(13)
    .uleb(1) // r13 in rdx
    .u8(0x11)
    .uleb(14)
    .sleb(-3) // offset_extended_sf r14 at cfa+24
    .u8(0x14)
    .uleb(15)
    .uleb(2) // val_offset r15 = cfa-16
    .u8(0x13)
    .sleb(-4) // def_cfa_offset_sf -4 → offset 32
    .u8(0x04)
    .u32(0x10) // advance_loc4 16 → 0x1044
    .u8(0x0b) // restore_state: back to cfa=rbp+16, rbp at cfa-16
    .u8(0xc0 | 6) // restore rbp: back to its CIE rule (none)
    .u8(0x40 | 0x0c) // advance 12 → 0x1050
    .u8(0x0f)
    .uleb(2)
    .u8(0x77, 0x08) // def_cfa_expression breg7 +8
    .u8(0x10)
    .uleb(3)
    .uleb(2)
    .u8(0x91, 0x70).b; // rbx: expression fbreg -16
  const fde = record(0, fdeBody);
  const table = new FrameTable(Uint8Array.from([...cie, ...fde]));

  it('finds the FDE by PC', () => {
    assert.equal(table.fdeFor(0xfff), undefined);
    assert.equal(table.fdeFor(0x1000)?.lowPC, 0x1000);
    assert.equal(table.fdeFor(0x10ff)?.highPC, 0x1100);
    assert.equal(table.fdeFor(0x1100), undefined);
  });
  it('initial row: CIE rules only', () => {
    const r = table.unwindRulesAt(0x1003)!;
    assert.deepEqual(r.cfa, { reg: 7, offset: 8 });
    assert.deepEqual([...r.rules], [[16, { kind: 'offset', offset: -8 }]]);
    assert.equal(r.returnAddressRegister, 16);
  });
  it('advance_loc, def_cfa_offset, offset', () => {
    const r = table.unwindRulesAt(0x1004)!;
    assert.deepEqual(r.cfa, { reg: 7, offset: 16 });
    assert.deepEqual(r.rules.get(6), { kind: 'offset', offset: -16 });
    assert.deepEqual(table.unwindRulesAt(0x1013)!.cfa, { reg: 7, offset: 16 });
  });
  it('def_cfa_register keeps the offset', () => {
    assert.deepEqual(table.unwindRulesAt(0x1014)!.cfa, { reg: 6, offset: 16 });
  });
  it('same_value, undefined, register, offset_extended_sf, val_offset, def_cfa_offset_sf', () => {
    const r = table.unwindRulesAt(0x1040)!;
    assert.deepEqual(r.cfa, { reg: 6, offset: 32 });
    assert.deepEqual(r.rules.get(3), { kind: 'same' });
    assert.deepEqual(r.rules.get(12), { kind: 'undefined' });
    assert.deepEqual(r.rules.get(13), { kind: 'register', reg: 1 });
    assert.deepEqual(r.rules.get(14), { kind: 'offset', offset: 24 });
    assert.deepEqual(r.rules.get(15), { kind: 'valOffset', offset: -16 });
  });
  it('restore_state brings back the remembered row; restore drops to the CIE rule', () => {
    const r = table.unwindRulesAt(0x1044)!;
    assert.deepEqual(r.cfa, { reg: 6, offset: 16 });
    assert.equal(r.rules.has(3), false);
    assert.equal(r.rules.has(6), false);
    assert.deepEqual(r.rules.get(16), { kind: 'offset', offset: -8 });
  });
  it('def_cfa_expression and expression rules', () => {
    const r = table.unwindRulesAt(0x1050)!;
    assert.deepEqual(r.cfaRule, { kind: 'expression', expr: Uint8Array.from([0x77, 0x08]) });
    assert.deepEqual(r.rules.get(3), { kind: 'expression', expr: Uint8Array.from([0x91, 0x70]) });
  });
  it('malformed tables throw DecodeError', () => {
    const bad = [
      Uint8Array.from(record(0xffffffff, [9, 0, 1, 1, 16])), // CIE version 9
      Uint8Array.from(record(0x40, new Bytes().u64(0).u64(4).b)), // FDE → CIE outside the section
      Uint8Array.from([...cie, ...record(0, new Bytes().u64(0x2000).u64(4).u8(0x3f).b)]), // unknown DW_CFA 0x3f
      Uint8Array.from([0x10, 0, 0, 0, 1]), // truncated
    ];
    for (const b of bad) {
      assert.throws(() => {
        const t = new FrameTable(b);
        t.all();
        t.unwindRulesAt(0x2000);
      }, DecodeError);
    }
  });
});

/** `readelf --debug-dump=frames-interp`: per FDE, rows of [loc, CFA register name, offset, ra rule]. */
function readelfFrames(bin: string): { lo: number; hi: number; rows: { loc: number; cfa: string; ra: string }[] }[] {
  const out = execFileSync('readelf', ['--debug-dump=frames-interp', bin], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const fdes: { lo: number; hi: number; rows: { loc: number; cfa: string; ra: string }[] }[] = [];
  let cur: (typeof fdes)[number] | undefined;
  for (const line of out.split('\n')) {
    const h = / FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (h) {
      cur = { lo: parseInt(h[1]!, 16), hi: parseInt(h[2]!, 16), rows: [] };
      fdes.push(cur);
      continue;
    }
    const r = /^([0-9a-f]{16}) (\S+)\s+(\S+)/.exec(line);
    if (r && cur) cur.rows.push({ loc: parseInt(r[1]!, 16), cfa: r[2]!, ra: r[3]! });
  }
  return fdes;
}

describe('real binaries', () => {
  for (const [label, bin] of [
    ['dwvalues', () => dwvalues(5)],
    ['cmd/compile', () => largeBinary()],
  ] as const) {
    it(`${label}: every FDE row matches readelf's interpreted table`, () => {
      const path = bin();
      const table = new FrameTable(dwarfSectionsOf(path).frame!);
      const theirs = readelfFrames(path);
      assert.equal(table.all().length, theirs.length, 'FDE count');
      let rows = 0;
      for (const f of theirs) {
        const fde = table.fdeFor(f.lo);
        assert.ok(fde && fde.lowPC === f.lo && fde.highPC === f.hi, `FDE at 0x${f.lo.toString(16)}`);
        f.rows.forEach((row, i) => {
          const end = i + 1 < f.rows.length ? f.rows[i + 1]!.loc : f.hi;
          for (const pc of new Set([row.loc, end - 1])) {
            if (pc < row.loc) continue;
            const r = table.unwindRulesAt(pc)!;
            const [reg, off] = row.cfa.split('+');
            assert.equal(reg, 'rsp', `CFA register at 0x${pc.toString(16)}`);
            assert.deepEqual(r.cfa, { reg: 7, offset: Number(off) }, `CFA at 0x${pc.toString(16)}`);
            assert.equal(row.ra, 'c-8');
            assert.deepEqual(r.rules.get(16), { kind: 'offset', offset: -8 });
            rows++;
          }
        });
      }
      assert.ok(rows > 10000, `${rows} rows`);
    });
  }

  it('dwvalues: CFA offset == pclntab spDelta + 8 at every PC covered by both', () => {
    const path = dwvalues(5);
    const table = new FrameTable(dwarfSectionsOf(path).frame!);
    const pcln = GoBinary.open(readFileSync(path)).pclntab;
    let checked = 0;
    for (const fde of table.all()) {
      for (let pc = fde.lowPC; pc < fde.highPC; pc++) {
        const sp = pcln.spDelta(pc);
        if (sp === undefined) continue;
        assert.equal(table.unwindRulesAt(pc)!.cfa.offset, sp + 8, `pc 0x${pc.toString(16)}`);
        checked++;
      }
    }
    assert.ok(checked > 200_000, `${checked} PCs`);
  });
});
