/** Decoding of a waitpid() status word into what happened to a thread. */

export type WaitEvent =
  | { kind: 'exited'; code: number }
  | { kind: 'killed'; signal: number }
  /** A ptrace stop: `signal` is the stop signal, `event` a PTRACE_EVENT_* (0 for a signal-delivery stop). */
  | { kind: 'stopped'; signal: number; event: number };

export function decodeWaitStatus(status: number): WaitEvent {
  const low = status & 0x7f;
  if (low === 0) return { kind: 'exited', code: (status >> 8) & 0xff };
  if ((status & 0xff) === 0x7f) return { kind: 'stopped', signal: (status >> 8) & 0xff, event: (status >> 16) & 0xffff };
  return { kind: 'killed', signal: low };
}
