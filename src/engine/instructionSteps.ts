/**
 * Single steps of one thread, the other threads left as they are: a plain
 * PTRACE_SINGLESTEP and its wait, and the step of an instruction covered by one
 * of our int3s (the original byte put back for the one step, then the int3 again).
 */
import * as P from './ptrace.js';
import type { Int3Sites } from './int3Sites.js';
import type { StopEvents, StopHost } from './stopEvents.js';
import { holdSignal, type Thread } from './threadTable.js';
import { isFault } from '../process/signals.js';
import type { StepResult } from '../process/process.js';

export class InstructionSteps {
  constructor(
    private readonly pid: number,
    private readonly stops: StopEvents,
    private readonly sites: Int3Sites,
    private readonly host: Pick<StopHost, 'state'>,
  ) {}

  /** PTRACE_SINGLESTEP one thread and wait for it; other stops on the way are kept for later. */
  step(t: Thread): StepResult {
    for (let guard = 0; guard < 1000; guard++) {
      P.singleStep(t.tid, 0);
      t.running = true;
      t.regs = undefined;
      const stop = this.stops.waitFor(t, true);
      if (!stop || stop.kind === 'gone') return 'exited';
      if (stop.kind === 'trap') return 'ok';
      if (stop.kind === 'signal') {
        if (isFault(stop.signal)) {
          t.pendingSignal = stop.signal;
          return { signal: stop.signal };
        }
        // E.g. SIGURG (Go's preemption) while stepping over a breakpoint: the instruction
        // has not run yet; hold the signal back, deliver it on the next continue.
        holdSignal(this.pid, t, stop.signal);
      }
      // Otherwise a late interrupt (the instruction has not run yet), a clone (the new
      // thread is traced already) or another event: step again.
    }
    throw new Error(`single step of thread ${t.tid} did not complete`);
  }

  /** Steps `t`, which sits at `addr`: when one of our int3s covers it, the original instruction runs. */
  stepAt(t: Thread, addr: number): StepResult {
    if (!this.sites.has(addr)) return this.step(t);
    this.sites.lift(addr);
    try {
      return this.step(t);
    } finally {
      if (this.host.state() !== 'exited') this.sites.rearm(addr);
    }
  }
}
