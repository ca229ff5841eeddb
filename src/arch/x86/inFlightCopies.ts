/**
 * Copies a statement has already made. Stopped in the middle of a statement
 * (an instruction breakpoint, an instruction step), the code may already
 * have loaded a variable into a register, or copied it elsewhere, so a write
 * to the variable's memory comes too late for this statement. This scan
 * follows the straight line from the statement's first instruction to the
 * PC: registers loaded from the bytes, registers computed from those, and
 * stores of them.
 */
import type { Decoded, MemArg } from './decoded.js';
import { decode } from './decoder.js';
import { canonicalRegister, type FunctionCode, LOW64_WRITES, MOVES, READ_ONLY, registerLive, registerUse, TO_GPR } from './registerLiveness.js';

/** The memory operand of an instruction and how it is used. */
export interface MemoryAccess {
  mem: MemArg;
  size: number;
  read: boolean;
  write: boolean;
}

/** How instruction `d` uses its memory operand (LEA only computes an address; NOP none). */
export function memoryAccess(d: Decoded): MemoryAccess | undefined {
  const i = d.args.findIndex((a) => a.kind === 'mem');
  if (i < 0 || d.op === 'LEA' || d.op === 'NOP') return undefined;
  const mem = d.args[i] as MemArg;
  const size = d.memBytes;
  if (i > 0) return { mem, size, read: true, write: false };
  const op = d.op;
  if (MOVES.has(op) || TO_GPR.has(op) || LOW64_WRITES.has(op) || op === 'MOVSS' || /^SET/.test(op)) return { mem, size, read: false, write: true };
  if (READ_ONLY.has(op)) return { mem, size, read: true, write: false };
  return { mem, size, read: true, write: true };
}

/** What the statement has done with the bytes so far. */
export interface InFlight {
  /** A register that holds (something computed from) the bytes and may still be read. */
  register?: string;
  /** The bytes (or something computed from them) were stored elsewhere. */
  copied?: boolean;
}

/**
 * Follows the code from `from` (a statement's first instruction) to `pc` and
 * reports whether bytes [lo, hi), or registers `holders` that hold them,
 * were read on the way and are still in flight. `spAt(pc)` gives RSP at an instruction (frame addresses are
 * RSP-relative in Go code); RIP-relative operands are absolute. Memory
 * reached through other registers is not followed. Undefined when nothing
 * was read.
 */
export function inFlightCopies(
  code: FunctionCode,
  from: number,
  pc: number,
  lo: number,
  hi: number,
  spAt: (pc: number) => number | undefined,
  holders: string[] = [],
): InFlight | undefined {
  // `holders` already hold the bytes at `from` (an argument's arrival registers): what is computed from them counts, they do not.
  const tainted = new Set<string>(holders);
  const original = new Set<string>(holders);
  let copied = false;
  for (let at = from; at < pc; ) {
    const off = at - code.start;
    const d = off >= 0 && off < code.bytes.length ? decode(code.bytes.subarray(off), at) : undefined;
    if (!d) break;
    const use = registerUse(d);
    const m = memoryAccess(d);
    let addr: number | undefined;
    if (m && m.mem.base === 'IP') addr = m.mem.addr;
    else if (m && m.mem.base === 'SP' && !m.mem.index) {
      const sp = spAt(at);
      if (sp !== undefined) addr = sp + m.mem.sdisp;
    }
    const fromBytes = m?.read === true && addr !== undefined && addr < hi && lo < addr + m.size;
    const fromTainted = use.reads.some((r) => tainted.has(r));
    if (use.flow === 'call') {
      // The call has happened (with the old value, as the program ran it); it clobbers every register.
      tainted.clear();
      original.clear();
      at += d.len;
      continue;
    } else if (use.flow === 'jump' || use.flow === 'indirect' || use.flow === 'ret' || use.unknown) {
      if (fromTainted) copied = true;
      break;
    }
    for (const r of use.changes) original.delete(r);
    if (fromBytes || fromTainted) {
      for (const r of use.changes) tainted.add(r);
      // A store back into the bytes themselves (the prologue's spill of an argument) is no copy: the write replaces it.
      const intoBytes = addr !== undefined && m !== undefined && lo <= addr && addr + m.size <= hi;
      if (fromTainted && m?.write && !intoBytes) copied = true;
    } else {
      for (const r of use.writes) tainted.delete(r);
    }
    at += d.len;
  }
  const live = [...tainted].find((r) => !original.has(r) && registerLive(code, pc, r));
  if (!live && !copied) return undefined;
  const out: InFlight = {};
  if (live) out.register = canonicalRegister(live);
  if (copied) out.copied = true;
  return out;
}
