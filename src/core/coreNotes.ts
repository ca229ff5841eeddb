/**
 * The notes of an x86-64 Linux ELF core as the kernel lays them out (and as
 * src/binary/elfCore.ts reads them): for the first thread NT_PRSTATUS,
 * NT_PRPSINFO, NT_AUXV, NT_FILE, then its NT_PRFPREG; for every other thread
 * NT_PRSTATUS then NT_PRFPREG. A thread's NT_PRFPREG must follow its own
 * NT_PRSTATUS: readers (ours, gdb's, elfutils') attach it to the last one seen.
 * Pure encoding: bytes out.
 */
import { NT_AUXV, NT_FILE, NT_PRFPREG, NT_PRPSINFO, NT_PRSTATUS, PR_REG } from '../binary/elfCore.js';
import type { MemoryMapping, ProcessImage } from '../process/process.js';

/** The page size NT_FILE counts file offsets in (x86-64 Linux). */
export const PAGE = 4096;

/** sizeof(struct elf_prstatus) on x86-64: pr_info, pr_cursig, pr_sigpend, pr_sighold, ids, four timevals, pr_reg (27 × 8), pr_fpvalid. */
const PRSTATUS_SIZE = 336;
/** sizeof(struct elf_prpsinfo) on x86-64. */
const PRPSINFO_SIZE = 136;
/** user_fpregs_struct: the FXSAVE area. */
const FPREGS_SIZE = 512;

/** One thread of the core: its id, user_regs_struct, FXSAVE area and the signal it has pending. */
export interface CoreThreadState {
  tid: number;
  regs: BigUint64Array;
  fp?: Uint8Array;
  signal: number;
}

/** Every note of the core, in the kernel's order; `threads[0]` is the one the core reports as stopped. */
export function encodeNotes(threads: readonly CoreThreadState[], image: ProcessImage): Uint8Array {
  const parts: Uint8Array[] = [];
  threads.forEach((t, i) => {
    parts.push(note(NT_PRSTATUS, prstatus(t, image)));
    if (i === 0) {
      parts.push(note(NT_PRPSINFO, prpsinfo(image)));
      parts.push(note(NT_AUXV, image.auxv));
      parts.push(note(NT_FILE, fileNote(image.mappings)));
    }
    if (t.fp && t.fp.length >= FPREGS_SIZE) parts.push(note(NT_PRFPREG, t.fp.subarray(0, FPREGS_SIZE)));
  });
  return concat(parts);
}

/** Whether NT_FILE lists the mapping: memory that comes from a file (a nonzero inode and a path). */
export function isFileMapping(m: MemoryMapping): boolean {
  return m.inode !== 0 && m.path.startsWith('/');
}

function prstatus(t: CoreThreadState, image: ProcessImage): Uint8Array {
  const b = new Uint8Array(PRSTATUS_SIZE);
  const v = view(b);
  v.setInt32(0, t.signal, true); // pr_info.si_signo
  v.setInt16(12, t.signal, true); // pr_cursig
  v.setInt32(32, t.tid, true);
  v.setInt32(36, image.info.ppid, true);
  v.setInt32(40, image.info.pgrp, true);
  v.setInt32(44, image.info.sid, true);
  for (let i = 0; i < 27; i++) v.setBigUint64(PR_REG + i * 8, t.regs[i] ?? 0n, true);
  v.setInt32(PR_REG + 27 * 8, t.fp ? 1 : 0, true); // pr_fpvalid
  return b;
}

function prpsinfo(image: ProcessImage): Uint8Array {
  const { info } = image;
  const b = new Uint8Array(PRPSINFO_SIZE);
  const v = view(b);
  // The kernel's pr_state is the index of the state in "RSDTZW"; pr_sname the letter.
  const index = 'RSDTZW'.indexOf(info.state.toUpperCase());
  v.setInt8(0, Math.max(0, index));
  v.setUint8(1, info.state.charCodeAt(0) || 0x2e);
  v.setInt8(2, info.state === 'Z' ? 1 : 0);
  v.setInt8(3, Math.max(-128, Math.min(127, info.nice)));
  v.setBigUint64(8, BigInt(info.flags >>> 0), true);
  v.setUint32(16, info.uid >>> 0, true);
  v.setUint32(20, info.gid >>> 0, true);
  v.setInt32(24, info.pid, true);
  v.setInt32(28, info.ppid, true);
  v.setInt32(32, info.pgrp, true);
  v.setInt32(36, info.sid, true);
  putString(b, 40, 16, info.name);
  putString(b, 56, 80, info.args);
  return b;
}

/** NT_FILE: count, page size, then (start, end, offset in pages) per file mapping, then their NUL-terminated names. */
function fileNote(mappings: readonly MemoryMapping[]): Uint8Array {
  const files = mappings.filter(isFileMapping);
  const names = files.map((m) => new TextEncoder().encode(`${m.path}\0`));
  const b = new Uint8Array(16 + files.length * 24 + names.reduce((n, x) => n + x.length, 0));
  const v = view(b);
  v.setBigUint64(0, BigInt(files.length), true);
  v.setBigUint64(8, BigInt(PAGE), true);
  files.forEach((m, i) => {
    v.setBigUint64(16 + i * 24, BigInt(m.start), true);
    v.setBigUint64(24 + i * 24, BigInt(m.end), true);
    v.setBigUint64(32 + i * 24, BigInt(Math.floor(m.offset / PAGE)), true);
  });
  let o = 16 + files.length * 24;
  for (const n of names) {
    b.set(n, o);
    o += n.length;
  }
  return b;
}

/** One note named "CORE": namesz, descsz, type, the name and the descriptor, each padded to 4 bytes. */
function note(type: number, desc: Uint8Array): Uint8Array {
  const b = new Uint8Array(12 + 8 + align4(desc.length));
  const v = view(b);
  v.setUint32(0, 5, true);
  v.setUint32(4, desc.length, true);
  v.setUint32(8, type, true);
  b.set([0x43, 0x4f, 0x52, 0x45, 0], 12); // "CORE\0"
  b.set(desc, 20);
  return b;
}

/** `text` as Latin-1 bytes in a field of `size` bytes, cut to leave a terminating NUL. */
function putString(b: Uint8Array, at: number, size: number, text: string): void {
  for (let i = 0; i < Math.min(text.length, size - 1); i++) b[at + i] = text.charCodeAt(i) & 0xff;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
