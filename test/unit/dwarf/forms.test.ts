/**
 * Hand-built DWARF 5 (and 4) units using forms Go does not emit (strx*, addrx*,
 * line_strp, implicit_const, data16, rnglistx/loclistx, indirect, ref1..ref8,
 * ref_udata, ref_addr) and a v5 line table with line_strp paths and MD5s.
 * Expected values are the ones written into the bytes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dwarf } from '../../../src/dwarf/dwarf.js';

class Bytes {
  b: number[] = [];
  get length(): number {
    return this.b.length;
  }
  u8(...v: number[]): this {
    this.b.push(...v.map((x) => x & 0xff));
    return this;
  }
  u16(v: number): this {
    return this.u8(v, v >> 8);
  }
  u24(v: number): this {
    return this.u8(v, v >> 8, v >> 16);
  }
  u32(v: number): this {
    return this.u8(v, v >> 8, v >> 16, v >>> 24);
  }
  u64(v: number | bigint): this {
    const x = BigInt(v);
    for (let i = 0n; i < 8n; i++) this.b.push(Number((x >> (8n * i)) & 0xffn));
    return this;
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
    this.b.push(...Buffer.from(s), 0);
    return this;
  }
  patch32(at: number, v: number): void {
    this.b.splice(at, 4, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  }
  get bytes(): Uint8Array {
    return Uint8Array.from(this.b);
  }
}

// Attribute and form numbers from the DWARF 5 specification (section 7.5).
const AT = {
  name: 0x03,
  byte_size: 0x0b,
  stmt_list: 0x10,
  low_pc: 0x11,
  high_pc: 0x12,
  language: 0x13,
  comp_dir: 0x1b,
  const_value: 0x1c,
  producer: 0x25,
  frame_base: 0x40,
  decl_file: 0x3a,
  decl_line: 0x3b,
  encoding: 0x3e,
  external: 0x3f,
  location: 0x02,
  type: 0x49,
  ranges: 0x55,
  variable_parameter: 0x4b,
  str_offsets_base: 0x72,
  addr_base: 0x73,
  rnglists_base: 0x74,
  loclists_base: 0x8c,
  go_kind: 0x2900,
  go_runtime_type: 0x2904,
  go_closure_offset: 0x2907,
};
const F = {
  addr: 0x01,
  data2: 0x05,
  data4: 0x06,
  data8: 0x07,
  string: 0x08,
  data1: 0x0b,
  flag: 0x0c,
  sdata: 0x0d,
  strp: 0x0e,
  udata: 0x0f,
  ref_addr: 0x10,
  ref1: 0x11,
  ref2: 0x12,
  ref4: 0x13,
  ref8: 0x14,
  ref_udata: 0x15,
  indirect: 0x16,
  sec_offset: 0x17,
  exprloc: 0x18,
  flag_present: 0x19,
  strx: 0x1a,
  addrx: 0x1b,
  data16: 0x1e,
  line_strp: 0x1f,
  implicit_const: 0x21,
  loclistx: 0x22,
  rnglistx: 0x23,
  strx1: 0x25,
  strx2: 0x26,
  strx3: 0x27,
  strx4: 0x28,
  addrx1: 0x29,
  addrx2: 0x2a,
  addrx4: 0x2c,
  block1: 0x0a,
};
const TAG = {
  compile_unit: 0x11,
  subprogram: 0x2e,
  variable: 0x34,
  formal_parameter: 0x05,
  lexical_block: 0x0b,
  base_type: 0x24,
  pointer_type: 0x0f,
  typedef: 0x16,
  constant: 0x27,
};

function abbrevs(list: [code: number, tag: number, children: boolean, attrs: [number, number, number?][]][]): Uint8Array {
  const b = new Bytes();
  for (const [code, tag, children, attrs] of list) {
    b.uleb(code)
      .uleb(tag)
      .u8(children ? 1 : 0);
    for (const [at, form, implicit] of attrs) {
      b.uleb(at).uleb(form);
      if (form === F.implicit_const) b.sleb(implicit!);
    }
    b.u8(0, 0);
  }
  return b.u8(0).bytes;
}

function buildV5() {
  // Strings.
  const str = new Bytes();
  const strOff = (s: string) => {
    const o = str.length;
    str.cstr(s);
    return o;
  };
  const sProducer = strOff('hand-built producer');
  const names = ['pkg', 'pkg.fn', 'x', 'int', 'y', 'p'];
  const nameOffs = names.map(strOff);
  const lineStr = new Bytes();
  const lsDir = lineStr.length;
  lineStr.cstr('/src/pkg');
  const lsFile = lineStr.length;
  lineStr.cstr('a.go');
  const lsCompDir = lineStr.length;
  lineStr.cstr('/build');
  // .debug_str_offsets: header (length, version 5, padding), then offsets; base = 8.
  const so = new Bytes()
    .u32(4 + 4 * names.length)
    .u16(5)
    .u16(0);
  for (const o of nameOffs) so.u32(o);
  // .debug_addr: header then [0x401000, 0x401100, 0x402000]; base = 8.
  const addr = new Bytes()
    .u32(4 + 24)
    .u16(5)
    .u8(8, 0)
    .u64(0x401000)
    .u64(0x401100)
    .u64(0x402000);
  // .debug_rnglists: header (12 bytes), offset table with 1 entry, then the list (offsets relative to base 12).
  const rl = new Bytes().u32(0).u16(5).u8(8, 0).u32(1);
  rl.u32(4); // entry 0 → list at base + 4
  rl.u8(0x03).uleb(0).uleb(0x10).u8(0x03).uleb(0).uleb(0).u8(0x00); // startx_length [0x401000,+0x10); empty; end
  rl.patch32(0, rl.length - 4);
  // .debug_loclists: same layout: one list: base_addressx 0, offset_pair [0, 8) reg0, [8, 0x20) fbreg -24.
  const ll = new Bytes().u32(0).u16(5).u8(8, 0).u32(1).u32(4);
  ll.u8(0x01).uleb(0).u8(0x04).uleb(0).uleb(8).uleb(1).u8(0x50).u8(0x04).uleb(8).uleb(0x20).uleb(2).u8(0x91, 0x68).u8(0x00);
  ll.patch32(0, ll.length - 4);

  // .debug_line v5: header with line_strp paths and data16 MD5s; program: set_address, prologue_end, rows.
  const line = new Bytes().u32(0).u16(5).u8(8, 0).u32(0);
  const hdrStart = line.length;
  line.u8(1, 1, 1).u8(-5).u8(14).u8(13).u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1); // min_inst, max_ops, default_is_stmt, line_base, line_range, opcode_base, std lengths
  line.u8(1).uleb(1).uleb(F.line_strp).uleb(2).u32(lsCompDir).u32(lsDir); // dirs: /build, /src/pkg
  line.u8(3).uleb(1).uleb(F.line_strp).uleb(2).uleb(F.udata).uleb(5).uleb(F.data16);
  line.uleb(2).u32(lsFile).uleb(1).u64(1).u64(2).u32(lsFile).uleb(0).u64(3).u64(4); // files: /src/pkg/a.go, /build/a.go
  line.patch32(8, line.length - hdrStart);
  line.u8(0, 9, 2).u64(0x401000); // set_address
  line.u8(0x0a); // prologue_end
  line.u8(0x03).sleb(9); // advance_line → 10
  line.u8(0x01); // copy: row 0x401000 line 10 prologue_end
  line.u8(0x02).uleb(4).u8(0x06).u8(0x01); // advance 4, negate_stmt, copy: 0x401004 line 10 !stmt
  line
    .u8(0x04)
    .uleb(0)
    .u8(13 + 2 * 14 + 6); // file 0; special: addr += 2, line += -5+6 = +1 → 0x401006 line 11
  line.u8(0x02).uleb(0xfa).u8(0, 1, 1); // advance to 0x401100, end_sequence
  line.patch32(0, line.length - 4);

  const ab = abbrevs([
    [
      1,
      TAG.compile_unit,
      true,
      [
        [AT.name, F.strx1],
        [AT.producer, F.strp],
        [AT.comp_dir, F.line_strp],
        [AT.language, F.implicit_const, 22],
        [AT.low_pc, F.addrx],
        [AT.high_pc, F.data4],
        [AT.stmt_list, F.sec_offset],
        [AT.str_offsets_base, F.sec_offset],
        [AT.addr_base, F.sec_offset],
        [AT.rnglists_base, F.sec_offset],
        [AT.loclists_base, F.sec_offset],
      ],
    ],
    [
      2,
      TAG.subprogram,
      true,
      [
        [AT.name, F.strx2],
        [AT.low_pc, F.addrx1],
        [AT.high_pc, F.udata],
        [AT.frame_base, F.exprloc],
        [AT.decl_file, F.data1],
        [AT.decl_line, F.indirect],
        [AT.external, F.flag_present],
      ],
    ],
    [
      3,
      TAG.formal_parameter,
      false,
      [
        [AT.name, F.strx3],
        [AT.variable_parameter, F.flag],
        [AT.type, F.ref_udata],
        [AT.location, F.loclistx],
      ],
    ],
    [4, TAG.lexical_block, true, [[AT.ranges, F.rnglistx]]],
    [
      5,
      TAG.variable,
      false,
      [
        [AT.name, F.strx4],
        [AT.type, F.ref2],
        [AT.location, F.block1],
        [AT.decl_line, F.data2],
        [AT.go_closure_offset, F.sdata],
      ],
    ],
    [
      6,
      TAG.base_type,
      false,
      [
        [AT.name, F.strx],
        [AT.encoding, F.data1],
        [AT.byte_size, F.implicit_const, 8],
        [AT.go_kind, F.data1],
        [AT.go_runtime_type, F.data8],
      ],
    ],
    [
      7,
      TAG.pointer_type,
      false,
      [
        [AT.name, F.string],
        [AT.type, F.ref_addr],
      ],
    ],
    [
      8,
      TAG.typedef,
      false,
      [
        [AT.name, F.string],
        [AT.type, F.ref8],
      ],
    ],
    [
      9,
      TAG.constant,
      false,
      [
        [AT.name, F.string],
        [AT.type, F.ref1],
        [AT.const_value, F.data16],
      ],
    ],
    [
      10,
      TAG.variable,
      false,
      [
        [AT.name, F.string],
        [AT.location, F.exprloc],
        [AT.type, F.ref4],
        [AT.external, F.flag],
      ],
    ],
  ]);

  const info = new Bytes().u32(0).u16(5).u8(1, 8).u32(0); // unit header: length, version, DW_UT_compile, addr size, abbrev offset
  const patches: [at: number, size: 1 | 2 | 4 | 8 | 'uleb', label: string, abs: boolean][] = [];
  const labels = new Map<string, number>();
  const ref = (size: 1 | 2 | 4 | 8, label: string, abs = false) => {
    patches.push([info.length, size, label, abs]);
    if (size === 8) info.u64(0);
    else if (size === 4) info.u32(0);
    else if (size === 2) info.u16(0);
    else info.u8(0);
  };
  // CU
  info.uleb(1).u8(0).u32(sProducer).u32(lsCompDir).uleb(0).u32(0x200).u32(0).u32(8).u32(8).u32(12).u32(12);
  // subprogram pkg.fn [0x401000, +0x100) (addrx1 0), frame base call_frame_cfa, decl_file 1, decl_line via indirect udata
  info.uleb(2).u16(1).u8(0).uleb(0x100).uleb(1).u8(0x9c).u8(1).uleb(F.udata).uleb(10);
  //   param x: strx3 index 2, flag 0, ref_udata → int (a 1-byte placeholder, patched below), loclistx 0
  info.uleb(3).u24(2).u8(0);
  labels.set('xTypeAt', info.length);
  info.uleb(0); // ref_udata placeholder, fixed size 1 byte when < 128... patched below
  info.uleb(0); // loclistx 0
  //   lexical block (rnglistx 0) with local y
  info.uleb(4).uleb(0);
  info.uleb(5).u32(4);
  ref(2, 'int');
  info.u8(2).u8(0x91, 0x70).u16(12).sleb(-8);
  info.u8(0); // end of block
  info.u8(0); // end of subprogram
  labels.set('int', info.length);
  info.uleb(6).uleb(3).u8(5).u8(2).u64(0x1234);
  labels.set('ptr', info.length);
  info.uleb(7).cstr('*int');
  ref(4, 'int', true);
  info.uleb(8).cstr('myint');
  ref(8, 'int');
  info.uleb(9).cstr('big');
  ref(1, 'int');
  for (let i = 0; i < 16; i++) info.u8(i);
  info.uleb(10).cstr('pkg.g').u8(9, 0x03).u64(0x500000);
  ref(4, 'ptr');
  info.u8(1);
  info.u8(0); // end of CU
  info.patch32(0, info.length - 4);
  for (const [at, size, label] of patches) {
    const v = labels.get(label)!; // the unit starts at 0: unit-relative == absolute (`abs` marks ref_addr)
    for (let i = 0; i < (size as number); i++) info.b[at + i] = Math.floor(v / 2 ** (8 * i)) & 0xff;
  }
  // ref_udata of x: the int DIE offset must fit one byte for the placeholder.
  const intOff = labels.get('int')!;
  assert.ok(intOff < 128);
  info.b[labels.get('xTypeAt')!] = intOff;

  return {
    sections: {
      info: info.bytes,
      abbrev: ab,
      str: str.bytes,
      lineStr: lineStr.bytes,
      strOffsets: so.bytes,
      addr: addr.bytes,
      rnglists: rl.bytes,
      loclists: ll.bytes,
      line: line.bytes,
    },
    intOff,
    ptrOff: labels.get('ptr')!,
  };
}

describe('hand-built DWARF 5 unit with every indexed and uncommon form', () => {
  const { sections, intOff, ptrOff } = buildV5();
  const dw = new Dwarf(sections, 0x400000);

  it('compile unit: strx1 name (resolved after str_offsets_base), strp producer, line_strp comp_dir, addrx low_pc', () => {
    const [cu] = dw.compileUnits();
    assert.equal(cu!.name, 'pkg');
    assert.equal(cu!.producer, 'hand-built producer');
    assert.equal(cu!.compDir, '/build');
    assert.equal(cu!.language, 22);
    assert.deepEqual(cu!.ranges, [[0x401000, 0x401200]]);
  });
  it('subprogram, variables, lexical block via rnglistx, location list via loclistx', () => {
    const fn = dw.functionAt(0x401010)!;
    assert.equal(fn.name, 'pkg.fn');
    assert.deepEqual(fn.ranges, [[0x401000, 0x401100]]);
    assert.equal(fn.lowPC, 0x401000);
    assert.equal(fn.highPC, 0x401100);
    assert.equal(fn.declLine, 10);
    assert.equal(fn.declFile, '/build/a.go'); // decl_file 1
    assert.deepEqual([...fn.frameBase], [0x9c]);
    const [x, y] = fn.variables;
    assert.equal(x!.name, 'x');
    assert.equal(x!.kind, 'param');
    assert.equal(x!.isReturn, false);
    assert.equal(x!.typeOffset, intOff);
    assert.ok(x!.location && !(x!.location instanceof Uint8Array));
    assert.deepEqual(
      x!.location.entries.map((e) => [e.lo, e.hi, [...e.expr]]),
      [
        [0x401000, 0x401008, [0x50]],
        [0x401008, 0x401020, [0x91, 0x68]],
      ],
    );
    assert.equal(y!.name, 'y');
    assert.equal(y!.depth, 1);
    assert.deepEqual(y!.scope, { ranges: [[0x401000, 0x401010]] });
    assert.equal(y!.declLine, 12);
    assert.equal(y!.closureOffset, -8);
    assert.deepEqual([...(y!.location as Uint8Array)], [0x91, 0x70]);
  });
  it('types: implicit_const size, data8 runtime type, ref_addr, ref8 typedef, data16 constant skipped cleanly', () => {
    const int = dw.type(intOff);
    assert.deepEqual(
      { kind: int.kind, name: int.name, size: int.size, goKind: int.goKind, runtimeType: int.runtimeType },
      { kind: 'int', name: 'int', size: 8, goKind: 2, runtimeType: 0x1234 },
    );
    const p = dw.type(ptrOff);
    assert.ok(p.kind === 'pointer' && p.elem === int);
    const t = dw.typeByName('myint');
    assert.ok(t?.kind === 'typedef' && t.target === int);
    assert.equal(dw.typeByRuntimeAddr(0x401234), int);
    assert.equal(dw.global('pkg.g')?.address, 0x500000);
    assert.equal(dw.type(dw.global('pkg.g')!.typeOffset), p);
  });
  it('v5 line table: line_strp paths, data16 MD5, file 0, negate_stmt, special opcodes, prologue_end', () => {
    const lt = dw.lineTable(dw.compileUnits()[0]!);
    assert.deepEqual(lt.files, ['/src/pkg/a.go', '/build/a.go']);
    assert.deepEqual(
      lt.rows().map((r) => [r.address, r.file, r.line, r.isStmt, r.prologueEnd, r.endSequence]),
      [
        [0x401000, '/build/a.go', 10, true, true, false],
        [0x401004, '/build/a.go', 10, false, false, false],
        [0x401006, '/src/pkg/a.go', 11, false, false, false],
        [0x401100, '/src/pkg/a.go', 11, false, false, true],
      ],
    );
    assert.equal(dw.prologueEndPC(0x401000), 0x401000);
    assert.equal(dw.lineRowsForFunction(dw.functionAt(0x401000)!).length, 3, 'end_sequence row excluded');
  });
});
