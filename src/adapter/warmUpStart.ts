/**
 * When the next step of a warm-up (the Variables view's, and the request path's it takes turns
 * with) runs: only once the event loop has been idle, so the warm-ups take the launch's idle
 * time and not its CPU.
 *
 * From the launch request to the first stop the adapter's main thread is busy with the launch
 * itself (loading the debugger's code and koffi, the symbols, the spawn, setBreakpoints,
 * configurationDone, the program's new threads, the hit), with short idle pockets between (the
 * client's next request, the wrapper shell's exec, inflating on the thread pool, the program's
 * own run). A step run at every turn of the loop (setImmediate) ran between any two parts of
 * that work: on launch.small (a breakpoint in main of a small program) the warm-ups then took
 * ~20 ms of the main thread between the launch request and the stop. Here a step runs only once
 * the loop has spent IDLE_MS of the last POLL_MS waiting for events (Node's event loop
 * utilization): in an idle pocket, or while the program runs to its stop. A stop or request
 * that comes during a step still waits for that step (a cold one takes a few ms, a warm one
 * well under one).
 */
import { performance } from 'node:perf_hooks';

/** How often it looks whether the loop was idle. */
const POLL_MS = 1;
/** Idle time, of the last look's POLL_MS, that lets a step run. */
const IDLE_MS = 0.5;

/** A scheduler for a warm-up's steps: each step given to it runs in the loop's idle time. */
export function inIdleTime(): (step: () => void) => void {
  let last = performance.eventLoopUtilization();
  return (step) => {
    const look = (): void => {
      const now = performance.eventLoopUtilization();
      const idle = now.idle - last.idle;
      last = now;
      if (idle >= IDLE_MS) step();
      else setTimeout(look, POLL_MS).unref();
    };
    setTimeout(look, POLL_MS).unref();
  };
}
