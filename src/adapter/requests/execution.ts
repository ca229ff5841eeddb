/**
 * Execution control: continue, next, stepIn, stepOut (by line, or by
 * instruction with granularity "instruction") and pause. A resume-type command
 * answers at once; the stop that ends it comes later as a `stopped` event (or
 * the program's exit). What cannot be done (no program, a running program, a
 * missing or unknown threadId) is an error response, and then nothing runs.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { onThread, requireOnThread, requireThread } from '../../debuggee/inspect/threads.js';
import type { Program } from '../../debuggee/program.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

type Stepping = { threadId?: number; granularity?: DebugProtocol.SteppingGranularity; targetId?: number } | undefined;

/**
 * Resumes every thread (we do not advertise single-thread execution). The
 * threadId the protocol requires must still name a thread of this stop: a
 * made-up id is the client's error, not a continue of something else.
 */
export function continue_(ctx: RequestContext, args: Stepping): DebugProtocol.ContinueResponse['body'] {
  resume(ctx, (p) => {
    requireThread(p, threadIdOf('continue', args));
    p.continue();
  });
  return { allThreadsContinued: true };
}

export function next(ctx: RequestContext, args: Stepping): void {
  step(ctx, 'next', args, (p, id) => p.next(id));
}

export function stepIn(ctx: RequestContext, args: Stepping): void {
  // With a targetId (from stepInTargets): into that call of the line, not an earlier one.
  const target: unknown = args?.targetId;
  if (target !== undefined && (typeof target !== 'number' || !Number.isInteger(target))) {
    throw userErrors.invalidRequest(`stepIn's targetId must be a whole number (an id from stepInTargets), but it is ${JSON.stringify(target)}`);
  }
  step(ctx, 'stepIn', args, (p, id) => (target === undefined ? p.stepIn(id) : p.stepInTarget(id, target)));
}

export function stepOut(ctx: RequestContext, args: Stepping): void {
  step(ctx, 'stepOut', args, (p, id) => p.stepOut(id));
}

/**
 * Pauses a running program (its `stopped` event follows the response): every
 * thread stops, whatever the threadId names. That id is not checked while
 * the program runs: goroutines cannot be listed without stopping it, clients
 * pause before they have asked for threads (with 0, or a placeholder id), and
 * we do not advertise single-thread execution. A stopped program is already
 * paused: success and no event, since nothing changed, but the threadId must
 * name a thread of this stop.
 */
export function pause(ctx: RequestContext, args: Stepping): void {
  const p = ctx.state.program;
  if (!p || p.exited) throw userErrors.noProgram();
  if (p.running) p.pause();
  else requireThread(p, threadIdOf('pause', args));
}

/** The request's threadId, which the protocol requires: missing or not a whole number is an invalid request. */
function threadIdOf(command: string, args: Stepping): number {
  const id: unknown = args?.threadId;
  if (typeof id !== 'number' || !Number.isInteger(id)) {
    throw userErrors.invalidRequest(`${command} needs a threadId (a whole number), but it is ${id === undefined ? 'missing' : JSON.stringify(id)}`);
  }
  return id;
}

/** A step of thread `threadId`: the thread must exist; a step by instruction needs it on an OS thread. */
function step(ctx: RequestContext, command: string, args: Stepping, byLine: (p: Program, id: number) => void): void {
  resume(ctx, (p) => {
    const id = threadIdOf(command, args);
    if (args?.granularity === 'instruction') {
      requireOnThread(p, id);
      p.stepInstruction(id);
    } else {
      requireThread(p, id);
      requireSteppable(p, id);
      byLine(p, id);
    }
  });
}

/**
 * A parked goroutine with no frame of the user's code (a runtime worker
 * waiting for work) has no line to step to: a step would run until the
 * program ends. That is an error, said before anything runs.
 */
function requireSteppable(p: Program, id: number): void {
  if (onThread(p, id)) return;
  const frames = p.stackTrace(id);
  if (frames.length && frames.every((f) => f.isRuntime)) throw userErrors.cannotStep(id, frames[0]!.funcName);
}

function resume(ctx: RequestContext, fn: (p: Program) => void): void {
  const p = ctx.state.program;
  if (!p || p.exited) throw userErrors.noProgram();
  if (p.running) throw userErrors.alreadyRunning();
  fn(p);
  ctx.state.resetHandles();
}
