/**
 * ptrace requests, each a few lines, each throwing PtraceError on failure.
 * All of them must be issued from Node's main thread (the tracer thread).
 */
import * as C from './libc.js';
import { PtraceError, asNumber, errno, native } from './libc.js';

function check(op: string, tid: number, r: number | bigint): number {
  const n = asNumber(r);
  if (n === -1) throw new PtraceError(op, errno(), tid);
  return n;
}

export function seize(tid: number, options: number): void {
  check('PTRACE_SEIZE', tid, native.ptrace(C.PTRACE_SEIZE, tid, 0, options));
}
export function interrupt(tid: number): void {
  check('PTRACE_INTERRUPT', tid, native.ptrace(C.PTRACE_INTERRUPT, tid, 0, 0));
}
export function cont(tid: number, signal = 0): void {
  check('PTRACE_CONT', tid, native.ptrace(C.PTRACE_CONT, tid, 0, signal));
}
export function singleStep(tid: number, signal = 0): void {
  check('PTRACE_SINGLESTEP', tid, native.ptrace(C.PTRACE_SINGLESTEP, tid, 0, signal));
}
export function detach(tid: number, signal = 0): void {
  check('PTRACE_DETACH', tid, native.ptrace(C.PTRACE_DETACH, tid, 0, signal));
}

/** Fills `regs` (27 × u64, user_regs_struct). */
export function getRegs(tid: number, regs: BigUint64Array): void {
  check('PTRACE_GETREGS', tid, native.ptraceBuf(C.PTRACE_GETREGS, tid, 0, regs));
}
export function setRegs(tid: number, regs: BigUint64Array): void {
  check('PTRACE_SETREGS', tid, native.ptraceBuf(C.PTRACE_SETREGS, tid, 0, regs));
}
/** Fills `buf` (512 bytes, user_fpregs_struct: the FXSAVE area). */
export function getFpRegs(tid: number, buf: Uint8Array): void {
  check('PTRACE_GETFPREGS', tid, native.ptraceBuf(C.PTRACE_GETFPREGS, tid, 0, buf));
}
export function setFpRegs(tid: number, buf: Uint8Array): void {
  check('PTRACE_SETFPREGS', tid, native.ptraceBuf(C.PTRACE_SETFPREGS, tid, 0, buf));
}
export function getEventMsg(tid: number): number {
  const out = new BigUint64Array(1);
  check('PTRACE_GETEVENTMSG', tid, native.ptraceBuf(C.PTRACE_GETEVENTMSG, tid, 0, out));
  return Number(out[0]);
}
/** siginfo_t: returns si_signo, si_code and si_addr (for faults). */
export function getSigInfo(tid: number): { signo: number; code: number; addr: number } {
  const buf = new Uint8Array(128);
  check('PTRACE_GETSIGINFO', tid, native.ptraceBuf(C.PTRACE_GETSIGINFO, tid, 0, buf));
  const dv = new DataView(buf.buffer);
  return { signo: dv.getInt32(0, true), code: dv.getInt32(8, true), addr: Number(dv.getBigUint64(16, true)) };
}

/** waitpid(pid, options) → [tid, status], [0, 0] when nothing is pending (WNOHANG), or throws. */
const statusBuf = new Int32Array(1);
export function waitpid(pid: number, options: number): [number, number] {
  for (;;) {
    const r = native.waitpid(pid, statusBuf, options) as number;
    if (r === -1) {
      const e = errno();
      if (e === C.EINTR) continue;
      throw new PtraceError('waitpid', e, pid);
    }
    return [r, statusBuf[0]!];
  }
}

export function tgkill(tgid: number, tid: number, sig: number): void {
  if ((native.tgkill(tgid, tid, sig) as number) === -1) throw new PtraceError('tgkill', errno(), tid);
}
export function kill(pid: number, sig: number): void {
  if ((native.kill(pid, sig) as number) === -1) throw new PtraceError('kill', errno(), pid);
}
