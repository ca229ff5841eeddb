/**
 * What the user breakpoints at one hit decide, in order per breakpoint: its
 * condition (a broken one stops, with the reason in the console), its hit
 * count and hit condition, then a logpoint prints its message instead of
 * stopping. Runs on the hit path, synchronously.
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
    if (bp.condition && !conditionHolds(bp, idOf, hooks)) continue;
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

function conditionHolds(bp: UserBreakpoint, idOf: () => number, hooks: HitHooks): boolean {
  const ev = hooks.conditionEvaluator;
  if (!ev) return true;
  try {
    return ev(bp.condition!, idOf());
  } catch (e) {
    // A broken condition stops, with the reason shown, rather than being silently ignored.
    hooks.console(`breakpoint ${bp.id}: condition "${bp.condition}" failed: ${(e as Error).message}\n`);
    return true;
  }
}

function formatLog(message: string, idOf: () => number, hooks: HitHooks): string {
  try {
    return hooks.logFormatter ? hooks.logFormatter(message, idOf()) : message;
  } catch (e) {
    return `${message} (error: ${(e as Error).message})`;
  }
}
