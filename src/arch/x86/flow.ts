/**
 * Control-flow facts about an instruction, for displaced stepping and
 * stepping logic: what kind of transfer it is, its condition code, and how
 * to evaluate conditions against RFLAGS.
 */

export type Flow = 'none' | 'call' | 'jump' | 'cjump' | 'ret' | 'syscall' | 'trap' | 'halt' | 'other';

/** RCX-driven branches: LOOP/LOOPE/LOOPNE decrement RCX (ECX with 67) first; JRCXZ/JECXZ only test it. */
export type CounterBranch = 'loop' | 'loope' | 'loopne' | 'jrcxz' | 'jecxz';

const CF = 1n << 0n;
const PF = 1n << 2n;
const ZF = 1n << 6n;
const SF = 1n << 7n;
const OF = 1n << 11n;

/**
 * Whether condition code `cc` (the low nibble of Jcc/SETcc/CMOVcc: 0 O, 1 NO,
 * 2 B, 3 AE, 4 E, 5 NE, 6 BE, 7 A, 8 S, 9 NS, 10 P, 11 NP, 12 L, 13 GE,
 * 14 LE, 15 G) holds for the given RFLAGS.
 */
export function conditionHolds(cc: number, rflags: bigint | number): boolean {
  const f = typeof rflags === 'bigint' ? rflags : BigInt(rflags);
  const cf = (f & CF) !== 0n;
  const pf = (f & PF) !== 0n;
  const zf = (f & ZF) !== 0n;
  const sf = (f & SF) !== 0n;
  const of = (f & OF) !== 0n;
  let r: boolean;
  switch ((cc >> 1) & 7) {
    case 0:
      r = of;
      break;
    case 1:
      r = cf;
      break;
    case 2:
      r = zf;
      break;
    case 3:
      r = cf || zf;
      break;
    case 4:
      r = sf;
      break;
    case 5:
      r = pf;
      break;
    case 6:
      r = sf !== of;
      break;
    default:
      r = zf || sf !== of;
      break;
  }
  return cc & 1 ? !r : r;
}

/**
 * Evaluates an RCX-driven branch: returns whether it is taken and the RCX
 * value after the instruction (LOOP* decrement it; with `addr32` only ECX
 * counts and is written, zero-extended).
 */
export function counterBranch(kind: CounterBranch, rcx: bigint, rflags: bigint | number, addr32 = false): { taken: boolean; rcx: bigint } {
  const mask = addr32 ? 0xffffffffn : 0xffffffffffffffffn;
  if (kind === 'jrcxz') return { taken: (rcx & mask) === 0n, rcx };
  if (kind === 'jecxz') return { taken: (rcx & 0xffffffffn) === 0n, rcx };
  const next = ((rcx & mask) - 1n) & mask;
  let taken = next !== 0n;
  if (kind === 'loope') taken &&= conditionHolds(4, rflags);
  if (kind === 'loopne') taken &&= conditionHolds(5, rflags);
  return { taken, rcx: next };
}

const CC: Record<string, number> = {
  O: 0,
  NO: 1,
  B: 2,
  AE: 3,
  E: 4,
  NE: 5,
  BE: 6,
  A: 7,
  S: 8,
  NS: 9,
  P: 10,
  NP: 11,
  L: 12,
  GE: 13,
  LE: 14,
  G: 15,
};

/** Condition code of a Jcc/SETcc/CMOVcc x86asm mnemonic (JNE → 5), else undefined. */
export function conditionOf(op: string): number | undefined {
  if (op.startsWith('SET')) return CC[op.slice(3)];
  if (op.startsWith('CMOV')) return CC[op.slice(4)];
  if (op.startsWith('J') && op !== 'JMP') return CC[op.slice(1)];
  return undefined;
}

const FLOW: Record<string, Flow> = {
  CALL: 'call',
  JMP: 'jump',
  RET: 'ret',
  LOOP: 'cjump',
  LOOPE: 'cjump',
  LOOPNE: 'cjump',
  JRCXZ: 'cjump',
  JECXZ: 'cjump',
  SYSCALL: 'syscall',
  SYSENTER: 'syscall',
  INT: 'trap',
  ICEBP: 'trap',
  UD0: 'trap',
  UD1: 'trap',
  UD2: 'trap',
  INTO: 'trap',
  HLT: 'halt',
  LCALL: 'other',
  LJMP: 'other',
  LRET: 'other',
  IRET: 'other',
  IRETD: 'other',
  IRETQ: 'other',
  SYSRET: 'other',
  SYSEXIT: 'other',
  XBEGIN: 'other',
  XABORT: 'other',
  XEND: 'other',
  RSM: 'other',
};

/** Flow class of an x86asm mnemonic. */
export function flowOf(op: string): Flow {
  const f = FLOW[op];
  if (f) return f;
  return conditionOf(op) !== undefined && op.startsWith('J') ? 'cjump' : 'none';
}

export function counterKind(op: string): CounterBranch | undefined {
  switch (op) {
    case 'LOOP':
      return 'loop';
    case 'LOOPE':
      return 'loope';
    case 'LOOPNE':
      return 'loopne';
    case 'JRCXZ':
      return 'jrcxz';
    case 'JECXZ':
      return 'jecxz';
  }
  return undefined;
}
