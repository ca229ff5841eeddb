/**
 * Plan 9 (Go assembler) text for a decoded instruction, as `go tool objdump`
 * prints it (golang.org/x/arch/x86/x86asm's GoSyntax): operands reversed,
 * a B/W/L/Q size suffix on the integer mnemonics that take one, `$imm`,
 * `disp(base)(index*scale)`, branch targets and RIP-relative operands
 * through the symbol table.
 *
 * Deliberate differences from x86asm: RIP-relative operands with a negative
 * displacement are symbolized from the true target (x86asm drops the sign);
 * 256/512-bit registers print as Y/Z (x86asm prints X for VMOVDQU Y0...);
 * VEX/EVEX instructions x86asm cannot decode get Intel mnemonics with
 * Go-style operands (masks as K operands, .Z/.BCST/rounding suffixes).
 */
import { type Arg, type Decoded, Enc, type MemArg } from './decoded.js';

/** Symbol lookup: the symbol containing `addr` ({name, base}), or a name when a symbol starts exactly at `addr`. */
export type SymbolLookup = (addr: number) => string | { name: string; base: number } | undefined;

/** Mnemonics that take a size suffix (x86asm's plan9Suffix). */
const SUFFIXED = new Set([
  'ADC',
  'ADD',
  'AND',
  'BSF',
  'BSR',
  'BT',
  'BTC',
  'BTR',
  'BTS',
  'CMP',
  'CMPXCHG',
  'CVTSI2SD',
  'CVTSI2SS',
  'CVTSD2SI',
  'CVTSS2SI',
  'CVTTSD2SI',
  'CVTTSS2SI',
  'DEC',
  'DIV',
  'FLDENV',
  'FRSTOR',
  'IDIV',
  'IMUL',
  'IN',
  'INC',
  'LEA',
  'MOV',
  'MOVNTI',
  'MUL',
  'NEG',
  'NOP',
  'NOT',
  'OR',
  'OUT',
  'POP',
  'POPA',
  'POPCNT',
  'PUSH',
  'PUSHA',
  'RCL',
  'RCR',
  'ROL',
  'ROR',
  'SAR',
  'SBB',
  'SHL',
  'SHLD',
  'SHR',
  'SHRD',
  'SUB',
  'TEST',
  'XADD',
  'XCHG',
  'XOR',
]);

/** Instructions x86asm does not know, whose Go assembler names carry L/Q (RORXQ, ANDNL, ADCXQ...). */
const GO_SUFFIXED = new Set(['ANDN', 'BEXTR', 'BLSI', 'BLSMSK', 'BLSR', 'BZHI', 'MULX', 'PDEP', 'PEXT', 'RORX', 'SARX', 'SHLX', 'SHRX', 'ADCX', 'ADOX']);

const SUFFIX: Record<number, string> = { 8: 'B', 16: 'W', 32: 'L', 64: 'Q' };
const ROUNDING = ['.RN_SAE', '.RD_SAE', '.RU_SAE', '.RZ_SAE'];

function resolve(sym: SymbolLookup | undefined, addr: number): { name: string; base: number } | undefined {
  if (!sym || addr < 0) return undefined;
  const r = sym(addr);
  if (r === undefined) return undefined;
  return typeof r === 'string' ? { name: r, base: addr } : r;
}

/** Go's %#x of a signed value: 0x1f, -0x80. */
export function hex(v: number | bigint): string {
  if (typeof v === 'bigint') return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

function plusDec(off: number): string {
  return off === 0 ? '' : off > 0 ? `+${off}` : `${off}`;
}

function immText(d: Decoded, v: number | bigint, sym: SymbolLookup | undefined): string {
  if ((d.op === 'MOV' || d.op === 'PUSH') && d.dataSize === 32 && v >= 0) {
    const s = resolve(sym, Number(v));
    if (s) return `$${s.name}${plusDec(Number(v) - s.base)}(SB)`;
  }
  if (typeof v === 'bigint') {
    if (v >= -0x80000000n && v <= 0x7fffffffn) return `$${hex(v)}`;
    return `$0x${BigInt.asUintN(64, v).toString(16)}`;
  }
  return `$${hex(v)}`;
}

function memText(m: MemArg, sym: SymbolLookup | undefined): string {
  if (!m.seg && m.disp !== 0 && m.disp !== 0n && !m.index && m.scale === 0 && (m.base === 'IP' || m.base === '')) {
    const s = resolve(sym, m.addr);
    if (s) return `${s.name}${plusDec(m.addr - s.base)}(SB)`;
  }
  let t = m.seg ? `${m.seg}:` : '';
  t += m.disp === 0 || m.disp === 0n ? '0' : hex(m.disp);
  if (m.base) t += `(${m.base})`;
  if (m.index && m.scale) t += `(${m.index}*${m.scale})`;
  return t;
}

function argText(d: Decoded, a: Arg, pc: number, sym: SymbolLookup | undefined): string {
  switch (a.kind) {
    case 'reg':
      return a.name;
    case 'imm':
      return immText(d, a.value, sym);
    case 'mem':
      return memText(a, sym);
    case 'rel': {
      if (pc === 0) return a.rel >= 0 ? `.+${a.rel}` : `.${a.rel}`;
      const s = resolve(sym, a.target);
      if (s && s.base === a.target) return `${s.name}(SB)`;
      return a.target < 0 ? `0x${BigInt.asUintN(64, BigInt(a.target)).toString(16)}` : hex(a.target);
    }
  }
}

/** The Go mnemonic: x86asm's op plus a size suffix where Go adds one. */
export function goMnemonic(d: Decoded): string {
  if (GO_SUFFIXED.has(d.op)) return d.op + (d.dataSize === 64 ? 'Q' : 'L');
  if (!SUFFIXED.has(d.op) || d.enc !== Enc.Legacy) return d.op;
  let s = d.dataSize;
  if (d.memBytes !== 0) s = d.memBytes * 8;
  else if (d.args.length === 1 && d.args[0]!.kind === 'reg' && d.args[0]!.width === 64) s = 64;
  return d.op + (SUFFIX[s] ?? '');
}

/** Plan 9 text of a decoded instruction at `pc`. */
export function goSyntax(d: Decoded, pc: number, sym?: SymbolLookup): { mnemonic: string; text: string } {
  let mnemonic = goMnemonic(d);
  const args: string[] = [];
  for (let i = d.args.length - 1; i >= 0; i--) args.push(argText(d, d.args[i]!, pc, sym));
  if (d.op === 'CMP' && args.length >= 2) {
    // Comparisons read left to right (Go issue 60920).
    const t = args[0]!;
    args[0] = args[1]!;
    args[1] = t;
  }
  if (d.enc === Enc.Evex) {
    if (d.zeroing) mnemonic += '.Z';
    if (d.bcst) mnemonic += '.BCST';
    if (d.round >= 0) mnemonic += ROUNDING[d.round] ?? '.SAE';
    if (d.mask && args.length >= 1) args.splice(args.length - 1, 0, `K${d.mask}`);
  }
  const text = d.rep + d.prefix + mnemonic + (args.length ? ` ${args.join(', ')}` : '');
  return { mnemonic, text };
}
