/**
 * Where the program is: threads (goroutines), a thread's stack, and the
 * exception it stopped at.
 */
import { basename } from 'node:path';
import { Thread } from '@vscode/debugadapter';
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
    if (p && !p.exited && !p.running) list = p.threads().map((t) => new Thread(t.id, t.name));
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
  // A deep stack repeats a few functions (a recursion): each function's source and kind is worked out
  // once per request, and every frame is a plain object (classes with optional fields serialise slower).
  const known = new Map<string, { source: DebugProtocol.Source | undefined; notMine: boolean }>();
  const stackFrames = slice.map((f, k): DebugProtocol.StackFrame => {
    const key = `${f.funcName}\u0000${f.file ?? ''}\u0000${f.line ? 1 : 0}`;
    let where = known.get(key);
    if (!where) {
      const path = f.file ? p.paths.toClient(f.file) : undefined;
      const notMine = f.isRuntime || (jmc && codeKind(p.symbols, f.funcName, f.file) !== 'user');
      // sourceReference 0 (none) is what an absent one means: it is left out.
      const source: DebugProtocol.Source | undefined =
        path && f.line ? (notMine ? { name: basename(path), path, presentationHint: 'deemphasize' } : { name: basename(path), path }) : undefined;
      known.set(key, (where = { source, notMine }));
    }
    const id = ctx.state.frames.create({ tid: args.threadId, index: start + k });
    const sf: DebugProtocol.StackFrame = {
      id,
      name: f.funcName,
      source: where.source,
      line: f.line ? ctx.lineToClient(f.line) : 0,
      column: 1,
      instructionPointerReference: `0x${f.pc.toString(16)}`,
    };
    if (where.notMine || !where.source) sf.presentationHint = 'subtle';
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
