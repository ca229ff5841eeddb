/**
 * Writes an ELF core file (ET_CORE, x86-64 Linux) of a stopped process, the
 * kind src/binary/elfCore.ts and CoreProcess read back (mode "core"), and
 * binutils, gdb and elfutils accept: one PT_NOTE (coreNotes.ts) and one
 * PT_LOAD per mapping of /proc/PID/maps with its permissions as p_flags.
 *
 * Memory comes through the process's MemoryReader, so our int3s are hidden
 * and the core holds the program's own bytes. A mapping that is not readable
 * has p_filesz 0; within a readable one, pages that cannot be read are left
 * out the same way (a PT_LOAD of their own with p_filesz 0, so a reader says
 * "unreadable" rather than showing zeros) and listed in the result. Pages
 * that are all zero are not written: the file has holes there, which read as
 * the zeros they are, so a large untouched heap costs no disk.
 *
 * The core is written to `<path>.partial` and renamed over `path` once
 * complete: a failed or cancelled dump leaves no half core, and an older file
 * at `path` stays until the new one is whole.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { MemoryReader } from '../process/memory.js';
import type { MemoryMapping, ProcessImage } from '../process/process.js';
import { EM_X86_64, PT_LOAD } from '../binary/elf.js';
import { ET_CORE, PT_NOTE } from '../binary/elfCore.js';
import { type CoreThreadState, encodeNotes, PAGE } from './coreNotes.js';

export type { CoreThreadState } from './coreNotes.js';

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
/** Program headers kept free for readable mappings that turn out to have unreadable pages (each hole costs two). */
const SPLIT_SLACK = 128;
/** Memory is read and written in pieces of this size. */
const CHUNK = 4 * 1024 * 1024;
/** The event loop gets a turn (a cancel, a progress event) at least this often, in ms. */
const YIELD_MS = 25;

export interface CoreSource {
  /** The threads; the first is the one the core reports as stopped. */
  threads: CoreThreadState[];
  image: ProcessImage;
  mem: MemoryReader;
  /** Throws when the process can no longer be read as it was (it resumed, it ended); called between pieces. */
  check?: () => void;
}

export interface CoreWriteOptions {
  signal?: AbortSignal;
  /** Bytes of readable mappings done so far, of `total`. */
  onProgress?: (done: number, total: number) => void;
}

export interface CoreWriteResult {
  /** The file's size in bytes. */
  size: number;
  /** What it takes on disk (the zero pages are holes). */
  diskBytes: number;
  /** PT_LOAD segments. */
  segments: number;
  threads: number;
  /** Bytes of memory the core holds (p_filesz summed). */
  dumped: number;
  /** Ranges of readable mappings that could not be read: in the core with p_filesz 0. */
  unreadable: { start: number; end: number }[];
}

/** The dump was cancelled (AbortSignal): nothing was left at the path. */
export class CoreWriteCancelled extends Error {
  constructor() {
    super('the core dump was cancelled');
    this.name = 'CoreWriteCancelled';
  }
}

interface Segment {
  vaddr: number;
  memsz: number;
  flags: number;
  offset: number;
  filesz: number;
}

export async function writeCoreFile(path: string, src: CoreSource, opts: CoreWriteOptions = {}): Promise<CoreWriteResult> {
  const { mappings } = src.image;
  const maxPhdrs = 1 + mappings.length + SPLIT_SLACK;
  if (maxPhdrs >= 0xffff) throw new Error(`the process has ${mappings.length} memory mappings: more than an ELF core without extended numbering can list`);
  const notes = encodeNotes(src.threads, src.image);
  const notesOffset = EHDR_SIZE + maxPhdrs * PHDR_SIZE;
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  let ok = false;
  try {
    const w = new SegmentWriter(fd, src, opts, maxPhdrs - 1, notesOffset + notes.length);
    for (const m of mappings) await w.mapping(m);
    const end = w.segments.reduce((n, s) => Math.max(n, s.offset + s.filesz), notesOffset + notes.length);
    const head = new Uint8Array(notesOffset);
    writeHeader(head, w.segments, notesOffset, notes.length);
    writeAll(fd, head, 0);
    writeAll(fd, notes, notesOffset);
    ftruncateSync(fd, end);
    const st = fstatSync(fd);
    closeSync(fd);
    renameSync(partial, path);
    ok = true;
    return {
      size: st.size,
      diskBytes: st.blocks * 512,
      segments: w.segments.length,
      threads: src.threads.length,
      dumped: w.segments.reduce((n, s) => n + s.filesz, 0),
      unreadable: w.unreadable,
    };
  } finally {
    if (!ok) {
      try {
        closeSync(fd);
      } catch {
        /* closed before the rename failed */
      }
      rmSync(partial, { force: true });
    }
  }
}

/** Lays out the PT_LOAD segments one mapping at a time and writes their bytes. */
class SegmentWriter {
  readonly segments: Segment[] = [];
  readonly unreadable: { start: number; end: number }[] = [];
  private readonly buf = new Uint8Array(CHUNK);
  private readonly words = new Int32Array(this.buf.buffer);
  private readonly total: number;
  private done = 0;
  private lastYield = Date.now();

  constructor(
    private readonly fd: number,
    private readonly src: CoreSource,
    private readonly opts: CoreWriteOptions,
    private readonly maxSegments: number,
    /** The first free byte of the file. */
    private free: number,
  ) {
    this.total = src.image.mappings.filter(dumped).reduce((n, m) => n + (m.end - m.start), 0);
  }

  async mapping(m: MemoryMapping): Promise<void> {
    const flags = (m.read ? 4 : 0) | (m.write ? 2 : 0) | (m.exec ? 1 : 0);
    if (!dumped(m)) {
      this.push({ vaddr: m.start, memsz: m.end - m.start, flags, offset: this.free, filesz: 0 });
      return;
    }
    let addr = m.start;
    while (addr < m.end) {
      // Room for this run and the hole after it; past that the rest of the mapping is left out.
      if (this.segments.length + 2 > this.maxSegments) {
        this.leaveOut(addr, m.end, flags);
        return;
      }
      const runStart = addr;
      const runOffset = alignUp(this.free, PAGE) + (runStart % PAGE);
      while (addr < m.end) {
        await this.pace();
        const len = Math.min(CHUNK, m.end - addr);
        const n = this.src.mem.readInto(addr, this.buf.subarray(0, len));
        if (n > 0) this.writeNonZero(runOffset + (addr - runStart), n);
        addr += Math.max(0, n);
        this.progress(Math.max(0, n));
        if (n < len) break;
      }
      if (addr > runStart) {
        this.push({ vaddr: runStart, memsz: addr - runStart, flags, offset: runOffset, filesz: addr - runStart });
        this.free = runOffset + (addr - runStart);
      }
      if (addr >= m.end) return;
      const holeStart = addr;
      while (addr < m.end) {
        const probe = Math.min(PAGE - (addr % PAGE), m.end - addr);
        if (this.src.mem.readInto(addr, this.buf.subarray(0, probe)) > 0) break;
        addr += probe;
        if ((addr - holeStart) % (256 * PAGE) === 0) await this.pace();
      }
      // A page unreadable as part of a piece but readable alone: counted as a hole, so each turn moves on.
      if (addr === runStart) addr = Math.min(m.end, addr + PAGE - (addr % PAGE));
      this.leaveOut(holeStart, addr, flags);
    }
  }

  private leaveOut(start: number, end: number, flags: number): void {
    this.push({ vaddr: start, memsz: end - start, flags, offset: this.free, filesz: 0 });
    this.unreadable.push({ start, end });
    this.progress(end - start);
  }

  private push(s: Segment): void {
    this.segments.push(s);
  }

  /** The first `n` bytes of the buffer at file offset `at`, all-zero pages skipped (holes). */
  private writeNonZero(at: number, n: number): void {
    let i = 0;
    while (i < n) {
      while (i < n && isZeroPage(this.words, i, n)) i += PAGE;
      if (i >= n) break;
      let j = i;
      while (j < n && !isZeroPage(this.words, j, n)) j += PAGE;
      const stop = Math.min(j, n);
      writeAll(this.fd, this.buf.subarray(i, stop), at + i);
      i = stop;
    }
  }

  private progress(n: number): void {
    this.done = Math.min(this.total, this.done + n);
    this.opts.onProgress?.(this.done, this.total);
  }

  /** Gives the event loop a turn now and then; throws when cancelled or when the process changed. */
  private async pace(): Promise<void> {
    if (Date.now() - this.lastYield >= YIELD_MS) {
      await new Promise((r) => setImmediate(r));
      this.lastYield = Date.now();
    }
    if (this.opts.signal?.aborted) throw new CoreWriteCancelled();
    this.src.check?.();
  }
}

/**
 * Mappings whose bytes go into the core: the readable ones but the kernel's
 * own pages ([vvar], [vvar_vclock]: process_vm_readv cannot read them;
 * [vsyscall]: the same fixed page in every process), which the kernel leaves
 * out of its cores too.
 */
function dumped(m: MemoryMapping): boolean {
  return m.read && !KERNEL_PAGES.has(m.path);
}

const KERNEL_PAGES = new Set(['[vvar]', '[vvar_vclock]', '[vsyscall]']);

/** Whether the page at byte `i` (up to `n`) is all zero; `words` views the buffer, whose pieces start page-aligned. */
function isZeroPage(words: Int32Array, i: number, n: number): boolean {
  const end = Math.min(i + PAGE, n);
  if (i % 4 !== 0 || end % 4 !== 0) return false;
  for (let k = i >> 2; k < end >> 2; k++) if (words[k] !== 0) return false;
  return true;
}

function writeHeader(b: Uint8Array, segments: Segment[], notesOffset: number, notesSize: number): void {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // ELF, 64-bit, little-endian, version 1, System V ABI
  v.setUint16(16, ET_CORE, true);
  v.setUint16(18, EM_X86_64, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(32, BigInt(EHDR_SIZE), true); // e_phoff
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, 1 + segments.length, true);
  const phdr = (i: number, type: number, s: Segment, align: number) => {
    const o = EHDR_SIZE + i * PHDR_SIZE;
    v.setUint32(o, type, true);
    v.setUint32(o + 4, s.flags, true);
    v.setBigUint64(o + 8, BigInt(s.offset), true);
    v.setBigUint64(o + 16, BigInt(s.vaddr), true);
    v.setBigUint64(o + 32, BigInt(s.filesz), true);
    v.setBigUint64(o + 40, BigInt(s.memsz), true);
    v.setBigUint64(o + 48, BigInt(align), true);
  };
  phdr(0, PT_NOTE, { vaddr: 0, memsz: 0, flags: 0, offset: notesOffset, filesz: notesSize }, 4);
  segments.forEach((s, i) => phdr(i + 1, PT_LOAD, s, PAGE));
}

function writeAll(fd: number, data: Uint8Array, at: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, at + done);
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}
