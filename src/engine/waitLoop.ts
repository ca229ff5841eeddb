/**
 * Waking up on SIGCHLD without blocking the event loop: one process-wide listener
 * drains every live tracee's pending stops with non-blocking waitpid on the main thread.
 * A slow safety timer covers a coalesced or missed signal while something runs.
 */

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

/** Call after resuming a tracee so the safety timer runs while it does. */
export function wake(): void {
  updateTimer();
}
