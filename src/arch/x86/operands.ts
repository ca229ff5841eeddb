/**
 * Operands of a decoded instruction from its table leaf: registers and memory
 * from ModRM, vvvv or the opcode byte; then the immediates, relative offsets
 * and memory offsets that follow ModRM, SIB and the displacement; and the
 * implicit operands of string instructions.
 */
import { type Arg, Enc, type MemArg, type RegArg } from './decoded.js';
import { INVALID, type State } from './decoderState.js';
import { M_VEC, OT, type OperandSpec, Vs, W_F, W_V, W_Y, W_Z } from './opcodeTable.js';
import { CREG, DREG, GPR, gprName, KREG, MMX, SEGMENT, vecName, X87, XMM } from './registers.js';

function memSize(st: State, m: number, vs: Vs): number {
  switch (m) {
    case W_V:
      return st.dataSize / 8;
    case W_Y:
      return st.rexW ? 8 : 4;
    case W_F:
      return st.dataSize === 16 ? 2 : 8;
    case M_VEC:
      return vecBytes(st, vs);
    default:
      return m;
  }
}
function regWidth(st: State, w: number): number {
  switch (w) {
    case W_V:
      return st.dataSize;
    case W_Y:
      return st.rexW ? 64 : 32;
    case W_F:
      return st.dataSize === 16 ? 16 : 64;
    default:
      return w;
  }
}

function vecBytes(st: State, vs: Vs): number {
  const l = 16 << st.vl;
  switch (vs) {
    case Vs.L:
      return l;
    case Vs.X:
      return 16;
    case Vs.Y:
      return 32;
    case Vs.Half:
      return Math.max(16, l >> 1);
    case Vs.Quarter:
      return Math.max(16, l >> 2);
  }
}

function reg(name: string, width = 0): RegArg {
  return { kind: 'reg', name, width };
}

function memOperand(st: State, bytes: number): MemArg {
  st.memBytes = bytes;
  return st.mem!;
}

export function isImmediate(s: OperandSpec): boolean {
  return s.t === OT.Imm || s.t === OT.Rel || s.t === OT.Moffs || s.t === OT.Is4;
}

/** An operand that lives in ModRM, vvvv, the opcode byte, or is fixed. */
export function operand(st: State, s: OperandSpec): Arg {
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
        case 'ST':
          return reg('F0');
        case 'X0':
          return reg('X0');
        case 'rAX':
          return reg('AX', st.dataSize);
        case 'EAX':
        case 'RAX':
          return reg('AX', s.w);
        default:
          return reg(s.name, s.w);
      }
    case OT.FixedImm:
      return { kind: 'imm', value: s.w };
    default:
      throw INVALID;
  }
}

/** Immediates, relative offsets, memory offsets and is4 registers: they follow ModRM/SIB/displacement. */
export function immediate(st: State, s: OperandSpec): Arg {
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

export const STRING_OPS = new Set([
  'INSB',
  'INSW',
  'INSD',
  'OUTSB',
  'OUTSW',
  'OUTSD',
  'MOVSB',
  'MOVSW',
  'MOVSD',
  'MOVSQ',
  'CMPSB',
  'CMPSW',
  'CMPSD',
  'CMPSQ',
  'LODSB',
  'LODSW',
  'LODSD',
  'LODSQ',
  'STOSB',
  'STOSW',
  'STOSD',
  'STOSQ',
  'SCASB',
  'SCASW',
  'SCASD',
  'SCASQ',
  'XLATB',
]);

/** The implicit memory operands x86asm adds to string instructions. */
export function stringArgs(st: State, op: string): Arg[] {
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
    case 'INSB':
    case 'INSW':
    case 'INSD':
      return [mk('ES', 7), reg('DX', 16)];
    case 'OUTS':
      return [reg('DX', 16), mk(defSeg(), 6)];
    case 'MOVS':
      return [mk('ES', 7), mk(defSeg(), 6)];
    case 'CMPS':
      return [mk(defSeg(), 6), mk('ES', 7)];
    case 'LODS':
      return [acc(c), mk(defSeg(), 6)];
    case 'STOS':
      return [mk('ES', 7), acc(c)];
    case 'SCAS':
      return [acc(c), mk('ES', 7)];
    case 'XLAT':
      return [mk(defSeg(), 3)];
  }
  return [];
}
