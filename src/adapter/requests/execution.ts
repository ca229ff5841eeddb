/**
 * Execution control: continue, next, stepIn, stepOut (by line, or by
 * instruction with granularity "instruction") and pause. A resume-type command
 * answers at once; the stop that ends it comes later as a `stopped` event.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { requireOnThread, requireThread } from '../../debuggee/inspect/threads.js';
import type { Program } from '../../debuggee/program.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

type Stepping = { threadId: number; granularity?: DebugProtocol.SteppingGranularity };

export function continue_(ctx: RequestContext): DebugProtocol.ContinueResponse['body'] {
  resume(ctx, (p) => p.continue());
  return { allThreadsContinued: true };
}

export function next(ctx: RequestContext, args: Stepping): void {
  step(ctx, args, (p, id) => p.next(id));
}

export function stepIn(ctx: RequestContext, args: Stepping): void {
  step(ctx, args, (p, id) => p.stepIn(id));
}

export function stepOut(ctx: RequestContext, args: Stepping): void {
  step(ctx, { threadId: args.threadId }, (p, id) => p.stepOut(id));
}

/** Pauses a running program; a stopped one is already paused (nothing to do); without a program it is an error. */
export function pause(ctx: RequestContext): void {
  const p = ctx.state.program;
  if (!p || p.exited) throw userErrors.noProgram();
  if (p.running) p.pause();
}

/** A step of thread `threadId`: the thread must exist; a step by instruction needs it on an OS thread. */
function step(ctx: RequestContext, args: Stepping, byLine: (p: Program, id: number) => void): void {
  const id = args.threadId;
  resume(ctx, (p) => {
    if (args.granularity === 'instruction') {
      requireOnThread(p, id);
      p.stepInstruction(id);
    } else {
      requireThread(p, id);
      byLine(p, id);
    }
  });
}

function resume(ctx: RequestContext, fn: (p: Program) => void): void {
  const p = ctx.state.program;
  if (!p || p.exited) throw userErrors.noProgram();
  if (p.running) throw userErrors.alreadyRunning();
  fn(p);
  ctx.state.resetHandles();
}
