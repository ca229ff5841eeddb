/**
 * Where a variable of a frame is: its DWARF location (an expression, or a
 * location list entry for the frame's PC) evaluated with the frame's CFA and,
 * for frame 0, its registers. Go's ABI saves no callee-saved registers, so in
 * caller frames only stack-resident variables can be read; register-located
 * ones are shown as unavailable.
 */
import type { Dwarf, ScopedVariable } from '../dwarf/dwarf.js';
import { scopeVariables } from '../dwarf/dwarf.js';
import type { DwarfFunction, DwarfVariable } from '../dwarf/functions.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { locationAt } from '../dwarf/lists.js';
import { evalLocation, OP, type Piece } from '../dwarf/ops.js';
import type { Registers } from '../process/registers.js';
import { capturesPending } from './closureEntry.js';
import type { RegisterPiece, Value } from './value.js';
import { encodeInt, u64, type ValueReader } from './valueReader.js';

/** What locating a variable needs to know about a frame. */
export interface FrameInfo {
  tid: number;
  /** PC for lookups: the PC itself in frame 0, the return address − 1 in callers. */
  pc: number;
  /** Canonical frame address (the caller's SP): Go's DW_AT_frame_base is DW_OP_call_frame_cfa. */
  cfa: number;
  /** The thread's registers: frame 0 only. */
  regs?: Registers;
  /** Position among the logical frames of one physical frame: 0 = innermost inlined call. */
  inlineIndex: number;
}

/** A variable of a frame as the view lists it. */
export interface FrameVariable {
  /** Name as shown: `&x` (a heap-moved x) shows as `x`. */
  name: string;
  dwarf: ScopedVariable;
  kind: 'arg' | 'return' | 'local';
}

export const UNAVAILABLE_IN_CALLER = 'unavailable: held in a register in a caller frame (Go saves no registers across calls)';

/** What frameScope found for one PC and inline position (DWARF does not change: kept for the session). */
type FrameScope = { fn: DwarfFunction; vars: FrameVariable[] } | null;
const scopeMemo = new WeakMap<Dwarf, Map<string, FrameScope>>();

/**
 * The function and its variables in scope for the frame (inlined calls have
 * their own): locals whose lexical block holds the PC and whose declaration
 * is before the line being executed (see `scopeVariables`). Resolved once per
 * PC and inline position.
 */
export function frameScope(dw: Dwarf, f: FrameInfo): { fn: DwarfFunction; vars: FrameVariable[] } | undefined {
  let memo = scopeMemo.get(dw);
  if (!memo) scopeMemo.set(dw, (memo = new Map()));
  const key = `${f.pc}:${f.inlineIndex}`;
  let s = memo.get(key);
  if (s === undefined) {
    s = resolveScope(dw, f.pc, f.inlineIndex) ?? null;
    memo.set(key, s);
  }
  return s ?? undefined;
}

function resolveScope(dw: Dwarf, pc: number, inlineIndex: number): { fn: DwarfFunction; vars: FrameVariable[] } | undefined {
  const fn = dw.functionAt(pc);
  if (!fn) return undefined;
  const chain = inlineIndex > 0 || fn.inlined.length ? dw.inlinedAt(pc) : [];
  // The line being executed in this logical frame: the PC's own line in the
  // innermost one, else the line of the call inlined into it.
  const line = inlineIndex === 0 ? dw.lineTable(fn.cu).rowAt(pc)?.line || undefined : chain[chain.length - inlineIndex]?.callLine;
  let vars: ScopedVariable[];
  if (inlineIndex < chain.length) {
    const call = chain[chain.length - 1 - inlineIndex]!;
    vars = scopeVariables(call.variables, pc, line, call.declLine);
  } else {
    vars = scopeVariables(fn.variables, pc, line, fn.declLine);
  }
  const out: FrameVariable[] = [];
  const order = { arg: 0, return: 1, local: 2 } as const;
  for (const v of vars) {
    const kind = v.kind === 'param' ? (v.isReturn ? 'return' : 'arg') : 'local';
    out.push({ name: v.name.startsWith('&') ? v.name.slice(1) : v.name, dwarf: v, kind });
  }
  // Arguments, then results, then locals in declaration order (DWARF lists them in no useful order).
  const pos = new Map(out.map((v, i) => [v, i]));
  out.sort(
    (a, b) => order[a.kind] - order[b.kind] || (a.kind === 'local' ? (a.dwarf.declLine ?? 0) - (b.dwarf.declLine ?? 0) : 0) || pos.get(a)! - pos.get(b)!,
  );
  return { fn, vars: out };
}

function registerBytes(regs: Registers, reg: number, size: number): Uint8Array {
  if (reg >= 17 && reg <= 32) {
    const x = regs.xmm(reg - 17);
    if (!x) throw new Error(`register xmm${reg - 17} unavailable`);
    const b = new Uint8Array(16);
    b.set(encodeInt(x.lo, 8), 0);
    b.set(encodeInt(x.hi, 8), 8);
    return b.subarray(0, Math.min(size, 16));
  }
  const v = regs.dwarf(reg);
  if (v === undefined) throw new Error(`no DWARF register ${reg}`);
  return encodeInt(v, 8).subarray(0, Math.min(size, 8));
}

const fbregCache = new WeakMap<Uint8Array, number | null>();

/** k when `expr` is exactly DW_OP_fbreg k (cached per expression). */
function fbregOffset(expr: Uint8Array): number | undefined {
  let k = fbregCache.get(expr);
  if (k === undefined) {
    k = null;
    if (expr[0] === OP.fbreg) {
      let v = 0;
      let shift = 0;
      let i = 1;
      let b = 0;
      do {
        b = expr[i++] ?? 0;
        v += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80 && i < expr.length);
      if (!(b & 0x80) && i === expr.length) k = b & 0x40 ? v - 2 ** shift : v;
    }
    fbregCache.set(expr, k);
  }
  return k ?? undefined;
}

/** A variable's location expression at `pc` (its own, or its location list's entry there). */
export function exprAt(v: DwarfVariable, pc: number): Uint8Array | undefined {
  return v.location instanceof Uint8Array ? v.location : v.location ? locationAt(v.location, pc) : undefined;
}

/** Go's stack slots: k when `expr` is DW_OP_fbreg k and `fn`'s frame base is DW_OP_call_frame_cfa (the slot is CFA + k). */
function cfaSlot(fn: DwarfFunction, expr: Uint8Array): number | undefined {
  return fn.frameBase.length === 1 && fn.frameBase[0] === OP.call_frame_cfa ? fbregOffset(expr) : undefined;
}

/**
 * Evaluates a variable's location in a frame into a Value of type `t`. In a
 * caller frame, a variable the location list puts in a register up to the call
 * (Go's lists often name the argument register until the call although the
 * prologue already spilled it) is read where the list puts it at the return
 * address, when that is memory: no instruction of the caller runs between the
 * call and its return, so that slot holds the value now.
 */
export function locate(r: ValueReader, fn: DwarfFunction, v: DwarfVariable, t: GoType, f: FrameInfo): Value {
  const at = locateAt(r, fn, v, t, f, f.pc);
  if (f.regs || at.error !== UNAVAILABLE_IN_CALLER || v.location instanceof Uint8Array || !v.location) return at;
  const after = locateAt(r, fn, v, t, f, f.pc + 1);
  return after.error === undefined && after.addr !== undefined ? after : at;
}

function locateAt(r: ValueReader, fn: DwarfFunction, v: DwarfVariable, t: GoType, f: FrameInfo, pc: number): Value {
  const expr = exprAt(v, pc);
  if (!expr || expr.length === 0) return { type: t, error: 'optimized out' };
  // The common case, Go's stack slots.
  const k = cfaSlot(fn, expr);
  if (k !== undefined) return { type: t, addr: f.cfa + k };
  const regs = f.regs;
  const regValue = (n: number): bigint => {
    if (!regs) throw new Error(UNAVAILABLE_IN_CALLER);
    const x = regs.dwarf(n);
    if (x === undefined) throw new Error(`register ${n} unavailable`);
    return x;
  };
  let pieces: Piece[];
  try {
    let frameBase: number | undefined;
    if (fn.frameBase.length) {
      const fb = evalLocation(fn.frameBase, { regs: regValue, cfa: f.cfa, readMemory: (a, l) => r.read(a, l), ptrSize: 8, addressBias: r.dwarf.addressBias })
        .pieces[0];
      if (fb?.kind === 'memory') frameBase = fb.addr;
      else if (fb?.kind === 'value') frameBase = Number(fb.value);
    }
    pieces = evalLocation(expr, {
      regs: regValue,
      cfa: f.cfa,
      frameBase,
      readMemory: (a, l) => r.read(a, l),
      ptrSize: 8,
      addressBias: r.dwarf.addressBias,
    }).pieces;
  } catch (e) {
    return { type: t, error: (e as Error).message };
  }
  if (pieces.length === 1 && pieces[0]!.kind === 'memory') return { type: t, addr: pieces[0]!.addr };
  // Assemble the bytes from pieces (registers, memory, computed values).
  const size = t.size;
  const bytes = new Uint8Array(size);
  const regPieces: RegisterPiece[] = [];
  let off = 0;
  for (const p of pieces) {
    const n = p.size ?? size - off;
    if (n <= 0) continue;
    let src: Uint8Array;
    switch (p.kind) {
      case 'memory':
        try {
          src = r.read(p.addr, n);
        } catch (e) {
          return { type: t, error: (e as Error).message };
        }
        break;
      case 'register':
        if (!regs) return { type: t, error: UNAVAILABLE_IN_CALLER };
        try {
          src = registerBytes(regs, p.reg, n);
        } catch (e) {
          return { type: t, error: (e as Error).message };
        }
        regPieces.push({ reg: p.reg, offset: off, size: Math.min(n, p.reg >= 17 ? 16 : 8) });
        break;
      case 'value':
        src = encodeInt(p.value, 8).subarray(0, Math.min(n, 8));
        break;
      case 'implicit':
        src = p.bytes.subarray(0, n);
        break;
      case 'empty':
        return { type: t, error: 'optimized out' };
    }
    bytes.set(src.subarray(0, Math.max(0, Math.min(src.length, size - off))), off);
    off += n;
  }
  const out: Value = { type: t, bytes };
  if (regPieces.length) out.regs = { pieces: regPieces, offset: 0, tid: f.tid };
  else out.computed = true;
  return out;
}

/**
 * The concrete type of a generic shape variable (`.paramN` typedef with a
 * dictionary index): the runtime type in the function's `.dict` at that index.
 */
export function resolveShape(r: ValueReader, t: GoType, dict: Value | undefined): GoType {
  if (t.kind !== 'typedef' || t.dictIndex === undefined) return t;
  if (!dict || dict.error !== undefined) return underlying(t);
  try {
    const d = r.pointer(dict);
    const typeAddr = Number(u64(r.read(d + 8 * t.dictIndex, 8), 0));
    return r.dwarf.typeByRuntimeAddr(typeAddr) ?? underlying(t);
  } catch {
    return underlying(t);
  }
}

/** The values of a frame's variables, with heap-moved `&x` variables dereferenced and generic shapes resolved. */
export function frameValues(r: ValueReader, dw: Dwarf, f: FrameInfo): { v: FrameVariable; value: Value }[] {
  const scope = frameScope(dw, f);
  if (!scope) return [];
  return scope.vars.map((fv) => ({ v: fv, value: variableValue(r, dw, scope.fn, scope.vars, fv, f) }));
}

/** DWARF register 1: RDX, where Go's ABIInternal passes a closure's context pointer. */
const CLOSURE_CONTEXT_REG = 1;
export const NOT_YET_CAPTURED = 'not copied from the closure context yet (stopped at the closure entry)';

/** A captured variable of a closure: marked by Go 1.23+, named `&x` or declared before the closure by Go 1.22. */
function isCapture(fn: DwarfFunction, v: DwarfVariable): boolean {
  return (
    v.closureOffset !== undefined ||
    (fn.declLine !== undefined && v.declLine !== undefined && (v.declLine < fn.declLine || (v.declLine === fn.declLine && v.name.startsWith('&'))))
  );
}

/**
 * Where a local is, as `locate` finds it, except for a closure's captured
 * variable in frame 0 before its stack slot is filled (see closureEntry.ts):
 * with DW_AT_go_closure_offset (Go 1.23+) it is read from the closure
 * context, still in RDX; without it, it is reported as not copied yet.
 */
function locateVariable(r: ValueReader, fn: DwarfFunction, fv: FrameVariable, t: GoType, f: FrameInfo): Value {
  const v = fv.dwarf;
  if (f.regs && f.inlineIndex === 0 && v.kind === 'local' && v.location instanceof Uint8Array && fbregOffset(v.location) !== undefined && isCapture(fn, v)) {
    if (capturesPending(r, fn, f.pc)) {
      const ctx = f.regs.dwarf(CLOSURE_CONTEXT_REG);
      if (v.closureOffset !== undefined && ctx) return { type: t, addr: Number(ctx) + v.closureOffset };
      return { type: t, error: NOT_YET_CAPTURED };
    }
  }
  return locate(r, fn, v, t, f);
}

export function variableValue(r: ValueReader, dw: Dwarf, fn: DwarfFunction, all: FrameVariable[], fv: FrameVariable, f: FrameInfo): Value {
  let t: GoType;
  try {
    t = dw.type(fv.dwarf.typeOffset);
  } catch (e) {
    return { type: { kind: 'unspecified', name: '?', size: 0, offset: 0, goKind: 0, runtimeType: 0 }, error: (e as Error).message };
  }
  const dict = () => {
    const dictVar = all.find((x) => x.dwarf.name === '.dict');
    return dictVar ? locate(r, fn, dictVar.dwarf, dw.type(dictVar.dwarf.typeOffset), f) : undefined;
  };
  if (fv.dwarf.name.startsWith('&') && t.kind === 'pointer') {
    const p = locateVariable(r, fn, fv, t, f);
    if (p.error !== undefined) return { type: resolveShape(r, t.elem, dict()), error: p.error };
    try {
      const addr = r.pointer(p);
      const et = resolveShape(r, t.elem, dict());
      if (addr === 0) return { type: et, error: 'nil pointer (moved to heap, not yet allocated)' };
      return { type: et, addr };
    } catch (e) {
      return { type: t.elem, error: (e as Error).message };
    }
  }
  if (t.kind === 'typedef' && t.dictIndex !== undefined) t = resolveShape(r, t, dict());
  return locateVariable(r, fn, fv, t, f);
}

/**
 * k when variableValue finds `fv` in frame 0 at `pc` as the plain stack slot
 * CFA + k (DW_OP_fbreg k, from its expression or its location list at `pc`,
 * with frame base DW_OP_call_frame_cfa) at every stop there; undefined for a
 * heap-moved `&x`, a generic shape, a closure's capture, or any other location.
 */
export function stackSlotAt(dw: Dwarf, fn: DwarfFunction, fv: FrameVariable, pc: number): number | undefined {
  const v = fv.dwarf;
  if (v.name.startsWith('&') || isCapture(fn, v)) return undefined;
  let t: GoType;
  try {
    t = dw.type(v.typeOffset);
  } catch {
    return undefined;
  }
  if (t.kind === 'typedef' && t.dictIndex !== undefined) return undefined;
  const expr = exprAt(v, pc);
  return expr && expr.length > 0 ? cfaSlot(fn, expr) : undefined;
}
