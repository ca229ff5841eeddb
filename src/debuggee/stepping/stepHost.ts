/**
 * What the step commands need from the program they step: the stepped
 * goroutine's context, and a way to run until a step target is reached. Program
 * provides it; the commands (next.ts, stepIn.ts, stepOut.ts, instruction.ts)
 * hold only the stepping logic.
 */
import type { Outcome } from '../outcome.js';
import type { SymbolTable } from '../symbolTable.js';
import type { StepContext } from './stepContext.js';
import type { StackHi, StepTarget } from './stepTarget.js';

export interface StepHost {
  readonly symbols: SymbolTable;
  readonly stackHi: StackHi;
  /** The goroutine or thread `id` as a step starts from it (the program is stopped). */
  context(id: number): StepContext;
  /** Inserts the target's temporary breakpoints, resumes, waits for a stop, removes them; `tid` steps off the int3 it sits on first. */
  runToTarget(t: StepTarget, tid?: number): Promise<Outcome>;
  /** Resumes every thread and waits for the next stop or the exit. */
  resumeAndWait(): Promise<Outcome>;
  /** Forgets what was read from the process (before it changes). */
  invalidate(): void;
  /** Writes a line to the debug console (a step that ends where the user may not expect it says why). */
  note?(text: string): void;
}

/** A step planned as a target of temporary breakpoints; without a plan the program simply continues. */
export async function lineStep(host: StepHost, id: number, plan: (ctx: StepContext) => StepTarget | undefined): Promise<Outcome> {
  const ctx = host.context(id);
  const t = plan(ctx);
  if (!t) return host.resumeAndWait();
  const o = await host.runToTarget(t, ctx.tid);
  if (t.endNote && o.kind === 'stop' && o.hit?.stepHit && o.hit.addr === t.returnAddr) host.note?.(t.endNote);
  return o;
}
