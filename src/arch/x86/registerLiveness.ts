/**
 * Which registers an instruction reads and which it overwrites, and two scans
 * over a function's code built on that: whether a register may still be read
 * (live) from a PC on, and whether it is left untouched on the straight line
 * from the function's entry to a PC. setVariable uses them for arguments that
 * arrived in registers (Go ABIInternal) and were spilled to the stack: the
 * first statements of a `-N -l` function may still read the register.
 *
 * Every doubt answers on the safe side: an instruction we do not model reads
 * and writes every register; a call or return reads every register (a call
 * takes its arguments in them, a return hands back results in them).
 */
import type { Arg, Decoded } from './decoded.js';
import { decode } from './decoder.js';

/** Registers named as the decoder prints them, any width: 'AX'..'R15' for general registers, 'X0'..'X31' for vectors. */
export interface RegisterUse {
  /** Registers whose value the instruction may use. */
  reads: string[];
  /** Registers whose whole value (the low 8 bytes of a vector register) it replaces without using it. */
  writes: string[];
  /** Registers whose value it may change (overwritten, or read and written). */
  changes: string[];
  /** Not modelled: treat every register as read and written. */
  unknown?: boolean;
  /** Control flow. */
  flow?: 'call' | 'ret' | 'jump' | 'branch' | 'indirect';
  /** Target of a direct jump or branch. */
  target?: number;
}

const BYTE_REGS: Record<string, string> = { AL: 'AX', CL: 'CX', DL: 'DX', BL: 'BX', AH: 'AX', CH: 'CX', DH: 'DX', BH: 'BX' };

/** One name per register: AL/AH/AX → 'AX', Y3/Z3 → 'X3'. */
export function canonicalRegister(name: string): string {
  if (BYTE_REGS[name]) return BYTE_REGS[name]!;
  if (/^[YZ]\d+$/.test(name)) return `X${name.slice(1)}`;
  return name;
}

/** Moves whose destination is written without being read. */
export const MOVES = new Set(['MOV', 'MOVZX', 'MOVSX', 'MOVSXD', 'LEA', 'MOVQ', 'MOVD', 'MOVUPS', 'MOVAPS', 'MOVUPD', 'MOVAPD', 'MOVDQU', 'MOVDQA', 'POP']);
/** Scalar SSE writes of the low 8 bytes (the rest kept): they replace a float64 or float32 argument. */
export const LOW64_WRITES = new Set(['MOVSD_XMM', 'CVTSI2SD', 'CVTSS2SD', 'SQRTSD']);
/** Conversions to a general register. */
export const TO_GPR = new Set(['CVTTSD2SI', 'CVTSD2SI', 'CVTTSS2SI', 'CVTSS2SI']);
/** The destination is only read. */
export const READ_ONLY = new Set(['CMP', 'TEST', 'UCOMISD', 'UCOMISS', 'COMISD', 'COMISS', 'BT', 'PUSH']);
/** The destination is read and written; the other operands read. */
export const READ_WRITE = new Set([
  'ADD',
  'SUB',
  'AND',
  'OR',
  'XOR',
  'ADC',
  'SBB',
  'INC',
  'DEC',
  'NEG',
  'NOT',
  'SHL',
  'SHR',
  'SAR',
  'ROL',
  'ROR',
  'BTS',
  'BTR',
  'BTC',
  'XCHG',
  'XADD',
  'ADDSD',
  'SUBSD',
  'MULSD',
  'DIVSD',
  'ADDSS',
  'SUBSS',
  'MULSS',
  'DIVSS',
  'MINSD',
  'MAXSD',
  'MINSS',
  'MAXSS',
  'ANDPS',
  'ANDPD',
  'ORPS',
  'ORPD',
  'XORPS',
  'XORPD',
  'ANDNPS',
  'ANDNPD',
  'PXOR',
  'PAND',
  'POR',
  'MOVSS',
  'CVTSD2SS',
  'CVTSI2SS',
  'SQRTSS',
]);
/** `XOR r, r` and friends: the result does not depend on the register. */
const ZERO_IDIOMS = new Set(['XOR', 'SUB', 'XORPS', 'XORPD', 'PXOR']);

function regsOf(a: Arg | undefined, into: string[]): void {
  if (!a) return;
  if (a.kind === 'reg') into.push(canonicalRegister(a.name));
  else if (a.kind === 'mem') {
    if (a.base && a.base !== 'IP') into.push(canonicalRegister(a.base));
    if (a.index) into.push(canonicalRegister(a.index));
  }
}

/** Address registers of a memory operand (read even when the operand is written). */
function addressRegs(a: Arg | undefined, into: string[]): void {
  if (a?.kind === 'mem') regsOf(a, into);
}

/** A register destination written whole: 32- and 64-bit general registers (a 32-bit write clears the top half), vectors. */
function wholeDest(a: Arg): boolean {
  return a.kind === 'reg' && (a.width === 0 || a.width >= 32);
}

/** What instruction `d` reads, overwrites and changes. */
export function registerUse(d: Decoded): RegisterUse {
  const op = d.op;
  const [dst, ...srcs] = d.args;
  const reads: string[] = [];
  const writes: string[] = [];
  const changes: string[] = [];
  const out = (): RegisterUse => ({ reads, writes, changes });
  if (op === 'CALL' || op === 'JMP') {
    regsOf(dst, reads);
    if (dst?.kind === 'rel') return { ...out(), flow: op === 'CALL' ? 'call' : 'jump', target: dst.target };
    return { ...out(), flow: 'indirect', unknown: true };
  }
  if (op === 'RET') return { ...out(), flow: 'ret' };
  if (/^J/.test(op) && dst?.kind === 'rel' && op !== 'JRCXZ' && op !== 'JECXZ') return { ...out(), flow: 'branch', target: dst.target };
  // NOPL 0(AX)(AX*1) names registers it never uses.
  if (op === 'NOP') return out();
  if (!dst) return { ...out(), unknown: true };
  for (const s of srcs) regsOf(s, reads);
  addressRegs(dst, reads);
  const destReg = dst.kind === 'reg' ? canonicalRegister(dst.name) : undefined;
  const same = srcs.length === 1 && dst.kind === 'reg' && srcs[0]!.kind === 'reg' && srcs[0]!.name === dst.name;
  if (ZERO_IDIOMS.has(op) && same && wholeDest(dst)) return { reads: [], writes: [destReg!], changes: [destReg!] };
  const srcIsMem = srcs[0]?.kind === 'mem';
  if (MOVES.has(op) || TO_GPR.has(op) || LOW64_WRITES.has(op) || (op === 'MOVSS' && srcIsMem)) {
    if (destReg) {
      changes.push(destReg);
      if (wholeDest(dst)) writes.push(destReg);
      else reads.push(destReg);
    }
    return out();
  }
  if (READ_ONLY.has(op)) {
    regsOf(dst, reads);
    return out();
  }
  if (READ_WRITE.has(op) || /^(CMOV|SET)/.test(op) || (op === 'IMUL' && srcs.length >= 1)) {
    regsOf(dst, reads);
    if (destReg) changes.push(destReg);
    if ((op === 'XCHG' || op === 'XADD') && srcs[0]?.kind === 'reg') changes.push(canonicalRegister(srcs[0].name));
    return out();
  }
  return { ...out(), unknown: true };
}

/** A function's code: its bytes from address `start`. */
export interface FunctionCode {
  start: number;
  bytes: Uint8Array;
}

function useAt(code: FunctionCode, pc: number): { use: RegisterUse; len: number } | undefined {
  const off = pc - code.start;
  if (off < 0 || off >= code.bytes.length) return undefined;
  const d = decode(code.bytes.subarray(off), pc);
  return d ? { use: registerUse(d), len: d.len } : undefined;
}

/**
 * Whether `reg` may be read before it is overwritten on some path from `pc`
 * (both ways at a conditional branch, through direct jumps, inside the
 * function). A call, a return, an indirect jump, code we cannot decode or
 * model, a path leaving the function and running out of `budget`
 * instructions all count as a read.
 */
export function registerLive(code: FunctionCode, pc: number, reg: string, budget = 4096): boolean {
  const seen = new Set<number>();
  const todo = [pc];
  let steps = 0;
  while (todo.length) {
    let at = todo.pop()!;
    for (;;) {
      if (seen.has(at)) break;
      seen.add(at);
      if (++steps > budget) return true;
      const u = useAt(code, at);
      if (!u) return true;
      const { use, len } = u;
      if (use.unknown || use.flow === 'call' || use.flow === 'ret' || use.flow === 'indirect') return true;
      if (use.reads.includes(reg)) return true;
      if (use.writes.includes(reg)) break;
      if (use.flow === 'jump') {
        at = use.target!;
        continue;
      }
      if (use.flow === 'branch') todo.push(use.target!);
      at += len;
    }
  }
  return false;
}

/**
 * The registers of `regs` that no instruction on the straight line from the
 * function's start to `pc` writes. Empty when that line holds a call, an
 * unconditional jump or code we cannot model, when `pc` is not an
 * instruction boundary on it, or when a direct jump anywhere in the function
 * lands between the start (excluded: the stack-growth path returns there) and
 * `pc` (included), so that `pc` may be reached another way.
 */
export function untouchedSinceEntry(code: FunctionCode, pc: number, regs: string[]): string[] {
  const left = new Set(regs);
  let at = code.start;
  while (at < pc) {
    const u = useAt(code, at);
    if (!u) return [];
    const { use, len } = u;
    if (use.unknown || use.flow === 'call' || use.flow === 'ret' || use.flow === 'jump' || use.flow === 'indirect') return [];
    for (const r of use.changes) left.delete(r);
    at += len;
  }
  if (at !== pc) return [];
  for (let a = code.start; a < code.start + code.bytes.length; ) {
    const u = useAt(code, a);
    if (!u) {
      a++;
      continue;
    }
    const t = u.use.target;
    if (t !== undefined && (u.use.flow === 'jump' || u.use.flow === 'branch') && t > code.start && t <= pc) return [];
    a += u.len;
  }
  return regs.filter((r) => left.has(r));
}
