/**
 * What request handlers share: the session's state, and the few session
 * services they use (events, console, line conversion, reverse requests).
 * Handlers take a RequestContext and the request's arguments, return the
 * response body, and throw a UserError (or anything else) when they cannot do
 * what was asked; the session sends the response or the error response.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Program } from '../../debuggee/program.js';
import type { Symbols } from '../../debuggee/symbols.js';
import type { SessionState } from '../sessionState.js';

export interface RequestContext {
  readonly state: SessionState;
  sendEvent(event: DebugProtocol.Event): void;
  /** Text for the debug console. */
  console(text: string): void;
  lineToClient(line: number): number;
  lineToDebugger(line: number): number;
  /** Aborted when the client cancels this request (DAP cancel), or the progress it started. */
  readonly signal: AbortSignal;
  /** Lets a cancel of progress `progressId` cancel this request. */
  cancellableProgress(progressId: string): () => void;
  columnToClient(column: number): number;
  columnToDebugger(column: number): number;
  /** Runs after the response of the current request has been sent. */
  afterResponse(fn: () => void): void;
  /** A Program for `symbols`, with its events wired to DAP events. */
  newProgram(symbols: Symbols): Program;
  runInTerminal(args: DebugProtocol.RunInTerminalRequestArguments, timeout: number): Promise<DebugProtocol.RunInTerminalResponse>;
  sendTerminated(): void;
  /** Ends the adapter process in stdio mode (a no-op for TCP server and inline sessions). */
  shutdown(): void;
}
