/**
 * Stack slots the compiled code never reads. Even with `-N -l`, Go 1.26
 * folds a local that is never reassigned and starts as a constant into its
 * uses (`s := "start"` printed with `%q` passes the literal): the slot is
 * written once and never read, so a value written there changes nothing the
 * program computes. Before such a write, the function's whole code is
 * scanned (src/arch/x86/frameReads.ts) for an instruction that reads the
 * bytes or takes an address inside the variable; only when none does, and
 * the scan was sure of every instruction, is the slot unread.
 *
 * Only variables of the frame's own function that live in its stack frame
 * are judged: a heap-moved variable, a global, memory reached through a
 * pointer into some other place are not.
 */
import { type FrameReads, frameReads, type SlotUse, slotUse } from '../../arch/x86/frameReads.js';
import type { GoType } from '../../dwarf/goTypes.js';
import { frameScope, locate } from '../../values/locations.js';
import type { ValueReader } from '../../values/valueReader.js';
import type { Program } from '../program.js';
import type { GoFunc } from '../symbolTable.js';
import { frameInfo } from '../stack/frames.js';

/** A function's code does not change while it runs (our int3s are hidden from reads): scanned once per program. */
const scans = new WeakMap<Program, Map<number, FrameReads>>();

function scanOf(p: Program, fn: GoFunc): FrameReads {
  let m = scans.get(p);
  if (!m) scans.set(p, (m = new Map()));
  let fr = m.get(fn.entry);
  if (!fr) {
    let bytes: Uint8Array;
    try {
      bytes = p.read(fn.entry, fn.end - fn.entry);
    } catch {
      return { reads: [], addressed: [], calleeArgs: 0, unsure: { pc: fn.entry, why: 'code unreadable' } };
    }
    fr = frameReads(
      { start: fn.entry, bytes },
      (pc) => p.symbols.spDelta(pc),
      (entry) => {
        const callee = p.symbols.funcForPC(entry);
        return callee?.entry === entry ? callee.args : undefined;
      },
    );
    m.set(fn.entry, fr);
  }
  return fr;
}

/** What frame `index` of thread id `tid` does with bytes [lo, hi) when they are a stack variable of its function; undefined when they are not one. */
export function stackSlotUse(
  p: Program,
  r: ValueReader,
  tid: number,
  index: number,
  lo: number,
  hi: number,
): (SlotUse & { func: string; param: boolean }) | undefined {
  const f = frameInfo(p, tid, index);
  const fn = f && p.symbols.funcForPC(f.pc);
  const delta = f && p.symbols.spDelta(f.pc);
  const scope = f && frameScope(r.dwarf, f);
  if (!f || !fn || delta === undefined || !scope) return undefined;
  // The frame's bytes: its locals from RSP up to the return address, its arguments' slots above (the caller's frame).
  const sp = f.cfa - 8 - delta;
  const top = f.cfa + fn.args;
  if (lo < sp || hi > top) return undefined;
  let holder: { lo: number; hi: number; param: boolean } | undefined;
  for (const v of scope.vars) {
    let t: GoType;
    try {
      t = r.dwarf.type(v.dwarf.typeOffset);
    } catch {
      continue;
    }
    const at = locate(r, scope.fn, v.dwarf, t, f);
    if (at.addr === undefined || at.regs || at.computed || t.size <= 0) continue;
    if (at.addr <= lo && hi <= at.addr + t.size) {
      holder = { lo: at.addr, hi: at.addr + t.size, param: v.dwarf.kind === 'param' };
      break;
    }
  }
  if (!holder) return undefined;
  const cfa = f.cfa;
  return { ...slotUse(scanOf(p, fn), lo - cfa, hi - cfa, holder.lo - cfa, holder.hi - cfa), func: fn.name, param: holder.param };
}
