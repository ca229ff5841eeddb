/**
 * What one DAP session knows: the program, the display options of its launch
 * or attach, the start-up settings, and the handles of the current stop
 * (stack frames here, variables in the VariablesView).
 */
import { Handles } from '@vscode/debugadapter';
import type { FrameRef } from '../debuggee/inspect/inspector.js';
import type { PanicCondition } from '../debuggee/panicCondition.js';
import type { Program } from '../debuggee/program.js';
import { userErrors } from '../util/userErrors.js';
import type { NormalizedDisplayOptions, NormalizedLaunchArguments } from './launchConfig.js';
import { DEFAULT_STACK_TRACE_DEPTH } from './launchSchema.js';
import type { VariablesView } from './variablesView.js';

const LOG_RANK: Record<NormalizedDisplayOptions['trace'], number> = { error: 0, warn: 1, info: 2, log: 2, trace: 3, verbose: 4 };
const KIND_RANK = { internal: 0, failure: 1, request: 2, event: 3, message: 4 } as const;

export class SessionState {
  program?: Program;
  view?: VariablesView;
  display: NormalizedDisplayOptions = {
    substitutePath: [],
    showGlobalVariables: false,
    hideSystemGoroutines: false,
    goroutineFilters: '',
    justMyCode: true,
    callStringMethods: true,
    stackTraceDepth: DEFAULT_STACK_TRACE_DEPTH,
    showLog: false,
    trace: 'error',
  };
  /** The launch configuration of this session (a restart may replace it); none when attached. */
  launchArgs?: NormalizedLaunchArguments;
  stopOnEntry = false;
  noDebug = false;
  exceptionFilters: ('panic' | 'fatal')[] = ['panic', 'fatal'];
  /** The panic filter's condition (setExceptionBreakpoints filterOptions). */
  panicCondition?: PanicCondition;
  started = false;
  /** A launch or attach is being answered (its program not made yet). */
  starting = false;
  /** The line and column bases of the first initialize: a later one must keep them. */
  initialized?: { lines: boolean; columns: boolean };
  cleanupBinary?: () => void;
  readonly frames = new Handles<FrameRef>();
  client: { runInTerminal: boolean; progress: boolean; invalidated?: boolean; memoryEvent?: boolean } = { runInTerminal: false, progress: false };
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

  /**
   * Whether the adapter log shows `kind` (with showLog). The `trace` levels,
   * from least to most: error (internal errors with their stacks), warn (and
   * every failed response), info and log (and one line per request and
   * response), trace (and one line per event), verbose (every message in full).
   */
  logs(kind: 'internal' | 'failure' | 'request' | 'event' | 'message'): boolean {
    if (!this.display.showLog) return false;
    return LOG_RANK[this.display.trace] >= KIND_RANK[kind];
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
