/**
 * .debug_info: unit headers (DWARF 2–5) and debugging information entries.
 *
 * Lazy by design: `InfoReader` reads only unit headers when constructed. A DIE
 * is decoded when asked for (`die(offset)`, `tree(offset)`), and a unit's
 * top-level children can be walked without decoding the subtrees below them
 * (`children(die, {skipSubtrees})`), which is how the function and type indexes
 * stay cheap: Go emits no DW_AT_sibling, so subtrees are skipped form by form.
 *
 * Attribute values are normalised by form:
 *  - references (ref1..ref8, ref_udata, ref_addr) → absolute .debug_info offsets;
 *  - strings of every form (string, strp, line_strp, strx*) → string;
 *  - addresses (addr, addrx*) → number;
 *  - constants → number, or bigint when they do not fit in 2^53 (data16 → bytes);
 *  - blocks and exprloc → Uint8Array (shared with the section);
 *  - sec_offset → number; rnglistx / loclistx → the section offset they index;
 *  - flags → boolean.
 */
import { DecodeError, Reader } from '../binary/reader.js';
import { type AbbrevTable, parseAbbrevTable, type Abbrev } from './abbrev.js';
import { AT, FORM, UT } from './constants.js';
import type { DwarfSections } from './sections.js';

export type AttrValue = number | bigint | string | boolean | Uint8Array;

export class Unit {
  /** Filled from the unit's root DIE by `InfoReader.root()`. */
  addrBase = 8;
  strOffsetsBase = 8;
  rnglistsBase = 12;
  loclistsBase = 12;
  /** DW_AT_low_pc of the root DIE: the base address of v4 range/location lists. */
  baseAddress = 0;
  rootRead = false;
  abbrevs: AbbrevTable | undefined;
  /** Added to every address the unit holds: the load bias of a relocated position-independent image (0 otherwise). */
  bias = 0;

  constructor(
    readonly index: number,
    /** Offset of the unit header in .debug_info. */
    readonly offset: number,
    /** Offset just past the unit. */
    readonly end: number,
    readonly version: number,
    readonly unitType: number,
    readonly addrSize: number,
    readonly offsetSize: 4 | 8,
    readonly abbrevOffset: number,
    /** Offset of the root DIE. */
    readonly dieOffset: number,
  ) {}
}

export class Die {
  parent: Die | undefined;
  /** Child DIEs; only filled by `InfoReader.tree()`. */
  children: Die[] = [];

  constructor(
    readonly offset: number,
    readonly unit: Unit,
    readonly abbrev: Abbrev,
    readonly values: AttrValue[],
    /** Offset just past this DIE's own attributes. */
    readonly attrEnd: number,
  ) {}

  get tag(): number {
    return this.abbrev.tag;
  }
  get hasChildren(): boolean {
    return this.abbrev.hasChildren;
  }
  private idx(at: number): number {
    const a = this.abbrev.attrs;
    for (let i = 0; i < a.length; i++) if (a[i]!.at === at) return i;
    return -1;
  }
  has(at: number): boolean {
    return this.idx(at) >= 0;
  }
  get(at: number): AttrValue | undefined {
    const i = this.idx(at);
    return i < 0 ? undefined : this.values[i];
  }
  /** The form the attribute was encoded with (after DW_FORM_indirect). */
  form(at: number): number | undefined {
    const i = this.idx(at);
    return i < 0 ? undefined : this.abbrev.attrs[i]!.form;
  }
  str(at: number): string | undefined {
    const v = this.get(at);
    return typeof v === 'string' ? v : undefined;
  }
  num(at: number): number | undefined {
    const v = this.get(at);
    return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
  }
  flag(at: number): boolean {
    const v = this.get(at);
    return v === true || (typeof v === 'number' && v !== 0);
  }
  bytes(at: number): Uint8Array | undefined {
    const v = this.get(at);
    return v instanceof Uint8Array ? v : undefined;
  }
  get name(): string | undefined {
    return this.str(AT.name);
  }
}

/** A value of an indexed form, resolved once the unit's bases are known. */
class Indexed {
  constructor(
    readonly form: number,
    readonly index: number,
  ) {}
}

const MAX_DEPTH = 4096;

export class InfoReader {
  readonly units: Unit[] = [];
  private readonly r: Reader;
  private readonly abbrevCache = new Map<number, AbbrevTable>();

  constructor(
    readonly s: DwarfSections,
    private readonly addressBias = 0,
  ) {
    this.r = new Reader(s.info, '.debug_info');
    this.readUnitHeaders();
  }

  private readUnitHeaders(): void {
    const r: Reader = this.r;
    while (r.left > 0) {
      const start = r.pos;
      let len = r.u32();
      let offsetSize: 4 | 8 = 4;
      if (len === 0xffffffff) {
        len = r.u64();
        offsetSize = 8;
      } else if (len >= 0xfffffff0) r.fail(`reserved unit length 0x${len.toString(16)}`, start);
      const bodyStart = r.pos;
      r.need(len);
      const end = bodyStart + len;
      const version = r.u16();
      if (version < 2 || version > 5) r.fail(`unsupported DWARF version ${version}`, start);
      let unitType: number = UT.compile;
      let addrSize: number;
      let abbrevOffset: number;
      if (version >= 5) {
        unitType = r.u8();
        addrSize = r.u8();
        abbrevOffset = offsetSize === 8 ? r.u64() : r.u32();
        if (unitType === UT.skeleton || unitType === UT.split_compile) r.skip(8);
        else if (unitType === UT.type || unitType === UT.split_type) r.skip(8 + offsetSize);
      } else {
        abbrevOffset = offsetSize === 8 ? r.u64() : r.u32();
        addrSize = r.u8();
      }
      if (addrSize !== 4 && addrSize !== 8) r.fail(`unsupported address size ${addrSize}`, start);
      if (r.pos > end) r.fail('unit header longer than the unit', start);
      const unit = new Unit(this.units.length, start, end, version, unitType, addrSize, offsetSize, abbrevOffset, r.pos);
      unit.bias = this.addressBias;
      this.units.push(unit);
      r.seek(end);
    }
  }

  /** The unit holding `offset` (binary search), or undefined. */
  unitAt(offset: number): Unit | undefined {
    const us = this.units;
    let lo = 0;
    let hi = us.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = us[mid]!;
      if (offset < u.offset) hi = mid - 1;
      else if (offset >= u.end) lo = mid + 1;
      else return u;
    }
    return undefined;
  }

  private abbrevsOf(u: Unit): AbbrevTable {
    if (u.abbrevs) return u.abbrevs;
    let t = this.abbrevCache.get(u.abbrevOffset);
    if (!t) {
      if (u.abbrevOffset >= this.s.abbrev.length) {
        throw new DecodeError('.debug_info', u.offset, `abbrev offset 0x${u.abbrevOffset.toString(16)} out of range`);
      }
      t = parseAbbrevTable(this.s.abbrev, u.abbrevOffset);
      this.abbrevCache.set(u.abbrevOffset, t);
    }
    u.abbrevs = t;
    return t;
  }

  /** The unit's root DIE (compile unit); also records the unit's bases. */
  root(u: Unit): Die {
    const d = this.die(u.dieOffset, u);
    if (!d) throw new DecodeError('.debug_info', u.dieOffset, 'unit has no root DIE');
    return d;
  }

  /**
   * Decodes the DIE at `offset` (attributes only, no children). Returns
   * undefined for a null entry (end of a sibling list).
   */
  die(offset: number, unit?: Unit, only?: ReadonlySet<number>): Die | undefined {
    const u = unit ?? this.unitAt(offset);
    if (!u || offset < u.dieOffset || offset >= u.end) {
      throw new DecodeError('.debug_info', offset, 'DIE offset outside every unit');
    }
    if (!u.rootRead && offset !== u.dieOffset) this.root(u);
    const r: Reader = this.r;
    r.seek(offset);
    const code = r.uleb();
    if (code === 0) return undefined;
    const ab = this.abbrevsOf(u).get(code);
    if (!ab) r.fail(`unknown abbreviation code ${code}`, offset);
    const values: AttrValue[] = new Array(ab.attrs.length);
    let indexed = false;
    const isRoot = offset === u.dieOffset;
    for (let i = 0; i < ab.attrs.length; i++) {
      const spec = ab.attrs[i]!;
      if (only && !isRoot && !only.has(spec.at)) {
        this.skipForm(spec.form, u); // left undefined: Die.get() reports it absent
        continue;
      }
      const v = this.value(spec.form, spec.implicit, u);
      if (v instanceof Indexed) indexed = true;
      values[i] = v as AttrValue;
    }
    if (r.pos > u.end) r.fail('DIE runs past the end of its unit', offset);
    const die = new Die(offset, u, ab, values, r.pos);
    if (offset === u.dieOffset && !u.rootRead) this.setBases(u, die);
    if (indexed) {
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as unknown;
        if (v instanceof Indexed) values[i] = this.resolveIndexed(u, v, offset);
      }
    }
    return die;
  }

  private setBases(u: Unit, die: Die): void {
    const num = (at: number): number | undefined => {
      const v = die.get(at);
      return typeof v === 'number' ? v : undefined;
    };
    u.addrBase = num(AT.addr_base) ?? u.addrBase;
    u.strOffsetsBase = num(AT.str_offsets_base) ?? u.strOffsetsBase;
    u.rnglistsBase = num(AT.rnglists_base) ?? u.rnglistsBase;
    u.loclistsBase = num(AT.loclists_base) ?? u.loclistsBase;
    u.rootRead = true;
    let low = die.get(AT.low_pc);
    if (low instanceof Indexed) low = this.resolveIndexed(u, low, die.offset);
    if (typeof low === 'number') u.baseAddress = low;
  }

  /** Decodes the DIE at `offset` with its whole subtree. */
  tree(offset: number, unit?: Unit): Die {
    const top = this.die(offset, unit);
    if (!top) throw new DecodeError('.debug_info', offset, 'null entry where a DIE was expected');
    if (!top.hasChildren) return top;
    const u = top.unit;
    const stack: Die[] = [top];
    let pos = top.attrEnd;
    while (stack.length > 0) {
      if (pos >= u.end) {
        // Missing terminators at the end of a unit: accept what we have.
        break;
      }
      const d = this.die(pos, u);
      if (!d) {
        stack.pop();
        pos = this.r.pos;
        continue;
      }
      pos = d.attrEnd;
      const parent = stack[stack.length - 1]!;
      d.parent = parent;
      parent.children.push(d);
      if (d.hasChildren) {
        if (stack.length >= MAX_DEPTH) this.r.fail('DIE tree too deep', d.offset);
        stack.push(d);
      }
    }
    return top;
  }

  /**
   * Calls `visit` for each direct child of `parent` (decoded attributes, no
   * children), skipping grandchildren without decoding them. Stops early when
   * `visit` returns false. With `filter`, children whose tag is not in
   * `filter.tags` are skipped unread, and only `filter.attrs` are decoded.
   */
  forEachChild(parent: Die, visit: (d: Die) => boolean | undefined, filter?: { tags: ReadonlySet<number>; attrs: ReadonlySet<number> }): void {
    if (!parent.hasChildren) return;
    const u = parent.unit;
    const abbrevs = this.abbrevsOf(u);
    const r: Reader = this.r;
    let pos = parent.attrEnd;
    while (pos < u.end) {
      if (filter) {
        r.seek(pos);
        const code = r.uleb();
        if (code === 0) return;
        const ab = abbrevs.get(code);
        if (!ab) r.fail(`unknown abbreviation code ${code}`, pos);
        if (!filter.tags.has(ab.tag)) {
          for (const spec of ab.attrs) this.skipForm(spec.form, u);
          pos = ab.hasChildren ? this.skipChildren(r.pos, u) : r.pos;
          continue;
        }
      }
      const d = this.die(pos, u, filter?.attrs);
      if (!d) return;
      if (visit(d) === false) return;
      pos = d.hasChildren ? this.skipChildren(d.attrEnd, u) : d.attrEnd;
    }
  }

  /** Skips a sibling list starting at `pos` (and all its subtrees); returns the offset after its terminator. */
  skipChildren(pos: number, u: Unit): number {
    const r: Reader = this.r;
    const abbrevs = this.abbrevsOf(u);
    r.seek(pos);
    let depth = 1;
    while (depth > 0) {
      if (r.pos >= u.end) return u.end;
      const at = r.pos;
      const code = r.uleb();
      if (code === 0) {
        depth--;
        continue;
      }
      const ab = abbrevs.get(code);
      if (!ab) r.fail(`unknown abbreviation code ${code}`, at);
      for (const spec of ab.attrs) this.skipForm(spec.form, u);
      if (ab.hasChildren) {
        if (++depth > MAX_DEPTH) r.fail('DIE tree too deep', at);
      }
    }
    return r.pos;
  }

  // biome-ignore format: one line per group of DW_FORMs of the same size
  private skipForm(form: number, u: Unit): void {
    const r: Reader = this.r;
    switch (form) {
      case FORM.addr: r.skip(u.addrSize); return;
      case FORM.string: {
        const end = r.bytes.indexOf(0, r.pos);
        if (end < 0) r.fail('unterminated string');
        r.pos = end + 1;
        return;
      }
      case FORM.data1: case FORM.ref1: case FORM.flag: case FORM.strx1: case FORM.addrx1: r.skip(1); return;
      case FORM.data2: case FORM.ref2: case FORM.strx2: case FORM.addrx2: r.skip(2); return;
      case FORM.strx3: case FORM.addrx3: r.skip(3); return;
      case FORM.data4: case FORM.ref4: case FORM.strx4: case FORM.addrx4: case FORM.ref_sup4: r.skip(4); return;
      case FORM.data8: case FORM.ref8: case FORM.ref_sig8: case FORM.ref_sup8: r.skip(8); return;
      case FORM.data16: r.skip(16); return;
      case FORM.sdata: case FORM.udata: case FORM.ref_udata: case FORM.strx: case FORM.addrx:
      case FORM.loclistx: case FORM.rnglistx: case FORM.GNU_addr_index: case FORM.GNU_str_index:
        this.skipLeb();
        return;
      case FORM.ref_addr: r.skip(u.version <= 2 ? u.addrSize : u.offsetSize); return;
      case FORM.strp: case FORM.line_strp: case FORM.sec_offset: case FORM.strp_sup:
      case FORM.GNU_ref_alt: case FORM.GNU_strp_alt:
        r.skip(u.offsetSize);
        return;
      case FORM.block1: r.skip(r.u8()); return;
      case FORM.block2: r.skip(r.u16()); return;
      case FORM.block4: r.skip(r.u32()); return;
      case FORM.block: case FORM.exprloc: r.skip(r.uleb()); return;
      case FORM.flag_present: case FORM.implicit_const: return;
      case FORM.indirect: this.skipForm(r.uleb(), u); return;
      default: r.fail(`unknown form 0x${form.toString(16)}`);
    }
  }

  private skipLeb(): void {
    const r: Reader = this.r;
    while (r.u8() & 0x80) {
      /* continue */
    }
  }

  // biome-ignore format: one line per DW_FORM
  private value(form: number, implicit: number | bigint, u: Unit): AttrValue | Indexed {
    const r: Reader = this.r;
    switch (form) {
      case FORM.addr: return r.uint(u.addrSize) + u.bias;
      case FORM.string: return r.cstring();
      case FORM.data1: return r.u8();
      case FORM.data2: return r.u16();
      case FORM.data4: return r.u32();
      case FORM.data8: return bigOrNum(r.u64big());
      case FORM.data16: return r.bytesN(16);
      case FORM.sdata: return this.sleb();
      case FORM.udata: return this.uleb();
      case FORM.flag: return r.u8() !== 0;
      case FORM.flag_present: return true;
      case FORM.implicit_const: return implicit;
      case FORM.ref1: return u.offset + r.u8();
      case FORM.ref2: return u.offset + r.u16();
      case FORM.ref4: return u.offset + r.u32();
      case FORM.ref8: return u.offset + r.u64();
      case FORM.ref_udata: return u.offset + r.uleb();
      case FORM.ref_addr: return u.version <= 2 ? r.uint(u.addrSize) : r.uint(u.offsetSize);
      case FORM.ref_sig8: return r.u64big();
      case FORM.ref_sup4: return r.u32();
      case FORM.ref_sup8: return r.u64();
      case FORM.sec_offset: return r.uint(u.offsetSize);
      case FORM.strp: return this.strAt(this.s.str, '.debug_str', r.uint(u.offsetSize));
      case FORM.line_strp: return this.strAt(this.s.lineStr, '.debug_line_str', r.uint(u.offsetSize));
      case FORM.strp_sup: case FORM.GNU_strp_alt: case FORM.GNU_ref_alt: return r.uint(u.offsetSize);
      case FORM.block1: return r.bytesN(r.u8());
      case FORM.block2: return r.bytesN(r.u16());
      case FORM.block4: return r.bytesN(r.u32());
      case FORM.block: case FORM.exprloc: return r.bytesN(r.uleb());
      case FORM.strx: case FORM.GNU_str_index: return new Indexed(FORM.strx, r.uleb());
      case FORM.strx1: return new Indexed(FORM.strx, r.u8());
      case FORM.strx2: return new Indexed(FORM.strx, r.u16());
      case FORM.strx3: return new Indexed(FORM.strx, r.u16() | (r.u8() << 16));
      case FORM.strx4: return new Indexed(FORM.strx, r.u32());
      case FORM.addrx: case FORM.GNU_addr_index: return new Indexed(FORM.addrx, r.uleb());
      case FORM.addrx1: return new Indexed(FORM.addrx, r.u8());
      case FORM.addrx2: return new Indexed(FORM.addrx, r.u16());
      case FORM.addrx3: return new Indexed(FORM.addrx, r.u16() | (r.u8() << 16));
      case FORM.addrx4: return new Indexed(FORM.addrx, r.u32());
      case FORM.loclistx: return new Indexed(FORM.loclistx, r.uleb());
      case FORM.rnglistx: return new Indexed(FORM.rnglistx, r.uleb());
      case FORM.indirect: {
        const f = r.uleb();
        if (f === FORM.indirect) r.fail('nested DW_FORM_indirect');
        return this.value(f, implicit, u);
      }
      default: return r.fail(`unknown form 0x${form.toString(16)}`);
    }
  }

  private resolveIndexed(u: Unit, v: Indexed, at: number): AttrValue {
    switch (v.form) {
      case FORM.strx: {
        const so = this.s.strOffsets;
        if (!so) throw new DecodeError('.debug_info', at, 'DW_FORM_strx without .debug_str_offsets');
        const r = new Reader(so, '.debug_str_offsets');
        r.seek(Math.min(so.length, u.strOffsetsBase + v.index * u.offsetSize));
        return this.strAt(this.s.str, '.debug_str', r.uint(u.offsetSize));
      }
      case FORM.addrx:
        return readAddrx(this.s.addr, u, v.index, at);
      case FORM.rnglistx:
      case FORM.loclistx: {
        const isRng = v.form === FORM.rnglistx;
        const sec = isRng ? this.s.rnglists : this.s.loclists;
        const name = isRng ? '.debug_rnglists' : '.debug_loclists';
        if (!sec) throw new DecodeError('.debug_info', at, `index form without ${name}`);
        const base = isRng ? u.rnglistsBase : u.loclistsBase;
        const r = new Reader(sec, name);
        r.seek(Math.min(sec.length, base + v.index * u.offsetSize));
        return base + r.uint(u.offsetSize);
      }
      default:
        throw new DecodeError('.debug_info', at, 'bad indexed form');
    }
  }

  private strAt(sec: Uint8Array | undefined, name: string, off: number): string {
    if (!sec) throw new DecodeError('.debug_info', this.r.pos, `string form needs ${name}`);
    return new Reader(sec, name).cstringAt(off);
  }

  /** ULEB128 as a number, or a bigint beyond 2^53. */
  private uleb(): number | bigint {
    const r: Reader = this.r;
    const b = r.bytes;
    let p = r.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      if (p >= b.length) r.fail('truncated ULEB128', p);
      const x = b[p++]!;
      result += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) {
        r.pos = p;
        return result;
      }
      mul *= 128;
    }
    return bigOrNum(r.ulebBig());
  }

  private sleb(): number | bigint {
    return bigOrNum(this.r.slebBig());
  }
}

export function bigOrNum(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Reads entry `index` of the unit's contribution to .debug_addr. */
export function readAddrx(addr: Uint8Array | undefined, u: Unit, index: number, at: number): number {
  if (!addr) throw new DecodeError('.debug_info', at, 'DW_FORM_addrx without .debug_addr');
  const r = new Reader(addr, '.debug_addr');
  const off = u.addrBase + index * u.addrSize;
  if (!(off >= 0 && off + u.addrSize <= addr.length)) r.fail(`address index ${index} out of range`, Math.max(0, Math.min(off, addr.length)));
  r.seek(off);
  return r.uint(u.addrSize) + u.bias;
}
