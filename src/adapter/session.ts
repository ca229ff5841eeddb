/**
 * The DAP session, as a composition root: the DebugSession subclass that
 * hands each request to its handler in ./requests, turns Program's events into
 * DAP events, and turns what a handler throws into an error response.
 * DAP types, 1-based lines, handles and user-facing errors live in the
 * adapter; the debugger itself lives in src/debuggee and below.
 */
import { PassThrough } from 'node:stream';
import { DebugSession, ExitedEvent, OutputEvent, Response as DapResponse, StoppedEvent, TerminatedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BreakpointExpressions } from '../debuggee/breakpoints/conditions.js';
import { parseGoroutineFilters } from '../debuggee/goroutines/filters.js';
import { Program, type StopInfo } from '../debuggee/program.js';
import type { Symbols } from '../debuggee/symbols.js';
import { EvalError } from '../eval/errors.js';
import { UserError, userErrors } from '../util/userErrors.js';
import { RequestCancel } from './requestCancel.js';
import { argumentsProblem } from './requestShapes.js';
import { orderProblem } from './requestOrder.js';
import { ValueError } from '../values/value.js';
import * as bp from './requests/breakpoints.js';
import * as data from './requests/dataBreakpoints.js';
import type { RequestContext } from './requests/context.js';
import { completions, prepareCompletions } from './requests/completions.js';
import { evaluate } from './requests/evaluate.js';
import * as exec from './requests/execution.js';
import { attach, launch } from './requests/launch.js';
import { restart } from './requests/restart.js';
import * as life from './requests/lifecycle.js';
import * as mem from './requests/memory.js';
import * as nav from './requests/navigation.js';
import * as sources from './requests/sources.js';
import * as stack from './requests/stack.js';
import * as vars from './requests/variables.js';
import { FrameReader, type Frame } from './framing.js';
import { requestPathWarmer } from './requestPathWarmUp.js';
import { SessionState } from './sessionState.js';
import { VariablesView } from './variablesView.js';
import { inIdleTime } from './warmUpStart.js';

type Response = DebugProtocol.Response;
type After = () => void;

/** A request's own context: the session's services inherited, its cancel and its after-response list its own. */
interface OwnContext extends RequestContext {
  cancel: RequestCancel;
  after?: After[];
}

/** Bad frames reported as `important` output (a notification in VS Code); later ones go to the console. */
const IMPORTANT_BAD_FRAMES = 5;

/** Commands whose failure is worth a notification even when it is not a UserError. */
const NOTIFY_ON_INTERNAL = new Set(['launch', 'attach', 'configurationDone']);

/**
 * The requests we answer. Any other (those we do not advertise, such as
 * restartFrame, stepBack or terminateThreads, and unknown ones) gets an Unsupported error
 * rather than the library's default empty success.
 */
const HANDLED = new Set([
  'initialize',
  'launch',
  'attach',
  'configurationDone',
  'disconnect',
  'terminate',
  'restart',
  'cancel',
  'setBreakpoints',
  'setFunctionBreakpoints',
  'setInstructionBreakpoints',
  'setExceptionBreakpoints',
  'continue',
  'next',
  'stepIn',
  'stepOut',
  'pause',
  'threads',
  'stackTrace',
  'exceptionInfo',
  'scopes',
  'variables',
  'setVariable',
  'setExpression',
  'evaluate',
  'readMemory',
  'disassemble',
  'stepInTargets',
  'gotoTargets',
  'goto',
  'breakpointLocations',
  'writeMemory',
  'dataBreakpointInfo',
  'setDataBreakpoints',
  'loadedSources',
  'completions',
]);

/**
 * A DebugSession (not LoggingDebugSession: that one serialises every message a
 * second time for its log even when logging is off, which doubles the cost of a
 * 1,000-frame stack or a page of variables). `showLog` logs a line per request.
 */
export class GoDebugSession extends DebugSession {
  /** Sessions with a stream (stdio or a connection): what a signal or a crash of the adapter must release. */
  private static readonly live = new Set<GoDebugSession>();
  private readonly state = new SessionState();
  private terminatedSent = false;
  private badFrames = 0;
  /** What every handler is given; each request's context inherits it (answer) and adds its own cancel and after-response list. */
  private readonly services: RequestContext;
  /** Requests still being answered (async ones: a build), by seq: what a cancel aborts. */
  private readonly inflight = new Map<number, RequestCancel>();
  /** Progress we started that a cancel may end, by progressId. */
  private readonly progress = new Map<string, RequestCancel>();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    const progress = this.progress;
    this.services = {
      state: this.state,
      sendEvent: (e) => this.sendEvent(e),
      console: (t) => this.console(t),
      lineToClient: (l) => this.convertDebuggerLineToClient(l),
      lineToDebugger: (l) => this.convertClientLineToDebugger(l),
      columnToClient: (c) => this.convertDebuggerColumnToClient(c),
      columnToDebugger: (c) => this.convertClientColumnToDebugger(c),
      newProgram: (s) => this.newProgram(s),
      runInTerminal: (args, timeout) => new Promise((resolve) => this.runInTerminalRequest(args, timeout, resolve)),
      sendTerminated: () => this.sendTerminated(),
      shutdown: () => this.shutdown(),
      // Read on the request's own context (`this`), which holds its cancel and after-response list.
      get signal(): AbortSignal {
        return (this as OwnContext).cancel.signal;
      },
      cancellableProgress(this: OwnContext, id: string): () => void {
        progress.set(id, this.cancel);
        return () => void progress.delete(id);
      },
      afterResponse(this: OwnContext, fn: After): void {
        (this.after ??= []).push(fn);
      },
    };
  }

  // ───────────────────────── framing and endings ─────────────────────────

  /**
   * Reads DAP from `inStream` with our framing (framing.ts): a frame that
   * cannot be parsed is answered and skipped, never the end of the session.
   * The library still writes to `outStream` (and watches it for errors); it
   * is given an idle input of its own.
   */
  override start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void {
    super.start(new PassThrough(), outStream);
    GoDebugSession.live.add(this);
    const reader = new FrameReader();
    inStream.on('data', (chunk: Buffer | string) => {
      for (const f of reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) this.onFrame(f);
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.emit('close');
    };
    inStream.on('end', close);
    inStream.on('close', close);
    inStream.on('error', (e: Error) => {
      console.error(`go-debug-adapter: input stream: ${e.message}`);
      close();
    });
    inStream.resume();
  }

  private onFrame(f: Frame): void {
    if (f.kind === 'message') {
      try {
        this.handleMessage(f.message as unknown as DebugProtocol.ProtocolMessage);
      } catch (e) {
        this.logInternal('a message', e);
      }
      return;
    }
    if (f.seq !== undefined && f.command !== undefined) {
      const r = new DapResponse({ seq: f.seq, command: f.command, type: 'request' });
      const u = userErrors.invalidArguments(`malformed request: ${f.reason}`);
      this.sendErrorResponse(r, { id: u.code, format: u.message, showUser: false });
      return;
    }
    const text = `go-debug-adapter: skipped a malformed message: ${f.reason}\n`;
    console.error(text.trimEnd());
    this.sendEvent(new OutputEvent(text, this.badFrames++ < IMPORTANT_BAD_FRAMES ? 'important' : 'console'));
  }

  /**
   * The stream ended or failed, or disconnect is done: the program is
   * released before the library's shutdown (which exits a stdio adapter).
   */
  override shutdown(): void {
    this.release();
    GoDebugSession.live.delete(this);
    super.shutdown();
  }

  /**
   * Lets go of the program, synchronously (ptrace only works from this thread,
   * and a signal handler may exit right after): an attached program gets every
   * original byte back and runs on; a launched one is killed.
   */
  release(): void {
    const p = this.state.program;
    if (!p || p.exited) return;
    try {
      if (p.launched) void p.terminate();
      else p.detach();
    } catch (e) {
      console.error(`go-debug-adapter: releasing the program: ${(e as Error).stack ?? e}`);
    }
  }

  /**
   * The adapter is ending (a signal) or cannot be trusted (an exception nobody
   * caught): every session releases its program; with `why`, each client is
   * told and gets `terminated`.
   */
  static releaseAll(why?: string): void {
    for (const s of GoDebugSession.live) {
      s.release();
      if (why === undefined) continue;
      try {
        s.sendEvent(new OutputEvent(`go-debug-adapter: ${why}; the program was let go (detached, or ended if launched)\n`, 'important'));
        s.sendTerminated();
      } catch {
        /* the client is gone */
      }
    }
  }

  // ───────────────────────── dispatch ─────────────────────────

  /** Fills in what the protocol makes optional before the library looks at it (pathFormat defaults to "path"). */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (this.state.logs('message')) this.log(`→ ${JSON.stringify(request)}`);
    else if (this.state.logs('request')) this.log(`→ ${request.command} ${JSON.stringify(request.arguments ?? {}).slice(0, 300)}`);
    if (request.command === 'initialize') {
      const args = (typeof request.arguments === 'object' && request.arguments) || {};
      if (args.pathFormat === undefined) args.pathFormat = 'path';
      request.arguments = args;
    }
    const outOfOrder = orderProblem(request, this.state);
    if (outOfOrder) {
      this.fail(new DapResponse(request), outOfOrder);
      return;
    }
    if (!HANDLED.has(request.command)) {
      this.fail(new DapResponse(request), userErrors.unsupported(`The "${request.command}" request`));
      return;
    }
    const problem = argumentsProblem(request.command, request.arguments);
    if (problem) {
      this.fail(new DapResponse(request), userErrors.invalidArguments(problem));
      return;
    }
    super.dispatchRequest(request);
  }

  protected override initializeRequest(r: DebugProtocol.InitializeResponse, a: DebugProtocol.InitializeRequestArguments): void {
    this.state.initialized ??= { lines: a.linesStartAt1 !== false, columns: a.columnsStartAt1 !== false };
    this.answer(r, (c) => life.initialize(c, a));
  }
  protected override launchRequest(r: DebugProtocol.LaunchResponse, a: DebugProtocol.LaunchRequestArguments): Promise<void> | void {
    return this.starting(this.answer(r, (c) => launch(c, a)));
  }
  protected override attachRequest(r: DebugProtocol.AttachResponse, a: DebugProtocol.AttachRequestArguments): Promise<void> | void {
    return this.starting(this.answer(r, (c) => attach(c, a)));
  }

  /** Marks a launch or attach under way until it is answered (a second one meanwhile is refused). */
  private starting(answered: Promise<void> | void): Promise<void> | void {
    if (!(answered instanceof Promise)) return answered;
    this.state.starting = true;
    return answered.finally(() => {
      this.state.starting = false;
    });
  }
  protected override configurationDoneRequest(r: DebugProtocol.ConfigurationDoneResponse): void {
    this.answer(r, (c) => life.configurationDone(c));
  }
  protected override disconnectRequest(r: DebugProtocol.DisconnectResponse, a: DebugProtocol.DisconnectArguments): Promise<void> | void {
    return this.answer(r, (c) => life.disconnect(c, a));
  }
  protected override terminateRequest(r: DebugProtocol.TerminateResponse): Promise<void> | void {
    return this.answer(r, (c) => life.terminate(c));
  }

  protected override restartRequest(r: DebugProtocol.RestartResponse, a: DebugProtocol.RestartArguments): Promise<void> | void {
    return this.answer(r, (c) => restart(c, a));
  }

  protected override setBreakPointsRequest(r: DebugProtocol.SetBreakpointsResponse, a: DebugProtocol.SetBreakpointsArguments): void {
    this.answer(r, (c) => bp.setBreakpoints(c, a));
  }
  protected override setFunctionBreakPointsRequest(r: DebugProtocol.SetFunctionBreakpointsResponse, a: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.answer(r, (c) => bp.setFunctionBreakpoints(c, a));
  }
  protected override setInstructionBreakpointsRequest(
    r: DebugProtocol.SetInstructionBreakpointsResponse,
    a: DebugProtocol.SetInstructionBreakpointsArguments,
  ): void {
    this.answer(r, (c) => bp.setInstructionBreakpoints(c, a));
  }
  protected override setExceptionBreakPointsRequest(r: DebugProtocol.SetExceptionBreakpointsResponse, a: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.answer(r, (c) => bp.setExceptionBreakpoints(c, a));
  }

  protected override continueRequest(r: DebugProtocol.ContinueResponse, a: DebugProtocol.ContinueArguments): void {
    this.answer(r, (c) => exec.continue_(c, a));
  }
  protected override nextRequest(r: DebugProtocol.NextResponse, a: DebugProtocol.NextArguments): void {
    this.answer(r, (c) => exec.next(c, a));
  }
  protected override stepInRequest(r: DebugProtocol.StepInResponse, a: DebugProtocol.StepInArguments): void {
    this.answer(r, (c) => exec.stepIn(c, a));
  }
  protected override stepOutRequest(r: DebugProtocol.StepOutResponse, a: DebugProtocol.StepOutArguments): void {
    this.answer(r, (c) => exec.stepOut(c, a));
  }
  protected override pauseRequest(r: DebugProtocol.PauseResponse, a: DebugProtocol.PauseArguments): void {
    this.answer(r, (c) => exec.pause(c, a));
  }

  protected override threadsRequest(r: DebugProtocol.ThreadsResponse): void {
    this.answer(r, (c) => stack.threads(c));
  }
  protected override stackTraceRequest(r: DebugProtocol.StackTraceResponse, a: DebugProtocol.StackTraceArguments): void {
    this.answer(r, (c) => stack.stackTrace(c, a));
  }
  protected override exceptionInfoRequest(r: DebugProtocol.ExceptionInfoResponse, a: DebugProtocol.ExceptionInfoArguments): void {
    this.answer(r, (c) => stack.exceptionInfo(c, a));
  }

  protected override scopesRequest(r: DebugProtocol.ScopesResponse, a: DebugProtocol.ScopesArguments): void {
    this.answer(r, (c) => vars.scopes(c, a));
  }
  protected override variablesRequest(r: DebugProtocol.VariablesResponse, a: DebugProtocol.VariablesArguments): void {
    this.answer(r, (c) => vars.variables(c, a));
  }
  protected override setVariableRequest(r: DebugProtocol.SetVariableResponse, a: DebugProtocol.SetVariableArguments): void {
    this.answer(r, (c) => vars.setVariable(c, a));
  }
  protected override setExpressionRequest(r: DebugProtocol.SetExpressionResponse, a: DebugProtocol.SetExpressionArguments): void {
    this.answer(r, (c) => vars.setExpression(c, a));
  }
  protected override evaluateRequest(r: DebugProtocol.EvaluateResponse, a: DebugProtocol.EvaluateArguments): void {
    this.answer(r, (c) => evaluate(c, a));
  }
  protected override completionsRequest(r: DebugProtocol.CompletionsResponse, a: DebugProtocol.CompletionsArguments): void {
    this.answer(r, (c) => completions(c, a, { toDebugger: (x) => this.convertClientColumnToDebugger(x) }));
  }

  /**
   * cancel: aborts a request still being answered (launch or restart while
   * they build) or the progress it reported; that request then fails with
   * "cancelled". Every other request is answered as soon as it is read, so by
   * the time a cancel for it arrives there is nothing left to cancel.
   */
  protected override cancelRequest(r: DebugProtocol.CancelResponse, a: DebugProtocol.CancelArguments): void {
    if (a?.requestId !== undefined) this.inflight.get(a.requestId)?.abort();
    if (a?.progressId !== undefined) this.progress.get(a.progressId)?.abort();
    this.sendResponse(r);
  }

  protected override readMemoryRequest(r: DebugProtocol.ReadMemoryResponse, a: DebugProtocol.ReadMemoryArguments): void {
    this.answer(r, (c) => mem.readMemory(c, a));
  }
  protected override loadedSourcesRequest(r: DebugProtocol.LoadedSourcesResponse, _a: DebugProtocol.LoadedSourcesArguments): void {
    this.answer(r, (c) => sources.loadedSources(c));
  }
  protected override disassembleRequest(r: DebugProtocol.DisassembleResponse, a: DebugProtocol.DisassembleArguments): void {
    this.answer(r, (c) => mem.disassemble(c, a));
  }
  protected override writeMemoryRequest(r: DebugProtocol.WriteMemoryResponse, a: DebugProtocol.WriteMemoryArguments): void {
    this.answer(r, (c) => mem.writeMemory(c, a));
  }
  protected override dataBreakpointInfoRequest(r: DebugProtocol.DataBreakpointInfoResponse, a: DebugProtocol.DataBreakpointInfoArguments): void {
    this.answer(r, (c) => data.dataBreakpointInfo(c, a));
  }
  protected override setDataBreakpointsRequest(r: DebugProtocol.SetDataBreakpointsResponse, a: DebugProtocol.SetDataBreakpointsArguments): void {
    this.answer(r, (c) => data.setDataBreakpoints(c, a));
  }

  protected override stepInTargetsRequest(r: DebugProtocol.StepInTargetsResponse, a: DebugProtocol.StepInTargetsArguments): void {
    this.answer(r, (c) => nav.stepInTargets(c, a));
  }
  protected override gotoTargetsRequest(r: DebugProtocol.GotoTargetsResponse, a: DebugProtocol.GotoTargetsArguments): void {
    this.answer(r, (c) => nav.gotoTargets(c, a));
  }
  protected override gotoRequest(r: DebugProtocol.GotoResponse, a: DebugProtocol.GotoArguments): void {
    this.answer(r, (c) => nav.goto(c, a));
  }
  protected override breakpointLocationsRequest(r: DebugProtocol.BreakpointLocationsResponse, a: DebugProtocol.BreakpointLocationsArguments): void {
    this.answer(r, (c) => nav.breakpointLocations(c, a));
  }

  /**
   * Runs a handler: its result (if any) becomes the response body; what it
   * throws becomes an error response. A synchronous handler is answered
   * synchronously, so events it causes keep their order relative to the response.
   */
  private answer<B>(response: Response, handler: (ctx: RequestContext) => B | Promise<B>): Promise<void> | void {
    // The services by inheritance, not copied: one small object per request.
    const ctx = Object.create(this.services) as OwnContext;
    const abort = new RequestCancel();
    ctx.cancel = abort;
    let result: B | Promise<B>;
    try {
      result = handler(ctx);
    } catch (e) {
      return this.fail(response, e);
    }
    if (result instanceof Promise) {
      const seq = response.request_seq;
      this.inflight.set(seq, abort);
      const done = () => {
        if (this.inflight.get(seq) === abort) this.inflight.delete(seq);
      };
      return result.then(
        (body) => {
          done();
          this.reply(response, body, ctx.after);
        },
        (e) => {
          done();
          this.fail(response, e);
        },
      );
    }
    this.reply(response, result, ctx.after);
  }

  private reply(response: Response, body: unknown, after: After[] | undefined): void {
    if (body !== undefined) response.body = body;
    this.sendResponse(response);
    if (after === undefined) return;
    for (const fn of after) {
      try {
        fn();
      } catch (e) {
        this.logInternal(`${response.command} (after its response)`, e);
      }
    }
  }

  /**
   * The error contract: a UserError keeps its code, message and showUser; an
   * expression or value problem is EvalFailed; anything else is internal:
   * "Error processing <command>: <message>", with the stack only in the log.
   */
  private fail(response: Response, e: unknown): void {
    let u: UserError;
    if (e instanceof UserError) u = e;
    else if (e instanceof EvalError || e instanceof ValueError) u = userErrors.evalFailed(e.message);
    else {
      this.logInternal(response.command, e);
      u = userErrors.internal(response.command, e instanceof Error ? e.message : String(e), NOTIFY_ON_INTERNAL.has(response.command));
    }
    this.sendErrorResponse(response, { id: u.code, format: u.message, showUser: u.showUser });
  }

  /** An internal error's stack: stderr always (the adapter's log), the debug console with showLog. */
  private logInternal(where: string, e: unknown): void {
    const text = `internal error in ${where}: ${(e as Error)?.stack ?? String(e)}`;
    console.error(`go-debug-adapter: ${text}`);
    if (this.state.logs('internal')) this.log(text);
  }

  // ───────────────────────── Program → DAP events ─────────────────────────

  private newProgram(symbols: Symbols): Program {
    const s = this.state;
    const exprs = new BreakpointExpressions(() => s.program);
    const p = new Program(symbols, {
      substitutePath: s.display.substitutePath,
      hideSystemGoroutines: s.display.hideSystemGoroutines,
      goroutineFilters: parseGoroutineFilters(s.display.goroutineFilters),
      justMyCode: s.display.justMyCode,
      conditionEvaluator: (expr, id) => exprs.condition(expr, id),
      logFormatter: (message, id) => exprs.log(message, id),
    });
    s.program = p;
    // Until the first stop, after the view's own warm-up: the path every request takes, on a session of its own.
    const warmer = requestPathWarmer(() => new GoDebugSession());
    p.once('stopped', () => warmer.end());
    p.once('exited', () => warmer.end());
    // Its steps in the event loop's idle time while the program runs (warmUpStart.ts), not between the launch's own steps.
    s.view = new VariablesView(p, s.display, () => warmer.step(), inIdleTime(p));
    stack.warmStackTrace(
      p,
      () => s.display.justMyCode,
      (l) => this.convertDebuggerLineToClient(l),
    );
    p.setExceptionFilters(s.exceptionFilters, s.panicCondition);
    p.on('output', (stream, text) => {
      this.sendEvent(new OutputEvent(text, stream === 'console' ? 'console' : stream));
    });
    p.on('stopped', (info) => this.onStopped(info));
    p.on('stopped', () => prepareCompletions(p));
    p.on('exited', (info) => {
      if (info.detached) {
        // Let go, not ended: no exit code to report (`exited` would say it exited with 0).
        this.console('Detached from the program: it runs on without the debugger\n');
        this.sendTerminated();
        return;
      }
      const code = info.code ?? (info.signal !== undefined ? 128 + info.signal : 0);
      this.console(`Process exited with ${info.signal !== undefined ? `signal ${info.signal}` : `code ${code}`}\n`);
      // After `terminated` (a terminate of an attached program sends it first) no event is owed.
      if (this.terminatedSent) return;
      this.sendEvent(new ExitedEvent(code));
      this.sendTerminated();
    });
    return p;
  }

  /** Every stop of the program, including one that ends a command which failed after its response. */
  private onStopped(s: StopInfo): void {
    this.state.resetHandles();
    const ev = new StoppedEvent(s.kind, s.threadId, s.text) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    if (s.breakpointIds.length) ev.body.hitBreakpointIds = s.breakpointIds;
    if (s.description) ev.body.description = s.description;
    this.sendEvent(ev);
  }

  private sendTerminated(): void {
    if (this.terminatedSent) return;
    this.terminatedSent = true;
    this.sendEvent(new TerminatedEvent());
  }

  /**
   * The connection went away (a TCP client that dropped, an inline session torn
   * down) without a disconnect: end what we started, let go of what we attached to.
   */
  override dispose(): void {
    this.release();
    GoDebugSession.live.delete(this);
    this.state.cleanup();
    super.dispose();
  }

  // ───────────────────────── output ─────────────────────────

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.state.logs('message')) this.log(`← ${JSON.stringify(response)}`);
    else if (this.state.logs(response.success ? 'request' : 'failure')) {
      this.log(`← ${response.command} ${response.success ? 'ok' : `failed: ${response.message}`}`);
    }
    super.sendResponse(response);
  }

  /** Every event; with trace "trace" or "verbose" each is logged too (except the log's own lines). */
  override sendEvent(event: DebugProtocol.Event): void {
    if (!this.logging && this.state.logs('event')) {
      this.logging = true;
      try {
        this.log(this.state.logs('message') ? `⇐ ${JSON.stringify(event)}` : `⇐ ${event.event}`);
      } finally {
        this.logging = false;
      }
    }
    super.sendEvent(event);
  }

  private logging = false;

  private log(line: string): void {
    this.logging = true;
    try {
      this.sendEvent(new OutputEvent(`[go-debug-adapter] ${line}\n`, 'console'));
    } finally {
      this.logging = false;
    }
  }

  private console(text: string): void {
    this.sendEvent(new OutputEvent(text, 'console'));
  }
}
