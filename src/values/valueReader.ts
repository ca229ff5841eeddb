/**
 * Reading Go values from a stopped program through their DWARF types: scalars,
 * string/slice headers, pointers, elements and fields. Per-stop: a reader is
 * created when the program stops and dropped when it resumes or its memory is
 * written; it caches what it learns (small reads by page, map iteration
 * state, closure layouts) until then.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType, type StructField } from '../dwarf/goTypes.js';
import { readBytes, type MemoryReader } from '../process/memory.js';
import { partOf, ValueError, type Value } from './value.js';

/** Composite values up to this size are read in one go; bigger ones part by part. */
export const MAX_WHOLE_READ = 1 << 20;

/** Reads up to this size go through the per-stop page cache (ValueReader.fromPages): headers, strings as formatted, small structs. */
const PAGED_READ = 1024;
const PAGE = 4096;

/** Where computed bytes live (ValueReader.synthesize): 2^52, non-canonical on x86-64, exact as a JS number. */
export const SYNTHETIC_BASE = 2 ** 52;

export interface ReaderHost {
  mem: MemoryReader;
  dwarf: Dwarf;
  /** Name of the function containing pc (pclntab), for func values. */
  funcName(pc: number): string | undefined;
  /** Entry PC of the function of that full name (pclntab), so that finding one decodes one compile unit, not all. */
  funcEntry?(name: string): number | undefined;
  /** Serve small reads from whole pages read once (a reader that lives for a stop and reads many values: the Variables view's). */
  pages?: boolean;
}

export class ValueReader {
  /** Per-stop caches other modules hang their state on (keyed by their own strings). */
  readonly caches = new Map<string, unknown>();

  constructor(readonly host: ReaderHost) {}

  get dwarf(): Dwarf {
    return this.host.dwarf;
  }

  /** Raw memory read; throws ValueError naming the address. */
  read(addr: number, len: number): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    if (addr >= SYNTHETIC_BASE) return this.readSynthetic(addr, len);
    if (addr < 0x1000) throw new ValueError(`cannot read memory at 0x${addr.toString(16)}`);
    const b = (len <= PAGED_READ && this.host.pages ? this.fromPages(addr, len) : undefined) ?? readBytes(this.host.mem, addr, len);
    if (!b) throw new ValueError(`cannot read memory at 0x${addr.toString(16)}`);
    return b;
  }

  /** Pages of program memory read at this stop (null: not readable as a whole page). */
  private readonly pages = new Map<number, Uint8Array | null>();

  /**
   * A small read served from the pages it falls in, each read once per stop:
   * the strings of a struct tree lie next to each other on Go's heap, and each
   * read costs a system call (measured 50–150 µs each on these loaded
   * machines, where a page costs no more than 16 bytes). Undefined when a
   * page cannot be read whole: the caller reads exactly what it asked for.
   * A copy, so no caller can change what the next one reads.
   */
  private fromPages(addr: number, len: number): Uint8Array | undefined {
    const first = addr - (addr % PAGE);
    const last = addr + len - 1 - ((addr + len - 1) % PAGE);
    const p0 = this.page(first);
    if (!p0) return undefined;
    if (first === last) return p0.slice(addr - first, addr - first + len);
    const p1 = this.page(last);
    if (!p1) return undefined;
    const out = new Uint8Array(len);
    out.set(p0.subarray(addr - first));
    out.set(p1.subarray(0, addr + len - last), PAGE - (addr - first));
    return out;
  }

  /** Forgets the pages read so far (the program may have changed them: a function call ran it). */
  forgetPages(): void {
    this.pages.clear();
  }

  private page(base: number): Uint8Array | null {
    let p = this.pages.get(base);
    if (p === undefined) {
      p = readBytes(this.host.mem, base, PAGE) ?? null;
      this.pages.set(base, p);
    }
    return p;
  }

  /** The value's bytes (reads and keeps them when it lives in memory). */
  load(v: Value): Uint8Array {
    if (v.bytes) return v.bytes;
    if (v.error !== undefined) throw new ValueError(v.error);
    if (v.addr === undefined) throw new ValueError('value has no location');
    const size = v.type.size;
    if (size > MAX_WHOLE_READ) throw new ValueError(`value too large to read at once (${size} bytes)`);
    v.bytes = this.read(v.addr, size);
    return v.bytes;
  }

  /** Bytes [off, off+len) of the value, without loading the rest when it lives in memory. */
  bytesAt(v: Value, off: number, len: number): Uint8Array {
    if (v.bytes) {
      if (off + len > v.bytes.length) throw new ValueError('read past the end of the value');
      return v.bytes.subarray(off, off + len);
    }
    if (v.error !== undefined) throw new ValueError(v.error);
    if (v.addr === undefined) throw new ValueError('value has no location');
    return this.read(v.addr + off, len);
  }

  // ───────────── scalars ─────────────

  /** Integer value (signed per the type) of an int/uint/uintptr/bool-sized value. */
  int(v: Value): bigint {
    const t = underlying(v.type);
    const b = this.bytesAt(v, 0, t.size);
    const signed = t.kind === 'int' && t.signed;
    return decodeInt(b, signed);
  }

  uword(v: Value, off = 0): number {
    return wordAt(this.bytesAt(v, off, 8), 0);
  }

  float(v: Value): number {
    const t = underlying(v.type);
    const b = this.bytesAt(v, 0, t.size);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return t.size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
  }

  complex(v: Value): [number, number] {
    const t = underlying(v.type);
    const b = this.bytesAt(v, 0, t.size);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return t.size === 8 ? [dv.getFloat32(0, true), dv.getFloat32(4, true)] : [dv.getFloat64(0, true), dv.getFloat64(8, true)];
  }

  bool(v: Value): boolean {
    return this.bytesAt(v, 0, 1)[0] !== 0;
  }

  /** A pointer-sized word as an address (pointers, maps, chans, funcs, unsafe.Pointer). */
  pointer(v: Value): number {
    return this.uword(v, 0);
  }

  // ───────────── strings, slices, structs ─────────────

  stringHeader(v: Value): { data: number; len: number } {
    const b = this.bytesAt(v, 0, 16);
    return { data: wordAt(b, 0), len: intWordAt(b, 8) };
  }

  /** Up to `max` bytes of a string value, and its full length. */
  stringBytes(v: Value, max: number): { bytes: Uint8Array; len: number } {
    const { data, len } = this.stringHeader(v);
    if (len < 0 || len > 2 ** 40) throw new ValueError(`bad string length ${len}`);
    const n = Math.min(len, max);
    return { bytes: n === 0 ? new Uint8Array(0) : this.read(data, n), len };
  }

  sliceHeader(v: Value): { data: number; len: number; cap: number } {
    const b = this.bytesAt(v, 0, 24);
    return { data: wordAt(b, 0), len: intWordAt(b, 8), cap: intWordAt(b, 16) };
  }

  field(v: Value, f: StructField): Value {
    return partOf(v, f.type, f.offset);
  }

  /** Element i of an array value (no bounds check). */
  arrayElem(v: Value, elem: GoType, i: number): Value {
    return partOf(v, elem, i * elem.size);
  }

  /**
   * Elements [start, start+count) of an array or slice as values; one memory
   * read for the whole page when they live in memory.
   */
  elems(base: { addr?: number; whole?: Value }, elem: GoType, start: number, count: number): Value[] {
    const out: Value[] = [];
    if (count <= 0) return out;
    const size = elem.size;
    if (base.whole && (base.whole.bytes || base.whole.addr === undefined || base.whole.error !== undefined)) {
      for (let i = 0; i < count; i++) out.push(partOf(base.whole, elem, (start + i) * size));
      return out;
    }
    const addr = base.whole?.addr ?? base.addr!;
    const first = addr + start * size;
    let page: Uint8Array | undefined;
    let err: string | undefined;
    if (size > 0 && size * count <= MAX_WHOLE_READ) {
      try {
        page = this.read(first, size * count);
      } catch (e) {
        err = (e as Error).message;
      }
    }
    for (let i = 0; i < count; i++) {
      const ev: Value = { type: elem, addr: first + i * size };
      if (page) ev.bytes = page.subarray(i * size, (i + 1) * size);
      else if (err !== undefined) ev.error = err;
      if (base.whole?.regs) ev.regs = { ...base.whole.regs, offset: base.whole.regs.offset + (start + i) * size };
      out.push(ev);
    }
    return out;
  }

  /** The value a non-nil pointer points at (elem type), or undefined for nil. */
  deref(v: Value, elem: GoType): Value | undefined {
    const p = this.pointer(v);
    if (p === 0) return undefined;
    return { type: elem, addr: p };
  }

  /** Name of the function a func value points at; undefined for nil. */
  funcTarget(v: Value): { closure: number; pc: number; name: string } | undefined {
    const closure = this.pointer(v);
    if (closure === 0) return undefined;
    const pc = Number(u64(this.read(closure, 8), 0));
    return { closure, pc, name: this.host.funcName(pc) ?? `0x${pc.toString(16)}` };
  }

  /**
   * Keeps bytes an expression computed (a converted string, a []rune) for
   * this stop and answers the address they read at: above 2^52, where no
   * x86-64 program can have memory (the address is not canonical), so a
   * write there fails in the kernel rather than landing in the program.
   */
  synthesize(bytes: Uint8Array): number {
    const addr = this.nextSynthetic;
    this.synthetic.push({ addr, bytes: bytes.slice() });
    this.nextSynthetic += Math.max(16, Math.ceil(bytes.length / 16) * 16 + 16);
    return addr;
  }

  private readonly synthetic: { addr: number; bytes: Uint8Array }[] = [];
  private nextSynthetic = SYNTHETIC_BASE;

  private readSynthetic(addr: number, len: number): Uint8Array {
    // Chunks are kept in address order: the last one starting at or below addr.
    let lo = 0;
    let hi = this.synthetic.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.synthetic[mid]!.addr <= addr) lo = mid;
      else hi = mid - 1;
    }
    const s = this.synthetic[lo];
    if (s && addr >= s.addr && addr + len <= s.addr + s.bytes.length) return s.bytes.subarray(addr - s.addr, addr - s.addr + len);
    throw new ValueError(`cannot read memory at 0x${addr.toString(16)}`);
  }

  /** Per-stop cache helper. */
  cached<T>(key: string, make: () => T): T {
    if (this.caches.has(key)) return this.caches.get(key) as T;
    const v = make();
    this.caches.set(key, v);
    return v;
  }
}

/**
 * The little-endian unsigned 64-bit word at `off` as a number, the same as
 * Number(u64(b, off)) (one rounding of the exact value above 2^53), without
 * a DataView and a BigInt: string and slice headers and pointers are read by
 * the hundred when a struct tree or a page is shown.
 */
export function wordAt(b: Uint8Array, off: number): number {
  if (off < 0 || off + 8 > b.length) throw new RangeError(`word at ${off} of ${b.length} bytes`);
  const lo = (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
  const hi = (b[off + 4]! | (b[off + 5]! << 8) | (b[off + 6]! << 16) | (b[off + 7]! << 24)) >>> 0;
  return hi * TWO_32 + lo;
}

/** The signed 64-bit word at `off` as a number: Number(BigInt.asIntN(64, u64(b, off))), without the BigInts. */
export function intWordAt(b: Uint8Array, off: number): number {
  if (off < 0 || off + 8 > b.length) throw new RangeError(`word at ${off} of ${b.length} bytes`);
  const lo = (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
  const hi = b[off + 4]! | (b[off + 5]! << 8) | (b[off + 6]! << 16) | (b[off + 7]! << 24);
  return hi * TWO_32 + lo;
}

const TWO_32 = 0x100000000;

export function u64(b: Uint8Array, off: number): bigint {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return dv.getBigUint64(off, true);
}

export function decodeInt(b: Uint8Array, signed: boolean): bigint {
  // The sizes Go has, read by the DataView (a BigInt shift per byte costs more than the rest of a formatted element).
  if (b.length === 8 || b.length === 4 || b.length === 2 || b.length === 1) {
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    switch (b.length) {
      case 8:
        return signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true);
      case 4:
        return BigInt(signed ? dv.getInt32(0, true) : dv.getUint32(0, true));
      case 2:
        return BigInt(signed ? dv.getInt16(0, true) : dv.getUint16(0, true));
      default:
        return BigInt(signed ? dv.getInt8(0) : dv.getUint8(0));
    }
  }
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return signed && b.length > 0 ? BigInt.asIntN(b.length * 8, v) : v;
}

export function encodeInt(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** The first field of a struct-like type with this name. */
export function fieldNamed(t: GoType, name: string): StructField | undefined {
  const u = underlying(t);
  if (u.kind !== 'struct' && u.kind !== 'string' && u.kind !== 'slice') return undefined;
  return u.fields.find((f) => f.name === name);
}
