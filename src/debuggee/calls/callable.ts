/**
 * Whether a call can be injected on thread id `id` of a stopped program, and
 * on which OS thread: what debugCallV2 asks of the debugger before it is
 * entered (the goroutine in _Grunning on a thread, at least 256 bytes of
 * stack free) and what its own check needs to run at all (R14 holding that
 * goroutine's g: Go code, not the system stack or C code). The runtime itself
 * refuses what it knows better (inside the runtime, not at a safe point).
 */
import { EvalError } from '../../eval/errors.js';
import type { DebuggeeProcess } from '../../process/process.js';
import type { GoroutineView } from '../goroutines/goroutineView.js';
import { G_STATUS } from '../goroutines/goroutines.js';
import { readThreadG } from '../goroutines/threadG.js';

/** The stack room debugCallV2 needs below SP (asm_amd64.s). */
const STACK_NEEDED = 256;
const SCAN_BIT = 0x1000;

/** The OS thread a call on thread id `id` runs on; throws EvalError with the reason it cannot. */
export function callThread(inf: DebuggeeProcess, view: GoroutineView, id: number, name: string): number {
  const refuse = (why: string) => new EvalError(`cannot call ${name}: ${why}`);
  const L = view.layout();
  if (!L) throw refuse('the program has no goroutine information (no DWARF for the runtime)');
  // The usual case, from R14 without the goroutine table: the goroutine runs Go code on its own stack.
  const onThread = view.threadRunning(id);
  if (onThread !== undefined) {
    const regs = inf.getRegs(onThread);
    const g = readThreadG(inf, L, regs.r14);
    if (g?.id === id && (g.status & ~SCAN_BIT) === G_STATUS.running && regs.sp >= g.stackLo && regs.sp < g.stackHi) {
      if (regs.sp - STACK_NEEDED < g.stackLo) throw refuse(`goroutine ${id} has less than ${STACK_NEEDED} bytes of stack free`);
      return onThread;
    }
  }
  // Anything else is refused with what the goroutine table says of it.
  const { tid: known } = view.resolve(id);
  const g = view.tableNow().byId.get(id);
  if (!g) {
    if (known !== undefined) throw refuse(`thread ${id} runs no goroutine`);
    throw refuse(`there is no goroutine ${id}`);
  }
  const status = g.status & ~SCAN_BIT;
  if (g.tid === undefined) {
    const why = g.waitReason ? `${g.statusName}: ${g.waitReason}` : g.statusName;
    throw new EvalError(`function calls need a goroutine running on a thread: goroutine ${id} is parked (${why})`);
  }
  if (status === G_STATUS.syscall) throw refuse(`goroutine ${id} is in a system call`);
  if (status !== G_STATUS.running) throw refuse(`goroutine ${id} is not running (${g.statusName})`);
  const regs = inf.getRegs(g.tid);
  if (regs.r14 !== g.g || regs.sp < g.stackLo || regs.sp >= g.stackHi)
    throw refuse(`goroutine ${id}'s thread is stopped outside its Go code (on the runtime's system stack or in C code)`);
  if (regs.sp - STACK_NEEDED < g.stackLo) throw refuse(`goroutine ${id} has less than ${STACK_NEEDED} bytes of stack free`);
  return g.tid;
}
