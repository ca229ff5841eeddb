/**
 * The shape of our x86 opcode tables: a tree per opcode whose inner nodes
 * select on a field of the instruction (ModRM.reg, ModRM.mod, a mandatory
 * prefix, REX.W, the operand size...) and whose leaves are instruction
 * forms written as short strings, e.g. `'ADD Ev,Gv'`, parsed once at load.
 *
 * Operand codes (Intel order, first operand is the destination):
 *   GPR r/m     E<r>[/<m>]  r = register width, m = memory width (default r);
 *               widths: b=8 w=16 d=32 q=64 v=operand size y=REX.W?64:32 f=66?16:64
 *   reg only    R<r>  (ModRM.mod must be 3), Rf<r> (mod ignored: MOV CRn)
 *   GPR reg     G<r>        opcode reg  Z<r> (low 3 opcode bits + REX.B)
 *   memory      M (no size), M1 M2 M4 M8 M10 M16 M32 M64 Mv My; Mvx/Mvh VSIB (vector index)
 *   XMM         V (ModRM.reg), W<n> (xmm or n-byte memory), U (xmm, mod=3)
 *   MMX         P (ModRM.reg), Q<n> (mm or memory), N (mm, mod=3)
 *   immediate   Ib (signed 8) Ub (unsigned 8) Iw Uw Iz (16/32 by size) Iv (16/32/64) Id
 *   relative    Jb (rel8) Jz (rel32) Jx (rel16 with 66, else rel32)
 *   moffs       Ob Ov
 *   fixed       AL CL DX AX EAX RAX rAX (width = operand size) ST X0 ES CS SS DS FS GS, 1, 3
 *   others      Sw (segment in reg), Cd Dd (control/debug in reg), STi (x87 ST(rm))
 * VEX/EVEX operands (vector size from L: x; X = always 128; h = half of L):
 *   Vx Hx Wx Ux Mx VX HX WX UX Vh Wh ... By (GPR in vvvv), KG KH KE (mask regs),
 *   L (register in imm8[7:4]).
 */

export const enum Sel {
  Reg = 0, // ModRM.reg: 8 children
  Mod = 1, // [memory form, register form]
  Pfx = 2, // mandatory prefix: [none, 66, F3, F2]
  W = 3, // REX.W / VEX.W: [W0, W1]
  Osz = 4, // operand size: [16, 32, 64]
  Rm = 5, // ModRM.rm (register forms): 8 children
  Asz = 6, // address size: [32, 64]
  L = 7, // VEX.L / EVEX.L'L: [L0, L1, L2]
}

export type Node = Leaf | Branch | undefined;
export interface Branch {
  readonly sel: Sel;
  readonly c: readonly Node[];
}

export const enum OT {
  GprRm, // E/R: r/m GPR
  GprReg, // G
  GprOp, // Z: register in opcode
  GprVvvv, // B (VEX)
  Mem, // M
  XmmReg, // V
  XmmRm, // W / U
  XmmVvvv, // H
  MmxReg, // P
  MmxRm, // Q / N
  Imm,
  Rel,
  Moffs,
  FixedReg,
  FixedImm,
  Sreg,
  Creg,
  Dreg,
  StRm, // x87 ST(i) from rm
  Is4, // vector register in imm8[7:4]
  KReg, // mask register in ModRM.reg
  KVvvv,
  KRm,
}

/** Vector size selectors for VEX/EVEX operands. */
export const enum Vs {
  L = 0, // L-sized (X/Y/Z)
  X = 1, // always 128
  Y = 2, // always 256
  Half = 3, // half of L (min 128)
  Quarter = 4, // quarter of L (min 128)
}

/** Width codes: 8/16/32/64 literal, or one of these. */
export const W_V = -1; // operand size
export const W_Y = -2; // REX.W ? 64 : 32
export const W_Z = -3; // immediate: operand size 16 ? 16 : 32
export const W_F = -4; // default 64-bit (PUSH/POP): operand size 16 ? 16 : 64
export const M_VEC = -5; // memory size: the operand's vector size (VEX/EVEX)

export interface OperandSpec {
  readonly t: OT;
  /** GPR register width (8/16/32/64 or W_*), immediate byte size, fixed imm value. */
  readonly w: number;
  /** Memory operand size in bytes (0 unknown), or W_V/W_Y. */
  readonly m: number;
  /** 1: register form only, 2: memory form only, 3: ModRM.mod ignored (always register). */
  readonly only: number;
  /** Signed immediate; for fixed registers the Plan 9 name. */
  readonly signed: boolean;
  readonly name: string;
  /** Vector size selector for VEX/EVEX operands. */
  readonly vs: Vs;
}

export interface Leaf {
  readonly op: string;
  readonly args: readonly OperandSpec[];
  /** True when any operand lives in ModRM (so the ModRM byte follows the opcode). */
  readonly modrm: boolean;
  /** EVEX disp8*N tuple: 0 full vector, >0 fixed N, -1 half vector, -2 quarter, -3 eighth, -4 element (scalar). */
  readonly tuple: number;
}

export function isLeaf(n: Node): n is Leaf {
  return n !== undefined && (n as Leaf).op !== undefined;
}

// ---- constructors used by the table files ----

export type In = string | Node;
function node(x: In): Node {
  return typeof x === 'string' ? parseLeaf(x) : x;
}
function branch(sel: Sel, c: In[]): Branch {
  return { sel, c: c.map(node) };
}
/** By ModRM.reg (/0../7). */
export const grp = (...c: In[]): Branch => branch(Sel.Reg, pad(c, 8));
/** By ModRM.mod: memory form, register form. */
export const mod = (mem: In, reg: In): Branch => branch(Sel.Mod, [mem, reg]);
/** By mandatory prefix: none, 66, F3, F2 (x86asm's priority rules apply). */
export const pfx = (none: In, p66?: In, f3?: In, f2?: In): Branch => branch(Sel.Pfx, [none, p66, f3, f2]);
/** By REX.W (VEX.W / EVEX.W in the vector tables). */
export const rexw = (w0: In, w1: In): Branch => branch(Sel.W, [w0, w1]);
/** By operand size 16/32/64. */
export const osz = (o16: In, o32: In, o64: In): Branch => branch(Sel.Osz, [o16, o32, o64]);
/** By ModRM.rm (register forms). */
export const rmsel = (...c: In[]): Branch => branch(Sel.Rm, pad(c, 8));
/** By address size 32/64. */
export const asz = (a32: In, a64: In): Branch => branch(Sel.Asz, [a32, a64]);
/** By vector length L (VEX/EVEX). */
export const vl = (l0: In, l1: In, l2?: In): Branch => branch(Sel.L, [l0, l1, l2]);

function pad(c: In[], n: number): In[] {
  while (c.length < n) c.push(undefined);
  return c;
}

// ---- leaf parsing ----

const FIXED_REGS: Record<string, number> = {
  AL: 8,
  CL: 8,
  DX: 16,
  AX: 16,
  EAX: 32,
  RAX: 64,
  rAX: W_V,
  ST: 0,
  X0: 0,
  ES: 0,
  CS: 0,
  SS: 0,
  DS: 0,
  FS: 0,
  GS: 0,
};

function width(c: string): number {
  switch (c) {
    case 'b':
      return 8;
    case 'w':
      return 16;
    case 'd':
      return 32;
    case 'q':
      return 64;
    case 'v':
      return W_V;
    case 'y':
      return W_Y;
    case 'z':
      return W_Z;
    case 'f':
      return W_F;
  }
  throw new Error(`bad width ${c}`);
}
function bytesOf(w: number): number {
  return w > 0 ? w / 8 : w;
}
function memSize(s: string): number {
  if (s === '') return 0;
  if (s === 'v') return W_V;
  if (s === 'y') return W_Y;
  const n = Number(s);
  if (!Number.isInteger(n)) throw new Error(`bad memory size ${s}`);
  return n;
}
function vsOf(c: string | undefined): Vs {
  switch (c) {
    case undefined:
    case 'x':
      return Vs.L;
    case 'X':
      return Vs.X;
    case 'Y':
      return Vs.Y;
    case 'h':
      return Vs.Half;
    case 'q':
      return Vs.Quarter;
  }
  throw new Error(`bad vector size ${c}`);
}

function spec(t: OT, p: Partial<OperandSpec> = {}): OperandSpec {
  return { t, w: p.w ?? 0, m: p.m ?? 0, only: p.only ?? 0, signed: p.signed ?? false, name: p.name ?? '', vs: p.vs ?? Vs.L };
}

const specCache = new Map<string, OperandSpec>();

export function parseOperand(s: string): OperandSpec {
  let r = specCache.get(s);
  if (!r) {
    r = parseOperandUncached(s);
    specCache.set(s, r);
  }
  return r;
}

function parseOperandUncached(s: string): OperandSpec {
  if (s in FIXED_REGS) return spec(OT.FixedReg, { name: s, w: FIXED_REGS[s]! });
  if (s === '1' || s === '3') return spec(OT.FixedImm, { w: Number(s) });
  if (s === 'STi') return spec(OT.StRm);
  if (s === 'Sw') return spec(OT.Sreg);
  if (s === 'Cd') return spec(OT.Creg);
  if (s === 'Dd') return spec(OT.Dreg);
  if (s === 'L') return spec(OT.Is4);
  if (s === 'KG') return spec(OT.KReg);
  if (s === 'KH') return spec(OT.KVvvv);
  if (s === 'KE') return spec(OT.KRm);
  if (s === 'KR') return spec(OT.KRm, { only: 1 });
  const c0 = s[0]!;
  const rest = s.slice(1);
  if (c0 === 'I' || (c0 === 'U' && (rest === 'b' || rest === 'w'))) {
    const w = rest === 'z' ? W_Z : rest === 'v' ? W_V : bytesOf(width(rest));
    return spec(OT.Imm, { w, signed: c0 === 'I' });
  }
  switch (c0) {
    case 'E': {
      const [r, m] = rest.split('/');
      const w = width(r!);
      return spec(OT.GprRm, { w, m: m === undefined ? bytesOf(w) : bytesOf(width(m)) });
    }
    case 'R':
      if (rest.startsWith('f')) return spec(OT.GprRm, { w: width(rest.slice(1)), only: 3 });
      return spec(OT.GprRm, { w: width(rest), only: 1 });
    case 'G':
      return spec(OT.GprReg, { w: width(rest) });
    case 'Z':
      return spec(OT.GprOp, { w: width(rest) });
    case 'B':
      return spec(OT.GprVvvv, { w: width(rest) });
    case 'M':
      // VSIB: the index is a vector register, L-sized (vx) or half of L (vh).
      if (rest === 'vx' || rest === 'vh') return spec(OT.Mem, { m: M_VEC, only: 2, vs: rest === 'vx' ? Vs.L : Vs.Half, name: 'vsib' });
      if (rest.length === 1 && 'xXYhq'.includes(rest)) return spec(OT.Mem, { m: M_VEC, only: 2, vs: vsOf(rest) });
      return spec(OT.Mem, { m: memSize(rest), only: 2 });
    case 'V':
      return spec(OT.XmmReg, { vs: vsOf(rest || 'X') });
    case 'H':
      return spec(OT.XmmVvvv, { vs: vsOf(rest || 'X') });
    case 'U':
      return spec(OT.XmmRm, { only: 1, vs: vsOf(rest || 'X') });
    case 'W':
      if (rest.length === 1 && 'xXYhq'.includes(rest)) return spec(OT.XmmRm, { m: M_VEC, vs: vsOf(rest) });
      return spec(OT.XmmRm, { m: memSize(rest), vs: Vs.X });
    case 'P':
      return spec(OT.MmxReg);
    case 'Q':
      return spec(OT.MmxRm, { m: memSize(rest) });
    case 'N':
      return spec(OT.MmxRm, { only: 1 });
    case 'J':
      return spec(OT.Rel, { w: rest === 'b' ? 1 : rest === 'z' ? 4 : -1 });
    case 'O':
      return spec(OT.Moffs, { m: bytesOf(width(rest)) });
  }
  throw new Error(`bad operand spec ${s}`);
}

/** Parses `'MNEM a,b,c'` with an optional `;tuple` for EVEX (e.g. `;t8`, `;hv`, `;s`). */
export function parseLeaf(text: string): Leaf | undefined {
  if (text === '') return undefined;
  let tuple = 0;
  const semi = text.indexOf(';');
  if (semi >= 0) {
    const t = text.slice(semi + 1);
    tuple = t === 'hv' ? -1 : t === 'qv' ? -2 : t === 'ov' ? -3 : t === 's' ? -4 : Number(t.slice(1));
    text = text.slice(0, semi);
  }
  const sp = text.indexOf(' ');
  const op = sp < 0 ? text : text.slice(0, sp);
  const args =
    sp < 0
      ? []
      : text
          .slice(sp + 1)
          .split(',')
          .map((a) => parseOperand(a.trim()));
  const modrm = args.some(
    (a) =>
      a.t === OT.GprRm ||
      a.t === OT.GprReg ||
      a.t === OT.Mem ||
      a.t === OT.XmmReg ||
      a.t === OT.XmmRm ||
      a.t === OT.MmxReg ||
      a.t === OT.MmxRm ||
      a.t === OT.Sreg ||
      a.t === OT.Creg ||
      a.t === OT.Dreg ||
      a.t === OT.StRm ||
      a.t === OT.KReg ||
      a.t === OT.KRm,
  );
  return { op, args, modrm, tuple };
}

/** A 256-entry map from a sparse object keyed by opcode. */
export function opmap(entries: Record<number, In>): Node[] {
  const m: Node[] = new Array(256).fill(undefined);
  for (const [k, v] of Object.entries(entries)) m[Number(k)] = node(v);
  return m;
}

/**
 * An opcode map built on its first use rather than when its module loads:
 * building the maps parses a few thousand operand strings, work an adapter
 * that has not yet decoded an instruction (its start-up) does not need.
 */
export function lazyOpmap(entries: () => Record<number, In>): () => readonly Node[] {
  let m: readonly Node[] | undefined;
  return () => (m ??= opmap(entries()));
}
