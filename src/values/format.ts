/**
 * One place for how values read: the one-line `value` strings of the
 * Variables view, hovers and the REPL, in Delve's spelling:
 *   main.Item {SKU: "A-1", Qty: 2, Price: 1.5}
 *   []int len: 3, cap: 4, [1,2,3]
 *   map[string]int len: 2, ["a": 1, "b": 2]
 *   *main.Order {…}   nil
 *   interface {}(string) "x"   error(*errors.errorString) *{s: "boom"}
 *   chan int 2/5   main.main.func1   unsafe.Pointer(0xc000010000)   (1+2i)
 * Nested composites are shown down to `depth` levels, then summarised
 * (`{…}`, `[…]`); the whole line is cut near `maxLength`.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { chanState } from './chans.js';
import { formatComplex, formatFloat, quoteBytes, utf8Prefix } from './goFormat.js';
import { dynamicOf } from './interfaces.js';
import { mapIterator } from './maps.js';
import { scalarValueText } from './scalarText.js';
import type { Value } from './value.js';
import type { ValueReader } from './valueReader.js';
import { constantName, formatDuration, reflectHeld, timeText } from './wellKnown.js';

export interface FormatOptions {
  /** Bytes of a string shown before `...+N more` (default 512). */
  maxString?: number;
  /** Integers in hexadecimal. */
  hex?: boolean;
  /** Composite levels expanded inline (default 2: the value and its children). */
  depth?: number;
  /** Soft limit on the line's length (default 1024). */
  maxLength?: number;
  /** Elements of an array, slice or map listed inline (default 64). */
  maxElems?: number;
}

const DEFAULTS: Required<FormatOptions> = { maxString: 512, hex: false, depth: 2, maxLength: 1024, maxElems: 64 };

export function errorText(e: unknown): string {
  return `<error: ${(e as Error)?.message ?? String(e)}>`;
}

/** The display name of a type (generic shapes resolved to their underlying type). */
export function typeName(t: GoType): string {
  return t.name || underlying(t).name;
}

/** Two hex digits of each byte value. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const TWO_32 = 0x100000000;

/**
 * Hex address as Go prints it. Number#toString(16) takes V8's slow path for
 * a number at or above 2^31, as every heap and stack address is (measured
 * about 800 ns a call against 200 ns by bytes; a page of 100 ints gives 100
 * memory references): the low 32 bits are spelled from a table.
 */
export function hexAddr(a: number): string {
  if (a < 0x80000000 || !Number.isSafeInteger(a)) return `0x${a.toString(16)}`;
  const hi = Math.floor(a / TWO_32);
  const lo = a - hi * TWO_32;
  const low = HEX_BYTE[lo >>> 24]! + HEX_BYTE[(lo >>> 16) & 255]! + HEX_BYTE[(lo >>> 8) & 255]! + HEX_BYTE[lo & 255]!;
  // hi = 0: lo >= 2^31, its first byte has no leading zero.
  return hi === 0 ? `0x${low}` : `0x${hi.toString(16)}${low}`;
}

export function formatValue(r: ValueReader, v: Value, opts: FormatOptions = {}): string {
  if (!opts.hex) {
    const text = scalarValueText(v);
    if (text !== undefined) return text;
  }
  const o = { ...DEFAULTS, ...opts };
  return new Formatter(r, o).value(v, 0, true);
}

class Formatter {
  private budget: number;

  constructor(
    private readonly r: ValueReader,
    private readonly o: Required<FormatOptions>,
  ) {
    this.budget = o.maxLength;
  }

  private spend(s: string): string {
    this.budget -= s.length;
    return s;
  }

  value(v: Value, depth: number, withType: boolean): string {
    if (v.error !== undefined) return this.spend(`<error: ${v.error}>`);
    // An element or field that is a builtin number or bool with its bytes at hand: as at the top (no BigInt, no Formatter case).
    if (!this.o.hex) {
      const text = scalarValueText(v);
      if (text !== undefined) return this.spend(text);
    }
    try {
      return this.spend(this.unguarded(v, depth, withType));
    } catch (e) {
      return this.spend(errorText(e));
    }
  }

  private int(n: bigint): string {
    if (!this.o.hex) return n.toString();
    return n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
  }

  private unguarded(v: Value, depth: number, withType: boolean): string {
    const t = underlying(v.type);
    const name = typeName(v.type);
    const expand = depth < this.o.depth && this.budget > 0;
    switch (t.kind) {
      case 'bool':
        return this.r.bool(v) ? 'true' : 'false';
      case 'int':
      case 'uint': {
        const n = this.r.int(v);
        if (name === 'time.Duration' && !this.o.hex) return formatDuration(n);
        const c = constantName(this.r.dwarf, v.type, n);
        return c ? `${c} (${this.int(n)})` : this.int(n);
      }
      case 'uintptr':
        return hexAddr(Number(this.r.int(v)));
      case 'float':
        return formatFloat(this.r.float(v), t.size === 4 ? 32 : 64);
      case 'complex': {
        const [re, im] = this.r.complex(v);
        return formatComplex(re, im, t.size === 8 ? 32 : 64);
      }
      case 'string':
        return this.string(v);
      case 'unsafePointer':
        return `unsafe.Pointer(${hexAddr(this.r.pointer(v))})`;
      case 'pointer': {
        const p = this.r.pointer(v);
        if (p === 0) return 'nil';
        const elem = t.elem;
        const ek = underlying(elem).kind;
        if (expand && ek !== 'unspecified') return `*${this.value({ type: elem, addr: p }, depth + 1, withType)}`;
        if (ek === 'struct') return `*${typeName(elem)} {…}`;
        return `(${name})(${hexAddr(p)})`;
      }
      case 'struct': {
        if (name === 'time.Time') {
          const text = this.wellKnown(() => timeText(this.r, v));
          if (text) return text;
        }
        if (name === 'reflect.Value') {
          const held = this.wellKnown(() => reflectHeld(this.r, v));
          if (held === null) return '<invalid reflect.Value>';
          if (held) return `reflect.Value(${typeName(held.type)}) ${this.value(held, depth + 1, false)}`;
        }
        // A call's results (eval/calls.ts: a computed struct named by the result list) read as Delve
        // prints them: the values, comma-separated ("5, nil"); no result is empty.
        if (v.computed && t.offset === -1 && name.startsWith('(')) {
          return t.fields.map((f) => this.value(this.r.field(v, f), depth + 1, true)).join(', ');
        }
        const head = withType ? `${name} ` : '';
        if (t.fields.length === 0) return `${head}{}`;
        if (!expand) return `${head}{…}`;
        if (v.bytes === undefined && v.addr !== undefined && t.size <= 1 << 16) this.r.load(v);
        const parts: string[] = [];
        for (const f of t.fields) {
          if (this.budget <= 0) {
            parts.push('…');
            break;
          }
          parts.push(`${f.name}: ${this.value(this.r.field(v, f), depth + 1, true)}`);
        }
        return `${head}{${parts.join(', ')}}`;
      }
      case 'array': {
        const head = withType ? `${name} ` : '';
        return head + this.list(t.count, expand, (start, n) => this.r.elems({ whole: v }, t.elem, start, n), depth);
      }
      case 'slice': {
        const { data, len, cap } = this.r.sliceHeader(v);
        const head = `${withType ? `${name} ` : ''}len: ${len}, cap: ${cap}, `;
        // A nil data pointer with a length (made through unsafe) is no nil slice: reading it would fault.
        if (data === 0) return len === 0 ? `${head}nil` : `${head}<error: nil data pointer with length ${len}>`;
        return head + this.list(len, expand, (start, n) => this.r.elems({ addr: data }, t.elem, start, n), depth);
      }
      case 'map': {
        const it = mapIterator(this.r, v);
        const head = withType ? `${name} ` : '';
        if (it.nil) return `${head}nil`;
        if (!expand || it.len === 0) return `${head}len: ${it.len}${it.len ? ', […]' : ', []'}`;
        const parts: string[] = [];
        const shown = Math.min(it.len, this.o.maxElems);
        const entries = it.entries(0, shown);
        for (const e of entries) {
          if (this.budget <= 0) break;
          parts.push(`${this.value(e.key, depth + 1, false)}: ${this.value(e.value, depth + 1, false)}`);
        }
        const more = it.len - parts.length;
        return `${head}len: ${it.len}, [${parts.join(', ')}${more > 0 ? `, ...+${more} more` : ''}]`;
      }
      case 'interface': {
        const d = dynamicOf(this.r, v);
        if (d.nil) return `${name} nil`;
        if (!d.type || !d.value) return `${name}(<unknown type at ${hexAddr(d.typeAddr)}>)`;
        return `${name}(${typeName(d.type)}) ${this.value(d.value, depth, false)}`;
      }
      case 'chan': {
        const c = chanState(this.r, v);
        if (c.nil) return `${name} nil`;
        return `${name} ${c.len}/${c.cap}${c.closed ? ' (closed)' : ''}`;
      }
      case 'func': {
        const f = this.r.funcTarget(v);
        return f ? f.name : 'nil';
      }
      case 'typedef':
      case 'unspecified':
        return `<${name || 'unknown type'}>`;
    }
  }

  /** A well-known type's text, or undefined to show the value by its layout (unreadable parts included). */
  private wellKnown<T>(f: () => T | undefined): T | undefined {
    try {
      return f();
    } catch {
      return undefined;
    }
  }

  private string(v: Value): string {
    const max = this.o.maxString;
    const { bytes, len } = this.r.stringBytes(v, max + 4);
    if (len <= max) return quoteBytes(bytes.subarray(0, len));
    const n = utf8Prefix(bytes, max);
    return `${quoteBytes(bytes.subarray(0, n))}...+${len - n} more`;
  }

  private list(len: number, expand: boolean, page: (start: number, n: number) => Value[], depth: number): string {
    if (len === 0) return '[]';
    if (!expand) return '[…]';
    const shown = Math.min(len, this.o.maxElems);
    const parts: string[] = [];
    for (const e of page(0, shown)) {
      if (this.budget <= 0) break;
      parts.push(this.value(e, depth + 1, false));
    }
    const more = len - parts.length;
    return `[${parts.join(',')}${more > 0 ? `,...+${more} more` : ''}]`;
  }
}
