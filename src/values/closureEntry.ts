/**
 * A closure's captured variables at its entry. Go passes the closure context
 * pointer in RDX; with -N -l the body's first instructions copy each capture
 * out of it (`MOVQ 8(DX), AX; MOVQ AX, 0(SP)`) into the stack slot DWARF
 * names for the variable, after prologue_end, where a function breakpoint
 * stops. Until that copy the slot holds stale stack. Measured on Go 1.22 and
 * 1.26 (testdata/scopes, main.captured.func1): the loads come before any
 * call and before anything writes RDX.
 */
import { decode } from '../arch/x86/decoder.js';
import { flowOf } from '../arch/x86/flow.js';
import type { DwarfFunction } from '../dwarf/functions.js';
import type { ValueReader } from './valueReader.js';

interface EntryCode {
  /** Addresses of the instructions while RDX still holds the context (from the entry to the first call, jump, return or write of RDX). */
  addrs: number[];
  /** Index in `addrs` of the last instruction that reads memory through RDX, −1 if none. */
  lastLoad: number;
}

const DX = new Set(['DX', 'DL', 'DH']);
const entryCode = new WeakMap<DwarfFunction, EntryCode>();
/** Enough for the loads of any realistic number of captures. */
const SCAN_BYTES = 1024;

function scan(r: ValueReader, fn: DwarfFunction): EntryCode {
  const out: EntryCode = { addrs: [], lastLoad: -1 };
  const n = Math.min(SCAN_BYTES, fn.highPC - fn.lowPC);
  if (n <= 0) return out;
  const code = r.read(fn.lowPC, n);
  for (let off = 0; off < code.length; ) {
    const d = decode(code.subarray(off), fn.lowPC + off);
    if (!d) break;
    out.addrs.push(fn.lowPC + off);
    if (d.args.some((a) => a.kind === 'mem' && (a.base === 'DX' || a.index === 'DX'))) out.lastLoad = out.addrs.length - 1;
    const flow = flowOf(d.op);
    const a0 = d.args[0];
    if (flow === 'call' || flow === 'jump' || flow === 'ret' || (a0?.kind === 'reg' && DX.has(a0.name))) break;
    off += d.len;
  }
  return out;
}

/**
 * Are the captures still being copied at `pc` (frame 0)? True from the entry
 * until the instruction after the last load through RDX has run; RDX still
 * holds the closure context then.
 */
export function capturesPending(r: ValueReader, fn: DwarfFunction, pc: number): boolean {
  let e = entryCode.get(fn);
  if (!e) {
    try {
      e = scan(r, fn);
    } catch {
      e = { addrs: [], lastLoad: -1 };
    }
    entryCode.set(fn, e);
  }
  if (e.lastLoad < 0) return false;
  const i = e.addrs.indexOf(pc);
  // The store that follows the last load is the instruction right after it.
  return i >= 0 && i <= e.lastLoad + 1;
}
