/**
 * DAP sequences shared by the workloads, sent identically to both adapters, in the
 * order VS Code sends them.
 */
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapClient, TimedEvent } from './dapClient.js';

/** Timeouts (ms). Generous: the large binary takes seconds to load in Delve. */
export const T = {
  launch: 120_000,
  request: 60_000,
  run: 300_000,
  /** For `initialized` once the launch response has arrived. */
  afterLaunch: 10_000,
};

export interface BreakpointSpec {
  line: number;
  condition?: string;
}

export interface FirstStop {
  capabilities: DebugProtocol.Capabilities;
  /** initialize response parsed. */
  initializedAt: number;
  /** launch written (right after the initialize response): launch timings start here. */
  launchSentAt: number;
  /** The first stopped event. */
  stopped: TimedEvent<DebugProtocol.StoppedEvent['body']>;
  threadId: number;
}

/**
 * initialize → launch (exec mode) → `initialized` → setBreakpoints → configurationDone
 * → launch response → `stopped`. Fails on an error response, a timeout, an unverified
 * breakpoint, or the program ending before it stops.
 */
export async function launchToStop(
  c: DapClient,
  program: string,
  source: string,
  bps: BreakpointSpec[],
  launchArgs: Record<string, unknown> = {},
): Promise<FirstStop> {
  const from = c.mark();
  const init = await c.request<DebugProtocol.Capabilities>(
    'initialize',
    {
      clientID: 'vscode',
      clientName: 'go-debug-adapter bench',
      adapterID: 'go',
      locale: 'en',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
      supportsVariableType: true,
      supportsVariablePaging: true,
      supportsRunInTerminalRequest: false,
      supportsProgressReporting: false,
      supportsInvalidatedEvent: false,
      supportsMemoryReferences: true,
    } satisfies DebugProtocol.InitializeRequestArguments,
    T.request,
  );
  const capabilities = init.body ?? {};
  if (bps.some((b) => b.condition) && !capabilities.supportsConditionalBreakpoints) {
    throw new Error('missing capability supportsConditionalBreakpoints');
  }
  const launched = c.request('launch', { name: 'bench', type: 'go', request: 'launch', mode: 'exec', program, stopOnEntry: false, ...launchArgs }, T.launch);
  // `initialized` may come before or after the launch response; once the response is
  // in, it must follow promptly (an adapter that never sends it fails fast).
  const initialized = c.waitEvent('initialized', { from, timeoutMs: T.launch });
  const afterLaunch = launched.then(() => c.waitEvent('initialized', { from, timeoutMs: T.afterLaunch }));
  initialized.catch(() => {});
  afterLaunch.catch(() => {});
  await Promise.race([initialized, afterLaunch]);
  const set = await c.request<DebugProtocol.SetBreakpointsResponse['body']>(
    'setBreakpoints',
    { source: { path: source }, breakpoints: bps.map((b) => ({ line: b.line, condition: b.condition })), lines: bps.map((b) => b.line) },
    T.request,
  );
  const unverified = (set.body?.breakpoints ?? []).filter((b) => !b.verified);
  if ((set.body?.breakpoints ?? []).length !== bps.length || unverified.length > 0) {
    throw new Error(`breakpoint not verified: ${JSON.stringify(set.body?.breakpoints)}`);
  }
  await c.request('configurationDone', {}, T.request);
  const { sentAt: launchSentAt } = await launched;
  const stopped = await c.waitEvent<DebugProtocol.StoppedEvent['body']>('stopped', { from, timeoutMs: T.run });
  const threadId = stopped.body?.threadId;
  if (typeof threadId !== 'number') throw new Error(`stopped event without threadId: ${JSON.stringify(stopped.body)}`);
  return { capabilities, initializedAt: init.at, launchSentAt, stopped, threadId };
}

/** Sends a resuming request and resolves with the stopped event it leads to, timed from the send. */
export async function resumeToStop(
  c: DapClient,
  command: 'continue' | 'next' | 'stepIn' | 'stepOut',
  threadId: number,
  timeoutMs = T.run,
): Promise<{ sentAt: number; stopped: TimedEvent; ms: number }> {
  const from = c.mark();
  const res = c.request(command, { threadId }, T.request);
  const stopped = await c.waitEvent('stopped', { from, timeoutMs });
  const { sentAt } = await res;
  return { sentAt, stopped, ms: stopped.at - sentAt };
}

export async function stackTrace(c: DapClient, threadId: number, levels: number): Promise<DebugProtocol.StackFrame[]> {
  const r = await c.request<DebugProtocol.StackTraceResponse['body']>('stackTrace', { threadId, startFrame: 0, levels }, T.request);
  return r.body?.stackFrames ?? [];
}

/** Fails unless the top frame of `threadId` is at `line` of a file named like `source`. */
export async function expectTopLine(c: DapClient, threadId: number, source: string, line: number): Promise<DebugProtocol.StackFrame> {
  const [top] = await stackTrace(c, threadId, 1);
  if (!top) throw new Error('empty stack trace');
  const base = source.split('/').pop()!;
  if (top.line !== line || !(top.source?.path ?? top.source?.name ?? '').endsWith(base)) {
    throw new Error(`stopped at ${top.source?.path ?? top.source?.name}:${top.line} (${top.name}), expected ${base}:${line}`);
  }
  return top;
}

/** The locals scope of a scopes response: named "Locals"/"Local", or hinted `locals`, else the first. */
export function localsScope(scopes: DebugProtocol.Scope[]): DebugProtocol.Scope {
  const s = scopes.find((x) => /^locals?$/i.test(x.name)) ?? scopes.find((x) => x.presentationHint === 'locals') ?? scopes[0];
  if (!s) throw new Error('no scopes');
  return s;
}

/** The variables of the locals scope of frame `frameId`. */
export async function locals(c: DapClient, frameId: number): Promise<DebugProtocol.Variable[]> {
  const scopes = await c.request<DebugProtocol.ScopesResponse['body']>('scopes', { frameId }, T.request);
  const scope = localsScope(scopes.body?.scopes ?? []);
  const vars = await c.request<DebugProtocol.VariablesResponse['body']>('variables', { variablesReference: scope.variablesReference }, T.request);
  return vars.body?.variables ?? [];
}

export function findVar(vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable {
  const v = vars.find((x) => x.name === name);
  if (!v) throw new Error(`no variable "${name}" among ${vars.map((x) => x.name).join(', ') || 'none'}`);
  return v;
}
