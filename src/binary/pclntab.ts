/**
 * Go's pc-line table (.gopclntab, Go 1.18+): functions, pc → file:line,
 * SP deltas, inlined frames, and file:line → breakpoint PCs.
 *
 * Lazy by design: construction parses the header and copies the function
 * table; a function's pc tables are decoded on first use and cached; the
 * file → functions index is built on the first file query (see lineIndex.ts).
 *
 * Results for pc → file:line match debug/gosym exactly: the file and line are
 * those of the pcfile/pcln tables (the innermost inlined position), the
 * function is the physical one containing the PC.
 */
import { type GoFunc, FuncTable, elideTypeArgs } from './funcTable.js';
import { SEG, type Segments, mergeSegments } from './funcSegments.js';
import { FUNCDATA_INL_TREE, type InlinedCall, PCDATA_INL_TREE_INDEX, type ReadImage, readInlinedCall } from './inlineTree.js';
import { type LinePC, LineIndex } from './lineIndex.js';
import { type PclnHeader, parsePclnHeader } from './pclntabHeader.js';
import { EMPTY_TABLE, type PcTable, decodePcTable, pcValue, runCount, runEnd, runValue } from './pcvalue.js';
import { DecodeError, Reader, utf8 } from './reader.js';

export type { GoFunc } from './funcTable.js';
export type { LinePC } from './lineIndex.js';

export interface PclntabOptions {
  /**
   * Address of moduledata.gofunc (the `go:func.*` symbol), base of FUNCDATA
   * offsets; needed for inline trees. A function is called once, lazily.
   */
  gofunc?: number | (() => number | undefined);
  /** Reads the binary image at a virtual address (for inline trees). */
  readImage?: ReadImage;
}

export interface PcLine {
  file: string;
  line: number;
  /** The physical function holding the PC. */
  func: GoFunc;
}

export interface InlinedFrame {
  funcName: string;
  file: string;
  line: number;
  /** True for a frame inlined into its caller; false for the physical function (always last). */
  inlined: boolean;
  /** The PC whose file:line describes this frame (the call site's PC for callers). */
  pc: number;
}

export interface LineStart {
  pc: number;
  line: number;
  file: string;
  /** The line belongs to code inlined into this function. */
  inlined: boolean;
}

/** Decoded tables of one function. */
interface FuncCache {
  file?: PcTable;
  line?: PcTable;
  sp?: PcTable;
  inl?: PcTable | null;
  segs?: Segments;
  prologue?: number[];
}

const NO_FILE = 0xffffffff;

export class Pclntab {
  readonly header: PclnHeader;
  /** Base address of function entries. */
  readonly textStart: number;
  private readonly funcs: FuncTable;
  private readonly cache = new Map<number, FuncCache>();
  private readonly fileNames = new Map<number, string>();
  private fileList?: { names: string[]; ids: Map<string, number> };
  private lineIndexCache?: LineIndex;
  private gofuncAddr: number | undefined | null = null; // null: not looked up yet
  private readonly view: DataView;

  /**
   * @param data the .gopclntab section bytes
   * @param textStart the text start (the header's value is ignored, as in
   *   gosym: it is 0 in Go 1.26 and may be unrelocated)
   */
  constructor(
    readonly data: Uint8Array,
    textStart: number,
    private readonly opts: PclntabOptions = {},
  ) {
    this.header = parsePclnHeader(data);
    this.textStart = textStart;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.funcs = new FuncTable(data, this.header, textStart);
  }

  // ---- functions ----

  get funcCount(): number {
    return this.funcs.count;
  }

  funcAt(i: number): GoFunc {
    return this.funcs.funcAt(i);
  }

  /** The names of the functions whose name ends with `suffix` (one scan of the name table). */
  funcNamesEndingWith(suffix: string): string[] {
    return this.funcs.namesEndingWith(suffix);
  }

  /** The name of function i (no GoFunc made for it). */
  funcName(i: number): string {
    return this.funcs.nameOf(i);
  }

  funcForPC(pc: number): GoFunc | undefined {
    const i = this.funcs.indexForPC(pc);
    return i < 0 ? undefined : this.funcs.funcAt(i);
  }

  /**
   * The function with this exact Go symbol name. A name with `[...]` in place
   * of type arguments (as in Go tracebacks) matches the first instantiation.
   */
  funcByName(name: string): GoFunc | undefined {
    const i = this.funcs.indexByName(name);
    if (i >= 0) return this.funcs.funcAt(i);
    if (name.includes('[...]')) return this.funcsByName(name)[0];
    return undefined;
  }

  /** Every function with this name; `[...]` matches any type arguments (all instantiations). */
  funcsByName(name: string): GoFunc[] {
    if (name.includes('[...]')) return this.funcs.indexesByElidedName(elideTypeArgs(name)).map((i) => this.funcAt(i));
    const i = this.funcs.indexByName(name);
    return i < 0 ? [] : [this.funcAt(i)];
  }

  private bareGenericNames?: Map<string, number[]>;

  /**
   * Every instantiation of the generic function a user names without type
   * arguments, in table order: `main.sumOf` → main.sumOf[go.shape.int],
   * main.sumOf[go.shape.float64], …; `main.(*Stack).Push` →
   * main.(*Stack[go.shape.string]).Push. Empty for any other name.
   */
  instantiationsOf(name: string): GoFunc[] {
    if (!this.bareGenericNames) {
      const m = new Map<string, number[]>();
      for (let i = 0; i < this.funcs.count; i++) {
        const nm = this.funcs.funcAt(i).name;
        if (!nm.includes('[')) continue;
        const key = withoutTypeArgs(nm);
        let list = m.get(key);
        if (!list) m.set(key, (list = []));
        list.push(i);
      }
      this.bareGenericNames = m;
    }
    return (this.bareGenericNames.get(name) ?? []).map((i) => this.funcAt(i));
  }

  // ---- per-function tables ----

  private entryOf(f: GoFunc): FuncCache {
    let c = this.cache.get(f.index);
    if (!c) this.cache.set(f.index, (c = {}));
    return c;
  }

  private table(off: number): PcTable {
    if (off === 0) return EMPTY_TABLE;
    const h = this.header;
    const pctab = this.data.subarray(h.pctabOff, h.pclnOff);
    return decodePcTable(pctab, off, h.quantum, h.pctabOff);
  }

  private fileTable(f: GoFunc): PcTable {
    const c = this.entryOf(f);
    return (c.file ??= this.table(f.pcfile));
  }
  private lineTable(f: GoFunc): PcTable {
    const c = this.entryOf(f);
    return (c.line ??= this.table(f.pcln));
  }
  private spTable(f: GoFunc): PcTable {
    const c = this.entryOf(f);
    return (c.sp ??= this.table(f.pcsp));
  }
  /** The PCDATA_InlTreeIndex table, undefined when the function has no inlined code. */
  private inlTable(f: GoFunc): PcTable | undefined {
    const c = this.entryOf(f);
    if (c.inl === undefined) {
      const off = this.funcs.pcdata(f, PCDATA_INL_TREE_INDEX);
      c.inl = off === 0 ? null : this.table(off);
    }
    return c.inl ?? undefined;
  }

  /** The file id (filetab offset) of CU-local file number `v` of f, -1 when none. */
  fileIdOf(f: GoFunc, v: number): number {
    return this.fileIdAt(f.cuOffset, v);
  }

  /** The file id of CU-local file number `v` in the CU at `cuOffset`, -1 when none. */
  fileIdAt(cuOffset: number, v: number): number {
    if (v < 0) return -1;
    // uint32 arithmetic as in gosym and the runtime: a linker-generated
    // function (cuOffset 0xffffffff) with file number 1 reads cutab[0].
    const idx = (cuOffset + v) >>> 0;
    const h = this.header;
    const at = h.cuOff + 4 * idx;
    if (idx >= (h.filetabOff - h.cuOff) / 4) {
      throw new DecodeError('.gopclntab', h.cuOff, `file number ${v} of CU ${cuOffset} is outside cutab`);
    }
    const id = this.view.getUint32(at, true);
    return id === NO_FILE ? -1 : id;
  }

  /** The name of a file id (filetab offset). */
  fileName(id: number): string {
    let s = this.fileNames.get(id);
    if (s === undefined) {
      const h = this.header;
      if (id < 0 || h.filetabOff + id >= h.pctabOff) throw new DecodeError('.gopclntab', h.filetabOff, `file offset ${id} out of range`);
      s = new Reader(this.data.subarray(0, h.pctabOff), '.gopclntab').cstringAt(h.filetabOff + id);
      this.fileNames.set(id, s);
    }
    return s;
  }

  /** Segments of constant (file, line, inline index), cached. */
  segments(f: GoFunc): Segments {
    const c = this.entryOf(f);
    return (c.segs ??= mergeSegments(f.end - f.entry, this.fileTable(f), this.lineTable(f), this.inlTable(f), (v) => this.fileIdOf(f, v)));
  }

  /** pctab as a slice, and its offset in the section (for table walks). */
  pctab(): { bytes: Uint8Array; base: number } {
    const h = this.header;
    return { bytes: this.data.subarray(h.pctabOff, h.pclnOff), base: h.pctabOff };
  }

  // ---- pc queries ----

  /** File and line at pc (innermost inlined position) and the physical function, as gosym's PCToLine. */
  lineForPC(pc: number): PcLine | undefined {
    const f = this.funcForPC(pc);
    if (!f) return undefined;
    const off = pc - f.entry;
    const line = pcValue(this.lineTable(f), off);
    if (line < 0) return undefined;
    const id = this.fileIdOf(f, pcValue(this.fileTable(f), off));
    if (id < 0) return undefined;
    return { file: this.fileName(id), line, func: f };
  }

  /** The pcsp value at pc: the frame size, so the return address is at RSP + delta. */
  spDelta(pc: number): number | undefined {
    const f = this.funcForPC(pc);
    if (!f) return undefined;
    const v = pcValue(this.spTable(f), pc - f.entry);
    return v < 0 ? undefined : v;
  }

  /**
   * The first PC at which f's frame is fully set up: the start of the last run
   * of the initial increasing sequence of pcsp values (after the stack-split
   * check, `PUSHQ BP`, `MOVQ SP, BP` and `SUBQ $n, SP`). For a frameless
   * function (pcsp 0 throughout) it is the entry.
   */
  prologueEnd(f: GoFunc): number {
    const chain = this.prologueSteps(f);
    return f.entry + (chain.length ? chain[chain.length - 1]! : 0);
  }

  /**
   * Entry-relative starts of the runs of the initial increasing pcsp sequence
   * that have a frame (value > 0): each is an instruction boundary after the
   * stack-split check. Cached.
   */
  prologueSteps(f: GoFunc): readonly number[] {
    const c = this.entryOf(f);
    if (c.prologue) return c.prologue;
    const t = this.spTable(f);
    const size = f.end - f.entry;
    const steps: number[] = [];
    let start = 0;
    let prev = -1;
    for (let i = 0; i < runCount(t) && start < size; i++) {
      const end = runEnd(t, i);
      if (end <= start) continue; // empty run
      const v = runValue(t, i);
      if (prev >= 0 && v <= prev) break;
      if (v > 0) steps.push(start);
      prev = v;
      start = end;
    }
    c.prologue = steps;
    return steps;
  }

  /** moduledata.gofunc, looked up once. */
  private gofunc(): number | undefined {
    if (this.gofuncAddr === null) {
      const g = this.opts.gofunc;
      this.gofuncAddr = typeof g === 'function' ? g() : g;
    }
    return this.gofuncAddr;
  }

  /** Record `index` of f's inline tree, undefined when the tree cannot be read. */
  inlinedCall(f: GoFunc, index: number): InlinedCall | undefined {
    const off = this.funcs.funcdata(f, FUNCDATA_INL_TREE);
    const base = this.gofunc();
    if (off === undefined || base === undefined || !this.opts.readImage) return undefined;
    return readInlinedCall(this.opts.readImage, base + off, index, this.header.version);
  }

  /** The name of an inlined call's callee. */
  inlinedCallName(c: InlinedCall): string {
    return this.funcs.nameAt(c.nameOff);
  }

  /**
   * The logical call chain at pc, innermost first: one frame per inlined call
   * then the physical function (always last, `inlined: false`). Each caller's
   * line is the position of its call site (the inline record's parentPc).
   * When the inline tree cannot be read (no gofunc address), only the
   * physical frame is returned, with the pcln position. Empty outside functions.
   */
  inlinedFramesAt(pc: number): InlinedFrame[] {
    const f = this.funcForPC(pc);
    if (!f) return [];
    const frames: InlinedFrame[] = [];
    const inl = this.inlTable(f);
    let cur = pc;
    const size = f.end - f.entry;
    for (let depth = 0; ; depth++) {
      const off = cur - f.entry;
      const idx = inl ? pcValue(inl, off) : -1;
      const pos = this.positionAt(f, off);
      const call = idx >= 0 && depth < 1000 ? this.inlinedCall(f, idx) : undefined;
      if (!call) {
        if (idx >= 0 && depth === 0) {
          // Tree unreadable: fall back to the physical frame only.
          return [{ funcName: f.name, file: pos.file, line: pos.line, inlined: false, pc }];
        }
        frames.push({ funcName: f.name, file: pos.file, line: pos.line, inlined: false, pc: cur });
        return frames;
      }
      frames.push({ funcName: this.inlinedCallName(call), file: pos.file, line: pos.line, inlined: true, pc: cur });
      if (call.parentPc < 0 || call.parentPc >= size) {
        throw new DecodeError('inline tree', call.parentPc, `parentPc ${call.parentPc} outside ${f.name}`);
      }
      cur = f.entry + call.parentPc;
    }
  }

  private positionAt(f: GoFunc, off: number): { file: string; line: number } {
    const id = this.fileIdOf(f, pcValue(this.fileTable(f), off));
    return { file: id < 0 ? '' : this.fileName(id), line: pcValue(this.lineTable(f), off) };
  }

  /** Every PC of f where a new line (or inlined copy of a line) begins, in PC order. */
  lineStarts(f: GoFunc): LineStart[] {
    const s = this.segments(f);
    const out: LineStart[] = [];
    const d = s.data;
    for (let i = 0; i < s.count; i++) {
      const [start, file, line, inl] = d.subarray(SEG * i, SEG * i + SEG);
      if (line! < 0 || file! < 0) continue;
      out.push({ pc: f.entry + start!, line: line!, file: this.fileName(file!), inlined: inl! >= 0 });
    }
    return out;
  }

  /** The pcsp value at an entry-relative offset of f (for the line index). */
  spAt(f: GoFunc, off: number): number {
    return pcValue(this.spTable(f), off);
  }

  /** True when f ever has a frame (some pcsp value > 0). */
  hasFrame(f: GoFunc): boolean {
    const t = this.spTable(f);
    for (let i = 0; i < runCount(t); i++) if (runValue(t, i) > 0) return true;
    return false;
  }

  // ---- files ----

  /** All file names in the file table, in table order. */
  get files(): readonly string[] {
    return this.fileTab().names;
  }

  /** The file id of an exact file name, or undefined. */
  fileId(name: string): number | undefined {
    return this.fileTab().ids.get(name);
  }

  private fileTab(): { names: string[]; ids: Map<string, number> } {
    if (!this.fileList) {
      const h = this.header;
      const tab = this.data.subarray(h.filetabOff, h.pctabOff);
      const names: string[] = [];
      const ids = new Map<string, number>();
      let off = 0;
      for (let i = 0; i < h.nfiles; i++) {
        const end = tab.indexOf(0, off);
        if (end < 0) throw new DecodeError('.gopclntab', h.filetabOff + off, `file table ends inside file name ${i}`);
        const name = utf8(tab.subarray(off, end));
        names.push(name);
        if (!ids.has(name)) ids.set(name, off);
        this.fileNames.set(off, name);
        off = end + 1;
      }
      this.fileList = { names, ids };
    }
    return this.fileList;
  }

  private lines(): LineIndex {
    return (this.lineIndexCache ??= new LineIndex(this, this.funcs));
  }

  /**
   * The binary's file name for a client path: the exact name if present, else
   * the file sharing the longest suffix of whole path components with it (at
   * least the base name); ties go to the lexicographically smallest name.
   */
  resolveFile(clientPath: string): string | undefined {
    return this.lines().resolveFile(clientPath);
  }

  /** Physical functions with code from `file` (their own or inlined), in table order. */
  funcsInFile(file: string): GoFunc[] {
    return this.lines().funcsInFile(file);
  }

  /** Where a breakpoint on file:line goes; see LineIndex.pcsForLine. `file` is an exact binary file name. */
  pcsForLine(file: string, line: number): LinePC[] {
    return this.lines().pcsForLine(file, line);
  }

  /** The first line ≥ `line` with code in a function whose line range covers `line`. */
  nearestLineWithCode(file: string, line: number): number | undefined {
    return this.lines().nearestLineWithCode(file, line);
  }
}

/** `pkg.(*T[go.shape.int]).M` → `pkg.(*T).M`: a symbol name as written without type arguments. */
export function withoutTypeArgs(name: string): string {
  return elideTypeArgs(name).replaceAll('[...]', '');
}
