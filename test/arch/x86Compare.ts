/**
 * Decodes every function of a Go binary with our decoder and compares it
 * with `go tool objdump` (text, branch classification and targets) and GNU
 * objdump (lengths, RIP-relative targets).
 */
import { readFileSync } from 'node:fs';
import { GoBinary } from '../../src/binary/goBinary.js';
import { type X86Instruction, decodeInstruction } from '../../src/arch/x86/index.js';
import { fromAtt, fromPlan9 } from './x86Att.js';
import { type GoObjdumpInsn, type GnuListing, elfSymbolizer, gnuObjdump, goObjdump, symbolAddresses } from './x86Oracles.js';

export interface Comparison {
  functions: number;
  /** Functions skipped because binutils sees data in them (`(bad)`), by name. */
  dataFunctions: string[];
  instructions: number;
  decodeMs: number;
  lengthMismatches: number;
  lengthExamples: string[];
  ripChecked: number;
  ripMismatches: string[];
  /** go objdump instructions x86asm cannot decode: '?', a length binutils disagrees with, or VEX/EVEX bytes read as a legacy instruction. */
  oracleUndecodable: number;
  textSame: number;
  textDiff: number;
  userSame: number;
  userDiff: number;
  userDiffs: string[];
  /** Mismatch classes "objdump op / our op" with a count and one example. */
  classes: { key: string; count: number; example: string }[];
  flowChecked: number;
  flowMismatches: string[];
  /** VEX/EVEX instructions compared with binutils (operands, masks, broadcast/rounding; mnemonics up to aliases). */
  vectorChecked: number;
  vectorMismatches: string[];
}

/** Binutils folds the predicate immediate into the mnemonic (vpcmpnequq, vcmpltps, vpclmullqhqdq). */
const PREDICATE_ALIAS = /^(VPCMP|VCMP|VPCLMUL)/;

const USER = /^(main\.|example\.com\/testdata\/)/;
const CC = ['JO', 'JNO', 'JB', 'JAE', 'JE', 'JNE', 'JBE', 'JA', 'JS', 'JNS', 'JP', 'JNP', 'JL', 'JGE', 'JLE', 'JG'];

function opOf(text: string): { op: string; arg: string } {
  const t = text.replace(/^(REP; |REPNE; )/, '').replace(/^(LOCK|PN|PT|CS|DS|ES|SS|FS|GS) /, '');
  const sp = t.indexOf(' ');
  return sp < 0 ? { op: t, arg: '' } : { op: t.slice(0, sp), arg: t.slice(sp + 1) };
}

/** Flow class implied by go objdump's mnemonic, or undefined for ordinary instructions. */
function expectedFlow(op: string): string | undefined {
  if (op === 'CALL') return 'call';
  if (op === 'JMP') return 'jump';
  if (op === 'RET') return 'ret';
  if (CC.includes(op) || ['LOOP', 'LOOPE', 'LOOPNE', 'JRCXZ', 'JECXZ'].includes(op)) return 'cjump';
  if (op === 'SYSCALL') return 'syscall';
  if (op === 'INT' || op === 'UD2' || op === 'ICEBP') return 'trap';
  if (op === 'HLT') return 'halt';
  return undefined;
}

export async function compareBinary(path: string): Promise<Comparison> {
  const [go, gnu] = await Promise.all([goObjdump(path), gnuObjdump(path)]);
  const buf = readFileSync(path);
  const bin = GoBinary.open(new Uint8Array(buf.buffer, buf.byteOffset, buf.length));
  const sym = elfSymbolizer(bin.elf);
  const addrOf = symbolAddresses(bin.elf);
  const r: Comparison = {
    functions: 0,
    dataFunctions: [],
    instructions: 0,
    decodeMs: 0,
    lengthMismatches: 0,
    lengthExamples: [],
    ripChecked: 0,
    ripMismatches: [],
    oracleUndecodable: 0,
    textSame: 0,
    textDiff: 0,
    userSame: 0,
    userDiff: 0,
    userDiffs: [],
    classes: [],
    flowChecked: 0,
    flowMismatches: [],
    vectorChecked: 0,
    vectorMismatches: [],
  };

  // Ours: every pclntab function decoded sequentially from its entry.
  const ours = new Map<number, X86Instruction>();
  const p = bin.pclntab;
  const skip = new Set<number>(); // entries of data-bearing functions
  for (let i = 0; i < p.funcCount; i++) {
    const f = p.funcAt(i);
    const bytes = bin.elf.readAt(f.entry, f.end - f.entry);
    if (!bytes) continue;
    if (hasBad(gnu, f.entry, f.end)) {
      r.dataFunctions.push(f.name);
      skip.add(f.entry);
      continue;
    }
    r.functions++;
    const t0 = performance.now();
    const insns: [number, X86Instruction][] = [];
    for (let off = 0; off < bytes.length; ) {
      const insn = decodeInstruction(bytes.subarray(off, off + 15), f.entry + off, sym);
      insns.push([f.entry + off, insn]);
      off += insn.length;
    }
    r.decodeMs += performance.now() - t0;
    for (const [pc, insn] of insns) {
      ours.set(pc, insn);
      r.instructions++;
      const glen = gnu.len.get(pc);
      if (glen !== insn.length || insn.invalid) {
        if (r.lengthMismatches++ < 20)
          r.lengthExamples.push(
            `${f.name} 0x${pc.toString(16)}: ours ${insn.invalid ? 'invalid' : insn.length} '${insn.text}', binutils ${glen ?? 'no instruction here'}`,
          );
      }
      const att = gnu.text.get(pc);
      if (att !== undefined && !insn.invalid) checkVector(r, pc, att, insn, gnu.evex.has(pc));
      const grip = gnu.rip.get(pc);
      if (grip !== undefined || insn.ripRelative) {
        r.ripChecked++;
        if (grip !== insn.ripRelative?.target)
          r.ripMismatches.push(`0x${pc.toString(16)} '${insn.text}': ours ${insn.ripRelative?.target.toString(16)}, binutils ${grip?.toString(16)}`);
      }
    }
  }

  const classes = new Map<string, { count: number; example: string }>();
  let inSkipped = false;
  let lastFunc = '';
  for (const g of go) {
    if (g.func !== lastFunc) {
      lastFunc = g.func;
      inSkipped = skip.has(g.pc);
    }
    if (inSkipped) continue;
    const o = ours.get(g.pc);
    // x86asm decodes only a few VEX instructions; it reads other VEX/EVEX bytes as a legacy instruction.
    const vex = gnu.text.get(g.pc);
    const misread = vex !== undefined && !g.text.startsWith('V');
    if (gnu.len.get(g.pc) !== g.len || g.text === '?' || !o || misread) {
      r.oracleUndecodable++;
      continue;
    }
    compareText(r, g, o, classes);
    checkFlow(r, g, o, addrOf);
  }
  r.classes = [...classes].map(([key, v]) => ({ key, ...v })).sort((a, b) => b.count - a.count);
  return r;
}

function checkVector(r: Comparison, pc: number, att: string, insn: X86Instruction, evex: boolean): void {
  r.vectorChecked++;
  const theirs = fromAtt(att);
  const ours = fromPlan9(insn.text, evex);
  let mnemonicOk = theirs.mnemonic === ours.mnemonic || theirs.mnemonic === ours.mnemonic.slice(0, -1); // RORXQ: Go's size suffix
  if (!mnemonicOk && PREDICATE_ALIAS.test(ours.mnemonic) && theirs.mnemonic.startsWith(ours.mnemonic.slice(0, 4)) && ours.operands[0]?.startsWith('$')) {
    mnemonicOk = true;
    ours.operands.shift(); // the predicate binutils spells in the mnemonic
  }
  if (
    !mnemonicOk ||
    JSON.stringify(theirs.operands) !== JSON.stringify(ours.operands) ||
    JSON.stringify(theirs.decorations) !== JSON.stringify(ours.decorations)
  ) {
    r.vectorMismatches.push(`0x${pc.toString(16)}: binutils '${att}', ours '${insn.text}'`);
  }
}

function hasBad(gnu: GnuListing, start: number, end: number): boolean {
  for (const b of gnu.bad) if (b >= start && b < end) return true;
  return false;
}

function compareText(r: Comparison, g: GoObjdumpInsn, o: X86Instruction, classes: Map<string, { count: number; example: string }>): void {
  const user = USER.test(g.func);
  if (o.text === g.text) {
    r.textSame++;
    if (user) r.userSame++;
    return;
  }
  r.textDiff++;
  if (user) {
    r.userDiff++;
    r.userDiffs.push(`${g.func} 0x${g.pc.toString(16)}: objdump '${g.text}', ours '${o.text}'`);
  }
  const key = `${opOf(g.text).op} / ${opOf(o.text).op}`;
  const c = classes.get(key);
  if (c) c.count++;
  else classes.set(key, { count: 1, example: `0x${g.pc.toString(16)} '${g.text}' vs '${o.text}'` });
}

function checkFlow(r: Comparison, g: GoObjdumpInsn, o: X86Instruction, addrOf: Map<string, number>): void {
  const { op, arg } = opOf(g.text);
  const want = expectedFlow(op);
  if (want === undefined) {
    if (o.flow !== 'none' && o.flow !== 'other') r.flowMismatches.push(`0x${g.pc.toString(16)} '${g.text}': ours ${o.flow}`);
    return;
  }
  r.flowChecked++;
  const bad = (why: string): void => void r.flowMismatches.push(`0x${g.pc.toString(16)} '${g.text}': ${why}`);
  if (o.flow !== want) return bad(`ours ${o.flow}, want ${want}`);
  const cc = CC.indexOf(op);
  if (cc >= 0 && o.cc !== cc) return bad(`cc ${o.cc}, want ${cc}`);
  if (want === 'call' || want === 'jump' || want === 'cjump') {
    // A direct target prints as 0x... or as a function symbol; anything else is a register or memory operand.
    let target: number | undefined;
    if (/^0x[0-9a-f]+$/.test(arg)) target = parseInt(arg, 16);
    else if (arg.endsWith('(SB)') && !o.indirect) target = addrOf.get(arg.slice(0, -4));
    if (target !== undefined) {
      if (o.indirect || o.target !== target) bad(`target ${o.target?.toString(16)}, want ${target.toString(16)}`);
    } else if (!o.indirect) bad('ours direct, objdump shows an operand');
  }
}
