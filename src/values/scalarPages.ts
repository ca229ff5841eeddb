/**
 * A page of an array's or a slice's elements when they are numbers or
 * booleans of a builtin type (no named constants, no well-known spelling):
 * the page's bytes are read once and each element's text is made from them,
 * without a Value per element. The texts, names and addresses are the ones
 * childrenOf + formatValue give (test/unit/values/scalarPages.test.ts
 * compares them); anything else (registers, an unreadable page, a named
 * element type, hex) is left to that path.
 *
 * Measured on testdata/benchvalues (a page of 100 elements of a []int):
 * childrenOf + formatValue made a Value, a byte view, a BigInt and a hex
 * address per element, about 2 µs each even once V8 had optimised them.
 *
 * A map whose keys and values are both builtin scalars is paged here too:
 * its entries come from the same iterator (maps.ts), and each entry is
 * named, spelled and located as childrenOf and the Variables view do it,
 * without a child object, a method lookup and a child count per entry.
 */
import { underlying, type MapType } from '../dwarf/goTypes.js';
import { expansionTarget, paren } from './children.js';
import { formatValue, hexAddr, typeName } from './format.js';
import { mapIterator } from './maps.js';
import { isBuiltinScalar, scalarTextAt, scalarValueText } from './scalarText.js';
import type { Value } from './value.js';
import { MAX_WHOLE_READ, type ValueReader } from './valueReader.js';

/**
 * One element of a scalar page, under the names a Variables view entry has
 * (DAP's Variable, in the order the view sends them), so the adapter sends
 * the page's elements as they are: one object per element, not two.
 */
export interface ScalarElem {
  name: string;
  /** Its text, as formatValue spells it. */
  value: string;
  /** Its type's name (the page's `type`). */
  type: string;
  /** No children: a number or boolean has none. */
  variablesReference: 0;
  evaluateName?: string;
  /** Where the element lives (undefined for a computed array). */
  memoryReference?: string;
}

export interface ScalarPage {
  /** The elements' type name, the same for all. */
  type: string;
  elems: ScalarElem[];
}

/**
 * Elements [start, start+count) of `v` when it (or what it points at) is an
 * array or slice of builtin scalars; undefined otherwise, and when anything
 * cannot be read (the general path says what).
 */
export function scalarPage(r: ValueReader, v: Value, evalName: string | undefined, start: number, count: number): ScalarPage | undefined {
  try {
    return readPage(r, v, evalName, start, count);
  } catch {
    return undefined;
  }
}

function readPage(r: ValueReader, v: Value, evalName: string | undefined, start: number, count: number): ScalarPage | undefined {
  if (v.error !== undefined) return undefined;
  const tgt = expansionTarget(r, v, evalName);
  if (!tgt) return undefined;
  const t = tgt.value;
  if (t.error !== undefined || t.regs) return undefined;
  const u = underlying(t.type);
  if (u.kind === 'map') return mapPage(r, t, tgt.evalName, u, start, count);
  if (u.kind !== 'array' && u.kind !== 'slice') return undefined;
  const elem = u.elem;
  if (!isBuiltinScalar(elem)) return undefined;
  const size = elem.size;
  let len: number;
  let bytes: Uint8Array | undefined;
  let addr: number | undefined;
  const first = Math.max(0, start);
  if (u.kind === 'slice') {
    const h = r.sliceHeader(t);
    if (h.data === 0) return undefined;
    len = h.len;
    addr = h.data + first * size;
  } else {
    len = u.count;
    if (t.bytes) bytes = t.bytes.subarray(first * size);
    if (t.addr !== undefined) addr = t.addr + first * size;
    else if (!t.bytes) return undefined;
  }
  const n = Math.max(0, Math.min(len - first, count));
  if (n * size > MAX_WHOLE_READ) return undefined;
  bytes ??= r.read(addr!, n * size);
  if (bytes.length < n * size) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n * size);
  const base = tgt.evalName === undefined ? undefined : paren(tgt.evalName);
  // A computed array's elements are computed too (no address shown); a slice's live where its data pointer says.
  const shown = u.kind === 'array' && t.computed ? undefined : addr;
  const type = typeName(elem);
  const elems: ScalarElem[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e: ScalarElem = { name: `[${first + i}]`, value: scalarTextAt(dv, i * size, elem), type, variablesReference: 0 };
    if (base !== undefined) e.evaluateName = `${base}[${first + i}]`;
    if (shown !== undefined) e.memoryReference = hexAddr(shown + i * size);
    elems[i] = e;
  }
  return { type, elems };
}

/** How childrenOf spells a map key in a child's name and evaluateName. */
const KEY_FORMAT = { maxString: 64, depth: 1 };

/** Entries [start, start+count) of a map of builtin scalars to builtin scalars, as the general path names and shows them. */
function mapPage(r: ValueReader, t: Value, evalName: string | undefined, u: MapType, start: number, count: number): ScalarPage | undefined {
  if (!isBuiltinScalar(u.key) || !isBuiltinScalar(u.elem)) return undefined;
  const it = mapIterator(r, t);
  const first = Math.max(0, start);
  const n = Math.max(0, Math.min(it.len - first, count));
  const base = evalName === undefined ? undefined : paren(evalName);
  const type = typeName(u.elem);
  // From the program's memory: each entry spelled from its slot's bytes, without its two Values.
  const slots = it.scalarSlots(first, n);
  if (slots) {
    const elems: ScalarElem[] = new Array(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const sl = slots[i]!;
      const k = scalarTextAt(sl.chunk.view, sl.key, u.key);
      const e: ScalarElem = { name: `[${k}]`, value: scalarTextAt(sl.chunk.view, sl.elem, u.elem), type, variablesReference: 0 };
      if (base !== undefined) e.evaluateName = `${base}[${k}]`;
      e.memoryReference = hexAddr(sl.chunk.addr + sl.elem);
      elems[i] = e;
    }
    return { type, elems };
  }
  const entries = it.entries(first, n);
  const elems: ScalarElem[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const { key, value } = entries[i]!;
    // A builtin scalar with its bytes at hand is spelled from them (formatValue's own fast path, without its options).
    const k = scalarValueText(key) ?? formatValue(r, key, KEY_FORMAT);
    const e: ScalarElem = { name: `[${k}]`, value: scalarValueText(value) ?? formatValue(r, value), type, variablesReference: 0 };
    if (base !== undefined) e.evaluateName = `${base}[${k}]`;
    if (value.addr !== undefined && !value.computed && !value.regs) e.memoryReference = hexAddr(value.addr);
    elems[i] = e;
  }
  return { type, elems };
}
