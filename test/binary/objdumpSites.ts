/**
 * An independent oracle for breakpoint sites: `go tool objdump` prints the
 * file:line of every instruction; sites are recomputed from that listing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GoBinary } from '../../src/binary/goBinary.js';
import { testdataDir } from '../support/goBuild.js';
import { type ObjdumpInsn, objdump } from './oracle.js';

function lineCount(rel: string): number {
  return readFileSync(join(testdataDir, rel), 'utf8').split('\n').length;
}

/** Instruction index just after the prologue's stack-split branch (JBE/JLS to the morestack block), and that block's start. */
export function stackCheck(insns: ObjdumpInsn[]): { after: number; tail: number } | undefined {
  for (let i = 0; i < Math.min(insns.length, 6); i++) {
    const m = /^J(BE|LS) 0x([0-9a-f]+)$/.exec(insns[i]!.text);
    if (m) {
      const target = parseInt(m[2]!, 16);
      const tail = insns.findIndex((x) => x.pc === target);
      if (tail > i) return { after: i + 1, tail };
    }
  }
  return undefined;
}

/**
 * Compares pcsForLine with sites computed from objdump's per-instruction
 * lines, for every line of the given files. Objdump rule: an instruction of
 * the line whose predecessor in the same function is on another line (or
 * which is the entry). For the line a function starts on, the expectation is
 * one site for that function inside its prologue window (after the
 * stack-split branch, still on that line), and none in its morestack block.
 */
export function checkAgainstObjdump(bin: GoBinary, path: string, files: string[], optimized = false): { lines: number; sites: number; funcLines: number } {
  const p = bin.pclntab;
  const funcs = objdump(path, '^(main|example\\.com/testdata/[a-z]+/[a-z]+)\\.');
  let lines = 0;
  let sites = 0;
  let funcLines = 0;
  const problems: string[] = [];
  for (const rel of files) {
    const file = join(testdataDir, rel);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    const n = lineCount(rel);
    for (let line = 1; line <= n; line++) {
      const exact = new Set<number>();
      const windows: { name: string; lo: number; hi: number; insns: Set<number> }[] = [];
      for (const [name, insns] of funcs) {
        const at = (i: number): boolean => insns[i]!.file === base && insns[i]!.line === line;
        const entryOnLine = at(0);
        const check = stackCheck(insns);
        if (entryOnLine) {
          // Prologue window: after the stack check, up to the first instruction on another line.
          const lo = check ? insns[check.after]!.pc : insns[0]!.pc;
          let k = 0;
          while (k < insns.length && at(k)) k++;
          const hi = k < insns.length ? insns[k]!.pc : Infinity;
          windows.push({ name, lo, hi, insns: new Set(insns.map((x) => x.pc)) });
        }
        for (let i = 0; i < insns.length; i++) {
          if (!at(i) || (i > 0 && at(i - 1))) continue;
          if (entryOnLine && (i === 0 || (check && i >= check.tail && insns[i]!.line === insns[0]!.line))) continue;
          exact.add(insns[i]!.pc);
        }
      }
      const got = p.pcsForLine(file, line);
      lines++;
      sites += got.length;
      if (windows.length) funcLines++;
      const gotExact = got.filter((s) => exact.has(s.pc)).map((s) => s.pc);
      const rest = got.filter((s) => !exact.has(s.pc));
      if (gotExact.length !== exact.size)
        problems.push(`${rel}:${line}: want sites ${[...exact].map((x) => x.toString(16))}, got ${got.map((s) => s.pc.toString(16))}`);
      for (const w of windows) {
        const inW = rest.filter((s) => s.func.name === w.name);
        if (inW.length !== 1 || !(inW[0]!.pc >= w.lo && inW[0]!.pc < w.hi && w.insns.has(inW[0]!.pc))) {
          problems.push(`${rel}:${line}: ${w.name} wants one site in [${w.lo.toString(16)}, ${w.hi.toString(16)}), got ${inW.map((s) => s.pc.toString(16))}`);
        }
      }
      const unexplained = rest.filter((s) => !windows.some((w) => w.name === s.func.name));
      if (unexplained.length) problems.push(`${rel}:${line}: unexpected sites ${unexplained.map((s) => `${s.pc.toString(16)} ${s.func.name}`)}`);
      if (!optimized && got.some((s) => s.inlined)) problems.push(`${rel}:${line}: inlined site in a -N -l build`);
    }
  }
  assert.deepEqual(problems.slice(0, 20), []);
  return { lines, sites, funcLines };
}
