/**
 * .eh_frame CFI on a cgo program (testdata/cgoframes, linked by gcc): every
 * FDE and every row of every column against readelf's interpreted table, which
 * is binutils' reading of the same bytes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ElfFile } from '../../src/binary/elf.js';
import { ehFrameTable } from '../../src/dwarf/ehFrame.js';
import type { RegisterRule, UnwindRules } from '../../src/dwarf/frame.js';
import { buildFixture } from '../support/goBuild.js';

/** readelf's column names → DWARF register numbers on amd64 (ra is the return-address column, 16). */
const REGS = ['rax', 'rdx', 'rcx', 'rbx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'ra'];

interface TheirFde {
  lo: number;
  hi: number;
  columns: string[];
  rows: { loc: number; cells: string[] }[];
}

/** The FDEs of `readelf --debug-dump=frames-interp` in the .eh_frame section only. */
function readelfEhFrame(bin: string): TheirFde[] {
  const out = execFileSync('readelf', ['--debug-dump=frames-interp', bin], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const fdes: TheirFde[] = [];
  let section = '';
  let cur: TheirFde | undefined;
  for (const line of out.split('\n')) {
    const s = /^Contents of the (\S+) section:/.exec(line);
    if (s) {
      section = s[1]!;
      continue;
    }
    if (section !== '.eh_frame') continue;
    if (/ CIE /.test(line)) {
      cur = undefined;
      continue;
    }
    const h = / FDE cie=[0-9a-f]+ pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line);
    if (h) {
      cur = { lo: parseInt(h[1]!, 16), hi: parseInt(h[2]!, 16), columns: [], rows: [] };
      fdes.push(cur);
      continue;
    }
    if (!cur) continue;
    if (/^\s+LOC\s+CFA/.test(line)) cur.columns = line.trim().split(/\s+/).slice(2);
    const r = /^([0-9a-f]{16}) (.*)$/.exec(line);
    if (r) cur.rows.push({ loc: parseInt(r[1]!, 16), cells: r[2]!.trim().split(/\s+/) });
  }
  return fdes;
}

/** Our rule in readelf's notation. */
function cell(rule: RegisterRule | undefined): string {
  if (!rule || rule.kind === 'undefined') return 'u';
  switch (rule.kind) {
    case 'same':
      return 's';
    case 'offset':
      return `c${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'valOffset':
      return `v${rule.offset >= 0 ? '+' : ''}${rule.offset}`;
    case 'register':
      return REGS[rule.reg] ?? `r${rule.reg}`;
    case 'expression':
      return 'exp';
    case 'valExpression':
      return 'vexp';
  }
}

function cfaCell(r: UnwindRules): string {
  return r.cfaRule.kind === 'expression' ? 'exp' : `${REGS[r.cfaRule.reg] ?? `r${r.cfaRule.reg}`}+${r.cfaRule.offset}`;
}

describe('.eh_frame of a cgo program', () => {
  const path = buildFixture('cgoframes', { flags: [], env: { CGO_ENABLED: '1' } });
  const elf = ElfFile.parse(readFileSync(path));
  const table = ehFrameTable(elf)!;
  const theirs = readelfEhFrame(path).filter((f) => f.hi > f.lo);

  it('has the FDEs readelf lists, C code among them', () => {
    assert.ok(table, 'an .eh_frame section');
    assert.deepEqual(
      table.all().map((f) => [f.lowPC, f.highPC]),
      theirs.map((f) => [f.lo, f.hi]).sort((a, b) => a[0]! - b[0]!),
    );
    const leaf = elf.symbols().find((s) => s.name === 'leaf');
    assert.ok(leaf && table.fdeFor(leaf.value), 'an FDE covers the C function leaf');
  });

  it("gives readelf's CFA and register rules at the first and last PC of every row", () => {
    let rows = 0;
    for (const f of theirs) {
      // readelf prints no table for an FDE without instructions of its own (the CIE's row holds).
      if (f.rows.length === 0) {
        assert.ok(table.unwindRulesAt(f.lo), `rules at 0x${f.lo.toString(16)}`);
        continue;
      }
      assert.ok(f.columns.length > 0 && f.columns.every((c) => REGS.includes(c)), `columns ${f.columns.join(' ')}`);
      f.rows.forEach((row, i) => {
        const end = i + 1 < f.rows.length ? f.rows[i + 1]!.loc : f.hi;
        for (const pc of new Set([row.loc, end - 1])) {
          const ours = table.unwindRulesAt(pc);
          assert.ok(ours, `rules at 0x${pc.toString(16)}`);
          const mine = [cfaCell(ours), ...f.columns.map((c) => cell(ours.rules.get(REGS.indexOf(c))))];
          assert.deepEqual(mine, row.cells, `at 0x${pc.toString(16)} (${['CFA', ...f.columns].join(' ')})`);
          assert.equal(ours.returnAddressRegister, 16);
          rows++;
        }
      });
    }
    assert.ok(rows > 40, `${rows} rows`);
  });
});
