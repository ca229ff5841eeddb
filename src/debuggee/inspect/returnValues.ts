/**
 * What a function returned, shown after a step that leaves it (stepOut, or a
 * next off its end) while the program stays at that stop. Go's results are
 * parameters in DWARF (DW_AT_variable_parameter, named or `~r0`); with
 * optimisations off they live in the returning frame's stack slots, relative
 * to its CFA. Right after the return the caller's SP is that CFA and nothing
 * has run below it yet, so the slots still hold the returned values.
 */
import { frameScope, variableValue, type FrameInfo } from '../../values/locations.js';
import type { ValueReader } from '../../values/valueReader.js';
import type { DebuggeeProcess } from '../../process/process.js';
import type { GoroutineView } from '../goroutines/goroutineView.js';
import { steppedFrame } from '../stepping/stepContext.js';
import type { NamedValue } from './namedValues.js';

/** The frame a step left: enough to find its results again from the caller. */
export interface ReturnedFrom {
  /** Goroutine (DAP thread id). */
  id: number;
  funcName: string;
  /** A pc in the returning function (its frame's pc when the step began). */
  pc: number;
  cfa: number;
  /** Where it returns to in its caller. */
  returnAddress: number;
}

/** The results of the function the step returned from, by name (`~r0` for unnamed ones). */
export function returnedValues(r: ValueReader, from: ReturnedFrom): NamedValue[] {
  const f: FrameInfo = { tid: from.id, pc: from.pc, cfa: from.cfa, inlineIndex: 0 };
  const s = frameScope(r.dwarf, f);
  if (!s) return [];
  return s.vars.filter((v) => v.kind === 'return').map((v) => ({ name: v.name, value: variableValue(r, r.dwarf, s.fn, s.vars, v, f), readOnly: true }));
}

/** The frame a step of goroutine `id` would return from: a real call (not an inlined one) with a caller. */
export function returnWatch(view: GoroutineView, id: number): ReturnedFrom | undefined {
  try {
    // The whole stack: the one a stackTrace request already read at this stop (cached), not a walk of its own.
    const frames = view.stack(id);
    const k = steppedFrame(frames);
    const f = frames[k];
    if (!f || frames.some((x, i) => i !== k && x.physical === f.physical)) return undefined;
    const caller = frames[k + 1];
    return caller ? { id, funcName: f.funcName, pc: f.pc, cfa: f.cfa, returnAddress: caller.pc } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether thread `tid` stopped right where `from` returns to, on its goroutine, with SP at its CFA. */
export function returnedTo(inf: DebuggeeProcess, view: GoroutineView, from: ReturnedFrom | undefined, tid: number): boolean {
  if (!from || !inf.hasThread(tid)) return false;
  const regs = inf.getRegs(tid);
  return regs.pc === from.returnAddress && regs.sp === from.cfa && view.idOfThread(tid) === from.id;
}
