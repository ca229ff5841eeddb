/**
 * The children of a value in the Variables view, produced lazily and in
 * pages: struct fields; array, slice and channel elements; map entries
 * (basic keys become the child's name `["key"]`, other keys an entry
 * `[key n]` holding the key and the value); a pointer's or an interface's
 * target (a composite target shows its own children directly); closure
 * captures of a func value; real/imag of a complex number.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { chanState } from './chans.js';
import { formatValue, typeName, type FormatOptions } from './format.js';
import { dynamicOf } from './interfaces.js';
import { mapIterator } from './maps.js';
import { partOf, type Value } from './value.js';
import type { ValueReader } from './valueReader.js';

export interface Child {
  name: string;
  value: Value;
  /** Go expression for the child, derived from the parent's. */
  evalName?: string;
  /** A map entry with a composite key: expands to `key` and `value`. */
  pair?: { key: Value; value: Value };
}

export interface ChildCounts {
  indexed: number;
  named: number;
}

const COMPOSITE = new Set(['struct', 'array', 'slice', 'map', 'chan', 'interface', 'pointer']);
const BASIC_KEY = new Set(['bool', 'int', 'uint', 'uintptr', 'float', 'complex', 'string', 'pointer', 'unsafePointer', 'chan']);

const PLAIN_CHAIN = /^[\p{L}_][\p{L}\p{N}_.]*(\[[^\]]*\])*$/u;

/**
 * Wraps an expression in parentheses unless it is a plain selector/index
 * chain. ASCII is checked by code: the Unicode regex costs about a
 * millisecond to compile on its first use, the first expand at a stop.
 */
export function paren(e: string): string {
  return plainChain(e) ? e : `(${e})`;
}

function plainChain(e: string): boolean {
  let i = 0;
  for (; i < e.length; i++) {
    const c = e.charCodeAt(i);
    if (c >= 0x80) return PLAIN_CHAIN.test(e);
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (i > 0 && ((c >= 48 && c <= 57) || c === 46));
    if (!word) break;
  }
  if (i === 0) return false;
  while (i < e.length) {
    if (e.charCodeAt(i) !== 91) return false;
    const close = e.indexOf(']', i + 1);
    if (close < 0) return false;
    for (let k = i + 1; k < close; k++) if (e.charCodeAt(k) >= 0x80) return PLAIN_CHAIN.test(e);
    i = close + 1;
  }
  return true;
}

/**
 * The value whose children a value shows: a non-nil pointer to a composite
 * shows its target's; an interface shows its dynamic value's (when composite).
 */
export function expansionTarget(r: ValueReader, v: Value, evalName?: string): { value: Value; evalName?: string } | undefined {
  let cur = v;
  let name = evalName;
  for (let hop = 0; hop < 4; hop++) {
    const u = underlying(cur.type);
    if (u.kind === 'pointer') {
      const t = r.deref(cur, u.elem);
      if (!t) return undefined;
      const tk = underlying(t.type).kind;
      if (!COMPOSITE.has(tk) || tk === 'pointer') return { value: cur, evalName: name };
      cur = t;
      // Go selects fields and indexes arrays through pointers; slices and maps need (*p).
      name = name === undefined ? undefined : tk === 'struct' || tk === 'array' ? name : `(*${name})`;
      continue;
    }
    if (u.kind === 'interface') {
      const d = dynamicOf(r, cur);
      if (d.nil || !d.value) return undefined;
      const dk = underlying(d.value.type).kind;
      if (!COMPOSITE.has(dk) && dk !== 'func') return { value: cur, evalName: name };
      name = name === undefined ? undefined : `${paren(name)}.(${typeName(d.value.type)})`;
      cur = d.value;
      continue;
    }
    return { value: cur, evalName: name };
  }
  return { value: cur, evalName: name };
}

/** How many children a value has, or undefined when it has none (a leaf). Cheap: reads headers only. */
export function childCounts(r: ValueReader, v: Value): ChildCounts | undefined {
  if (v.error !== undefined) return undefined;
  const t = expansionTarget(r, v)?.value;
  if (!t) return undefined;
  const u = underlying(t.type);
  switch (u.kind) {
    case 'struct':
      return u.fields.length ? { indexed: 0, named: u.fields.length } : undefined;
    case 'array':
      return u.count ? { indexed: u.count, named: 0 } : undefined;
    case 'slice': {
      const h = r.sliceHeader(t);
      return h.len > 0 && h.data !== 0 ? { indexed: h.len, named: 0 } : undefined;
    }
    case 'map': {
      const it = mapIterator(r, t);
      return it.len > 0 ? { indexed: it.len, named: 0 } : undefined;
    }
    case 'chan': {
      const c = chanState(r, t);
      return c.nil ? undefined : { indexed: c.len, named: 3 };
    }
    case 'pointer':
      return r.pointer(t) ? { indexed: 0, named: 1 } : undefined;
    case 'interface':
      return dynamicOf(r, t).nil ? undefined : { indexed: 0, named: 1 };
    case 'complex':
      return { indexed: 0, named: 2 };
    case 'func': {
      const n = closureVars(r, t).length;
      return n ? { indexed: 0, named: n } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Children [start, start+count) (all when count is undefined). `filter`
 * restricts to indexed or named children, as DAP asks.
 */
export function childrenOf(
  r: ValueReader,
  v: Value,
  evalName: string | undefined,
  page: { start?: number; count?: number; filter?: 'indexed' | 'named' },
  fmt: FormatOptions,
): Child[] {
  const tgt = expansionTarget(r, v, evalName);
  if (!tgt) return [];
  const t = tgt.value;
  const en = tgt.evalName;
  const u = underlying(t.type);
  const start = Math.max(0, page.start ?? 0);
  const want = (n: number) => Math.max(0, Math.min(n - start, page.count ?? n));
  const base = en === undefined ? undefined : paren(en);
  const idx = (i: number) => (base === undefined ? undefined : `${base}[${i}]`);
  switch (u.kind) {
    case 'struct': {
      if (page.filter === 'indexed') return [];
      if (t.bytes === undefined && t.addr !== undefined && t.error === undefined && t.type.size <= 1 << 16) {
        try {
          r.load(t);
        } catch {
          /* each field then reports the error itself */
        }
      }
      return u.fields.slice(start, start + want(u.fields.length)).map((f) => ({
        name: f.name,
        value: r.field(t, f),
        evalName: en === undefined ? undefined : `${paren(en)}.${f.name}`,
      }));
    }
    case 'array': {
      if (page.filter === 'named') return [];
      const n = want(u.count);
      return r.elems({ whole: t }, u.elem, start, n).map((e, i) => ({ name: `[${start + i}]`, value: e, evalName: idx(start + i) }));
    }
    case 'slice': {
      if (page.filter === 'named') return [];
      const h = r.sliceHeader(t);
      const n = want(h.len);
      return r.elems({ addr: h.data }, u.elem, start, n).map((e, i) => ({ name: `[${start + i}]`, value: e, evalName: idx(start + i) }));
    }
    case 'map': {
      if (page.filter === 'named') return [];
      const it = mapIterator(r, t);
      const entries = it.entries(start, want(it.len));
      const basic = BASIC_KEY.has(underlying(u.key).kind);
      const keyBase = base === undefined || underlying(u.key).kind === 'pointer' ? undefined : base;
      const keyFmt = { ...fmt, maxString: 64, depth: 1 };
      return entries.map((e, i) => {
        if (basic) {
          const k = formatValue(r, e.key, keyFmt);
          return { name: `[${k}]`, value: e.value, evalName: keyBase === undefined ? undefined : `${keyBase}[${k}]` };
        }
        return { name: `[key ${start + i}]`, value: e.value, pair: { key: e.key, value: e.value } };
      });
    }
    case 'chan': {
      const c = chanState(r, t);
      const out: Child[] = [];
      if (page.filter !== 'indexed') {
        const uint = r.dwarf.typeByName('int') ?? t.type;
        const num = (n: number): Value => ({ type: uint, bytes: bigintBytes(BigInt(n)), computed: true });
        const boolT = r.dwarf.typeByName('bool');
        out.push({ name: 'len', value: num(c.len) }, { name: 'cap', value: num(c.cap) });
        if (boolT) out.push({ name: 'closed', value: { type: boolT, bytes: new Uint8Array([c.closed ? 1 : 0]), computed: true } });
      }
      if (page.filter !== 'named') {
        const s = page.filter === 'indexed' ? start : 0;
        const n = page.filter === 'indexed' ? want(c.len) : c.len;
        c.buffered(s, n).forEach((e, i) => out.push({ name: `[${s + i}]`, value: e }));
      }
      return out;
    }
    case 'pointer': {
      if (page.filter === 'indexed') return [];
      const p = r.deref(t, u.elem);
      return p ? [{ name: en === undefined ? `*` : `*${en}`, value: p, evalName: en === undefined ? undefined : `*${paren(en)}` }] : [];
    }
    case 'interface': {
      if (page.filter === 'indexed') return [];
      const d = dynamicOf(r, t);
      if (d.nil || !d.value) return [];
      return [{ name: 'data', value: d.value, evalName: en === undefined ? undefined : `${paren(en)}.(${typeName(d.value.type)})` }];
    }
    case 'complex': {
      if (page.filter === 'indexed') return [];
      const half = r.dwarf.typeByName(u.size === 8 ? 'float32' : 'float64');
      if (!half) return [];
      return [
        { name: 'real', value: partOf(t, half, 0), evalName: en === undefined ? undefined : `real(${en})` },
        { name: 'imag', value: partOf(t, half, half.size), evalName: en === undefined ? undefined : `imag(${en})` },
      ];
    }
    case 'func': {
      if (page.filter === 'indexed') return [];
      return closureVars(r, t).slice(start, start + want(Number.MAX_SAFE_INTEGER));
    }
    default:
      return [];
  }
}

function bigintBytes(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, true);
  return b;
}

/**
 * Captured variables of a closure: the closure function's DWARF variables
 * with DW_AT_go_closure_offset, read from the closure object. Captures by
 * reference (`&n`) are shown dereferenced as `n`.
 */
export function closureVars(r: ValueReader, v: Value): Child[] {
  const f = r.funcTarget(v);
  if (!f) return [];
  return r.cached(`closure:${f.closure}`, () => {
    const fn = r.dwarf.functionAt(f.pc);
    if (!fn) return [];
    const out: Child[] = [];
    for (const dv of fn.variables) {
      if (dv.closureOffset === undefined) continue;
      let t: GoType;
      try {
        t = r.dwarf.type(dv.typeOffset);
      } catch {
        continue;
      }
      let value: Value = { type: t, addr: f.closure + dv.closureOffset };
      let name = dv.name;
      if (name.startsWith('&') && t.kind === 'pointer') {
        name = name.slice(1);
        try {
          const p = r.pointer(value);
          value = p ? { type: t.elem, addr: p } : { type: t.elem, error: 'nil' };
        } catch (e) {
          value = { type: t.elem, error: (e as Error).message };
        }
      }
      out.push({ name, value });
    }
    return out;
  });
}
