/**
 * What one DAP session knows: the program, the display options of its launch
 * or attach, the start-up settings, and the handles of the current stop
 * (stack frames here, variables in the VariablesView).
 */
import { Handles } from '@vscode/debugadapter';
import type { FrameRef } from '../debuggee/inspect/inspector.js';
import type { Program } from '../debuggee/program.js';
import { userErrors } from '../util/userErrors.js';
import { DEFAULT_STACK_TRACE_DEPTH, type NormalizedDisplayOptions } from './launchConfig.js';
import type { VariablesView } from './variablesView.js';

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
