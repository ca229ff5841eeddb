/**
 * Oracles for the x86 decoder that are not our code: `go tool objdump`
 * (golang.org/x/arch/x86/x86asm, Go syntax) and GNU binutils `objdump -d`
 * (lengths, RIP-relative targets, AVX/AVX-512). Plus the ELF symbol lookup
 * `go tool objdump` uses, rebuilt from our ELF reader.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { ElfFile } from '../../src/binary/elf.js';
import type { SymbolLookup } from '../../src/arch/x86/index.js';
import { goBin } from '../support/goBuild.js';

export interface GoObjdumpInsn {
  pc: number;
  len: number;
  text: string;
  func: string;
}

function lines(out: string, f: (line: string) => void): void {
  let at = 0;
  while (at < out.length) {
    let nl = out.indexOf('\n', at);
    if (nl < 0) nl = out.length;
    f(out.slice(at, nl));
    at = nl + 1;
  }
}

/** Every instruction `go tool objdump` prints for the binary (optionally only functions matching `regex`). */
export function goObjdump(bin: string, regex?: string): GoObjdumpInsn[] {
  const args = ['tool', 'objdump', ...(regex ? ['-s', regex] : []), bin];
  const out = execFileSync(goBin(), args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const insns: GoObjdumpInsn[] = [];
  let func = '';
  lines(out, (line) => {
    if (line.startsWith('TEXT ')) {
      func = line.slice(5, line.indexOf('(SB)'));
      return;
    }
    // "  file.go:12\t\t0x401000\t\t4c8d642488\t\tLEAQ -0x78(SP), R12\t\t\t"
    const parts = line.split('\t').filter((s) => s !== '');
    if (parts.length < 4 || !parts[1]!.startsWith('0x')) return;
    insns.push({ pc: parseInt(parts[1]!, 16), len: parts[2]!.length / 2, text: parts[3]!.trim().replace(/\s+/g, ' '), func });
  });
  return insns;
}

export interface GnuInsn {
  pc: number;
  len: number;
  /** AT&T text without the `# ...` comment. */
  text: string;
  /** Absolute address from a `# 0x...` comment (RIP-relative operands), else undefined. */
  ripTarget?: number;
}

export function haveBinutils(): boolean {
  return spawnSync('objdump', ['--version']).status === 0;
}

/**
 * `objdump -d -M intel64` over [start, stop): every instruction with its
 * length. Intel64 mode: 66-prefixed near branches keep rel32, as on Intel CPUs.
 */
export function gnuObjdump(bin: string, start?: number, stop?: number): GnuInsn[] {
  const a = ['-d', '-M', 'intel64', '--insn-width=16'];
  if (start !== undefined) a.push(`--start-address=0x${start.toString(16)}`);
  if (stop !== undefined) a.push(`--stop-address=0x${stop.toString(16)}`);
  a.push(bin);
  const out = execFileSync('objdump', a, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const insns: GnuInsn[] = [];
  lines(out, (line) => {
    // "  401000:\t4c 8d 64 24 88       \tlea    -0x78(%rsp),%r12"
    const c = line.indexOf(':\t');
    if (c < 0 || line[0] !== ' ') return;
    const t1 = line.indexOf('\t', c + 2);
    const hex = (t1 < 0 ? line.slice(c + 2) : line.slice(c + 2, t1)).trim();
    if (!/^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(hex)) return;
    let text = t1 < 0 ? '' : line.slice(t1 + 1);
    let ripTarget: number | undefined;
    // "lea 0xc59604(%rip),%rax # 105a632 <go:string.*+0x2b6a>"
    const hash = text.indexOf(' # ');
    if (hash >= 0) {
      if (text.includes('(%rip)')) ripTarget = parseInt(text.slice(hash + 3), 16);
      text = text.slice(0, hash);
    }
    insns.push({ pc: parseInt(line.slice(0, c), 16), len: (hex.length + 1) / 3, text: text.trim().replace(/\s+/g, ' '), ripTarget });
  });
  return insns;
}

/**
 * The symbol lookup `go tool objdump` uses: the ELF symbol containing the
 * address. Where several symbols share an address, objdump takes whichever
 * its unstable sort put last; we take the largest (so a zero-size marker
 * such as runtime.bss never hides the variable that starts there).
 */
export function elfSymbolizer(elf: ElfFile): SymbolLookup {
  const drop = new Set(['runtime.text', 'text', '_text', 'runtime.etext', 'etext', '_etext']);
  const syms = elf.symbols().filter((s) => !drop.has(s.name) && s.value !== 0).slice().sort((a, b) => a.value - b.value || a.size - b.size);
  const addrs = syms.map((s) => s.value);
  return (addr) => {
    // Last symbol with value <= addr.
    let lo = 0;
    let hi = addrs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (addrs[mid]! <= addr) lo = mid + 1;
      else hi = mid;
    }
    const s = syms[lo - 1];
    if (s && s.value <= addr && addr < s.value + s.size) return { name: s.name, base: s.value };
    return undefined;
  };
}
