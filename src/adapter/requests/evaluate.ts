/**
 * evaluate: watch, hover, REPL and clipboard expressions, in the given frame
 * or frame 0 of the current thread.
 *
 * An expression that fails is an error response (success: false) with the
 * evaluator's message and showUser false, in every context: VS Code shows the
 * message in place (the watch or variables row, the hover, the REPL in error
 * colour) and raises a notification only for showUser. A success whose result
 * is the error text would read as a value (and a watch would look valid).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RequestContext } from './context.js';
import { replCommand } from './replCommands.js';

export function evaluate(
  ctx: RequestContext,
  args: DebugProtocol.EvaluateArguments,
): DebugProtocol.EvaluateResponse['body'] | Promise<DebugProtocol.EvaluateResponse['body']> {
  const command = replCommand(ctx, args); // `dump <file>` (replCommands.ts)
  if (command) return command;
  const view = ctx.state.requireView();
  view.noteRequest();
  const frame = args.frameId !== undefined ? ctx.state.frame(args.frameId) : undefined;
  return view.evaluate(args, frame);
}
