/**
 * What the user breakpoints at one hit decide, in order per breakpoint: its
 * condition, its hit count and hit condition, then a logpoint prints its
 * message instead of stopping. Runs on the hit path, synchronously.
 *
 * A condition that fails to evaluate (a name not in scope here, a nil
 * dereference) stops once, whatever the hit condition or logpoint, with a
 * stop description naming the breakpoint, the condition and the error; later
 * hits of that breakpoint failing with the same message go on without a stop
 * (the first message says so). A different failure stops again.
 */
import { hitConditionHolds } from './hitCondition.js';
import type { UserBreakpoint } from './userBreakpoints.js';

export interface HitHooks {
  /** Evaluates a condition for thread id `id`; throws on error. Without it every condition holds. */
  conditionEvaluator?: (expr: string, id: number) => boolean;
  /** Interpolates a logpoint message; without it the message is printed as written. */
  logFormatter?: (message: string, id: number) => string;
  /** Prints a console line (the text ends with a newline). */
  console(text: string): void;
}

/**
 * The breakpoints of `bps` that want a stop. `idOf` gives the hitting thread's
 * id as the user sees it (looked up only when needed); `mayStop` false counts
 * and logs the hit but stops for none (another goroutine's hit during a step).
 */
export function stoppingBreakpoints(bps: UserBreakpoint[], idOf: () => number, hooks: HitHooks, mayStop: boolean): UserBreakpoint[] {
  const stopping: UserBreakpoint[] = [];
  for (const bp of bps) {
    bp.stopNote = undefined;
    if (bp.condition) {
      const c = conditionHolds(bp, idOf, hooks, mayStop);
      if (c === 'broken') {
        stopping.push(bp);
        continue;
      }
      if (!c) continue;
    }
    bp.hits++;
    if (bp.hitCondition && !hitConditionHolds(bp.hitCondition, bp.hits)) continue;
    if (bp.logMessage !== undefined) {
      hooks.console(`${formatLog(bp.logMessage, idOf, hooks)}\n`);
      continue;
    }
    if (mayStop) stopping.push(bp);
  }
  return stopping;
}

/**
 * The condition's value, or 'broken' for its first failure (of this kind) to
 * evaluate. A failure where no stop may happen is not recorded, so the first
 * failure the user can see still stops.
 */
function conditionHolds(bp: UserBreakpoint, idOf: () => number, hooks: HitHooks, mayStop: boolean): boolean | 'broken' {
  const ev = hooks.conditionEvaluator;
  if (!ev) return true;
  try {
    return ev(bp.condition!, idOf());
  } catch (e) {
    const why = (e as Error).message;
    if (bp.conditionFailure === why || !mayStop) return false;
    bp.conditionFailure = why;
    bp.stopNote = conditionFailureNote(bp, why);
    hooks.console(`${bp.stopNote}\n`);
    return 'broken';
  }
}

/** The stop description for the first failure of a breakpoint's condition. */
export function conditionFailureNote(bp: UserBreakpoint, why: string): string {
  return `Breakpoint ${bp.id}: condition "${bp.condition}" failed: ${why}. Stopped once; later hits where it fails the same way will not stop.`;
}

/** What a stop for these breakpoints should say beyond "breakpoint": their condition failures, if any. */
export function stopNotes(bps: readonly UserBreakpoint[]): string | undefined {
  const notes = bps.map((b) => b.stopNote).filter((n): n is string => !!n);
  return notes.length ? notes.join('\n') : undefined;
}

function formatLog(message: string, idOf: () => number, hooks: HitHooks): string {
  try {
    return hooks.logFormatter ? hooks.logFormatter(message, idOf()) : message;
  } catch (e) {
    return `${message} (error: ${(e as Error).message})`;
  }
}
