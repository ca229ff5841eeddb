/**
 * The seam between the debuggee logic (src/debuggee) and a process: what the
 * logic needs from a traced program, and nothing of how it is traced. The
 * engine's Inferior (ptrace) implements it; unit tests implement it with a
 * fake process (test/unit/debuggee/fakeProcess.ts). No DAP types, no koffi.
 *
 * Threads are OS thread ids (`tid`). All calls are synchronous; events come
 * through `on`. Memory reads never show the int3s placed by insertBreakpoint.
 */
import type { MemoryReader } from './memory.js';
import type { Registers } from './registers.js';

export type ProcessState = 'stopped' | 'running' | 'exited';

/** Why every thread is stopped now. */
export type StopReason =
  | { kind: 'breakpoint'; tid: number; addr: number }
  /** The program's own int3 at `addr` (runtime.Breakpoint): the thread's PC is just past it. */
  | { kind: 'hardcoded'; tid: number; addr: number }
  | { kind: 'exception'; tid: number; signal: number; faultAddr?: number }
  | { kind: 'pause'; tid: number }
  | { kind: 'entry'; tid: number }
  /** Hardware watchpoints `slots` (indices given to setWatchpoints) fired on `tid`: its PC is past the accessing instruction. */
  | { kind: 'watchpoint'; tid: number; slots: number[] };

/** A hardware watchpoint: `size` bytes at `addr` (aligned to `size`), stopping on writes or on any access. */
export interface WatchSpec {
  addr: number;
  size: 1 | 2 | 4 | 8;
  access: 'write' | 'readWrite';
}

/** How the process ended for us: its exit code or signal; `detached` when we let it go and it runs on (code 0 then says nothing). */
export type ExitInfo = ({ code: number; signal?: undefined } | { code?: undefined; signal: number }) & { detached?: boolean };

/** What the debuggee answers for a breakpoint hit: report it (all-stop), or step over it and go on. */
export type TrapDecision = 'stop' | 'continue';

/** Outcome of a single instruction step of one thread. */
export type StepResult = 'ok' | 'exited' | { signal: number };

/**
 * How a run of one thread alone ended (ThreadRun.run): an int3 that is none of
 * our sites (PC just past it), the time limit (the thread interrupted where it
 * was), or the end of the thread or process.
 */
export type SoloStop = { kind: 'trap'; pc: number } | { kind: 'timeout' } | { kind: 'exited' };

/**
 * One thread run while every other thread stays stopped (function calls by the
 * runtime's debugCallV2 protocol). Our int3 sites the thread meets are stepped
 * over without a stop, its signals are passed on, threads it creates are kept
 * stopped until the next whole-program resume; nothing is reported as a stop.
 */
export interface ThreadRun {
  /** Resumes stopped `tid` alone until it traps on an int3 that is not ours, `timeoutMs` pass, or it exits. Blocks. */
  run(tid: number, timeoutMs: number): SoloStop;
  /** One instruction on stopped `tid` (an int3 of ours under it runs the original), whether the others run or not. */
  step(tid: number): StepResult;
  /** Whether `tid` sits on a breakpoint whose hit was handled (see DebuggeeProcess.consumeHit). */
  hitConsumed(tid: number): boolean;
  /** The runs and steps of one call are over, the program staying stopped (an attached program's threads are made safe again). */
  settle?(): void;
  /** Handles every wait status pending now, as the wait loop does (for a synchronous wait while the program runs). */
  pump?(): void;
  /**
   * Decides, while the program runs, on an int3 of the program's own (not a
   * site of ours) hit by `tid` at `addr`: 'continue' goes on from the
   * registers the filter leaves; 'stop' (or no filter) stops as a hardcoded breakpoint.
   */
  ownTrapFilter?: (tid: number, addr: number) => TrapDecision;
}

export interface ProcessEvents {
  /** Every thread is stopped (after a hit answered 'stop', a fault, a pause). */
  stopped: [StopReason];
  exited: [ExitInfo];
  output: ['stdout' | 'stderr', string];
}

/** One line of /proc/PID/maps: memory [start, end) with its permissions, from `path` at `offset` when file-backed. */
export interface MemoryMapping {
  start: number;
  end: number;
  read: boolean;
  write: boolean;
  exec: boolean;
  /** MAP_SHARED rather than private. */
  shared: boolean;
  offset: number;
  /** The inode of the file it maps: 0 for anonymous memory, also when `path` names a pseudo-mapping ([heap], [stack], [vdso]). */
  inode: number;
  /** The mapped file, a pseudo-name in brackets, or '' for anonymous memory. */
  path: string;
}

/** What a core file of a live process needs beyond registers and memory (ELF NT_PRPSINFO, NT_AUXV, NT_FILE; pr_cursig). */
export interface ProcessImage {
  mappings: MemoryMapping[];
  /** The raw auxiliary vector (pairs of 64-bit words, ended by AT_NULL). */
  auxv: Uint8Array;
  /** The signal each stopped thread is given at its next resume (0: none). */
  pendingSignals: Map<number, number>;
  info: {
    pid: number;
    ppid: number;
    pgrp: number;
    sid: number;
    uid: number;
    gid: number;
    state: string;
    nice: number;
    flags: number;
    name: string;
    args: string;
  };
}

export interface DebuggeeProcess extends MemoryReader {
  readonly pid: number;
  /** Started by us (killed at the end) rather than attached to (detached at the end). */
  readonly launched: boolean;
  readonly state: ProcessState;
  /** Set when the process can never run (a core file): why, for the user. */
  readonly cannotRun?: string;
  /** When (performance.now()) a stop of any of its threads was last collected (a new thread's, a signal's, a hit's), or it was last resumed. */
  readonly lastEventAt?: number;
  /** Collects and handles the stops already reported, without blocking (what SIGCHLD's handler does, now). */
  poll?(): void;

  /**
   * Called synchronously, on the thread that hit an int3 at `addr`, while the
   * other threads keep running: the registers of `tid` and memory may be read.
   */
  trapFilter?: (tid: number, addr: number) => TrapDecision;
  /** True when a signal stop of `tid` should stop the program; false passes the signal on. */
  signalFilter?: (tid: number, signal: number) => boolean;
  /**
   * Called synchronously, on the thread whose watchpoints `slots` fired, while
   * the other threads keep running (as trapFilter). Without it a watchpoint stops.
   */
  watchFilter?: (tid: number, slots: number[]) => TrapDecision;

  on<K extends keyof ProcessEvents>(event: K, listener: (...args: ProcessEvents[K]) => void): this;

  /** Every traced thread, running or not. */
  threadIds(): number[];
  hasThread(tid: number): boolean;
  getRegs(tid: number): Registers;
  setRegs(tid: number, regs: Registers): void;

  /** Exactly `len` bytes at addr (int3s hidden); throws when unreadable. */
  read(addr: number, len: number): Uint8Array;
  /** Writes memory; int3s already placed in the range stay and keep the new bytes as their originals. */
  write(addr: number, data: Uint8Array): void;

  /** Places an int3 at addr (idempotent); throws when the byte cannot be written. */
  insertBreakpoint(addr: number): void;
  /** Restores the original byte at addr (idempotent). */
  removeBreakpoint(addr: number): void;
  /**
   * The program's entry address in memory (the kernel's AT_ENTRY), known from
   * the exec stop on: a position-independent binary's load bias is it minus
   * the file's entry. Undefined when it cannot be read.
   */
  entryAddress?(): number | undefined;
  /**
   * The hardware watchpoints (index = slot, at most `watchSlots`), set on every
   * thread now, and on every thread created later; an empty list removes them.
   * Callable stopped, or from watchFilter/trapFilter while the program runs.
   * Throws when the hardware cannot watch one of them.
   */
  setWatchpoints?(slots: readonly (WatchSpec | undefined)[]): void;
  /** How many hardware watchpoints the process can have (4 on x86-64). */
  readonly watchSlots?: number;
  /** The memory map, auxv, process facts and pending signals of a live, stopped process (a core dump); undefined where there are none. */
  image?(): ProcessImage | undefined;
  /** An int3-padding slot where displaced instructions may run out of line. */
  setScratchSlot(addr: number): void;

  /** Resumes every thread. */
  resume(): void;
  /** Asks every thread to stop; a `stopped` event with reason 'pause' follows. */
  pause(): void;
  /** One instruction on `tid`, the other threads staying stopped. */
  stepInstruction(tid: number): StepResult;
  /** `tid` sits on an int3 whose hit was handled: the next resume steps it over first. */
  consumeHit(tid: number): void;
  /** Runs one thread alone (function calls); absent where nothing can run (a core file). */
  readonly threadRun?: ThreadRun;

  kill(): Promise<void>;
  /** Removes every int3 and lets the process go. */
  detach(): void;
}
