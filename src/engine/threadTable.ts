/**
 * The traced threads and what the tracer keeps for each: running or stopped,
 * the signal it owes the thread, an interrupt not yet seen, a breakpoint hit to
 * step over, and the register cache of a stopped thread.
 */
import * as C from './libc.js';
import { PtraceError } from './libc.js';
import * as P from './ptrace.js';
import { Registers } from '../process/registers.js';

export interface Thread {
  readonly tid: number;
  running: boolean;
  /** Signal to deliver on the next resume. */
  pendingSignal: number;
  /** A PTRACE_INTERRUPT whose stop has not been seen yet (it may arrive after another stop). */
  interruptInFlight: boolean;
  /** RIP sits on a breakpoint whose hit was consumed: step over it before resuming. */
  consumedHitAt?: number;
  /** Its last stop was a SIGTRAP signal-delivery stop (see trapParking.ts). */
  trapStop?: boolean;
  /** Registers read since the thread last stopped (dropped whenever it runs). */
  regs?: Registers;
}

export class ThreadTable {
  private readonly map = new Map<number, Thread>();

  get size(): number {
    return this.map.size;
  }
  has(tid: number): boolean {
    return this.map.has(tid);
  }
  get(tid: number): Thread | undefined {
    return this.map.get(tid);
  }
  /** The thread `tid`; throws when it is not traced. */
  require(tid: number): Thread {
    const t = this.map.get(tid);
    if (!t) throw new Error(`no thread ${tid}`);
    return t;
  }
  /** A newly traced thread, stopped, owing nothing. */
  add(tid: number): Thread {
    const t: Thread = { tid, running: false, pendingSignal: 0, interruptInFlight: false };
    this.map.set(tid, t);
    return t;
  }
  delete(tid: number): void {
    this.map.delete(tid);
  }
  clear(): void {
    this.map.clear();
  }
  /** Thread ids in ascending order. */
  ids(): number[] {
    return [...this.map.keys()].sort((a, b) => a - b);
  }
  /** Thread ids in the order they were traced (a copy: safe while threads come and go). */
  tidsInOrder(): number[] {
    return [...this.map.keys()];
  }
  /** A copy of the threads, safe to iterate while threads come and go. */
  list(): Thread[] {
    return [...this.map.values()];
  }
  values(): IterableIterator<Thread> {
    return this.map.values();
  }
}

/** The registers of a stopped thread, read once per stop (floating point only when asked for). */
export function cachedRegs(t: Thread): Registers {
  if (t.running) throw new Error(`thread ${t.tid} is running`);
  if (!t.regs) {
    const raw = new BigUint64Array(27);
    P.getRegs(t.tid, raw);
    t.regs = new Registers(raw, () => {
      if (t.running) return undefined;
      const fp = new Uint8Array(512);
      try {
        P.getFpRegs(t.tid, fp);
        return fp;
      } catch {
        return undefined;
      }
    });
  }
  return t.regs;
}

/** PTRACE_CONT of a stopped thread, delivering the signal it is owed. */
export function continueThread(t: Thread): void {
  if (t.running) return;
  const sig = t.pendingSignal;
  t.pendingSignal = 0;
  t.regs = undefined;
  try {
    P.cont(t.tid, sig);
    t.running = true;
  } catch (e) {
    if (e instanceof PtraceError && e.errno === C.ESRCH) {
      t.running = true; // dying: its exit status will arrive
      return;
    }
    throw e;
  }
}

/** Keeps `sig` for the thread's next resume; a second, different signal is queued on the thread again. */
export function holdSignal(pid: number, t: Thread, sig: number): void {
  if (t.pendingSignal === 0 || t.pendingSignal === sig) {
    t.pendingSignal = sig;
    return;
  }
  // One signal can be delivered per resume; queue the other again on the thread.
  try {
    P.tgkill(pid, t.tid, sig);
  } catch {
    /* thread gone */
  }
}
