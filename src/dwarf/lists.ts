/**
 * Range lists (.debug_ranges v4, .debug_rnglists v5) and location lists
 * (.debug_loc v4, .debug_loclists v5). Both give absolute [lo, hi) PC ranges;
 * a location list also gives the DWARF expression valid in each range.
 */
import { DecodeError, Reader } from '../binary/reader.js';
import { AT, FORM, LLE, RLE } from './constants.js';
import { readAddrx, type Die, type Unit } from './info.js';
import type { DwarfSections } from './sections.js';

export type PcRange = [lo: number, hi: number];

export interface LocationListEntry {
  lo: number;
  hi: number;
  expr: Uint8Array;
}

export interface LocationList {
  /** Offset of the list in its section (for diagnostics). */
  offset: number;
  entries: LocationListEntry[];
  /** DW_LLE_default_location: the expression where no entry applies. */
  defaultExpr?: Uint8Array;
}

const MAX_ENTRIES = 1 << 20;

/** Reads an address of `size` bytes; an all-ones 64-bit value becomes MAX_SAFE_INTEGER (a marker, never an address). */
function addrOf(r: Reader, size: number, bias: number): number {
  if (size === 4) return r.u32() + bias;
  const v = r.u64big();
  if (v === 0xffffffffffffffffn) return Number.MAX_SAFE_INTEGER;
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) r.fail('address too large', r.pos - 8);
  return Number(v) + bias;
}

/**
 * One v4 (.debug_ranges / .debug_loc) entry: 'end' for (0, 0), a new base
 * address for (all ones, addr), else the pair added to `base` modulo 2^64.
 */
function v4Entry(r: Reader, size: number, base: number): 'end' | number | PcRange {
  const at = r.pos;
  const rd = (): bigint => (size === 8 ? r.u64big() : BigInt(r.u32()));
  const a = rd();
  const b = rd();
  if (a === 0n && b === 0n) return 'end';
  const mask = size === 8 ? 0xffffffffffffffffn : 0xffffffffn;
  const num = (v: bigint): number => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) r.fail('address out of range', at);
    return Number(v);
  };
  if (a === mask) return num(b);
  return [num((BigInt(base) + a) & mask), num((BigInt(base) + b) & mask)];
}

/** The range list at `offset` (a section offset already resolved from rnglistx). */
export function readRangeList(s: DwarfSections, u: Unit, offset: number, base = u.baseAddress): PcRange[] {
  const out: PcRange[] = [];
  if (u.version < 5) {
    if (!s.ranges) throw new DecodeError('.debug_info', u.offset, 'DW_AT_ranges without .debug_ranges');
    const r = new Reader(s.ranges, '.debug_ranges');
    r.seek(offset);
    for (let n = 0; n < MAX_ENTRIES; n++) {
      const e = v4Entry(r, u.addrSize, base);
      if (e === 'end') return out;
      if (typeof e === 'number') base = e + u.bias;
      else push(out, e[0], e[1]);
    }
    r.fail('range list too long');
  }
  if (!s.rnglists) throw new DecodeError('.debug_info', u.offset, 'DW_AT_ranges without .debug_rnglists');
  const r = new Reader(s.rnglists, '.debug_rnglists');
  r.seek(offset);
  const addrx = (i: number): number => readAddrx(s.addr, u, i, offset);
  for (let n = 0; n < MAX_ENTRIES; n++) {
    const kind = r.u8();
    switch (kind) {
      case RLE.end_of_list:
        return out;
      case RLE.base_addressx:
        base = addrx(r.uleb());
        break;
      case RLE.base_address:
        base = addrOf(r, u.addrSize, u.bias);
        break;
      case RLE.startx_endx: {
        const a = addrx(r.uleb());
        const b = addrx(r.uleb());
        push(out, a, b);
        break;
      }
      case RLE.startx_length: {
        const a = addrx(r.uleb());
        push(out, a, a + r.uleb());
        break;
      }
      case RLE.offset_pair: {
        const a = offsetFrom(r, base);
        push(out, a, offsetFrom(r, base));
        break;
      }
      case RLE.start_end: {
        const a = addrOf(r, u.addrSize, u.bias);
        push(out, a, addrOf(r, u.addrSize, u.bias));
        break;
      }
      case RLE.start_length: {
        const a = addrOf(r, u.addrSize, u.bias);
        push(out, a, a + r.uleb());
        break;
      }
      default:
        r.fail(`unknown DW_RLE 0x${kind.toString(16)}`, r.pos - 1);
    }
  }
  return r.fail('range list too long');
}

/**
 * `base + uleb` modulo 2^64: Go's linker writes offset pairs below the base
 * address (e.g. FIPS code placed before a unit's low_pc) as wrapped values.
 */
function offsetFrom(r: Reader, base: number): number {
  const at = r.pos;
  // Offsets of up to 7 bytes (below 2^49) as numbers: base + offset stays below 2^64, so
  // nothing wraps, and BigInts (a few µs each, thousands of them per binary) are not made.
  let small = 0;
  let mul = 1;
  for (let i = 0; i < 7; i++) {
    const b = r.u8();
    small += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) {
      if (base + small > Number.MAX_SAFE_INTEGER) r.fail('address out of range', at);
      return base + small;
    }
    mul *= 128;
  }
  r.seek(at);
  const v = (BigInt(base) + r.ulebBig()) & 0xffffffffffffffffn;
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) r.fail('address out of range', at);
  return Number(v);
}

function push(out: PcRange[], a: number, b: number): void {
  if (b > a) out.push([a, b]);
}

/** The location list at `offset` (already resolved from loclistx when needed). */
export function readLocationList(s: DwarfSections, u: Unit, offset: number, base = u.baseAddress): LocationList {
  const list: LocationList = { offset, entries: [] };
  if (u.version < 5) {
    if (!s.loc) throw new DecodeError('.debug_info', u.offset, 'location list without .debug_loc');
    const r = new Reader(s.loc, '.debug_loc');
    r.seek(offset);
    for (let n = 0; n < MAX_ENTRIES; n++) {
      const e = v4Entry(r, u.addrSize, base);
      if (e === 'end') return list;
      if (typeof e === 'number') {
        base = e + u.bias;
        continue;
      }
      const expr = r.bytesN(r.u16());
      if (e[1] > e[0]) list.entries.push({ lo: e[0], hi: e[1], expr });
    }
    r.fail('location list too long');
  }
  if (!s.loclists) throw new DecodeError('.debug_info', u.offset, 'location list without .debug_loclists');
  const r = new Reader(s.loclists, '.debug_loclists');
  r.seek(offset);
  const addrx = (i: number): number => readAddrx(s.addr, u, i, offset);
  const add = (a: number, b: number): void => {
    const expr = r.bytesN(r.uleb());
    if (b > a) list.entries.push({ lo: a, hi: b, expr });
  };
  for (let n = 0; n < MAX_ENTRIES; n++) {
    const kind = r.u8();
    switch (kind) {
      case LLE.end_of_list:
        return list;
      case LLE.base_addressx:
        base = addrx(r.uleb());
        break;
      case LLE.base_address:
        base = addrOf(r, u.addrSize, u.bias);
        break;
      case LLE.startx_endx: {
        const a = addrx(r.uleb());
        add(a, addrx(r.uleb()));
        break;
      }
      case LLE.startx_length: {
        const a = addrx(r.uleb());
        add(a, a + r.uleb());
        break;
      }
      case LLE.offset_pair: {
        const a = offsetFrom(r, base);
        add(a, offsetFrom(r, base));
        break;
      }
      case LLE.default_location:
        list.defaultExpr = r.bytesN(r.uleb());
        break;
      case LLE.start_end: {
        const a = addrOf(r, u.addrSize, u.bias);
        add(a, addrOf(r, u.addrSize, u.bias));
        break;
      }
      case LLE.start_length: {
        const a = addrOf(r, u.addrSize, u.bias);
        add(a, a + r.uleb());
        break;
      }
      default:
        r.fail(`unknown DW_LLE 0x${kind.toString(16)}`, r.pos - 1);
    }
  }
  return r.fail('location list too long');
}

/** Lowest start and highest end of a set of ranges ([0, 0] when empty). */
export function rangeBounds(ranges: readonly PcRange[]): PcRange {
  if (ranges.length === 0) return [0, 0];
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const [a, b] of ranges) {
    if (a < lo) lo = a;
    if (b > hi) hi = b;
  }
  return [lo, hi];
}

/** The expression valid at `pc`, or undefined (the variable is unavailable there). */
export function locationAt(list: LocationList, pc: number): Uint8Array | undefined {
  for (const e of list.entries) if (pc >= e.lo && pc < e.hi) return e.expr;
  return list.defaultExpr;
}

/**
 * The PC ranges of a DIE: DW_AT_low_pc/high_pc (high as an address or, for a
 * constant form, a length) or DW_AT_ranges. Empty when it has neither.
 */
export function dieRanges(s: DwarfSections, die: Die): PcRange[] {
  const low = die.get(AT.low_pc);
  const high = die.get(AT.high_pc);
  if (typeof low === 'number' && high !== undefined) {
    const f = die.form(AT.high_pc);
    const h = typeof high === 'number' ? high : 0;
    const end = f === FORM.addr || f === FORM.addrx || (f !== undefined && f >= FORM.addrx1 && f <= FORM.addrx4) ? h : low + h;
    return end > low ? [[low, end]] : [];
  }
  const rv = die.get(AT.ranges);
  if (typeof rv === 'number') {
    // A CU's own DW_AT_ranges in v4 are relative to its low_pc (its base address).
    return readRangeList(s, die.unit, rv);
  }
  return [];
}
