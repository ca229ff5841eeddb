/**
 * Where the program is: threads (goroutines), a thread's stack, and the
 * exception it stopped at.
 */
import { basename } from 'node:path';
import { Source, StackFrame, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { codeKind } from '../../debuggee/userCode.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

/**
 * The goroutines of a stopped program. Clients ask for threads at any time
 * (while running too) and expect a list: a running or unreadable program shows
 * one placeholder thread.
 */
export function threads(ctx: RequestContext): DebugProtocol.ThreadsResponse['body'] {
  const p = ctx.state.program;
  let list: DebugProtocol.Thread[] = [];
  try {
    // The debuggee's entries are DAP threads already ({ id, name }): no copy of a list that can hold 100,000.
    if (p && !p.exited && !p.running) list = p.threads();
    else if (p?.running) list = [new Thread(p.currentThread || p.pid || 1, 'running')];
  } catch (e) {
    ctx.console(`threads: ${(e as Error).message}\n`);
  }
  return { threads: list.length ? list : [new Thread(p?.currentThread || p?.pid || 1, 'main')] };
}

/**
 * Frames `startFrame` to `startFrame + levels` of a thread's stack. Without
 * `levels` (or 0) the answer holds `stackTraceDepth` frames (launch
 * attribute, default 50); `totalFrames` is always the whole stack's depth,
 * so a client knows there are more to load. Frames of code that is not the
 * user's (the runtime, the standard library, the module cache, vendored code:
 * debuggee/userCode.ts) are `subtle`, their sources `deemphasize`, so editors
 * fold them; with justMyCode off only the runtime's are.
 */
export function stackTrace(ctx: RequestContext, args: DebugProtocol.StackTraceArguments): DebugProtocol.StackTraceResponse['body'] {
  const p = ctx.state.requireStopped();
  const all = ctx.state.view!.inspector.stack(args.threadId);
  const start = args.startFrame ?? 0;
  const levels = args.levels && args.levels > 0 ? args.levels : ctx.state.display.stackTraceDepth;
  const slice = all.slice(start, start + levels);
  const jmc = ctx.state.display.justMyCode;
  const stackFrames = slice.map((f, k) => {
    const index = start + k;
    const id = ctx.state.frames.create({ tid: args.threadId, index });
    const path = f.file ? p.paths.toClient(f.file) : undefined;
    const source = path && f.line ? new Source(basename(path), path) : undefined;
    const notMine = f.isRuntime || (jmc && codeKind(p.symbols, f.funcName, f.file) !== 'user');
    if (source && notMine) (source as DebugProtocol.Source).presentationHint = 'deemphasize';
    const sf = new StackFrame(id, f.funcName, source, f.line ? ctx.lineToClient(f.line) : 0, 1) as DebugProtocol.StackFrame;
    sf.instructionPointerReference = `0x${f.pc.toString(16)}`;
    if (notMine || !source) sf.presentationHint = 'subtle';
    return sf;
  });
  return { stackFrames, totalFrames: all.length };
}

export function exceptionInfo(ctx: RequestContext, args: DebugProtocol.ExceptionInfoArguments): DebugProtocol.ExceptionInfoResponse['body'] {
  const e = ctx.state.program?.exception;
  if (!e) throw userErrors.notAtException(args.threadId);
  return {
    exceptionId: e.id,
    description: e.description,
    breakMode: 'unhandled',
    details: { message: e.description, typeName: e.typeName },
  };
}
