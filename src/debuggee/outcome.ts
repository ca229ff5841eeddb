/**
 * How a run of the program ended, as the execution commands see it: a stop
 * (with the breakpoint hit that caused it, when one did) or the program's exit.
 */
import type { StopReason } from '../process/process.js';
import type { UserBreakpoint } from './breakpoints/userBreakpoints.js';
import type { ExceptionSite } from './exceptions.js';

/** A breakpoint hit that stopped the program. */
export interface Hit {
  tid: number;
  addr: number;
  /** A temporary breakpoint of the running step was reached by its goroutine and frame. */
  stepHit: boolean;
  /** User breakpoints that want the stop (conditions and hit counts already applied). */
  bps: UserBreakpoint[];
  exception?: ExceptionSite;
  /** The program's own int3 (runtime.Breakpoint): what the stop says it was. */
  hardcoded?: string;
  /** A data breakpoint stop: the breakpoints and what was accessed (old and new value). */
  data?: { ids: number[]; description: string };
}

export type Outcome = { kind: 'stop'; stop: StopReason; hit?: Hit } | { kind: 'exited' };

/** The stop of a step that completed on thread `tid` without a breakpoint (single-stepping ended it). */
export function stepDone(tid: number): Outcome {
  return { kind: 'stop', stop: { kind: 'breakpoint', tid, addr: -1 }, hit: { tid, addr: -1, stepHit: true, bps: [] } };
}
