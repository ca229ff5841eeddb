/**
 * Navigation in the stopped program: the calls of a line to step into
 * (stepInTargets; the step itself is stepIn with a targetId, execution.ts),
 * where execution may jump to (gotoTargets) and the jump (goto), and where
 * a line of a source can hold a breakpoint (breakpointLocations).
 *
 * Ids of step-in and goto targets are code addresses (of the CALL
 * instruction, of the statement start): they stay meaningful for as long as
 * the program does not move, and the debuggee checks them again when used.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { lineLocations } from '../../debuggee/breakpoints/locations.js';
import { requireOnThread } from '../../debuggee/inspect/threads.js';
import { sourceLine } from '../../debuggee/sourceColumns.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

type Body<R extends DebugProtocol.Response> = NonNullable<R['body']>;

/** The calls of frame `frameId`'s line, in the order they run (frame 0 only: a step starts there). */
export function stepInTargets(ctx: RequestContext, args: DebugProtocol.StepInTargetsArguments): Body<DebugProtocol.StepInTargetsResponse> {
  const p = ctx.state.requireStopped();
  const f = ctx.state.frame(args.frameId);
  if (f.index !== 0) throw userErrors.topFrameOnly('Step into target');
  return {
    targets: p.stepInTargets(f.tid).map((t) => {
      const out: DebugProtocol.StepInTarget = { id: t.pc, label: t.label, line: ctx.lineToClient(t.line) };
      if (t.column !== undefined) out.column = ctx.columnToClient(t.column);
      if (t.endColumn !== undefined) {
        out.endLine = out.line;
        out.endColumn = ctx.columnToClient(t.endColumn);
      }
      return out;
    }),
  };
}

/**
 * Where the current goroutine (the one of the last stop: the request names
 * no thread) may jump to on a line; an error says why there is nowhere.
 */
export function gotoTargets(ctx: RequestContext, args: DebugProtocol.GotoTargetsArguments): Body<DebugProtocol.GotoTargetsResponse> {
  const p = ctx.state.requireStopped();
  const path = args.source.path;
  if (!path) throw userErrors.gotoRefused('the source has no path');
  const line = ctx.lineToDebugger(args.line);
  return {
    targets: p.gotoTargets(p.currentThread, path, line).map((t) => ({
      id: t.pc,
      label: t.label,
      line: ctx.lineToClient(t.line),
      instructionPointerReference: `0x${t.pc.toString(16)}`,
    })),
  };
}

/** Moves the thread to a goto target: the response, then a `stopped` event with reason `goto`. */
export function goto(ctx: RequestContext, args: DebugProtocol.GotoArguments): void {
  const p = ctx.state.requireStopped();
  requireOnThread(p, args.threadId);
  p.goto(args.threadId, args.targetId);
  ctx.state.resetHandles();
  ctx.afterResponse(() => p.reportGoto(args.threadId));
}

/**
 * Every position of lines `line`…`endLine` where a breakpoint binds: each
 * statement start, a line with function literals having one per literal.
 * Without a program there is nothing to ask: no locations.
 */
export function breakpointLocations(ctx: RequestContext, args: DebugProtocol.BreakpointLocationsArguments): Body<DebugProtocol.BreakpointLocationsResponse> {
  const p = ctx.state.program;
  const path = args.source.path;
  const file = p && path && !ctx.state.noDebug ? p.paths.toBinary(path) : undefined;
  if (!p || !path || !file) return { breakpoints: [] };
  const first = ctx.lineToDebugger(args.line);
  const last = args.endLine === undefined ? first : Math.max(first, ctx.lineToDebugger(args.endLine));
  const from = args.column === undefined ? undefined : ctx.columnToDebugger(args.column);
  const to = args.endColumn === undefined ? undefined : ctx.columnToDebugger(args.endColumn);
  const out: DebugProtocol.BreakpointLocation[] = [];
  // A range of lines is one request per visible screen: bounded by what a client shows.
  for (let line = first; line <= Math.min(last, first + 10_000); line++) {
    for (const loc of lineLocations(p.symbols, file, line, sourceLine(path, line))) {
      const col = loc.column;
      if (col !== undefined && line === first && from !== undefined && col < from) continue;
      if (col !== undefined && line === last && to !== undefined && col > to) continue;
      const bl: DebugProtocol.BreakpointLocation = { line: ctx.lineToClient(line) };
      if (col !== undefined) bl.column = ctx.columnToClient(col);
      out.push(bl);
    }
  }
  return { breakpoints: out };
}
