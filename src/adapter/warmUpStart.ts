/**
 * When the next step of a warm-up (the Variables view's, and the request path's it takes turns
 * with) runs: only while the program runs, and then only once the event loop has been idle, so
 * the warm-ups take the idle time of the program's run to its stop and not the launch's CPU.
 *
 * From the launch request to the first stop the adapter's main thread is busy with the launch
 * itself (loading the debugger's code and koffi, the symbols, the spawn, setBreakpoints,
 * configurationDone, the program's new threads, the hit), with short idle pockets between (the
 * client's next request, the wrapper shell's exec, inflating on the thread pool). A step run at
 * every turn of the loop (setImmediate) ran between any two parts of that work: on launch.small
 * (a breakpoint in main of a small program) the warm-ups then took ~20 ms of the main thread
 * between the launch request and the stop. Here the first step runs only once the program has
 * been resumed (configurationDone: the launch's own work is done) and the loop has spent IDLE_MS
 * of the last POLL_MS waiting for events (Node's event loop utilization); the next ones, one per
 * turn of the loop (setImmediate) while the program still runs, so the warm-ups get the run's
 * time and not one step per timer tick (a program that stops 15 ms after configurationDone left
 * them a handful of steps: the first requests at its stop ran cold code). A stop that comes
 * during a step still waits for that step (a cold one takes a few ms, a warm one well under one).
 *
 * Every stop of a thread waits for the step under way too, and the program waits with it: a new
 * thread's, a signal's, not only a breakpoint's. A Go program starting up reports its first
 * threads in a burst (3–5 before main.main: sysmon, the GC's workers) and reaches a breakpoint
 * early in main a millisecond or two after the last; a step begun in between made that hit wait
 * (a 2 ms step just before launch.small's hit, seen in a timed run), as did a cold first step
 * begun as the program was resumed, before its first new thread. So a step starts only once the
 * program has been resumed and has reported no stop for QUIET_MS: the warm-ups take the
 * program's quiet stretches, and a program that reports stops without end (signals every few
 * ms) still leaves them most of its time.
 *
 * The warm-ups' garbage is collected as they go (idleScavenge.ts): a step's turn whose look finds
 * the young generation a quarter full or more makes V8 scavenge it instead, so that a stop finds
 * it nearly empty and its first requests do not pay for a scavenge of the warm-ups' garbage.
 */
import { performance } from 'node:perf_hooks';
import { emptyYoungGeneration } from '../util/idleScavenge.js';

/** How often it looks whether the loop was idle. */
const POLL_MS = 1;
/** Idle time, of the last look's POLL_MS, that lets a step run. */
const IDLE_MS = 0.5;

/** How long the program must have reported no stop of a thread before a step starts. */
const QUIET_MS = 2;

/** How long it waits for the program to be resumed at all (a core file's never is). */
const WAIT_FOR_RUN_MS = 60_000;

/** What the schedule needs of a Program. */
export interface RunningProgram {
  readonly running: boolean;
  /** When (performance.now()) the program last reported a stop of any thread, or was resumed; undefined before either. */
  readonly lastEventAt?: number;
  /** Handles the stops reported and not yet seen by the event loop, updating lastEventAt. */
  collectStops?(): void;
  once?(event: 'stopped' | 'exited', listener: () => void): unknown;
}

/**
 * A scheduler for a warm-up's steps: each step given to it runs in the loop's idle time while `p`
 * runs. None runs after `p`'s first stop or its exit (the warm-ups end there), nor once it has
 * not been resumed within WAIT_FOR_RUN_MS.
 */
export function inIdleTime(p: RunningProgram): (step: () => void) => void {
  let ended = false;
  p.once?.('stopped', () => {
    ended = true;
  });
  p.once?.('exited', () => {
    ended = true;
  });
  const giveUp = performance.now() + WAIT_FOR_RUN_MS;
  let ran = false;
  let steady = false;
  let last = performance.eventLoopUtilization();
  return (step) => {
    const look = (): void => {
      if (ended) return;
      const now = performance.eventLoopUtilization();
      const idle = now.idle - last.idle;
      last = now;
      ran ||= p.running;
      // A stop already reported is handled first: libuv runs timers before it reads the SIGCHLD.
      if (p.running) p.collectStops?.();
      const quiet = p.lastEventAt === undefined || performance.now() - p.lastEventAt >= QUIET_MS;
      if (p.running && (idle >= IDLE_MS || steady) && quiet) {
        steady = true;
        // The warm-ups' garbage, collected in a turn of its own when it fills a quarter of the young generation (idleScavenge.ts).
        if (emptyYoungGeneration()) setImmediate(look);
        else step();
      } else if (ran || performance.now() < giveUp) setTimeout(look, POLL_MS).unref();
    };
    if (steady) setImmediate(look);
    else setTimeout(look, POLL_MS).unref();
  };
}
