/**
 * Parking a thread that sits in a SIGTRAP signal-delivery stop (it hit one of
 * our int3s, or finished a single step) in an event stop instead, while the
 * program is stopped for the user.
 *
 * Why: should the adapter die without detaching (SIGKILL), the kernel detaches
 * every tracee and each resumes from the stop it is in. From a
 * signal-delivery stop that signal is delivered — SIGTRAP, which Go turns into
 * "SIGTRAP: trace trap" and the program's death. From PTRACE_EVENT_STOP no
 * signal is delivered.
 *
 * How (kernel/signal.c, get_signal): PTRACE_INTERRUPT on a stopped thread only
 * marks it (JOBCTL_TRAP_STOP); PTRACE_CONT with signal 0 then discards the
 * SIGTRAP, and get_signal's loop sees the mark before it dequeues anything
 * else or returns to user mode: the thread enters PTRACE_EVENT_STOP without
 * running an instruction, its registers untouched.
 */
import * as C from './libc.js';
import { PtraceError } from './libc.js';
import * as P from './ptrace.js';
import type { StopEvents } from './stopEvents.js';
import type { ThreadTable } from './threadTable.js';

/** Moves every stopped thread out of a SIGTRAP stop into an event stop (what it owes is kept). */
export function parkTrapStops(threads: ThreadTable, stops: StopEvents): void {
  for (const t of threads.list()) {
    if (t.running || !t.trapStop || t.pendingSignal !== 0) continue;
    const regs = t.regs;
    try {
      P.interrupt(t.tid);
      t.interruptInFlight = true;
      P.cont(t.tid, 0);
      t.running = true;
    } catch (e) {
      if (e instanceof PtraceError && e.errno === C.ESRCH) continue; // exiting
      throw e;
    }
    stops.waitUntilStopped(t);
    // No instruction ran: the register cache of the trap stop is still right.
    if (!t.running && t.regs === undefined) t.regs = regs;
  }
}
