/**
 * Getting a process under trace: a program started by the stop-before-exec
 * wrapper (spawn.ts STOP_BEFORE_EXEC), traced up to its first instruction, or
 * every thread of a process that already runs.
 */
import * as C from './libc.js';
import { PtraceError } from './libc.js';
import { listThreads, waitForStopState } from './procfs.js';
import * as P from './ptrace.js';
import type { ThreadTable } from './threadTable.js';
import { decodeWaitStatus, type WaitEvent } from './waitStatus.js';
import { SIG } from '../process/signals.js';

const SEIZE_OPTIONS = C.PTRACE_O_TRACECLONE | C.PTRACE_O_TRACEEXEC;

/**
 * From the wrapper shell's self-stop to the program's first instruction (just
 * after its exec). These are the shell's stops, not the program's: nothing is
 * recorded but the exec. On failure the process is killed and the error thrown.
 */
export async function seizeUntilExec(pid: number): Promise<void> {
  try {
    await waitForStopState(pid);
    P.seize(pid, SEIZE_OPTIONS | C.PTRACE_O_EXITKILL);
    // SEIZE of a stopped process reports a PTRACE_EVENT_STOP; continue the shell until its exec.
    for (;;) {
      const [, status] = P.waitpid(pid, C.__WALL);
      const ev = decodeWaitStatus(status);
      if (ev.kind !== 'stopped') throw new Error(`program exited before it started (${describeExit(ev)})`);
      if (ev.event === C.PTRACE_EVENT_EXEC) break;
      P.cont(pid, ev.event === 0 && ev.signal !== SIG.SIGSTOP && ev.signal !== SIG.SIGTRAP ? ev.signal : 0);
    }
  } catch (e) {
    try {
      P.kill(pid, SIG.SIGKILL);
      P.waitpid(pid, C.__WALL);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

/**
 * Seizes every thread of a running process and interrupts each; the threads are
 * in `threads`, running, their interrupt in flight. Threads started meanwhile
 * are picked up by further rounds over /proc.
 */
export function seizeAllThreads(pid: number, threads: ThreadTable): void {
  const seen = new Set<number>();
  for (let round = 0; round < 100; round++) {
    const tids = listThreads(pid).filter((t) => !seen.has(t));
    if (tids.length === 0) break;
    for (const tid of tids) {
      seen.add(tid);
      try {
        P.seize(tid, SEIZE_OPTIONS);
      } catch (e) {
        if (tid === pid || !(e instanceof PtraceError && e.errno === C.ESRCH)) throw e;
        continue; // thread exited meanwhile
      }
      const t = threads.add(tid);
      t.running = true;
      P.interrupt(tid);
      t.interruptInFlight = true;
    }
  }
}

function describeExit(ev: WaitEvent): string {
  return ev.kind === 'exited' ? `exit code ${ev.code}` : ev.kind === 'killed' ? `signal ${ev.signal}` : 'stopped';
}
