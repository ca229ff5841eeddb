/**
 * file:line → code: which functions have code from a file, the PCs where a
 * breakpoint on a line goes, the nearest line with code, and matching a
 * client's path to the binary's file names.
 *
 * Finding the functions of a file uses the compilation-unit table instead of
 * decoding every function: cutab holds one file list per CU and every
 * function names its CU, so the CUs that mention a file are known from cutab
 * alone; only those CUs' functions have their pcfile tables decoded. The
 * per-file result (sites by line, line ranges) is built on the first query of
 * that file and cached.
 */
import type { FuncTable, GoFunc } from './funcTable.js';
import type { Pclntab } from './pclntab.js';
import { DecodeError } from './reader.js';

/** A PC where execution of a source line begins. */
export interface BreakpointSite {
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
  sites: Map<number, BreakpointSite[]>;
  ranges: LineRange[];
}

const NO_CU = 0xffffffff;

export class LineIndex {
  private cuFuncs?: Map<number, number[]>;
  private fileCUs?: Map<number, number[]>;
  private cuEnds?: Map<number, number>;
  private touching = new Map<number, GoFunc[]>();
  private perFile = new Map<number, FileLines>();
  private resolved = new Map<string, string | undefined>();
  private byBase?: Map<string, string[]>;
  private inlineKeys = new Map<string, string>();

  constructor(
    private readonly tab: Pclntab,
    private readonly funcs: FuncTable,
  ) {}

  /** Groups functions by CU and maps each file id to the CUs listing it. */
  private buildCUs(): void {
    const h = this.tab.header;
    const view = new DataView(this.tab.data.buffer, this.tab.data.byteOffset, this.tab.data.byteLength);
    const total = Math.floor((h.filetabOff - h.cuOff) / 4);
    const cuFuncs = new Map<number, number[]>();
    for (let i = 0; i < this.funcs.count; i++) {
      const cu = this.funcs.cuOffsetOf(i);
      if (cu === NO_CU) continue; // linker-generated, no source
      if (cu >= total) throw new DecodeError('.gopclntab', h.cuOff, `function ${i} has CU offset ${cu} beyond cutab (${total})`);
      let list = cuFuncs.get(cu);
      if (!list) cuFuncs.set(cu, (list = []));
      list.push(i);
    }
    const order = [...cuFuncs.keys()].sort((a, b) => a - b);
    const fileCUs = new Map<number, number[]>();
    const cuEnds = new Map<number, number>();
    for (let k = 0; k < order.length; k++) {
      const start = order[k]!;
      const end = k + 1 < order.length ? order[k + 1]! : total;
      cuEnds.set(start, end);
      for (let j = start; j < end; j++) {
        const id = view.getUint32(h.cuOff + 4 * j, true);
        if (id === NO_CU) continue;
        let list = fileCUs.get(id);
        if (!list) fileCUs.set(id, (list = []));
        if (list[list.length - 1] !== start) list.push(start);
      }
    }
    this.cuFuncs = cuFuncs;
    this.fileCUs = fileCUs;
    this.cuEnds = cuEnds;
  }

  /** Physical functions with any PC whose pcfile is this file id, in table order. */
  private funcsTouching(id: number): GoFunc[] {
    let res = this.touching.get(id);
    if (res) return res;
    if (!this.fileCUs) this.buildCUs();
    const h = this.tab.header;
    const view = new DataView(this.tab.data.buffer, this.tab.data.byteOffset, this.tab.data.byteLength);
    res = [];
    for (const cu of this.fileCUs!.get(id) ?? []) {
      const local = new Set<number>();
      const end = this.cuEnds!.get(cu)!;
      for (let j = cu; j < end; j++) if (view.getUint32(h.cuOff + 4 * j, true) === id) local.add(j - cu);
      for (const i of this.cuFuncs!.get(cu) ?? []) {
        const f = this.funcs.funcAt(i);
        const nums = this.tab.fileNumbersOf(f);
        for (let k = 0; k < nums.length; k++) {
          if (local.has(nums[k]!)) {
            res.push(f);
            break;
          }
        }
      }
    }
    res.sort((a, b) => a.index - b.index);
    this.touching.set(id, res);
    return res;
  }

  /** Identity of the logical function a segment belongs to, for line ranges. */
  private logicalKey(f: GoFunc, inl: number): string {
    if (inl < 0) return `f${f.index}`;
    const k = `${f.index}:${inl}`;
    let key = this.inlineKeys.get(k);
    if (key === undefined) {
      const call = this.tab.inlinedCall(f, inl);
      key = call ? `n${call.nameOff}` : `h${k}`;
      this.inlineKeys.set(k, key);
    }
    return key;
  }

  private fileLines(id: number): FileLines {
    let fl = this.perFile.get(id);
    if (fl) return fl;
    const sites = new Map<number, BreakpointSite[]>();
    const ranges = new Map<string, { min: number; max: number; lines: Set<number> }>();
    const addLine = (key: string, line: number): void => {
      let r = ranges.get(key);
      if (!r) ranges.set(key, (r = { min: line, max: line, lines: new Set() }));
      r.lines.add(line);
      if (line < r.min) r.min = line;
      if (line > r.max) r.max = line;
    };
    for (const f of this.funcsTouching(id)) {
      const s = this.tab.segments(f);
      if (s.count === 0) continue;
      const size = f.end - f.entry;
      const steps = this.tab.prologueSteps(f);
      const p = steps.length ? steps[steps.length - 1]! : 0;
      const ownEntry = s.starts[0] === 0 && s.inls[0]! < 0;
      const line0 = s.lines[0]!;
      const file0 = s.files[0]!;
      const framed = this.tab.hasFrame(f);
      if (ownEntry && file0 === id && f.startLine > 0) addLine(`f${f.index}`, f.startLine);
      for (let k = 0; k < s.count; k++) {
        const line = s.lines[k]!;
        if (s.files[k] !== id || line < 0) continue;
        const inlined = s.inls[k]! >= 0;
        let off = s.starts[k]!;
        addLine(this.logicalKey(f, s.inls[k]!), line);
        if (!inlined && k === 0) {
          // The entry line: stop after the stack-split check, at the last
          // frame-setup step still on this line, so a re-entry through
          // morestack does not stop twice.
          const end = k + 1 < s.count ? s.starts[k + 1]! : size;
          for (const step of steps) if (step < end) off = step;
        } else if (!inlined && ownEntry && framed && line === line0 && s.files[k] === file0 && off > p && this.tab.spAt(f, off) === 0) {
          continue; // the morestack call at the end: it jumps back to the entry
        }
        let list = sites.get(line);
        if (!list) sites.set(line, (list = []));
        list.push({ pc: f.entry + off, func: f, inlined });
      }
    }
    for (const [line, list] of sites) {
      list.sort((a, b) => a.pc - b.pc);
      sites.set(line, list.filter((x, i) => i === 0 || list[i - 1]!.pc !== x.pc));
    }
    fl = {
      sites,
      ranges: [...ranges.values()].map((r) => ({ min: r.min, max: r.max, lines: [...r.lines].sort((a, b) => a - b) })),
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
  pcsForLine(file: string, line: number): BreakpointSite[] {
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
    const want = clientPath.replace(/\\/g, '/').split('/').filter((c) => c !== '' && c !== '.');
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
