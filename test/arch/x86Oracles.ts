/**
 * Oracles for the x86 decoder that are not our code: `go tool objdump`
 * (golang.org/x/arch/x86/x86asm, Go syntax) and GNU binutils `objdump -d`
 * (lengths, RIP-relative targets, AVX/AVX-512), plus the ELF symbol lookup
 * `go tool objdump` uses, rebuilt from our ELF reader.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { ElfFile } from '../../src/binary/elf.js';
import type { SymbolLookup } from '../../src/arch/x86/index.js';
import { goBin } from '../support/goBuild.js';

const run = promisify(execFile);

export interface GoObjdumpInsn {
  pc: number;
  len: number;
  /** Instruction text, whitespace normalised. */
  text: string;
  func: string;
}

function eachLine(out: string, f: (line: string) => void): void {
  let at = 0;
  while (at < out.length) {
    let nl = out.indexOf('\n', at);
    if (nl < 0) nl = out.length;
    f(out.slice(at, nl));
    at = nl + 1;
  }
}

/** Every instruction `go tool objdump` prints (optionally only for functions matching `regex`). */
export async function goObjdump(bin: string, regex?: string): Promise<GoObjdumpInsn[]> {
  const args = ['tool', 'objdump', ...(regex ? ['-s', regex] : []), bin];
  const { stdout } = await run(goBin(), args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const insns: GoObjdumpInsn[] = [];
  let func = '';
  eachLine(stdout, (line) => {
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

export function haveBinutils(): boolean {
  return spawnSync('objdump', ['--version']).status === 0;
}

/** Binutils' view of the text: instruction starts and lengths, RIP-relative targets, undecodable bytes. */
export interface GnuListing {
  len: Map<number, number>;
  /** Absolute address binutils computes for a `(%rip)` operand (its `# addr` comment). */
  rip: Map<number, number>;
  /** Addresses binutils prints as `(bad)`: data, not code. */
  bad: Set<number>;
  /** AT&T text by address: of every instruction with `keepText`, else of VEX/EVEX-encoded ones (C4/C5/62). */
  text: Map<number, string>;
  /** Addresses of EVEX-encoded instructions (62). */
  evex: Set<number>;
}

/**
 * `objdump -d -M intel64` of a binary or of raw bytes (`raw`): Intel64 mode
 * keeps rel32 on 66-prefixed near branches, as Intel CPUs do.
 */
export async function gnuObjdump(file: string, opts: { raw?: boolean; keepText?: boolean } = {}): Promise<GnuListing> {
  const args = ['-d', '-z', '-M', 'intel64', '--insn-width=16', '-w'];
  if (opts.raw) args.push('-D', '-b', 'binary', '-m', 'i386:x86-64');
  args.push(file);
  const { stdout } = await run('objdump', args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const out: GnuListing = { len: new Map(), rip: new Map(), bad: new Set(), text: new Map(), evex: new Set() };
  eachLine(stdout, (line) => {
    // "  401000:\t4c 8d 64 24 88       \tlea    -0x78(%rsp),%r12"
    const c = line.indexOf(':\t');
    if (c < 0 || line[0] !== ' ') return;
    const t1 = line.indexOf('\t', c + 2);
    const hex = (t1 < 0 ? line.slice(c + 2) : line.slice(c + 2, t1)).trim();
    if (!/^[0-9a-f]{2}( [0-9a-f]{2})*$/.test(hex)) return;
    const pc = parseInt(line.slice(0, c), 16);
    let text = t1 < 0 ? '' : line.slice(t1 + 1);
    // "lea 0xc59604(%rip),%rax        # 105a632 <go:string.*+0x2b6a>"
    const hash = text.indexOf(' # ');
    if (hash >= 0) {
      if (text.includes('(%rip)')) out.rip.set(pc, parseInt(text.slice(hash + 3), 16));
      text = text.slice(0, hash);
    }
    out.len.set(pc, (hex.length + 1) / 3);
    if (text.includes('(bad)')) out.bad.add(pc);
    if (hex.startsWith('62')) out.evex.add(pc);
    if (opts.keepText || hex.startsWith('c4') || hex.startsWith('c5') || hex.startsWith('62')) out.text.set(pc, text.trim().replace(/\s+/g, ' '));
  });
  return out;
}

/**
 * The symbol lookup `go tool objdump` uses: the ELF symbol containing the
 * address. Where several symbols share an address, objdump takes whichever
 * its unstable sort put last; we take the largest (so a zero-size marker
 * such as runtime.bss never hides the variable that starts there).
 */
export function elfSymbolizer(elf: ElfFile): SymbolLookup {
  const drop = new Set(['runtime.text', 'text', '_text', 'runtime.etext', 'etext', '_etext']);
  const syms = elf
    .symbols()
    .filter((s) => !drop.has(s.name) && s.value !== 0)
    .slice()
    .sort((a, b) => a.value - b.value || a.size - b.size);
  const addrs = syms.map((s) => s.value);
  return (addr) => {
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

/** Symbol name → address, for reading `CALL name(SB)` back as an address. */
export function symbolAddresses(elf: ElfFile): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of elf.symbols()) if (s.value !== 0 && !m.has(s.name)) m.set(s.name, s.value);
  return m;
}
