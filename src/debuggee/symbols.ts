/**
 * The symbol table of a Go binary (see symbolTable.ts for what it answers):
 * implemented over src/binary (pclntab) and, when present, src/dwarf.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DecodeError } from '../binary/reader.js';
import type { FileBytes } from '../binary/fileBytes.js';
import { GoBinary } from '../binary/goBinary.js';
import { elideTypeArgs } from '../binary/funcTable.js';
import { type GoFunc, type Pclntab, withoutTypeArgs } from '../binary/pclntab.js';
import { Dwarf } from '../dwarf/dwarf.js';
import { ehFrameRulesAt } from '../dwarf/ehFrame.js';
import { DWARF_SECTION_NAMES, type DwarfSections } from '../dwarf/sections.js';
import type { UnwindRules } from '../dwarf/frame.js';
import { LayoutError, loadRuntimeLayout, type RuntimeLayout } from './runtimeLayout.js';
import { type NativeSymbol, NativeSymbols } from './stack/nativeSymbols.js';
import { isRuntimeName, type LinePC, type SymbolTable } from './symbolTable.js';

export type { GoFunc, LinePC, SymbolTable };

/**
 * The DWARF sections a launch reads before the first stop and inflates on the thread pool:
 * the compile units' address ranges (optimisedCode.ts reads main's) and the line tables (the
 * first line breakpoint). Not .debug_info: inflated there, the 6 MB of cmd/compile's raised the
 * adapter's peak RSS from ≈ 79–80 to ≈ 87 MB (measured, Node 20), so it is inflated on the main
 * thread when first read.
 */
const LAUNCH_SECTIONS = ['.debug_abbrev', '.debug_rnglists', '.debug_ranges', '.debug_addr', '.debug_line'];

/**
 * The largest .debug_info (bytes in the file, compressed) also inflated on the thread pool while
 * the program starts: a small program's (benchsmall's: 232 KB, 586 KB inflated; 2–4 ms of
 * inflating) is then not inflated on the main thread on the launch's path, and its copy costs
 * little memory; cmd/compile's (1.9 MB, 6 MB inflated) is still inflated when first read.
 */
const INFO_PREFETCH_MAX = 512 << 10;

/** ELF e_type of a position-independent executable: the kernel chooses where it goes. */
const ET_DYN = 3;

export class Symbols implements SymbolTable {
  /** Runtime address minus link address of the image (0 until a PIE's process is known, and always for ET_EXEC). */
  private bias = 0;
  /** The function table in runtime addresses. */
  private table: Pclntab;

  private constructor(
    readonly path: string,
    readonly bin: GoBinary,
  ) {
    this.table = bin.pclntab;
  }

  get loadBias(): number {
    return this.bias;
  }

  /**
   * Moves every answer to the addresses of the process that loaded the image
   * with entry point `entry` (its AT_ENTRY). Only an ET_DYN image moves; an
   * ET_EXEC one runs at its link addresses. Called when the process is bound,
   * before any address is asked for.
   */
  get positionIndependent(): boolean {
    return this.bin.elf.type === ET_DYN;
  }

  relocate(entry: number): void {
    if (!this.positionIndependent) return;
    const bias = entry - this.bin.elf.entry;
    if (bias === this.bias) return;
    this.bias = bias;
    this.table = this.bin.pclntabLoadedAt(bias);
    this.dwarfCache = undefined;
    this.stmtCache.clear();
    this.scratchCache = undefined;
  }

  static open(path: string): Symbols {
    const file = openFile(path);
    let bin: GoBinary;
    try {
      bin = GoBinary.open(file.bytes);
    } catch (e) {
      file.close();
      throw e;
    }
    // Inflate DWARF on the thread pool while the program starts: what the launch reads
    // (LAUNCH_SECTIONS) and what the first stop's variables read.
    const info = bin.elf.section('.debug_info');
    const small = info !== undefined && info.size <= INFO_PREFETCH_MAX ? ['.debug_info'] : [];
    bin.elf.prefetch([...LAUNCH_SECTIONS, ...small, '.debug_str', '.debug_loclists', '.debug_loc']);
    // Closed once nothing can read through it: not with the Symbols, which the Dwarf or the ELF reader may outlive.
    openFiles.register(file.bytes, file.close);
    return new Symbols(path, bin);
  }

  private dwarfCache?: Dwarf | null;

  dwarfLoaded(): Promise<void> {
    // .debug_info when it is being inflated there (INFO_PREFETCH_MAX).
    return this.bin.elf.prefetched([...LAUNCH_SECTIONS, '.debug_info']);
  }

  /** The DWARF data (decoded lazily), or undefined when the binary has none (stripped with -w). */
  get dwarf(): Dwarf | undefined {
    if (this.dwarfCache === undefined) {
      const elf = this.bin.elf;
      const info = elf.sectionData('.debug_info');
      const abbrev = elf.sectionData('.debug_abbrev');
      if (!info || !abbrev) this.dwarfCache = null;
      else {
        // Sections are inflated when first read (a large binary's .debug_loclists
        // need not be decompressed to set a breakpoint).
        const sections = {} as DwarfSections;
        for (const [key, name] of Object.entries(DWARF_SECTION_NAMES) as [keyof DwarfSections, string][]) {
          Object.defineProperty(sections, key, { enumerable: true, get: () => elf.sectionData(name) });
        }
        const types = this.bin.runtimeTypesBase;
        this.dwarfCache = new Dwarf(sections, types === undefined ? undefined : types + this.bias, this.bias);
      }
    }
    return this.dwarfCache ?? undefined;
  }

  /** Offsets of the runtime's structures, from the binary's DWARF types. */
  runtimeLayout(): RuntimeLayout {
    const dw = this.dwarf;
    if (!dw) throw new LayoutError('the binary has no DWARF (built with -ldflags=-w?)');
    return loadRuntimeLayout(dw);
  }

  get goVersion(): string | undefined {
    return this.bin.goVersion;
  }

  funcForPC(pc: number): GoFunc | undefined {
    return this.table.funcForPC(pc);
  }
  funcByName(name: string): GoFunc | undefined {
    return this.table.funcByName(name);
  }
  spDelta(pc: number): number | undefined {
    return this.table.spDelta(pc);
  }
  /** Call-frame rules (.eh_frame / .debug_frame) for code without Go tables: the C functions of a cgo program. */
  callFrameRulesAt(pc: number): UnwindRules | undefined {
    return ehFrameRulesAt(this.bin.elf, pc - this.bias);
  }
  private nativeSymbols?: NativeSymbols;
  /** The ELF function symbol holding pc (C functions of a cgo program). */
  nativeSymbolAt(pc: number): NativeSymbol | undefined {
    this.nativeSymbols ??= new NativeSymbols(this.bin.elf.symbols());
    // ELF symbols hold link-time addresses: shift by the load bias (PIE) both ways.
    const s = this.nativeSymbols.at(pc - this.bias);
    return s && (this.bias === 0 ? s : { name: s.name, entry: s.entry + this.bias, end: s.end + this.bias });
  }
  lineForPC(pc: number): { file: string; line: number; fn: GoFunc } | undefined {
    const r = this.table.lineForPC(pc);
    return r && { file: r.file, line: r.line, fn: r.func };
  }
  /** Logical frames at pc, innermost first (inlined calls expanded); empty when none are inlined. */
  inlinedFramesAt(pc: number): { funcName: string; file: string; line: number }[] {
    return this.table.inlinedFramesAt(pc);
  }
  resolveFile(path: string): string | undefined {
    return this.table.resolveFile(path);
  }
  sourceFiles(): readonly string[] {
    return this.table.files;
  }
  funcsInFile(file: string): GoFunc[] {
    return this.table.funcsInFile(file);
  }
  sitesForLine(file: string, line: number): LinePC[] {
    const sites = this.table.pcsForLine(file, line).map((s) => ({ pc: this.statementOf(s.func, s.pc, line), fn: s.func, inlined: s.inlined }));
    return this.keepStatements(
      sites,
      (s) => s.fn,
      (s) => s.pc,
    );
  }
  nearestLineWithCode(file: string, line: number): number | undefined {
    return this.table.nearestLineWithCode(file, line);
  }
  lineStarts(fn: GoFunc): { pc: number; line: number; file: string; inlineDepth: number }[] {
    const starts = this.keepStatements(
      this.table.lineStarts(fn),
      () => fn,
      (l) => l.pc,
    );
    // A statement can begin inside a run of one line: in optimised code a loop's back edge
    // jumps into the middle of the `for` line's code (its post statement), which DWARF marks
    // is_stmt and pclntab, holding one line per run, cannot tell apart. Delve stops there.
    const have = new Set(starts.map((l) => l.pc));
    const out: { pc: number; line: number; file: string; inlineDepth: number }[] = starts.map((l) => ({ ...l, inlineDepth: 0 }));
    for (const pc of this.statementInfo(fn).stmt) {
      if (have.has(pc)) continue;
      const at = this.table.lineForPC(pc);
      if (at && at.func === fn) out.push({ pc, line: at.line, file: at.file, inlineDepth: 0 });
    }
    out.sort((a, b) => a.pc - b.pc);
    // How many inlined calls deep each start is (0: the function's own code).
    if (starts.some((l) => l.inlined)) for (const l of out) l.inlineDepth = Math.max(0, this.table.inlinedFramesAt(l.pc).length - 1);
    return out;
  }

  /**
   * Where the statement of `line` that a pclntab run starting at `pc` holds
   * begins: `pc` itself, unless DWARF says `pc` is no statement (a jump the
   * compiler put in front of the line's code) and marks a later row of the
   * same run as one — other paths jump straight there, past `pc`, so a
   * breakpoint at `pc` would miss them.
   */
  private statementOf(fn: GoFunc, pc: number, line: number): number {
    const info = this.statementInfo(fn);
    if (!info.notStmt.has(pc)) return pc;
    try {
      const cu = this.dwarf?.cuForPC(pc);
      if (!cu) return pc;
      for (const r of this.dwarf!.lineTable(cu).rowsIn(pc, fn.end)) {
        if (r.address === pc) continue;
        if (r.line !== line) return pc;
        if (r.isStmt) return r.address;
      }
    } catch {
      /* keep pc */
    }
    return pc;
  }

  private readonly stmtCache = new Map<number, { stmt: Set<number>; notStmt: Set<number> }>();

  /**
   * PCs of `fn` where a DWARF line row begins a statement (is_stmt), and those
   * where every row there is explicitly not one (is_stmt = false): the
   * compiler's way of saying "same line, not a new step", e.g. the join block
   * of an `if` attributed to the `if` line. Empty without usable DWARF.
   */
  private statementInfo(fn: GoFunc): { stmt: Set<number>; notStmt: Set<number> } {
    let info = this.stmtCache.get(fn.entry);
    if (!info) {
      info = { stmt: new Set(), notStmt: new Set() };
      try {
        const dw = this.dwarf;
        const cu = dw?.cuForPC(fn.entry);
        if (dw && cu) {
          const rows = dw.lineTable(cu).rowsIn(fn.entry, fn.end);
          for (const r of rows) if (r.isStmt) info.stmt.add(r.address);
          for (const r of rows) if (!r.isStmt && !info.stmt.has(r.address)) info.notStmt.add(r.address);
        }
      } catch {
        /* no usable DWARF: keep every pclntab site */
        info = { stmt: new Set(), notStmt: new Set() };
      }
      this.stmtCache.set(fn.entry, info);
    }
    return info;
  }

  private notStatements(fn: GoFunc): Set<number> {
    return this.statementInfo(fn).notStmt;
  }

  /**
   * Drops sites at non-statement rows, but never every site of a function.
   * A function with a single site needs no DWARF at all (the common case, and
   * it keeps the first breakpoint of a large binary from inflating .debug_line).
   */
  private keepStatements<T>(items: T[], fnOf: (x: T) => GoFunc, pcOf: (x: T) => number): T[] {
    const perFn = new Map<GoFunc, number>();
    for (const x of items) perFn.set(fnOf(x), (perFn.get(fnOf(x)) ?? 0) + 1);
    if ([...perFn.values()].every((n) => n < 2)) return items;
    const out = items.filter((x) => (perFn.get(fnOf(x))! < 2 ? true : !this.notStatements(fnOf(x)).has(pcOf(x))));
    if (out.length === items.length) return items;
    const fns = new Set(out.map(fnOf));
    return items.filter((x) => (fns.has(fnOf(x)) ? out.includes(x) : true));
  }
  prologueEnd(fn: GoFunc): number {
    return this.table.prologueEnd(fn);
  }
  markedPrologueEnd(fn: GoFunc): number | undefined {
    try {
      const pc = this.dwarf?.prologueEndPC(fn.entry);
      return pc !== undefined && pc > fn.entry && pc < fn.end ? pc : undefined;
    } catch {
      return undefined;
    }
  }

  /** A function whose name ends with `.name` or `/name` (e.g. `pkg.Func` for `example.com/m/pkg.Func`). */
  findFunctionBySuffix(name: string): GoFunc | undefined {
    return this.findFunctionsBySuffix(name)[0];
  }

  /**
   * Every function `name` means as written: that exact symbol, or every
   * instantiation of the generic function it names with its type arguments
   * written as `[...]` or left out (`main.sumOf[...]`, `main.sumOf`,
   * `main.(*Stack).Push`). Go compiles one body per shape
   * (`main.sumOf[go.shape.int]`), each a function of its own.
   */
  functionsNamed(name: string): GoFunc[] {
    const exact = this.table.funcsByName(name);
    if (exact.length > 0) return exact;
    return name.includes('[') ? [] : this.table.instantiationsOf(name);
  }

  /**
   * The functions whose name ends with `.name` or `/name`, type arguments
   * compared as `[...]` when `name` writes them so and left out when it has
   * none: the shortest such name wins (every instantiation of it).
   */
  findFunctionsBySuffix(name: string): GoFunc[] {
    const elided = name.includes('[...]');
    const t = this.table;
    let best: string | undefined;
    let out: GoFunc[] = [];
    for (let i = 0; i < t.funcCount; i++) {
      const f = t.funcAt(i);
      const key = !f.name.includes('[') ? f.name : elided ? elideTypeArgs(f.name) : withoutTypeArgs(f.name);
      if (!key.endsWith(`.${name}`) && !key.endsWith(`/${name}`)) continue;
      if (best === undefined || key.length < best.length) {
        best = key;
        out = [f];
      } else if (key === best) out.push(f);
    }
    return out;
  }

  functionCount(): number {
    return this.table.funcCount;
  }
  functionName(i: number): string {
    return this.table.funcName(i);
  }
  functionNamesEndingWith(suffix: string): string[] {
    return this.table.funcNamesEndingWith(suffix);
  }

  private scratchCache?: number | null;

  readOnlyData(): { addr: number; bytes: Uint8Array } | undefined {
    const s = this.bin.elf.section('.rodata');
    const bytes = s && this.bin.elf.sectionData('.rodata');
    return s && bytes ? { addr: s.addr + this.bias, bytes } : undefined;
  }

  /**
   * 16 bytes of int3 padding between two functions (the linker aligns function
   * entries to 32 bytes and fills the gap with 0xCC): unreachable code where the
   * engine can execute a breakpointed instruction out of line.
   */
  scratchSlot(): number | undefined {
    if (this.scratchCache === undefined) {
      this.scratchCache = null;
      const text = this.bin.elf.section('.text');
      const pattern = new Uint8Array(16).fill(0xcc);
      // .text is read a block at a time (16 MB on the Go compiler; the first gap is a few KB in).
      const block = 1 << 16;
      // Skip the first functions (rt0 code); any gap will do. `next`: where the search goes on, as an offset in .text.
      let next = 4096;
      for (let from = next; text && from < text.size && this.scratchCache === null; from += block - 48) {
        const data = this.bin.elf.readAt(text.addr + from, Math.min(block, text.size - from));
        if (!data) break;
        const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        // A candidate too near the block's end is looked at again in the next block, which overlaps this one.
        for (let i = buf.indexOf(pattern, next - from); i >= 0 && i + 32 <= buf.length; i = buf.indexOf(pattern, i + 16)) {
          next = from + i + 16;
          const addr: number = text.addr + from + i + ((16 - ((text.addr + from + i) % 16)) % 16);
          const k = addr - text.addr - from;
          const a = this.funcForPC(addr + this.bias);
          const b = this.funcForPC(addr + this.bias + 15);
          if (a === b && buf[k + 15] === 0xcc && buf[k] === 0xcc) {
            this.scratchCache = addr + this.bias;
            break;
          }
        }
        next = Math.max(next, from + block - 48);
      }
    }
    return this.scratchCache ?? undefined;
  }

  private gorootCache?: string | null;

  /** The GOROOT the binary was built with, from where the runtime's sources were (e.g. /usr/local/go). */
  get goroot(): string | undefined {
    if (this.gorootCache === undefined) {
      const fn = this.funcByName('runtime.main');
      const file = fn ? this.lineForPC(fn.entry)?.file : undefined;
      const i = file ? file.lastIndexOf('/src/runtime/') : -1;
      this.gorootCache = file && i >= 0 ? file.slice(0, i) : null;
    }
    return this.gorootCache ?? undefined;
  }

  /** True for a source file of the Go distribution (standard library, runtime). */
  isLibraryFile(file: string | undefined): boolean {
    const root = this.goroot;
    return !!file && !!root && file.startsWith(`${root}/src/`);
  }

  isRuntimeFunc(name: string): boolean {
    return isRuntimeName(name);
  }
}

/** Closes a program file's descriptor once its reader is gone. */
const openFiles = new FinalizationRegistry<() => void>((close) => close());

/**
 * A program file read on demand (binary/fileBytes.ts), through a descriptor kept
 * open for as long as something can read through it: a rebuild that replaces the
 * file leaves the descriptor on the bytes the symbols describe.
 */
function openFile(path: string): { bytes: FileBytes; close: () => void } {
  const fd = openSync(path, 'r');
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
  };
  try {
    const length = fstatSync(fd).size;
    const read = (off: number, len: number): Uint8Array => {
      const out = new Uint8Array(len);
      let done = 0;
      while (done < len) {
        const n = readSync(fd, out, done, len - done, off + done);
        if (n <= 0) break;
        done += n;
      }
      if (done < len) throw new DecodeError('file', off + done, `the program file ended at ${off + done} (${length} bytes when opened): changed on disk?`);
      return out;
    };
    return { bytes: { length, read }, close };
  } catch (e) {
    close();
    throw e;
  }
}
