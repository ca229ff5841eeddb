/**
 * ELF core files (x86-64 Linux), as the kernel writes them for a crash and
 * gdb's gcore for a live process: the program headers (PT_LOAD: memory the
 * core holds; PT_NOTE: the notes) and the notes that matter to a debugger —
 * one NT_PRSTATUS (signal, thread id, general registers) and NT_PRFPREG
 * (FXSAVE area) per thread, NT_AUXV (the entry address, for a PIE's load
 * bias) and NT_FILE (which file each mapping came from, for the memory a core
 * leaves out: a program's code and read-only data).
 *
 * Pure decoding: the caller reads the bytes (a core can be gigabytes; only the
 * header, the program headers and the notes are ever decoded).
 */
import { BinaryError, type BinaryErrorKind } from './binaryError.js';
import { EM_X86_64, PT_LOAD } from './elf.js';

export const ET_CORE = 4;
export const PT_NOTE = 4;
export const NT_PRSTATUS = 1;
export const NT_PRFPREG = 2;
export const NT_PRPSINFO = 3;
export const NT_AUXV = 6;
export const NT_FILE = 0x46494c45;
const AT_ENTRY = 9;
/** user_regs_struct: 27 unsigned 64-bit registers. */
const GENERAL_REGISTERS = 27;
/** Offset of pr_reg in struct elf_prstatus on x86-64. */
export const PR_REG = 112;
const PR_PID = 32;

/** A PT_LOAD segment: `filesz` bytes of the core at `offset` are memory at `vaddr` (the rest of `memsz` was not dumped). */
export interface CoreSegment {
  vaddr: number;
  memsz: number;
  offset: number;
  filesz: number;
}

export interface CoreThread {
  tid: number;
  /** The signal that stopped it (the dumping thread's is the one that made the core), 0 when none. */
  signal: number;
  /** user_regs_struct. */
  regs: BigUint64Array;
  /** FXSAVE area (512 bytes), when the core has one for this thread. */
  fp?: Uint8Array;
}

/** A file mapping from NT_FILE: memory [start, end) is `path` from byte `fileOffset`. */
export interface CoreFileMapping {
  start: number;
  end: number;
  fileOffset: number;
  path: string;
}

export interface CoreHeaders {
  segments: CoreSegment[];
  /** Where the notes are in the core file. */
  notes: { offset: number; size: number }[];
}

export interface CoreNotes {
  threads: CoreThread[];
  entry?: number;
  files: CoreFileMapping[];
}

/** Bytes of the ELF header and program headers needed by parseCoreHeaders, from the first 64. */
export function coreHeaderSize(first64: Uint8Array): number {
  const v = view(first64);
  checkIdent(first64);
  return Number(v.getBigUint64(32, true)) + v.getUint16(54, true) * v.getUint16(56, true);
}

/** The ELF header and program headers of a core (`head` holds at least coreHeaderSize bytes). */
export function parseCoreHeaders(head: Uint8Array): CoreHeaders {
  checkIdent(head);
  const v = view(head);
  if (v.getUint16(16, true) !== ET_CORE) throw bad('unsupportedElf', 'not a core file (the ELF type is not ET_CORE)');
  if (v.getUint16(18, true) !== EM_X86_64) throw bad('unsupportedElf', 'not an x86-64 core file');
  const phoff = Number(v.getBigUint64(32, true));
  const phentsize = v.getUint16(54, true);
  const phnum = v.getUint16(56, true);
  if (phentsize < 56 || phoff + phentsize * phnum > head.length) throw bad('truncated', 'the program headers are truncated');
  const segments: CoreSegment[] = [];
  const notes: CoreHeaders['notes'] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const type = v.getUint32(o, true);
    const offset = Number(v.getBigUint64(o + 8, true));
    const filesz = Number(v.getBigUint64(o + 32, true));
    if (type === PT_NOTE) notes.push({ offset, size: filesz });
    else if (type === PT_LOAD) segments.push({ vaddr: Number(v.getBigUint64(o + 16, true)), memsz: Number(v.getBigUint64(o + 40, true)), offset, filesz });
  }
  segments.sort((a, b) => a.vaddr - b.vaddr);
  return { segments, notes };
}

/** The notes of a PT_NOTE segment: threads (in the core's order), the entry address, the file mappings. */
export function parseCoreNotes(bytes: Uint8Array, into: CoreNotes = { threads: [], files: [] }): CoreNotes {
  const v = view(bytes);
  let o = 0;
  while (o + 12 <= bytes.length) {
    const namesz = v.getUint32(o, true);
    const descsz = v.getUint32(o + 4, true);
    const type = v.getUint32(o + 8, true);
    const desc = o + 12 + align4(namesz);
    if (desc + descsz > bytes.length) throw bad('truncated', 'a note is truncated');
    const name = new TextDecoder().decode(bytes.subarray(o + 12, o + 12 + Math.max(0, namesz - 1)));
    const d = bytes.subarray(desc, desc + descsz);
    if (name === 'CORE') noteInto(into, type, d);
    o = desc + align4(descsz);
  }
  return into;
}

function noteInto(into: CoreNotes, type: number, d: Uint8Array): void {
  const v = view(d);
  if (type === NT_PRSTATUS && d.length >= PR_REG + GENERAL_REGISTERS * 8) {
    const regs = new BigUint64Array(GENERAL_REGISTERS);
    for (let i = 0; i < GENERAL_REGISTERS; i++) regs[i] = v.getBigUint64(PR_REG + i * 8, true);
    into.threads.push({ tid: v.getInt32(PR_PID, true), signal: v.getInt32(0, true) || v.getUint16(12, true), regs });
  } else if (type === NT_PRFPREG && d.length >= 512) {
    // It follows the NT_PRSTATUS of the thread it belongs to.
    const t = into.threads[into.threads.length - 1];
    if (t && !t.fp) t.fp = d.slice(0, 512);
  } else if (type === NT_AUXV) {
    for (let i = 0; i + 16 <= d.length; i += 16) if (v.getBigUint64(i, true) === BigInt(AT_ENTRY)) into.entry = Number(v.getBigUint64(i + 8, true));
  } else if (type === NT_FILE && d.length >= 16) {
    const count = Number(v.getBigUint64(0, true));
    const page = Number(v.getBigUint64(8, true));
    let names = 16 + count * 24;
    if (names > d.length) throw bad('truncated', 'the NT_FILE note is truncated');
    for (let i = 0; i < count; i++) {
      const e = 16 + i * 24;
      const end = d.indexOf(0, names);
      const stop = end < 0 ? d.length : end;
      into.files.push({
        start: Number(v.getBigUint64(e, true)),
        end: Number(v.getBigUint64(e + 8, true)),
        fileOffset: Number(v.getBigUint64(e + 16, true)) * page,
        path: new TextDecoder().decode(d.subarray(names, stop)),
      });
      names = stop + 1;
    }
  }
}

function checkIdent(b: Uint8Array): void {
  if (b.length < 64 || b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) throw bad('notElf', 'not an ELF file');
  if (b[4] !== 2 || b[5] !== 1) throw bad('unsupportedElf', 'not a 64-bit little-endian ELF file');
}

function bad(kind: BinaryErrorKind, detail: string): BinaryError {
  return new BinaryError(kind, 'core', 0, detail);
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
