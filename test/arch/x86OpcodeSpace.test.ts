/**
 * The x86 decoder across the opcode space, beyond what the Go compiler
 * emits: synthetic instructions (every opcode of every map under several
 * prefixes and ModRM forms, VEX and EVEX with random fields) compared with
 * GNU objdump (lengths) and with `go tool objdump` (text), the latter on a Go
 * program generated at test time that holds each candidate in its own
 * assembly function.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GoBinary } from '../../src/binary/goBinary.js';
import { decodeInstruction } from '../../src/arch/x86/index.js';
import { goBin } from '../support/goBuild.js';
import { legacyCandidates, slotted, vectorCandidates } from './x86Candidates.js';
import { elfSymbolizer, gnuObjdump, goObjdump, haveBinutils } from './x86Oracles.js';

const skip = haveBinutils() ? false : 'GNU objdump (binutils) is not installed';

/** A binutils line that is only prefixes (it prints unused prefixes, e.g. before FWAIT, as their own "instruction"). */
const PREFIX_ONLY = /^((data16|addr32|rex(\.[WRXB]+)?|repz|repnz|rep|lock|[cdefgs]s|bnd|notrack)\s*)+$/;

test('lengths agree with binutils over the opcode space', { skip }, async (t) => {
  const legacy = legacyCandidates({
    prefixes: [[], [0x66], [0xf2], [0xf3], [0x48], [0x66, 0x48], [0xf3, 0x48], [0xf2, 0x48], [0x41], [0x4c], [0xf0], [0x64], [0x67], [0x66, 0xf2], [0x2e]],
    modrms: [0x00, 0x04, 0x05, 0x44, 0x84, 0xc0, 0xc8, 0xd1, 0xe8, 0xf0, 0xf8, 0x15, 0x3c, 0x7d],
    seed: 1,
  });
  const vector = vectorCandidates(2, [0x00, 0x04, 0x05, 0x0c, 0x44, 0x84, 0xc0, 0xc9, 0xd3, 0xee, 0xff, 0x15, 0x5c, 0x94]);
  const cands = [...legacy, ...vector];
  const dir = mkdtempSync(join(tmpdir(), 'x86-space-'));
  try {
    const file = join(dir, 'cands.bin');
    writeFileSync(file, slotted(cands));
    const gnu = await gnuObjdump(file, { raw: true, keepText: true });
    let both = 0;
    let oursOnly = 0;
    const mismatches: string[] = [];
    const unsupported = new Map<string, number>();
    cands.forEach((c, i) => {
      const at = i * 32;
      const glen = gnu.len.get(at);
      const gtext = gnu.text.get(at) ?? '';
      const insn = decodeInstruction(c, at);
      if (glen === undefined || gtext.includes('(bad)') || PREFIX_ONLY.test(gtext)) {
        if (!insn.invalid) oursOnly++;
        return;
      }
      if (insn.invalid) {
        const m = gtext.split(' ')[0]!;
        unsupported.set(m, (unsupported.get(m) ?? 0) + 1);
        return;
      }
      both++;
      if (insn.length !== glen) mismatches.push(`${Buffer.from(c).toString('hex')}: ours ${insn.length} '${insn.text}', binutils ${glen} '${gtext}'`);
    });
    t.diagnostic(
      `${cands.length} candidates (${legacy.length} legacy, ${vector.length} VEX/EVEX): both decode ${both}, same length ${both - mismatches.length}; ` +
        `only we decode ${oursOnly} (binutils: "(bad)"; e.g. 66-prefixed SHA, reserved VEX.L); only binutils decodes ${[...unsupported.values()].reduce((a, b) => a + b, 0)}`,
    );
    t.diagnostic(
      `  binutils-only mnemonics: ${[...unsupported]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 40)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ')}`,
    );
    assert.deepEqual(mismatches.slice(0, 20), []);
    assert.ok(both > 80_000, `only ${both} candidates decoded by both`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A Go program with one assembly function per candidate, kept alive by a table of func values. */
function buildCandidateProgram(dir: string, cands: Uint8Array[]): string {
  writeFileSync(join(dir, 'go.mod'), 'module example.com/x86cands\n\ngo 1.22\n');
  const decls = cands.map((_, i) => `func c${i}()`).join('\n');
  const table = cands.map((_, i) => `c${i},`).join('\n');
  writeFileSync(join(dir, 'main.go'), `package main\n\n${decls}\n\nvar fns = []func(){\n${table}\n}\n\nfunc main() { println(len(fns)) }\n`);
  const asm = cands.map((c, i) => `TEXT ·c${i}(SB),NOSPLIT|NOFRAME,$0-0\n${[...c].map((b) => `\tBYTE $0x${b.toString(16)}`).join('\n')}\n`);
  writeFileSync(join(dir, 'cands_amd64.s'), `#include "textflag.h"\n\n${asm.join('\n')}`);
  const out = join(dir, 'cands');
  execFileSync(goBin(), ['build', '-o', out, '.'], { cwd: dir, env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return out;
}

test('text agrees with go tool objdump over the opcode space', { skip, timeout: 180_000 }, async (t) => {
  // Candidates trimmed to the instruction (so each function holds exactly one), by binutils' length.
  const raw = legacyCandidates({ prefixes: [[], [0x66], [0xf3], [0xf2], [0x48], [0x41], [0xf0], [0x64]], modrms: [0x04, 0x45, 0xc1, 0x05, 0xd8], seed: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'x86-cands-'));
  try {
    const rawFile = join(dir, 'raw.bin');
    writeFileSync(rawFile, slotted(raw));
    const gnuRaw = await gnuObjdump(rawFile, { raw: true, keepText: true });
    const cands: Uint8Array[] = [];
    raw.forEach((c, i) => {
      const n = gnuRaw.len.get(i * 32);
      const text = gnuRaw.text.get(i * 32) ?? '';
      if (n && !text.includes('(bad)') && !PREFIX_ONLY.test(text)) cands.push(c.subarray(0, n));
    });
    const bin = buildCandidateProgram(dir, cands);
    const go = await goObjdump(bin, '^main\\.c[0-9]+\\.abi0$');
    const buf = readFileSync(bin);
    const elf = GoBinary.open(new Uint8Array(buf.buffer, buf.byteOffset, buf.length)).elf;
    const sym = elfSymbolizer(elf);
    const firsts = new Map<string, { pc: number; len: number; text: string }>();
    for (const g of go) if (!firsts.has(g.func)) firsts.set(g.func, g);
    let same = 0;
    let undecodable = 0;
    const diffs = new Map<string, { n: number; ex: string }>();
    cands.forEach((c, i) => {
      const g = firsts.get(`main.c${i}.abi0`);
      assert.ok(g, `no function main.c${i} in the objdump listing`);
      // x86asm failed (or read a different length than binutils): nothing to compare.
      if (g.text === '?' || g.len !== c.length) {
        undecodable++;
        return;
      }
      const insn = decodeInstruction(elf.readAt(g.pc, 15)!, g.pc, sym);
      if (insn.text === g.text) {
        same++;
        return;
      }
      const key = `${g.text.split(' ')[0]} / ${insn.text.split(' ')[0]}`;
      const d = diffs.get(key);
      if (d) d.n++;
      else diffs.set(key, { n: 1, ex: `${Buffer.from(c).toString('hex')}: objdump '${g.text}', ours '${insn.text}'` });
    });
    const differ = [...diffs.values()].reduce((a, b) => a + b.n, 0);
    t.diagnostic(
      `${cands.length} candidates: x86asm decodes ${cands.length - undecodable}; same text ${same}, different ${differ} (${((100 * same) / (same + differ)).toFixed(3)}%)`,
    );
    for (const [k, d] of [...diffs].sort((a, b) => b[1].n - a[1].n).slice(0, 15)) t.diagnostic(`  ${d.n} × ${k}  e.g. ${d.ex}`);
    assert.ok(same > 15_000, `only ${same} candidates agree`);
    assert.ok(same / (same + differ) >= 0.99, 'text agreement below 99%');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
