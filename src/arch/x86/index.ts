/**
 * x86-64 instruction decoding for the debugger: exact lengths, RIP-relative
 * operands, control-flow classification (displaced stepping) and Go assembler
 * (Plan 9) text like `go tool objdump` prints (the disassembly view).
 * Pure functions over bytes; never throws on any input.
 */
import { type Decoded, decode } from './decoder.js';
import { GPR } from './registers.js';
import { type CounterBranch, type Flow, conditionOf, counterKind, flowOf } from './flow.js';
import { type SymbolLookup, goSyntax } from './goSyntax.js';

export { conditionHolds, counterBranch } from './flow.js';
export type { CounterBranch, Flow } from './flow.js';
export type { SymbolLookup } from './goSyntax.js';

export interface X86Instruction {
  /** 1..15. */
  length: number;
  /** Go (Plan 9) mnemonic, e.g. 'MOVQ', 'CALL', 'JBE'. */
  mnemonic: string;
  /** Full Plan 9 text as `go tool objdump` prints it (symbolized through the callback). */
  text: string;
  /** A RIP-relative memory operand: where its disp32 sits in the instruction and the absolute address it references. */
  ripRelative?: { dispOffset: number; dispSize: 4; target: number };
  flow: Flow;
  /** CALL/JMP through a register or memory. */
  indirect?: boolean;
  /** Where an indirect CALL/JMP takes its target from (see IndirectSource). */
  indirectFrom?: IndirectSource;
  /** Absolute target of a direct CALL/JMP/Jcc/LOOP/JRCXZ/XBEGIN. */
  target?: number;
  /** Condition code 0..15 of Jcc/SETcc/CMOVcc (see conditionHolds). */
  cc?: number;
  /** LOOP/LOOPE/LOOPNE/JRCXZ/JECXZ: the branch depends on RCX (see counterBranch). */
  counter?: CounterBranch;
  /** RET imm16: bytes released after popping the return address. */
  retPop?: number;
  /** Undecodable bytes: length 1, text '?'. */
  invalid?: boolean;
}

/**
 * The operand of an indirect CALL/JMP. Registers are numbered 0..15 (RAX,
 * RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R15). For memory, the target is the
 * 8 bytes at `segmentBase + base + index*scale + disp` (truncated to 32 bits
 * when `addr32`); a RIP-relative operand gives the absolute `address` instead.
 */
export type IndirectSource =
  | { kind: 'reg'; reg: number }
  | { kind: 'mem'; address: number }
  | { kind: 'mem'; base?: number; index?: number; scale: number; disp: number; segment?: 'FS' | 'GS'; addr32?: boolean };

const INVALID: X86Instruction = Object.freeze({ length: 1, mnemonic: '?', text: '?', flow: 'other', invalid: true }) as X86Instruction;

interface OpFacts {
  flow: Flow;
  cc: number | undefined;
  counter: CounterBranch | undefined;
}
const facts = new Map<string, OpFacts>();
function factsOf(op: string): OpFacts {
  let f = facts.get(op);
  if (!f) facts.set(op, (f = { flow: flowOf(op), cc: conditionOf(op), counter: counterKind(op) }));
  return f;
}

function build(d: Decoded, pc: number, symbolize: SymbolLookup | undefined): X86Instruction {
  const { mnemonic, text } = goSyntax(d, pc, symbolize);
  const f = factsOf(d.op);
  const insn: X86Instruction = { length: d.len, mnemonic, text, flow: f.flow };
  if (d.ripOff >= 0) insn.ripRelative = { dispOffset: d.ripOff, dispSize: 4, target: d.ripTarget };
  if (f.cc !== undefined) insn.cc = f.cc;
  const a0 = d.args[0];
  if (a0?.kind === 'rel') insn.target = a0.target;
  if ((f.flow === 'call' || f.flow === 'jump') && a0 && a0.kind !== 'rel') {
    insn.indirect = true;
    const from = indirectSource(d);
    if (from) insn.indirectFrom = from;
  }
  if (f.counter) insn.counter = f.counter;
  if (d.op === 'RET' && a0?.kind === 'imm') insn.retPop = Number(a0.value);
  return insn;
}

function indirectSource(d: Decoded): IndirectSource | undefined {
  const a = d.args[0]!;
  if (a.kind === 'reg') {
    const reg = GPR.indexOf(a.name);
    return reg >= 0 ? { kind: 'reg', reg } : undefined;
  }
  if (a.kind !== 'mem') return undefined;
  if (a.base === 'IP') return { kind: 'mem', address: d.ripTarget };
  const m: IndirectSource = { kind: 'mem', scale: a.scale || 1, disp: a.sdisp };
  if (a.base) m.base = GPR.indexOf(a.base);
  if (a.index) m.index = GPR.indexOf(a.index);
  if (a.seg === 'FS' || a.seg === 'GS') m.segment = a.seg;
  if (d.addr32) m.addr32 = true;
  return m;
}

/**
 * Decodes the instruction at the start of `bytes`, located at address `pc`.
 * `symbolize` names branch targets and RIP-relative operands. Invalid or
 * truncated input gives `{ invalid: true, length: 1, text: '?' }`.
 */
export function decodeInstruction(bytes: Uint8Array, pc: number, symbolize?: SymbolLookup): X86Instruction {
  try {
    const d = decode(bytes, pc);
    return d ? build(d, pc, symbolize) : { ...INVALID };
  } catch {
    return { ...INVALID };
  }
}

/** The length of the instruction at the start of `bytes` (1 for an invalid one), without its text. */
export function instructionLength(bytes: Uint8Array, pc: number): number {
  try {
    return decode(bytes, pc)?.len ?? 1;
  } catch {
    return 1;
  }
}

/** Decodes `bytes` sequentially from `pc` to the end (an invalid byte advances by one). */
export function disassemble(bytes: Uint8Array, pc: number, symbolize?: SymbolLookup): X86Instruction[] {
  const out: X86Instruction[] = [];
  for (let off = 0; off < bytes.length; ) {
    const insn = decodeInstruction(bytes.subarray(off), pc + off, symbolize);
    out.push(insn);
    off += insn.length;
  }
  return out;
}
