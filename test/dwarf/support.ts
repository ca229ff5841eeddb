/**
 * Test support for the DWARF decoders: fixture builds, section extraction
 * (src/binary/elf.ts), and the Go oracle (testdata/dwarforacle, built on Go's debug/elf + debug/dwarf).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ElfFile } from '../../src/binary/elf.js';
import { DWARF_SECTION_NAMES, type DwarfSections } from '../../src/dwarf/sections.js';
import { buildFixture, cacheDir, goBin, goRoot } from '../support/goBuild.js';

const sectionCache = new Map<string, DwarfSections>();

/** The DWARF sections of the binary at `path` (cached per path). */
export function dwarfSectionsOf(path: string): DwarfSections {
  const hit = sectionCache.get(path);
  if (hit) return hit;
  const elf = ElfFile.parse(readFileSync(path));
  const s: Partial<DwarfSections> = {};
  for (const [k, name] of Object.entries(DWARF_SECTION_NAMES) as [keyof DwarfSections, string][]) {
    const d = elf.sectionData(name);
    if (d) s[k] = d;
  }
  if (!s.info || !s.abbrev) throw new Error(`${path} has no DWARF`);
  sectionCache.set(path, s as DwarfSections);
  return s as DwarfSections;
}

/** The dwvalues fixture built with DWARF 5 (Go's default) or 4 (GOEXPERIMENT=nodwarf5). */
export function dwvalues(version: 4 | 5, optimized = false): string {
  return buildFixture('dwvalues', {
    ...(version === 4 ? { env: { GOEXPERIMENT: 'nodwarf5' } } : {}),
    ...(optimized ? { flags: [] } : {}),
  });
}

/** The dwvalues fixture built by Go 1.22 (DWARF 4, classic hash maps), toolchain from the module proxy. */
export function dwvaluesGo122(): string {
  return buildFixture('dwvalues', { env: { GOTOOLCHAIN: 'go1.22.12' } });
}

let oraclePath: string | undefined;
const oracleCache = new Map<string, unknown>();

/** Runs the Go oracle and parses its JSON output (cached per arguments). */
export function oracle<T>(cmd: string, binary: string, ...args: string[]): T {
  const key = JSON.stringify([cmd, binary, args]);
  if (oracleCache.has(key)) return oracleCache.get(key) as T;
  oraclePath ??= buildFixture('dwarforacle', { flags: [] });
  const out = execFileSync(oraclePath, [cmd, binary, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const v = JSON.parse(out) as T;
  oracleCache.set(key, v);
  return v;
}

/**
 * cmd/compile built with `-gcflags=all=-N -l` (the distributed tool has no
 * DWARF): a large real binary, cached in the test cache per Go version.
 */
export function largeBinary(): string {
  const ver = execFileSync(goBin(), ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const out = join(cacheDir, `compile-debug-${ver}`);
  if (existsSync(out)) return out;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.tmp${process.pid}`;
  execFileSync(goBin(), ['build', '-gcflags=all=-N -l', '-o', tmp, 'cmd/compile'], {
    cwd: join(goRoot(), 'src'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  renameSync(tmp, out);
  return out;
}

export { prng } from '../support/prng.js';
