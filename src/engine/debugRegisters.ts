/**
 * Hardware watchpoints: the x86-64 debug registers DR0–DR3 (addresses), DR6
 * (which of them fired) and DR7 (enable bits, access kind and length of each),
 * read and written per thread with PTRACE_PEEKUSER / PTRACE_POKEUSER at
 * offsetof(struct user, u_debugreg) = 848.
 *
 * What the kernel does that this code relies on (Linux x86-64):
 *  - debug registers are per thread and a new thread starts with none of them
 *    (copy_thread clears the ptrace breakpoints), so every thread gets them at
 *    its first stop;
 *  - a watchpoint is a trap: it fires after the accessing instruction, RIP is
 *    already past it, and the thread stops with SIGTRAP (si_code TRAP_HWBKPT);
 *  - the DR6 that PEEKUSER shows is the thread's virtual DR6: reset at every
 *    debug exception (#DB), not at an int3 (#BP), so we clear it after reading;
 *  - writing DR7 is refused (EINVAL) when an enabled slot's address is not
 *    aligned to its length or not a user address; the length field encodes
 *    1, 2, 8, 4 bytes as 0, 1, 2, 3.
 */
import * as C from './libc.js';
import { PtraceError, asNumber, errno, native } from './libc.js';
import type { WatchSpec } from '../process/process.js';

const PTRACE_PEEKUSER = 3;
const PTRACE_POKEUSER = 6;
/** offsetof(struct user, u_debugreg) on x86-64. */
const DEBUGREG_OFFSET = 848;
/** The hardware has four address registers. */
export const WATCH_SLOTS = 4;

const LEN_BITS: Record<number, number> = { 1: 0b00, 2: 0b01, 8: 0b10, 4: 0b11 };
const RW_BITS = { write: 0b01, readWrite: 0b11 } as const;

function regOffset(n: number): number {
  return DEBUGREG_OFFSET + 8 * n;
}

function pokeUser(tid: number, n: number, value: number): void {
  const r = asNumber(native.ptrace(PTRACE_POKEUSER, tid, regOffset(n), value));
  if (r === -1) throw new PtraceError(`PTRACE_POKEUSER DR${n}`, errno(), tid);
}

function peekUser(tid: number, n: number): number {
  // glibc returns the word itself; DR6 and DR7 never read as all ones, so -1 is the error.
  const r = asNumber(native.ptrace(PTRACE_PEEKUSER, tid, regOffset(n), 0));
  if (r === -1) throw new PtraceError(`PTRACE_PEEKUSER DR${n}`, errno(), tid);
  return r;
}

/** DR7 for `slots`: local enable bit, access kind and length per used slot. */
export function dr7For(slots: readonly (WatchSpec | undefined)[]): number {
  let v = 0;
  slots.forEach((s, i) => {
    if (!s) return;
    v |= 1 << (2 * i);
    v |= (RW_BITS[s.access] | (LEN_BITS[s.size]! << 2)) << (16 + 4 * i);
  });
  return v >>> 0;
}

/** Whether the hardware can watch `spec` as it is: 1, 2, 4 or 8 bytes at an address aligned to that size. */
export function watchable(spec: WatchSpec): boolean {
  return LEN_BITS[spec.size] !== undefined && spec.addr > 0 && spec.addr % spec.size === 0;
}

/** The watchpoints every thread of one process carries. */
export class DebugRegisters {
  private slots: (WatchSpec | undefined)[] = new Array(WATCH_SLOTS).fill(undefined);

  /** Some slot is in use: SIGTRAPs are worth a look at DR6. */
  get active(): boolean {
    return this.slots.some((s) => s !== undefined);
  }

  /** Replaces the wanted watchpoints (applied to threads by applyTo). */
  set(slots: readonly (WatchSpec | undefined)[]): void {
    if (slots.length > WATCH_SLOTS) throw new Error(`at most ${WATCH_SLOTS} hardware watchpoints`);
    for (const s of slots) if (s && !watchable(s)) throw new Error(`cannot watch ${s.size} bytes at 0x${s.addr.toString(16)}`);
    this.slots = Array.from({ length: WATCH_SLOTS }, (_, i) => slots[i]);
  }

  /** Writes the wanted watchpoints into stopped thread `tid`: DR7 off first, then the addresses, then DR7. */
  applyTo(tid: number): void {
    pokeUser(tid, 7, 0);
    this.slots.forEach((s, i) => {
      if (s) pokeUser(tid, i, s.addr);
    });
    const dr7 = dr7For(this.slots);
    if (dr7 !== 0) pokeUser(tid, 7, dr7);
  }

  /** applyTo on each of `tids`; a failure is thrown only for a thread that is `alive` (not exiting) and not ESRCH. */
  applyToAll(tids: readonly number[], alive: (tid: number) => boolean): void {
    for (const tid of tids) {
      try {
        this.applyTo(tid);
      } catch (e) {
        if (alive(tid) && !(e instanceof PtraceError && e.errno === C.ESRCH)) throw e;
      }
    }
  }

  /** Takes every watchpoint out of stopped thread `tid` (before a detach). */
  clearFrom(tid: number): void {
    pokeUser(tid, 7, 0);
    for (let i = 0; i < WATCH_SLOTS; i++) pokeUser(tid, i, 0);
    pokeUser(tid, 6, 0);
  }

  /**
   * The slots that fired for stopped thread `tid` (from DR6, only slots in use),
   * DR6 cleared when any did; empty for any other trap.
   */
  firedOn(tid: number): number[] {
    let dr6: number;
    try {
      dr6 = peekUser(tid, 6);
    } catch (e) {
      if (e instanceof PtraceError && e.errno === C.ESRCH) return [];
      throw e;
    }
    const fired: number[] = [];
    for (let i = 0; i < WATCH_SLOTS; i++) if (dr6 & (1 << i) && this.slots[i]) fired.push(i);
    if (dr6 & 0xf) pokeUser(tid, 6, 0);
    return fired;
  }

  /** The registers as the kernel holds them for `tid` (DR0–DR3, DR7): for tests and checks. */
  static read(tid: number): { addrs: number[]; dr7: number } {
    return { addrs: [0, 1, 2, 3].map((i) => peekUser(tid, i)), dr7: peekUser(tid, 7) };
  }
}
