/**
 * Set next statement (`goto`): the stopped goroutine's thread continues from
 * another statement start of the function it is stopped in.
 *
 * Targets are the statement starts (line-table rows that are statements,
 * `SymbolTable.lineStarts`) of the requested line in that function. At a
 * statement start no value of an unfinished statement is held in a register
 * or a temporary, so the PC alone can move.
 *
 * The rule for what is refused is Go's own rule for its `goto` statement
 * (the specification, "Goto statements"): the jump must not bring into scope
 * a variable that is not in scope where the goroutine is, nor enter a block
 * from outside it. Scopes are DWARF's: a local is in scope at a PC when its
 * lexical block holds the PC and its declaration line is before the PC's
 * line (values/locations.ts `frameScope`, as the Variables view shows
 * them). A variable in scope at the target but not here would be read
 * without its declaration having run: its stack slot holds whatever was left
 * there, and a pointer in it would be garbage for the garbage collector.
 * Jumping backwards, or forwards over statements that declare nothing the
 * target can see, is allowed. Leaving the function is refused: its frame
 * would not match the code.
 */
import type { DebuggeeProcess } from '../../process/process.js';
import { frameScope } from '../../values/locations.js';
import { userErrors } from '../../util/userErrors.js';
import type { SourceFrame } from '../stack/stack.js';
import type { SymbolTable } from '../symbolTable.js';

/** Whether pc is in code inlined from another function (the frames answered end with the physical one). */
function inlinedAt(symbols: SymbolTable, pc: number): boolean {
  const frames = symbols.inlinedFramesAt(pc);
  return frames.length > 1 || (frames.length === 1 && frames[0]!.funcName !== symbols.funcForPC(pc)?.name);
}

export interface GotoTarget {
  pc: number;
  line: number;
  label: string;
}

/** Why a goroutine stopped at `frame` (frame 0) cannot go to `toPC`; undefined when it can. */
export function gotoRefusal(symbols: SymbolTable, frame: SourceFrame, toPC: number): string | undefined {
  const fn = symbols.funcForPC(frame.pc);
  if (!fn || frame.isRuntime || frame.line === undefined) return `it is stopped in ${frame.funcName}, which is not the program's own code`;
  const to = symbols.funcForPC(toPC);
  if (to !== fn) return `the target is in ${to?.name ?? 'no function'}, outside ${fn.name}: goto cannot leave the function it is stopped in`;
  if (!symbols.lineStarts(fn).some((l) => l.pc === toPC)) return `0x${toPC.toString(16)} is not the start of a statement of ${fn.name}`;
  if (inlinedAt(symbols, toPC) || inlinedAt(symbols, frame.pc)) return 'the code there is an inlined call (the binary is optimised)';
  const dw = symbols.dwarf;
  if (!dw) return 'the binary has no DWARF, so which variables the jump would leave unset cannot be known';
  const here = frameScope(dw, { tid: 0, pc: frame.pc, cfa: 0, inlineIndex: 0 });
  const there = frameScope(dw, { tid: 0, pc: toPC, cfa: 0, inlineIndex: 0 });
  if (!here || !there) return `${fn.name} has no DWARF function entry`;
  const inScope = new Set(here.vars.map((v) => v.dwarf.offset));
  const unset = there.vars.filter((v) => !inScope.has(v.dwarf.offset)).map((v) => v.name);
  if (unset.length) {
    const names = unset.join(', ');
    return `the jump would skip the declaration of ${names} (in scope at line ${symbols.lineForPC(toPC)?.line}, not where it is stopped), so ${unset.length > 1 ? 'they' : 'it'} would hold no value`;
  }
  return undefined;
}

/**
 * The goto targets of `line` of `file` (the binary's path) for a goroutine
 * stopped at `frame`: the statement starts of that line in its function that
 * the rule above allows. Throws the reason when there are none.
 */
export function gotoTargets(symbols: SymbolTable, frame: SourceFrame, file: string, line: number): GotoTarget[] {
  const fn = symbols.funcForPC(frame.pc);
  if (!fn || frame.isRuntime || frame.line === undefined)
    throw userErrors.gotoRefused(`the goroutine is stopped in ${frame.funcName}, which is not the program's own code`);
  const starts = symbols.lineStarts(fn).filter((l) => l.line === line && l.file === file);
  if (starts.length === 0) {
    const elsewhere = symbols.sitesForLine(file, line)[0]?.fn;
    throw userErrors.gotoRefused(
      elsewhere
        ? `line ${line} is in ${elsewhere.name}, not in ${fn.name} where the goroutine is stopped: goto cannot leave the function`
        : `line ${line} has no statement of ${fn.name}`,
    );
  }
  const out: GotoTarget[] = [];
  let why: string | undefined;
  for (const s of starts) {
    const refusal = gotoRefusal(symbols, frame, s.pc);
    if (refusal) why ??= refusal;
    else out.push({ pc: s.pc, line, label: `Line ${line}${starts.length > 1 ? ` (0x${s.pc.toString(16)})` : ''}` });
  }
  if (out.length === 0) throw userErrors.gotoRefused(why!);
  return out;
}

/** Moves thread `tid` to `pc`; a breakpoint there is where it already is, so the next resume steps over it. */
export function moveThread(inf: DebuggeeProcess, tid: number, pc: number): void {
  const regs = inf.getRegs(tid);
  regs.pc = pc;
  inf.setRegs(tid, regs);
  inf.consumeHit(tid);
}
