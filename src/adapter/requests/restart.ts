/**
 * restart: the same session runs the program again. In debug and test mode it
 * is rebuilt first (a failed build answers why and leaves the running program
 * as it was); exec mode loads the binary again. The old program ends without
 * an `exited` or `terminated` event, every breakpoint is made again in the new
 * one with the same id, and the new program starts as after configurationDone.
 * An attached process cannot be restarted: we did not start it.
 */
import { ContinuedEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { UserBreakpoint } from '../../debuggee/breakpoints/userBreakpoints.js';
import { loadSymbols } from '../../debuggee/loadSymbols.js';
import { userErrors } from '../../util/userErrors.js';
import { toDapBreakpoint } from './breakpoints.js';
import type { RequestContext } from './context.js';
import { binaryFor, launchArguments, mergeEnv, requireExecutable, startProgram } from './launch.js';

export async function restart(ctx: RequestContext, raw: DebugProtocol.RestartArguments | undefined): Promise<void> {
  const s = ctx.state;
  const old = s.program;
  if (!old || !s.launchArgs) throw userErrors.cannotRestart('there is no launched program (an attached process cannot be restarted: we did not start it)');
  if (old.cannotRun) throw userErrors.cannotRestart(old.cannotRun);
  if (!s.started) throw userErrors.cannotRestart('the program has not started yet (configurationDone comes first)');
  const given = raw?.arguments;
  const args = given && Object.keys(given).length > 0 ? launchArguments(given) : s.launchArgs;
  if (args.noDebug !== s.noDebug) throw userErrors.cannotRestart('a restart cannot switch between debugging and running without debugging');
  const env = mergeEnv(process.env, args.env);
  // Built (and loaded) before the old program ends: a failed build leaves it as it was.
  const { binary, cleanup } = await binaryFor(ctx, args, env);
  let symbols: ReturnType<typeof loadSymbols>;
  try {
    requireExecutable(binary);
    symbols = loadSymbols(binary);
  } catch (e) {
    cleanup?.();
    throw e;
  }

  old.removeAllListeners('exited');
  old.removeAllListeners('stopped');
  try {
    await old.terminate();
  } catch (e) {
    ctx.console(`restart: ending the previous run: ${(e as Error).message}\n`);
  }
  // The old stop is over (goroutine 1 stands for all of them): editors clear its call stack.
  ctx.sendEvent(new ContinuedEvent(1, true));
  s.cleanup();
  s.cleanupBinary = cleanup;
  s.launchArgs = args;
  s.display = args;
  s.stopOnEntry = args.stopOnEntry;
  s.resetHandles();

  const before = new Map(old.breakpoints.all().map((b) => [b.id, b]));
  const program = ctx.newProgram(symbols);
  await startProgram(ctx, args, env, binary, program);
  const changed = program.breakpoints.restoreFrom(old.breakpoints).filter((b) => differs(before.get(b.id), b));
  ctx.console(`Restarted ${binary}\n`);
  ctx.afterResponse(() => {
    for (const b of changed) {
      const ev: DebugProtocol.BreakpointEvent = {
        seq: 0,
        type: 'event',
        event: 'breakpoint',
        body: { reason: 'changed', breakpoint: toDapBreakpoint(ctx, b) },
      };
      ctx.sendEvent(ev);
    }
    program.start(s.stopOnEntry);
  });
}

/** Whether the client's picture of a breakpoint changed with the new build (it moved, or binds no more, or binds now). */
function differs(a: UserBreakpoint | undefined, b: UserBreakpoint): boolean {
  return !a || a.verified !== b.verified || a.line !== b.line || a.message !== b.message || a.clientPath !== b.clientPath;
}
