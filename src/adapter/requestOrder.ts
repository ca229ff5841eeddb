/**
 * The order the protocol gives the lifecycle requests, checked before a
 * handler runs: initialize first (a repeat that keeps its line and column
 * bases is answered: DebugClient's launch() sends one more), then one launch
 * or attach per session. What comes out of order is refused with the reason.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { type UserError, userErrors } from '../util/userErrors.js';
import type { SessionState } from './sessionState.js';

/** Why `request` is refused in this state, or undefined when it may run. */
export function orderProblem(request: DebugProtocol.Request, state: SessionState): UserError | undefined {
  const { command } = request;
  if (command === 'initialize') {
    const args = (request.arguments ?? {}) as DebugProtocol.InitializeRequestArguments;
    const first = state.initialized;
    // Another base would renumber every line and column already handed out.
    if (first && (first.lines !== (args.linesStartAt1 !== false) || first.columns !== (args.columnsStartAt1 !== false))) {
      return userErrors.invalidArguments('the session is already initialized with other line or column bases (initialize refused)');
    }
    return undefined;
  }
  if (command !== 'launch' && command !== 'attach') return undefined;
  // The line base and the client's capabilities come first.
  if (!state.initialized) return userErrors.invalidArguments(`${command} before initialize (refused: send initialize first)`);
  // One program per session: a second one would leave the first traced, stopped, and forgotten.
  if (state.program && !state.program.exited) return userErrors.invalidArguments(`a program is already being debugged in this session (${command} refused)`);
  // The same while the first is still being answered (building, loading symbols): it has no program yet.
  if (state.starting) return userErrors.invalidArguments(`a launch or attach is already under way in this session (${command} refused)`);
  return undefined;
}
