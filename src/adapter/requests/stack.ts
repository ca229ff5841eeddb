/**
 * Where the program is: threads (goroutines), a thread's stack, and the
 * exception it stopped at.
 */
import { basename } from 'node:path';
import { Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Program } from '../../debuggee/program.js';
import type { SourceFrame } from '../../debuggee/stack/stack.js';
import { type WarmStack, WarmStackBuilder } from '../../debuggee/stack/warmStack.js';
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
  const handles = ctx.state.frames;
  const tid = args.threadId;
  const stackFrames = dapFrames(p, ctx.state.display.justMyCode, slice, (k) => handles.create({ tid, index: start + k }), ctx.lineToClient);
  return { stackFrames, totalFrames: all.length };
}

/** The DAP frames of `slice`; `id(k)` makes the handle of its k-th frame. */
function dapFrames(
  p: Program,
  jmc: boolean,
  slice: readonly SourceFrame[],
  id: (k: number) => number,
  lineToClient: (line: number) => number,
): DebugProtocol.StackFrame[] {
  // A deep stack repeats a few functions at a few PCs (a recursion): each function's source and
  // kind is worked out once per request (by name, then file: strings the symbol tables share), each
  // PC's text once, and every frame is a plain object (class instances serialise slower).
  const known = new Map<string, Map<string | undefined, Where>>();
  const pcText = new Map<number, string>();
  const stackFrames: DebugProtocol.StackFrame[] = new Array(slice.length);
  // Consecutive frames of a recursion share function, file and PC: the previous frame's answers first.
  let prev: SourceFrame | undefined;
  let where: Where | undefined;
  let ip = '';
  let line = 0;
  for (let k = 0; k < slice.length; k++) {
    const f = slice[k]!;
    if (!prev || !where || f.funcName !== prev.funcName || f.file !== prev.file) {
      let byFile = known.get(f.funcName);
      if (!byFile) known.set(f.funcName, (byFile = new Map()));
      where = byFile.get(f.file);
      if (!where) byFile.set(f.file, (where = whereOf(p, jmc, f)));
    }
    if (!prev || f.pc !== prev.pc) {
      const text = pcText.get(f.pc);
      if (text === undefined) pcText.set(f.pc, (ip = `0x${f.pc.toString(16)}`));
      else ip = text;
    }
    if (!prev || f.line !== prev.line) line = f.line ? lineToClient(f.line) : 0;
    prev = f;
    const source = f.line ? where.source : undefined;
    const sf: DebugProtocol.StackFrame = {
      id: id(k),
      name: f.funcName,
      source,
      line,
      column: 1,
      instructionPointerReference: ip,
    };
    if (where.notMine || !source) sf.presentationHint = 'subtle';
    stackFrames[k] = sf;
  }
  return stackFrames;
}

/** What a frame's function and file say: its source (when it has a line) and whether it is the user's code. */
interface Where {
  source: DebugProtocol.Source | undefined;
  notMine: boolean;
}

function whereOf(p: Program, jmc: boolean, f: SourceFrame): Where {
  const path = f.file ? p.paths.toClient(f.file) : undefined;
  // isRuntime is a function of the name (SymbolTable.isRuntimeFunc), so the same for every frame of it.
  const notMine = f.isRuntime || (jmc && codeKind(p.symbols, f.funcName, f.file) !== 'user');
  // sourceReference 0 (none) is what an absent one means: it is left out.
  const source: DebugProtocol.Source | undefined = path
    ? notMine
      ? { name: basename(path), path, presentationHint: 'deemphasize' }
      : { name: basename(path), path }
    : undefined;
  return { source, notMine };
}

/** Set once a warm-up has run to its end in this process (the code it compiles stays compiled). */
let warmed = false;
/** Frames of the synthetic stack: a deep stack's walk, as a recursion makes. */
const WARM_DEPTH = 250;
/** Walks of it: V8 optimises the walk's functions after a few (measured in debuggee/stack/warmStack.ts). */
const WARM_WALKS = 12;
/** Milliseconds of walks per turn of the event loop: what a stop arriving meanwhile waits for at most (about). */
const STEP_MS = 1;
/** How often, and for how long, the warm-up looks whether the program has been started. */
const POLL_MS = 2;
const POLL_FOR_MS = 10_000;
/**
 * How long the program must have been running before the first walk. A program that reaches its
 * first stop sooner (a breakpoint in main of a small program: 5–30 ms) is not delayed: measured on
 * launch.small, walks during that short run added 20–35 ms to the launch (cold code compiled in
 * the walks' first turns, on the thread that then handles the stop); one that runs longer
 * (a server waiting for a request, a breakpoint deep in the run) gives the walks idle time.
 */
const RUN_BEFORE_WARM_MS = 50;

/**
 * Runs the stackTrace path (unwind, symbolize, DAP frames) on a synthetic
 * stack over the program's tables (debuggee/stack/warmStack.ts), one step
 * per turn of the event loop, while the program runs to its first stop; the
 * first stop ends it. Not before the program runs: the launch itself (spawn,
 * exec, breakpoints) waits on this thread, the program's way to its first
 * stop does not; and only once it has run for RUN_BEFORE_WARM_MS. No handle
 * is made and nothing is read from the program.
 */
export function warmStackTrace(p: Program, jmc: () => boolean, lineToClient: (line: number) => number): void {
  if (warmed) return;
  let stopped = false;
  p.once?.('stopped', () => {
    stopped = true;
  });
  let builder: WarmStackBuilder | undefined;
  let stack: WarmStack | undefined;
  let walks = 0;
  let runningSince: number | undefined;
  const giveUp = performance.now() + POLL_FOR_MS;
  const step = (): void => {
    // A core file's program never runs: its one stop is there from the start.
    if (stopped || p.exited || p.cannotRun) return;
    if (p.running) runningSince ??= performance.now();
    if (runningSince === undefined || performance.now() - runningSince < RUN_BEFORE_WARM_MS) {
      // Not started yet (the client has not sent configurationDone), stopped on entry, or not running long enough: look again soon.
      if (performance.now() < giveUp) setTimeout(step, POLL_MS).unref();
      return;
    }
    // Walks for up to STEP_MS per turn (at least one): a cold walk takes a few ms, a warm one a fraction of one.
    const until = performance.now() + STEP_MS;
    try {
      if (!stack) {
        // The synthetic stack's lookups first, one per turn.
        builder ??= new WarmStackBuilder(p.symbols, WARM_DEPTH);
        if (!builder.step()) {
          setImmediate(step);
          return;
        }
        stack = builder.stack();
        if (!stack) return;
      }
      do {
        // Every other walk with an `until` that never ends it: the thread list's walks pass one, a stackTrace's none.
        const frames = stack.symbolize(stack.unwind(walks % 2 ? () => false : undefined));
        dapFrames(p, jmc(), frames, (k) => k, lineToClient);
      } while (++walks < WARM_WALKS && performance.now() < until);
    } catch {
      /* a path the synthetic stack cannot take: not warmed */
      return;
    }
    if (walks < WARM_WALKS) setImmediate(step);
    else warmed = true;
  };
  setImmediate(step);
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
