/**
 * A hand-written symbol table for unit tests: functions with an address
 * range, a source file, a line table and a frame size; runtime structure
 * offsets given as a plain RuntimeLayout. No Go binary is read.
 */
import type { GoFunc } from '../../../src/binary/pclntab.js';
import { LayoutError, type RuntimeLayout } from '../../../src/debuggee/runtimeLayout.js';
import { isRuntimeName, type LinePC, type SourceLocation, type SymbolTable } from '../../../src/debuggee/symbolTable.js';

export interface FakeFuncSpec {
  name: string;
  entry: number;
  end: number;
  file: string;
  /** Statement starts: [pc, line], in address order; the first is the entry. */
  lines: [number, number][];
  /** Bytes between SP and the return address after the prologue (0 before it, at the entry). */
  frame: number;
  /** End of the prologue (default: the second line start, else the entry). */
  prologueEnd?: number;
}

interface FakeFunc {
  fn: GoFunc;
  spec: FakeFuncSpec;
  prologueEnd: number;
}

export const GOROOT = '/usr/local/go';

export class FakeSymbols implements SymbolTable {
  readonly dwarf = undefined;
  readonly goVersion = 'go1.26.0';
  readonly goroot = GOROOT;
  private readonly funcs: FakeFunc[];

  constructor(
    specs: FakeFuncSpec[],
    private readonly layout?: RuntimeLayout,
  ) {
    this.funcs = specs.map((spec, index) => ({
      spec,
      prologueEnd: spec.prologueEnd ?? spec.lines[1]?.[0] ?? spec.entry,
      fn: {
        index,
        name: spec.name,
        entry: spec.entry,
        end: spec.end,
        args: 0,
        deferreturn: 0,
        pcsp: 0,
        pcfile: 0,
        pcln: 0,
        npcdata: 0,
        nfuncdata: 0,
        cuOffset: 0,
        startLine: spec.lines[0]?.[1] ?? 0,
        funcID: 0,
        flag: 0,
        structOff: 0,
      },
    }));
  }

  private at(pc: number): FakeFunc | undefined {
    return this.funcs.find((f) => pc >= f.fn.entry && pc < f.fn.end);
  }

  private byFn(fn: GoFunc): FakeFunc {
    const f = this.funcs.find((x) => x.fn.entry === fn.entry);
    if (!f) throw new Error(`FakeSymbols: unknown function ${fn.name}`);
    return f;
  }

  func(name: string): GoFunc {
    const f = this.funcByName(name);
    if (!f) throw new Error(`FakeSymbols: no function ${name}`);
    return f;
  }

  funcForPC(pc: number): GoFunc | undefined {
    return this.at(pc)?.fn;
  }
  funcByName(name: string): GoFunc | undefined {
    return this.funcs.find((f) => f.fn.name === name)?.fn;
  }
  findFunctionBySuffix(name: string): GoFunc | undefined {
    return this.funcs.find((f) => f.fn.name.endsWith(`.${name}`) || f.fn.name.endsWith(`/${name}`))?.fn;
  }
  spDelta(pc: number): number | undefined {
    const f = this.at(pc);
    if (!f) return undefined;
    return pc < f.prologueEnd ? 0 : f.spec.frame;
  }
  lineForPC(pc: number): SourceLocation | undefined {
    const f = this.at(pc);
    if (!f) return undefined;
    let line: number | undefined;
    for (const [p, l] of f.spec.lines) if (p <= pc) line = l;
    return line === undefined ? undefined : { file: f.spec.file, line, fn: f.fn };
  }
  inlinedFramesAt(): { funcName: string; file: string; line: number }[] {
    return [];
  }
  resolveFile(path: string): string | undefined {
    return this.funcs.some((f) => f.spec.file === path) ? path : undefined;
  }
  sitesForLine(file: string, line: number): LinePC[] {
    const out: LinePC[] = [];
    for (const f of this.funcs) {
      if (f.spec.file !== file) continue;
      for (const [pc, l] of f.spec.lines) if (l === line) out.push({ pc, fn: f.fn, inlined: false });
    }
    return out;
  }
  nearestLineWithCode(file: string, line: number): number | undefined {
    let best: number | undefined;
    for (const f of this.funcs) {
      if (f.spec.file !== file) continue;
      for (const [, l] of f.spec.lines) if (l > line && (best === undefined || l < best)) best = l;
    }
    return best;
  }
  lineStarts(fn: GoFunc): { pc: number; line: number; file: string }[] {
    const f = this.byFn(fn);
    return f.spec.lines.map(([pc, line]) => ({ pc, line, file: f.spec.file }));
  }
  prologueEnd(fn: GoFunc): number {
    return this.byFn(fn).prologueEnd;
  }
  scratchSlot(): number | undefined {
    return undefined;
  }
  isLibraryFile(file: string | undefined): boolean {
    return !!file && file.startsWith(`${GOROOT}/src/`);
  }
  isRuntimeFunc(name: string): boolean {
    return isRuntimeName(name);
  }
  runtimeLayout(): RuntimeLayout {
    if (!this.layout) throw new LayoutError('no runtime layout in this fake');
    return this.layout;
  }
}
