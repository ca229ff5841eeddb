/**
 * Steps in the body of a range-over-func loop (Go 1.23+). The compiler makes
 * the body of `for v := range seq { … }` in F a closure `F-range1` that the
 * iterator calls once per element, so the body's frame returns into the
 * iterator, not into F. At the source level the body is F's loop: as Delve
 * does, `next` at the end of the body goes to the next iteration's first line
 * (the iterator calls the body again from the same frame, so at the same CFA)
 * or, once the loop is over, to F's next line; `stepOut` steps out of F, as
 * out of any statement of F. A `next` over the `for` line itself goes into the
 * body's first line. The iterator's own code is stepped over (a step in at the
 * body's end still enters it).
 */
import { addExits, type StepContext } from './stepContext.js';
import type { GoFunc } from '../symbolTable.js';
import type { StepTarget } from './stepTarget.js';

const RANGE_BODY = /-range\d+$/;

/** Index of the frame of the function whose loop body frame k is, or -1 when frame k is no range-over-func body. */
export function loopOwnerFrame(ctx: StepContext, k: number): number {
  const name = ctx.frames[k]!.funcName;
  if (!RANGE_BODY.test(name)) return -1;
  const owner = name.replace(RANGE_BODY, '');
  const phys = ctx.frames[k]!.physical;
  return ctx.frames.findIndex((f, i) => i > k && f.physical > phys && f.funcName === owner);
}

/**
 * Makes `t`, planned for the body in frame k, end in the loop's owner in frame
 * j instead of at the body's return into the iterator: with `lines`, the
 * owner's line starts at its own CFA; the owner's ways out.
 */
export function endInLoopOwner(ctx: StepContext, t: StepTarget, j: number, lines: boolean): void {
  const owner = ctx.frames[j]!;
  const fn = ctx.symbols.funcForPC(owner.pc - 1);
  const hi = t.g !== undefined ? ctx.stackHi(t.g) : undefined;
  if (!fn || hi === undefined) return;
  const inFunction = new Set<number>();
  if (lines) for (const l of ctx.symbols.lineStarts(fn)) if ((l.inlineDepth ?? 0) === 0) inFunction.add(l.pc);
  t.outer = { inFunction, cfaOff: hi - owner.cfa };
  t.returnAddr = undefined;
  t.returnCfaOff = undefined;
  t.endNote = undefined;
  addExits(ctx, t, j);
  if (t.returnAddr !== undefined && t.returnCfaOff === undefined) t.returnCfaOff = hi - owner.cfa;
}

/**
 * The line starts of the loop bodies of `fn` (`fn-range1`, `fn-range2`, …)
 * but those on line `line` of `file` (the `for` line being stepped from):
 * where a `next` in `fn` enters a loop body.
 */
export function loopBodyStarts(ctx: StepContext, fn: GoFunc, file: string | undefined, line: number): number[] {
  if (!file) return [];
  const body = new RegExp(`^${fn.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-range\\d+$`);
  const out: number[] = [];
  for (const f of ctx.symbols.funcsInFile?.(file) ?? []) {
    if (!body.test(f.name)) continue;
    for (const l of ctx.symbols.lineStarts(f)) if ((l.inlineDepth ?? 0) === 0 && !(l.line === line && l.file === file)) out.push(l.pc);
  }
  return out;
}
