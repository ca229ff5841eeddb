/**
 * file:line → code: which functions have code from a file, the PCs where a
 * breakpoint on a line goes, the nearest line with code, and matching a
 * client's path to the binary's file names.
 *
 * Which functions have code from a file: first through the CU table. cutab
 * lists each compilation unit's files, so the units that can hold a file's
 * code are known without any pc table, and only their functions' pcfile
 * tables are walked (the few functions of a main package, where the first
 * breakpoint usually goes). A file whose small functions are inlined
 * everywhere is listed by most units: resolving it that way would walk most
 * of the binary's pcfile tables once per such file (measured: 140 ms for one
 * file of cmd/compile), so when the units listing a file hold more than an
 * eighth of all functions, one file → functions index of every file is built
 * instead, by walking every function's pcfile table without decoding it into
 * memory (about 2–8 ms for the 20,000 functions of cmd/compile). The
 * per-file result (sites by line, line ranges) is built on the first query
 * of that file and cached.
 */
import type { FuncTable, GoFunc } from './funcTable.js';
import type { Pclntab } from './pclntab.js';
import { SEG } from './funcSegments.js';
import { walkPcTable } from './pcvalue.js';

/** A PC where execution of a source line begins: where a breakpoint on that line goes. */
export interface LinePC {
  pc: number;
  /** The physical function holding pc. */
  func: GoFunc;
  /** The line is in code inlined into `func`. */
  inlined: boolean;
}

interface LineRange {
  min: number;
  max: number;
  /** Sorted lines with code. */
  lines: number[];
}

interface FileLines {
  sites: Map<number, LinePC[]>;
  ranges: LineRange[];
}

const NO_CU = 0xffffffff;

/** Above this share of all functions in the units listing a file, the index of every file is built instead. */
const NARROW_SHARE = 1 / 8;

export class LineIndex {
  private fileFuncs?: Map<number, number[]>;
  /** Per file id, its functions found through the units listing it (before fileFuncs exists). */
  private narrowed = new Map<number, number[]>();
  /** The units' cutab offsets in order, and each unit's functions with source (table order). */
  private units?: { starts: number[]; funcs: Map<number, number[]> };
  private perFile = new Map<number, FileLines>();
  private resolved = new Map<string, string | undefined>();
  private byBase?: Map<string, string[]>;
  /** Per function: inline-tree index → callee name offset (the logical function of inlined lines). */
  private inlineNames = new Map<number, Map<number, number>>();

  constructor(
    private readonly tab: Pclntab,
    private readonly funcs: FuncTable,
  ) {}

  /** file id → indexes of the functions whose pcfile table mentions it. */
  private buildFileFuncs(): Map<number, number[]> {
    const m = new Map<number, number[]>();
    const { bytes, base } = this.tab.pctab();
    const quantum = this.tab.header.quantum;
    const values: number[] = [];
    const collect = (_i: number, _end: number, v: number): void => {
      if (!values.includes(v)) values.push(v);
    };
    const fields = this.funcs.unitFields();
    for (let i = 0; i < this.funcs.count; i++) {
      const cu = fields.cu[i]!;
      const pcfile = fields.pcfile[i]!;
      if (cu === NO_CU || pcfile === 0) continue; // linker-generated, no source
      values.length = 0;
      walkPcTable(bytes, pcfile, quantum, base, collect);
      for (const v of values) {
        const id = this.tab.fileIdAt(cu, v);
        if (id < 0) continue;
        let list = m.get(id);
        if (!list) m.set(id, (list = []));
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
    return m;
  }

  /** Physical functions with any PC whose pcfile is this file id, in table order. */
  private funcsTouching(id: number): GoFunc[] {
    let list = this.fileFuncs ? this.fileFuncs.get(id) : this.narrowed.get(id);
    if (!list && !this.fileFuncs) {
      list = this.funcsThroughUnits(id);
      if (list) this.narrowed.set(id, list);
    }
    if (!list && !this.fileFuncs) {
      this.fileFuncs = this.buildFileFuncs();
      this.narrowed.clear();
      list = this.fileFuncs.get(id);
    }
    return (list ?? []).map((i) => this.funcs.funcAt(i));
  }

  private unitTable(): { starts: number[]; funcs: Map<number, number[]> } {
    if (!this.units) {
      const funcs = new Map<number, number[]>();
      const fields = this.funcs.unitFields();
      // A unit's functions mostly follow each other in the table: its list is looked up once per run.
      let runCu = NO_CU;
      let run: number[] = [];
      for (let i = 0; i < this.funcs.count; i++) {
        const cu = fields.cu[i]!;
        if (cu === NO_CU || fields.pcfile[i] === 0) continue; // linker-generated, no source
        if (cu !== runCu) {
          runCu = cu;
          let list = funcs.get(cu);
          if (!list) funcs.set(cu, (list = []));
          run = list;
        }
        run.push(i);
      }
      this.units = { starts: [...funcs.keys()].sort((a, b) => a - b), funcs };
    }
    return this.units;
  }

  /**
   * The functions whose pcfile table mentions file `id`, walking only those of
   * the units whose cutab entries list it; undefined when those units hold more
   * than NARROW_SHARE of all functions. A unit's entries run to the next unit's
   * start (a unit without functions in between only adds functions to walk).
   */
  private funcsThroughUnits(id: number): number[] | undefined {
    const { starts, funcs } = this.unitTable();
    const h = this.tab.header;
    const entries = (h.filetabOff - h.cuOff) / 4;
    const limit = this.funcs.count * NARROW_SHARE;
    const candidates: number[] = [];
    for (let k = 0; k < starts.length; k++) {
      const cu = starts[k]!;
      const end = Math.min(k + 1 < starts.length ? starts[k + 1]! : entries, entries);
      let listed = false;
      for (let v = 0; v < end - cu && !listed; v++) listed = this.tab.fileIdAt(cu, v) === id;
      if (!listed) continue;
      for (const i of funcs.get(cu)!) candidates.push(i);
      if (candidates.length > limit) return undefined;
    }
    candidates.sort((a, b) => a - b);
    const { bytes, base } = this.tab.pctab();
    const quantum = h.quantum;
    const out: number[] = [];
    for (const i of candidates) {
      const cu = this.funcs.cuOffsetOf(i);
      let mentions = false;
      walkPcTable(bytes, this.funcs.rawField(i, 20), quantum, base, (_i, _end, v) => {
        if (!mentions && this.tab.fileIdAt(cu, v) === id) mentions = true;
      });
      if (mentions) out.push(i);
    }
    return out;
  }

  /**
   * The logical function a segment belongs to, for line ranges: -1 - index
   * for the physical function's own lines, the callee's name offset for
   * inlined lines (so all inlined copies of a function share one range).
   */
  private logicalKey(f: GoFunc, inl: number): number {
    if (inl < 0) return -1 - f.index;
    let names = this.inlineNames.get(f.index);
    if (!names) this.inlineNames.set(f.index, (names = new Map()));
    let key = names.get(inl);
    if (key === undefined) {
      const call = this.tab.inlinedCall(f, inl);
      key = call ? call.nameOff : -1 - f.index;
      names.set(inl, key);
    }
    return key;
  }

  private fileLines(id: number): FileLines {
    let fl = this.perFile.get(id);
    if (fl) return fl;
    const sites = new Map<number, LinePC[]>();
    const ranges = new Map<number, { min: number; max: number; lines: number[] }>();
    const addLine = (key: number, line: number): void => {
      const r = ranges.get(key);
      if (!r) ranges.set(key, { min: line, max: line, lines: [line] });
      else {
        r.lines.push(line);
        if (line < r.min) r.min = line;
        if (line > r.max) r.max = line;
      }
    };
    for (const f of this.funcsTouching(id)) {
      const s = this.tab.segments(f);
      if (s.count === 0) continue;
      const d = s.data;
      const size = f.end - f.entry;
      const steps = this.tab.prologueSteps(f);
      const p = steps.length ? steps[steps.length - 1]! : 0;
      const ownEntry = d[0] === 0 && d[3]! < 0;
      const file0 = d[1]!;
      const line0 = d[2]!;
      if (ownEntry && file0 === id && f.startLine > 0) addLine(-1 - f.index, f.startLine);
      let framed: boolean | undefined;
      for (let k = 0; k < s.count; k++) {
        const q = SEG * k;
        const line = d[q + 2]!;
        if (d[q + 1] !== id || line < 0) continue;
        const inl = d[q + 3]!;
        const inlined = inl >= 0;
        let off = d[q]!;
        addLine(this.logicalKey(f, inl), line);
        if (!inlined && k === 0) {
          // The entry line: stop after the stack-split check, at the last
          // frame-setup step still on this line, so a re-entry through
          // morestack does not stop twice.
          const end = k + 1 < s.count ? d[q + SEG]! : size;
          for (const step of steps) if (step < end) off = step;
        } else if (!inlined && ownEntry && line === line0 && file0 === id && off > p && (framed ??= this.tab.hasFrame(f)) && this.tab.spAt(f, off) === 0) {
          continue; // the morestack call at the end: it jumps back to the entry
        }
        let list = sites.get(line);
        if (!list) sites.set(line, (list = []));
        list.push({ pc: f.entry + off, func: f, inlined });
      }
    }
    for (const [line, list] of sites) {
      list.sort((a, b) => a.pc - b.pc);
      sites.set(
        line,
        list.filter((x, i) => i === 0 || list[i - 1]!.pc !== x.pc),
      );
    }
    fl = {
      sites,
      ranges: [...ranges.values()].map((r) => ({ min: r.min, max: r.max, lines: [...new Set(r.lines)].sort((a, b) => a - b) })),
    };
    this.perFile.set(id, fl);
    return fl;
  }

  funcsInFile(file: string): GoFunc[] {
    const id = this.tab.fileId(file);
    return id === undefined ? [] : this.funcsTouching(id).slice();
  }

  /**
   * The PCs where execution of file:line begins, over every function with
   * code from the line (including copies inlined into other functions).
   *
   * A PC p is a site when the (file, line, inline index) at p differs from
   * the one at the previous PC of the same function, or p is the entry. So a
   * `for` header gives the start of its init, and of the condition/post code
   * reached once per iteration. Two adjustments for the line a function
   * starts on (its `func` line): the entry site moves to prologueEnd() when
   * the prologue is still on that line (the stop happens once the frame is
   * set up, and a stack growth, which re-enters at the entry, does not stop
   * twice; when the frame setup ends exactly where the next line begins, the
   * last setup step still on the `func` line, e.g. after `PUSHQ BP`); the
   * morestack call block at the end of the function (same line,
   * SP delta 0) is not a site. Sorted by PC, without duplicates.
   */
  pcsForLine(file: string, line: number): LinePC[] {
    const id = this.tab.fileId(file);
    if (id === undefined) return [];
    return (this.fileLines(id).sites.get(line) ?? []).map((s) => ({ ...s }));
  }

  /**
   * The first line ≥ `line` that has code, in a function (or inlined copy)
   * whose line range [func line or first line with code, last line with
   * code] covers `line`; the smallest such line over all covering functions.
   * Undefined when no function covers the line.
   */
  nearestLineWithCode(file: string, line: number): number | undefined {
    const id = this.tab.fileId(file);
    if (id === undefined) return undefined;
    let best: number | undefined;
    for (const r of this.fileLines(id).ranges) {
      if (line < r.min || line > r.max) continue;
      const ls = r.lines;
      let lo = 0;
      let hi = ls.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ls[mid]! < line) lo = mid + 1;
        else hi = mid;
      }
      if (lo < ls.length && (best === undefined || ls[lo]! < best)) best = ls[lo]!;
    }
    return best;
  }

  resolveFile(clientPath: string): string | undefined {
    if (this.tab.fileId(clientPath) !== undefined) return clientPath;
    if (this.resolved.has(clientPath)) return this.resolved.get(clientPath);
    if (!this.byBase) {
      const m = new Map<string, string[]>();
      for (const name of this.tab.files) {
        const base = name.slice(name.lastIndexOf('/') + 1);
        let list = m.get(base);
        if (!list) m.set(base, (list = []));
        list.push(name);
      }
      this.byBase = m;
    }
    const want = clientPath
      .replace(/\\/g, '/')
      .split('/')
      .filter((c) => c !== '' && c !== '.');
    let best: string | undefined;
    let bestScore = 0;
    for (const name of this.byBase.get(want[want.length - 1] ?? '') ?? []) {
      const have = name.split('/');
      let score = 0;
      while (score < want.length && score < have.length && want[want.length - 1 - score] === have[have.length - 1 - score]) score++;
      if (score > bestScore || (score === bestScore && best !== undefined && name < best)) {
        best = name;
        bestScore = score;
      }
    }
    this.resolved.set(clientPath, best);
    return best;
  }
}
