/**
 * Requests that begin and end a session: initialize (our capabilities),
 * configurationDone (the program starts), disconnect and terminate.
 * launch and attach are in launch.ts.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import { warmBreakpointScopes } from '../../debuggee/inspect/breakpointScopes.js';
import { preloadTracing } from '../../debuggee/processStarter.js';
import { userErrors } from '../../util/userErrors.js';
import type { RequestContext } from './context.js';

export function initialize(ctx: RequestContext, args: DebugProtocol.InitializeRequestArguments): DebugProtocol.Capabilities {
  ctx.state.client = {
    runInTerminal: !!args.supportsRunInTerminalRequest,
    progress: !!args.supportsProgressReporting,
    invalidated: !!args.supportsInvalidatedEvent,
    memoryEvent: !!args.supportsMemoryEvent,
  };
  // While the client reads the answer and sends launch or attach: koffi's load is then off their
  // path. One that fails here fails again, answered, at the launch.
  ctx.afterResponse(() =>
    setImmediate(() => {
      try {
        preloadTracing();
      } catch {
        /* reported by the launch or attach that needs it */
      }
    }),
  );
  return {
    supportsConfigurationDoneRequest: true,
    supportsFunctionBreakpoints: true,
    supportsTerminateRequest: true,
    supportsRestartRequest: true,
    supportsCancelRequest: true,
    supportTerminateDebuggee: true,
    supportsDelayedStackTraceLoading: true,
    supportsSteppingGranularity: true,
    supportsSingleThreadExecutionRequests: false,
    supportsExceptionInfoRequest: true,
    supportsDisassembleRequest: true,
    supportsReadMemoryRequest: true,
    supportsInstructionBreakpoints: true,
    supportsConditionalBreakpoints: true,
    supportsHitConditionalBreakpoints: true,
    supportsLogPoints: true,
    supportsEvaluateForHovers: true,
    supportsSetVariable: true,
    supportsSetExpression: true,
    supportsClipboardContext: true,
    supportsLoadedSourcesRequest: true,
    supportsExceptionFilterOptions: true,
    supportsValueFormattingOptions: true,
    supportsStepInTargetsRequest: true,
    supportsGotoTargetsRequest: true,
    supportsBreakpointLocationsRequest: true,
    supportsDataBreakpoints: true,
    supportsWriteMemoryRequest: true,
    supportsCompletionsRequest: true,
    completionTriggerCharacters: ['.'],
    exceptionBreakpointFilters: [
      {
        filter: 'panic',
        label: 'Unrecovered panics',
        description: 'Stop when a panic is about to end the program',
        default: true,
        supportsCondition: true,
        conditionDescription:
          'A Go expression on the panic value `value` (an interface {}), e.g. value.(string) == "boom"; a condition that cannot be evaluated does not stop',
      },
      { filter: 'fatal', label: 'Fatal errors', description: 'Stop at runtime fatal errors (deadlock, concurrent map writes, …)', default: true },
    ],
  };
}

/**
 * Answers, then starts the program: it runs, or stops at entry. Once only: a
 * second configurationDone is an error (it starts nothing), and so is one
 * before launch or attach.
 */
export function configurationDone(ctx: RequestContext): void {
  const s = ctx.state;
  if (s.started) throw userErrors.alreadyConfigured();
  const p = s.program;
  if (!p) throw userErrors.notConfigurable();
  s.started = true;
  ctx.afterResponse(() => {
    p.start(s.stopOnEntry);
    // The first stop names goroutines through the runtime's layout (DWARF types, a few ms):
    // decoded while the program runs to that stop, not after it.
    setImmediate(() => p.view.layout());
    // The scopes at the breakpoints (a stop's first requests read them): resolved while it runs too.
    warmBreakpointScopes(p, s.view?.inspector, s.view && ((pc) => s.view?.warmAt(pc)));
  });
}

/** Ends the session: kills what we launched (or what the client asks to kill), detaches from the rest. */
export async function disconnect(ctx: RequestContext, args: DebugProtocol.DisconnectArguments | undefined): Promise<void> {
  const p = ctx.state.program;
  try {
    if (p && !p.exited) {
      const kill = args?.terminateDebuggee ?? p.launched;
      if (kill && p.launched) await p.terminate();
      else if (kill && p.pid) {
        p.detach();
        process.kill(p.pid, 'SIGKILL');
      } else p.detach();
    }
  } catch (e) {
    ctx.console(`disconnect: ${(e as Error).message}\n`);
  }
  ctx.state.cleanup();
  ctx.afterResponse(() => ctx.shutdown());
}

export async function terminate(ctx: RequestContext): Promise<void> {
  const p = ctx.state.program;
  try {
    if (p && !p.exited) await p.terminate();
  } catch (e) {
    ctx.console(`terminate: ${(e as Error).message}\n`);
  }
  if (p && !p.launched) ctx.afterResponse(() => ctx.sendTerminated());
}
