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
import type { Registers } from './registers.js';

export interface DisplacedHost {
  /** Original bytes at addr (breakpoints hidden): code, or a stack word. */
  readCode(addr: number, len: number): Uint8Array | undefined;
  /** Raw write (the scratch slot, the stack for an emulated CALL). */
  writeRaw(addr: number, data: Uint8Array): void;
  getRegs(tid: number): Registers;
  setRegs(tid: number, regs: Registers): void;
  /** Single-steps the thread (others keep running): 'ok', 'exited' or the signal that stopped it. */
  step(tid: number): 'ok' | 'exited' | { signal: number };
}

export type DisplacedResult = 'done' | 'unsupported' | 'exited' | { signal: number };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export class DisplacedStepper {
  /** Decoded instruction per breakpoint address (code does not change under us). */
  private readonly cache = new Map<number, X86Instruction | null>();
  /** What the scratch slot holds now, to skip rewriting it. */
  private slotFor?: number;
  /** Counts, for measurements and tests. */
  readonly stats = { emulated: 0, displaced: 0, unsupported: 0 };

  constructor(
    private readonly host: DisplacedHost,
    /** Address of at least 16 bytes of int3 padding, or undefined (emulation only). */
    readonly scratch: number | undefined,
  ) {}

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
        const ret = this.host.readCode(regs.sp, 8);
        if (!ret || ret.length < 8) return this.unsupported();
        regs.pc = Number(new DataView(ret.buffer, ret.byteOffset, 8).getBigUint64(0, true));
        regs.set('rsp', BigInt(regs.sp + 8 + (insn.retPop ?? 0)));
        return this.emulated(tid, regs);
      }
      case 'none':
        return this.displaced(tid, addr, insn, regs);
      default:
        return this.unsupported();
    }
  }

  private decode(addr: number): X86Instruction | undefined {
    let insn = this.cache.get(addr);
    if (insn === undefined) {
      const bytes = this.host.readCode(addr, 16);
      const d = bytes ? decodeInstruction(bytes, addr) : undefined;
      insn = d && !d.invalid ? d : null;
      this.cache.set(addr, insn);
    }
    return insn ?? undefined;
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
      const code = this.host.readCode(addr, insn.length);
      if (!code) return this.unsupported();
      const copy = new Uint8Array(code);
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

  /** Forget the slot contents (e.g. after writing the padding back). */
  reset(): void {
    this.slotFor = undefined;
  }
}
