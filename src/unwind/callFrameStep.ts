/**
 * One step up the stack by call frame information (DWARF CFI): for code
 * without Go tables, such as the C functions of a cgo program. The unwinder
 * tracks only PC, SP and RBP, so a CFA must be RSP or RBP plus an offset, and
 * the return address and RBP must be saved at CFA-relative slots (or RBP left
 * alone), which is what gcc writes for x86-64 code.
 */
import type { RegisterRule, UnwindRules } from '../dwarf/frame.js';

const DWARF_RBP = 6;
const DWARF_RSP = 7;

export type CallFrameStep =
  /** The caller's return address, SP (= this frame's CFA) and RBP. */
  | { kind: 'caller'; ret: number | undefined; cfa: number; bp: number | undefined }
  /** The return address is undefined: the outermost frame (a thread's start). */
  | { kind: 'outermost'; cfa: number };

/** The step the rules give at (sp, bp), or undefined when they name registers or expressions we do not track. */
export function callFrameStep(rules: UnwindRules, sp: number, bp: number, readWord: (addr: number) => number | undefined): CallFrameStep | undefined {
  const c = rules.cfaRule;
  if (c.kind !== 'regOffset' || (c.reg !== DWARF_RSP && c.reg !== DWARF_RBP)) return undefined;
  const cfa = (c.reg === DWARF_RSP ? sp : bp) + c.offset;
  const ra = rules.rules.get(rules.returnAddressRegister);
  if (ra === undefined || ra.kind === 'undefined') return { kind: 'outermost', cfa };
  if (ra.kind !== 'offset') return undefined;
  const callerBP = savedValue(rules.rules.get(DWARF_RBP), cfa, bp, readWord);
  if (callerBP === null) return undefined;
  return { kind: 'caller', ret: readWord(cfa + ra.offset), cfa, bp: callerBP };
}

/** A callee-saved register's value in the caller: unchanged without a rule; null when the rule is beyond us. */
function savedValue(rule: RegisterRule | undefined, cfa: number, value: number, readWord: (addr: number) => number | undefined): number | undefined | null {
  if (rule === undefined || rule.kind === 'same') return value;
  if (rule.kind === 'offset') return readWord(cfa + rule.offset);
  if (rule.kind === 'valOffset') return cfa + rule.offset;
  return null;
}
