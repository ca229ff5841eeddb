/**
 * A Go executable: its ELF structure, build info and pclntab, opened from
 * the file's bytes. Opening parses headers and the function table only.
 */
import { BinaryError } from './binaryError.js';
import { type GoBuildInfo, readBuildInfo } from './buildinfo.js';
import { ElfFile, SHF_ALLOC, SHT_NOBITS } from './elf.js';
import type { FileBytes } from './fileBytes.js';
import { Pclntab } from './pclntab.js';
import { parsePclnHeader } from './pclntabHeader.js';
import { DecodeError, Reader } from './reader.js';

export { BinaryError } from './binaryError.js';
export type { BinaryErrorKind } from './binaryError.js';
export { DecodeError } from './reader.js';

/** moduledata field offsets (64-bit), stable from Go 1.18 through 1.26. */
const MODULEDATA_TEXT = 176;
const MODULEDATA_GOFUNC_GO120 = 320; // Go 1.20 added covctrs/ecovctrs before it
const MODULEDATA_GOFUNC_GO118 = 304;
const MODULEDATA_TYPES_GO120 = 296;
const MODULEDATA_TYPES_GO118 = 280;

export class GoBinary {
  private moduledataCache?: { addr: number; bytes: Uint8Array };

  private constructor(
    readonly elf: ElfFile,
    readonly buildInfo: GoBuildInfo | undefined,
    readonly pclntab: Pclntab,
    readonly textStart: number,
    private readonly pclntabAddr: number,
    private readonly pclnVersion: 118 | 120,
  ) {}

  /** e.g. "go1.26.8", from the build info; undefined when the binary has none. */
  get goVersion(): string | undefined {
    return this.buildInfo?.goVersion;
  }

  /** True when the binary has DWARF (.debug_info or legacy .zdebug_info). */
  get hasDwarf(): boolean {
    return !!(this.elf.section('.debug_info') ?? this.elf.section('.zdebug_info'));
  }

  /**
   * Opens a Go binary. Throws BinaryError (kind notElf, unsupportedElf,
   * truncated, notGo, goTooOld) for files we cannot debug, and DecodeError
   * for corrupt tables. `bytes`: the file in memory, or read on demand.
   */
  static open(bytes: Uint8Array | FileBytes): GoBinary {
    const elf = ElfFile.parse(bytes);
    const { data, addr } = findPclntab(elf);
    const header = parsePclnHeader(data);
    const buildInfo = readBuildInfo(elf);
    // Go 1.26+ writes 0 in the header: take moduledata.text (.go.module).
    let textStart = header.textStart;
    const md = textStart === 0 ? findModuledata(elf, addr) : undefined;
    if (textStart === 0 && md) textStart = readPtr(md.bytes, MODULEDATA_TEXT);
    if (textStart === 0) textStart = elf.symbol('runtime.text')?.value ?? 0;
    if (textStart === 0) textStart = elf.section('.text')?.addr ?? 0;
    if (textStart === 0) throw new DecodeError('.gopclntab', 8, 'cannot determine the text start address');
    let bin: GoBinary | undefined;
    const tableAt = (start: number) =>
      new Pclntab(data, start, {
        gofunc: () => bin?.findGofunc(header.version),
        readImage: (a, n) => elf.readAt(a, n),
      });
    bin = new GoBinary(elf, buildInfo, tableAt(textStart), textStart, addr, header.version);
    bin.moduledataCache = md;
    bin.tableAt = tableAt;
    return bin;
  }

  private tableAt?: (textStart: number) => Pclntab;

  /**
   * The function table as it is in a process that loaded the image `bias`
   * bytes above its link addresses (a position-independent executable):
   * every PC it answers or takes is a runtime address. Funcdata is still read
   * from the file at link addresses.
   */
  pclntabLoadedAt(bias: number): Pclntab {
    return bias === 0 || !this.tableAt ? this.pclntab : this.tableAt(this.textStart + bias);
  }

  /**
   * moduledata.types, the base of the runtime type descriptors (DWARF's
   * DW_AT_go_runtime_type is an offset from it): from moduledata when it was
   * found cheaply (.go.module), else the `runtime.types` symbol, else a
   * moduledata found by symbol or scan.
   */
  get runtimeTypesBase(): number | undefined {
    const off = this.pclnVersion >= 120 ? MODULEDATA_TYPES_GO120 : MODULEDATA_TYPES_GO118;
    const field = (md: { bytes: Uint8Array } | undefined) => {
      const v = md && md.bytes.length >= off + 8 ? readPtr(md.bytes, off) : 0;
      return v && this.elf.sectionAt(v) ? v : undefined;
    };
    return (
      field(this.moduledataCache) ??
      this.elf.symbol('runtime.types')?.value ??
      field((this.moduledataCache ??= findModuledata(this.elf, this.pclntabAddr, true)))
    );
  }

  /**
   * moduledata.gofunc: the moduledata field when moduledata was found cheaply
   * at open (.go.module), else the `go:func.*` symbol, else the field of a
   * moduledata found by symbol or by scanning the data (stripped binaries).
   */
  private findGofunc(version: 118 | 120): number | undefined {
    const field = (md: { bytes: Uint8Array } | undefined): number | undefined => {
      if (!md) return undefined;
      const v = readPtr(md.bytes, version >= 120 ? MODULEDATA_GOFUNC_GO120 : MODULEDATA_GOFUNC_GO118);
      return this.elf.sectionAt(v) ? v : undefined;
    };
    const early = field(this.moduledataCache);
    if (early !== undefined) return early;
    const sym = this.elf.symbol(version >= 120 ? 'go:func.*' : 'go.func.*') ?? this.elf.symbol('go:func.*');
    if (sym) return sym.value;
    return field((this.moduledataCache ??= findModuledata(this.elf, this.pclntabAddr, true)));
  }
}

/** The pclntab bytes: the .gopclntab section, else runtime.pclntab..runtime.epclntab. */
function findPclntab(elf: ElfFile): { data: Uint8Array; addr: number } {
  const sec = elf.section('.gopclntab');
  if (sec) {
    const data = sec.type === SHT_NOBITS ? undefined : elf.sectionData('.gopclntab');
    if (!data || data.length === 0) throw new BinaryError('notGo', '.gopclntab', 0, 'the .gopclntab section is empty');
    return { data, addr: sec.addr };
  }
  const start = elf.symbol('runtime.pclntab');
  const end = elf.symbol('runtime.epclntab');
  if (start && end && end.value > start.value) {
    const data = elf.readAt(start.value, end.value - start.value);
    if (data) return { data, addr: start.value };
  }
  throw new BinaryError('notGo', 'ELF', 0, 'not a Go binary (no .gopclntab section)');
}

/**
 * moduledata: the .go.module section (Go 1.26+), the runtime.firstmoduledata
 * symbol, or (when `scan` is set, for stripped binaries) a search of the data
 * sections for the pointer to the pclntab followed by its funcnametab slice.
 * Checked: its first word must be the pclntab's address.
 */
function findModuledata(elf: ElfFile, pclntabAddr: number, scan = false): { addr: number; bytes: Uint8Array } | undefined {
  const size = MODULEDATA_GOFUNC_GO120 + 8;
  const check = (addr: number): { addr: number; bytes: Uint8Array } | undefined => {
    const bytes = elf.readAt(addr, size);
    return bytes && readPtr(bytes, 0) === pclntabAddr ? { addr, bytes } : undefined;
  };
  const sec = elf.section('.go.module');
  const found =
    (sec && check(sec.addr)) ||
    (() => {
      const sym = elf.symbol('runtime.firstmoduledata');
      return sym ? check(sym.value) : undefined;
    })();
  if (found || !scan) return found;
  for (const s of elf.sections) {
    if (!(s.flags & SHF_ALLOC) || s.type === SHT_NOBITS || !/^\.(noptr)?data/.test(s.name)) continue;
    const data = elf.rawSectionData(s);
    if (!data) continue;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let off = 0; off + size <= data.length; off += 8) {
      if (Number(view.getBigUint64(off, true)) === pclntabAddr && readPtr(data, off + 8) > pclntabAddr) {
        const hit = check(s.addr + off);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

function readPtr(bytes: Uint8Array, off: number): number {
  const r = new Reader(bytes, 'moduledata');
  r.seek(off);
  const v = r.u64big();
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? 0 : Number(v);
}
