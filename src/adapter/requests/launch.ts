/**
 * launch (build if asked, load symbols, start the program, possibly in the
 * client's terminal through runInTerminal) and attach.
 */
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InitializedEvent, ProgressEndEvent, ProgressStartEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BuildCancelled, BuildError, buildProgram } from '../../debuggee/build.js';
import { loadSymbols } from '../../debuggee/loadSymbols.js';
import { ptraceStarter, STOP_BEFORE_EXEC } from '../../debuggee/processStarter.js';
import { isOptimised, OPTIMISED_NOTE } from '../../debuggee/stack/optimisedCode.js';
import { UserError, userErrors } from '../../util/userErrors.js';
import type { Program } from '../../debuggee/program.js';
import type { DebuggeeProcess } from '../../process/process.js';
import { type NormalizedLaunchArguments, validateAttachArguments, validateLaunchArguments } from '../launchConfig.js';
import type { RequestContext } from './context.js';

export async function launch(ctx: RequestContext, raw: DebugProtocol.LaunchRequestArguments): Promise<void> {
  const args = launchArguments(raw);
  const s = ctx.state;
  s.launchArgs = args;
  s.display = args;
  s.stopOnEntry = args.stopOnEntry;
  const env = mergeEnv(process.env, args.env);
  const { binary, cleanup } = await binaryFor(ctx, args, env);
  s.cleanupBinary = cleanup;
  const symbols = await withProgress(ctx, `Loading ${basename(binary)}`, async () => loadSymbols(binary));
  if (args.mode === 'core') openCore(ctx, binary, args.coreFilePath!, ctx.newProgram(symbols));
  else {
    // Before the session has a program: a launch that fails here leaves it free for the next one.
    requireExecutable(binary);
    const started = startEarly(ctx, args, env, binary);
    let program: Program;
    try {
      program = ctx.newProgram(symbols);
    } catch (e) {
      void started?.then((p) => p.kill()).catch(() => {});
      throw e;
    }
    await startProgram(ctx, args, env, binary, program, started);
  }
  ctx.afterResponse(() => ctx.sendEvent(new InitializedEvent()));
}

/** The launch arguments, validated (an InvalidArguments error says what to change). */
export function launchArguments(raw: unknown): NormalizedLaunchArguments {
  const v = validateLaunchArguments(raw);
  if (!v.ok) throw userErrors.invalidArguments(v.error);
  return v.args;
}

/** The binary to debug: `program` itself in exec mode, else what `go build` / `go test -c` made of it (its output in the console). */
export async function binaryFor(
  ctx: RequestContext,
  args: NormalizedLaunchArguments,
  env: Record<string, string>,
): Promise<{ binary: string; cleanup?: () => void }> {
  if (args.mode === 'exec' || args.mode === 'core') return { binary: args.program };
  ctx.console(`Building ${args.program} …\n`);
  try {
    const built = await withProgress(
      ctx,
      `Building ${basename(args.program)}`,
      () =>
        buildProgram({
          mode: args.mode as 'debug' | 'test',
          program: args.program,
          programIsDirectory: args.programIsDirectory,
          buildFlags: args.buildFlags,
          output: args.output,
          env,
          onOutput: (t) => ctx.console(t),
          signal: ctx.signal,
        }),
      true,
    );
    return { binary: built.binary, cleanup: built.cleanup };
  } catch (e) {
    if (e instanceof BuildCancelled) {
      ctx.console('The build was cancelled.\n');
      throw userErrors.cancelled();
    }
    if (e instanceof BuildError) throw userErrors.buildFailed(e.message);
    throw e;
  }
}

/** Opens a core file of `binary`: the program is stopped for good where the core was made. */
function openCore(ctx: RequestContext, binary: string, core: string, program: Program): void {
  try {
    program.openCore(core, binary);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw userErrors.launchFailed(`Could not open the core file ${core}: ${(e as Error).message}`);
  }
  ctx.console(`Opened the core file ${core} of ${binary}: ${CORE_NOTE}\n`);
}

const CORE_NOTE = 'threads, stacks, variables and memory are as they were; the program cannot run, step or change.';

/**
 * The program started by us (not in the client's terminal) before its Program is made: the
 * wrapper shell starts and reaches its stop (a few ms) while the Program is made, instead of
 * after. Its failure is answered where it is awaited, in startProgram.
 */
function startEarly(ctx: RequestContext, args: NormalizedLaunchArguments, env: Record<string, string>, binary: string): Promise<DebuggeeProcess> | undefined {
  if (args.console !== 'internalConsole' && ctx.state.client.runInTerminal) return undefined;
  const started = ptraceStarter.launch({ program: binary, args: args.args, env, cwd: args.cwd });
  started.catch(() => {});
  return started;
}

/**
 * Starts `binary` under `program` (in the client's terminal when asked), stopped before its
 * first instruction; or binds the process `started` began for it (startEarly).
 */
export async function startProgram(
  ctx: RequestContext,
  args: NormalizedLaunchArguments,
  env: Record<string, string>,
  binary: string,
  program: Program,
  started?: Promise<DebuggeeProcess>,
): Promise<void> {
  const s = ctx.state;
  if (args.noDebug) program.setExceptionFilters([]);
  s.noDebug = args.noDebug;
  try {
    if (args.console !== 'internalConsole' && s.client.runInTerminal) {
      await program.seize(await startInTerminal(ctx, args.console, binary, args.args, args.env, args.cwd));
    } else {
      if (args.console !== 'internalConsole') {
        ctx.console(
          `This client cannot run programs in a terminal ("console": "${args.console}"): the program's output goes to the debug console and it reads no input.\n`,
        );
      }
      await program.launch({ program: binary, args: args.args, env, cwd: args.cwd }, started);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw userErrors.launchFailed(`Could not start ${binary}: ${(e as Error).message}`);
  }
  // Inflated on the thread pool while the program was being started (symbols.ts): not twice.
  await program.symbols.dwarfLoaded?.();
  if (isOptimised(program.symbols)) ctx.console(OPTIMISED_NOTE);
  sendProcessEvent(ctx, binary, 'launch');
}

export async function attach(ctx: RequestContext, raw: DebugProtocol.AttachRequestArguments): Promise<void> {
  const v = validateAttachArguments(raw);
  if (!v.ok) throw userErrors.invalidArguments(v.error);
  const { processId } = v.args;
  ctx.state.display = v.args;
  let exe: string;
  try {
    exe = readlinkSync(`/proc/${processId}/exe`);
  } catch {
    throw userErrors.attachFailed(`No process with id ${processId} (or no permission to inspect it)`);
  }
  const symbols = loadSymbols(exe);
  const program = ctx.newProgram(symbols);
  try {
    program.attach(processId);
  } catch (e) {
    throw userErrors.attachFailed(
      `Could not attach to process ${processId}: ${(e as Error).message}. Attaching needs the same user and ptrace permission (see /proc/sys/kernel/yama/ptrace_scope).`,
    );
  }
  await symbols.dwarfLoaded();
  if (isOptimised(symbols)) ctx.console(OPTIMISED_NOTE);
  sendProcessEvent(ctx, exe, 'attach');
  ctx.afterResponse(() => ctx.sendEvent(new InitializedEvent()));
}

/**
 * Asks the client to start the program in its terminal (so it can read stdin),
 * stopped before its first instruction by the same wrapper we use ourselves;
 * the wrapper tells us its pid through a file. Returns that pid.
 */
async function startInTerminal(
  ctx: RequestContext,
  kind: 'integratedTerminal' | 'externalTerminal',
  binary: string,
  args: string[],
  env: Record<string, string | null>,
  cwd: string,
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'go-debug-adapter-term-'));
  const pidFile = join(dir, 'pid');
  try {
    const reply = await ctx.runInTerminal(
      {
        kind: kind === 'externalTerminal' ? 'external' : 'integrated',
        title: basename(binary),
        cwd,
        args: ['/bin/sh', '-c', `echo $$ > '${pidFile}'; ${STOP_BEFORE_EXEC}`, binary, ...args],
        env,
      },
      15_000,
    );
    if (!reply.success) throw userErrors.launchFailed(`The client could not start the program in a terminal: ${reply.message ?? 'no reason given'}`);
    for (let i = 0; i < 1000; i++) {
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        if (pid > 0) return pid;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw userErrors.launchFailed('The program started in the terminal did not report back within 10 seconds');
  } finally {
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000).unref();
  }
}

/** Runs `fn` inside a progress notification when the client shows them. */
async function withProgress<T>(ctx: RequestContext, title: string, fn: () => Promise<T>, cancellable = false): Promise<T> {
  if (!ctx.state.client.progress) return fn();
  const id = `go-debug-${++ctx.state.progressIds}`;
  const start = new ProgressStartEvent(id, title) as DebugProtocol.ProgressStartEvent;
  let release: (() => void) | undefined;
  if (cancellable) {
    start.body.cancellable = true;
    release = ctx.cancellableProgress(id);
  }
  ctx.sendEvent(start);
  try {
    return await fn();
  } finally {
    release?.();
    ctx.sendEvent(new ProgressEndEvent(id));
  }
}

function sendProcessEvent(ctx: RequestContext, path: string, startMethod: 'launch' | 'attach'): void {
  const ev: DebugProtocol.ProcessEvent = {
    seq: 0,
    type: 'event',
    event: 'process',
    body: { name: path, systemProcessId: ctx.state.program?.pid, isLocalProcess: true, startMethod, pointerSize: 64 },
  };
  ctx.sendEvent(ev);
}

/** A program without execute permission would fail in exec with code 126: say why before starting it. */
export function requireExecutable(binary: string): void {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw userErrors.launchFailed(`${binary} is not executable: make it so with chmod +x, or rebuild it`);
  }
}

export function mergeEnv(base: NodeJS.ProcessEnv, add: Record<string, string | null>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(add)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}
