/**
 * What the x86-64 decoder produces for one instruction: the operands in Intel
 * order and the facts the Plan 9 printer needs (operand and memory sizes,
 * the prefixes the instruction did not consume, EVEX masking and rounding).
 */
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

export const enum Enc {
  Legacy = 0,
  Vex = 1,
  Evex = 2,
}

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
