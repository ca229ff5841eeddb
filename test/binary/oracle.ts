/**
 * Test helpers: the oracle (testdata/oracle, built on Go's debug/elf,
 * debug/gosym and debug/buildinfo), `go tool objdump`, and opening binaries.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GoBinary } from '../../src/binary/goBinary.js';
import { buildFixture, goBin } from '../support/goBuild.js';

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function openBinary(path: string): GoBinary {
  return GoBinary.open(readBytes(path));
}

let oracleCache: string | undefined;
/** The oracle, built with the default toolchain and no special flags. */
export function oracleBinary(): string {
  oracleCache ??= buildFixture('oracle', { flags: [] });
  return oracleCache;
}

export function runOracle(args: string[]): string {
  return execFileSync(oracleBinary(), args, { encoding: 'utf8', maxBuffer: 1 << 30 });
}

export interface OracleFunc {
  entry: number;
  end: number;
  name: string;
}

export function oracleFuncs(bin: string): { textStart: number; funcs: OracleFunc[] } {
  let textStart = 0;
  const funcs: OracleFunc[] = [];
  for (const line of runOracle(['funcs', bin]).split('\n')) {
    if (line.startsWith('T ')) textStart = parseInt(line.slice(2), 16);
    else if (line.startsWith('F ')) {
      const a = line.indexOf(' ', 2);
      const b = line.indexOf(' ', a + 1);
      funcs.push({ entry: parseInt(line.slice(2, a), 16), end: parseInt(line.slice(a + 1, b), 16), name: line.slice(b + 1) });
    }
  }
  return { textStart, funcs };
}

/** What gosym says about a PC range: file ('' when none), line (-1 when none), function index (-1 when none). */
export interface OracleRun {
  start: number;
  end: number;
  file: string;
  line: number;
  func: number;
}

function parseRuns(out: string, tag: 'R' | 'S'): OracleRun[] {
  const files = new Map<number, string>();
  const runs: OracleRun[] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('P ')) {
      const a = line.indexOf(' ', 2);
      files.set(Number(line.slice(2, a)), line.slice(a + 1));
    } else if (line.startsWith(`${tag} `)) {
      const f = line.slice(2).split(' ');
      const start = parseInt(f[0]!, 16);
      const i = tag === 'R' ? 1 : 0;
      const end = tag === 'R' ? parseInt(f[1]!, 16) : start + 1;
      const fi = Number(f[i + 1]);
      runs.push({ start, end, file: fi < 0 ? '' : files.get(fi)!, line: Number(f[i + 2]), func: Number(f[i + 3]) });
    }
  }
  return runs;
}

/** Every PC of every function, as runs of equal results. */
export function oraclePcRuns(bin: string): OracleRun[] {
  return parseRuns(runOracle(['pcs', bin]), 'R');
}

/** `n` PCs chosen by the oracle's fixed PRNG over the text, one run per PC. */
export function oracleSample(bin: string, n: number, seed = 1): OracleRun[] {
  return parseRuns(runOracle(['sample', `-n=${n}`, `-seed=${seed}`, bin]), 'S');
}

export interface OracleModule {
  Path: string;
  Version: string;
  Sum?: string;
  Replace?: OracleModule;
}

export function oracleBuildInfo(bin: string): {
  GoVersion: string;
  Path: string;
  Main: OracleModule;
  Deps?: OracleModule[] | null;
  Settings: { Key: string; Value?: string }[];
} {
  return JSON.parse(runOracle(['buildinfo', bin]));
}

/** gosym's Table.LineToPC for each FILE:LINE (0 when none). */
export function oracleLineToPC(bin: string, fileLines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of runOracle(['line', bin, ...fileLines]).split('\n')) {
    if (!line.startsWith('L ')) continue;
    const sp = line.lastIndexOf(' ');
    m.set(line.slice(2, sp), parseInt(line.slice(sp + 1), 16));
  }
  return m;
}

export interface ObjdumpInsn {
  file: string; // base name as objdump prints it
  line: number;
  pc: number;
  text: string; // the instruction, e.g. "SUBQ $0x40, SP"
}

/** `go tool objdump -s REGEX BIN`: instructions grouped by function name. */
export function objdump(bin: string, regex: string): Map<string, ObjdumpInsn[]> {
  const out = execFileSync(goBin(), ['tool', 'objdump', '-s', regex, bin], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const funcs = new Map<string, ObjdumpInsn[]>();
  let cur: ObjdumpInsn[] | undefined;
  for (const line of out.split('\n')) {
    const m = /^TEXT (\S+)\(SB\)/.exec(line);
    if (m) {
      funcs.set(m[1]!, (cur = []));
      continue;
    }
    const parts = line
      .split('\t')
      .map((s) => s.trim())
      .filter(Boolean);
    // "  main.go:18", "0x4bee20", "493b6610", "CMPQ SP, 0x10(R14)"
    if (!cur || parts.length < 4 || !/^0x[0-9a-f]+$/.test(parts[1]!)) continue;
    const fl = parts[0]!;
    const colon = fl.lastIndexOf(':');
    cur.push({
      file: fl.slice(0, colon),
      line: Number(fl.slice(colon + 1)),
      pc: parseInt(parts[1]!, 16),
      text: parts.slice(3).join(' '),
    });
  }
  return funcs;
}

/** 1-based line of the `// MARK:name` comment in a testdata source file. */
export function markLine(source: string, name: string): number {
  const lines = source.split('\n');
  const i = lines.findIndex((l) => new RegExp(`MARK:${name}\\b`).test(l));
  if (i < 0) throw new Error(`no MARK:${name}`);
  return i + 1;
}
