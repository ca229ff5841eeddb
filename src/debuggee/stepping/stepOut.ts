/** `stepOut`: run until the stepped frame has returned to its caller (this activation, not a recursive one). */
import type { Outcome } from '../outcome.js';
import { addDeferred, addExits, steppedFrame, type StepContext } from './stepContext.js';
import { endInLoopOwner, loopOwnerFrame } from './rangeBody.js';
import { lineStep, type StepHost } from './stepHost.js';
import { newTarget, type StepTarget } from './stepTarget.js';

/** The plan for `stepOut`: the stepped frame's return address with SP at its CFA, and its defers. */
export function planStepOut(ctx: StepContext): StepTarget | undefined {
  const k = steppedFrame(ctx.frames);
  if (k < 0) return undefined;
  const t = newTarget(ctx.g, ctx.frames[k]!.cfa, ctx.stackHi);
  addExits(ctx, t, k);
  addDeferred(ctx, t, k);
  const owner = loopOwnerFrame(ctx, k);
  if (owner >= 0) endInLoopOwner(ctx, t, owner, false);
  return t;
}

export function stepOut(host: StepHost, id: number): Promise<Outcome> {
  return lineStep(host, id, planStepOut);
}
