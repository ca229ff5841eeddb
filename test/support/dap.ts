/**
 * Small helpers for end-to-end DAP tests: drive the real adapter through
 * DebugClient the way an editor does, and render stacks as text.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export interface SourceBps {
  path: string;
  lines: number[];
}

/**
 * initialize → launch (or attach) → initialized → setBreakpoints… → configurationDone,
 * collecting output from the start. Resolves with the setBreakpoints responses.
 */
export async function configure(
  dc: DebugClient,
  request: 'launch' | 'attach',
  args: Record<string, unknown>,
  bps: SourceBps[] = [],
  functionBps: string[] = [],
): Promise<DebugProtocol.Breakpoint[][]> {
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await (request === 'launch'
    ? dc.launchRequest(args as DebugProtocol.LaunchRequestArguments)
    : dc.attachRequest(args as DebugProtocol.AttachRequestArguments));
  await initialized;
  const results: DebugProtocol.Breakpoint[][] = [];
  for (const b of bps) {
    const r = await dc.setBreakpointsRequest({ source: { path: b.path }, breakpoints: b.lines.map((line) => ({ line })) });
    results.push(r.body.breakpoints);
  }
  if (functionBps.length) {
    const r = await dc.setFunctionBreakpointsRequest({ breakpoints: functionBps.map((name) => ({ name })) });
    results.push(r.body.breakpoints);
  }
  await dc.configurationDoneRequest();
  return results;
}

/** Collects output events by category. */
export function collectOutput(dc: DebugClient): { stdout: () => string; stderr: () => string; console: () => string } {
  const out: Record<string, string> = { stdout: '', stderr: '', console: '' };
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    const c = e.body.category ?? 'console';
    out[c] = (out[c] ?? '') + e.body.output;
  });
  return { stdout: () => out.stdout!, stderr: () => out.stderr!, console: () => out.console! };
}

export async function waitStopped(dc: DebugClient, timeout = 30_000): Promise<DebugProtocol.StoppedEvent> {
  return (await dc.waitForEvent('stopped', timeout)) as DebugProtocol.StoppedEvent;
}

/** Sends a stepping/continue request and waits for the next stop. */
export async function stepAndWait(
  dc: DebugClient,
  command: 'next' | 'stepIn' | 'stepOut' | 'continue',
  threadId: number,
  extra: Record<string, unknown> = {},
): Promise<DebugProtocol.StoppedEvent> {
  const stopped = waitStopped(dc);
  await dc.send(command, { threadId, ...extra });
  return stopped;
}

export interface FrameText {
  name: string;
  file?: string;
  line: number;
}

export async function frames(dc: DebugClient, threadId: number, levels?: number): Promise<FrameText[]> {
  const r = await dc.stackTraceRequest({ threadId, startFrame: 0, levels });
  return r.body.stackFrames.map((f) => ({ name: f.name, file: f.source?.path, line: f.line }));
}

/** "main.fib main.go:13" style rendering of the top frames. */
export function render(fs: FrameText[], n = fs.length): string[] {
  return fs.slice(0, n).map((f) => `${f.name} ${f.file ? f.file.slice(f.file.lastIndexOf('/') + 1) : '?'}:${f.line}`);
}

/** Waits for exited + terminated, returning the exit code. */
export async function waitExit(dc: DebugClient, timeout = 30_000): Promise<number> {
  const [ex] = await Promise.all([dc.waitForEvent('exited', timeout), dc.waitForEvent('terminated', timeout)]);
  return (ex as DebugProtocol.ExitedEvent).body.exitCode;
}

/** The thread id of a stopped event (always present in our adapter's events). */
export function tidOf(ev: DebugProtocol.StoppedEvent): number {
  if (ev.body.threadId === undefined) throw new Error(`stopped event without threadId: ${JSON.stringify(ev.body)}`);
  return ev.body.threadId;
}

/** The error message of an `evaluate` that must fail (the test fails if it answers). */
export async function evaluateRefusal(dc: DebugClient, frameId: number, expression: string, context = 'repl'): Promise<string> {
  try {
    await dc.evaluateRequest({ expression, frameId, context });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${expression} evaluated`);
}
