/**
 * Map iteration, lazily and in pages. Two runtime layouts, both read from the
 * DWARF types the linker synthesizes for each map type:
 *
 * Swiss tables (Go 1.24+): the map value points at `map<K,V>` {used, dirPtr,
 * dirLen, ...}. dirLen == 0: dirPtr is one group. Otherwise dirPtr is an
 * array of dirLen `*table<K,V>` (consecutive entries may share a table); a
 * table's groups are `groups.data[0 ..= groups.lengthMask]`. A group is a
 * control word (one byte per slot) and 8 slots {key, elem}; a slot is in use
 * when its control byte has the high bit clear.
 *
 * Classic buckets (before Go 1.24): the map value points at `hash<K,V>`
 * {count, flags, B, buckets, oldbuckets, ...}; 2^B buckets `bucket<K,V>`
 * {tophash [8]uint8, keys, values, overflow}; a slot is in use when its
 * tophash is >= 5. While the map grows, old buckets not yet evacuated
 * (tophash[0] not in 2..4) still hold their entries and are listed too.
 *
 * Keys or values larger than 128 bytes are stored indirectly: the slot's
 * DWARF type is then a pointer to the map's key/elem type.
 */
import type { GoType, MapType } from '../dwarf/goTypes.js';
import { underlying } from '../dwarf/goTypes.js';
import { ValueError, type Value } from './value.js';
import { fieldNamed, u64, type ValueReader } from './valueReader.js';

export interface MapEntry {
  key: Value;
  value: Value;
}

/** Upper bound on groups/buckets read in one memory read. */
const CHUNK_BYTES = 1 << 20;
/**
 * The first read of a table's groups or of a bucket array: 4 KiB, doubling
 * with each read after it up to CHUNK_BYTES. A page of 100 entries needs 13
 * to 15 groups; measured on testdata/benchvalues (100,000 entries, Go 1.26),
 * reading a table's 128 groups at once and yielding them together made
 * ~1,000 entries (two Values each) for the first page's 100.
 */
const FIRST_CHUNK_BYTES = 4096;

/** Sizes of the successive reads of `n` items of `size` bytes: FIRST_CHUNK_BYTES worth, doubling up to CHUNK_BYTES worth. */
function* chunks(n: number, size: number): Generator<[start: number, count: number], void> {
  let per = Math.max(1, Math.floor(FIRST_CHUNK_BYTES / size));
  const most = Math.max(1, Math.floor(CHUNK_BYTES / size));
  for (let i0 = 0; i0 < n; i0 += per, per = Math.min(most, per * 2)) yield [i0, Math.min(per, n - i0)];
}
/** Refuse absurd sizes read from a corrupt header. */
const MAX_DIR = 1 << 24;

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new ValueError(`map layout: no ${what} in DWARF`);
  return x;
}

function ptrElem(t: GoType | undefined): GoType | undefined {
  return t && t.kind === 'pointer' ? t.elem : undefined;
}

/** A slot's stored type vs the map's: stored indirectly when the slot holds a pointer to it. */
function indirect(stored: GoType, wanted: GoType): boolean {
  return stored.kind === 'pointer' && wanted.kind !== 'pointer' && stored.elem.name === wanted.name;
}

/** Bytes read from the program (a group, a bucket), where they live, and a view of them. */
interface Chunk {
  bytes: Uint8Array;
  addr: number;
  view: DataView;
}

/** Where one entry's key and value lie in a chunk: their offsets in it. */
export interface Slot {
  chunk: Chunk;
  key: number;
  elem: number;
}

function chunkOf(bytes: Uint8Array, addr: number): Chunk {
  return { bytes, addr, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/**
 * Cursor over one map's entries; the slots found so far are kept for paging
 * back, and an entry (two Values) is made from its slot when first asked for:
 * a page of builtin scalars is spelled from the slots themselves (scalarSlots).
 */
export class MapIterator {
  readonly len: number;
  readonly nil: boolean;
  /** Slots in iteration order; for a literal, none (its entries are `made`). */
  private readonly slots: Slot[] = [];
  /** Entries made so far, by slot index (a literal's: all of them). */
  private made: (MapEntry | undefined)[] = [];
  private readonly literal: boolean;
  private done = false;
  private readonly gen: Generator<Slot[], void>;
  /** The types the slots store the key and the value as (set by the walk before its first slot). */
  private storedKey?: GoType;
  private storedElem?: GoType;

  constructor(
    private readonly r: ValueReader,
    private readonly mt: MapType,
    readonly header: number,
    literal?: MapEntry[],
  ) {
    this.nil = header === 0;
    this.literal = literal !== undefined;
    if (literal) {
      this.len = literal.length;
      this.made = literal;
      this.done = true;
      this.gen = (function* () {})();
      return;
    }
    if (this.nil) {
      this.len = 0;
      this.gen = (function* () {})();
      return;
    }
    const hdrType = need(ptrElem(mt.header), 'map header type');
    const lenField = need(fieldNamed(hdrType, mt.swiss ? 'used' : 'count'), 'map length field');
    const hb = r.read(header, hdrType.size);
    this.len = Number(u64(pad8(hb, lenField.offset), 0) & ((1n << BigInt(lenField.type.size * 8)) - 1n));
    this.gen = mt.swiss ? this.swiss(hdrType, hb) : this.classic(hdrType, hb);
  }

  /** How many entries are known: walks on until `n` are, or the map ends. */
  private known(n: number): number {
    if (this.literal) return this.made.length;
    while (!this.done && this.slots.length < n) {
      const next = this.gen.next();
      if (next.done) this.done = true;
      else for (const sl of next.value) this.slots.push(sl);
    }
    return this.slots.length;
  }

  private entryAt(i: number): MapEntry {
    let e = this.made[i];
    if (e === undefined) {
      const sl = this.slots[i]!;
      const kt = this.storedKey!;
      const et = this.storedElem!;
      const b = sl.chunk.bytes;
      const at = sl.chunk.addr;
      e = {
        key: this.slotValue(kt, this.mt.key, at + sl.key, b.subarray(sl.key, sl.key + kt.size)),
        value: this.slotValue(et, this.mt.elem, at + sl.elem, b.subarray(sl.elem, sl.elem + et.size)),
      };
      this.made[i] = e;
    }
    return e;
  }

  /** Entries [start, start+count); iterates only as far as needed. */
  entries(start: number, count: number): MapEntry[] {
    const end = Math.min(start + count, this.known(start + count));
    const out: MapEntry[] = [];
    for (let i = Math.max(0, start); i < end; i++) out.push(this.entryAt(i));
    return out;
  }

  /**
   * Slots [start, start+count) of a map read from the program whose key and
   * value are stored in the slot itself (not behind a pointer); undefined for
   * a literal of the debugger's or a map that stores either indirectly.
   */
  scalarSlots(start: number, count: number): Slot[] | undefined {
    if (this.literal) return undefined;
    const end = Math.min(start + count, this.known(start + count));
    if (end <= start) return [];
    if (indirect(this.storedKey!, this.mt.key) || indirect(this.storedElem!, this.mt.elem)) return undefined;
    return this.slots.slice(Math.max(0, start), end);
  }

  /** Looks a key up by walking the entries (maps in a debugger are read, not hashed). */
  find(match: (key: Value) => boolean): MapEntry | undefined {
    for (let i = 0; i < this.known(i + 1); i++) {
      const e = this.entryAt(i);
      if (match(e.key)) return e;
    }
    return undefined;
  }

  /** The used slots among the n of a group or bucket: key and value offsets `step` bytes apart per slot. */
  private slotsIn(chunk: Chunk, used: (i: number) => boolean, n: number, key: number, elem: number, keyStep: number, elemStep: number): Slot[] {
    const out: Slot[] = [];
    for (let i = 0; i < n; i++) if (used(i)) out.push({ chunk, key: key + i * keyStep, elem: elem + i * elemStep });
    return out;
  }

  private slotValue(stored: GoType, wanted: GoType, addr: number, bytes: Uint8Array): Value {
    if (indirect(stored, wanted)) return { type: wanted, addr: Number(u64(bytes, 0)) };
    return { type: wanted, addr, bytes };
  }

  // ───────────── Swiss tables ─────────────

  private *swiss(hdrType: GoType, hb: Uint8Array): Generator<Slot[], void> {
    const dirPtrF = need(fieldNamed(hdrType, 'dirPtr'), 'dirPtr');
    const dirLenF = need(fieldNamed(hdrType, 'dirLen'), 'dirLen');
    const tableType = need(ptrElem(ptrElem(dirPtrF.type)), 'table type');
    const groupsF = need(fieldNamed(tableType, 'groups'), 'table.groups');
    const dataF = need(fieldNamed(groupsF.type, 'data'), 'groups.data');
    const maskF = need(fieldNamed(groupsF.type, 'lengthMask'), 'groups.lengthMask');
    const groupType = need(ptrElem(dataF.type), 'group type');
    const ctrlF = need(fieldNamed(groupType, 'ctrl'), 'group.ctrl');
    const slotsF = need(fieldNamed(groupType, 'slots'), 'group.slots');
    const slotsT = underlying(slotsF.type);
    if (slotsT.kind !== 'array') throw new ValueError('map layout: group.slots is not an array');
    const slotType = slotsT.elem;
    const keyF = need(fieldNamed(slotType, 'key'), 'slot.key');
    const elemF = need(fieldNamed(slotType, 'elem'), 'slot.elem');
    const nSlots = slotsT.count;
    this.storedKey = keyF.type;
    this.storedElem = elemF.type;
    const ctrlAt = ctrlF.offset;
    const keyAt = slotsF.offset + keyF.offset;
    const elemAt = slotsF.offset + elemF.offset;
    const step = slotType.size;

    // A used slot's control byte has its high bit clear.
    const groupSlots = (addr: number, g: Uint8Array): Slot[] =>
      this.slotsIn(chunkOf(g, addr), (i) => (g[ctrlAt + i]! & 0x80) === 0, nSlots, keyAt, elemAt, step, step);

    const dirPtr = Number(u64(hb, dirPtrF.offset));
    const dirLen = Number(BigInt.asIntN(64, u64(hb, dirLenF.offset)));
    if (dirPtr === 0) return;
    if (dirLen === 0) {
      yield groupSlots(dirPtr, this.r.read(dirPtr, groupType.size));
      return;
    }
    if (dirLen < 0 || dirLen > MAX_DIR) throw new ValueError(`bad map directory length ${dirLen}`);
    const dir = this.r.read(dirPtr, dirLen * 8);
    let prev = -1;
    const seen = new Set<number>();
    for (let d = 0; d < dirLen; d++) {
      const table = Number(u64(dir, d * 8));
      if (table === prev || table === 0 || seen.has(table)) continue;
      prev = table;
      seen.add(table);
      const tb = this.r.read(table, tableType.size);
      const groups = Number(u64(tb, groupsF.offset + dataF.offset));
      const nGroups = Number(u64(tb, groupsF.offset + maskF.offset)) + 1;
      if (nGroups > MAX_DIR) throw new ValueError(`bad map table size ${nGroups}`);
      for (const [g0, n] of chunks(nGroups, groupType.size)) {
        const chunk = this.r.read(groups + g0 * groupType.size, n * groupType.size);
        // A group at a time: a page walks no further than the group that holds its last entry.
        for (let g = 0; g < n; g++) {
          const addr = groups + (g0 + g) * groupType.size;
          yield groupSlots(addr, chunk.subarray(g * groupType.size, (g + 1) * groupType.size));
        }
      }
    }
  }

  // ───────────── classic buckets ─────────────

  private *classic(hdrType: GoType, hb: Uint8Array): Generator<Slot[], void> {
    const f = (n: string) => need(fieldNamed(hdrType, n), `hash.${n}`);
    const B = hb[f('B').offset]!;
    const flags = hb[f('flags').offset]!;
    const buckets = Number(u64(hb, f('buckets').offset));
    const oldbuckets = Number(u64(hb, f('oldbuckets').offset));
    const bucketType = ptrElem(f('buckets').type) ?? this.r.dwarf.typeByName(`bucket<${this.mt.key.name},${this.mt.elem.name}>`);
    if (!bucketType) throw new ValueError('map layout: no bucket type in DWARF');
    const bf = (n: string) => need(fieldNamed(bucketType, n), `bucket.${n}`);
    const tophashF = bf('tophash');
    const keysF = bf('keys');
    const valuesF = bf('values');
    const overflowF = bf('overflow');
    const keysT = underlying(keysF.type);
    const valsT = underlying(valuesF.type);
    if (keysT.kind !== 'array' || valsT.kind !== 'array') throw new ValueError('map layout: bucket keys/values are not arrays');
    if (B > 40) throw new ValueError(`bad map B ${B}`);

    this.storedKey = keysT.elem;
    this.storedElem = valsT.elem;
    const ks = keysT.elem.size;
    const vs = valsT.elem.size;
    // A tophash below 5 marks an empty or evacuated slot.
    const bucketSlots = (addr: number, b: Uint8Array): Slot[] =>
      this.slotsIn(chunkOf(b, addr), (i) => b[tophashF.offset + i]! >= 5, 8, keysF.offset, valuesF.offset, ks, vs);
    const self = this;
    function* chain(first: number, firstBytes: Uint8Array): Generator<Slot[], void> {
      let addr = first;
      let b = firstBytes;
      for (let hops = 0; hops < 1 << 20; hops++) {
        yield bucketSlots(addr, b);
        addr = Number(u64(b, overflowF.offset));
        if (addr === 0) return;
        b = self.r.read(addr, bucketType!.size);
      }
    }
    function* array(base: number, n: number, skipEvacuated: boolean): Generator<Slot[], void> {
      for (const [i0, k] of chunks(n, bucketType!.size)) {
        const chunk = self.r.read(base + i0 * bucketType!.size, k * bucketType!.size);
        for (let i = 0; i < k; i++) {
          const b = chunk.subarray(i * bucketType!.size, (i + 1) * bucketType!.size);
          const t0 = b[tophashF.offset]!;
          if (skipEvacuated && t0 > 1 && t0 < 5) continue;
          yield* chain(base + (i0 + i) * bucketType!.size, b);
        }
      }
    }
    if (oldbuckets !== 0) {
      const sameSize = (flags & 8) !== 0;
      const nOld = sameSize || B === 0 ? 1 << B : 1 << (B - 1);
      yield* array(oldbuckets, nOld, true);
    }
    if (buckets !== 0) yield* array(buckets, 2 ** B, false);
  }
}

function pad8(b: Uint8Array, off: number): Uint8Array {
  const out = new Uint8Array(8);
  out.set(b.subarray(off, Math.min(off + 8, b.length)));
  return out;
}

/** The per-stop iterator of the map value `v` (cached by header address). */
export function mapIterator(r: ValueReader, v: Value): MapIterator {
  const mt = underlying(v.type) as MapType;
  // A map literal of the debugger's: its own entries.
  if (v.mapEntries) return new MapIterator(r, mt, r.pointer(v), v.mapEntries);
  const header = r.pointer(v);
  return r.cached(`map:${header}:${mt.offset}`, () => new MapIterator(r, mt, header));
}
