/**
 * Running Go programs, for the attach process picker: every /proc/PID whose
 * executable carries Go build info.
 *
 * A cheap check first (the ELF section headers name `.go.buildinfo`) reads a
 * few KiB per executable, so large non-Go binaries (node, browsers) are never
 * read whole; only Go binaries are decoded, by src/binary, and cached per
 * (device, inode, mtime).
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { readBuildInfo } from '../src/binary/buildinfo.js';
import { ElfFile } from '../src/binary/elf.js';

export interface GoProcess {
  pid: number;
  /** Path of the executable (may end in " (deleted)" when the file was replaced). */
  exe: string;
  /** argv joined with spaces. */
  commandLine: string;
  /** e.g. "go1.26.0". */
  goVersion: string;
  /** Main package path from the build info, e.g. "example.com/cmd/server". */
  mainPath?: string;
}

interface GoBinaryInfo {
  goVersion: string;
  mainPath?: string;
}

const cache = new Map<string, GoBinaryInfo | null>();

/** Reads `length` bytes at `position` (fewer at the end of the file). */
function pread(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/**
 * True when the x86-64 ELF file open on `fd` has a section named
 * `.go.buildinfo` (every Go binary since Go 1.13, stripped or not).
 */
export function hasGoBuildInfoSection(fd: number): boolean {
  const eh = pread(fd, 0, 64);
  if (eh.length < 64 || eh.readUInt32BE(0) !== 0x7f454c46 || eh[4] !== 2 || eh[5] !== 1) return false;
  const shoff = Number(eh.readBigUInt64LE(0x28));
  const shentsize = eh.readUInt16LE(0x3a);
  const shnum = eh.readUInt16LE(0x3c);
  const shstrndx = eh.readUInt16LE(0x3e);
  if (shoff === 0 || shentsize < 64 || shnum === 0 || shnum > 4096 || shstrndx >= shnum) return false;
  const sh = pread(fd, shoff, shnum * shentsize);
  if (sh.length < shnum * shentsize) return false;
  const strOff = Number(sh.readBigUInt64LE(shstrndx * shentsize + 0x18));
  const strSize = Number(sh.readBigUInt64LE(shstrndx * shentsize + 0x20));
  if (strSize === 0 || strSize > 1 << 20) return false;
  const names = pread(fd, strOff, strSize);
  const wanted = Buffer.from('.go.buildinfo\0');
  for (let i = 0; i < shnum; i++) {
    const nameOff = sh.readUInt32LE(i * shentsize);
    if (names.subarray(nameOff, nameOff + wanted.length).equals(wanted)) return true;
  }
  return false;
}

/** Go version and main package of an executable, or undefined when it is not a Go binary (or unreadable). */
export function readGoBinaryInfo(path: string): GoBinaryInfo | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const key = `${st.dev}:${st.ino}:${st.mtimeMs}:${st.size}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let info: GoBinaryInfo | null = null;
    if (hasGoBuildInfoSection(fd)) {
      try {
        const bi = readBuildInfo(ElfFile.parse(pread(fd, 0, st.size)));
        if (bi) info = { goVersion: bi.goVersion, mainPath: bi.path };
      } catch {
        info = null; // corrupt or unsupported: not offered for attach
      }
    }
    cache.set(key, info);
    return info ?? undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Go processes this user can see (and so, usually, attach to), sorted by pid.
 * `procRoot` is for tests.
 */
export function listGoProcesses(procRoot = '/proc'): GoProcess[] {
  const out: GoProcess[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let exe: string;
    try {
      exe = readlinkSync(`${procRoot}/${pid}/exe`); // EACCES for other users' processes, ENOENT for kernel threads
    } catch {
      continue;
    }
    // Read through /proc/PID/exe: works even when the file on disk was deleted or replaced.
    const info = readGoBinaryInfo(`${procRoot}/${pid}/exe`);
    if (!info) continue;
    out.push({ pid, exe, commandLine: commandLineOf(pid) || exe, goVersion: info.goVersion, mainPath: info.mainPath });
  }
  return out.sort((a, b) => a.pid - b.pid);
}
