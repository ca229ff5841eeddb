/**
 * Resuming one thread from a breakpoint without stopping the others.
 *
 * The classic way (remove the int3, single-step, put it back) needs every other
 * thread stopped, or one of them could run through the breakpoint while it is
 * out. Instead the original instruction is executed elsewhere:
 *  - a relative JMP / Jcc / CALL is emulated on the registers;
 *  - any other plain instruction is copied into a scratch slot (a run of int3
 *    padding between functions, which no code ever reaches), its RIP-relative
 *    displacement adjusted, single-stepped there, and RIP moved back to the
 *    instruction after the breakpoint.
 * The int3 stays in place the whole time, so no other thread can miss it.
 * RET is emulated too. Anything else (indirect branches, system calls) returns 'unsupported'
 * and the caller falls back to the all-stop step-over.
 */
import { conditionHolds, decodeInstruction, type X86Instruction } from '../arch/x86/index.js';
import { decode, type Arg, type Decoded } from '../arch/x86/decoder.js';
import { readBytes, readWord, type MemoryReader } from '../process/memory.js';
import type { StepResult } from '../process/process.js';
import type { RegName, Registers } from '../process/registers.js';

/** Go's register names → user_regs_struct names (64-bit general registers). */
const GPR: Record<string, RegName> = {
  AX: 'rax',
  CX: 'rcx',
  DX: 'rdx',
  BX: 'rbx',
  SP: 'rsp',
  BP: 'rbp',
  SI: 'rsi',
  DI: 'rdi',
  R8: 'r8',
  R9: 'r9',
  R10: 'r10',
  R11: 'r11',
  R12: 'r12',
  R13: 'r13',
  R14: 'r14',
  R15: 'r15',
};

/** Memory reads (readInto) show the original bytes, our int3s hidden: code, stack words, data. */
export interface DisplacedHost extends MemoryReader {
  /** Raw write (the scratch slot, the stack for an emulated CALL, an emulated MOV's store). */
  writeRaw(addr: number, data: Uint8Array): void;
  getRegs(tid: number): Registers;
  setRegs(tid: number, regs: Registers): void;
  /** Single-steps the thread (others keep running): 'ok', 'exited' or the signal that stopped it. */
  step(tid: number): StepResult;
}

export type DisplacedResult = 'done' | 'unsupported' | 'exited' | { signal: number };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Bytes read to decode one instruction (the longest x86 instruction is 15). */
const MAX_INSN = 16;
/** Size of the scratch slot: room for any instruction. */
const SLOT_SIZE = 16;
const INT3 = 0xcc;
const MASK64 = (1n << 64n) - 1n;
const MASK32 = (1n << 32n) - 1n;

/** The 64-bit register a `width`-bit general register operand names (its low half for 32). */
function regOf(a: Arg, width: number): RegName | undefined {
  return a.kind === 'reg' && a.width === width ? GPR[a.name] : undefined;
}

export class DisplacedStepper {
  /** Decoded instruction per breakpoint address (code does not change under us). */
  private readonly cache = new Map<number, X86Instruction | null>();
  private readonly operands = new Map<number, Decoded | null>();
  /** Address of 16 bytes of int3 padding, or undefined (emulation only). */
  private scratch?: number;
  /** The slot's padding as found, written back by restoreScratch. */
  private scratchPadding?: Uint8Array;
  /** What the scratch slot holds now, to skip rewriting it. */
  private slotFor?: number;
  /** Counts, for measurements and tests. */
  readonly stats = { emulated: 0, displaced: 0, unsupported: 0 };

  constructor(private readonly host: DisplacedHost) {}

  /**
   * Takes the 16 bytes at `addr` as the scratch slot when they are int3 padding
   * in this process; anything else is left untouched (and unused).
   */
  useScratch(addr: number): void {
    const bytes = readBytes(this.host, addr, SLOT_SIZE);
    if (!bytes?.every((b) => b === INT3)) return;
    this.scratch = addr;
    this.scratchPadding = bytes;
    this.slotFor = undefined;
  }

  /** `bytes` read at `addr`, with the slot's padding where the slot holds a copied instruction: that one is ours, not the program's. */
  shadow(addr: number, bytes: Uint8Array): Uint8Array {
    const slot = this.scratch;
    const pad = this.scratchPadding;
    if (slot === undefined || !pad || this.slotFor === undefined) return bytes;
    for (let a = Math.max(addr, slot); a < Math.min(addr + bytes.length, slot + SLOT_SIZE); a++) bytes[a - addr] = pad[a - slot]!;
    return bytes;
  }

  /** Writes the padding back into the slot (before the process is let go). */
  restoreScratch(): void {
    if (this.scratch === undefined || !this.scratchPadding) return;
    try {
      this.host.writeRaw(this.scratch, this.scratchPadding);
    } catch {
      /* gone */
    }
    this.slotFor = undefined;
  }

  /** The thread `tid` is stopped on the breakpoint at `addr` (RIP = addr): execute the original instruction. */
  run(tid: number, addr: number, regs: Registers): DisplacedResult {
    const insn = this.decode(addr);
    if (!insn) return this.unsupported();
    const next = addr + insn.length;
    switch (insn.flow) {
      case 'jump':
        if (insn.indirect || insn.target === undefined) return this.unsupported();
        regs.pc = insn.target;
        return this.emulated(tid, regs);
      case 'cjump':
        if (insn.counter || insn.cc === undefined || insn.target === undefined) return this.unsupported();
        regs.pc = conditionHolds(insn.cc, regs.get('eflags')) ? insn.target : next;
        return this.emulated(tid, regs);
      case 'call': {
        if (insn.indirect || insn.target === undefined) return this.unsupported();
        const sp = regs.sp - 8;
        const ret = new Uint8Array(8);
        new DataView(ret.buffer).setBigUint64(0, BigInt(next), true);
        this.host.writeRaw(sp, ret);
        regs.set('rsp', BigInt(sp));
        regs.pc = insn.target;
        return this.emulated(tid, regs);
      }
      case 'ret': {
        const ret = readWord(this.host, regs.sp);
        if (ret === undefined) return this.unsupported();
        regs.pc = ret;
        regs.set('rsp', BigInt(regs.sp + 8 + (insn.retPop ?? 0)));
        return this.emulated(tid, regs);
      }
      case 'none':
        if (this.emulateMove(tid, addr, next, regs)) return 'done';
        return this.displaced(tid, addr, insn, regs);
      default:
        return this.unsupported();
    }
  }

  private decode(addr: number): X86Instruction | undefined {
    let insn = this.cache.get(addr);
    if (insn === undefined) {
      const bytes = this.code(addr);
      const d = bytes ? decodeInstruction(bytes, addr) : undefined;
      insn = d && !d.invalid ? d : null;
      this.cache.set(addr, insn);
    }
    return insn ?? undefined;
  }

  /**
   * MOV and LEA between general registers, memory and immediates (32 and 64
   * bits): the commonest first instruction of a Go statement. Emulated on the
   * registers, it saves the single-step round trip. Anything unusual (segment
   * prefixes, 8/16-bit forms, vector registers) is left to the out-of-line step.
   */
  private emulateMove(tid: number, addr: number, next: number, regs: Registers): boolean {
    const d = this.moveAt(addr);
    if (!d) return false;
    const [dst, src] = d.args as [Arg, Arg];
    const width = d.dataSize;
    const mask = width === 64 ? MASK64 : MASK32;
    let value: bigint;
    if (d.op === 'LEA') {
      const ea = effectiveAddress(src, next, regs);
      if (ea === undefined) return false;
      value = BigInt(ea) & mask;
    } else if (src.kind === 'reg') {
      const r = regOf(src, width);
      if (!r) return false;
      value = regs.get(r) & mask;
    } else if (src.kind === 'imm') {
      value = BigInt.asUintN(64, BigInt(src.value)) & mask;
    } else if (src.kind === 'mem') {
      const ea = effectiveAddress(src, next, regs);
      // One scratch buffer per width: the hit path of a condition in a loop loads on every hit.
      const b = width === 64 ? this.load8 : this.load4;
      if (ea === undefined || this.host.readInto(ea, b) !== b.length) return false;
      value = width === 64 ? this.load8View.getBigUint64(0, true) : BigInt(this.load4View.getUint32(0, true));
    } else return false;
    if (dst.kind === 'reg') {
      const r = regOf(dst, width);
      if (!r) return false;
      regs.set(r, value); // a 32-bit write zero-extends, as the CPU does
    } else if (dst.kind === 'mem' && d.op === 'MOV') {
      const ea = effectiveAddress(dst, next, regs);
      if (ea === undefined) return false;
      const out = new Uint8Array(width / 8);
      const dv = new DataView(out.buffer);
      if (width === 64) dv.setBigUint64(0, value, true);
      else dv.setUint32(0, Number(value), true);
      this.host.writeRaw(ea, out);
    } else return false;
    regs.pc = next;
    this.host.setRegs(tid, regs);
    this.stats.emulated++;
    return true;
  }
  private readonly load8 = new Uint8Array(8);
  private readonly load8View = new DataView(this.load8.buffer);
  private readonly load4 = new Uint8Array(4);
  private readonly load4View = new DataView(this.load4.buffer);

  /** The MOV or LEA at addr that emulateMove can run, or null (decoded once per address). */
  private moveAt(addr: number): Decoded | null {
    let d = this.operands.get(addr);
    if (d === undefined) {
      const bytes = this.code(addr);
      d = (bytes && decode(bytes, addr)) || null;
      if (d && !((d.op === 'MOV' || d.op === 'LEA') && (d.dataSize === 64 || d.dataSize === 32) && !d.addr32 && !d.prefix && !d.rep && d.args.length === 2))
        d = null;
      this.operands.set(addr, d);
    }
    return d;
  }

  /**
   * The memory the instruction at the breakpoint `addr` loads when it is emulated
   * (a MOV from memory), for the thread at `regs`: read with the hit's other reads.
   */
  loadAt(addr: number, regs: Registers): { addr: number; len: number } | undefined {
    const insn = this.decode(addr);
    if (insn?.flow !== 'none') return undefined;
    const d = this.moveAt(addr);
    if (d?.op !== 'MOV' || d.args[1]?.kind !== 'mem') return undefined;
    const ea = effectiveAddress(d.args[1], addr + insn.length, regs);
    return ea === undefined ? undefined : { addr: ea, len: d.dataSize / 8 };
  }

  private emulated(tid: number, regs: Registers): DisplacedResult {
    this.host.setRegs(tid, regs);
    this.stats.emulated++;
    return 'done';
  }

  private unsupported(): DisplacedResult {
    this.stats.unsupported++;
    return 'unsupported';
  }

  private displaced(tid: number, addr: number, insn: X86Instruction, regs: Registers): DisplacedResult {
    const slot = this.scratch;
    if (slot === undefined) return this.unsupported();
    if (this.slotFor !== addr) {
      const copy = readBytes(this.host, addr, insn.length);
      if (!copy) return this.unsupported();
      if (insn.ripRelative) {
        const disp = insn.ripRelative.target - (slot + insn.length);
        if (disp < INT32_MIN || disp > INT32_MAX) return this.unsupported();
        new DataView(copy.buffer).setInt32(insn.ripRelative.dispOffset, disp, true);
      }
      this.host.writeRaw(slot, copy);
      this.slotFor = addr;
    }
    regs.pc = slot;
    this.host.setRegs(tid, regs);
    const r = this.host.step(tid);
    if (r === 'exited') return 'exited';
    const after = this.host.getRegs(tid);
    if (typeof r === 'object') {
      // It faulted in the slot: put it back on the original instruction; the signal
      // (kept pending by the step) is then delivered where the program expects it.
      after.pc = addr;
      this.host.setRegs(tid, after);
      return r;
    }
    if (after.pc !== slot + insn.length) {
      // Should not happen for a non-branch; keep the thread sane rather than lost.
      after.pc = addr;
      this.host.setRegs(tid, after);
      this.slotFor = undefined;
      return this.unsupported();
    }
    after.pc = addr + insn.length;
    this.host.setRegs(tid, after);
    this.stats.displaced++;
    return 'done';
  }

  /** Up to MAX_INSN bytes of code at addr (fewer near the end of a mapping), or undefined when none is readable. */
  private code(addr: number): Uint8Array | undefined {
    const out = new Uint8Array(MAX_INSN);
    const n = this.host.readInto(addr, out);
    return n > 0 ? out.subarray(0, n) : undefined;
  }
}

/** The address a memory operand names, for the instruction ending at `next` run with `regs`; undefined when not plain. */
function effectiveAddress(a: Arg, next: number, regs: Registers): number | undefined {
  if (a.kind !== 'mem' || a.seg) return undefined;
  if (a.addr >= 0) return a.addr;
  // RIP-relative (Go's globals, `MOVQ main.sink(SB), CX`): plain numbers are exact below 2^53.
  if (a.base === 'IP' && !a.index) return next + a.sdisp >= 0 ? next + a.sdisp : undefined;
  let v = 0n;
  if (a.base) {
    if (a.base === 'IP') v = BigInt(next);
    else {
      const r = GPR[a.base];
      if (!r) return undefined;
      v = regs.get(r);
    }
  }
  if (a.index) {
    const r = GPR[a.index];
    if (!r) return undefined;
    v += regs.get(r) * BigInt(a.scale || 1);
  }
  v = BigInt.asUintN(64, v + BigInt(a.sdisp));
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(v);
}
