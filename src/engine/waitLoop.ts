/**
 * Waking up on SIGCHLD without blocking the event loop: one process-wide listener
 * drains every live tracee's pending stops with non-blocking waitpid on the main thread.
 * A slow safety timer covers a coalesced or missed signal while something runs.
 *
 * While a tracee's stops are being collected by spinning on waitpid (a storm of
 * breakpoint hits that do not stop), the SIGCHLD of each ptrace stop is only
 * cost: the kernel kicks our thread with an inter-processor interrupt, libuv's
 * handler writes to its pipe (EAGAIN once the pipe is full) and the event loop
 * later reads it all back. `hushStops` sets SA_NOCLDSTOP on SIGCHLD for that
 * while: the kernel then sends no SIGCHLD for a stop (ptrace stops included)
 * but still wakes waitpid, and still sends one for every exit, so libuv's
 * reaping of its own children is untouched. `unhushStops` puts the flags back;
 * a stop that came in between is found by the caller's next waitpid, and any
 * other tracee's by a poll of all of them queued then.
 */
import { performance } from 'node:perf_hooks'; // the global one is a lazy getter, run at every access of the spin
import { native } from './libc.js';
import { SIG } from '../process/signals.js';

export interface Pollable {
  /** Collects and handles every pending wait status; must not block. */
  poll(): void;
  /** True while some thread may produce a stop we are waiting for. */
  readonly wantsPolling: boolean;
}

const live = new Set<Pollable>();
let timer: NodeJS.Timeout | undefined;
let listening = false;

function pollAll(): void {
  for (const p of [...live]) {
    try {
      p.poll();
    } catch (e) {
      // A poll failure must never kill the adapter; the owner logs its own errors.
      process.emitWarning(`go-debug-adapter: wait loop error: ${(e as Error).stack ?? e}`);
    }
  }
  updateTimer();
}

function updateTimer(): void {
  const needed = [...live].some((p) => p.wantsPolling);
  if (needed && !timer) {
    // Ref'd on purpose: a running debuggee keeps the adapter alive (the SIGCHLD listener alone does not).
    timer = setInterval(pollAll, 50);
  } else if (!needed && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

export function register(p: Pollable): void {
  live.add(p);
  if (!listening) {
    process.on('SIGCHLD', pollAll);
    listening = true;
  }
  updateTimer();
}

export function unregister(p: Pollable): void {
  live.delete(p);
  if (live.size === 0 && listening) {
    process.removeListener('SIGCHLD', pollAll);
    listening = false;
  }
  updateTimer();
}

/** glibc's struct sigaction on x86-64: handler (8 bytes), sa_mask (128), sa_flags (int) at 136, restorer at 144. */
const SIGACTION_BYTES = 152;
const SA_FLAGS_AT = 136;
const SA_NOCLDSTOP = 1;
const action = Buffer.alloc(SIGACTION_BYTES);
const actionView = new DataView(action.buffer, action.byteOffset, SIGACTION_BYTES);
/** The SIGCHLD handler whose flags hushStops changed (0: none changed). */
let hushedHandler = 0n;

/** Ptrace stops raise no SIGCHLD until unhushStops (see above); false when nothing was changed. */
export function hushStops(): boolean {
  if (hushedHandler !== 0n || !listening) return false;
  if (native.sigaction(SIG.SIGCHLD, null, action) !== 0) return false;
  const handler = actionView.getBigUint64(0, true);
  const flags = actionView.getInt32(SA_FLAGS_AT, true);
  // SIG_DFL (0) or SIG_IGN (1): not the handler the wait loop listens through.
  if (handler <= 1n || flags & SA_NOCLDSTOP) return false;
  actionView.setInt32(SA_FLAGS_AT, flags | SA_NOCLDSTOP, true);
  if (native.sigaction(SIG.SIGCHLD, action, null) !== 0) return false;
  hushedHandler = handler;
  return true;
}

/** Ptrace stops raise SIGCHLD again; the caller looks for the stops that came while they did not. */
export function unhushStops(): void {
  if (hushedHandler === 0n) return;
  const handler = hushedHandler;
  hushedHandler = 0n;
  // Put back only our own change: a handler installed meanwhile keeps its flags.
  if (native.sigaction(SIG.SIGCHLD, null, action) === 0 && actionView.getBigUint64(0, true) === handler) {
    actionView.setInt32(SA_FLAGS_AT, actionView.getInt32(SA_FLAGS_AT, true) & ~SA_NOCLDSTOP, true);
    native.sigaction(SIG.SIGCHLD, action, null);
  }
  // Another tracee's stop in the hushed time raised no signal either: look at every one.
  if (live.size > 1) setImmediate(pollAll);
}

/** Call after resuming a tracee so the safety timer runs while it does. */
export function wake(): void {
  updateTimer();
}

/** How long a poll goes on looking after resuming a thread past a breakpoint that did not stop. */
const SPIN_MS = 1;

/**
 * One poll's spin: a thread just sent on past a breakpoint that did not stop (a
 * false condition in a loop) usually hits again within microseconds; looking a
 * little longer catches that hit without the SIGCHLD → event loop wake-up, and
 * with stops hushed (hushStops) for as long as the spin lasts.
 */
export class HotSpin {
  private until = 0;
  private hushed = false;

  /** A thread was resumed past a breakpoint that did not stop. */
  resumed(): void {
    this.until = performance.now() + SPIN_MS;
    this.hushed ||= hushStops();
  }

  /** Nothing is pending: true to look again. `hot`: the program runs and some thread was resumed past a breakpoint that did not stop. */
  again(hot: boolean): boolean {
    if (hot && performance.now() < this.until) return true;
    if (!this.hushed) return false;
    // Stops raise SIGCHLD again from here: one more look for those that came before.
    this.end();
    return true;
  }

  /** The poll is over: stops raise SIGCHLD again. */
  end(): void {
    if (!this.hushed) return;
    this.hushed = false;
    unhushStops();
  }
}
