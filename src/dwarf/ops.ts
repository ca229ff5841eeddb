/**
 * DWARF location expressions (DW_OP_*): a small stack machine whose result is
 * where a variable lives: in memory, in a register, a computed value, or a
 * list of pieces of those. Registers and memory come in as callbacks.
 */
import { DecodeError, Reader } from '../binary/reader.js';

/** DWARF register numbers on amd64 (System V psABI), index = DWARF number. */
// biome-ignore format: eight registers a row, in DWARF numbering
export const AMD64_DWARF_REGISTERS: readonly string[] = [
  'rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip',
  'xmm0', 'xmm1', 'xmm2', 'xmm3', 'xmm4', 'xmm5', 'xmm6', 'xmm7',
  'xmm8', 'xmm9', 'xmm10', 'xmm11', 'xmm12', 'xmm13', 'xmm14', 'xmm15',
];

export const DWARF_REG = { RAX: 0, RDX: 1, RCX: 2, RBX: 3, RSI: 4, RDI: 5, RBP: 6, RSP: 7, R14: 14, RIP: 16, XMM0: 17 } as const;

/**
 * DWARF register number → index in Linux `struct user_regs_struct` (what
 * PTRACE_GETREGS fills), for the general-purpose registers 0..16; -1 for XMM.
 */
// biome-ignore format: eight registers a row, in DWARF numbering
export const DWARF_TO_USER_REGS: readonly number[] = [
  10, 12, 11, 5, 13, 14, 4, 19, // rax rdx rcx rbx rsi rdi rbp rsp
  9, 8, 7, 6, 3, 2, 1, 0, // r8..r15
  16, // rip
];

export interface EvalContext {
  /** Value of a DWARF register (XMM registers: their low 64 bits). */
  regs(dwarfRegNo: number): bigint;
  /** Canonical frame address, for DW_OP_call_frame_cfa. */
  cfa?: number;
  /** Value of the function's DW_AT_frame_base, for DW_OP_fbreg. */
  frameBase?: number;
  readMemory(addr: number, len: number): Uint8Array;
  ptrSize: 8 | 4;
  /** Added to DW_OP_addr operands: the load bias of a relocated position-independent image. */
  addressBias?: number;
}

export type Piece =
  | { kind: 'memory'; addr: number; size?: number }
  | { kind: 'register'; reg: number; size?: number }
  | { kind: 'value'; value: bigint; size?: number }
  | { kind: 'implicit'; bytes: Uint8Array; size?: number }
  /** A piece with no location (optimized out). */
  | { kind: 'empty'; size?: number };

export interface Location {
  pieces: Piece[];
}

// biome-ignore format: a table of DW_OP codes in numeric order
export const OP = {
  addr: 0x03, deref: 0x06, const1u: 0x08, const1s: 0x09, const2u: 0x0a, const2s: 0x0b,
  const4u: 0x0c, const4s: 0x0d, const8u: 0x0e, const8s: 0x0f, constu: 0x10, consts: 0x11,
  dup: 0x12, drop: 0x13, over: 0x14, pick: 0x15, swap: 0x16, rot: 0x17, xderef: 0x18,
  abs: 0x19, and: 0x1a, div: 0x1b, minus: 0x1c, mod: 0x1d, mul: 0x1e, neg: 0x1f, not: 0x20,
  or: 0x21, plus: 0x22, plus_uconst: 0x23, shl: 0x24, shr: 0x25, shra: 0x26, xor: 0x27,
  bra: 0x28, eq: 0x29, ge: 0x2a, gt: 0x2b, le: 0x2c, lt: 0x2d, ne: 0x2e, skip: 0x2f,
  lit0: 0x30, reg0: 0x50, breg0: 0x70, regx: 0x90, fbreg: 0x91, bregx: 0x92, piece: 0x93,
  deref_size: 0x94, xderef_size: 0x95, nop: 0x96, push_object_address: 0x97,
  call2: 0x98, call4: 0x99, call_ref: 0x9a, form_tls_address: 0x9b, call_frame_cfa: 0x9c,
  bit_piece: 0x9d, implicit_value: 0x9e, stack_value: 0x9f,
} as const;

const OP_NAMES = new Map<number, string>(Object.entries(OP).map(([k, v]) => [v, `DW_OP_${k}`]));

const M64 = (1n << 64n) - 1n;
const MAX_STEPS = 100_000;

function toSigned(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

function addrNum(v: bigint, at: number): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('DWARF expression', at, `address 0x${v.toString(16)} out of range`);
  return Number(v);
}

/** Evaluates a location expression. Throws DecodeError on malformed input or a missing context value. */
export function evalLocation(expr: Uint8Array, ctx: EvalContext): Location {
  const r: Reader = new Reader(expr, 'DWARF expression');
  const stack: bigint[] = [];
  const pieces: Piece[] = [];
  let reg: number | undefined;
  let isValue = false;
  let implicit: Uint8Array | undefined;
  const pop = (): bigint => {
    const v = stack.pop();
    if (v === undefined) r.fail('stack underflow', Math.max(0, r.pos - 1));
    return v;
  };
  const push = (v: bigint): void => {
    if (stack.length > 1024) r.fail('stack overflow');
    stack.push(v & M64);
  };
  const current = (size?: number): Piece => {
    let p: Piece;
    if (reg !== undefined) p = { kind: 'register', reg };
    else if (implicit) p = { kind: 'implicit', bytes: implicit };
    else if (stack.length === 0) p = { kind: 'empty' };
    else if (isValue) p = { kind: 'value', value: stack[stack.length - 1]! };
    else p = { kind: 'memory', addr: addrNum(stack[stack.length - 1]!, r.pos) };
    if (size !== undefined) p.size = size;
    reg = undefined;
    isValue = false;
    implicit = undefined;
    return p;
  };
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) r.fail(`expression needs ${what}`, Math.max(0, r.pos - 1));
    return v;
  };
  const readMem = (addr: bigint, size: number): bigint => {
    const b = ctx.readMemory(addrNum(addr, r.pos), size);
    if (b.length < size) r.fail(`short memory read at 0x${addr.toString(16)}`);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  };

  let steps = 0;
  // biome-ignore format: one line per DW_OP
  while (!r.eof) {
    if (++steps > MAX_STEPS) r.fail('expression does not terminate');
    const at = r.pos;
    const op = r.u8();
    if (op >= OP.lit0 && op < OP.lit0 + 32) { push(BigInt(op - OP.lit0)); continue; }
    if (op >= OP.reg0 && op < OP.reg0 + 32) { reg = op - OP.reg0; continue; }
    if (op >= OP.breg0 && op < OP.breg0 + 32) { push(ctx.regs(op - OP.breg0) + BigInt(r.sleb())); continue; }
    switch (op) {
      case OP.addr: push((ctx.ptrSize === 8 ? r.u64big() : BigInt(r.u32())) + BigInt(ctx.addressBias ?? 0)); break;
      case OP.deref: push(readMem(pop(), ctx.ptrSize)); break;
      case OP.deref_size: { const n = r.u8(); if (n < 1 || n > 8) r.fail(`bad deref size ${n}`, at); push(readMem(pop(), n)); break; }
      case OP.const1u: push(BigInt(r.u8())); break;
      case OP.const1s: push(BigInt((r.u8() << 24) >> 24)); break;
      case OP.const2u: push(BigInt(r.u16())); break;
      case OP.const2s: push(BigInt((r.u16() << 16) >> 16)); break;
      case OP.const4u: push(BigInt(r.u32())); break;
      case OP.const4s: push(BigInt(r.i32())); break;
      case OP.const8u: push(r.u64big()); break;
      case OP.const8s: push(r.i64big()); break;
      case OP.constu: push(r.ulebBig()); break;
      case OP.consts: push(r.slebBig()); break;
      case OP.dup: { const v = pop(); push(v); push(v); break; }
      case OP.drop: pop(); break;
      case OP.over: { if (stack.length < 2) r.fail('stack underflow', at); push(stack[stack.length - 2]!); break; }
      case OP.pick: { const i = r.u8(); if (i >= stack.length) r.fail('pick out of range', at); push(stack[stack.length - 1 - i]!); break; }
      case OP.swap: { const a = pop(); const b = pop(); push(a); push(b); break; }
      case OP.rot: { const a = pop(); const b = pop(); const c = pop(); push(a); push(c); push(b); break; }
      case OP.abs: { const a = toSigned(pop()); push(a < 0n ? -a : a); break; }
      case OP.and: push(pop() & pop()); break;
      case OP.or: push(pop() | pop()); break;
      case OP.xor: push(pop() ^ pop()); break;
      case OP.div: { const b = toSigned(pop()); const a = toSigned(pop()); if (b === 0n) r.fail('division by zero', at); push(a / b); break; }
      case OP.mod: { const b = pop(); const a = pop(); if (b === 0n) r.fail('division by zero', at); push(a % b); break; }
      case OP.minus: { const b = pop(); const a = pop(); push(a - b); break; }
      case OP.mul: push(pop() * pop()); break;
      case OP.neg: push(-toSigned(pop())); break;
      case OP.not: push(~pop()); break;
      case OP.plus: push(pop() + pop()); break;
      case OP.plus_uconst: push(pop() + r.ulebBig()); break;
      case OP.shl: { const b = pop(); const a = pop(); push(b >= 64n ? 0n : a << b); break; }
      case OP.shr: { const b = pop(); const a = pop(); push(b >= 64n ? 0n : a >> b); break; }
      case OP.shra: { const b = pop(); const a = toSigned(pop()); push(a >> (b >= 64n ? 63n : b)); break; }
      case OP.eq: case OP.ge: case OP.gt: case OP.le: case OP.lt: case OP.ne: {
        const b = toSigned(pop());
        const a = toSigned(pop());
        const res = op === OP.eq ? a === b : op === OP.ge ? a >= b : op === OP.gt ? a > b : op === OP.le ? a <= b : op === OP.lt ? a < b : a !== b;
        push(res ? 1n : 0n);
        break;
      }
      case OP.skip: case OP.bra: {
        const off = (r.u16() << 16) >> 16;
        if (op === OP.bra && pop() === 0n) break;
        const target = r.pos + off;
        if (target < 0 || target > expr.length) r.fail('branch out of range', at);
        r.seek(target);
        break;
      }
      case OP.regx: reg = r.uleb(); break;
      case OP.bregx: { const n = r.uleb(); push(ctx.regs(n) + BigInt(r.sleb())); break; }
      case OP.fbreg: push(BigInt(need(ctx.frameBase, 'a frame base')) + BigInt(r.sleb())); break;
      case OP.call_frame_cfa: push(BigInt(need(ctx.cfa, 'the CFA'))); break;
      case OP.nop: break;
      case OP.stack_value: isValue = true; break;
      case OP.implicit_value: implicit = r.bytesN(r.uleb()); break;
      case OP.piece: {
        const size = r.uleb();
        const p = current(size);
        if (p.kind === 'memory' || p.kind === 'value') stack.pop();
        pieces.push(p);
        break;
      }
      case OP.bit_piece: {
        const bits = r.uleb();
        r.uleb(); // bit offset: not used by Go
        const p = current(Math.ceil(bits / 8));
        if (p.kind === 'memory' || p.kind === 'value') stack.pop();
        pieces.push(p);
        break;
      }
      default:
        r.fail(`unsupported ${OP_NAMES.get(op) ?? 'DW_OP'} 0x${op.toString(16)}`, at);
    }
  }
  if (pieces.length === 0 || reg !== undefined || implicit || isValue) {
    const p = current();
    if (p.kind !== 'empty' || pieces.length === 0) pieces.push(p);
  }
  return { pieces };
}

/** Human-readable form of an expression, e.g. "DW_OP_fbreg -24", for logs and tests. */
export function disassemble(expr: Uint8Array): string[] {
  const r: Reader = new Reader(expr, 'DWARF expression');
  const out: string[] = [];
  // biome-ignore format: one line per DW_OP
  while (!r.eof) {
    const op = r.u8();
    if (op >= OP.lit0 && op < OP.lit0 + 32) { out.push(`DW_OP_lit${op - OP.lit0}`); continue; }
    if (op >= OP.reg0 && op < OP.reg0 + 32) { out.push(`DW_OP_reg${op - OP.reg0}`); continue; }
    if (op >= OP.breg0 && op < OP.breg0 + 32) { out.push(`DW_OP_breg${op - OP.breg0} ${r.sleb()}`); continue; }
    const name = OP_NAMES.get(op) ?? `DW_OP_0x${op.toString(16)}`;
    switch (op) {
      case OP.addr: out.push(`${name} 0x${r.u64big().toString(16)}`); break;
      case OP.const1u: case OP.pick: case OP.deref_size: out.push(`${name} ${r.u8()}`); break;
      case OP.const1s: out.push(`${name} ${(r.u8() << 24) >> 24}`); break;
      case OP.const2u: out.push(`${name} ${r.u16()}`); break;
      case OP.const2s: case OP.skip: case OP.bra: out.push(`${name} ${(r.u16() << 16) >> 16}`); break;
      case OP.const4u: out.push(`${name} ${r.u32()}`); break;
      case OP.const4s: out.push(`${name} ${r.i32()}`); break;
      case OP.const8u: out.push(`${name} ${r.u64big()}`); break;
      case OP.const8s: out.push(`${name} ${r.i64big()}`); break;
      case OP.constu: case OP.plus_uconst: case OP.regx: case OP.piece: out.push(`${name} ${r.ulebBig()}`); break;
      case OP.consts: case OP.fbreg: out.push(`${name} ${r.slebBig()}`); break;
      case OP.bregx: out.push(`${name} ${r.uleb()} ${r.sleb()}`); break;
      case OP.bit_piece: out.push(`${name} ${r.uleb()} ${r.uleb()}`); break;
      case OP.implicit_value: { const n = r.uleb(); r.skip(n); out.push(`${name} ${n}`); break; }
      default:
        if (!OP_NAMES.has(op)) r.fail(`unknown opcode 0x${op.toString(16)}`, r.pos - 1);
        out.push(name);
    }
  }
  return out;
}
