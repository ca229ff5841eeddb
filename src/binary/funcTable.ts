/**
 * The pclntab function table: `functab` (nfunc+1 pairs of {entry offset from
 * the text start, offset of the _func struct}, the last entry holding the end
 * of the last function) and the `_func` structs it points to.
 *
 * _func (Go 1.20+; 1.18–1.19 lack startLine):
 *   entryOff u32, nameOff i32, args i32, deferreturn u32, pcsp u32, pcfile u32,
 *   pcln u32, npcdata u32, cuOffset u32, [startLine i32], funcID u8, flag u8,
 *   pad u8, nfuncdata u8, then pcdata[npcdata] u32, funcdata[nfuncdata] u32.
 *
 * Opening copies the functab into typed arrays and checks that entries are
 * sorted; _func structs and names are decoded on demand and cached.
 */
import type { PclnHeader } from './pclntabHeader.js';
import { DecodeError, Reader } from './reader.js';

/** A function as described by its _func struct. Addresses are absolute. */
export interface GoFunc {
  /** Index in the function table. */
  readonly index: number;
  /** Go symbol name: `main.main`, `main.(*T).M`, `main.main.func1`, `main.Map[go.shape.int]`. */
  readonly name: string;
  readonly entry: number;
  /** First address after the function (the next function's entry). */
  readonly end: number;
  /** Size of the in/out arguments in bytes. */
  readonly args: number;
  /** Offset from entry of the deferreturn call, 0 if none. */
  readonly deferreturn: number;
  /** Offsets of the pc-value tables within pctab (0: no table). */
  readonly pcsp: number;
  readonly pcfile: number;
  readonly pcln: number;
  readonly npcdata: number;
  readonly nfuncdata: number;
  /** Index of the function's compilation unit in cutab (0xffffffff: none). */
  readonly cuOffset: number;
  /** Line of the `func` keyword (Go 1.20+); for Go 1.18–1.19, 0 (unknown). */
  readonly startLine: number;
  readonly funcID: number;
  readonly flag: number;
  /** Offset of the _func struct within .gopclntab. */
  readonly structOff: number;
}

/** FuncFlag bits (internal/abi). */
export const FUNC_FLAG_TOPFRAME = 1 << 0;
export const FUNC_FLAG_SPWRITE = 1 << 1;
export const FUNC_FLAG_ASM = 1 << 2;

export class FuncTable {
  /** Entry offsets from the text start; nfunc+1 values, the last is the end. */
  private readonly entryOffs: Uint32Array;
  /** _func offsets from the functab start. */
  private readonly funcOffs: Uint32Array;
  private readonly funcs: (GoFunc | undefined)[];
  private readonly fixedSize: number;
  /** Shared cursor for small reads (single-threaded; every use seeks first). */
  private readonly reader: Reader;
  private names?: string[];
  private byName?: Map<string, number>;
  private byElidedName?: Map<string, number[]>;
  /** Each function's name offset in funcnametab, in table order (the quick name lookups' scan). */
  private nameOffs?: Int32Array;
  readonly count: number;

  constructor(
    private readonly data: Uint8Array,
    private readonly hdr: PclnHeader,
    readonly textStart: number,
  ) {
    const n = hdr.nfunc;
    this.count = n;
    this.fixedSize = hdr.version >= 120 ? 44 : 40;
    const r = new Reader(data, '.gopclntab');
    this.reader = r;
    r.need((2 * n + 1) * 4, hdr.pclnOff);
    const view = r.view;
    this.entryOffs = new Uint32Array(n + 1);
    this.funcOffs = new Uint32Array(n);
    const base = hdr.pclnOff;
    let prev = 0;
    for (let i = 0; i <= n; i++) {
      const e = view.getUint32(base + 8 * i, true);
      if (e < prev) throw new DecodeError('.gopclntab', base + 8 * i, `function table not sorted at entry ${i}`);
      prev = e;
      this.entryOffs[i] = e;
      if (i < n) this.funcOffs[i] = view.getUint32(base + 8 * i + 4, true);
    }
    this.funcs = new Array(n);
  }

  /** Absolute entry of function i (i == count gives the end of the last function). */
  entryOf(i: number): number {
    return this.textStart + this.entryOffs[i]!;
  }

  /** Index of the function whose [entry, end) holds pc, or -1. Like gosym's findFunc. */
  indexForPC(pc: number): number {
    const off = pc - this.textStart;
    const n = this.count;
    if (n === 0 || off < this.entryOffs[0]! || off >= this.entryOffs[n]!) return -1;
    // Last i with entryOffs[i] <= off.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entryOffs[mid]! > off) hi = mid;
      else lo = mid + 1;
    }
    const i = lo - 1;
    return i >= 0 && off < this.entryOffs[i + 1]! ? i : -1;
  }

  /** Offset within .gopclntab of function i's _func struct, checked. */
  private structOffset(i: number): number {
    const off = this.hdr.pclnOff + this.funcOffs[i]!;
    if (off + this.fixedSize > this.data.length) {
      throw new DecodeError('.gopclntab', this.hdr.pclnOff + 8 * i + 4, `_func of function ${i} out of range`);
    }
    return off;
  }

  funcAt(i: number): GoFunc {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`function index ${i} out of range [0, ${this.count})`);
    const cached = this.funcs[i];
    if (cached) return cached;
    const off = this.structOffset(i);
    const r = new Reader(this.data, '.gopclntab', off);
    r.u32(); // entryOff: the functab's copy is the one gosym uses
    const nameOff = r.i32();
    const args = r.i32();
    const deferreturn = r.u32();
    const pcsp = r.u32();
    const pcfile = r.u32();
    const pcln = r.u32();
    const npcdata = r.u32();
    const cuOffset = r.u32();
    const startLine = this.hdr.version >= 120 ? r.i32() : 0;
    const funcID = r.u8();
    const flag = r.u8();
    r.u8();
    const nfuncdata = r.u8();
    r.need(4 * (npcdata + nfuncdata));
    const f: GoFunc = {
      index: i,
      name: this.nameAt(nameOff),
      entry: this.entryOf(i),
      end: this.entryOf(i + 1),
      args,
      deferreturn,
      pcsp,
      pcfile,
      pcln,
      npcdata,
      nfuncdata,
      cuOffset,
      startLine,
      funcID,
      flag,
      structOff: off,
    };
    this.funcs[i] = f;
    return f;
  }

  /** The name of function i, without decoding the rest of its _func (what a names index walks). */
  nameOf(i: number): string {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`function index ${i} out of range [0, ${this.count})`);
    const f = this.funcs[i];
    if (f) return f.name;
    return this.names?.[i] ?? this.nameAt(this.reader.view.getInt32(this.structOffset(i) + 4, true));
  }

  /** A name from funcnametab. */
  nameAt(nameOff: number): string {
    const start = this.hdr.funcnameOff + nameOff;
    if (nameOff < 0 || start >= this.hdr.cuOff) throw new DecodeError('.gopclntab', start, `function name offset ${nameOff} out of range`);
    return this.reader.cstringAt(start);
  }

  /** Raw u32 field of function i's _func struct at byte offset `at` (cheap, no GoFunc). */
  rawField(i: number, at: number): number {
    const off = this.structOffset(i);
    return this.reader.view.getUint32(off + at, true);
  }

  /** cuOffset of function i without decoding the whole struct. */
  cuOffsetOf(i: number): number {
    return this.rawField(i, 32);
  }

  /**
   * Every function's compilation unit (its cuOffset: 0xffffffff for a linker-generated one)
   * and pcfile table offset (0: none), by index, read in one pass over the _func structs:
   * grouping the functions by unit (the first breakpoint's file → functions) reads both of
   * all of them, which took three calls per field and function, milliseconds of cold code on
   * the first setBreakpoints.
   */
  unitFields(): { cu: Uint32Array; pcfile: Uint32Array } {
    const n = this.count;
    const cu = new Uint32Array(n);
    const pcfile = new Uint32Array(n);
    const view = this.reader.view;
    const base = this.hdr.pclnOff;
    const last = this.data.length - this.fixedSize;
    for (let i = 0; i < n; i++) {
      const off = base + this.funcOffs[i]!;
      if (off > last) this.structOffset(i); // throws the DecodeError structOffset gives
      pcfile[i] = view.getUint32(off + 20, true);
      cu[i] = view.getUint32(off + 32, true);
    }
    return { cu, pcfile };
  }

  /** PCDATA table offset (within pctab) of table `k` of f, 0 when absent. */
  pcdata(f: GoFunc, k: number): number {
    if (k >= f.npcdata) return 0;
    return this.reader.seek(f.structOff + this.fixedSize + 4 * k).u32();
  }

  /** FUNCDATA offset (from moduledata.gofunc) of entry `k` of f, undefined when absent. */
  funcdata(f: GoFunc, k: number): number | undefined {
    if (k >= f.nfuncdata) return undefined;
    const v = this.reader.seek(f.structOff + this.fixedSize + 4 * (f.npcdata + k)).u32();
    return v === 0xffffffff ? undefined : v;
  }

  /** All function names in table order, decoded once. */
  private allNames(): string[] {
    if (!this.names) {
      const offs = this.nameOffsets();
      const names: string[] = new Array(this.count);
      for (let i = 0; i < this.count; i++) names[i] = this.nameAt(offs[i]!);
      this.names = names;
    }
    return this.names;
  }

  /** Index of the function with this exact name (first one if duplicated), or -1. */
  indexByName(name: string): number {
    if (!this.byName) {
      // Before the full index exists (it decodes every name: ~25 ms on a 20,000-function
      // binary), look the name up in funcnametab directly: names are NUL-separated, so a
      // match must follow a NUL; then find the function whose nameOff points there.
      const quick = this.indexByNameQuick(name);
      if (quick !== undefined) return quick;
      const m = new Map<string, number>();
      this.allNames().forEach((nm, i) => {
        if (!m.has(nm)) m.set(nm, i);
      });
      this.byName = m;
    }
    return this.byName.get(name) ?? -1;
  }

  private indexByNameQuick(name: string): number | undefined {
    const tab = this.data.subarray(this.hdr.funcnameOff, this.hdr.cuOff);
    const needle = new TextEncoder().encode(`${name}\0`);
    const buf = Buffer.from(tab.buffer, tab.byteOffset, tab.byteLength);
    let found = false;
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
      if (at > 0 && buf[at - 1] !== 0) continue;
      found = true;
      const i = this.nameOffsets().indexOf(at);
      if (i >= 0) return i;
    }
    return found ? undefined : -1;
  }

  /**
   * The names of the functions whose name ends with `suffix` (`.String`), in
   * funcnametab order: one scan of funcnametab for the suffix followed by its
   * NUL, a match counting only where a function's name starts (as
   * indexByNameQuick checks), so a name absent here is no function's.
   */
  namesEndingWith(suffix: string): string[] {
    const tab = this.data.subarray(this.hdr.funcnameOff, this.hdr.cuOff);
    const needle = new TextEncoder().encode(`${suffix}\0`);
    const buf = Buffer.from(tab.buffer, tab.byteOffset, tab.byteLength);
    const starts = Int32Array.from(this.nameOffsets()).sort();
    const out: string[] = [];
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
      const start = at === 0 ? 0 : buf.lastIndexOf(0, at - 1) + 1;
      if (hasSorted(starts, start)) out.push(this.nameAt(start));
    }
    return out;
  }

  /**
   * The name offsets of all functions, read once: a launch looks up a handful of names
   * (runtime.gopanic, runtime.throw, main.main, …) before any full index exists, and each
   * would otherwise read every function's _func again.
   */
  private nameOffsets(): Int32Array {
    if (!this.nameOffs) {
      const view = this.reader.view;
      const offs = new Int32Array(this.count);
      for (let i = 0; i < this.count; i++) offs[i] = view.getInt32(this.structOffset(i) + 4, true);
      this.nameOffs = offs;
    }
    return this.nameOffs;
  }

  /**
   * Indexes of functions whose name, with every bracketed type-argument list
   * replaced by `...`, equals `name` (e.g. `main.Map[...]`), in table order.
   */
  indexesByElidedName(name: string): number[] {
    if (!this.byElidedName) {
      const m = new Map<string, number[]>();
      this.allNames().forEach((nm, i) => {
        if (!nm.includes('[')) return;
        const key = elideTypeArgs(nm);
        let list = m.get(key);
        if (!list) m.set(key, (list = []));
        list.push(i);
      });
      this.byElidedName = m;
    }
    return this.byElidedName.get(name) ?? [];
  }
}

/** Whether ascending `a` holds `x`. */
function hasSorted(a: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** `pkg.F[go.shape.int,go.shape.string].func1` → `pkg.F[...].func1` (nested brackets collapsed). */
export function elideTypeArgs(name: string): string {
  let out = '';
  let depth = 0;
  for (const c of name) {
    if (c === '[') {
      if (depth++ === 0) out += '[...]';
    } else if (c === ']') {
      if (depth > 0) depth--;
    } else if (depth === 0) out += c;
  }
  return out;
}
