/**
 * Panics and fatal errors as exception stops: internal breakpoints on the
 * runtime's fatal paths, reached before the runtime prints and exits —
 * `runtime.fatalpanic(msgs *_panic)` for an unrecovered panic, and
 * `runtime.throw(s string)` / `runtime.fatal(s string)` for fatal errors
 * (deadlocks, concurrent map writes, runtime corruption). The breakpoint sits
 * after the prologue, where the argument registers (RAX, RBX) are untouched.
 *
 * The panic value is shown the way Go prints it, without running code in the
 * program: the runtime has already turned errors and Stringers into their text
 * before fatalpanic; basic values are printed directly, other types by type
 * name (and through `formatValue` when one is supplied).
 */
import type { Registers } from '../process/registers.js';
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import type { RuntimeLayout } from './runtimeLayout.js';
import { readWord, type MemoryReader } from '../process/memory.js';
import type { SymbolTable } from './symbolTable.js';

export type ExceptionKind = 'panic' | 'fatal';

export interface ExceptionDetails {
  /** 'panic', 'runtime error', 'fatal error' or a signal name. */
  id: string;
  /** The message as Go would print it after "panic: " / "fatal error: ". */
  description: string;
  typeName?: string;
}

export interface ExceptionSite {
  addr: number;
  kind: ExceptionKind;
  fn: string;
  /**
   * runtime.gopanic: not a stop, only a note of the panic value as it was
   * raised (by the time fatalpanic runs, the runtime has already replaced an
   * error or Stringer by its text, losing the type).
   */
  record?: boolean;
}

/** The value given to panic(), as two words of an eface. */
export interface RaisedValue {
  typ: number;
  data: number;
}

/** The internal breakpoint addresses, by filter. */
export function exceptionSites(symbols: SymbolTable): ExceptionSite[] {
  const out: ExceptionSite[] = [];
  const add = (name: string, kind: ExceptionKind, record = false) => {
    const fn = symbols.funcByName(name);
    if (fn) out.push({ addr: symbols.prologueEnd(fn), kind, fn: name, ...(record ? { record } : {}) });
  };
  add('runtime.gopanic', 'panic', true);
  add('runtime.fatalpanic', 'panic');
  add('runtime.throw', 'fatal');
  add('runtime.fatal', 'fatal');
  return out;
}

export interface DescribeContext {
  symbols: SymbolTable;
  dwarf?: Dwarf;
  layout?: RuntimeLayout;
  mem: MemoryReader;
  /** Optional richer formatting of a value of type `t` at `addr`. */
  formatValue?: (t: GoType, addr: number) => string | undefined;
}

const dec = new TextDecoder();

class Mem {
  constructor(private readonly m: MemoryReader) {}
  bytes(addr: number, n: number): Uint8Array | undefined {
    if (!addr || n < 0 || n > 1 << 20) return undefined;
    const b = new Uint8Array(n);
    return this.m.readInto(addr, b) === n ? b : undefined;
  }
  ptr(addr: number): number | undefined {
    return readWord(this.m, addr);
  }
  /** A Go string header at addr. */
  string(addr: number, max = 4096): string | undefined {
    const p = this.ptr(addr);
    const n = this.ptr(addr + 8);
    if (p === undefined || n === undefined) return undefined;
    if (n === 0) return '';
    const b = this.bytes(p, Math.min(n, max));
    return b && dec.decode(b) + (n > max ? '…' : '');
  }
}

/** At runtime.gopanic's prologue end: the eface argument is still in RAX (type) and RBX (data). */
export function raisedValue(regs: Registers): RaisedValue {
  return { typ: Number(regs.get('rax')), data: Number(regs.get('rbx')) };
}

const RUNTIME_ERROR_TYPES = /^\*?runtime\./;

/**
 * Describes the stop at an exception site, reading the panic value or the
 * fatal message. `raised` is the value as given to panic(), when it was noted.
 */
export function describeException(site: ExceptionSite, regs: Registers, ctx: DescribeContext, raised?: RaisedValue): ExceptionDetails {
  const printed = describeAtSite(site, regs, ctx);
  if (site.kind !== 'panic' || !raised || !raised.typ) return printed;
  const t = ctx.dwarf?.typeByRuntimeAddr(raised.typ);
  if (!t) return printed;
  const runtimeError = RUNTIME_ERROR_TYPES.test(t.name);
  return { id: runtimeError ? 'runtime error' : 'panic', description: printed.description, typeName: t.name };
}

function describeAtSite(site: ExceptionSite, regs: Registers, ctx: DescribeContext): ExceptionDetails {
  const mem = new Mem(ctx.mem);
  if (site.kind === 'fatal') {
    const p = Number(regs.get('rax'));
    const n = Number(regs.get('rbx'));
    const b = n > 0 && n < 1 << 16 ? mem.bytes(p, n) : undefined;
    return { id: 'fatal error', description: b ? dec.decode(b) : 'fatal error' };
  }
  const panicPtr = Number(regs.get('rax'));
  const argOff = ctx.layout?.panic?.arg ?? 8;
  const typ = mem.ptr(panicPtr + argOff);
  const data = mem.ptr(panicPtr + argOff + 8);
  if (typ === undefined || data === undefined || typ === 0) return { id: 'panic', description: 'panic: nil' };
  return describeValue(typ, data, ctx, mem);
}

function describeValue(typAddr: number, data: number, ctx: DescribeContext, mem: Mem): ExceptionDetails {
  const t = ctx.dwarf?.typeByRuntimeAddr(typAddr);
  if (!t) return { id: 'panic', description: `(unknown type at 0x${typAddr.toString(16)}) 0x${data.toString(16)}` };
  const name = t.name;
  const s = underlying(t);
  // The eface data word points to the value (pointer-shaped types are stored directly).
  const pointerShaped = s.kind === 'pointer' || s.kind === 'unsafePointer' || s.kind === 'map' || s.kind === 'chan' || s.kind === 'func';
  // By the time fatalpanic runs, gopanic's preprintpanics has replaced an error or
  // Stringer by its text, so what is left is a string, a basic value or another type
  // (whose original type was noted at gopanic, see describeException).
  const at = data;
  const basic = formatBasic(s, name, at, mem);
  if (basic !== undefined) return { id: 'panic', description: basic, typeName: name };
  const rich = ctx.formatValue?.(t, pointerShaped ? data : at);
  return { id: 'panic', description: rich ? `(${name}) ${rich}` : `(${name}) 0x${data.toString(16)}`, typeName: name };
}

/** Go's printpanicval for basic kinds: plain for predeclared types, `T(v)` for named ones. */
function formatBasic(s: GoType, name: string, at: number, mem: Mem): string | undefined {
  let v: string | undefined;
  const named = name.includes('.');
  if (s.kind === 'string') {
    const str = mem.string(at);
    if (str === undefined) return undefined;
    return named ? `${name}(${JSON.stringify(str)})` : str;
  }
  const b = mem.bytes(at, s.size);
  if (!b) return undefined;
  const dv = new DataView(b.buffer);
  if (s.kind === 'bool') v = b[0] ? 'true' : 'false';
  else if (s.kind === 'int') v = readInt(dv, s.size, true);
  else if (s.kind === 'uint' || s.kind === 'uintptr') v = readInt(dv, s.size, false);
  else if (s.kind === 'float') v = formatFloat(s.size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true));
  if (v === undefined) return undefined;
  return named ? `${name}(${v})` : v;
}

function readInt(dv: DataView, size: number, signed: boolean): string | undefined {
  switch (size) {
    case 1:
      return String(signed ? dv.getInt8(0) : dv.getUint8(0));
    case 2:
      return String(signed ? dv.getInt16(0, true) : dv.getUint16(0, true));
    case 4:
      return String(signed ? dv.getInt32(0, true) : dv.getUint32(0, true));
    case 8:
      return String(signed ? dv.getBigInt64(0, true) : dv.getBigUint64(0, true));
  }
  return undefined;
}

/** Go prints panic floats in %e-like form: +1.500000e+000. */
function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const [m, e] = f.toExponential(6).split('e');
  const exp = Number(e);
  const sign = f < 0 || Object.is(f, -0) ? '' : '+';
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(3, '0')}`;
}
