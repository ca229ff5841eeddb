/**
 * Offsets of the runtime structures the debugger reads (runtime.g, runtime.m,
 * gobuf, _defer, _panic), taken from the binary's DWARF types so they follow
 * the Go version that built the program.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType, type StructField } from '../dwarf/goTypes.js';

export interface RuntimeLayout {
  g: {
    size: number;
    stackLo: number;
    stackHi: number;
    panic: number;
    defer: number;
    m: number;
    schedSP: number;
    schedPC: number;
    schedBP: number;
    syscallSP?: number;
    syscallPC?: number;
    atomicstatus: number;
    goid: number;
    waitreason: number;
    gopc: number;
    startpc: number;
    labels?: number;
  };
  m: { size: number; procid: number; curg: number; alllink: number; g0: number };
  defer?: { size: number; fn: number; sp: number; link: number };
  panic?: { arg: number; link: number };
  /** pprof labels (g.labels → runtime/pprof.labelMap{Set{list []Label{Key, Value string}}}), when linked in. */
  labels?: { listOffset: number; elemSize: number; keyOffset: number; valueOffset: number };
  /** Addresses of runtime globals. */
  allgs: number;
  allm?: number;
  waitReasonStrings?: { addr: number; count: number };
}

function fieldsOf(t: GoType): StructField[] | undefined {
  const s = underlying(t);
  return s.kind === 'struct' || s.kind === 'string' || s.kind === 'slice' ? s.fields : undefined;
}

/** Byte offset of a dotted field path (`sched.sp`) in a struct type; undefined if any part is missing. */
export function fieldOffset(t: GoType, path: string): number | undefined {
  let cur: GoType = t;
  let off = 0;
  for (const part of path.split('.')) {
    const f = fieldsOf(cur)?.find((x) => x.name === part);
    if (!f) return undefined;
    off += f.offset;
    cur = f.type;
  }
  return off;
}

export class LayoutError extends Error {}

/** Reads the layout from DWARF; throws LayoutError naming what is missing. */
export function loadRuntimeLayout(dw: Dwarf): RuntimeLayout {
  const gT = dw.typeByName('runtime.g');
  const mT = dw.typeByName('runtime.m');
  if (!gT || !mT) throw new LayoutError('the binary has no DWARF type for runtime.g / runtime.m');
  const need = (t: GoType, path: string): number => {
    const o = fieldOffset(t, path);
    if (o === undefined) throw new LayoutError(`no field ${path} in ${t.name}`);
    return o;
  };
  const allgs = dw.global('runtime.allgs');
  if (!allgs) throw new LayoutError('no runtime.allgs variable in DWARF');
  const dT = dw.typeByName('runtime._defer');
  const pT = dw.typeByName('runtime._panic');
  const wrs = dw.global('runtime.waitReasonStrings');
  let waitReasonStrings: RuntimeLayout['waitReasonStrings'];
  if (wrs) {
    const t = underlying(dw.type(wrs.typeOffset));
    if (t.kind === 'array') waitReasonStrings = { addr: wrs.address, count: t.count };
  }
  let labels: RuntimeLayout['labels'];
  const lm = dw.optionalTypeByName('runtime/pprof.labelMap');
  if (lm && underlying(lm).kind === 'struct') {
    // Find the first slice inside (labelMap embeds label.Set, whose field is list []Label).
    const find = (t: GoType, base: number, depth: number): { off: number; elem: GoType } | undefined => {
      const st = underlying(t);
      if (st.kind === 'slice') return { off: base, elem: st.elem };
      if (st.kind !== 'struct' || depth > 3) return undefined;
      for (const f of st.fields) {
        const r = find(f.type, base + f.offset, depth + 1);
        if (r) return r;
      }
      return undefined;
    };
    const sl = find(lm, 0, 0);
    const key = sl && (fieldOffset(sl.elem, 'Key') ?? fieldOffset(sl.elem, 'key'));
    const value = sl && (fieldOffset(sl.elem, 'Value') ?? fieldOffset(sl.elem, 'value'));
    if (sl && key !== undefined && value !== undefined) labels = { listOffset: sl.off, elemSize: underlying(sl.elem).size, keyOffset: key, valueOffset: value };
  }
  return {
    labels,
    g: {
      size: underlying(gT).size,
      stackLo: need(gT, 'stack.lo'),
      stackHi: need(gT, 'stack.hi'),
      panic: need(gT, '_panic'),
      defer: need(gT, '_defer'),
      m: need(gT, 'm'),
      schedSP: need(gT, 'sched.sp'),
      schedPC: need(gT, 'sched.pc'),
      schedBP: need(gT, 'sched.bp'),
      syscallSP: fieldOffset(gT, 'syscallsp'),
      syscallPC: fieldOffset(gT, 'syscallpc'),
      atomicstatus: need(gT, 'atomicstatus'),
      goid: need(gT, 'goid'),
      waitreason: need(gT, 'waitreason'),
      gopc: need(gT, 'gopc'),
      startpc: need(gT, 'startpc'),
      labels: fieldOffset(gT, 'labels'),
    },
    m: { size: underlying(mT).size, procid: need(mT, 'procid'), curg: need(mT, 'curg'), alllink: need(mT, 'alllink'), g0: need(mT, 'g0') },
    defer:
      dT && fieldOffset(dT, 'fn') !== undefined ? { size: underlying(dT).size, fn: need(dT, 'fn'), sp: need(dT, 'sp'), link: need(dT, 'link') } : undefined,
    panic: pT && fieldOffset(pT, 'arg') !== undefined ? { arg: need(pT, 'arg'), link: need(pT, 'link') } : undefined,
    allgs: allgs.address,
    allm: dw.global('runtime.allm')?.address,
    waitReasonStrings,
  };
}
