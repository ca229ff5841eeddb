/**
 * What request handlers share: the session's state, and the few session
 * services they use (events, console, line conversion, reverse requests).
 * Handlers take a RequestContext and the request's arguments, return the
 * response body, and throw a UserError (or anything else) when they cannot do
 * what was asked; the session sends the response or the error response.
 */
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Program } from '../../debuggee/program.js';
import type { Symbols } from '../../debuggee/symbols.js';
import { userErrors } from '../../util/userErrors.js';
import { DEFAULT_STACK_TRACE_DEPTH, type NormalizedDisplayOptions } from '../launchConfig.js';
import type { VariablesView } from '../variables.js';
import type { FrameRef } from '../../debuggee/inspect/inspector.js';

export class SessionState {
  program?: Program;
  view?: VariablesView;
  display: NormalizedDisplayOptions = {
    substitutePath: [],
    showGlobalVariables: false,
    hideSystemGoroutines: false,
    stackTraceDepth: DEFAULT_STACK_TRACE_DEPTH,
    showLog: false,
    trace: 'error',
  };
  stopOnEntry = false;
  noDebug = false;
  exceptionFilters: ('panic' | 'fatal')[] = ['panic', 'fatal'];
  started = false;
  cleanupBinary?: () => void;
  readonly frames = new Handles<FrameRef>();
  client = { runInTerminal: false, progress: false };
  progressIds = 0;

  /** The program, stopped; throws noProgram / programRunning otherwise. */
  requireStopped(): Program {
    const p = this.program;
    if (!p || p.exited) throw userErrors.noProgram();
    if (p.running) throw userErrors.programRunning();
    return p;
  }

  /** The stopped program's variables view. */
  requireView(): VariablesView {
    this.requireStopped();
    return this.view!;
  }

  frame(id: number): FrameRef {
    const f = this.frames.get(id);
    if (!f) throw userErrors.unknownFrame(id);
    return f;
  }

  /** Forget the handles of a stop: frames and variables. */
  resetHandles(): void {
    this.frames.reset();
    this.view?.reset();
  }

  cleanup(): void {
    this.cleanupBinary?.();
    this.cleanupBinary = undefined;
  }
}

export interface RequestContext {
  readonly state: SessionState;
  sendEvent(event: DebugProtocol.Event): void;
  /** Text for the debug console. */
  console(text: string): void;
  lineToClient(line: number): number;
  lineToDebugger(line: number): number;
  /** Runs after the response of the current request has been sent. */
  afterResponse(fn: () => void | Promise<void>): void;
  /** A Program for `symbols`, with its events wired to DAP events. */
  newProgram(symbols: Symbols): Program;
  runInTerminal(args: DebugProtocol.RunInTerminalRequestArguments, timeout: number): Promise<DebugProtocol.RunInTerminalResponse>;
  sendTerminated(): void;
  /** Ends the adapter process in stdio mode (a no-op for TCP server and inline sessions). */
  shutdown(): void;
}

/** A memory reference as we hand them out ("0x…"), or decimal. NaN when not an address. */
export function parseAddress(ref: string): number {
  const t = ref.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(v) ? v : NaN;
}
