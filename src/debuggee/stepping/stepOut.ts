/** `stepOut`: run until the stepped frame has returned to its caller (this activation, not a recursive one). */
import type { Outcome } from '../outcome.js';
import { addDeferred, addExits, funcOfFrame, steppedFrame, type StepContext } from './stepContext.js';
import { endInLoopOwner, loopOwnerFrame } from './rangeBody.js';
import { lineStep, type StepHost } from './stepHost.js';
import { newTarget, type StepTarget } from './stepTarget.js';

/** The plan for `stepOut`: the stepped frame's return address with SP at its CFA, and its defers. */
export function planStepOut(ctx: StepContext): StepTarget | undefined {
  const k = steppedFrame(ctx.frames);
  if (k < 0) return undefined;
  const top = ctx.frames[k]!;
  const t = newTarget(ctx.g, top.cfa, ctx.stackHi);
  // An inlined call (optimised code) returns into the same physical frame: the step ends at the
  // first statement of a shallower inline depth, the caller's code after the call (as Delve).
  const depth = ctx.frames.filter((f, i) => i > k && f.physical === top.physical).length;
  const fn = depth > 0 ? funcOfFrame(ctx, top) : undefined;
  if (fn) for (const l of ctx.symbols.lineStarts(fn)) if ((l.inlineDepth ?? 0) < depth) t.inFunction.add(l.pc);
  addExits(ctx, t, k);
  addDeferred(ctx, t, k);
  const owner = loopOwnerFrame(ctx, k);
  if (owner >= 0) endInLoopOwner(ctx, t, owner, false);
  return t;
}

export function stepOut(host: StepHost, id: number): Promise<Outcome> {
  return lineStep(host, id, planStepOut);
}
