/**
 * C frames between a Go callback and the Go code that called C (cgo).
 *
 * Go → C: runtime.cgocall → asmcgocall switches to the M's system stack (g0)
 * and calls the C function. C → Go: crosscall2 → runtime.cgocallback, still on
 * g0, stores the old g0.sched.sp at 0(SP), sets g0.sched.sp = SP, then opens a
 * frame of the same size on the goroutine's stack whose return address is the
 * goroutine's saved g.sched.pc (Go 1.26 runtime/asm_amd64.s). So a walk of the
 * goroutine's stack goes from cgocallback straight to the code that entered
 * the system call, skipping every C frame.
 *
 * The C frames are recovered as the runtime lays them out: cgocallback's frame
 * on g0 starts at g0.sched.sp with the same SP delta as on the goroutine, its
 * return address leads into crosscall2, then the C functions (walked by their
 * .eh_frame rules), up to asmcgocall; after that the goroutine walk resumes
 * where it left off. Callbacks nest: each cgocallback frame further out uses
 * the g0.sched.sp saved at 0(SP) of the one before.
 */
import { type MemoryReader, readWord } from '../../process/memory.js';
import { type RawFrame, type UnwindFunc, type UnwindTables, unwindStack } from '../../unwind/unwinder.js';

const CGOCALLBACK = 'runtime.cgocallback';
const isAsmcgocall = (name: string | undefined) => name === 'runtime.asmcgocall' || name === 'runtime.asmcgocall.abi0';

/**
 * Whether a frame after the first is runtime.cgocallback's. A plain loop that looks at each
 * function once per run of frames in it: a stop's first walk runs in V8's interpreter, where
 * a callback per frame of a 1,003-frame recursion cost 0.2–5 ms on two loaded cores.
 */
function hasCallback(frames: readonly RawFrame[]): boolean {
  let last: UnwindFunc | undefined;
  for (let i = 1; i < frames.length; i++) {
    const fn = frames[i]!.fn;
    if (fn === last) continue;
    last = fn;
    if (fn?.name === CGOCALLBACK) return true;
  }
  return false;
}

/**
 * Inserts the system-stack frames of every cgo callback found in a goroutine's
 * frames. `g0SchedSP` reads the M's g0.sched.sp (only when there is a
 * callback), undefined when unknown: the frames are returned as they are.
 */
export function crossCgoCallbacks(
  frames: RawFrame[],
  g0SchedSP: () => number | undefined,
  tables: UnwindTables,
  mem: MemoryReader,
  maxFrames: number,
): RawFrame[] {
  if (!hasCallback(frames)) return frames;
  let g0sp = g0SchedSP();
  if (g0sp === undefined) return frames;
  const out: RawFrame[] = [];
  for (let i = 0; i < frames.length && out.length < maxFrames; i++) {
    const f = frames[i]!;
    out.push(f);
    if (i === 0 || f.fn?.name !== CGOCALLBACK || !g0sp || i === frames.length - 1) continue;
    const c = cFrames(f, g0sp, tables, mem, maxFrames - out.length);
    if (!c) {
      g0sp = undefined;
      continue;
    }
    out.push(...c);
    g0sp = readWord(mem, g0sp);
  }
  return out.slice(0, maxFrames);
}

/**
 * The frames from crosscall2 through asmcgocall for the cgocallback frame f,
 * whose g0 twin starts at g0sp; undefined when the walk does not reach
 * asmcgocall (then nothing is inserted rather than a wrong stack).
 */
function cFrames(f: RawFrame, g0sp: number, tables: UnwindTables, mem: MemoryReader, max: number): RawFrame[] | undefined {
  if (max <= 0) return undefined;
  const walk = unwindStack({ pc: f.pc, sp: g0sp, bp: f.bp }, tables, {
    mem,
    // The whole C side, whatever max is: only a walk that reaches asmcgocall is trusted (the caller truncates).
    maxFrames: 256,
    until: (x) => isAsmcgocall(x.fn?.name),
  });
  const last = walk[walk.length - 1];
  if (walk.length < 2 || walk[0]!.fn?.name !== CGOCALLBACK || !isAsmcgocall(last?.fn?.name)) return undefined;
  // walk[0] is cgocallback's frame on g0 (already shown from the goroutine side); walk[1] is its caller.
  return walk.slice(1).map((x) => ({ ...x, exact: false }));
}
