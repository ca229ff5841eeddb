/** Linux x86-64 signal numbers and names, and which ones a debugger treats as faults. */

export const SIG = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
} as const;

const NAMES = new Map<number, string>(Object.entries(SIG).map(([k, v]) => [v, k]));

export function signalName(sig: number): string {
  return NAMES.get(sig) ?? (sig >= 34 && sig <= 64 ? `SIGRT${sig - 34}` : `signal ${sig}`);
}

/** Signals raised by a faulting instruction: reported as an exception stop, delivered on resume. */
export function isFault(sig: number): boolean {
  return sig === SIG.SIGSEGV || sig === SIG.SIGBUS || sig === SIG.SIGFPE || sig === SIG.SIGILL;
}
