/**
 * One function call on a stopped thread by the runtime's debugCallV2 protocol
 * (Go's src/runtime/asm_amd64.s, debugcall.go; export_debug_test.go's
 * InjectDebugCall is the runtime's own reference debugger). The thread runs
 * alone (ThreadRun), the other threads stay stopped.
 *
 * What the runtime expects, and what it answers by R12 at each of its int3s:
 *  - the debugger pushes the thread's PC, writes the argument frame size at
 *    SP-16 (SP after the push), keeps every register (FP state included) and
 *    sets the PC to debugCallV2;
 *  - 8: refused: the reason, a Go string (ptr, len), at SP;
 *  - 0: the frame is open at SP: the stack arguments go there, the argument
 *    registers are set (RDX the closure), the trapping PC is pushed as the
 *    return address and the PC set to the function (so the frame is at SP+8 of
 *    the function's entry);
 *  - 1: returned: result registers as the function left them, the frame at SP;
 *  - 2: panicked: the panic value, an eface (type word, data word), at SP;
 *  - 16: done: every register but RIP and RSP back as saved; the runtime then
 *    reloads its own copies and RETs to the pushed PC, clobbering RFLAGS on
 *    the way (Delve's issue 2985), so the thread is stepped out of
 *    debugCallV2 and its saved registers written once more.
 * The call itself runs on a new goroutine on the same thread (debugCallWrap);
 * the stopped goroutine is parked meanwhile (waitReasonDebugCall).
 */
import type { CallOutcome, CallRequest } from '../../eval/callContract.js';
import { FLOAT_ABI_REGISTERS, INT_ABI_REGISTERS } from '../../eval/callContract.js';
import { EvalError } from '../../eval/errors.js';
import type { DebuggeeProcess, ThreadRun } from '../../process/process.js';
import type { Registers } from '../../process/registers.js';
import type { SymbolTable } from '../symbolTable.js';

/** debugCallV2's protocol codes in R12. */
const STATUS = { frameOpen: 0n, returned: 1n, panicked: 2n, refused: 8n, restore: 16n } as const;

/** Offset of XMM0 in the FXSAVE area (user_fpregs_struct). */
const XMM0 = 160;

/** What a call keeps to put its thread back: the registers (FP state too) and the handled breakpoint under it. */
export interface SavedThread {
  tid: number;
  regs: Registers;
  consumedHit: boolean;
  /** debugCallV2's code range. */
  v2: { entry: number; end: number };
  name: string;
}

/** The call did not reach a protocol trap in time: the thread is left where it was interrupted. */
export class CallTimeout extends Error {
  constructor(readonly saved: SavedThread) {
    super(`the call of ${saved.name} timed out`);
  }
}

/** Whether `pc` (just past an int3) is one of the runtime's debugCall* protocol traps. */
export function isProtocolTrap(symbols: SymbolTable, pc: number): boolean {
  const name = symbols.funcForPC(pc - 1)?.name;
  return !!name && (name.startsWith('runtime.debugCall') || name.startsWith('debugCall'));
}

function u64(v: bigint | number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true);
  return b;
}

function readU64(inf: DebuggeeProcess, addr: number): bigint {
  const b = inf.read(addr, 8);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

/**
 * Runs `req` on thread `tid` (stopped, checked by callable.ts) and puts the
 * thread back exactly as it was. Throws EvalError when the runtime refuses
 * the call or the program exits; CallTimeout when no protocol trap comes in time.
 */
export function injectCall(inf: DebuggeeProcess, run: ThreadRun, symbols: SymbolTable, tid: number, req: CallRequest): CallOutcome {
  const v2 = symbols.funcByName('runtime.debugCallV2');
  if (!v2) throw new EvalError(`cannot call ${req.name}: the program has no runtime.debugCallV2 (Go 1.18 or later is needed)`);
  const saved: SavedThread = { tid, regs: inf.getRegs(tid).clone(), consumedHit: run.hitConsumed(tid), v2, name: req.name };
  if (!saved.regs.fp) throw new EvalError(`cannot call ${req.name}: the floating-point registers of thread ${tid} cannot be read`);
  const sp = saved.regs.sp - 8;
  inf.write(sp, u64(saved.regs.pc));
  inf.write(sp - 16, u64(req.frameSize));
  const start = saved.regs.clone();
  start.set('rsp', BigInt(sp));
  start.pc = v2.entry;
  // Not in a system call any more: the kernel must not restart one at the new PC.
  start.set('orig_rax', -1n);
  inf.setRegs(tid, start);

  const deadline = performance.now() + req.timeoutMs;
  let outcome: CallOutcome | undefined;
  let refused: string | undefined;
  for (;;) {
    const stop = run.run(tid, Math.max(0, deadline - performance.now()));
    if (stop.kind === 'exited') throw new EvalError(`the program exited during the call of ${req.name}`);
    if (stop.kind === 'timeout') throw new CallTimeout(saved);
    // An int3 of the called code's own (runtime.Breakpoint): it goes on past it.
    if (!isProtocolTrap(symbols, stop.pc)) continue;
    const r = inf.getRegs(tid);
    const status = r.get('r12');
    if (status === STATUS.restore) break;
    if (status === STATUS.frameOpen) openFrame(inf, tid, r, req);
    else if (status === STATUS.returned) outcome = returned(inf, r, req.frameSize);
    else if (status === STATUS.panicked) outcome = { kind: 'panicked', typeWord: readU64(inf, r.sp), dataWord: readU64(inf, r.sp + 8) };
    else if (status === STATUS.refused) refused = goString(inf, r.sp);
    // Any other code: the runtime's business; go on (as Delve does).
  }
  restoreThread(inf, run, saved, 'mark');
  run.settle?.();
  if (refused !== undefined) throw new EvalError(`cannot call ${req.name}: ${refused}`);
  if (!outcome) throw new EvalError(`the call of ${req.name} ended without a result`);
  return outcome;
}

/** R12 = 0: the frame is open at SP; arguments in, return address pushed, PC to the function. */
function openFrame(inf: DebuggeeProcess, tid: number, at: Registers, req: CallRequest): void {
  if (req.stackArgs.length) inf.write(at.sp, req.stackArgs);
  const r = at.clone();
  req.intArgs.forEach((v, i) => r.set(INT_ABI_REGISTERS[i]!, v));
  const fp = r.fp!;
  const dv = new DataView(fp.buffer, fp.byteOffset, fp.byteLength);
  req.floatArgs.forEach((v, i) => dv.setBigUint64(XMM0 + 16 * i, BigInt.asUintN(64, v), true));
  if (req.closure !== undefined) r.set('rdx', req.closure);
  const sp = at.sp - 8;
  inf.write(sp, u64(at.pc));
  r.set('rsp', BigInt(sp));
  r.pc = req.entry;
  inf.setRegs(tid, r);
}

/** R12 = 1: the result registers and the frame's bytes. */
function returned(inf: DebuggeeProcess, r: Registers, frameSize: number): CallOutcome {
  const intResults = INT_ABI_REGISTERS.map((n) => r.get(n));
  const floatResults: bigint[] = [];
  for (let i = 0; i < FLOAT_ABI_REGISTERS; i++) floatResults.push(r.xmm(i)?.lo ?? 0n);
  const frame = frameSize > 0 ? inf.read(r.sp, frameSize) : new Uint8Array(0);
  return { kind: 'returned', intResults, floatResults, frame };
}

/** A Go string header (ptr, len) at `addr`, its text (the runtime's reasons are short). */
function goString(inf: DebuggeeProcess, addr: number): string {
  const ptr = Number(readU64(inf, addr));
  const len = Math.min(Number(readU64(inf, addr + 8)), 1024);
  try {
    return new TextDecoder().decode(inf.read(ptr, len));
  } catch {
    return 'the runtime refused the call (its reason could not be read)';
  }
}

/**
 * R12 = 16: every register but RIP and RSP as saved, then single steps
 * until the thread has returned out of debugCallV2 to the saved PC (an int3
 * of ours there is not executed), then the saved registers and FP state as
 * they were — the runtime moves no stack here (the calling goroutine is at
 * an async safe point, which prevents stack shrinks), so SP is the saved one;
 * if it is not, the stack was moved and only RFLAGS and the FP state are put
 * back. The handled breakpoint under the thread is marked handled again
 * ('mark': stopped now) or its instruction run at once ('step': the program
 * runs, the call was abandoned, and the thread goes on from here).
 */
export function restoreThread(inf: DebuggeeProcess, run: ThreadRun, saved: SavedThread, hit: 'mark' | 'step'): void {
  const { tid, v2 } = saved;
  const cur = inf.getRegs(tid);
  const back = saved.regs.clone();
  back.pc = cur.pc;
  back.set('rsp', cur.get('rsp'));
  inf.setRegs(tid, back);
  for (let i = 0; i < 64; i++) {
    const pc = inf.getRegs(tid).pc;
    if (pc < v2.entry || pc >= v2.end) break;
    const r = run.step(tid);
    if (r === 'exited') throw new EvalError(`the program exited while the call of ${saved.name} was being undone`);
  }
  const end = inf.getRegs(tid);
  if (end.pc !== saved.regs.pc)
    throw new Error(`after the call of ${saved.name}, thread ${tid} is at 0x${end.pc.toString(16)}, not 0x${saved.regs.pc.toString(16)}`);
  let final: Registers;
  if (end.sp === saved.regs.sp) final = saved.regs.clone();
  else {
    final = end.clone();
    final.set('eflags', saved.regs.get('eflags'));
    final.fp!.set(saved.regs.fp!);
  }
  inf.setRegs(tid, final);
  if (!saved.consumedHit) return;
  if (hit === 'mark') inf.consumeHit(tid);
  else if (run.step(tid) === 'exited') throw new EvalError(`the program exited while the call of ${saved.name} was being undone`);
}
