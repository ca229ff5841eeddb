/**
 * Breakpoint requests: source lines, functions, instructions, and which
 * exceptions stop the program. Without a program (or without debugging) the
 * breakpoints come back unverified with the reason, as the protocol wants.
 */
import { basename } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { UserBreakpoint } from '../../debuggee/breakpoints/userBreakpoints.js';
import { PanicCondition, panicConditionProblem } from '../../debuggee/panicCondition.js';
import { parseAddress } from '../memoryReference.js';
import type { RequestContext } from './context.js';

type Body<R extends DebugProtocol.Response> = NonNullable<R['body']>;

export function setBreakpoints(ctx: RequestContext, args: DebugProtocol.SetBreakpointsArguments): Body<DebugProtocol.SetBreakpointsResponse> {
  const path = args.source.path;
  const specs: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
  const { program: p, noDebug } = ctx.state;
  if (!p || !path || noDebug || p.cannotRun) {
    const why = noDebug
      ? 'Running without debugging'
      : !p
        ? 'No program is being debugged'
        : p.cannotRun
          ? `No breakpoints: ${p.cannotRun}`
          : 'The breakpoint source has no path';
    return { breakpoints: specs.map(() => ({ verified: false, message: why })) };
  }
  const bps = p.breakpoints.setLineBreakpoints(
    path,
    specs.map((b) => ({
      line: ctx.lineToDebugger(b.line),
      column: b.column === undefined ? undefined : ctx.columnToDebugger(b.column),
      condition: b.condition,
      hitCondition: b.hitCondition,
      logMessage: b.logMessage,
    })),
  );
  for (const w of p.breakpoints.diagnostics.takeWarnings()) ctx.console(w);
  return { breakpoints: bps.map((bp) => toDapBreakpoint(ctx, bp)) };
}

/** A user breakpoint as DAP shows it (in a response, or a `breakpoint` event). */
export function toDapBreakpoint(ctx: RequestContext, bp: UserBreakpoint): DebugProtocol.Breakpoint {
  const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.verified };
  if (bp.kind === 'instruction') out.instructionReference = `0x${(bp.addrs[0] ?? 0).toString(16)}`;
  if (bp.clientPath) out.source = { name: basename(bp.clientPath), path: bp.clientPath };
  // A requested line that is no line (0 or less) is not echoed as where the breakpoint is.
  if (bp.line !== undefined && bp.line >= 1) out.line = ctx.lineToClient(bp.line);
  if (bp.column !== undefined) out.column = ctx.columnToClient(bp.column);
  if (bp.message) out.message = bp.message;
  if (!bp.verified) out.reason = 'failed';
  return out;
}

export function setFunctionBreakpoints(
  ctx: RequestContext,
  args: DebugProtocol.SetFunctionBreakpointsArguments,
): Body<DebugProtocol.SetFunctionBreakpointsResponse> {
  const p = ctx.state.program;
  if (!p) return { breakpoints: args.breakpoints.map(() => ({ verified: false, message: 'No program is being debugged' })) };
  const bps = p.breakpoints.setFunctionBreakpoints(args.breakpoints);
  return { breakpoints: bps.map((bp) => toDapBreakpoint(ctx, bp)) };
}

/** One answer per requested instruction breakpoint, in order (unverified, with the reason, when it cannot be set). */
export function setInstructionBreakpoints(
  ctx: RequestContext,
  args: DebugProtocol.SetInstructionBreakpointsArguments,
): Body<DebugProtocol.SetInstructionBreakpointsResponse> {
  const p = ctx.state.program;
  const specs = args.breakpoints.map((b) => ({
    address: parseAddress(b.instructionReference) + (b.offset ?? 0),
    condition: b.condition,
    hitCondition: b.hitCondition,
  }));
  if (!p) return { breakpoints: specs.map(() => ({ verified: false, message: 'No program is being debugged' })) };
  const set = p.breakpoints.setInstructionBreakpoints(specs.filter((x) => Number.isFinite(x.address)));
  let next = 0;
  return {
    breakpoints: specs.map((spec, k) => {
      if (!Number.isFinite(spec.address)) return { verified: false, reason: 'failed', message: `Not an address: ${args.breakpoints[k]!.instructionReference}` };
      return toDapBreakpoint(ctx, set[next++]!);
    }),
  };
}

/**
 * The exception filters ("panic", "fatal"), from `filters` and `filterOptions`.
 * The panic filter may carry a condition on the panic value (`value`, an
 * `interface {}`: debuggee/panicCondition.ts). A filter that cannot be set as
 * asked (unknown, a condition that does not parse, a condition on "fatal") is
 * unverified with the reason, and is not set.
 */
export function setExceptionBreakpoints(
  ctx: RequestContext,
  args: DebugProtocol.SetExceptionBreakpointsArguments,
): Body<DebugProtocol.SetExceptionBreakpointsResponse> {
  const wanted: DebugProtocol.ExceptionFilterOptions[] = [...(args.filters ?? []).map((filterId) => ({ filterId })), ...(args.filterOptions ?? [])];
  const kinds: ('panic' | 'fatal')[] = [];
  let panicCondition: PanicCondition | undefined;
  const breakpoints = wanted.map((f): DebugProtocol.Breakpoint => {
    const id = f.filterId;
    if (id !== 'panic' && id !== 'fatal') return { verified: false, reason: 'failed', message: `Unknown exception filter "${id}": use "panic" or "fatal"` };
    const condition = f.condition?.trim();
    if (condition) {
      if (id === 'fatal') return { verified: false, reason: 'failed', message: 'The "fatal" filter takes no condition: a fatal error has no value' };
      const problem = panicConditionProblem(condition);
      if (problem) return { verified: false, reason: 'failed', message: problem };
      panicCondition = new PanicCondition(condition);
    }
    if (!kinds.includes(id)) kinds.push(id);
    return { verified: true };
  });
  ctx.state.exceptionFilters = kinds;
  ctx.state.panicCondition = panicCondition;
  ctx.state.program?.setExceptionFilters(kinds, panicCondition);
  return { breakpoints };
}
