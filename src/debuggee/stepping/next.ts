/** `next` (step over): run to the next line of the stepped function in this activation, or out of it. */
import type { Outcome } from '../outcome.js';
import { addDeferred, addExits, funcOfFrame, steppedFrame, type StepContext } from './stepContext.js';
import { lineStep, type StepHost } from './stepHost.js';
import { endInLoopOwner, loopBodyStarts, loopOwnerFrame } from './rangeBody.js';
import { planStepOut } from './stepOut.js';
import { newTarget, type StepTarget } from './stepTarget.js';

/** The plan for `next`: every line start of the stepped function in this activation, its exits, its defers. */
export function planNext(ctx: StepContext): StepTarget | undefined {
  const k = steppedFrame(ctx.frames);
  if (k < 0) return undefined;
  const top = ctx.frames[k]!;
  const fn = funcOfFrame(ctx, top);
  if (!fn || top.line === undefined) return planStepOut(ctx);
  const t = newTarget(ctx.g, top.cfa, ctx.stackHi);
  // Every line start of the function except those of the current line: a `for` header has
  // two (condition, post statement) and a step should not stop twice on it.
  // Code inlined deeper than the stepped frame is a call being stepped over (optimised code).
  const depth = ctx.frames.filter((f, i) => i > k && f.physical === top.physical).length;
  for (const l of ctx.symbols.lineStarts(fn)) {
    if ((l.inlineDepth ?? 0) <= depth && (l.line !== top.line || l.file !== top.file)) t.inFunction.add(l.pc);
  }
  addExits(ctx, t, k);
  addDeferred(ctx, t, k);
  const owner = loopOwnerFrame(ctx, k);
  if (owner >= 0) endInLoopOwner(ctx, t, owner, true);
  if (t.g !== undefined) for (const pc of loopBodyStarts(ctx, fn, top.file, top.line)) t.exact.add(pc);
  return t;
}

export function next(host: StepHost, id: number): Promise<Outcome> {
  return lineStep(host, id, planNext);
}
