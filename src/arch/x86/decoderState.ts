/**
 * The decoder's state for one instruction: the bytes read so far, the legacy
 * prefixes, REX/VEX/EVEX fields, and ModRM with its memory operand (SIB and
 * displacement are read together with ModRM).
 */
import { Enc, type MemArg } from './decoded.js';
import { GPR } from './registers.js';

export const MAX_LEN = 15;

class Truncated extends Error {}
class Invalid extends Error {}
export const TRUNC = new Truncated();
export const INVALID = new Invalid();

/** Marks a RIP-relative memory operand until the instruction length is known. */
export const ADDR_RIP = -2;

/** Decoder state for one instruction. */
export class State {
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

  constructor(
    readonly b: Uint8Array,
    readonly n: number,
  ) {}

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
