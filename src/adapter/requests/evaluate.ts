/**
 * evaluate: watch, hover, REPL and clipboard expressions, in the given frame
 * or frame 0 of the current thread.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RequestContext } from './context.js';

export function evaluate(ctx: RequestContext, args: DebugProtocol.EvaluateArguments): DebugProtocol.EvaluateResponse['body'] {
  const view = ctx.state.requireView();
  const frame = args.frameId !== undefined ? ctx.state.frame(args.frameId) : undefined;
  return view.evaluate(args, frame);
}
