/**
 * The Variables view: a frame's scopes, the variables under a handle,
 * setting one, and setting any addressable expression (setExpression). The
 * DAP mapping itself is in ../variablesView.ts.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { userErrors } from '../../util/userErrors.js';
import type { VariablesView } from '../variablesView.js';
import type { RequestContext } from './context.js';

export function scopes(ctx: RequestContext, args: DebugProtocol.ScopesArguments): DebugProtocol.ScopesResponse['body'] {
  const ref = ctx.state.frame(args.frameId);
  return { scopes: ctx.state.requireView().scopes(ref) };
}

/** Pages up to this many variables are answered at once; larger ones in slices of it. */
const SLICE = 500;

/**
 * A page of variables. A large one (the 10,000 elements of an unpaged slice)
 * is made in slices, yielding between them, so that a cancel (DAP) or a
 * resume that arrives meanwhile ends it instead of waiting behind it; a
 * small one is answered at once.
 */
export function variables(
  ctx: RequestContext,
  args: DebugProtocol.VariablesArguments,
): DebugProtocol.VariablesResponse['body'] | Promise<DebugProtocol.VariablesResponse['body']> {
  const view = ctx.state.requireView();
  view.noteRequest();
  const size = view.pageSize(args);
  if (size <= SLICE * 2) return { variables: view.variables(args) };
  return sliced(ctx, view, args, size);
}

async function sliced(
  ctx: RequestContext,
  view: VariablesView,
  args: DebugProtocol.VariablesArguments,
  size: number,
): Promise<DebugProtocol.VariablesResponse['body']> {
  const out: DebugProtocol.Variable[] = [];
  const first = args.start ?? 0;
  for (let start = first; start < first + size; start += SLICE) {
    if (ctx.signal.aborted) throw userErrors.cancelled();
    // The program resumed (its handles are gone): what is left would read a running program.
    if (ctx.state.view !== view || ctx.state.program?.running) throw userErrors.programRunning();
    out.push(...view.variables({ ...args, start, count: Math.min(SLICE, first + size - start) }));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { variables: out };
}

export function setVariable(ctx: RequestContext, args: DebugProtocol.SetVariableArguments): DebugProtocol.SetVariableResponse['body'] {
  return ctx.state.requireView().setVariable(args);
}

/** setExpression in the given frame, or frame 0 of the current thread. */
export function setExpression(ctx: RequestContext, args: DebugProtocol.SetExpressionArguments): DebugProtocol.SetExpressionResponse['body'] {
  const view = ctx.state.requireView();
  const frame = args.frameId !== undefined ? ctx.state.frame(args.frameId) : undefined;
  return view.setExpression(args, frame);
}
