/**
 * The DAP session: one method per request, translating between DAP and the
 * target layer. DAP types, 1-based lines, handles and user-facing errors live
 * here; the debugger itself lives in src/debuggee and below.
 */
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  ExitedEvent,
  Handles,
  InitializedEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  DebugSession,
  OutputEvent,
  Scope,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BinaryError } from '../binary/binaryError.js';
import { DecodeError } from '../binary/reader.js';
import { BuildError, buildProgram } from '../debuggee/build.js';
import { Program, type StopInfo } from '../debuggee/program.js';
import { Symbols } from '../debuggee/symbols.js';
import { ErrorCode, UserError } from './errors.js';
import { BreakpointExpressions } from '../debuggee/breakpoints/conditions.js';
import { VariablesView } from './variables.js';
import {
  DEFAULT_STACK_TRACE_DEPTH,
  validateAttachArguments,
  validateLaunchArguments,
  type NormalizedDisplayOptions,
} from './launchConfig.js';

type FrameRef = { tid: number; index: number };

/**
 * A DebugSession (not LoggingDebugSession: that one serialises every message a
 * second time for its log even when logging is off, which doubles the cost of a
 * 1,000-frame stack or a page of variables). `showLog` logs a line per request.
 */
export class GoDebugSession extends DebugSession {
  private program?: Program;
  private display: NormalizedDisplayOptions = {
    substitutePath: [],
    showGlobalVariables: false,
    hideSystemGoroutines: false,
    stackTraceDepth: DEFAULT_STACK_TRACE_DEPTH,
    showLog: false,
    trace: 'error',
  };
  private stopOnEntry = false;
  private noDebug = false;
  private exceptionFilters: ('panic' | 'fatal')[] = ['panic', 'fatal'];
  private started = false;
  private cleanupBinary?: () => void;
  private frames = new Handles<FrameRef>();
  private view?: VariablesView;
  private terminatedSent = false;
  private client = { runInTerminal: false, progress: false };
  private progressIds = 0;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ───────────────────────── set-up ─────────────────────────

  /** Fills in what the protocol makes optional before the library looks at it (pathFormat defaults to "path"). */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    if (this.display.showLog) this.log(`→ ${request.command} ${JSON.stringify(request.arguments ?? {}).slice(0, 300)}`);
    if (request.command === 'initialize') {
      const args = (typeof request.arguments === 'object' && request.arguments) || {};
      if (args.pathFormat === undefined) args.pathFormat = 'path';
      request.arguments = args;
    }
    super.dispatchRequest(request);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.client = { runInTerminal: !!args.supportsRunInTerminalRequest, progress: !!args.supportsProgressReporting };
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsTerminateRequest: true,
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
      supportsClipboardContext: true,
      supportsValueFormattingOptions: true,
      exceptionBreakpointFilters: [
        { filter: 'panic', label: 'Unrecovered panics', description: 'Stop when a panic is about to end the program', default: true },
        { filter: 'fatal', label: 'Fatal errors', description: 'Stop at runtime fatal errors (deadlock, concurrent map writes, …)', default: true },
      ],
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, raw: DebugProtocol.LaunchRequestArguments): Promise<void> {
    await this.guard(response, async () => {
      const v = validateLaunchArguments(raw);
      if (!v.ok) throw new UserError(ErrorCode.InvalidArguments, v.error);
      const args = v.args;
      this.display = args;
      this.stopOnEntry = args.stopOnEntry;
      const env = mergeEnv(process.env, args.env);
      let binary = args.program;
      if (args.mode !== 'exec') {
        this.console(`Building ${args.program} …\n`);
        try {
          const built = await this.withProgress(`Building ${basename(args.program)}`, () =>
            buildProgram({
              mode: args.mode as 'debug' | 'test',
              program: args.program,
              programIsDirectory: args.programIsDirectory,
              buildFlags: args.buildFlags,
              output: args.output,
              env,
              onOutput: (t) => this.console(t),
            }),
          );
          binary = built.binary;
          this.cleanupBinary = built.cleanup;
        } catch (e) {
          if (e instanceof BuildError) throw new UserError(ErrorCode.BuildFailed, e.message);
          throw e;
        }
      }
      const symbols = await this.withProgress(`Loading ${basename(binary)}`, async () => openSymbols(binary));
      const program = this.newProgram(symbols);
      if (args.noDebug) program.setExceptionFilters([]);
      this.noDebug = args.noDebug;
      try {
        if (args.console !== 'internalConsole' && this.client.runInTerminal) {
          await program.seize(await this.startInTerminal(args.console, binary, args.args, args.env, args.cwd));
        } else {
          if (args.console !== 'internalConsole') {
            this.console(`This client cannot run programs in a terminal ("console": "${args.console}"): the program's output goes to the debug console and it reads no input.\n`);
          }
          await program.launch({ program: binary, args: args.args, env: env as Record<string, string>, cwd: args.cwd });
        }
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw new UserError(ErrorCode.LaunchFailed, `Could not start ${binary}: ${(e as Error).message}`);
      }
      this.sendProcessEvent(binary, 'launch');
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, raw: DebugProtocol.AttachRequestArguments): Promise<void> {
    await this.guard(response, async () => {
      const v = validateAttachArguments(raw);
      if (!v.ok) throw new UserError(ErrorCode.InvalidArguments, v.error);
      const { processId } = v.args;
      this.display = v.args;
      let exe: string;
      try {
        exe = readlinkSync(`/proc/${processId}/exe`);
      } catch {
        throw new UserError(ErrorCode.AttachFailed, `No process with id ${processId} (or no permission to inspect it)`);
      }
      const symbols = openSymbols(exe);
      const program = this.newProgram(symbols);
      try {
        program.attach(processId);
      } catch (e) {
        throw new UserError(
          ErrorCode.AttachFailed,
          `Could not attach to process ${processId}: ${(e as Error).message}. Attaching needs the same user and ptrace permission (see /proc/sys/kernel/yama/ptrace_scope).`,
        );
      }
      this.sendProcessEvent(exe, 'attach');
      this.sendResponse(response);
      this.sendEvent(new InitializedEvent());
    });
  }

  protected override async configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): Promise<void> {
    await this.guard(response, async () => {
      this.sendResponse(response);
      const p = this.program;
      if (!p || this.started) return;
      this.started = true;
      await p.start(this.stopOnEntry);
    });
  }

  private newProgram(symbols: Symbols): Program {
    const exprs = new BreakpointExpressions(() => this.program);
    const p = new Program(symbols, {
      substitutePath: this.display.substitutePath,
      hideSystemGoroutines: this.display.hideSystemGoroutines,
      conditionEvaluator: (expr, id) => exprs.condition(expr, id),
      logFormatter: (message, id) => exprs.log(message, id),
    });
    this.program = p;
    this.view = new VariablesView(p, this.display);
    p.setExceptionFilters(this.exceptionFilters);
    p.on('output', (stream, text) => {
      this.sendEvent(new OutputEvent(text, stream === 'console' ? 'console' : stream));
    });
    p.on('stopped', (s) => this.onStopped(s));
    p.on('exited', (info) => {
      const code = info.code ?? (info.signal !== undefined ? 128 + info.signal : 0);
      this.console(`Process exited with ${info.signal !== undefined ? `signal ${info.signal}` : `code ${code}`}\n`);
      this.sendEvent(new ExitedEvent(code));
      this.sendTerminated();
    });
    return p;
  }

  /**
   * Asks the client to start the program in its terminal (so it can read stdin),
   * stopped before its first instruction by the same wrapper we use ourselves;
   * the wrapper tells us its pid through a file. Returns that pid.
   */
  private async startInTerminal(
    kind: 'integratedTerminal' | 'externalTerminal',
    binary: string,
    args: string[],
    env: Record<string, string | null>,
    cwd: string,
  ): Promise<number> {
    const dir = mkdtempSync(join(tmpdir(), 'go-debug-adapter-term-'));
    const pidFile = join(dir, 'pid');
    try {
      const reply = await new Promise<DebugProtocol.RunInTerminalResponse>((resolve) =>
        this.runInTerminalRequest(
          {
            kind: kind === 'externalTerminal' ? 'external' : 'integrated',
            title: basename(binary),
            cwd,
            args: ['/bin/sh', '-c', `echo $$ > '${pidFile}'; kill -STOP $$; exec "$0" "$@"`, binary, ...args],
            env,
          },
          15_000,
          resolve,
        ),
      );
      if (!reply.success) throw new UserError(ErrorCode.LaunchFailed, `The client could not start the program in a terminal: ${reply.message ?? 'no reason given'}`);
      for (let i = 0; i < 1000; i++) {
        if (existsSync(pidFile)) {
          const pid = Number(readFileSync(pidFile, 'utf8').trim());
          if (pid > 0) return pid;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new UserError(ErrorCode.LaunchFailed, 'The program started in the terminal did not report back within 10 seconds');
    } finally {
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000).unref();
    }
  }

  /** Runs `fn` inside a progress notification when the client shows them. */
  private async withProgress<T>(title: string, fn: () => Promise<T>): Promise<T> {
    if (!this.client.progress) return fn();
    const id = `go-debug-${++this.progressIds}`;
    this.sendEvent(new ProgressStartEvent(id, title));
    try {
      return await fn();
    } finally {
      this.sendEvent(new ProgressEndEvent(id));
    }
  }

  private sendProcessEvent(path: string, startMethod: 'launch' | 'attach'): void {
    const ev: DebugProtocol.ProcessEvent = {
      seq: 0,
      type: 'event',
      event: 'process',
      body: { name: path, systemProcessId: this.program?.pid, isLocalProcess: true, startMethod, pointerSize: 64 },
    };
    this.sendEvent(ev);
  }

  private onStopped(s: StopInfo): void {
    this.frames.reset();
    this.view?.reset();
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

  // ───────────────────────── breakpoints ─────────────────────────

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path;
    const specs: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const p = this.program;
    if (!p || !path || this.noDebug) {
      const why = this.noDebug ? 'Running without debugging' : p ? 'The breakpoint source has no path' : 'No program is being debugged';
      response.body = {
        breakpoints: specs.map(() => ({ verified: false, message: why })),
      };
      this.sendResponse(response);
      return;
    }
    const bps = p.breakpoints.setLineBreakpoints(
      path,
      specs.map((b) => ({ line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage })),
    );
    response.body = {
      breakpoints: bps.map((bp) => {
        const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.verified, source: { name: basename(path), path } };
        if (bp.line !== undefined) out.line = this.convertDebuggerLineToClient(bp.line);
        if (bp.message) out.message = bp.message;
        if (!bp.verified) out.reason = 'failed';
        return out;
      }),
    };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    const p = this.program;
    if (!p) {
      response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false, message: 'No program is being debugged' })) };
      this.sendResponse(response);
      return;
    }
    const bps = p.breakpoints.setFunctionBreakpoints(args.breakpoints);
    response.body = {
      breakpoints: bps.map((bp) => {
        const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.verified };
        if (bp.clientPath) out.source = { name: basename(bp.clientPath), path: bp.clientPath };
        if (bp.line !== undefined) out.line = this.convertDebuggerLineToClient(bp.line);
        if (bp.message) out.message = bp.message;
        if (!bp.verified) out.reason = 'failed';
        return out;
      }),
    };
    this.sendResponse(response);
  }

  protected override setInstructionBreakpointsRequest(
    response: DebugProtocol.SetInstructionBreakpointsResponse,
    args: DebugProtocol.SetInstructionBreakpointsArguments,
  ): void {
    const p = this.program;
    const specs = args.breakpoints.map((b) => ({
      address: parseAddress(b.instructionReference) + (b.offset ?? 0),
      condition: b.condition,
      hitCondition: b.hitCondition,
    }));
    const bps = p ? p.breakpoints.setInstructionBreakpoints(specs.filter((x) => Number.isFinite(x.address))) : [];
    response.body = {
      breakpoints: bps.map((bp) => {
        const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.verified, instructionReference: `0x${(bp.addrs[0] ?? 0).toString(16)}` };
        if (bp.clientPath) out.source = { name: basename(bp.clientPath), path: bp.clientPath };
        if (bp.line !== undefined) out.line = this.convertDebuggerLineToClient(bp.line);
        if (bp.message) out.message = bp.message;
        return out;
      }),
    };
    this.sendResponse(response);
  }

  // ───────────────────────── memory and code ─────────────────────────

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.guardSync(response, () => {
      const p = this.requireStopped();
      const addr = parseAddress(args.memoryReference) + (args.offset ?? 0);
      if (!Number.isFinite(addr)) throw new UserError(ErrorCode.InvalidArguments, `Not an address: ${args.memoryReference}`);
      const list = p.disassemble(addr, args.instructionOffset ?? 0, Math.min(args.instructionCount, 10_000));
      let lastFile: string | undefined;
      response.body = {
        instructions: list.map((i) => {
          const out: DebugProtocol.DisassembledInstruction = {
            address: `0x${i.address.toString(16)}`,
            instruction: i.text,
            instructionBytes: Buffer.from(i.bytes).toString('hex').replace(/(..)(?=.)/g, '$1 '),
          };
          if (i.invalid) out.presentationHint = 'invalid';
          if (i.symbol) out.symbol = i.symbol;
          if (i.file && i.line) {
            const path = p.paths.toClient(i.file);
            if (path !== lastFile) out.location = new Source(basename(path), path);
            lastFile = path;
            out.line = this.convertDebuggerLineToClient(i.line);
          }
          return out;
        }),
      };
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.guardSync(response, () => {
      const p = this.requireStopped();
      const addr = parseAddress(args.memoryReference) + (args.offset ?? 0);
      if (!Number.isFinite(addr) || addr < 0) throw new UserError(ErrorCode.InvalidArguments, `Not an address: ${args.memoryReference}`);
      const count = Math.max(0, Math.min(args.count, 16 << 20));
      const buf = new Uint8Array(count);
      const got = count === 0 ? 0 : Math.max(0, p.readInto(addr, buf));
      response.body = { address: `0x${addr.toString(16)}`, data: Buffer.from(buf.subarray(0, got)).toString('base64') };
      if (got < count) response.body.unreadableBytes = count - got;
    });
  }

  // ───────────────────────── execution ─────────────────────────

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.control(response, (p) => p.continue());
    response.body = { allThreadsContinued: true };
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.control(response, (p) => (args.granularity === 'instruction' ? p.stepInstruction(args.threadId) : p.next(args.threadId)));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.control(response, (p) => (args.granularity === 'instruction' ? p.stepInstruction(args.threadId) : p.stepIn(args.threadId)));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.control(response, (p) => p.stepOut(args.threadId));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    const p = this.program;
    if (p?.running) p.pause();
    this.sendResponse(response);
  }

  /** Runs a resume-type command: responds first, the stop comes later as an event. */
  private control(response: DebugProtocol.Response, fn: (p: Program) => void): void {
    const p = this.program;
    if (!p || p.exited) return this.fail(response, new UserError(ErrorCode.NoProgram, 'The program is not running'));
    if (p.running) return this.fail(response, new UserError(ErrorCode.ProgramRunning, 'The program is already running'));
    try {
      fn(p);
    } catch (e) {
      return this.fail(response, e);
    }
    this.frames.reset();
    this.view?.reset();
    this.sendResponse(response);
  }

  // ───────────────────────── inspection ─────────────────────────

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const p = this.program;
    let threads: DebugProtocol.Thread[] = [];
    try {
      if (p && !p.exited && !p.running) threads = p.threads().map((t) => new Thread(t.id, t.name));
      else if (p && p.running) threads = [new Thread(p.currentThread || p.pid || 1, 'running')];
    } catch (e) {
      this.console(`threads: ${(e as Error).message}\n`);
    }
    response.body = { threads: threads.length ? threads : [new Thread(p?.currentThread || p?.pid || 1, 'main')] };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    const wanted = [...(args.filters ?? []), ...(args.filterOptions ?? []).map((f) => f.filterId)];
    const kinds = wanted.filter((f): f is 'panic' | 'fatal' => f === 'panic' || f === 'fatal');
    this.exceptionFilters = kinds;
    this.program?.setExceptionFilters(kinds);
    response.body = { breakpoints: wanted.map((f) => ({ verified: f === 'panic' || f === 'fatal' })) };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    const e = this.program?.exception;
    if (!e) {
      this.sendErrorResponse(response, { id: ErrorCode.NoProgram, format: `Thread ${args.threadId} is not stopped at an exception`, showUser: false });
      return;
    }
    response.body = {
      exceptionId: e.id,
      description: e.description,
      breakMode: 'unhandled',
      details: { message: e.description, typeName: e.typeName },
    };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.guardSync(response, () => {
      const p = this.requireStopped();
      const all = p.stackTrace(args.threadId);
      const start = args.startFrame ?? 0;
      const levels = args.levels && args.levels > 0 ? args.levels : all.length;
      const slice = all.slice(start, start + levels);
      const frames = slice.map((f, k) => {
        const index = start + k;
        const id = this.frames.create({ tid: args.threadId, index });
        const path = f.file ? p.paths.toClient(f.file) : undefined;
        const source = path && f.line ? new Source(basename(path), path) : undefined;
        if (source && f.isRuntime) (source as DebugProtocol.Source).presentationHint = 'deemphasize';
        const sf = new StackFrame(id, f.funcName, source, f.line ? this.convertDebuggerLineToClient(f.line) : 0, 1) as DebugProtocol.StackFrame;
        sf.instructionPointerReference = `0x${f.pc.toString(16)}`;
        if (f.isRuntime || !source) sf.presentationHint = 'subtle';
        return sf;
      });
      response.body = { stackFrames: frames, totalFrames: all.length };
    });
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.guardSync(response, () => {
      const ref = this.frame(args.frameId);
      this.requireStopped();
      response.body = { scopes: this.view!.scopes(ref.tid, ref.index) };
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.guardSync(response, () => {
      if (!this.view || this.program?.running || this.program?.exited) {
        response.body = { variables: [] };
        return;
      }
      response.body = { variables: this.view.variables(args) };
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.guardSync(response, () => {
      this.requireStopped();
      const frame = args.frameId !== undefined ? this.frame(args.frameId) : undefined;
      response.body = this.view!.evaluate(args, frame);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.guardSync(response, () => {
      this.requireStopped();
      response.body = this.view!.setVariable(args);
    });
  }

  // ───────────────────────── ending ─────────────────────────

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    const p = this.program;
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
      this.console(`disconnect: ${(e as Error).message}\n`);
    }
    this.cleanupBinary?.();
    this.cleanupBinary = undefined;
    this.sendResponse(response);
    // Ends the process in stdio mode (a no-op for TCP server and inline sessions).
    this.shutdown();
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    const p = this.program;
    try {
      if (p && !p.exited) await p.terminate();
    } catch (e) {
      this.console(`terminate: ${(e as Error).message}\n`);
    }
    this.sendResponse(response);
    if (p && !p.launched) this.sendTerminated();
  }

  /**
   * The connection went away (a TCP client that dropped, an inline session torn
   * down) without a disconnect: end what we started, let go of what we attached to.
   */
  override dispose(): void {
    const p = this.program;
    if (p && !p.exited) {
      try {
        if (p.launched) void p.terminate();
        else p.detach();
      } catch {
        /* already gone */
      }
    }
    this.cleanupBinary?.();
    this.cleanupBinary = undefined;
    super.dispose();
  }

  // ───────────────────────── helpers ─────────────────────────

  private frame(id: number): FrameRef {
    const f = this.frames.get(id);
    if (!f) throw new UserError(ErrorCode.UnknownFrame, `Unknown frame id ${id} (the program has resumed since)`);
    return f;
  }

  private requireStopped(): Program {
    const p = this.program;
    if (!p || p.exited) throw new UserError(ErrorCode.NoProgram, 'The program is not running');
    if (p.running) throw new UserError(ErrorCode.ProgramRunning, 'The program is running: pause it first');
    return p;
  }

  override sendResponse(response: DebugProtocol.Response): void {
    if (this.display.showLog) this.log(`← ${response.command} ${response.success ? 'ok' : `failed: ${response.message}`}`);
    super.sendResponse(response);
  }

  private log(line: string): void {
    this.sendEvent(new OutputEvent(`[go-debug-adapter] ${line}\n`, 'console'));
  }

  private console(text: string): void {
    this.sendEvent(new OutputEvent(text, 'console'));
  }

  private fail(response: DebugProtocol.Response, e: unknown): void {
    if (e instanceof UserError) {
      this.sendErrorResponse(response, { id: e.code, format: e.message, showUser: true });
      return;
    }
    const err = e as Error;
    this.sendErrorResponse(response, { id: ErrorCode.Internal, format: `Error processing ${response.command}: ${err?.message ?? String(e)}`, showUser: true });
    this.console(`internal error in ${response.command}: ${err?.stack ?? String(e)}\n`);
  }

  private async guard(response: DebugProtocol.Response, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.fail(response, e);
    }
  }

  private guardSync(response: DebugProtocol.Response, fn: () => void): void {
    try {
      fn();
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e);
    }
  }
}

function openSymbols(path: string): Symbols {
  try {
    return Symbols.open(path);
  } catch (e) {
    if (e instanceof BinaryError) {
      const how = 'build it with `go build -gcflags=all=-N -l` (and without -ldflags=-s)';
      throw new UserError(ErrorCode.NotGoBinary, `${path} cannot be debugged: ${e.detail}. ${e.kind === 'notGo' ? how : ''}`.trim());
    }
    if (e instanceof DecodeError) throw new UserError(ErrorCode.NotGoBinary, `${path} cannot be debugged: ${e.message}`);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(ErrorCode.NotGoBinary, `${path} does not exist`);
    throw e;
  }
}

/** A memory reference as we hand them out ("0x…"), or decimal. NaN when not an address. */
function parseAddress(ref: string): number {
  const t = ref.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(v) ? v : NaN;
}

function mergeEnv(base: NodeJS.ProcessEnv, add: Record<string, string | null>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(add)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}
