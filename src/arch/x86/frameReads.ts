/**
 * Which bytes of its frame a function's code reads. Go code addresses its
 * frame through RSP (also with `-N -l`: RBP is set up as a frame pointer for
 * tracebacks but never used as a base), and the pclntab SP delta gives RSP
 * at every instruction, so every RSP-relative operand names a fixed offset
 * from the CFA: RSP = CFA − 8 − spDelta(pc). Three things come out of one
 * linear sweep of the function:
 *  - the RSP-relative bytes an instruction reads (a load, a compare, an
 *    operation with a memory source, a POP or RET reading the stack top);
 *  - the frame addresses an instruction takes (LEA): code may read the
 *    object there through the pointer, and Go's memory safety keeps such a
 *    pointer within that one object;
 *  - the first instruction that reaches the frame in a way this scan does
 *    not follow (undecodable bytes, RBP or an index as base, RSP or RBP
 *    copied as a value, a frame size the tables do not give), after which
 *    nothing can be said.
 * A load whose value only moves into another frame slot (`MOVZX 0x2e(SP),
 * CX` then `MOVB CL, 0x2f(SP)`, the register dead after the store) is kept
 * as a copy: it counts as a read of the bytes only if the slot it fills is
 * used in turn. With `-N -l`, Go 1.26 copies a local into a temporary for an
 * interface conversion and then passes a constant in its place when the
 * local is a never-reassigned constant (`ok := true` printed with `%v`):
 * the local is loaded, but nothing the program computes depends on it. A
 * slot within the argument area of a call the function makes is read by the
 * callee (stack arguments, and the spill slots of register arguments, live
 * in the caller's frame just above RSP): such a copy counts as used, and
 * every copy does when a call's callee is unknown.
 * Memory reached through any other register is not the frame's unless its
 * address came from one of the above.
 */
import type { Decoded, MemArg } from './decoded.js';
import { decode } from './decoder.js';
import { memoryAccess } from './inFlightCopies.js';
import { canonicalRegister, type FunctionCode, registerLive } from './registerLiveness.js';

/** Bytes [off, off+size) relative to the CFA, used by the instruction at `pc`. */
export interface FrameAccess {
  pc: number;
  off: number;
  size: number;
  /** The read only copies the bytes into this frame slot (CFA-relative; `spOff` above RSP), through a register that dies at the store. */
  copyTo?: { off: number; size: number; spOff: number };
}

export interface FrameReads {
  /** Frame bytes an instruction reads, CFA-relative. */
  reads: FrameAccess[];
  /** Frame addresses an instruction takes (size 0), CFA-relative. */
  addressed: FrameAccess[];
  /** The first instruction the scan cannot follow, and why. */
  unsure?: { pc: number; why: string };
  /** Bytes above RSP that the callees of the function's calls may read (Infinity when one is unknown). */
  calleeArgs: number;
}

const isFrameReg = (name: string): boolean => name === 'SP' || name === 'BP';

/**
 * Why instruction `d` uses RSP or RBP as a value in a way that could hand
 * out a pointer into the frame, or undefined when it does not: the
 * prologue's and epilogue's own moves (RBP ← RSP, saving and restoring RBP),
 * RSP arithmetic with a constant, comparisons (the stack-bound check).
 */
function frameRegisterEscape(d: Decoded): string | undefined {
  const [dst, src] = d.args;
  const op = d.op;
  for (let i = 0; i < d.args.length; i++) {
    const a = d.args[i]!;
    if (a.kind !== 'reg' || !isFrameReg(a.name)) continue;
    if (op === 'CMP' || op === 'TEST') continue;
    // The caller's RBP saved and restored.
    if ((op === 'PUSH' || op === 'POP') && a.name === 'BP') continue;
    if (i === 0) {
      // Written whole, or RSP moved by a constant.
      if (op === 'MOV' || op === 'LEA') continue;
      if ((op === 'ADD' || op === 'SUB') && a.name === 'SP' && src?.kind === 'imm') continue;
      return `${op} changes ${a.name} in a way the scan does not follow`;
    }
    // RBP ← RSP, and RBP saved to the stack.
    if (op === 'MOV' && a.name === 'SP' && dst?.kind === 'reg' && dst.name === 'BP') continue;
    if (op === 'MOV' && a.name === 'BP' && dst?.kind === 'mem' && dst.base === 'SP') continue;
    return `${op} copies ${a.name}`;
  }
  return undefined;
}

/**
 * The reads, taken addresses and doubts of a function's frame (see the file
 * comment). `spDelta(pc)`: the pclntab SP delta; `calleeArgs(entry)`: the
 * argument area of the function at `entry` (the pclntab's args), undefined
 * when not known.
 */
export function frameReads(
  code: FunctionCode,
  spDelta: (pc: number) => number | undefined,
  calleeArgs: (entry: number) => number | undefined = () => undefined,
): FrameReads {
  const out: FrameReads = { reads: [], addressed: [], calleeArgs: 0 };
  const unsure = (pc: number, why: string): FrameReads => {
    out.unsure = { pc, why };
    return out;
  };
  // The last instruction's load of frame bytes into a register, while the next one may store it.
  let load: { read: FrameAccess; reg: string } | undefined;
  for (let off = 0; off < code.bytes.length; ) {
    const pc = code.start + off;
    const d = decode(code.bytes.subarray(off), pc);
    if (!d) return unsure(pc, 'undecodable instruction');
    off += d.len;
    const loaded = load;
    load = undefined;
    if (d.op === 'CALL') {
      const to = d.args[0];
      out.calleeArgs = Math.max(out.calleeArgs, (to?.kind === 'rel' ? calleeArgs(to.target) : undefined) ?? Number.POSITIVE_INFINITY);
    }
    if (d.op === 'NOP') continue;
    const escape = frameRegisterEscape(d);
    if (escape) return unsure(pc, escape);
    if (d.op === 'LEAVE' || d.op === 'ENTER') return unsure(pc, `${d.op} uses RBP`);
    const mem = d.args.find((a): a is MemArg => a.kind === 'mem');
    const popsStack = /^POP/.test(d.op) || d.op === 'RET';
    const onStack = mem && (mem.base === 'SP' || mem.base === 'BP' || mem.index === 'SP' || mem.index === 'BP');
    if (!onStack && !popsStack) continue;
    const delta = spDelta(pc);
    if (delta === undefined) return unsure(pc, 'no SP delta');
    const sp = -8 - delta;
    // POP and RET read the 8 bytes at the stack top (the saved RBP, the return address).
    if (popsStack) out.reads.push({ pc, off: sp, size: 8 });
    if (!mem || !onStack) continue;
    if (mem.base !== 'SP' || mem.index || d.addr32 || mem.seg === 'FS' || mem.seg === 'GS') return unsure(pc, 'frame addressed through RBP or an index');
    const at = sp + mem.sdisp;
    if (d.op === 'LEA') {
      // Below RSP nothing lives (Go keeps no red zone): the prologue's stack-bound check computes such an address to compare it.
      if (at >= sp) out.addressed.push({ pc, off: at, size: 0 });
      continue;
    }
    const access = memoryAccess(d);
    if (access && !access.read && loaded) noteCopy(code, d, pc, { off: at, size: access.size, spOff: mem.sdisp }, loaded);
    if (!access?.read) continue;
    if (access.size <= 0) return unsure(pc, 'memory operand of unknown size');
    const read: FrameAccess = { pc, off: at, size: access.size };
    out.reads.push(read);
    const dst = d.args[0];
    if (LOADS.has(d.op) && dst?.kind === 'reg' && /^[A-Z]/.test(dst.name)) load = { read, reg: canonicalRegister(dst.name) };
  }
  return out;
}

/** Plain loads of a general register from memory. */
const LOADS = new Set(['MOV', 'MOVZX', 'MOVSX', 'MOVSXD']);

/**
 * `d` at `pc` stores to the frame bytes `slot` right after `loaded` filled a
 * register: when it stores that register, whole enough to hold every byte
 * loaded, and the register is dead after the store, the load is a copy into
 * that slot.
 */
function noteCopy(code: FunctionCode, d: Decoded, pc: number, slot: NonNullable<FrameAccess['copyTo']>, loaded: { read: FrameAccess; reg: string }): void {
  const src = d.args[1];
  if (d.op !== 'MOV' || d.args.length !== 2 || src?.kind !== 'reg' || canonicalRegister(src.name) !== loaded.reg) return;
  if (slot.size < loaded.read.size || registerLive(code, pc + d.len, loaded.reg)) return;
  loaded.read.copyTo = slot;
}

/** How a function's code may see bytes [lo, hi) of its frame, CFA-relative; `object` is the variable holding them. */
export type SlotUse = { kind: 'read' | 'addressed'; pc: number } | { kind: 'unsure'; pc: number; why: string } | { kind: 'unread' };

/**
 * Whether the code behind `fr` may read bytes [lo, hi): an instruction reads
 * one of them, takes an address inside `object` ([objectLo, objectHi), the
 * whole variable), or the scan was unsure.
 */
export function slotUse(fr: FrameReads, lo: number, hi: number, objectLo = lo, objectHi = hi): SlotUse {
  if (fr.unsure) return { kind: 'unsure', ...fr.unsure };
  const r = fr.reads.find((a) => a.off < hi && lo < a.off + a.size && (!a.copyTo || copyUsed(fr, a.copyTo, 0)));
  if (r) return { kind: 'read', pc: r.pc };
  const t = fr.addressed.find((a) => objectLo <= a.off && a.off < objectHi);
  if (t) return { kind: 'addressed', pc: t.pc };
  return { kind: 'unread' };
}

/** Copies followed this deep at most; deeper ones count as used. */
const COPY_DEPTH = 4;

/**
 * Whether the frame slot a copy filled may be used: it lies in a callee's
 * argument area, the function reads it (a copy onward, recursively), or an
 * address is taken at or below it — a temporary has no DWARF extent, so an
 * object starting lower might hold it.
 */
function copyUsed(fr: FrameReads, slot: NonNullable<FrameAccess['copyTo']>, depth: number): boolean {
  if (depth >= COPY_DEPTH || slot.spOff < fr.calleeArgs) return true;
  const hi = slot.off + slot.size;
  if (fr.addressed.some((a) => a.off < hi)) return true;
  return fr.reads.some((a) => a.off < hi && slot.off < a.off + a.size && (!a.copyTo || copyUsed(fr, a.copyTo, depth + 1)));
}
