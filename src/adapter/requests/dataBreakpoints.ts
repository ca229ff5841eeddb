/**
 * Data breakpoints: dataBreakpointInfo (what a variable of the Variables view,
 * or an expression in a frame, would watch) and setDataBreakpoints. The
 * watching itself is src/debuggee/breakpoints/dataBreakpoints.ts over the
 * engine's hardware watchpoints; a hit stops with reason "data breakpoint".
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Value } from '../../values/value.js';
import type { RequestContext } from './context.js';

type Body<R extends DebugProtocol.Response> = NonNullable<R['body']>;

/** The access types x86-64 debug registers offer (no read-only watch). */
const ACCESS_TYPES: DebugProtocol.DataBreakpointAccessType[] = ['write', 'readWrite'];

export function dataBreakpointInfo(ctx: RequestContext, args: DebugProtocol.DataBreakpointInfoArguments): Body<DebugProtocol.DataBreakpointInfoResponse> {
  const s = ctx.state;
  const p = s.program;
  if (!p || p.exited || p.running) return { dataId: null, description: p?.running ? 'The program is running: pause it first' : 'No program is being debugged' };
  if (args.asAddress) return { dataId: null, description: 'Watching a raw address is not supported: pick a variable or an expression' };
  const view = s.requireView();
  let value: Value;
  let threadId: number;
  let expr = args.name;
  if (args.variablesReference !== undefined && args.variablesReference !== 0) {
    const found = view.lookup(args.variablesReference, args.name);
    value = found.value;
    threadId = found.frame.tid;
    expr = found.evalName ?? args.name;
  } else {
    const frame = args.frameId !== undefined ? s.frame(args.frameId) : { tid: p.currentThread, index: 0 };
    const r = view.inspector.evaluate(args.name, frame);
    if (r.k === 'const') return { dataId: null, description: `${args.name} is a constant, not a variable` };
    value = r.value;
    threadId = frame.tid;
  }
  const t = p.watchTarget(expr, value, threadId);
  if ('error' in t) return { dataId: null, description: t.error };
  return { dataId: t.dataId, description: t.description, accessTypes: ACCESS_TYPES, canPersist: false };
}

export function setDataBreakpoints(ctx: RequestContext, args: DebugProtocol.SetDataBreakpointsArguments): Body<DebugProtocol.SetDataBreakpointsResponse> {
  const p = ctx.state.program;
  if (!p || p.exited) return { breakpoints: args.breakpoints.map(() => ({ verified: false, reason: 'failed', message: 'No program is being debugged' })) };
  const bps = p.dataBreakpoints.set(args.breakpoints);
  return {
    breakpoints: bps.map((bp) => {
      const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.verified };
      // A verified one says what it watches (a larger value: only its first word).
      if (bp.message) out.message = bp.message;
      else if (bp.target) out.message = `Watching ${bp.target.description}`;
      if (!bp.verified) out.reason = 'failed';
      return out;
    }),
  };
}
