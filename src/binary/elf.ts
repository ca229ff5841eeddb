/**
 * ELF64 little-endian x86-64 reader: header, section and program headers,
 * section data (zlib-compressed sections inflated on demand), the symbol
 * table, and reads by virtual address.
 *
 * The header is validated field by field before anything else is read; every
 * offset and size from the file is checked against the file length before use.
 * Failures throw BinaryError (a DecodeError) with a clear message.
 */
import { inflate as inflateAsync, inflateSync } from 'node:zlib';
import { BinaryError } from './binaryError.js';
import { BlockCache, bytesInMemory, type FileBytes } from './fileBytes.js';
import { DecodeError, Reader, utf8 } from './reader.js';

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_X86_64 = 62;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_COMPRESSED = 0x800;

export const PT_LOAD = 1;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;

const ELFCOMPRESS_ZLIB = 1;
const ELFCOMPRESS_ZSTD = 2;

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SYM_SIZE = 24;
const SHN_XINDEX = 0xffff;

/** The smallest compressed section `prefetch` inflates on the thread pool (bytes in the file). */
const PREFETCH_MIN = 64 << 10;

/** Sanity limit for an inflated section (bigger means a corrupt header). */
const MAX_INFLATED = 1 << 30;

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
}

export interface ElfProgramHeader {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
  readonly memsz: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  /** STT_* (low 4 bits of st_info). */
  readonly type: number;
  /** STB_* (high 4 bits of st_info). */
  readonly bind: number;
  /** st_shndx: the index of the section the symbol is defined in. */
  readonly section: number;
}

export class ElfFile {
  private sectionsByName = new Map<string, ElfSection>();
  private dataCache = new Map<string, Uint8Array | undefined>();
  /** Inflates under way on the thread pool (prefetch), settled when done or failed. */
  private inflating = new Map<string, Promise<void>>();
  private symbolList?: ElfSymbol[];
  private symbolsByName?: Map<string, ElfSymbol>;
  private readonly small: BlockCache;

  private constructor(
    private readonly file: FileBytes,
    readonly type: number,
    readonly entry: number,
    readonly sections: readonly ElfSection[],
    readonly programHeaders: readonly ElfProgramHeader[],
  ) {
    for (const s of sections) if (s.name && !this.sectionsByName.has(s.name)) this.sectionsByName.set(s.name, s);
    this.small = new BlockCache(file);
  }

  /**
   * Parses and validates the ELF header, section headers and program headers:
   * of a file in memory, or of one read on demand (only the headers are read here).
   */
  static parse(input: Uint8Array | FileBytes): ElfFile {
    const file = input instanceof Uint8Array ? bytesInMemory(input) : input;
    const fileSize = file.length;
    const bytes = file.read(0, Math.min(fileSize, EHDR_SIZE));
    const fail = (detail: string, off = 0, kind: 'notElf' | 'unsupportedElf' | 'truncated' = 'unsupportedElf'): never => {
      throw new BinaryError(kind, 'ELF header', off, detail);
    };
    if (fileSize < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      fail('not an ELF file (bad magic)', 0, 'notElf');
    }
    if (fileSize < 16) fail(`ELF identification truncated (${fileSize} bytes)`, 0, 'truncated');
    const cls = bytes[4]!;
    if (cls === 1) fail('32-bit ELF is not supported (x86-64 ELF64 only)', 4);
    if (cls !== 2) fail(`bad ELF class ${cls}`, 4);
    const data = bytes[5]!;
    if (data === 2) fail('big-endian ELF is not supported', 5);
    if (data !== 1) fail(`bad ELF data encoding ${data}`, 5);
    if (bytes[6] !== 1) fail(`bad ELF identification version ${bytes[6]}`, 6);
    if (fileSize < EHDR_SIZE) fail(`ELF header truncated (${fileSize} of ${EHDR_SIZE} bytes)`, 0, 'truncated');

    const r = new Reader(bytes, 'ELF header');
    r.seek(16);
    const type = r.u16();
    const machine = r.u16();
    if (machine !== EM_X86_64) fail(`ELF for machine ${machine} is not x86-64 (${EM_X86_64})`, 18);
    const version = r.u32();
    if (version !== 1) fail(`bad ELF version ${version}`, 20);
    const entry = r.u64();
    const phoff = r.u64();
    const shoff = r.u64();
    r.u32(); // e_flags
    const ehsize = r.u16();
    const phentsize = r.u16();
    let phnum = r.u16();
    const shentsize = r.u16();
    let shnum = r.u16();
    let shstrndx = r.u16();
    if (ehsize < EHDR_SIZE) fail(`bad ELF header size ${ehsize}`, 52);

    const checkTable = (what: string, off: number, entsize: number, num: number, need: number, at: number): void => {
      if (num === 0) return;
      if (entsize < need) fail(`bad ${what} entry size ${entsize}`, at);
      if (off + entsize * num > fileSize) {
        fail(`${what} table [0x${off.toString(16)}, +${entsize * num}) extends past the end of the file (${fileSize} bytes): truncated?`, off, 'truncated');
      }
    };

    // Section 0 carries the real counts when they overflow 16 bits.
    if (shoff !== 0 && (shnum === 0 || shstrndx === SHN_XINDEX)) {
      checkTable('section header', shoff, shentsize, 1, SHDR_SIZE, 58);
      const s0 = new Reader(file.read(shoff, SHDR_SIZE), 'section headers', 0, shoff);
      s0.skip(32);
      const size = s0.u64();
      const link = s0.u32();
      if (shnum === 0) shnum = size;
      if (shstrndx === SHN_XINDEX) shstrndx = link;
    }
    if (shoff === 0) shnum = 0;
    if (shnum > 0x100000) fail(`implausible section count ${shnum}`, 60);
    checkTable('section header', shoff, shentsize, shnum, SHDR_SIZE, 58);
    if (phoff === 0) phnum = 0;
    checkTable('program header', phoff, phentsize, phnum, PHDR_SIZE, 54);

    const programHeaders: ElfProgramHeader[] = [];
    const phTable = phnum > 0 ? file.read(phoff, phentsize * phnum) : new Uint8Array(0);
    for (let i = 0; i < phnum; i++) {
      const p = new Reader(phTable, 'program headers', i * phentsize, phoff);
      const ptype = p.u32();
      const flags = p.u32();
      const offset = p.u64();
      const vaddr = p.u64();
      p.u64(); // p_paddr
      const filesz = p.u64();
      const memsz = p.u64();
      programHeaders.push({ type: ptype, flags, offset, vaddr, filesz, memsz });
    }

    interface RawSection extends Omit<ElfSection, 'name'> {
      nameOff: number;
    }
    const raw: RawSection[] = [];
    const shTable = shnum > 0 ? file.read(shoff, shentsize * shnum) : new Uint8Array(0);
    for (let i = 0; i < shnum; i++) {
      const s = new Reader(shTable, 'section headers', i * shentsize, shoff);
      const nameOff = s.u32();
      const stype = s.u32();
      const flags = s.u64();
      const addr = s.u64();
      const offset = s.u64();
      const size = s.u64();
      const link = s.u32();
      const info = s.u32();
      const addralign = s.u64();
      const entsize = s.u64();
      if (stype !== SHT_NOBITS && stype !== SHT_NULL && offset + size > file.length) {
        throw new BinaryError(
          'truncated',
          'section headers',
          shoff + i * shentsize,
          `section ${i} [0x${offset.toString(16)}, +0x${size.toString(16)}) extends past the end of the file (${file.length} bytes): truncated?`,
        );
      }
      raw.push({ index: i, nameOff, type: stype, flags, addr, offset, size, link, info, addralign, entsize });
    }

    let names: Reader | undefined;
    if (shnum > 0) {
      if (shstrndx >= shnum) fail(`section name table index ${shstrndx} out of range (${shnum} sections)`, 62);
      const strs = raw[shstrndx]!;
      if (strs.type === SHT_NOBITS) fail('section name table has no data', 62);
      names = new Reader(file.read(strs.offset, strs.size), '.shstrtab', 0, strs.offset);
    }
    const sections: ElfSection[] = raw.map(({ nameOff, ...s }) => ({
      ...s,
      name: names && (nameOff !== 0 || s.type !== SHT_NULL) ? names.cstringAt(nameOff) : '',
    }));
    return new ElfFile(file, type, entry, sections, programHeaders);
  }

  section(name: string): ElfSection | undefined {
    return this.sectionsByName.get(name);
  }

  /** Raw bytes of a section as stored in the file (compressed sections stay compressed). */
  rawSectionData(s: ElfSection): Uint8Array | undefined {
    if (s.type === SHT_NOBITS || s.type === SHT_NULL) return undefined;
    return this.file.read(s.offset, s.size);
  }

  /**
   * The contents of a section, inflated if it is SHF_COMPRESSED (zlib) or a
   * legacy `.zdebug_*` section (asked for by its `.debug_*` name). Undefined
   * when there is no such section or it has no file bytes (SHT_NOBITS).
   * Inflated data is cached.
   */
  sectionData(name: string): Uint8Array | undefined {
    if (this.dataCache.has(name)) return this.dataCache.get(name);
    let data: Uint8Array | undefined;
    const s = this.section(name);
    if (s) {
      const raw = this.rawSectionData(s);
      data = raw && s.flags & SHF_COMPRESSED ? inflateChdr(name, raw, s.offset) : raw;
    } else if (name.startsWith('.debug_')) {
      const z = this.section(`.zdebug_${name.slice('.debug_'.length)}`);
      const raw = z && this.rawSectionData(z);
      if (z && raw) data = inflateLegacy(z.name, raw, z.offset);
    }
    this.dataCache.set(name, data);
    return data;
  }

  /**
   * Starts inflating compressed sections on libuv's thread pool, so that a
   * later `sectionData` finds them ready instead of inflating on the caller's
   * thread. Errors are left for `sectionData` to report. `prefetched` tells
   * when they are done: a section read before then is inflated a second time
   * (on the caller's thread) and the copy in flight is wasted.
   */
  prefetch(names: string[]): void {
    for (const name of names) {
      if (this.dataCache.has(name) || this.inflating.has(name)) continue;
      const s = this.section(name);
      // A small section inflates on the caller's thread in less time than a thread-pool job takes to set up.
      if (!s || !(s.flags & SHF_COMPRESSED) || s.size < PREFETCH_MIN) continue;
      const raw = this.rawSectionData(s);
      if (!raw || raw.length < 24) continue;
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      if (dv.getUint32(0, true) !== ELFCOMPRESS_ZLIB) continue;
      const size = Number(dv.getBigUint64(8, true));
      if (size > MAX_INFLATED) continue;
      const done = new Promise<void>((settle) => {
        inflateAsync(raw.subarray(24), { maxOutputLength: Math.max(size, 1), chunkSize: oneChunk(size) }, (err, out) => {
          this.inflating.delete(name);
          settle();
          if (err || out.length !== size || this.dataCache.has(name)) return;
          this.dataCache.set(name, new Uint8Array(out.buffer, out.byteOffset, out.length));
        });
      });
      this.inflating.set(name, done);
    }
  }

  /** Settles when the prefetches of `names` under way have ended (at once when none is). Never rejects. */
  prefetched(names: readonly string[]): Promise<void> {
    const pending = names.map((n) => this.inflating.get(n)).filter((p) => p !== undefined);
    return pending.length === 0 ? Promise.resolve() : Promise.all(pending).then(() => undefined);
  }

  /** All symbols of .symtab (empty when the binary is stripped). Decoded once. */
  symbols(): readonly ElfSymbol[] {
    if (this.symbolList) return this.symbolList;
    const list: ElfSymbol[] = [];
    const symtab = this.sections.find((s) => s.type === SHT_SYMTAB);
    if (symtab) {
      const entsize = symtab.entsize || SYM_SIZE;
      if (entsize < SYM_SIZE) throw new DecodeError('.symtab', 0, `bad symbol entry size ${entsize}`);
      const strSec = this.sections[symtab.link];
      if (!strSec || strSec.type !== SHT_STRTAB) {
        throw new DecodeError('.symtab', 0, `link ${symtab.link} is not a string table`);
      }
      const strs = new Reader(this.rawSectionData(strSec) ?? new Uint8Array(0), strSec.name, 0, strSec.offset);
      const data = this.rawSectionData(symtab) ?? new Uint8Array(0);
      const r = new Reader(data, '.symtab', 0, symtab.offset);
      const n = Math.floor(data.length / entsize);
      // Entry 0 is the reserved null symbol.
      for (let i = 1; i < n; i++) {
        r.seek(i * entsize);
        const nameOff = r.u32();
        const info = r.u8();
        r.u8(); // st_other
        const section = r.u16();
        const value = r.u64();
        const size = r.u64();
        list.push({ name: nameOff ? strs.cstringAt(nameOff) : '', value, size, type: info & 0xf, bind: info >> 4, section });
      }
    }
    this.symbolList = list;
    return list;
  }

  /** The first symbol with this exact name. */
  symbol(name: string): ElfSymbol | undefined {
    if (!this.symbolsByName) {
      const m = new Map<string, ElfSymbol>();
      for (const s of this.symbols()) if (!m.has(s.name)) m.set(s.name, s);
      this.symbolsByName = m;
    }
    return this.symbolsByName.get(name);
  }

  /**
   * `len` bytes of the file image at virtual address `vaddr`, taken from an
   * allocated section with file bytes, else from a PT_LOAD segment's file part.
   * Undefined when the range is not (entirely) backed by file bytes.
   */
  readAt(vaddr: number, len: number): Uint8Array | undefined {
    if (!(len >= 0) || !(vaddr >= 0)) return undefined;
    for (const s of this.sections) {
      if (!(s.flags & SHF_ALLOC) || s.type === SHT_NOBITS || s.flags & SHF_COMPRESSED) continue;
      if (vaddr >= s.addr && vaddr + len <= s.addr + s.size) {
        return this.small.read(s.offset + (vaddr - s.addr), len);
      }
    }
    for (const p of this.programHeaders) {
      if (p.type !== PT_LOAD) continue;
      if (vaddr >= p.vaddr && vaddr + len <= p.vaddr + p.filesz) {
        const off = p.offset + (vaddr - p.vaddr);
        if (off + len > this.file.length) return undefined;
        return this.small.read(off, len);
      }
    }
    return undefined;
  }

  /** The section holding a virtual address (allocated sections only). */
  sectionAt(vaddr: number): ElfSection | undefined {
    return this.sections.find((s) => s.flags & SHF_ALLOC && vaddr >= s.addr && vaddr < s.addr + s.size);
  }
}

/** Inflates an SHF_COMPRESSED section: Elf64_Chdr then a zlib stream. */
function inflateChdr(name: string, raw: Uint8Array, fileOff: number): Uint8Array {
  const r = new Reader(raw, name, 0, fileOff);
  const ctype = r.u32();
  r.u32(); // ch_reserved
  const size = r.u64();
  r.u64(); // ch_addralign
  if (ctype === ELFCOMPRESS_ZSTD) r.fail('zstd-compressed sections are not supported', 0);
  if (ctype !== ELFCOMPRESS_ZLIB) r.fail(`unknown compression type ${ctype}`, 0);
  return inflate(name, raw.subarray(r.pos), size, fileOff + r.pos);
}

/** Inflates a legacy `.zdebug_*` section: "ZLIB", big-endian u64 size, zlib stream. */
function inflateLegacy(name: string, raw: Uint8Array, fileOff: number): Uint8Array {
  const r = new Reader(raw, name, 0, fileOff);
  const magic = r.bytesN(4);
  if (utf8(magic) !== 'ZLIB') r.fail('legacy compressed section without "ZLIB" magic', 0);
  const hi = r.view.getUint32(4, false);
  r.need(8);
  const lo = r.view.getUint32(8, false);
  r.skip(8);
  const size = hi * 2 ** 32 + lo;
  return inflate(name, raw.subarray(r.pos), size, fileOff + r.pos);
}

/**
 * An output chunk one byte larger than the section: zlib then fills one buffer, which
 * Node hands back as it is. With its default 16 KB chunks Node gathers the chunks and
 * copies them into one more buffer, so a section briefly took twice its size.
 */
function oneChunk(size: number): number | undefined {
  // A corrupt header's size is not allocated up front.
  return size <= ONE_CHUNK_MAX ? Math.max(size + 1, 64) : undefined;
}

const ONE_CHUNK_MAX = 256 << 20;

function inflate(name: string, stream: Uint8Array, size: number, fileOff: number): Uint8Array {
  if (size > MAX_INFLATED) throw new DecodeError(name, fileOff, `implausible uncompressed size ${size}`);
  let out: Buffer;
  try {
    out = inflateSync(stream, { maxOutputLength: Math.max(size, 1), chunkSize: oneChunk(size) });
  } catch (e) {
    throw new DecodeError(name, fileOff, `corrupt zlib stream (${(e as Error).message})`);
  }
  if (out.length !== size) {
    throw new DecodeError(name, fileOff, `inflated to ${out.length} bytes, header says ${size}`);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
