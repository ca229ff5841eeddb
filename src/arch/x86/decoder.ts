/**
 * x86-64 instruction decoder: prefixes, REX/VEX/EVEX, opcode maps, ModRM/SIB
 * and displacements, immediates. Produces the operands in Intel order with the
 * facts the Plan 9 printer needs (operand size, memory operand size, which
 * prefixes the instruction consumed), following the conventions of
 * golang.org/x/arch/x86/x86asm so that our text matches `go tool objdump`.
 *
 * Lengths follow the processor (Intel 64): where x86asm and the CPU disagree
 * (e.g. MOV CRn ignores ModRM.mod) the CPU wins.
 */
import { MAP_0F38, MAP_0F3A } from './threeByteMaps.js';
import { ONE_BYTE } from './oneByteMap.js';
import { TWO_BYTE } from './twoByteMap.js';
import { EVEX_MAPS } from './evexMaps.js';
import { VEX_MAPS } from './vexMaps.js';
import { Branch, Leaf, M_VEC, Node, OT, OperandSpec, Sel, Vs, W_F, W_V, W_Y, W_Z, isLeaf } from './opcodeTable.js';
import { CREG, DREG, GPR, KREG, MMX, SEGMENT, X87, XMM, gprName, vecName } from './registers.js';

export interface RegArg {
  readonly kind: 'reg';
  readonly name: string;
  /** GPR width in bits (8/16/32/64); 0 for other registers. */
  readonly width: number;
}
export interface MemArg {
  readonly kind: 'mem';
  readonly seg: string;
  readonly base: string;
  readonly index: string;
  readonly scale: number;
  /** Displacement as x86asm shows it: disp8 signed, disp32 unsigned, moffs 64-bit. */
  readonly disp: number | bigint;
  /** The displacement's value: signed (and EVEX-scaled); 0 for moffs. */
  readonly sdisp: number;
  /** Absolute address of a RIP-relative or absolute (no base/index) operand, else -1. */
  readonly addr: number;
}
export interface ImmArg {
  readonly kind: 'imm';
  readonly value: number | bigint;
}
export interface RelArg {
  readonly kind: 'rel';
  readonly rel: number;
  target: number;
}
export type Arg = RegArg | MemArg | ImmArg | RelArg;

export const enum Enc { Legacy = 0, Vex = 1, Evex = 2 }

export interface Decoded {
  len: number;
  op: string;
  args: Arg[];
  enc: Enc;
  dataSize: number;
  memBytes: number;
  /** 'REP; ' / 'REPNE; ' for a repeat prefix the instruction did not consume. */
  rep: string;
  /** 'LOCK ', 'FS ', 'PN '…: the last shown prefix, as x86asm prints it. */
  prefix: string;
  /** Offset of the disp32 of a RIP-relative operand in the instruction, -1 if none. */
  ripOff: number;
  ripTarget: number;
  /** EVEX: opmask register (0 none), zeroing, embedded broadcast/rounding. */
  mask: number;
  zeroing: boolean;
  bcst: boolean;
  /** EVEX register-form b bit: rounding control (0..3) or SAE (4); -1 none. */
  round: number;
  /** 32-bit addressing (67 prefix). */
  addr32: boolean;
}

const MAX_LEN = 15;

class Truncated extends Error {}
class Invalid extends Error {}
const TRUNC = new Truncated();
const INVALID = new Invalid();

/** Decoder state for one instruction. */
class State {
  pos = 0;
  // legacy prefixes, in order
  pre: number[] = [];
  lastRep = -1; // index in pre of the last F2/F3
  has66 = false;
  has67 = false;
  lock = false;
  lockUsed = false;
  segIdx = -1; // index in pre of the last 64/65 (26/2E/36/3E are ignored in 64-bit mode)
  rex = 0;
  mandatory = -1; // index in pre of the F2/F3 consumed as a mandatory prefix
  // VEX/EVEX fields
  enc = Enc.Legacy;
  vvvv = 0;
  vl = 0; // 0/1/2: 128/256/512 bits
  pp = 0;
  vw = 0;
  evexRp = 0; // EVEX.R': ModRM.reg bit 4
  evexX = 0; // EVEX.X: ModRM.rm bit 4 in register forms
  evexVp = 0; // EVEX.V': vvvv bit 4
  mask = 0;
  z = false;
  bbit = false;
  round = -1;
  // ModRM and its memory operand
  haveModrm = false;
  modrm = 0;
  mod = 0;
  reg = 0; // ModRM.reg with REX.R (and EVEX.R')
  rm = 0; // ModRM.rm, 3 bits
  mem: MemArg | undefined;
  sibIndex = -1; // SIB.index with REX.X, -1 without SIB
  ripDisp = 0;
  dispOff = -1;
  // sizes
  dataSize = 32;
  addr64 = true;
  memBytes = 0;
  usedSeg = false;
  opcode = 0;

  constructor(readonly b: Uint8Array, readonly n: number) {}

  byte(): number {
    if (this.pos >= this.n) throw TRUNC;
    return this.b[this.pos++]!;
  }
  peek(): number {
    if (this.pos >= this.n) throw TRUNC;
    return this.b[this.pos]!;
  }
  u16(): number {
    return this.byte() | (this.byte() << 8);
  }
  u32(): number {
    return (this.byte() | (this.byte() << 8) | (this.byte() << 16) | (this.byte() << 24)) >>> 0;
  }
  u64(): bigint {
    const lo = this.u32();
    const hi = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
  get rexW(): number {
    return this.enc === Enc.Legacy ? (this.rex >> 3) & 1 : this.vw;
  }
  get rexB(): number {
    return this.rex & 1;
  }
  get rexX(): number {
    return (this.rex >> 1) & 1;
  }
  get segName(): string {
    return this.segIdx < 0 ? '' : this.pre[this.segIdx] === 0x64 ? 'FS' : 'GS';
  }

  /** Reads ModRM and, for memory forms, SIB and displacement (unless `noAddr`: MOV CRn ignores mod). */
  readModrm(noAddr = false): void {
    if (this.haveModrm) return;
    this.haveModrm = true;
    const m = this.byte();
    this.modrm = m;
    this.mod = noAddr ? 3 : m >> 6;
    this.reg = ((m >> 3) & 7) | (((this.rex >> 2) & 1) << 3) | (this.evexRp << 4);
    this.rm = m & 7;
    if (this.enc === Enc.Evex && this.bbit && this.mod === 3) {
      // Register form with EVEX.b: L'L is the rounding mode, the vector is 512 bits.
      this.round = this.vl;
      this.vl = 2;
    }
    if (this.mod === 3) return;
    let base = '';
    let index = '';
    let scale = 0;
    let disp32 = false;
    let rip = false;
    if (this.rm === 4) {
      const sib = this.byte();
      scale = 1 << (sib >> 6);
      const idx = ((sib >> 3) & 7) | (this.rexX << 3);
      const bs = (sib & 7) | (this.rexB << 3);
      this.sibIndex = idx;
      if (idx !== 4) index = GPR[idx]!;
      if ((bs & 7) === 5 && this.mod === 0) disp32 = true;
      else base = GPR[bs]!;
    } else if (this.mod === 0 && this.rm === 5) {
      disp32 = true;
      rip = true;
      base = 'IP';
    } else {
      base = GPR[this.rm | (this.rexB << 3)]!;
    }
    let disp = 0; // signed value
    let shown = 0; // as x86asm prints it: disp32 unsigned, disp8 signed
    if (this.mod === 2 || disp32) {
      this.dispOff = this.pos;
      shown = this.u32();
      disp = shown | 0;
    } else if (this.mod === 1) {
      this.dispOff = this.pos;
      disp = (this.byte() << 24) >> 24;
      shown = disp;
    }
    this.ripDisp = rip ? disp : 0;
    const addr = rip ? ADDR_RIP : !base && !index ? shown : -1;
    this.mem = { kind: 'mem', seg: this.segName, base, index, scale, disp: shown, sdisp: disp, addr };
  }
}

/** Marks a RIP-relative memory operand until the instruction length is known. */
const ADDR_RIP = -2;

function memSize(st: State, m: number, vs: Vs): number {
  switch (m) {
    case W_V: return st.dataSize / 8;
    case W_Y: return st.rexW ? 8 : 4;
    case W_F: return st.dataSize === 16 ? 2 : 8;
    case M_VEC: return vecBytes(st, vs);
    default: return m;
  }
}
function regWidth(st: State, w: number): number {
  switch (w) {
    case W_V: return st.dataSize;
    case W_Y: return st.rexW ? 64 : 32;
    case W_F: return st.dataSize === 16 ? 16 : 64;
    default: return w;
  }
}

/** Walks a table tree to its leaf; reads ModRM as the tree needs it. */
function walk(st: State, node: Node): Leaf {
  for (;;) {
    if (node === undefined) throw INVALID;
    if (isLeaf(node)) return node;
    const br = node as Branch;
    switch (br.sel) {
      case Sel.Reg:
        st.readModrm();
        node = br.c[(st.modrm >> 3) & 7];
        break;
      case Sel.Mod:
        st.readModrm();
        node = br.c[st.mod === 3 ? 1 : 0];
        break;
      case Sel.Rm:
        st.readModrm();
        node = br.c[st.rm];
        break;
      case Sel.W:
        node = br.c[st.rexW];
        break;
      case Sel.Osz:
        node = br.c[st.dataSize === 16 ? 0 : st.dataSize === 32 ? 1 : 2];
        break;
      case Sel.Asz:
        node = br.c[st.addr64 ? 1 : 0];
        break;
      case Sel.L:
        node = br.c[st.vl];
        break;
      case Sel.Pfx:
        node = selectPrefix(st, br);
        break;
    }
  }
}

/**
 * Mandatory prefix selection. Vector encodings carry it in pp. For legacy
 * encodings, x86asm's rules: the last F2/F3 wins when the table has a form
 * for it; an F2/F3 without a form of its own makes a 66 form invalid;
 * otherwise the 66 form, otherwise the prefix-less one.
 */
function selectPrefix(st: State, br: Branch): Node {
  if (st.enc !== Enc.Legacy) return br.c[st.pp === 0 ? 0 : st.pp === 1 ? 1 : st.pp === 2 ? 2 : 3];
  if (st.lastRep >= 0) {
    const n = st.pre[st.lastRep] === 0xf3 ? br.c[2] : br.c[3];
    if (n !== undefined) {
      st.mandatory = st.lastRep;
      return n;
    }
    if (br.c[1] !== undefined) throw INVALID;
    return br.c[0];
  }
  if (st.has66 && br.c[1] !== undefined) return br.c[1];
  return br.c[0];
}

function vecBytes(st: State, vs: Vs): number {
  const l = 16 << st.vl;
  switch (vs) {
    case Vs.L: return l;
    case Vs.X: return 16;
    case Vs.Y: return 32;
    case Vs.Half: return Math.max(16, l >> 1);
    case Vs.Quarter: return Math.max(16, l >> 2);
  }
}

function reg(name: string, width = 0): RegArg {
  return { kind: 'reg', name, width };
}

function memOperand(st: State, bytes: number): MemArg {
  st.memBytes = bytes;
  return st.mem!;
}

function isImmediate(s: OperandSpec): boolean {
  return s.t === OT.Imm || s.t === OT.Rel || s.t === OT.Moffs || s.t === OT.Is4;
}

/** An operand that lives in ModRM, vvvv, the opcode byte, or is fixed. */
function operand(st: State, s: OperandSpec): Arg {
  switch (s.t) {
    case OT.GprRm: {
      const w = regWidth(st, s.w);
      if (s.only === 3) return reg(gprName(st.rm | (st.rexB << 3), w, st.rex !== 0), w);
      if (st.mod !== 3) {
        if (s.only === 1) throw INVALID;
        return memOperand(st, memSize(st, s.m, s.vs));
      }
      if (s.only === 2) throw INVALID;
      return reg(gprName(st.rm | (st.rexB << 3), w, st.rex !== 0), w);
    }
    case OT.GprReg: {
      const w = regWidth(st, s.w);
      return reg(gprName(st.reg & 15, w, st.rex !== 0), w);
    }
    case OT.GprOp: {
      const w = regWidth(st, s.w);
      return reg(gprName((st.opcode & 7) | (st.rexB << 3), w, st.rex !== 0), w);
    }
    case OT.GprVvvv: {
      const w = regWidth(st, s.w);
      return reg(GPR[st.vvvv & 15]!, w);
    }
    case OT.Mem:
      if (st.mod === 3) throw INVALID;
      if (s.name === 'vsib') {
        // Gather: the SIB index names a vector register (EVEX.V' is its bit 4).
        if (st.sibIndex < 0) throw INVALID;
        const index = vecName(st.sibIndex | (st.evexVp << 4), vecBytes(st, s.vs));
        st.mem = { ...st.mem!, index, scale: st.mem!.scale };
      }
      return memOperand(st, memSize(st, s.m, s.vs));
    case OT.XmmReg:
      return reg(st.enc === Enc.Legacy ? XMM[st.reg & 15]! : vecName(st.reg & 31, vecBytes(st, s.vs)));
    case OT.XmmVvvv:
      return reg(vecName((st.vvvv & 15) | (st.evexVp << 4), vecBytes(st, s.vs)));
    case OT.XmmRm:
      if (st.mod !== 3) {
        if (s.only === 1) throw INVALID;
        return memOperand(st, memSize(st, s.m, s.vs));
      }
      if (st.enc === Enc.Legacy) return reg(XMM[st.rm | (st.rexB << 3)]!);
      return reg(vecName(st.rm | (st.rexB << 3) | (st.evexX << 4), vecBytes(st, s.vs)));
    case OT.MmxReg:
      return reg(MMX[st.reg & 7]!);
    case OT.MmxRm:
      if (st.mod !== 3) {
        if (s.only === 1) throw INVALID;
        return memOperand(st, s.m);
      }
      return reg(MMX[st.rm]!);
    case OT.KReg:
      return reg(KREG[st.reg & 7]!);
    case OT.KVvvv:
      return reg(KREG[st.vvvv & 7]!);
    case OT.KRm:
      if (st.mod !== 3) {
        if (s.only === 1) throw INVALID;
        return memOperand(st, 8);
      }
      return reg(KREG[st.rm]!);
    case OT.Sreg: {
      const r = (st.modrm >> 3) & 7;
      if (r >= 6) throw INVALID;
      return reg(SEGMENT[r]!);
    }
    case OT.Creg:
      // AMD: LOCK MOV CR0 is CR8 (x86asm absorbs the LOCK).
      if (st.lock) st.lockUsed = true;
      return reg(CREG[(st.reg & 15) | (st.lock ? 8 : 0)]!);
    case OT.Dreg:
      return reg(DREG[st.reg & 15]!);
    case OT.StRm:
      return reg(X87[st.rm]!);
    case OT.FixedReg:
      switch (s.name) {
        case 'ST': return reg('F0');
        case 'X0': return reg('X0');
        case 'rAX': return reg('AX', st.dataSize);
        case 'EAX': case 'RAX': return reg('AX', s.w);
        default: return reg(s.name, s.w);
      }
    case OT.FixedImm:
      return { kind: 'imm', value: s.w };
    default:
      throw INVALID;
  }
}

/** Immediates, relative offsets, memory offsets and is4 registers: they follow ModRM/SIB/displacement. */
function immediate(st: State, s: OperandSpec): Arg {
  switch (s.t) {
    case OT.Imm: {
      let size = s.w;
      if (size === W_Z) size = st.dataSize === 16 ? 2 : 4;
      else if (size === W_V) size = st.dataSize / 8;
      switch (size) {
        case 1: {
          const v = st.byte();
          return { kind: 'imm', value: s.signed ? (v << 24) >> 24 : v };
        }
        case 2: {
          const v = st.u16();
          return { kind: 'imm', value: s.signed ? (v << 16) >> 16 : v };
        }
        case 4:
          return { kind: 'imm', value: st.u32() | 0 };
        default:
          return { kind: 'imm', value: BigInt.asIntN(64, st.u64()) };
      }
    }
    case OT.Rel: {
      const size = s.w === 1 ? 1 : s.w === 4 ? 4 : st.dataSize === 16 ? 2 : 4;
      const rel = size === 1 ? (st.byte() << 24) >> 24 : size === 2 ? (st.u16() << 16) >> 16 : st.u32() | 0;
      return { kind: 'rel', rel, target: 0 };
    }
    case OT.Moffs: {
      const seg = st.segName;
      if (seg) st.usedSeg = true;
      st.memBytes = memSize(st, s.m, s.vs);
      if (st.addr64) {
        const v = BigInt.asIntN(64, st.u64());
        const addr = v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : -1;
        return { kind: 'mem', seg, base: '', index: '', scale: 0, disp: v, sdisp: 0, addr };
      }
      const v = st.u32();
      return { kind: 'mem', seg, base: '', index: '', scale: 0, disp: v, sdisp: 0, addr: v };
    }
    case OT.Is4:
      return reg(vecName(st.byte() >> 4, 16 << st.vl));
    default:
      throw INVALID;
  }
}

const STRING_OPS = new Set(['INSB', 'INSW', 'INSD', 'OUTSB', 'OUTSW', 'OUTSD', 'MOVSB', 'MOVSW', 'MOVSD', 'MOVSQ', 'CMPSB', 'CMPSW', 'CMPSD', 'CMPSQ',
  'LODSB', 'LODSW', 'LODSD', 'LODSQ', 'STOSB', 'STOSW', 'STOSD', 'STOSQ', 'SCASB', 'SCASW', 'SCASD', 'SCASQ', 'XLATB']);
const BRANCH_HINT_OPS = new Set(['JO', 'JNO', 'JB', 'JAE', 'JE', 'JNE', 'JBE', 'JA', 'JS', 'JNS', 'JP', 'JNP', 'JL', 'JGE', 'JLE', 'JG',
  'LOOP', 'LOOPE', 'LOOPNE', 'JCXZ', 'JECXZ', 'JRCXZ']);

/** The implicit memory operands x86asm adds to string instructions. */
function stringArgs(st: State, op: string): Arg[] {
  const names = GPR;
  const mk = (seg: string, r: number): MemArg => ({ kind: 'mem', seg, base: names[r]!, index: '', scale: 0, disp: 0, sdisp: 0, addr: -1 });
  const defSeg = (): string => {
    if (st.segIdx >= 0) {
      st.usedSeg = true;
      return st.pre[st.segIdx] === 0x64 ? 'FS' : 'GS';
    }
    return 'DS';
  };
  const acc = (c: string): RegArg => (c === 'B' ? reg('AL', 8) : reg('AX', c === 'W' ? 16 : c === 'D' ? 32 : 64));
  const base = op.slice(0, 4);
  const c = op[op.length - 1]!;
  switch (base) {
    case 'INSB': case 'INSW': case 'INSD': return [mk('ES', 7), reg('DX', 16)];
    case 'OUTS': return [reg('DX', 16), mk(defSeg(), 6)];
    case 'MOVS': return [mk('ES', 7), mk(defSeg(), 6)];
    case 'CMPS': return [mk(defSeg(), 6), mk('ES', 7)];
    case 'LODS': return [acc(c), mk(defSeg(), 6)];
    case 'STOS': return [mk('ES', 7), acc(c)];
    case 'SCAS': return [acc(c), mk('ES', 7)];
    case 'XLAT': return [mk(defSeg(), 3)];
  }
  return [];
}

const LEGACY_PREFIX = new Uint8Array(256);
for (const p of [0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67]) LEGACY_PREFIX[p] = 1;

/**
 * Decodes one instruction at the start of `bytes` (at most 15 bytes are
 * looked at). Returns undefined for invalid or truncated input.
 */
export function decode(bytes: Uint8Array, pc: number): Decoded | undefined {
  const st = new State(bytes, Math.min(bytes.length, MAX_LEN));
  try {
    return decodeInner(st, pc);
  } catch (e) {
    if (e === TRUNC || e === INVALID) return undefined;
    throw e;
  }
}

function decodeInner(st: State, pc: number): Decoded | undefined {
  // Legacy prefixes and REX. A REX followed by another prefix is ignored (as the CPU does).
  for (;;) {
    const p = st.peek();
    if (LEGACY_PREFIX[p]) {
      if (st.rex) st.rex = 0;
      st.pre.push(p);
      st.pos++;
      if (p === 0xf2 || p === 0xf3) st.lastRep = st.pre.length - 1;
      else if (p === 0x66) st.has66 = true;
      else if (p === 0x67) st.has67 = true;
      else if (p === 0xf0) st.lock = true;
      else if (p === 0x64 || p === 0x65) st.segIdx = st.pre.length - 1;
      continue;
    }
    if ((p & 0xf0) === 0x40) {
      st.rex = p;
      st.pos++;
      continue;
    }
    break;
  }
  if (st.pre.length > 14) return undefined;
  st.addr64 = !st.has67;
  st.dataSize = st.rex & 8 ? 64 : st.has66 ? 16 : 32;

  let op = st.byte();
  let table: readonly Node[] = ONE_BYTE;
  if (op === 0xc4 || op === 0xc5 || op === 0x62) {
    // VEX/EVEX: no 66/F2/F3/F0/REX may precede them.
    if (st.has66 || st.lastRep >= 0 || st.lock || st.rex) return undefined;
    table = op === 0x62 ? readEvex(st) : readVex(st, op);
    op = st.byte();
  } else if (op === 0x0f) {
    op = st.byte();
    if (op === 0x38) {
      table = MAP_0F38;
      op = st.byte();
    } else if (op === 0x3a) {
      table = MAP_0F3A;
      op = st.byte();
    } else {
      table = TWO_BYTE;
    }
  } else if (op === 0x8f && ((st.peek() >> 3) & 7) !== 0) {
    return undefined; // AMD XOP
  }
  st.opcode = op;
  const leaf = walk(st, table[op]);
  // Every VEX/EVEX instruction has ModRM except VZEROUPPER/VZEROALL.
  if (leaf.modrm || (st.enc !== Enc.Legacy && !(st.enc === Enc.Vex && table === VEX_MAPS[1] && op === 0x77))) {
    st.readModrm(leaf.args.some((a) => a.only === 3));
  }
  let args: Arg[] = new Array(leaf.args.length);
  for (let i = 0; i < leaf.args.length; i++) if (!isImmediate(leaf.args[i]!)) args[i] = operand(st, leaf.args[i]!);
  for (let i = 0; i < leaf.args.length; i++) if (isImmediate(leaf.args[i]!)) args[i] = immediate(st, leaf.args[i]!);

  if (st.enc === Enc.Evex && st.mod === 1 && st.mem) scaleDisp8(st, args, leaf.tuple);

  let name = leaf.op;
  const len = st.pos;
  // 90 is NOP (XCHG AX, AX) unless REX.B names R8; F3 90 is PAUSE.
  if (name === 'XCHG' && st.opcode === 0x90 && st.enc === Enc.Legacy && table === ONE_BYTE && !(st.rex & 1)) {
    args = [];
    name = 'NOP';
    if (st.lastRep >= 0 && st.pre[st.lastRep] === 0xf3) {
      name = 'PAUSE';
      st.mandatory = st.lastRep;
    }
  }
  if (st.enc === Enc.Legacy && STRING_OPS.has(name)) args = stringArgs(st, name);

  // RIP-relative and relative-branch targets.
  let ripOff = -1;
  let ripTarget = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.kind === 'rel') a.target = pc + len + a.rel;
    else if (a.kind === 'mem' && a.addr === ADDR_RIP) {
      ripOff = st.dispOff;
      ripTarget = pc + len + st.ripDisp;
      if (!st.addr64) ripTarget = ripTarget >>> 0; // EIP-relative (67 prefix)
      args[i] = { ...a, addr: ripTarget };
    }
  }

  return {
    len,
    op: name,
    args,
    enc: st.enc,
    dataSize: st.dataSize,
    memBytes: st.memBytes,
    ...prefixText(st, name),
    ripOff,
    ripTarget,
    mask: st.mask,
    zeroing: st.z,
    bcst: st.bbit && st.mod !== 3,
    round: st.round,
    addr32: !st.addr64,
  };
}

/** EVEX compresses disp8: the byte is scaled by N, the memory access granularity of the instruction. */
function scaleDisp8(st: State, args: Arg[], tuple: number): void {
  const vlen = 16 << st.vl;
  const elem = st.vw ? 8 : 4;
  const bcst = st.bbit;
  let n: number;
  if (tuple > 0) n = tuple;
  else if (tuple === -4) n = elem;
  else if (bcst) n = elem;
  else n = tuple === 0 ? vlen : tuple === -1 ? vlen >> 1 : tuple === -2 ? vlen >> 2 : vlen >> 3;
  const m = st.mem!;
  const disp = (m.disp as number) * n;
  const scaled: MemArg = { ...m, disp, sdisp: disp };
  st.mem = scaled;
  for (let i = 0; i < args.length; i++) if (args[i] === m) args[i] = scaled;
}

/** x86asm's prefix display: one repeat text plus the last prefix it did not absorb. */
function prefixText(st: State, name: string): { rep: string; prefix: string } {
  let rep = '';
  let last = -1;
  // x86asm hides the segment prefix that a memory operand shows (judging by ModRM.mod even where the CPU ignores it).
  const segImplicit = st.usedSeg || (st.haveModrm && st.modrm >> 6 !== 3);
  let hint = -1;
  if (BRANCH_HINT_OPS.has(name)) {
    for (let i = st.pre.length - 1; i >= 0; i--) if (st.pre[i] === 0x2e || st.pre[i] === 0x3e) {
      hint = i;
      break;
    }
  }
  for (let i = 0; i < st.pre.length; i++) {
    const p = st.pre[i]!;
    if (p === 0xf2 || p === 0xf3) {
      if (i !== st.mandatory) rep = p === 0xf3 ? 'REP; ' : 'REPNE; ';
      continue;
    }
    if (i === st.segIdx && segImplicit) continue;
    if (p === 0xf0 && st.lockUsed) continue;
    last = i;
  }
  let prefix = '';
  if (last >= 0) {
    switch (st.pre[last]) {
      case 0xf0: prefix = 'LOCK '; break;
      case 0x26: prefix = 'ES '; break;
      case 0x2e: prefix = last === hint ? 'PN ' : 'CS '; break;
      case 0x36: prefix = 'SS '; break;
      case 0x3e: prefix = last === hint ? 'PT ' : 'DS '; break;
      case 0x64: prefix = 'FS '; break;
      case 0x65: prefix = 'GS '; break;
    }
  }
  return { rep, prefix };
}

// ---- VEX / EVEX prefixes ----

function readVex(st: State, c: number): readonly Node[] {
  st.enc = Enc.Vex;
  const b1 = st.byte();
  let map = 1;
  if (c === 0xc5) {
    st.rex = 0x40 | (b1 & 0x80 ? 0 : 4);
    st.vvvv = (~b1 >> 3) & 15;
    st.vl = (b1 >> 2) & 1;
    st.pp = b1 & 3;
  } else {
    const b2 = st.byte();
    st.rex = 0x40 | (b1 & 0x80 ? 0 : 4) | (b1 & 0x40 ? 0 : 2) | (b1 & 0x20 ? 0 : 1) | (b2 & 0x80 ? 8 : 0);
    map = b1 & 0x1f;
    st.vw = b2 >> 7;
    st.vvvv = (~b2 >> 3) & 15;
    st.vl = (b2 >> 2) & 1;
    st.pp = b2 & 3;
  }
  st.dataSize = st.vw ? 64 : 32;
  const t = VEX_MAPS[map];
  if (!t) throw INVALID;
  return t;
}

function readEvex(st: State): readonly Node[] {
  st.enc = Enc.Evex;
  const p0 = st.byte();
  const p1 = st.byte();
  const p2 = st.byte();
  if ((p1 & 4) === 0) throw INVALID; // APX/reserved
  st.rex = 0x40 | (p0 & 0x80 ? 0 : 4) | (p0 & 0x40 ? 0 : 2) | (p0 & 0x20 ? 0 : 1) | (p1 & 0x80 ? 8 : 0);
  st.evexRp = p0 & 0x10 ? 0 : 1;
  st.evexX = p0 & 0x40 ? 0 : 1;
  st.vw = p1 >> 7;
  st.vvvv = (~p1 >> 3) & 15;
  st.pp = p1 & 3;
  st.z = (p2 & 0x80) !== 0;
  st.vl = (p2 >> 5) & 3;
  st.bbit = (p2 & 0x10) !== 0;
  st.evexVp = p2 & 8 ? 0 : 1;
  st.mask = p2 & 7;
  st.dataSize = st.vw ? 64 : 32;
  const map = p0 & 7;
  const t = EVEX_MAPS[map];
  if (!t) throw INVALID;
  return t;
}
