/**
 * The Variables view: a frame's scopes, the variables under a handle,
 * setting one, and setting any addressable expression (setExpression). The
 * DAP mapping itself is in ../variablesView.ts.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RequestContext } from './context.js';

export function scopes(ctx: RequestContext, args: DebugProtocol.ScopesArguments): DebugProtocol.ScopesResponse['body'] {
  const ref = ctx.state.frame(args.frameId);
  return { scopes: ctx.state.requireView().scopes(ref) };
}

export function variables(ctx: RequestContext, args: DebugProtocol.VariablesArguments): DebugProtocol.VariablesResponse['body'] {
  return { variables: ctx.state.requireView().variables(args) };
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
