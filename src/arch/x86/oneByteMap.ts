/**
 * The one-byte opcode map (64-bit mode) and the x87 escape opcodes D8–DF.
 * Mnemonics follow golang.org/x/arch/x86/x86asm (what `go tool objdump`
 * prints before adding a size suffix). Prefix bytes, 0F, C4/C5 (VEX) and 62
 * (EVEX) never reach this table.
 */
import { type Node, grp, lazyOpmap, mod, osz, asz, rmsel } from './opcodeTable.js';

const ALU = ['ADD', 'OR', 'ADC', 'SBB', 'AND', 'SUB', 'XOR', 'CMP'];
const SHIFT = ['ROL', 'ROR', 'RCL', 'RCR', 'SHL', 'SHR', 'SHL', 'SAR'];
export const CC_NAMES = ['O', 'NO', 'B', 'AE', 'E', 'NE', 'BE', 'A', 'S', 'NS', 'P', 'NP', 'L', 'GE', 'LE', 'G'];

function alu(): Record<number, string> {
  const m: Record<number, string> = {};
  ALU.forEach((op, i) => {
    const b = i * 8;
    m[b] = `${op} Eb,Gb`;
    m[b + 1] = `${op} Ev,Gv`;
    m[b + 2] = `${op} Gb,Eb`;
    m[b + 3] = `${op} Gv,Ev`;
    m[b + 4] = `${op} AL,Ub`;
    m[b + 5] = `${op} rAX,Iz`;
  });
  return m;
}

function each(from: number, n: number, f: (i: number) => string | Node): Record<number, string | Node> {
  const m: Record<number, string | Node> = {};
  for (let i = 0; i < n; i++) m[from + i] = f(i);
  return m;
}

const shifts = (arg: string, size: 'b' | 'v'): Node => grp(...SHIFT.map((s) => `${s} E${size},${arg}`));

// ---- x87 ----

const FARITH = ['FADD', 'FMUL', 'FCOM', 'FCOMP', 'FSUB', 'FSUBR', 'FDIV', 'FDIVR'];

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
const x87 = (): Record<number, Node> => ({
  0xd8: mod(grp(...FARITH.map((o) => `${o} M4`)), grp('FADD ST,STi', 'FMUL ST,STi', 'FCOM STi', 'FCOMP STi', 'FSUB ST,STi', 'FSUBR ST,STi', 'FDIV ST,STi', 'FDIVR ST,STi')),
  0xd9: mod(
    grp('FLD M4', undefined, 'FST M4', 'FSTP M4', 'FLDENV M', 'FLDCW M2', 'FNSTENV M', 'FNSTCW M2'),
    grp('FLD STi', 'FXCH STi', rmsel('FNOP'), undefined,
      rmsel('FCHS', 'FABS', undefined, undefined, 'FTST', 'FXAM'),
      rmsel('FLD1', 'FLDL2T', 'FLDL2E', 'FLDPI', 'FLDLG2', 'FLDLN2', 'FLDZ'),
      rmsel('F2XM1', 'FYL2X', 'FPTAN', 'FPATAN', 'FXTRACT', 'FPREM1', 'FDECSTP', 'FINCSTP'),
      rmsel('FPREM', 'FYL2XP1', 'FSQRT', 'FSINCOS', 'FRNDINT', 'FSCALE', 'FSIN', 'FCOS')),
  ),
  0xda: mod(grp(...['FIADD', 'FIMUL', 'FICOM', 'FICOMP', 'FISUB', 'FISUBR', 'FIDIV', 'FIDIVR'].map((o) => `${o} M4`)),
    grp('FCMOVB ST,STi', 'FCMOVE ST,STi', 'FCMOVBE ST,STi', 'FCMOVU ST,STi', undefined, rmsel(undefined, 'FUCOMPP'))),
  0xdb: mod(grp('FILD M4', 'FISTTP M4', 'FIST M4', 'FISTP M4', undefined, 'FLD M10', undefined, 'FSTP M10'),
    grp('FCMOVNB ST,STi', 'FCMOVNE ST,STi', 'FCMOVNBE ST,STi', 'FCMOVNU ST,STi', rmsel(undefined, undefined, 'FNCLEX', 'FNINIT'), 'FUCOMI ST,STi', 'FCOMI ST,STi')),
  0xdc: mod(grp(...FARITH.map((o) => `${o} M8`)),
    grp('FADD STi,ST', 'FMUL STi,ST', undefined, undefined, 'FSUBR STi,ST', 'FSUB STi,ST', 'FDIVR STi,ST', 'FDIV STi,ST')),
  0xdd: mod(grp('FLD M8', 'FISTTP M8', 'FST M8', 'FSTP M8', 'FRSTOR M', undefined, 'FNSAVE M', 'FNSTSW M2'),
    grp('FFREE STi', undefined, 'FST STi', 'FSTP STi', 'FUCOM STi', 'FUCOMP STi')),
  0xde: mod(grp(...['FIADD', 'FIMUL', 'FICOM', 'FICOMP', 'FISUB', 'FISUBR', 'FIDIV', 'FIDIVR'].map((o) => `${o} M2`)),
    grp('FADDP STi,ST', 'FMULP STi,ST', undefined, rmsel(undefined, 'FCOMPP'), 'FSUBRP STi,ST', 'FSUBP STi,ST', 'FDIVRP STi,ST', 'FDIVP STi,ST')),
  0xdf: mod(grp('FILD M2', 'FISTTP M2', 'FIST M2', 'FISTP M2', 'FBLD M10', 'FILD M8', 'FBSTP M10', 'FISTP M8'),
    grp('FFREEP STi', undefined, undefined, undefined, rmsel('FNSTSW AX'), 'FUCOMIP ST,STi', 'FCOMIP ST,STi')),
});

// biome-ignore format: an opcode table, laid out as the manuals group the opcodes
export const oneByteMap = lazyOpmap(() => ({
  ...alu(),
  ...each(0x50, 8, () => 'PUSH Zf'),
  ...each(0x58, 8, () => 'POP Zf'),
  0x63: 'MOVSXD Gv,Ed',
  0x68: 'PUSH Iz',
  0x69: 'IMUL Gv,Ev,Iz',
  0x6a: 'PUSH Ib',
  0x6b: 'IMUL Gv,Ev,Ib',
  0x6c: 'INSB',
  0x6d: osz('INSW', 'INSD', 'INSD'),
  0x6e: 'OUTSB',
  0x6f: osz('OUTSW', 'OUTSD', 'OUTSD'),
  ...each(0x70, 16, (i) => `J${CC_NAMES[i]} Jb`),
  0x80: grp(...ALU.map((o) => `${o} Eb,Ub`)),
  0x81: grp(...ALU.map((o) => `${o} Ev,Iz`)),
  0x83: grp(...ALU.map((o) => `${o} Ev,Ib`)),
  0x84: 'TEST Eb,Gb',
  0x85: 'TEST Ev,Gv',
  0x86: 'XCHG Eb,Gb',
  0x87: 'XCHG Ev,Gv',
  0x88: 'MOV Eb,Gb',
  0x89: 'MOV Ev,Gv',
  0x8a: 'MOV Gb,Eb',
  0x8b: 'MOV Gv,Ev',
  0x8c: 'MOV Ev/w,Sw',
  0x8d: 'LEA Gv,M',
  0x8e: 'MOV Sw,Ev/w',
  0x8f: grp('POP Ef'),
  ...each(0x90, 8, () => 'XCHG Zv,rAX'),
  0x98: osz('CBW', 'CWDE', 'CDQE'),
  0x99: osz('CWD', 'CDQ', 'CQO'),
  0x9b: 'FWAIT',
  0x9c: osz('PUSHF', 'PUSHFQ', 'PUSHFQ'),
  0x9d: osz('POPF', 'POPFQ', 'POPFQ'),
  0x9e: 'SAHF',
  0x9f: 'LAHF',
  0xa0: 'MOV AL,Ob',
  0xa1: 'MOV rAX,Ov',
  0xa2: 'MOV Ob,AL',
  0xa3: 'MOV Ov,rAX',
  0xa4: 'MOVSB',
  0xa5: osz('MOVSW', 'MOVSD', 'MOVSQ'),
  0xa6: 'CMPSB',
  0xa7: osz('CMPSW', 'CMPSD', 'CMPSQ'),
  0xa8: 'TEST AL,Ub',
  0xa9: 'TEST rAX,Iz',
  0xaa: 'STOSB',
  0xab: osz('STOSW', 'STOSD', 'STOSQ'),
  0xac: 'LODSB',
  0xad: osz('LODSW', 'LODSD', 'LODSQ'),
  0xae: 'SCASB',
  0xaf: osz('SCASW', 'SCASD', 'SCASQ'),
  ...each(0xb0, 8, () => 'MOV Zb,Ub'),
  ...each(0xb8, 8, () => 'MOV Zv,Iv'),
  0xc0: shifts('Ub', 'b'),
  0xc1: shifts('Ub', 'v'),
  0xc2: 'RET Uw',
  0xc3: 'RET',
  0xc6: grp('MOV Eb,Ub', undefined, undefined, undefined, undefined, undefined, undefined, mod(undefined, rmsel('XABORT Ub'))),
  0xc7: grp('MOV Ev,Iz', undefined, undefined, undefined, undefined, undefined, undefined, mod(undefined, rmsel('XBEGIN Jx'))),
  0xc8: 'ENTER Uw,Ub',
  0xc9: 'LEAVE',
  0xca: 'LRET Uw',
  0xcb: 'LRET',
  0xcc: 'INT 3',
  0xcd: 'INT Ub',
  0xcf: osz('IRET', 'IRETD', 'IRETQ'),
  0xd0: shifts('1', 'b'),
  0xd1: shifts('1', 'v'),
  0xd2: shifts('CL', 'b'),
  0xd3: shifts('CL', 'v'),
  0xd7: 'XLATB',
  ...x87(),
  0xe0: 'LOOPNE Jb',
  0xe1: 'LOOPE Jb',
  0xe2: 'LOOP Jb',
  0xe3: asz('JECXZ Jb', 'JRCXZ Jb'),
  0xe4: 'IN AL,Ub',
  0xe5: 'IN rAX,Ub',
  0xe6: 'OUT Ub,AL',
  0xe7: 'OUT Ub,rAX',
  0xe8: 'CALL Jz',
  0xe9: 'JMP Jz',
  0xeb: 'JMP Jb',
  0xec: 'IN AL,DX',
  0xed: 'IN rAX,DX',
  0xee: 'OUT DX,AL',
  0xef: 'OUT DX,rAX',
  0xf1: 'ICEBP',
  0xf4: 'HLT',
  0xf5: 'CMC',
  0xf6: grp('TEST Eb,Ub', 'TEST Eb,Ub', 'NOT Eb', 'NEG Eb', 'MUL Eb', 'IMUL Eb', 'DIV Eb', 'IDIV Eb'),
  0xf7: grp('TEST Ev,Iz', 'TEST Ev,Iz', 'NOT Ev', 'NEG Ev', 'MUL Ev', 'IMUL Ev', 'DIV Ev', 'IDIV Ev'),
  0xf8: 'CLC',
  0xf9: 'STC',
  0xfa: 'CLI',
  0xfb: 'STI',
  0xfc: 'CLD',
  0xfd: 'STD',
  0xfe: grp('INC Eb', 'DEC Eb'),
  0xff: grp('INC Ev', 'DEC Ev', 'CALL Eq', 'LCALL M', 'JMP Eq', 'LJMP M', 'PUSH Ef'),
}));
